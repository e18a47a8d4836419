"""Legal holds (spärr mot gallring): while active, the target is neither purged nor erased.

ONE rule says what a hold covers: each retention target's ``held_q(keys)`` (records' own below,
moderation's in ``moderation.retention_hooks``). The purge draft and execution embed it in their SQL;
``held_ids``/``is_on_hold``/``hold_ends`` (erasure, the pages, the extract) run the same ``Q`` for a few
ids. There is no second implementation to keep in step.

What a hold covers (arkivlagen: nothing is destroyed while a request or an appeal concerns it):

- a hold on an item: the item, and the document registered from it;
- a hold on a document: the document, the item it was registered from, and its case's register data;
- a hold on a case: the case, its documents and the items registered into them;
- a hold on an author (account): the account record, its items and their documents;
- a hold on a channel: every item, account and public report of the channel, and their documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import AuditAction
from accounts.services import audit_record
from records import registry
from records.models import LegalHold, LegalHoldSource, LegalHoldTarget

__all__ = [
    "active_hold_keys",
    "case_held_q",
    "document_held_q",
    "held_ids",
    "hold_end",
    "hold_ends",
    "is_on_hold",
    "keys_of",
    "legal_hold_place",
    "legal_hold_release",
]

ITEM, DOCUMENT, CASE = "moderation.item", "records.document", "records.case"


@transaction.atomic
def legal_hold_place(*, target_type: str, target_id, reason: str, actor, ends_on: date | None = None,
                     source: str = LegalHoldSource.MANUAL, disclosure_request=None, subject_request=None) -> LegalHold:
    """Place a hold on one case, document, item, author or channel; audited.

    Guarantees: a reason is required; `ends_on` (inclusive) is not in the past.
    """
    if target_type not in LegalHoldTarget.values:
        raise DomainError("Spärr kan bara läggas på ärende, handling, inlägg, avsändare eller kanal.")
    if not (reason or "").strip():
        raise DomainError("Ange skäl för spärren.")
    if ends_on is not None and ends_on < timezone.localdate():
        raise DomainError("Spärrens slutdatum har redan passerat.")
    if source not in LegalHoldSource.values:
        raise DomainError("Okänt upphov för spärren.")
    hold = LegalHold.objects.create(
        target_type=target_type, target_id=str(target_id), reason=reason.strip(), ends_on=ends_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None, source=source,
        disclosure_request=disclosure_request, subject_request=subject_request,
    )
    audit_record(actor=actor, action=AuditAction.PURGE, target=hold,
                 detail={"event": "hold_placed", "source": source, "ends_on": ends_on.isoformat() if ends_on else None})
    return hold


@transaction.atomic
def legal_hold_release(*, hold: LegalHold, actor, reason: str) -> LegalHold:
    """Release a hold (kept, with who, when and why); audited."""
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at is not None:
        raise DomainError("Spärren är redan hävd.")
    if not (reason or "").strip():
        raise DomainError("Ange skäl för att häva spärren.")
    hold.released_at = timezone.now()
    hold.released_by = actor if getattr(actor, "is_authenticated", False) else None
    hold.release_reason = reason.strip()
    hold.save()
    audit_record(actor=actor, action=AuditAction.PURGE, target=hold, detail={"event": "hold_released"})
    return hold


def active_hold_keys(on: date | None = None) -> set[tuple[str, str]]:
    """(type, id) of every hold in force (a handful of rows, so held in memory)."""
    return set(LegalHold.objects.active(on).values_list("target_type", "target_id"))


def keys_of(keys: Iterable[tuple[str, str]], kind: str) -> list[str]:
    return sorted({str(i) for t, i in keys if t == kind})


def int_keys(keys: Iterable[tuple[str, str]], kind: str) -> list[int]:
    return sorted({int(i) for t, i in keys if t == kind and str(i).isdecimal()})


def any_of(parts: list[Q]) -> Q | None:
    if not parts:
        return None
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


# --- records' own coverage rules (the moderation types are in moderation.retention_hooks) ----------


def _held_items_as_text(keys: set[tuple[str, str]]):
    """A subquery of the ids (as text, like Document.source_id) of the items the holds cover, or None."""
    try:
        target = registry.retention_target(ITEM)
    except LookupError:
        return None
    if target.held_q is None:
        return None
    q = target.held_q(keys)
    if q is None:
        return None
    model = target.queryset().model
    return Subquery(model._default_manager.filter(q).annotate(sid_=Cast("pk", CharField())).values("sid_"))


def document_held_q(keys: set[tuple[str, str]], *, via_source: bool = True) -> Q | None:
    """Documents the holds cover: held themselves, in a held case, or registered from a held item
    (`via_source` False leaves the source out: the item's own rule asks for documents that way)."""
    parts = []
    if docs := int_keys(keys, DOCUMENT):
        parts.append(Q(pk__in=docs))
    if cases := int_keys(keys, CASE):
        parts.append(Q(case_id__in=cases))
    if via_source and (items := _held_items_as_text(keys)) is not None:
        parts.append(Q(source_type=ITEM, source_id__in=items))
    return any_of(parts)


def case_held_q(keys: set[tuple[str, str]]) -> Q | None:
    """Cases the holds cover: held themselves, or holding a covered document."""
    from records.models import Document

    parts = []
    if cases := int_keys(keys, CASE):
        parts.append(Q(pk__in=cases))
    doc_q = document_held_q(keys)
    if doc_q is not None:
        parts.append(Exists(Document.objects.filter(doc_q, case_id=OuterRef("pk"))))
    return any_of(parts)


def direct_held_q(target_type: str):
    """The rule for a kind that only its own holds cover (disclosure and subject requests)."""
    def held_q(keys: set[tuple[str, str]]) -> Q | None:
        ids = int_keys(keys, target_type)
        return Q(pk__in=ids) if ids else None
    return held_q


# --- asking the rule about a few objects -----------------------------------------------------------


def _target(target_type: str):
    from records.retention.services.plan import all_targets

    return next((t for t in all_targets() if t.type == target_type), None)


def held_ids(target, ids: Iterable, on: date | None = None, keys: set[tuple[str, str]] | None = None) -> set[str]:
    """Which of `ids` (of a RetentionTarget) an active hold covers: one query through `target.held_q`."""
    ids = [str(i) for i in ids]
    keys = active_hold_keys(on) if keys is None else keys
    if not keys or not ids:
        return set()
    direct = {i for i in ids if (target.type, i) in keys}
    q = target.held_q(keys) if target.held_q is not None else None
    if q is None:
        return direct
    model = target.queryset().model
    found = model._default_manager.filter(pk__in=ids).filter(q).values_list("pk", flat=True)
    return direct | {str(pk) for pk in found}


def is_on_hold(target_type: str, target_id, on: date | None = None) -> bool:
    """True when an active hold covers the object (itself, or what covers it by the rule above)."""
    return str(target_id) in hold_ends(target_type, [target_id], on)


def hold_ends(target_type: str, ids: Iterable, on: date | None = None) -> dict[str, date]:
    """{id: the last day a hold covers it} for the covered ones (`date.max` when a covering hold is
    open-ended). Holds are grouped by end date (a few groups), the latest group first: one query
    per group through the same rule as the purge."""
    ids = [str(i) for i in ids]
    by_end: dict[date, set[tuple[str, str]]] = {}
    for kind, pk, ends in LegalHold.objects.active(on).values_list("target_type", "target_id", "ends_on"):
        by_end.setdefault(ends or date.max, set()).add((kind, str(pk)))
    target = _target(target_type)
    result: dict[str, date] = {}
    for end in sorted(by_end, reverse=True):
        left = [i for i in ids if i not in result]
        if not left:
            break
        keys = by_end[end]
        covered = held_ids(target, left, keys=keys) if target else {i for i in left if (target_type, i) in keys}
        result.update(dict.fromkeys(covered, end))
    return result


def hold_end(target_type: str, target_id, on: date | None = None) -> date | None:
    """The last day a hold covers the target (`date.max` when open-ended), None when not held."""
    return hold_ends(target_type, [target_id], on).get(str(target_id))
