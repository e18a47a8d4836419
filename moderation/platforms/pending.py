"""Expiring events that wait for an item that never came (``PendingEvent`` rows older than
``UPPSIKT_PENDING_EVENT_TTL_HOURS``).

- A stored child waiting for its parent (verb "parent"): the parent is read from the platform and stored (the
  child is then linked as usual); when the platform cannot give it, the child stays an item without a parent.
- An edit, removal, hide or unhide of an item we never received: the item is read from the platform and stored,
  and the waiting event applied to it; otherwise an edit that carries text becomes the item itself (the
  text is never lost); a removal, hide or unhide without content has nothing to keep and is closed.

Each row ends with ``expired_at`` set and its ``outcome`` (a short Swedish text), or ``applied_at`` when the
item arrived after all. Rows tied to an item are deleted with that item's content when it is purged
(``moderation.retention_hooks``). HTTP calls are made outside transactions; every row is handled on its own.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from moderation.models import Item, PendingEvent
from moderation.platforms import threads
from moderation.platforms.ingest import PENDING_VERBS, event_from_json, platform_event_apply

logger = logging.getLogger(__name__)

AWAIT_PARENT = "parent"  # moderation.queue.services.ingest.AWAIT_PARENT
BATCH = 200


def _ttl() -> timedelta:
    return timedelta(hours=settings.UPPSIKT_PENDING_EVENT_TTL_HOURS)


def pending_expired_qs(now=None):
    cutoff = (now or timezone.now()) - _ttl()
    return PendingEvent.objects.filter(applied_at__isnull=True, expired_at__isnull=True, received_at__lt=cutoff)


def _close(row: PendingEvent, outcome: str, item: Item | None = None) -> None:
    PendingEvent.objects.filter(pk=row.pk, applied_at__isnull=True).update(
        expired_at=timezone.now(), outcome=outcome[:300], item=item or row.item)


def _expire_parent(row: PendingEvent) -> str:
    fetched = threads.fetch(row.channel, row.external_id)
    if fetched is not None:
        with transaction.atomic():
            platform_event_apply(channel=row.channel, event=fetched)
        row.refresh_from_db()
        if row.applied_at is not None:  # the parent arrived and adopted its child
            return "fetched"
    _close(row, "Det överordnade inlägget finns inte på plattformen; sparat utan överordnat inlägg.")
    return "orphaned"


def _expire_event(row: PendingEvent) -> str:
    event = event_from_json(row.event)
    fetched = threads.fetch(row.channel, row.external_id, hint="post" if event.kind == "post" else "comment")
    if fetched is not None:
        with transaction.atomic():
            platform_event_apply(channel=row.channel, event=fetched)  # applies the waiting events in order
        return "fetched"
    if event.verb == "edit" and event.text:
        with transaction.atomic():
            platform_event_apply(channel=row.channel, event=replace(event, verb="add"))
        item = Item.objects.filter(channel=row.channel, external_id=row.external_id).first()
        _close(row, "Inlägget kom aldrig; ändringen sparad som inlägget.", item)
        return "kept_as_item"
    _close(row, "Inlägget kom aldrig och händelsen har inget innehåll att spara.")
    return "closed"


def pending_events_expire(*, now=None, limit: int = 1000) -> dict[str, int]:
    """Expire up to ``limit`` rows older than the TTL (see the module docstring). Returns counts per outcome."""
    counts: dict[str, int] = {}
    ids = list(pending_expired_qs(now).order_by("received_at", "id").values_list("pk", flat=True)[:limit])
    for start in range(0, len(ids), BATCH):
        for row in PendingEvent.objects.filter(pk__in=ids[start:start + BATCH]).select_related("channel", "item"):
            if row.applied_at is not None or row.expired_at is not None:
                continue
            try:
                if row.verb == AWAIT_PARENT:
                    outcome = _expire_parent(row)
                elif row.verb in PENDING_VERBS:
                    outcome = _expire_event(row)
                else:
                    _close(row, f"Okänd händelse {row.verb}.")
                    outcome = "closed"
            except Exception:
                logger.exception("pending event %s could not be expired; tried again next run", row.pk)
                outcome = "error"
            counts[outcome] = counts.get(outcome, 0) + 1
    if counts:
        logger.info("pending events expired: %s", counts)
    return counts
