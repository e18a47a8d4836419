"""Data-subject requests (GDPR): intake, search, register extract (art. 15), deadline (art. 12.3).

The search looks everywhere personal data is kept: moderation's items, versions, accounts, staff
notes, sanctions, police reports and public reports (and their history) through
`records.registry.subject_searches()`, and records' own documents (also those registered from a hit),
disclosure requests and earlier data-subject requests here. Identifiers are normalised (phone numbers
and personnummer as digits, 10- and 12-digit forms). Hits store only a non-personal label.

The extract (art. 15) lists every entry with what it is, why it is kept (class and legal ground),
for how long, its source (art. 15.1 g) and recipients (art. 15.1 c), other people's data masked.
The one-month deadline (art. 12.3) can be extended once by two months, with a reason, inside the
first month; the person is told in a generated letter kept with the request.

Erasure (art. 17) is in `records.gdpr.erasure`. Every step is audited as "data_subject", without the
subject's data in the log.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
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
from records.gdpr.secrecy import SECRECY_NOTE, subject_hits_for_user
from records.models import (
    DisclosureDecisionLetter,
    DisclosureItem,
    DisclosureOutcome,
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
)
from records.secrecy.services import may_view_secret
from records.workdays import add_months
from records.workflow import assert_action, transition

__all__ = [
    "OTHER_PERSON",
    "digits",
    "identifier_matches",
    "mask_third_parties",
    "number_variants",
    "run_search",
    "subject_query",
    "subject_request_approve_erasure",
    "subject_request_close",
    "subject_request_create",
    "subject_request_extend",
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
LEGAL_GROUND_NOTE = (
    "Intern arbetsanteckning, inte en allmän handling (tryckfrihetsförordningen 2 kap. 12 §); behandlas för "
    "modereringen av kommunens konton (GDPR art. 6.1 e). Raderas på begäran."
)
DOCUMENT, DISCLOSURE, SUBJECT = "records.document", "records.disclosurerequest", "records.subjectrequest"


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


def _document_source(doc: Document) -> str:
    if doc.source_type:
        try:
            label = registry.source(doc.source_type).label
        except LookupError:
            label = doc.source_type
        return f"Diarieförd från {label.lower()} {doc.source_id} i Uppsikt"
    return "Inkommen handling" if doc.direction == "incoming" else "Upprättad av kommunen"


def _released_lines(field: str, ids: list[int]) -> dict[str, list[str]]:
    """Everyone a record was released to under TF 2 kap. (by the request's reference only: the
    requester is a third party), through DisclosureItem.<field>."""
    found: dict[str, list[str]] = defaultdict(list)
    if not ids or field not in {f.name for f in DisclosureItem._meta.get_fields()}:
        return found
    released = DisclosureItem.objects.filter(
        **{f"{field}_id__in": ids}, outcome__in=[DisclosureOutcome.RELEASE, DisclosureOutcome.RELEASE_MASKED],
    ).select_related("request").order_by("pk")
    for item in released:
        when = item.request.delivered_at or item.reviewed_at
        masked = " med maskering" if item.outcome == DisclosureOutcome.RELEASE_MASKED else ""
        found[str(getattr(item, f"{field}_id"))].append(
            f"En enskild som begärt att få ta del av handlingen (tryckfrihetsförordningen 2 kap.), utlämnad{masked}"
            + (f" {timezone.localdate(when).isoformat()}" if when else "") + f" ({item.request.reference})")
    return found


def document_recipients(doc_ids: Iterable) -> dict[str, list[str]]:
    """Who received each registered document (art. 15.1 c): the public through the postlista (its
    register line, without secret parts or private persons' names), and everyone it was released to
    under TF 2 kap., named by the request's reference only (the requester is a third party)."""
    ids = [int(i) for i in doc_ids]
    hidden = getattr(settings, "UPPSIKT_HIDE_PRIVATE_SENDERS", True)
    public = ("Allmänheten genom kommunens offentliga postlista (diarienummer, datum och beskrivning"
              + ("; privatpersoners namn visas inte)" if hidden else ")"))
    released = _released_lines("document", ids)
    return {str(i): [public, *released.get(str(i), [])] for i in ids}


def _document_hit(doc: Document, why: str, recipients: list[str]) -> registry.SubjectHit:
    return registry.SubjectHit(
        type=DOCUMENT, id=str(doc.pk), label=doc.number, why=why, registered=True,
        source=_document_source(doc), recipients=tuple(recipients),
        extra={"text": doc.content, "date": doc.date, "other_names": [], "class": doc.retention_class,
               "due": doc.retention_due},
    )


def _search_documents(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    hits = {}
    fields = ["sender", "description", "content"]
    docs = list(Document.objects.filter(purged_at__isnull=True).filter(candidate_q(fields, query))
                .select_related("case", "retention_class"))
    recipients = document_recipients([d.pk for d in docs])
    for doc in docs:
        why = []
        if query.name and query.name.casefold() in doc.sender.casefold():
            why.append("avsändare")
        why += identifier_matches(f"{doc.sender}\n{doc.description}\n{doc.content}", query)
        if why:
            hits[str(doc.pk)] = _document_hit(doc, ", ".join(dict.fromkeys(why)), recipients[str(doc.pk)])
    # History: earlier versions may still name the subject (a corrected sender, description).
    hist = Document.history.model.objects.filter(candidate_q(["sender", "description"], query))
    for row in hist.exclude(id__in=[int(k) for k in hits]).filter(purged_at__isnull=True):
        if identifier_matches(f"{row.sender}\n{row.description}", query) and str(row.id) not in hits:
            hits[str(row.id)] = registry.SubjectHit(
                type=DOCUMENT, id=str(row.id), label=row.number, why="historik (tidigare version)",
                registered=True, source="Diariets historik över handlingen",
                extra={"text": "", "date": row.date, "other_names": []},
            )
    return list(hits.values())


def _documents_from_hits(hits: dict[tuple[str, str], registry.SubjectHit]) -> list[registry.SubjectHit]:
    """Documents registered from a hit (an item the subject wrote is registered under the account's
    name, which the document search by name alone may not find)."""
    sources = {s.type for s in registry.sources()}
    wanted = defaultdict(list)
    for (kind, pk), _hit in hits.items():
        if kind in sources:
            wanted[kind].append(pk)
    found = []
    for kind, ids in wanted.items():
        docs = list(Document.objects.filter(source_type=kind, source_id__in=ids, purged_at__isnull=True)
                    .exclude(pk__in=[int(pk) for k, pk in hits if k == DOCUMENT]).select_related("retention_class"))
        recipients = document_recipients([d.pk for d in docs])
        found += [_document_hit(d, f"diarieförd från träff {d.source_id}", recipients[str(d.pk)]) for d in docs]
    return found


_CHANNEL_SOURCES = {"postlista": "via postlistan", "email": "via e-post", "phone": "per telefon",
                    "counter": "vid besök", "letter": "per brev", "staff": "via en medarbetare"}


def _search_disclosure(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    hits = {}
    fields = ["requester_name", "requester_contact", "request_text"]
    for r in DisclosureRequest.objects.filter(purged_at__isnull=True).filter(candidate_q(fields, query)):
        why = identifier_matches(f"{r.requester_name}\n{r.requester_contact}\n{r.request_text}", query)
        if why:
            hits[str(r.pk)] = registry.SubjectHit(
                type=DISCLOSURE, id=str(r.pk), label=r.reference, why=", ".join(why),
                source=f"Begäran om allmän handling som kom in {_CHANNEL_SOURCES.get(r.channel_in, '')}".strip(),
                extra={"text": r.request_text, "date": r.received_at, "other_names": [],
                       "class": r.retention_class, "due": r.retention_due},
            )
    hist = DisclosureRequest.history.model.objects.filter(candidate_q(fields, query), purged_at__isnull=True)
    for row in hist.exclude(id__in=[int(k) for k in hits]):
        if str(row.id) not in hits and identifier_matches(
                f"{row.requester_name}\n{row.requester_contact}\n{row.request_text}", query):
            hits[str(row.id)] = registry.SubjectHit(
                type=DISCLOSURE, id=str(row.id), label=row.reference, why="historik (tidigare version)",
                source="Historik över begäran", extra={"text": "", "date": row.received_at, "other_names": []},
            )
    return list(hits.values())


def _search_subject_requests(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    """The subject's own requests under the GDPR (this one included): they are records too."""
    hits = []
    qs = SubjectRequest.objects.filter(purged_at__isnull=True).filter(
        candidate_q(["requester_name", "requester_contact"], query) | _identifier_q(query))
    for r in qs.select_related("retention_class"):
        text = f"{r.requester_name}\n{r.requester_contact}\n{json.dumps(r.identifiers, ensure_ascii=False)}"
        why = identifier_matches(text, query)
        if why:
            hits.append(registry.SubjectHit(
                type=SUBJECT, id=str(r.pk), label=r.reference, why=", ".join(why),
                source="Din begäran enligt dataskyddsförordningen",
                extra={"text": "", "date": r.received_at, "other_names": [], "class": r.retention_class,
                       "due": r.retention_due},
            ))
    return hits


def _identifier_q(query: registry.SubjectQuery) -> Q:
    q = Q(pk__in=[])
    for key in SubjectRequest.IDENTIFIER_KEYS:
        value = getattr(query, key)
        if value:
            q |= Q(**{f"identifiers__{key}__iexact": value})
    return q


RECORDS_SEARCHES = [
    registry.SubjectSearch(type=DOCUMENT, label="Diarieförda handlingar", search=_search_documents),
    registry.SubjectSearch(type=DISCLOSURE, label="Begäranden om allmän handling", search=_search_disclosure),
    registry.SubjectSearch(type=SUBJECT, label="Begäranden enligt dataskyddsförordningen",
                           search=_search_subject_requests),
]


def all_searches() -> list[registry.SubjectSearch]:
    found = {s.type: s for s in RECORDS_SEARCHES}
    for s in registry.subject_searches():
        found[s.type] = s
    return list(found.values())


def record_of(hit) -> tuple[str, str]:
    """(type, id) of the record whose class and holds decide for this hit (a SubjectHit or a stored hit)."""
    part = getattr(hit, "part_of", None)
    if part:
        return part[0], str(part[1])
    record_type = getattr(hit, "record_type", "")
    if record_type:
        return record_type, hit.record_id
    return getattr(hit, "type", None) or hit.target_type, str(getattr(hit, "id", None) or hit.target_id)


def run_search(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    """Every hit in every register, with the end of the legal hold that covers its record (one
    implementation: `records.retention.services.holds.hold_ends`)."""
    from records.retention.services.holds import hold_ends

    if query.is_empty():
        return []
    seen: dict[tuple[str, str], registry.SubjectHit] = {}
    for search in all_searches():
        for hit in search.search(query):
            _merge(seen, hit)
    for hit in _documents_from_hits(seen):
        _merge(seen, hit)
    _add_item_releases(seen)
    records = defaultdict(set)
    for hit in seen.values():
        kind, pk = record_of(hit)
        records[kind].add(pk)
    ends = {kind: hold_ends(kind, ids) for kind, ids in records.items()}
    return [registry.SubjectHit(**{**hit.__dict__, "held_until": ends[record_of(hit)[0]].get(record_of(hit)[1])})
            for hit in seen.values()]


def _add_item_releases(seen: dict) -> None:
    """Items kept in order can be requested too (TF 2 kap.): add who they were released to, when the
    disclosure records name items."""
    ids = [int(pk) for kind, pk in seen if kind == "moderation.item" and pk.isdecimal()]
    released = _released_lines("item", ids)
    for pk, lines in released.items():
        hit = seen[("moderation.item", pk)]
        seen[("moderation.item", pk)] = registry.SubjectHit(**{**hit.__dict__, "recipients": (*hit.recipients, *lines)})


def _merge(seen: dict, hit: registry.SubjectHit) -> None:
    key = (hit.type, str(hit.id))
    old = seen.get(key)
    if old is None:
        seen[key] = hit
    elif hit.why not in old.why:
        seen[key] = registry.SubjectHit(**{**old.__dict__, "why": f"{old.why}, {hit.why}"[:200]})


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

    retention_assign(target_type=SUBJECT, objects=[request])
    audit_record(actor=actor, action=AuditAction.DATA_SUBJECT, target=request,
                 detail={"event": "created", "kind": kind, "identifier_kinds": sorted(clean)})
    notify_subject_request_received(request=request, actor=actor)
    return request


def search_classified(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    """`run_search`, with records the nightly recompute has not reached yet classified first."""
    found = run_search(query)
    return run_search(query) if _ensure_classes(found) else found


def _ensure_classes(found: list[registry.SubjectHit]) -> bool:
    """Records the nightly recompute has not reached yet get their class by the plan's rules now, so
    the hits say how long they are kept and when an erasure may be carried out. True if any did."""
    from records.retention.services.plan import retention_assign, target_for, target_model

    wanted = defaultdict(set)
    for hit in found:
        wanted[record_of(hit)[0]].add(record_of(hit)[1])
    assigned = False
    for kind, ids in wanted.items():
        try:
            target = target_for(kind)
        except DomainError:
            continue
        field = target_model(target)._meta.get_field(target.class_field)
        unset = Q(**{f"{target.class_field}__isnull": True}) if field.is_relation else Q(**{target.class_field: ""})
        empty = target.queryset().filter(pk__in=[int(i) for i in ids if i.isdecimal()]).filter(unset)
        missing = [str(pk) for pk in empty.values_list("pk", flat=True)]
        if missing:
            assigned = bool(retention_assign(target_type=kind, ids=missing)) or assigned
    return assigned


def _hit_row(request: SubjectRequest, h: registry.SubjectHit) -> SubjectRequestHit:
    record_type, record_id = record_of(h)
    return SubjectRequestHit(
        request=request, target_type=h.type, target_id=str(h.id), label=h.label[:200], why=h.why[:200],
        registered=h.registered, public_record=h.public_record, record_type=record_type, record_id=record_id,
        held=h.held_until is not None, held_until=None if h.held_until in (None, date.max) else h.held_until,
    )


@transaction.atomic
def subject_request_search(*, request: SubjectRequest, actor) -> list[SubjectRequestHit]:
    """Search every place personal data is kept; replaces the request's undecided hits."""
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    assert_action(request, "search", actor)
    query = subject_query(request.identifiers)
    # Secret parts are searched only for users who may see them (records/gdpr/secrecy.py).
    found = subject_hits_for_user(search_classified(query), query, actor, surface="gdpr_search")
    decided = set(request.hits.exclude(outcome=HitOutcome.PENDING).values_list("target_type", "target_id"))
    request.hits.filter(outcome=HitOutcome.PENDING).delete()
    SubjectRequestHit.objects.bulk_create([_hit_row(request, h) for h in found
                                           if (h.type, str(h.id)) not in decided])
    if request.status == SubjectRequestStatus.RECEIVED:
        transition(request, SubjectRequestStatus.SEARCHING)
        request.save()
    audit_record(actor=actor, action=AuditAction.DATA_SUBJECT, target=request,
                 detail={"event": "searched", "hits": len(found)})
    return list(request.hits.all())


EXTENSION_MONTHS = 2


@transaction.atomic
def subject_request_extend(*, request: SubjectRequest, actor, reason: str) -> SubjectRequest:
    """Extend the deadline by two months (GDPR art. 12.3: once, where necessary given the complexity
    and number of requests, and the person told within the first month with the reasons). Writes the
    letter that tells them (kept with the request) and audits the extension."""
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    assert_action(request, "extend", actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Ange skälet till att tidsfristen förlängs; den registrerade ska få veta det "
                          "(GDPR art. 12.3).")
    received = timezone.localdate(request.received_at)
    request.deadline = add_months(received, 1 + EXTENSION_MONTHS)
    request.extended_at = timezone.now()
    request.extended_by = actor if getattr(actor, "is_authenticated", False) else None
    request.extension_reason = reason
    request._change_reason = "Tidsfristen förlängd (art. 12.3)"
    request.save()
    _store_letter(request, LetterKind.GDPR_EXTENSION, _extension_letter(request), actor)
    audit_record(actor=actor, action=AuditAction.DATA_SUBJECT, target=request,
                 detail={"event": "deadline_extended", "deadline": request.deadline.isoformat()})
    return request


def _extension_letter(request: SubjectRequest) -> bytes:
    from records.pdf import render_letter_pdf

    org = settings.UPPSIKT_ORGANISATION_NAME
    received = timezone.localdate(request.received_at)
    paragraphs = [
        f"Vi fick din begäran enligt dataskyddsförordningen den {received.isoformat()} "
        f"(vår referens {request.reference}).",
        f"Vi behöver mer tid för att besvara den. Enligt artikel 12.3 i dataskyddsförordningen får tiden "
        f"förlängas med högst två månader, med hänsyn till hur komplicerad begäran är och hur många begäranden "
        f"som kommit in. Du får vårt svar senast {request.deadline.isoformat()}.",
        f"Skälet till förlängningen: {request.extension_reason}",
        "Om du är missnöjd med hur vi hanterar din begäran kan du klaga hos Integritetsskyddsmyndigheten (IMY).",
    ]
    return render_letter_pdf(
        sender_org=org, recipient=request.requester_name or None, date=timezone.localdate(),
        reference=request.reference, heading="Besked om förlängd tid för svar (GDPR art. 12.3)",
        paragraphs=paragraphs, signature="Arkivarie\n" + org,
    )


@transaction.atomic
def subject_request_close(*, request: SubjectRequest, actor, reason: str = "") -> SubjectRequest:
    """Close a request (its hits and letters stay, and it is purged under its class, GDPR-1)."""
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    assert_action(request, "close", actor)
    transition(request, SubjectRequestStatus.CLOSED)
    if reason.strip():
        request.note = (request.note + "\n" + reason.strip()).strip()
    request.save()
    from records.retention.services.plan import retention_assign

    retention_assign(target_type=SUBJECT, objects=[request])
    audit_record(actor=actor, action=AuditAction.DATA_SUBJECT, target=request, detail={"event": "closed"})
    return request


def _type_label(target_type: str) -> str:
    labels = {s.type: s.label for s in all_searches()}
    labels.update({"moderation.item": "Inlägg/kommentar", "moderation.author": "Kontouppgifter (avsändare)",
                   "moderation.publicreport": "Anmälan", "moderation.itemversion": "Tidigare version av inlägg",
                   "moderation.authornote": "Intern anteckning om ditt konto",
                   "moderation.sanction": "Åtgärd mot ditt konto", "moderation.policereport": "Polisanmälan",
                   DOCUMENT: "Diarieförd handling", DISCLOSURE: "Begäran om allmän handling",
                   SUBJECT: "Begäran enligt dataskyddsförordningen"})
    return labels.get(target_type, target_type)


def _extract_entries(request: SubjectRequest, actor=None) -> list[dict]:
    query = subject_query(request.identifiers)
    classes = {c.code: c for c in RetentionClass.objects.all()}
    entries = []
    # The same masking as every other surface, for the user who builds the extract (gdpr/secrecy.py).
    hits = subject_hits_for_user(search_classified(query), query, actor, surface="gdpr_extract")
    for hit in sorted(hits, key=lambda h: (h.type, h.label)):
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
        if not hit.public_record:
            how_long = "Raderas när den inte längre behövs, eller på din begäran."
        entries.append({
            "type": hit.type, "what": _type_label(hit.type), "reference": hit.label, "matched_on": hit.why,
            "date": when.isoformat() if when else None,
            "retention_class": cls.code if cls else None,
            "retention_class_name": cls.name if cls else None,
            "legal_ground": (LEGAL_GROUND_REGISTERED if hit.registered
                             else LEGAL_GROUND_PUBLIC if hit.public_record else LEGAL_GROUND_NOTE),
            "public_record": hit.public_record,
            "source": hit.source or "Kommunens egna uppgifter",
            "recipients": list(hit.recipients),
            "how_long": how_long,
            "legal_hold": hit.held_until is not None,
            "content": mask_third_parties(str(extra.get("text") or ""), query, extra.get("other_names") or []),
            "attachments": [{"kind": f.kind, "label": f.label, "content_type": f.content_type, "size": f.size,
                             "sha256": f.sha256} for f in extra.get("files") or []],
            "_files": list(extra.get("files") or []),
        })
    return entries


def _public(entries: list[dict]) -> list[dict]:
    return [{k: v for k, v in e.items() if not k.startswith("_")} for e in entries]


def _extract_zip(reference: str, pdf: bytes, document: dict, entries: list[dict]) -> bytes:
    """The extract with the subject's stored pictures and files: registerutdrag.pdf, registerutdrag.json and
    bilagor/<entry>-<n><ext> (each listed with its SHA-256 in the JSON)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(f"registerutdrag-{reference}.pdf", stamp), pdf)
        for n, entry in enumerate(entries, start=1):
            for k, (source_file, meta) in enumerate(zip(entry["_files"], entry["attachments"], strict=True), start=1):
                suffix = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
                          "video/mp4": ".mp4", "application/pdf": ".pdf"}.get(source_file.content_type, ".bin")
                name = f"bilagor/{n:03d}-{k}{suffix}"
                handle = source_file.open()
                try:
                    archive.writestr(zipfile.ZipInfo(name, stamp), handle.read())
                finally:
                    handle.close()
                meta["file"] = name
        archive.writestr(zipfile.ZipInfo(f"registerutdrag-{reference}.json", stamp),
                         json.dumps({**document, "entries": _public(entries)}, ensure_ascii=False, indent=2,
                                    default=str).encode("utf-8"))
    return buffer.getvalue()


@transaction.atomic
def subject_request_extract(*, request: SubjectRequest, actor, format: str = "pdf") -> bytes:
    """The register extract (registerutdrag, art. 15): what is held about the subject, why (class
    and legal ground), for how long, with other people's personal data masked. The PDF is kept as
    a letter (kind gdpr_access) with its SHA-256; JSON is returned only. Audited."""
    if format not in ("pdf", "json", "zip"):
        raise DomainError("Formatet måste vara pdf, json eller zip (med bilder och filer).")
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    assert_action(request, "extract", actor)
    entries = _extract_entries(request, actor)
    secrecy_note = None if may_view_secret(actor) else SECRECY_NOTE
    org = settings.UPPSIKT_ORGANISATION_NAME
    document = {
        "controller": org, "reference": request.reference, "created": timezone.localdate().isoformat(),
        "secrecy_note": secrecy_note,
        "subject": request.requester_name, "purposes": "Moderering av kommunens konton i sociala medier och "
                                                      "hantering av allmänna handlingar.",
    }
    if format == "json":
        data = json.dumps({**document, "entries": _public(entries)}, ensure_ascii=False, indent=2).encode("utf-8")
    else:
        from records.pdf import render_letter_pdf

        paragraphs = [
            f"Du har begärt ett registerutdrag enligt artikel 15 i dataskyddsförordningen. Här är de uppgifter om "
            f"dig som {org} behandlar i Uppsikt (kommunens system för moderering av sociala medier). Andra "
            f"personers uppgifter är maskerade som {OTHER_PERSON}.",
            f"Antal träffar: {len(entries)}.",
            "Ändamål: moderering av kommunens konton i sociala medier enligt kommunens publicerade regler och "
            "hantering av allmänna handlingar (registrering, utlämnande, arkivering och gallring). Rättslig grund: "
            "uppgift av allmänt intresse och myndighetsutövning (dataskyddsförordningen art. 6.1 e) samt rättslig "
            "förpliktelse enligt tryckfrihetsförordningen, offentlighets- och sekretesslagen och arkivlagen "
            "(art. 6.1 c). Vi använder inte dina uppgifter för automatiserat beslutsfattande eller profilering.",
        ]
        for n, e in enumerate(entries, start=1):
            paragraphs.append(
                f"{n}. {e['what']} {e['reference']}"
                + (f", {e['date']}" if e["date"] else "")
                + f"\nTräff på: {e['matched_on']}\nVarför: {e['legal_ground']}"
                + (f" Gallringsklass {e['retention_class']} ({e['retention_class_name']})."
                   if e["retention_class"] else "")
                + f"\nHur länge: {e['how_long']}"
                + f"\nVarifrån uppgiften kommer: {e['source']}"
                + ("\nMottagare: " + "; ".join(e["recipients"]) if e["recipients"]
                   else "\nMottagare: inga utanför kommunen")
                + ("\nSpärrad mot gallring." if e["legal_hold"] else "")
                + (f"\nInnehåll: {e['content']}" if e["content"] else "")
                + "".join(f"\nBilaga: {a['label']}, SHA-256 {a['sha256']}" for a in e["attachments"])
            )
        if secrecy_note:
            paragraphs.append(secrecy_note)
        paragraphs.append("Du har rätt att begära rättelse, radering eller begränsning och att invända mot "
                          "behandlingen (artiklarna 16–18 och 21). Allmänna handlingar raderas dock bara när "
                          "informationshanteringsplanen tillåter det (artikel 17.3 b och arkivlagen). Du har rätt "
                          "att klaga hos Integritetsskyddsmyndigheten (IMY).")
        data = render_letter_pdf(
            sender_org=org, recipient=request.requester_name or None, date=timezone.localdate(),
            reference=request.reference, heading="Registerutdrag enligt dataskyddsförordningen (art. 15)",
            paragraphs=paragraphs, signature="Arkivarie\n" + org,
        )
        _store_letter(request, LetterKind.GDPR_ACCESS, data, actor)
        if format == "zip":
            data = _extract_zip(request.reference, data, document, entries)
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


def subject_request_propose_erasure(**kwargs):
    from records.gdpr.erasure import subject_request_propose_erasure as run

    return run(**kwargs)


def subject_request_approve_erasure(**kwargs):
    from records.gdpr.erasure import subject_request_approve_erasure as run

    return run(**kwargs)
