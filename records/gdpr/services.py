"""Data-subject requests (GDPR): intake, search, register extract (art. 15), erasure (art. 17).

The search looks everywhere personal data is kept: moderation's items, authors and reports (and
their history) through `records.registry.subject_searches()`, and records' own documents,
disclosure requests and their history here. Identifiers are normalised (phone numbers and
personnummer as digits, 10- and 12-digit forms). Hits store only a non-personal label.

Erasure is approved by another archivist than the handler (also a database constraint). Hits in
registered documents are refused under art. 17.3 b (public records, arkivlagen) in a generated
letter; hits under a legal hold are refused while the hold lasts; everything else is scrubbed
and tombstoned exactly as in a purge. Every step is audited as "data_subject", without the
subject's data in the log.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import AuditAction
from accounts.services import audit_record
from records import registry
from records.gdpr.notifications import notify_subject_request_received
from records.models import (
    DisclosureDecisionLetter,
    DisclosureRequest,
    Document,
    HitOutcome,
    LetterKind,
    RetentionAction,
    RetentionClass,
    SubjectRequest,
    SubjectRequestHit,
    SubjectRequestKind,
    SubjectRequestStatus,
    TombstoneReason,
)
from records.workdays import add_months
from records.workflow import assert_action, assert_transition, transition

__all__ = [
    "OTHER_PERSON",
    "digits",
    "identifier_matches",
    "mask_third_parties",
    "number_variants",
    "subject_query",
    "subject_request_approve_erasure",
    "subject_request_create",
    "subject_request_extract",
    "subject_request_propose_erasure",
    "subject_request_search",
]

OTHER_PERSON = "[annan person]"

LEGAL_GROUND_PUBLIC = (
    "Allmän handling (tryckfrihetsförordningen 2 kap.) som ska bevaras eller gallras enligt arkivlagen "
    "(1990:782) och kommunens informationshanteringsplan; behandlingen är nödvändig för en uppgift av "
    "allmänt intresse och som ett led i myndighetsutövning (GDPR art. 6.1 e)."
)
LEGAL_GROUND_REGISTERED = (
    "Diarieförd allmän handling (offentlighets- och sekretesslagen 5 kap. 1 §, arkivlagen (1990:782)); "
    "GDPR art. 6.1 e."
)


# --- identifiers --------------------------------------------------------------------------------


def digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def number_variants(kind: str, value: str) -> list[str]:
    """Digit strings to look for: a phone number with and without +46/0; a personnummer in its
    10- and 12-digit forms (the 10-digit form also matches inside the 12-digit one)."""
    d = digits(value)
    if not d:
        return []
    if kind == "personnummer":
        if len(d) == 12:
            return [d, d[2:]]
        return [d]
    if kind == "phone":
        national = "0" + d[2:] if d.startswith("46") else d
        national = "0" + d[4:] if d.startswith("0046") else national
        variants = {national}
        if national.startswith("0"):
            variants.add("46" + national[1:])
        return sorted(variants, key=len, reverse=True)
    return [d]


def subject_query(identifiers: dict) -> registry.SubjectQuery:
    return registry.SubjectQuery(**{k: str(identifiers.get(k, "") or "").strip()
                                    for k in SubjectRequest.IDENTIFIER_KEYS})


def identifier_matches(text: str, query: registry.SubjectQuery) -> list[str]:
    """What in `text` matches the subject: name, e-mail, phone or personnummer (as digits)."""
    if not text:
        return []
    found = []
    low = text.casefold()
    if query.name and query.name.casefold() in low:
        found.append("namn i texten")
    if query.email and query.email.casefold() in low:
        found.append("e-post i texten")
    if query.platform_account and len(query.platform_account) >= 3 and query.platform_account.casefold() in low:
        found.append("kontonamn i texten")
    text_digits = None
    for kind, label in (("phone", "telefonnummer i texten"), ("personnummer", "personnummer i texten")):
        value = getattr(query, kind)
        if not value:
            continue
        text_digits = digits(text) if text_digits is None else text_digits
        if any(v and v in text_digits for v in number_variants(kind, value)):
            found.append(label)
    return found


def candidate_q(fields: Iterable[str], query: registry.SubjectQuery) -> Q:
    """A coarse database filter over text fields (exact checks follow in Python): the name, the
    e-mail, the account, and the last four digits of a phone number or personnummer."""
    q = Q(pk__in=[])
    terms = [t for t in (query.name, query.email) if t]
    if query.platform_account and len(query.platform_account) >= 3:
        terms.append(query.platform_account)
    for kind in ("phone", "personnummer"):
        d = digits(getattr(query, kind))
        if len(d) >= 4:
            terms.append(d[-4:])
    for f in fields:
        for term in terms:
            q |= Q(**{f"{f}__icontains": term})
    return q


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NUMBER = re.compile(r"(?:\+?\d[\d \-]{6,}\d)")


def mask_third_parties(text: str, query: registry.SubjectQuery, other_names: Iterable[str] = ()) -> str:
    """Mask other people's personal data in a text shown to the subject: e-mail addresses, phone
    numbers and personnummer that are not the subject's, and the names of other people known to
    be in the context (e.g. other authors in the thread) → "[annan person]"."""
    if not text:
        return ""
    own_email = query.email.casefold()
    own_digits = set(number_variants("phone", query.phone)) | set(number_variants("personnummer", query.personnummer))

    def email(m):
        return m.group(0) if own_email and m.group(0).casefold() == own_email else OTHER_PERSON

    def number(m):
        d = digits(m.group(0))
        if any(v and (v in d or d in v) for v in own_digits) and len(d) >= 7:
            return m.group(0)
        return OTHER_PERSON

    result = _EMAIL.sub(email, text)
    result = _NUMBER.sub(number, result)
    own_name = query.name.casefold()
    for name in sorted({n for n in other_names if n and len(n) >= 2}, key=len, reverse=True):
        if own_name and name.casefold() == own_name:
            continue
        result = re.sub(re.escape(name), OTHER_PERSON, result, flags=re.IGNORECASE)
    return result


# --- records' own searches ------------------------------------------------------------------------


def _hold_until(target_type: str, target_id) -> date | None:
    from records.retention.services.holds import hold_end

    return hold_end(target_type, target_id)


def _search_documents(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    hits = {}
    fields = ["sender", "description", "content"]
    qs = Document.objects.filter(purged_at__isnull=True).filter(candidate_q(fields, query))
    for doc in qs.select_related("case", "retention_class"):
        why = []
        if query.name and query.name.casefold() in doc.sender.casefold():
            why.append("avsändare")
        why += identifier_matches(f"{doc.sender}\n{doc.description}\n{doc.content}", query)
        if why:
            hits[str(doc.pk)] = registry.SubjectHit(
                type="records.document", id=str(doc.pk), label=doc.number, why=", ".join(dict.fromkeys(why)),
                registered=True, held_until=_hold_until("records.document", doc.pk),
                extra={"text": doc.content, "date": doc.date, "other_names": [],
                       "class": doc.retention_class, "due": doc.retention_due},
            )
    # History: earlier versions may still name the subject (a corrected sender, description).
    hist = Document.history.model.objects.filter(candidate_q(["sender", "description"], query))
    for row in hist.exclude(id__in=[int(k) for k in hits]).filter(purged_at__isnull=True):
        if identifier_matches(f"{row.sender}\n{row.description}", query) and str(row.id) not in hits:
            hits[str(row.id)] = registry.SubjectHit(
                type="records.document", id=str(row.id), label=row.number, why="historik (tidigare version)",
                registered=True, held_until=_hold_until("records.document", row.id),
                extra={"text": "", "date": row.date, "other_names": []},
            )
    return list(hits.values())


def _search_disclosure(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    hits = {}
    fields = ["requester_name", "requester_contact", "request_text"]
    for r in DisclosureRequest.objects.filter(purged_at__isnull=True).filter(candidate_q(fields, query)):
        why = identifier_matches(f"{r.requester_name}\n{r.requester_contact}\n{r.request_text}", query)
        if why:
            hits[str(r.pk)] = registry.SubjectHit(
                type="records.disclosurerequest", id=str(r.pk), label=r.reference, why=", ".join(why),
                extra={"text": r.request_text, "date": r.received_at, "other_names": [],
                       "class": r.retention_class, "due": r.retention_due},
            )
    hist = DisclosureRequest.history.model.objects.filter(candidate_q(fields, query), purged_at__isnull=True)
    for row in hist.exclude(id__in=[int(k) for k in hits]):
        if str(row.id) not in hits and identifier_matches(
                f"{row.requester_name}\n{row.requester_contact}\n{row.request_text}", query):
            hits[str(row.id)] = registry.SubjectHit(
                type="records.disclosurerequest", id=str(row.id), label=row.reference,
                why="historik (tidigare version)", extra={"text": "", "date": row.received_at, "other_names": []},
            )
    return list(hits.values())


RECORDS_SEARCHES = [
    registry.SubjectSearch(type="records.document", label="Diarieförda handlingar", search=_search_documents),
    registry.SubjectSearch(type="records.disclosurerequest", label="Begäranden om allmän handling",
                           search=_search_disclosure),
]


def all_searches() -> list[registry.SubjectSearch]:
    found = {s.type: s for s in RECORDS_SEARCHES}
    for s in registry.subject_searches():
        found[s.type] = s
    return list(found.values())


def run_search(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    if query.is_empty():
        return []
    seen: dict[tuple[str, str], registry.SubjectHit] = {}
    for search in all_searches():
        for hit in search.search(query):
            key = (hit.type, str(hit.id))
            if key in seen:
                old = seen[key]
                if hit.why not in old.why:
                    seen[key] = registry.SubjectHit(**{**old.__dict__, "why": f"{old.why}, {hit.why}"[:200]})
            else:
                seen[key] = hit
    return list(seen.values())


# --- services --------------------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    prefix = f"DSR-{year}-"
    last = SubjectRequest.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))["m"]
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:03d}"


@transaction.atomic
def subject_request_create(*, kind: str, requester_name: str, requester_contact: str, identifiers: dict, actor,
                           received_at: datetime | None = None) -> SubjectRequest:
    """Register a data subject's request; the deadline is one month from arrival (art. 12.3)."""
    if kind not in SubjectRequestKind.values:
        raise DomainError("Okänt slag av begäran.")
    clean = {k: str(v).strip() for k, v in (identifiers or {}).items() if k in SubjectRequest.IDENTIFIER_KEYS and v}
    if not clean:
        raise DomainError("Ange minst en uppgift att söka på (konto, namn, e-post, telefon eller personnummer).")
    received_at = received_at or timezone.now()
    received_day = timezone.localdate(received_at) if timezone.is_aware(received_at) else received_at.date()
    request = SubjectRequest.objects.create(
        reference=_next_reference(received_day.year), kind=kind, received_at=received_at,
        deadline=add_months(received_day, 1), requester_name=requester_name.strip(),
        requester_contact=requester_contact.strip(), identifiers=clean,
        handled_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    from records.retention.services.plan import retention_assign

    retention_assign(target_type="records.subjectrequest", objects=[request])
    audit_record(actor=actor, action=AuditAction.DATA_SUBJECT, target=request,
                 detail={"event": "created", "kind": kind, "identifier_kinds": sorted(clean)})
    notify_subject_request_received(request=request, actor=actor)
    return request


@transaction.atomic
def subject_request_search(*, request: SubjectRequest, actor) -> list[SubjectRequestHit]:
    """Search every place personal data is kept; replaces the request's undecided hits."""
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    if request.purged_at:
        raise DomainError("Begäran är gallrad.")
    found = run_search(subject_query(request.identifiers))
    decided = set(request.hits.exclude(outcome=HitOutcome.PENDING).values_list("target_type", "target_id"))
    request.hits.filter(outcome=HitOutcome.PENDING).delete()
    rows = [
        SubjectRequestHit(
            request=request, target_type=h.type, target_id=str(h.id), label=h.label[:200], why=h.why[:200],
            registered=h.registered, held=h.held_until is not None,
            held_until=None if h.held_until in (None, date.max) else h.held_until,
        )
        for h in found if (h.type, str(h.id)) not in decided
    ]
    SubjectRequestHit.objects.bulk_create(rows)
    if request.status == SubjectRequestStatus.RECEIVED:
        transition(request, SubjectRequestStatus.SEARCHING)
        request.save()
    audit_record(actor=actor, action=AuditAction.DATA_SUBJECT, target=request,
                 detail={"event": "searched", "hits": len(found)})
    return list(request.hits.all())


def _type_label(target_type: str) -> str:
    labels = {s.type: s.label for s in all_searches()}
    labels.update({"moderation.item": "Inlägg/kommentar", "moderation.author": "Kontouppgifter (avsändare)",
                   "moderation.publicreport": "Anmälan", "records.document": "Diarieförd handling",
                   "records.disclosurerequest": "Begäran om allmän handling"})
    return labels.get(target_type, target_type)


def _extract_entries(request: SubjectRequest) -> list[dict]:
    query = subject_query(request.identifiers)
    classes = {c.code: c for c in RetentionClass.objects.all()}
    entries = []
    for hit in sorted(run_search(query), key=lambda h: (h.type, h.label)):
        extra = hit.extra or {}
        cls = extra.get("class")
        if isinstance(cls, str):
            cls = classes.get(cls)
        due = extra.get("due")
        if cls is None:
            how_long = "Enligt informationshanteringsplanen (klass ej bestämd ännu)."
        elif cls.action == RetentionAction.KEEP:
            how_long = f"Bevaras (klass {cls.code}, arkivlagen)."
        elif due:
            how_long = f"Gallras tidigast {due.isoformat()} (klass {cls.code})."
        else:
            how_long = f"Gallras när uppgiften inte längre behövs (klass {cls.code})."
        when = extra.get("date")
        if isinstance(when, datetime):
            when = timezone.localdate(when) if timezone.is_aware(when) else when.date()
        entries.append({
            "type": hit.type, "what": _type_label(hit.type), "reference": hit.label, "matched_on": hit.why,
            "date": when.isoformat() if when else None,
            "retention_class": cls.code if cls else None,
            "retention_class_name": cls.name if cls else None,
            "legal_ground": LEGAL_GROUND_REGISTERED if hit.registered else LEGAL_GROUND_PUBLIC,
            "how_long": how_long,
            "legal_hold": hit.held_until is not None,
            "content": mask_third_parties(str(extra.get("text") or ""), query, extra.get("other_names") or []),
        })
    return entries


@transaction.atomic
def subject_request_extract(*, request: SubjectRequest, actor, format: str = "pdf") -> bytes:
    """The register extract (registerutdrag, art. 15): what is held about the subject, why (class
    and legal ground), for how long, with other people's personal data masked. The PDF is kept as
    a letter (kind gdpr_access) with its SHA-256; JSON is returned only. Audited."""
    if format not in ("pdf", "json"):
        raise DomainError("Formatet måste vara pdf eller json.")
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    if request.purged_at:
        raise DomainError("Begäran är gallrad.")
    entries = _extract_entries(request)
    org = settings.UPPSIKT_ORGANISATION_NAME
    if format == "json":
        data = json.dumps({
            "controller": org, "reference": request.reference, "created": timezone.localdate().isoformat(),
            "subject": request.requester_name, "purposes": "Moderering av kommunens konton i sociala medier och "
                                                          "hantering av allmänna handlingar.",
            "entries": entries,
        }, ensure_ascii=False, indent=2).encode("utf-8")
    else:
        from records.pdf import render_letter_pdf

        paragraphs = [
            f"Du har begärt ett registerutdrag enligt artikel 15 i dataskyddsförordningen. Här är de uppgifter om "
            f"dig som {org} behandlar i Uppsikt (kommunens system för moderering av sociala medier). Andra "
            f"personers uppgifter är maskerade som {OTHER_PERSON}.",
            f"Antal träffar: {len(entries)}.",
        ]
        for n, e in enumerate(entries, start=1):
            paragraphs.append(
                f"{n}. {e['what']} {e['reference']}"
                + (f", {e['date']}" if e["date"] else "")
                + f"\nTräff på: {e['matched_on']}\nVarför: {e['legal_ground']}"
                + (f" Gallringsklass {e['retention_class']} ({e['retention_class_name']})."
                   if e["retention_class"] else "")
                + f"\nHur länge: {e['how_long']}"
                + ("\nSpärrad mot gallring." if e["legal_hold"] else "")
                + (f"\nInnehåll: {e['content']}" if e["content"] else "")
            )
        paragraphs.append("Du har rätt att begära rättelse, radering eller begränsning och att klaga hos "
                          "Integritetsskyddsmyndigheten (IMY).")
        data = render_letter_pdf(
            sender_org=org, recipient=request.requester_name or None, date=timezone.localdate(),
            reference=request.reference, heading="Registerutdrag enligt dataskyddsförordningen (art. 15)",
            paragraphs=paragraphs, signature="Arkivarie\n" + org,
        )
        _store_letter(request, LetterKind.GDPR_ACCESS, data, actor)
        request.answered_at = request.answered_at or timezone.now()
        if request.status in (SubjectRequestStatus.RECEIVED, SubjectRequestStatus.SEARCHING):
            transition(request, SubjectRequestStatus.ANSWERED)
        request.save()
        from records.retention.services.plan import retention_assign

        retention_assign(target_type="records.subjectrequest", objects=[request])
    audit_record(actor=actor, action=AuditAction.DATA_SUBJECT, target=request,
                 detail={"event": "extract", "format": format, "entries": len(entries)})
    return data


def _store_letter(request: SubjectRequest, kind: str, data: bytes, actor) -> DisclosureDecisionLetter:
    letter = DisclosureDecisionLetter(
        subject_request=request, kind=kind, sha256=hashlib.sha256(data).hexdigest(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    letter.pdf.save(f"{request.reference}-{kind}.pdf", ContentFile(data), save=False)
    letter.save()
    return letter


@transaction.atomic
def subject_request_propose_erasure(*, request: SubjectRequest, hits: Iterable, actor) -> SubjectRequest:
    """The handler selects the hits to erase; another archivist approves."""
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    if not request.wants_erasure:
        raise DomainError("Begäran gäller inte radering.")
    if request.status in (SubjectRequestStatus.ERASURE_APPROVED, SubjectRequestStatus.CLOSED):
        raise DomainError("Raderingen är redan avgjord.")
    assert_transition(request, SubjectRequestStatus.ERASURE_PROPOSED)
    ids = {int(getattr(h, "pk", h)) for h in hits}
    if not ids:
        raise DomainError("Välj minst en träff att radera.")
    if request.hits.filter(pk__in=ids).count() != len(ids):
        raise DomainError("En vald träff hör inte till begäran.")
    request.hits.update(selected_for_erasure=False)
    request.hits.filter(pk__in=ids).update(selected_for_erasure=True)
    if request.handled_by_id is None and getattr(actor, "is_authenticated", False):
        request.handled_by = actor
    transition(request, SubjectRequestStatus.ERASURE_PROPOSED)
    request.save()
    audit_record(actor=actor, action=AuditAction.DATA_SUBJECT, target=request,
                 detail={"event": "erasure_proposed", "hits": len(ids)})
    return request


@transaction.atomic
def subject_request_approve_erasure(*, request: SubjectRequest, actor) -> SubjectRequest:
    """Another archivist than the handler approves: erases (scrubs + tombstones) every selected hit
    that is neither registered nor on hold; refuses registered ones (art. 17.3 b, arkivlagen) in a
    generated letter, and held ones while the hold lasts."""
    from records.retention.journal import erasure_journal_record
    from records.retention.services.holds import is_on_hold
    from records.retention.services.purge import scrub_targets

    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != SubjectRequestStatus.ERASURE_PROPOSED:
        raise DomainError("Det finns inget förslag till radering att godkänna.")
    assert_action(request, "approve_erasure", actor)
    at = timezone.now()
    context = registry.ScrubContext(reason="erasure", actor=actor, subject_request_id=request.pk, at=at)
    refused_registered = []
    erase: dict[str, list[SubjectRequestHit]] = {}
    for hit in request.hits.filter(selected_for_erasure=True, outcome=HitOutcome.PENDING):
        if hit.registered:
            hit.outcome = HitOutcome.REFUSED_REGISTERED
            refused_registered.append(hit)
        elif is_on_hold(hit.target_type, hit.target_id):
            hit.outcome = HitOutcome.REFUSED_HOLD
        else:
            erase.setdefault(hit.target_type, []).append(hit)
            continue
        hit.save()
    from records.retention.services.plan import target_for

    for target_type, hits in erase.items():
        target = target_for(target_type)
        model = target.queryset().model
        class_attr = model._meta.get_field(target.class_field).attname
        codes = {}
        rows = model._default_manager.filter(pk__in=[h.target_id for h in hits]).values_list("pk", class_attr)
        for pk, value in rows:
            code = value if isinstance(value, str) else (RetentionClass.objects.filter(pk=value).values_list(
                "code", flat=True).first() if value else "")
            codes[str(pk)] = code or ""
        scrub_targets(target_type=target_type, ids=[h.target_id for h in hits], context=context,
                      labels={h.target_id: h.label for h in hits}, class_codes=codes,
                      basis_reference=request.reference, reason=TombstoneReason.ERASURE)
        erasure_journal_record(reference=request.reference, subject_request_id=request.pk, target_type=target_type,
                               ids=[h.target_id for h in hits])
        SubjectRequestHit.objects.filter(pk__in=[h.pk for h in hits]).update(outcome=HitOutcome.ERASED)
    refused_count = request.hits.filter(outcome__in=[HitOutcome.REFUSED_REGISTERED, HitOutcome.REFUSED_HOLD]).count()
    if refused_registered:
        _store_letter(request, LetterKind.GDPR_REFUSAL, _refusal_letter(request, refused_registered), actor)
    request.approved_by = actor
    request.approved_at = at
    request.answered_at = request.answered_at or at
    request.erasure_refused_count = refused_count
    transition(request, SubjectRequestStatus.ERASURE_APPROVED)
    request.save()
    from records.retention.services.plan import retention_assign

    retention_assign(target_type="records.subjectrequest", objects=[request])
    audit_record(actor=actor, action=AuditAction.DATA_SUBJECT, target=request, detail={
        "event": "erasure_approved", "erased": sum(len(h) for h in erase.values()), "refused": refused_count,
    })
    return request


def refusal_paragraphs(refused: list[SubjectRequestHit]) -> list[str]:
    numbers = ", ".join(h.label for h in refused)
    return [
        "Du har begärt att dina personuppgifter ska raderas enligt artikel 17 i dataskyddsförordningen.",
        f"Beslut: Begäran avslås för följande diarieförda allmänna handlingar: {numbers}.",
        "Skäl: Handlingarna är allmänna handlingar som kommunen är skyldig att bevara och hålla tillgängliga "
        "enligt tryckfrihetsförordningen 2 kap. och arkivlagen (1990:782). Rätten till radering gäller inte "
        "i den utsträckning behandlingen är nödvändig för att fullgöra en rättslig förpliktelse eller utföra "
        "en uppgift av allmänt intresse eller som ett led i myndighetsutövning (dataskyddsförordningen "
        "artikel 17.3 b). Handlingarna gallras när informationshanteringsplanen tillåter det.",
        "Uppgifter som inte är diarieförda och inte omfattas av spärr mot gallring har raderats.",
        "Hur man överklagar: Beslutet kan överklagas hos förvaltningsrätten. Skicka överklagandet till "
        "kommunen inom tre veckor från den dag du fick del av beslutet. Du kan också klaga hos "
        "Integritetsskyddsmyndigheten (IMY).",
    ]


def _refusal_letter(request: SubjectRequest, refused: list[SubjectRequestHit]) -> bytes:
    from records.pdf import render_letter_pdf

    org = settings.UPPSIKT_ORGANISATION_NAME
    return render_letter_pdf(
        sender_org=org, recipient=request.requester_name or None, date=timezone.localdate(),
        reference=request.reference, heading="Beslut om avslag på begäran om radering (GDPR art. 17.3 b)",
        paragraphs=refusal_paragraphs(refused), signature="Arkivarie\n" + org,
    )
