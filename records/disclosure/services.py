"""Requests for public documents (begäran om allmän handling, TF 2 kap.).

Lifecycle (the table is `records.workflow`; every status write goes through it)::

    received ──review──▶ in_review ──decide──▶ decided ──deliver──▶ delivered ──close──▶ closed
        │                                          │  ▲                                    ▲
        └──────────────── close ───────────────────┴──┴── appeal overturned: back to in_review

What the services guarantee:

- A request needs no name and no purpose (TF 2 kap. 18 §); its reference `BAH-<year>-<nnnn>` is
  allocated gap-free and race-safe by the diarium's `number_allocate` (scope "bah" of a dedicated
  inactive series `BAH`) in the creating transaction (a rollback gives the number back).
  `deadline_at` = arrival + `UPPSIKT_DISCLOSURE_DEADLINE_WORKDAYS` Swedish working days
  (records.workdays), in local time.
- Every outcome other than a plain release rests on an active legal ground; mask spans are
  checked against the document's content (records.pdf.apply_masks refuses a wrong span).
- A delivery contains, per released document, only its public parts: a part under secrecy
  (sender, description, content) is left out unless the registrar explicitly released it; the
  content of a masked release has the masked spans removed (not covered) in the PDF, the text
  and the JSON alike.
- Holds (JO 3434-2016): while a refusal (or a masking, which is a partial refusal) can still be
  tried — decided and no authority decision yet, an authority decision within its appeal window,
  or an appeal pending — every refused or masked document has an active LegalHold for this
  request. The holds are created and released by the same services, in the same transaction.
- Every write is audited with action "disclosure"; no secret content and no requester data goes
  into the audit detail (document numbers and outcome codes only).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.errors import DomainError, TransitionNotAllowed
from accounts.models import AuditAction
from accounts.services import audit_record
from records.diarium.services.numbering import number_allocate
from records.disclosure.notifications import notify_disclosure_received
from records.models import (
    AppealStatus,
    DisclosureChannel,
    DisclosureDecisionLetter,
    DisclosureItem,
    DisclosureOutcome,
    DisclosureRequest,
    DisclosureStatus,
    Document,
    LegalGround,
    LegalHold,
    LegalHoldSource,
    LegalHoldTarget,
    LetterKind,
    Series,
)
from records.pdf import apply_masks, render_letter_pdf, render_text_pdf
from records.retention.services.holds import legal_hold_place, legal_hold_release
from records.workdays import add_working_days
from records.workflow import transition

__all__ = [
    "APPEAL_NOTICE",
    "REFERENCE_SERIES_CODE",
    "DeliveredDocument",
    "disclosure_appeal_close",
    "disclosure_appeal_register",
    "disclosure_appeal_window_end",
    "disclosure_authority_decision",
    "disclosure_close",
    "disclosure_decide",
    "disclosure_deadline",
    "disclosure_deliver",
    "disclosure_delivery_documents",
    "disclosure_is_overdue",
    "disclosure_item_add",
    "disclosure_overdue",
    "disclosure_refusal_notice",
    "disclosure_request_create",
    "disclosure_review",
]

REFERENCE_SERIES_CODE = "BAH"
REFERENCE_SCOPE = "bah"
# Förvaltningslagen 44 §: three weeks from the day the requester received the decision. The day of
# receipt is not known to the system; a week's margin covers post and delivery.
APPEAL_WEEKS = 3
APPEAL_MARGIN_DAYS = 7
SECRET_OMITTED = "[sekretess – lämnas inte ut]"

S = DisclosureStatus
REVIEWABLE = frozenset({S.RECEIVED, S.IN_REVIEW})
REFUSED_OUTCOMES = frozenset({DisclosureOutcome.REFUSE, DisclosureOutcome.RELEASE_MASKED})


def _move(request: DisclosureRequest, to_status: str, *, field: str = "status") -> None:
    """Move the request through records.workflow (staying where it is needs no transition)."""
    if getattr(request, field) != to_status:
        transition(request, to_status, field=field)


def _audit(*, actor, request: DisclosureRequest, event: str, **detail) -> None:
    audit_record(actor=actor, action=AuditAction.DISCLOSURE, target=request, detail={"event": event, **detail})


def _locked(request: DisclosureRequest) -> DisclosureRequest:
    """Re-read the request under a row lock (PostgreSQL; a no-op on SQLite)."""
    fresh = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    request.__dict__.update({f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields})
    return request


# --- deadlines ----------------------------------------------------------------------------------


def disclosure_deadline(received_at: datetime) -> datetime:
    """Arrival + the configured number of Swedish working days, keeping the local clock time."""
    days = int(getattr(settings, "UPPSIKT_DISCLOSURE_DEADLINE_WORKDAYS", 1))
    return add_working_days(timezone.localtime(received_at), days)


def disclosure_overdue(queryset: models.QuerySet | None = None, now: datetime | None = None) -> models.QuerySet:
    """Requests whose deadline has passed and that are neither decided nor delivered (nor closed)."""
    qs = DisclosureRequest.objects.all() if queryset is None else queryset
    return qs.filter(status__in=REVIEWABLE, deadline_at__lt=now or timezone.now())


def disclosure_is_overdue(request: DisclosureRequest, now: datetime | None = None) -> bool:
    return (request.status in REVIEWABLE and request.deadline_at is not None
            and request.deadline_at < (now or timezone.now()))


# --- reference numbers ----------------------------------------------------------------------------


def _reference_series() -> Series:
    series = Series.objects.filter(code=REFERENCE_SERIES_CODE).first()
    if series is not None:
        return series
    try:
        with transaction.atomic():
            return Series.objects.create(
                code=REFERENCE_SERIES_CODE, name="Begäranden om allmän handling (referensserie)",
                number_format="BAH-{year}-{number:04d}", active=False,
            )
    except IntegrityError:  # another request created it at the same moment
        return Series.objects.get(code=REFERENCE_SERIES_CODE)


def _allocate_reference(year: int) -> str:
    """The next BAH-<year>-<nnnn>, from the diarium's allocator (gap-free, rollback-safe)."""
    number = number_allocate(series=_reference_series(), year=year, scope=REFERENCE_SCOPE)
    return f"{REFERENCE_SERIES_CODE}-{year}-{number:04d}"


# --- intake ------------------------------------------------------------------------------------------


def _check_document(document: Document) -> None:
    if document.purged_at is not None:
        raise DomainError(f"Handlingen {document.number} är gallrad och kan inte lämnas ut.")


@transaction.atomic
def disclosure_request_create(
    *,
    request_text: str,
    channel_in: str,
    requester_name: str = "",
    requester_contact: str = "",
    documents: Iterable[Document] = (),
    received_at: datetime | None = None,
    actor=None,
) -> DisclosureRequest:
    """Register a request for public documents.

    Anonymous requests are valid: name and contact may be empty and no purpose is asked for
    (TF 2 kap. 18 §). Allocates the reference gap-free, sets the deadline from the arrival time,
    adds one item per document (each document once) and audits the intake. `actor` is None for
    requests from the public.
    """
    request_text = (request_text or "").strip()
    documents = list(dict.fromkeys(documents))
    if not request_text and not documents:
        raise DomainError("Ange vilka handlingar begäran gäller.")
    if channel_in not in DisclosureChannel.values:
        raise DomainError("Okänd kanal för begäran.")
    received_at = received_at or timezone.now()
    for document in documents:
        _check_document(document)
    request = DisclosureRequest.objects.create(
        reference=_allocate_reference(timezone.localtime(received_at).year),
        received_at=received_at,
        channel_in=channel_in,
        requester_name=(requester_name or "").strip(),
        requester_contact=(requester_contact or "").strip(),
        request_text=request_text or "Begärda handlingar: " + ", ".join(d.number for d in documents),
        deadline_at=disclosure_deadline(received_at),
        status=S.RECEIVED,
        handled_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for document in documents:
        DisclosureItem.objects.create(request=request, document=document)
    _audit(actor=actor, request=request, event="received", channel=channel_in,
           anonymous=not request.requester_name, documents=[d.number for d in documents])
    notify_disclosure_received(request=request, actor=actor)
    return request


@transaction.atomic
def disclosure_item_add(*, request: DisclosureRequest, document: Document | None = None, description: str = "",
                        actor) -> DisclosureItem:
    """Add one asked-for document (or, until it is identified, a description) to an open request."""
    _locked(request)
    if request.status not in REVIEWABLE:
        raise TransitionNotAllowed("Begäran är redan prövad: handlingar kan inte läggas till.")
    if document is None and not description.strip():
        raise DomainError("Ange handlingen eller beskriv vad som begärs.")
    if document is not None:
        _check_document(document)
        if request.items.filter(document=document).exists():
            raise DomainError(f"Handlingen {document.number} finns redan i begäran.")
    item = DisclosureItem.objects.create(request=request, document=document, description=description.strip()[:500])
    _audit(actor=actor, request=request, event="item_added", item=item.pk,
           document=document.number if document else None)
    return item


# --- review and decision ---------------------------------------------------------------------------


def _normalise_spans(spans: Sequence, content: str) -> list[list[int]]:
    result: list[list[int]] = []
    for span in spans:
        try:
            start, end = (int(v) for v in span)
        except (TypeError, ValueError) as exc:
            raise DomainError("Ett maskerat avsnitt måste anges som start och slut.") from exc
        result.append([start, end])
    result.sort()
    try:
        apply_masks(content, [tuple(s) for s in result])
    except ValueError as exc:
        raise DomainError(
            f"Ett maskerat avsnitt ligger utanför texten (0–{len(content)}) eller är tomt."
        ) from exc
    return result


@transaction.atomic
def disclosure_review(
    *,
    item: DisclosureItem,
    outcome: str,
    actor,
    legal_ground: LegalGround | None = None,
    mask_spans: Sequence = (),
    note: str = "",
) -> DisclosureItem:
    """Record the secrecy review (sekretessprövning) of one asked-for document.

    release: the document's public parts are released as they are (parts under secrecy stay out).
    release_masked: needs mask spans ([start, end) offsets into the content) and a legal ground.
    refuse: needs a legal ground. The request moves to "in review"; a decided request is not
    re-reviewed (a decision is never edited).
    """
    request = _locked(item.request)
    if request.status not in REVIEWABLE:
        raise TransitionNotAllowed(f"Begäran {request.reference} är redan prövad.")
    if outcome not in {DisclosureOutcome.RELEASE, DisclosureOutcome.RELEASE_MASKED, DisclosureOutcome.REFUSE}:
        raise DomainError("Välj lämnas ut, lämnas ut med maskering eller lämnas inte ut.")
    if item.document_id is None:
        raise DomainError("Ange först vilken handling som begärs.")
    document = item.document
    _check_document(document)
    if outcome in REFUSED_OUTCOMES:
        if legal_ground is None:
            raise DomainError("Ange lagrum (bestämmelse i OSL) för maskering eller avslag.")
        if not legal_ground.active:
            raise DomainError(f"Lagrummet {legal_ground.code} är inte längre aktivt.")
    spans: list[list[int]] = []
    if outcome == DisclosureOutcome.RELEASE_MASKED:
        spans = _normalise_spans(mask_spans, document.content)
        if not spans:
            raise DomainError("Markera minst ett avsnitt som ska maskeras.")
    item.outcome = outcome
    item.legal_ground = legal_ground if outcome in REFUSED_OUTCOMES else None
    item.mask_spans = spans
    item.note = note or ""
    item.reviewed_by = actor
    item.reviewed_at = timezone.now()
    item.save()
    if request.status == S.RECEIVED:
        _move(request, S.IN_REVIEW)
        request.handled_by = request.handled_by or actor
        request.save(update_fields=["status", "handled_by"])
    _audit(actor=actor, request=request, event="reviewed", item=item.pk, document=document.number,
           outcome=outcome, legal_ground=item.legal_ground.code if item.legal_ground else None,
           masked_spans=len(spans))
    return item


def _refused_items(request: DisclosureRequest) -> list[DisclosureItem]:
    return list(request.items.filter(outcome__in=REFUSED_OUTCOMES, document__isnull=False)
                .select_related("document", "legal_ground"))


def _hold_documents(*, request: DisclosureRequest, items: list[DisclosureItem], source: str, actor,
                    reason: str, ends_on=None) -> list[LegalHold]:
    return [
        legal_hold_place(target_type=LegalHoldTarget.DOCUMENT, target_id=item.document_id, reason=reason,
                         actor=actor, ends_on=ends_on, source=source, disclosure_request=request)
        for item in items
    ]


def _release_holds(*, request: DisclosureRequest, actor, reason: str, sources: Iterable[str] | None = None) -> int:
    holds = request.holds.filter(released_at__isnull=True)
    if sources is not None:
        holds = holds.filter(source__in=list(sources))
    count = 0
    for hold in holds:
        legal_hold_release(hold=hold, actor=actor, reason=reason)
        count += 1
    return count


def disclosure_refusal_notice(request: DisclosureRequest) -> str:
    """The text telling the requester that they may ask for the authority's own decision ("" if
    nothing was refused or masked)."""
    refused = _refused_items(request)
    if not refused:
        return ""
    lines = []
    for item in refused:
        how = "lämnas inte ut" if item.outcome == DisclosureOutcome.REFUSE else "lämnas ut med maskering"
        lines.append(f"{item.document.number} {how} med stöd av {item.legal_ground.code} ({item.legal_ground.title}).")
    return (
        "Delar av det du begärt lämnas inte ut. " + " ".join(lines) + " "
        f"Om du inte är nöjd kan du begära att {settings.UPPSIKT_ORGANISATION_NAME} prövar frågan och fattar ett "
        "skriftligt beslut. Det beslutet kan du sedan överklaga till kammarrätten. "
        f"Ange referensen {request.reference} när du hör av dig."
    )


@transaction.atomic
def disclosure_decide(*, request: DisclosureRequest, actor) -> DisclosureRequest:
    """Close the review: every asked-for document reviewed → decided.

    When anything is refused or masked, each such document is put on hold against purging
    (source "disclosure_refusal") until the refusal is final, and the requester is to be told
    they may ask for the authority's own decision (`disclosure_refusal_notice`).
    """
    _locked(request)
    items = list(request.items.all())
    if not items:
        raise DomainError("Begäran saknar handlingar att pröva.")
    if any(i.outcome == DisclosureOutcome.PENDING for i in items):
        raise DomainError("Alla begärda handlingar måste vara prövade innan begäran kan avgöras.")
    _move(request, S.DECIDED)
    request.decided_at = timezone.now()
    request.handled_by = request.handled_by or actor
    request.save(update_fields=["status", "decided_at", "handled_by"])
    refused = _refused_items(request)
    _hold_documents(request=request, items=refused, source=LegalHoldSource.DISCLOSURE_REFUSAL, actor=actor,
                    reason=f"Avslag/maskering i begäran {request.reference} kan prövas och överklagas "
                           "(JO 3434-2016).")
    _audit(actor=actor, request=request, event="decided",
           outcomes={i.document.number if i.document_id else str(i.pk): i.outcome for i in items},
           holds=len(refused))
    return request


APPEAL_NOTICE = (
    "Hur man överklagar: Beslutet kan överklagas hos kammarrätten. Överklagandet ska ges in till {org}, "
    "inte till kammarrätten, och ska ha kommit in inom tre veckor från den dag då du fick del av beslutet "
    "(förvaltningslagen 44 §, TF 6 kap. 7 §). Skriv vilket beslut du överklagar (referens {reference}), "
    "vilken ändring du vill ha och varför. Om överklagandet kommit in i rätt tid skickar {org} det vidare "
    "till kammarrätten, om inte beslutet ändras som du begärt."
)


def disclosure_appeal_window_end(letter: DisclosureDecisionLetter):
    """The last day an appeal can be on time: the decision date + three weeks + a week's margin."""
    return timezone.localtime(letter.created_at).date() + timedelta(weeks=APPEAL_WEEKS, days=APPEAL_MARGIN_DAYS)


def _decision_letter(request: DisclosureRequest) -> DisclosureDecisionLetter | None:
    return request.letters.filter(kind=LetterKind.REFUSAL_DECISION).order_by("-created_at", "-id").first()


@transaction.atomic
def disclosure_authority_decision(*, request: DisclosureRequest, actor) -> DisclosureDecisionLetter:
    """The authority's own, appealable decision on what was refused or masked, as a PDF letter.

    The letter names each document refused (wholly or in part), its legal ground (OSL provision
    code and title) and how to appeal. Stored with its SHA-256; the refusal holds now run until
    the appeal window ends (`disclosure_appeal_window_end`). One decision per request: it is
    never regenerated or edited.
    """
    _locked(request)
    if request.status not in {S.DECIDED, S.DELIVERED}:
        raise TransitionNotAllowed("Myndighetens beslut kan fattas först när begäran är prövad.")
    if _decision_letter(request) is not None:
        raise DomainError("Myndighetens beslut är redan fattat i denna begäran.")
    refused = _refused_items(request)
    if not refused:
        raise DomainError("Inget har avslagits eller maskerats: det finns inget beslut att fatta.")
    org = settings.UPPSIKT_ORGANISATION_NAME
    today = timezone.localdate()
    received = timezone.localtime(request.received_at).date().isoformat()
    paragraphs = [
        f"Du begärde den {received} att få ta del av allmänna handlingar (referens {request.reference}) och har "
        f"begärt att {org} prövar frågan genom ett skriftligt beslut.",
        f"Beslut: {org} avslår begäran i följande delar.",
    ]
    for item in refused:
        part = ("Handlingen lämnas inte ut." if item.outcome == DisclosureOutcome.REFUSE
                else f"Handlingen lämnas ut med {len(item.mask_spans)} maskerade avsnitt; de maskerade uppgifterna "
                     "lämnas inte ut.")
        paragraphs.append(
            f"{item.document.number}: {part} Skäl: uppgifterna omfattas av sekretess enligt "
            f"{item.legal_ground.code} ({item.legal_ground.title})."
        )
    paragraphs.append(APPEAL_NOTICE.format(org=org, reference=request.reference))
    recipient = "\n".join(p for p in (request.requester_name, request.requester_contact) if p) or None
    signer = (actor.get_full_name() or actor.get_username()) if actor is not None else org
    pdf = render_letter_pdf(
        sender_org=org, recipient=recipient, date=today, reference=request.reference,
        heading="Beslut om avslag på begäran att ta del av allmän handling",
        paragraphs=paragraphs, signature=f"{signer}\nRegistrator, {org}",
    )
    letter = DisclosureDecisionLetter(request=request, kind=LetterKind.REFUSAL_DECISION, created_by=actor,
                                      created_at=timezone.now(), sha256=hashlib.sha256(pdf).hexdigest())
    letter.pdf.save(f"{request.reference}-beslut.pdf", ContentFile(pdf), save=False)
    letter.save()
    request.wants_authority_decision = True
    request.save(update_fields=["wants_authority_decision"])
    window_end = disclosure_appeal_window_end(letter)
    for hold in request.holds.filter(released_at__isnull=True, source=LegalHoldSource.DISCLOSURE_REFUSAL):
        hold.ends_on = window_end  # save() per row so the hold's history shows the new end
        hold.save(update_fields=["ends_on"])
    existing = set(request.holds.filter(released_at__isnull=True).values_list("target_id", flat=True))
    _hold_documents(request=request, items=[i for i in refused if str(i.document_id) not in existing],
                    source=LegalHoldSource.DISCLOSURE_REFUSAL, actor=actor, ends_on=window_end,
                    reason=f"Beslut i begäran {request.reference} kan överklagas (JO 3434-2016).")
    _audit(actor=actor, request=request, event="authority_decision", letter=letter.pk, sha256=letter.sha256,
           documents=[i.document.number for i in refused], appeal_window_end=window_end.isoformat())
    return letter


@transaction.atomic
def disclosure_appeal_register(*, request: DisclosureRequest, received_at: datetime, actor) -> DisclosureRequest:
    """Register an appeal (överklagande) against the authority's decision.

    The refused documents are held (source "appeal", no end date) until the appeal is closed;
    the refusal holds give way to them. An appeal that came in after the window is still
    registered (the authority then rules on whether it is late, FL 45 §); the audit notes it.
    """
    _locked(request)
    letter = _decision_letter(request)
    if letter is None:
        raise DomainError("Det finns inget beslut att överklaga: fatta först myndighetens beslut.")
    if request.appeal_status == AppealStatus.PENDING:
        raise DomainError("Ett överklagande är redan registrerat och väntar på domstolen.")
    late = timezone.localtime(received_at).date() > (
        timezone.localtime(letter.created_at).date() + timedelta(weeks=APPEAL_WEEKS, days=APPEAL_MARGIN_DAYS))
    request.appeal_received_at = received_at
    _move(request, AppealStatus.PENDING, field="appeal_status")
    request.save(update_fields=["appeal_received_at", "appeal_status"])
    _release_holds(request=request, actor=actor, sources=[LegalHoldSource.DISCLOSURE_REFUSAL],
                   reason="Ersatt av spärr för överklagande.")
    _hold_documents(request=request, items=_refused_items(request), source=LegalHoldSource.APPEAL, actor=actor,
                    reason=f"Överklagat beslut i begäran {request.reference} (JO 3434-2016).")
    _audit(actor=actor, request=request, event="appeal_registered", late=late)
    return request


@transaction.atomic
def disclosure_appeal_close(*, request: DisclosureRequest, outcome: str, actor) -> DisclosureRequest:
    """Record the court's ruling: "upheld" (the refusal stands; the request is closed) or
    "overturned" (the refused and masked documents go back to review so the registrar can
    release them as the court ruled). Either way the ruling is final and the holds are released."""
    _locked(request)
    if request.appeal_status != AppealStatus.PENDING:
        raise DomainError("Det finns inget överklagande som väntar på avgörande.")
    if outcome not in {AppealStatus.UPHELD, AppealStatus.OVERTURNED}:
        raise DomainError("Ange om beslutet står fast eller har ändrats.")
    _move(request, outcome, field="appeal_status")
    released = _release_holds(request=request, actor=actor, reason="Överklagandet är avgjort.")
    if outcome == AppealStatus.UPHELD:
        _move(request, S.CLOSED)
    else:
        _move(request, S.IN_REVIEW)
        request.items.filter(outcome__in=REFUSED_OUTCOMES).update(outcome=DisclosureOutcome.PENDING)
    request.save(update_fields=["appeal_status", "status"])
    _audit(actor=actor, request=request, event="appeal_closed", outcome=outcome, holds_released=released)
    return request


@transaction.atomic
def disclosure_close(*, request: DisclosureRequest, actor) -> DisclosureRequest:
    """Close a handled request. Refused while an appeal is pending or the appeal window is open;
    otherwise the refusal is final and its holds are released."""
    _locked(request)
    if request.appeal_status == AppealStatus.PENDING:
        raise DomainError("Ett överklagande väntar på avgörande: begäran kan inte avslutas.")
    letter = _decision_letter(request)
    if letter is not None and timezone.localdate() <= disclosure_appeal_window_end(letter):
        raise DomainError("Tiden för överklagande har inte gått ut: begäran kan inte avslutas än.")
    if request.status in REVIEWABLE and request.items.exclude(outcome=DisclosureOutcome.PENDING).exists():
        raise DomainError("Begäran är under prövning: avgör den först.")
    _move(request, S.CLOSED)
    request.save(update_fields=["status"])
    released = _release_holds(request=request, actor=actor, reason="Avslaget har vunnit laga kraft.")
    _audit(actor=actor, request=request, event="closed", holds_released=released)
    return request


# --- delivery ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveredDocument:
    """What one released copy contains: only public parts, masked spans removed."""

    number: str
    outcome: str
    legal_ground: str | None
    meta: list[tuple[str, str]]
    text: str
    masked_spans: int
    withheld_parts: list[str]

    @property
    def filename(self) -> str:
        return re.sub(r"[^A-Za-z0-9.-]+", "_", self.number).strip("_") or "handling"


def _released_copy(item: DisclosureItem) -> DeliveredDocument:
    document = item.document
    secret = document.secret_parts()
    withheld: list[str] = []
    if "sender" in secret:
        sender = SECRET_OMITTED
        withheld.append("sender")
    else:
        sender = document.sender or "—"
    if "description" in secret:
        description = document.public_description or SECRET_OMITTED
        withheld.append("description")
    else:
        description = document.description
    if item.outcome == DisclosureOutcome.RELEASE_MASKED:
        # The explicit release of the content, with the masked spans removed (not covered).
        text = apply_masks(document.content, [tuple(s) for s in item.mask_spans])
    elif "content" in secret:
        text = "Innehållet omfattas av sekretess och lämnas inte ut."
        withheld.append("content")
    else:
        text = document.content
    meta = [
        ("Diarienummer", document.number),
        ("Ärende", document.case.number),
        ("Inkom/upprättad", document.date.isoformat()),
        ("Riktning", document.get_direction_display()),
        ("Avsändare/mottagare", sender),
        ("Beskrivning", description),
        ("Utlämnande", item.get_outcome_display()),
    ]
    if item.legal_ground_id:
        meta.append(("Lagrum för maskering", f"{item.legal_ground.code} ({item.legal_ground.title})"))
    return DeliveredDocument(
        number=document.number, outcome=item.outcome,
        legal_ground=item.legal_ground.code if item.legal_ground_id else None,
        meta=meta, text=str(text), masked_spans=len(item.mask_spans or []), withheld_parts=withheld,
    )


def disclosure_delivery_documents(request: DisclosureRequest) -> list[DeliveredDocument]:
    """The released copies of a request (no writes; also the workbench's preview)."""
    items = (request.items.filter(outcome__in=[DisclosureOutcome.RELEASE, DisclosureOutcome.RELEASE_MASKED],
                                  document__isnull=False)
             .select_related("document__case", "legal_ground").order_by("id"))
    return [_released_copy(item) for item in items]


def _document_pdf(request: DisclosureRequest, doc: DeliveredDocument) -> bytes:
    org = settings.UPPSIKT_ORGANISATION_NAME
    return render_text_pdf(title=f"Handling {doc.number}", meta=doc.meta, body=doc.text or "—",
                           footer=f"{org} · utlämnad kopia · {request.reference}",
                           created=timezone.localdate())


def _cover_pdf(request: DisclosureRequest, docs: list[DeliveredDocument], actor) -> bytes:
    org = settings.UPPSIKT_ORGANISATION_NAME
    paragraphs = [f"Här är kopior av de allmänna handlingar du begärt (referens {request.reference})."]
    paragraphs += [f"{d.number}: {dict(DisclosureOutcome.choices)[d.outcome]}"
                   + (f" ({d.masked_spans} maskerade avsnitt, {d.legal_ground})" if d.masked_spans else "")
                   for d in docs]
    notice = disclosure_refusal_notice(request)
    if notice:
        paragraphs.append(notice)
    signer = (actor.get_full_name() or actor.get_username()) if actor is not None else org
    return render_letter_pdf(
        sender_org=org, recipient="\n".join(p for p in (request.requester_name, request.requester_contact) if p)
        or None, date=timezone.localdate(), reference=request.reference,
        heading="Utlämnande av allmänna handlingar", paragraphs=paragraphs, signature=f"{signer}\n{org}",
    )


def _zip(request: DisclosureRequest, docs: list[DeliveredDocument]) -> bytes:
    buffer = io.BytesIO()
    stamp = timezone.localtime().timetuple()[:6]
    entries = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for doc in docs:
            pdf = _document_pdf(request, doc)
            archive.writestr(zipfile.ZipInfo(f"{doc.filename}.pdf", stamp), pdf)
            archive.writestr(zipfile.ZipInfo(f"{doc.filename}.txt", stamp), doc.text.encode("utf-8"))
            entries.append({
                "number": doc.number, "outcome": doc.outcome, "legal_ground": doc.legal_ground,
                "masked_spans": doc.masked_spans, "withheld_parts": doc.withheld_parts,
                "pdf": f"{doc.filename}.pdf", "text": f"{doc.filename}.txt",
                "sha256": hashlib.sha256(pdf).hexdigest(),
                "metadata": dict(doc.meta),
            })
        metadata = {
            "reference": request.reference,
            "organisation": settings.UPPSIKT_ORGANISATION_NAME,
            "received_at": request.received_at.isoformat(),
            "delivered_at": timezone.now().isoformat(),
            "documents": entries,
            "not_released": [
                {"number": i.document.number, "outcome": i.outcome,
                 "legal_ground": i.legal_ground.code if i.legal_ground_id else None}
                for i in request.items.filter(outcome=DisclosureOutcome.REFUSE, document__isnull=False)
                .select_related("document", "legal_ground")
            ],
            "notice": disclosure_refusal_notice(request),
        }
        archive.writestr(zipfile.ZipInfo("metadata.json", stamp),
                         json.dumps(metadata, ensure_ascii=False, indent=2).encode("utf-8"))
    return buffer.getvalue()


@transaction.atomic
def disclosure_deliver(*, request: DisclosureRequest, actor, format: str = "pdf") -> bytes:  # noqa: A002
    """The released copies, as one PDF (a cover letter, then each document) or as a ZIP (one PDF
    and one UTF-8 text per document, plus metadata.json with reference, outcomes, legal grounds,
    masked span counts and each PDF's SHA-256). Marks the request delivered (first time) and
    audits every delivery. Secret parts not explicitly released are never included."""
    _locked(request)
    if format not in {"pdf", "zip"}:
        raise DomainError("Välj PDF eller ZIP.")
    if request.status not in {S.DECIDED, S.DELIVERED}:
        raise TransitionNotAllowed("Begäran måste vara prövad innan handlingar lämnas ut.")
    docs = disclosure_delivery_documents(request)
    if not docs:
        raise DomainError("Inga handlingar lämnas ut i denna begäran.")
    if format == "zip":
        data = _zip(request, docs)
    else:
        from pypdf import PdfWriter

        writer = PdfWriter()
        for part in [_cover_pdf(request, docs, actor)] + [_document_pdf(request, d) for d in docs]:
            writer.append(io.BytesIO(part))
        writer.add_metadata({"/Title": f"Utlämnade handlingar {request.reference}", "/Producer": "Uppsikt"})
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    if request.status != S.DELIVERED:
        _move(request, S.DELIVERED)
        request.delivered_at = timezone.now()
        request.save(update_fields=["status", "delivered_at"])
    _audit(actor=actor, request=request, event="delivered", format=format,
           documents=[d.number for d in docs], masked_spans=sum(d.masked_spans for d in docs),
           sha256=hashlib.sha256(data).hexdigest())
    return data
