"""Legal holds (spärr mot gallring): while active, the target is neither purged nor erased.

A hold covers its target and everything whose `RetentionTarget.hold_keys` names it: a hold on an
author or a channel covers their items, a hold on a case covers its documents. Holds are checked
when a purge list is drafted AND when it is executed, and before an erasure.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import AuditAction
from accounts.services import audit_record
from records.models import LegalHold, LegalHoldSource, LegalHoldTarget

__all__ = ["active_hold_keys", "held_ids", "is_on_hold", "legal_hold_place", "legal_hold_release"]


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


def held_ids(target, ids: list[str], on: date | None = None, keys: set[tuple[str, str]] | None = None) -> set[str]:
    """Which of `ids` (of a RetentionTarget) are covered by an active hold, directly or via hold_keys."""
    keys = active_hold_keys(on) if keys is None else keys
    if not keys or not ids:
        return set()
    held = {i for i in ids if (target.type, str(i)) in keys}
    if target.hold_keys is not None:
        for pk, others in target.hold_keys([str(i) for i in ids]).items():
            if any((t, str(o)) in keys for t, o in others):
                held.add(str(pk))
    return held


def is_on_hold(target_type: str, target_id, on: date | None = None) -> bool:
    """True when an active hold covers the target (itself, or its author/channel/case)."""
    from records.retention.services.plan import all_targets

    keys = active_hold_keys(on)
    if (target_type, str(target_id)) in keys:
        return True
    for target in all_targets():
        if target.type == target_type:
            return bool(held_ids(target, [str(target_id)], on, keys))
    return False


def hold_end(target_type: str, target_id, on: date | None = None) -> date | None:
    """The last day a hold covers the target (`date.max` when open-ended), None when not held."""
    if not is_on_hold(target_type, target_id, on):
        return None
    ends = [h.ends_on for h in LegalHold.objects.active(on).filter(target_type=target_type, target_id=str(target_id))]
    if not ends or any(e is None for e in ends):
        return date.max
    return max(ends)
