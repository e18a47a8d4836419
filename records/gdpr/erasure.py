"""Erasure on request (GDPR art. 17), exact to art. 17.3 b and arkivlagen.

Every item and comment is an allmän handling from the moment it reaches the municipality's account
(TF 2 kap. 4 §; both policies), and so is every report, document and request: registered
(diarieförd) or kept in order (hållen ordnad, OSL 5 kap. 1 §). Arkivlagen (1990:782) 10 § allows
destroying a public record only under a gallringsbeslut, here its retention class. GDPR art. 17.3 b
says the right to erasure does not apply where processing is needed to meet a legal obligation. So,
for each hit, judged on the live record when the second archivist approves:

- the record is gone (purged or erased before): nothing to do (outcome gone);
- a legal hold covers it: refused for as long as the hold lasts (refused_hold);
- it is not a public record (a staff note, TF 2 kap. 12 §): erased (erased);
- its class allows purging now (class "gallras", due date reached): erased, with a tombstone naming
  the class and the request (erased);
- otherwise refused, with the ground named: "diarieförd handling KS 2026/1-3, bevaras enligt ÄR-1" or
  "allmän handling som hålls ordnad, gallras enligt SM-1 den 2027-12-03" (refused_registered,
  refused_record); when the handler asked for it and the class gives a date, the hit is scheduled
  instead (scheduled): the daily purge list takes the record on that date and the purge marks the hit
  purged with the list's reference.

A hit that is part of a record (an item's earlier version, a warning on an account) follows that
record: erasing it means purging the record, which its class must allow. The refusal letter lists
every refused hit with its ground and names art. 17.3 b and arkivlagen for each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import AuditAction
from accounts.services import audit_record
from records import registry
from records.gdpr.models import REFUSED_OUTCOMES
from records.gdpr.services import _store_letter, _type_label, all_searches
from records.models import (
    HitOutcome,
    LetterKind,
    RetentionAction,
    RetentionClass,
    RetentionTrigger,
    SubjectRequest,
    SubjectRequestHit,
    SubjectRequestStatus,
    TombstoneReason,
)
from records.workflow import assert_action, transition

__all__ = ["Verdict", "erasure_verdicts", "subject_request_approve_erasure", "subject_request_propose_erasure"]

LAW = "dataskyddsförordningen art. 17.3 b och arkivlagen (1990:782) 10 §"


@dataclass(frozen=True)
class Verdict:
    """What may happen to one hit's record now, and why (Swedish, naming the rule)."""

    outcome: str
    ground: str
    class_code: str = ""
    due: date | None = None
    number: str = ""
    erase: bool = False
    schedulable: bool = False


@dataclass(frozen=True)
class _Record:
    exists: bool
    cls: RetentionClass | None = None
    due: date | None = None
    number: str = ""


def _records(kind: str, ids: set[str]) -> dict[str, _Record] | None:
    """The live state of these records (class, due date, register number), or None when the plan
    does not cover the kind (a public record without a gallringsbeslut)."""
    from records.retention.services.plan import target_for, target_model

    try:
        target = target_for(kind)
    except DomainError:
        return None
    model = target_model(target)
    field = model._meta.get_field(target.class_field)
    numeric = [int(i) for i in ids if str(i).isdecimal()]
    rows = target.queryset().filter(pk__in=numeric).values_list("pk", field.attname, target.due_field)
    classes = {c.pk if field.is_relation else c.code: c for c in RetentionClass.objects.all()}
    numbers = target.registered([str(i) for i in numeric]) if target.registered else {}
    found = {str(pk): _Record(True, classes.get(key), due, numbers.get(str(pk), "")) for pk, key, due in rows}
    return {i: found.get(i, _Record(False)) for i in ids}


def _class_phrase(record: _Record, today: date) -> tuple[str, bool]:
    """(what the plan says, whether the record may be purged now)."""
    cls = record.cls
    if cls is None:
        return "gallringsklass saknas: den får inte förstöras utan beslut om gallring", False
    if cls.action == RetentionAction.KEEP:
        return f"bevaras enligt {cls.code} och gallras aldrig", False
    if cls.trigger == RetentionTrigger.MANUAL or record.due is None:
        return f"gallras enligt {cls.code} först när den inte längre behövs (prövas av arkivarien)", False
    if record.due > today:
        return f"gallras enligt {cls.code} den {record.due.isoformat()}", False
    return f"gallringsklass {cls.code} tillåter gallring sedan {record.due.isoformat()}", True


def _record_verdict(hit: SubjectRequestHit, record: _Record | None, held_until: date | None,
                    today: date) -> Verdict:
    if record is not None and not record.exists:
        return Verdict(HitOutcome.GONE, "Uppgiften finns inte längre (redan gallrad eller raderad).")
    if held_until is not None:
        until = "" if held_until == date.max else f" till och med {held_until.isoformat()}"
        return Verdict(HitOutcome.REFUSED_HOLD,
                       f"spärrad mot gallring{until}: den omfattas av en pågående begäran om allmän handling, "
                       f"ett överklagande eller en utredning")
    if not hit.public_record:
        return Verdict(HitOutcome.ERASED, "inte en allmän handling (arbetsanteckning, tryckfrihetsförordningen "
                                          "2 kap. 12 §)", erase=True)
    record = record or _Record(True)
    phrase, allowed = _class_phrase(record, today)
    code = record.cls.code if record.cls else ""
    if allowed:
        return Verdict(HitOutcome.ERASED, phrase, code, record.due, record.number, erase=True)
    number = record.number or (hit.label if hit.registered else "")
    if number or hit.registered:
        return Verdict(HitOutcome.REFUSED_REGISTERED, f"diarieförd handling {number}, {phrase}".replace("  ", " "),
                       code, record.due, number)
    schedulable = bool(record.cls and record.cls.action == RetentionAction.PURGE and record.due)
    return Verdict(HitOutcome.REFUSED_RECORD, f"allmän handling som hålls ordnad, {phrase}", code, record.due,
                   schedulable=schedulable)


def erasure_verdicts(hits: Iterable[SubjectRequestHit], *, today: date | None = None) -> dict[int, Verdict]:
    """The live verdict for each hit: a few queries per kind of record (state, register numbers,
    holds through the one rule in `holds.hold_ends`), whatever the number of hits."""
    from records.retention.services.holds import hold_ends

    today = today or timezone.localdate()
    hits = list(hits)
    by_kind: dict[str, set[str]] = defaultdict(set)
    for hit in hits:
        by_kind[hit.record_type or hit.target_type].add(hit.record_id or hit.target_id)
    states = {kind: _records(kind, ids) for kind, ids in by_kind.items()}
    holds = {kind: hold_ends(kind, ids) for kind, ids in by_kind.items()}
    verdicts = {}
    for hit in hits:
        kind, pk = hit.record_type or hit.target_type, hit.record_id or hit.target_id
        record = states[kind].get(pk) if states[kind] is not None else None
        verdicts[hit.pk] = _record_verdict(hit, record, holds[kind].get(pk), today)
    return verdicts


def _apply(hit: SubjectRequestHit, verdict: Verdict, *, schedule: bool, at) -> SubjectRequestHit:
    if schedule and verdict.schedulable:
        transition(hit, HitOutcome.SCHEDULED, field="outcome")
        hit.scheduled_for = verdict.due
    else:
        transition(hit, verdict.outcome, field="outcome")
    hit.ground = verdict.ground
    hit.retention_class_code = verdict.class_code
    hit.due = verdict.due
    hit.number = verdict.number
    hit.decided_at = at
    return hit


HIT_FIELDS = ["outcome", "ground", "retention_class_code", "due", "number", "scheduled_for", "decided_at"]


@transaction.atomic
def subject_request_propose_erasure(*, request: SubjectRequest, hits: Iterable, actor,
                                    schedule: bool = False) -> SubjectRequest:
    """The handler selects the hits to erase (another archivist approves). `schedule`: public records
    that may not be erased now are to be purged on their due date instead. Each selected hit gets the
    verdict it would have today (ground, class, due date) so both archivists see it before approval."""
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    assert_action(request, "propose_erasure", actor)
    ids = {int(getattr(h, "pk", h)) for h in hits}
    if not ids:
        raise DomainError("Välj minst en träff att radera.")
    if request.hits.filter(pk__in=ids).count() != len(ids):
        raise DomainError("En vald träff hör inte till begäran.")
    request.hits.update(selected_for_erasure=False)
    request.hits.filter(pk__in=ids).update(selected_for_erasure=True)
    selected = list(request.hits.filter(pk__in=ids, outcome=HitOutcome.PENDING))
    verdicts = erasure_verdicts(selected)
    for hit in selected:
        _preview(hit, verdicts[hit.pk])
    SubjectRequestHit.objects.bulk_update(selected, ["ground", "retention_class_code", "due", "number"])
    if request.handled_by_id is None and getattr(actor, "is_authenticated", False):
        request.handled_by = actor
    request.erasure_schedule = schedule
    transition(request, SubjectRequestStatus.ERASURE_PROPOSED)
    request.save()
    audit_record(actor=actor, action=AuditAction.DATA_SUBJECT, target=request,
                 detail={"event": "erasure_proposed", "hits": len(ids), "schedule": schedule})
    return request


def _preview(hit: SubjectRequestHit, verdict: Verdict) -> None:
    hit.ground, hit.retention_class_code, hit.due, hit.number = (verdict.ground, verdict.class_code, verdict.due,
                                                                 verdict.number)


@transaction.atomic
def subject_request_approve_erasure(*, request: SubjectRequest, actor) -> SubjectRequest:
    """Another archivist than the handler approves. Each selected hit is judged on its live record
    (`erasure_verdicts`): erased only when it is not a public record or its class allows purging now
    (scrubbed and tombstoned exactly as in a purge); otherwise refused under art. 17.3 b with its
    ground, or scheduled for its due date. The refusal letter is generated and kept."""
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    assert_action(request, "approve_erasure", actor)
    at = timezone.now()
    selected = list(request.hits.filter(selected_for_erasure=True, outcome=HitOutcome.PENDING))
    verdicts = erasure_verdicts(selected)
    for hit in selected:
        _apply(hit, verdicts[hit.pk], schedule=request.erasure_schedule, at=at)
    erased = _erase(request, [h for h in selected if verdicts[h.pk].erase], at, actor)
    SubjectRequestHit.objects.bulk_update(selected, HIT_FIELDS)
    refused = [h for h in selected if h.outcome in REFUSED_OUTCOMES]
    if refused or erased:
        _store_letter(request, LetterKind.GDPR_REFUSAL, _decision_letter(request, selected), actor)
    request.approved_by = actor
    request.approved_at = at
    request.answered_at = request.answered_at or at
    request.erasure_refused_count = len(refused)
    transition(request, SubjectRequestStatus.ERASURE_APPROVED)
    request.save()
    from records.retention.services.plan import retention_assign

    retention_assign(target_type="records.subjectrequest", objects=[request])
    audit_record(actor=actor, action=AuditAction.DATA_SUBJECT, target=request, detail={
        "event": "erasure_approved", "erased": erased, "refused": len(refused),
        "scheduled": sum(1 for h in selected if h.outcome == HitOutcome.SCHEDULED),
    })
    return request


def _erase(request: SubjectRequest, hits: list[SubjectRequestHit], at, actor) -> int:
    """Scrub the records these hits allow erasing: public records through their retention target
    (tombstone with the class and the request), other data through its search's `erase`."""
    from records.retention.journal import erasure_journal_record
    from records.retention.services.execution import scrub_targets

    context = registry.ScrubContext(reason="erasure", actor=actor, subject_request_id=request.pk, at=at)
    records: dict[str, dict[str, SubjectRequestHit]] = defaultdict(dict)
    others: dict[str, list[str]] = defaultdict(list)
    for hit in hits:
        if hit.public_record:
            records[hit.record_type or hit.target_type][hit.record_id or hit.target_id] = hit
        else:
            others[hit.target_type].append(hit.target_id)
    for kind, chosen in records.items():
        scrub_targets(target_type=kind, ids=list(chosen), context=context,
                      labels={pk: _record_label(kind, pk, h) for pk, h in chosen.items()},
                      class_codes={pk: h.retention_class_code for pk, h in chosen.items()},
                      basis_reference=request.reference, reason=TombstoneReason.ERASURE)
        # erased data must not come back from a backup either (records/retention/journal.py)
        erasure_journal_record(reference=request.reference, subject_request_id=request.pk, target_type=kind,
                               ids=list(chosen))
    searches = {s.type: s for s in all_searches()}
    for kind, ids in others.items():
        search = searches.get(kind)
        if search is None or search.erase is None:
            raise DomainError(f"Det finns inget sätt att radera {kind}.")
        search.erase(ids, context)
    return len(hits)


def _record_label(kind: str, pk: str, hit: SubjectRequestHit) -> str:
    """The tombstone's non-personal label: the register number, the hit's own label, or the record's kind."""
    from records.retention.services.plan import target_for

    if hit.number:
        return hit.number
    if (hit.record_type or hit.target_type) == hit.target_type:
        return hit.label
    return f"{target_for(kind).label} {pk}"


def _decision_letter(request: SubjectRequest, hits: list[SubjectRequestHit]) -> bytes:
    from records.pdf import render_letter_pdf

    org = settings.UPPSIKT_ORGANISATION_NAME
    return render_letter_pdf(
        sender_org=org, recipient=request.requester_name or None, date=timezone.localdate(),
        reference=request.reference, heading="Beslut om din begäran om radering (GDPR art. 17)",
        paragraphs=decision_paragraphs(hits), signature="Arkivarie\n" + org,
    )


def decision_paragraphs(hits: list[SubjectRequestHit]) -> list[str]:
    """The letter's text: what was erased, and for every refused hit its ground with art. 17.3 b and
    arkivlagen named, the date it will be purged when scheduled, and how to appeal."""
    refused = [h for h in hits if h.outcome in REFUSED_OUTCOMES]
    erased = [h for h in hits if h.outcome == HitOutcome.ERASED]
    gone = [h for h in hits if h.outcome == HitOutcome.GONE]
    paragraphs = ["Du har begärt att dina personuppgifter ska raderas enligt artikel 17 i dataskyddsförordningen."]
    if erased:
        paragraphs.append("Följande uppgifter har raderats: " + ", ".join(h.label for h in erased) + ".")
    if gone:
        paragraphs.append("Följande uppgifter fanns inte längre (de hade redan gallrats): "
                          + ", ".join(h.label for h in gone) + ".")
    if refused:
        paragraphs.append("Beslut: Din begäran avslås för följande uppgifter, som är allmänna handlingar hos kommunen "
                          "(tryckfrihetsförordningen 2 kap. 4 §):")
        for n, hit in enumerate(refused, start=1):
            line = f"{n}. {_type_label(hit.target_type)} {hit.label}: {hit.ground}. Grund: {LAW}."
            if hit.outcome == HitOutcome.SCHEDULED and hit.scheduled_for:
                line += (f" Uppgiften gallras den {hit.scheduled_for.isoformat()}, när gallringsklassen "
                         f"{hit.retention_class_code} tillåter det; du behöver inte begära det igen.")
            paragraphs.append(line)
        paragraphs.append(
            "Skäl: Rätten till radering gäller inte i den utsträckning behandlingen är nödvändig för att fullgöra "
            "en rättslig förpliktelse (dataskyddsförordningen artikel 17.3 b). Kommunen är skyldig att bevara "
            "allmänna handlingar och får förstöra dem endast med stöd av ett beslut om gallring (arkivlagen "
            "(1990:782) 10 §); kommunens informationshanteringsplan anger när varje slag av handling tidigast får "
            "gallras. En handling som omfattas av en spärr mot gallring får inte gallras så länge spärren gäller.")
        paragraphs.append(
            "Hur man överklagar: Beslutet kan överklagas hos förvaltningsrätten (lagen (2018:218) med "
            "kompletterande bestämmelser till EU:s dataskyddsförordning, 7 kap. 2 §). Skicka överklagandet till "
            "kommunen inom tre veckor från den dag du fick del av beslutet. Du kan också klaga hos "
            "Integritetsskyddsmyndigheten (IMY).")
    return paragraphs
