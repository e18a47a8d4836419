"""Turning what the platforms send into items: stored webhook deliveries and polled events.

- ``webhook_delivery_process(delivery_id=…)``: parse a stored Meta delivery and apply its events, all in one
  transaction; a delivery that cannot be processed becomes "dead" with the error (the dead-letter list).
- ``webhook_delivery_replay(delivery_id=…, actor=…)``: staff send a dead delivery through again.
- ``platform_event_apply(channel=…, event=…)``: one ``PlatformEvent`` (add, edit, remove, hide, unhide).

Guarantees:
- repeated deliveries create nothing twice: items are unique per (channel, external_id) and an edit with a
  text already stored makes no new version (``item_ingest`` answers "unchanged");
- an edit, removal, hide or unhide that arrives before its item is kept as a ``PendingEvent`` and applied,
  in the order received, when the item arrives;
- a removal on the platform keeps our copy: the item is only marked removed there (by the author, unless it
  was our own delete action);
- the page's own posts and replies are stored as outgoing items.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, fields
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from moderation.models import (
    Channel,
    Item,
    PendingEvent,
    Platform,
    PlatformAction,
    PlatformActionKind,
    PlatformActionStatus,
    WebhookDelivery,
    WebhookStatus,
)
from moderation.platforms.connectors.events import PlatformEvent
from moderation.platforms.connectors.meta import MalformedPayload, SkippedChange, parse_delivery
from moderation.platforms.notifications import delivery_dead_emit

logger = logging.getLogger(__name__)

HIDDEN_YOUTUBE_STATUSES = frozenset({"heldForReview", "likelySpam", "rejected"})
# PendingEvent verbs written here (item_ingest keeps its own "await_parent" rows in the same table).
PENDING_VERBS = ("edit", "remove", "hide", "unhide")


# --- events as JSON (PendingEvent.event) ------------------------------------------------------------------


def event_to_json(event: PlatformEvent) -> dict:
    data = asdict(event)
    if isinstance(data.get("created_at"), datetime):
        data["created_at"] = data["created_at"].isoformat()
    return data


def event_from_json(data: dict) -> PlatformEvent:
    known = {f.name for f in fields(PlatformEvent)}
    values = {k: v for k, v in data.items() if k in known}
    if isinstance(values.get("created_at"), str):
        values["created_at"] = datetime.fromisoformat(values["created_at"])
    return PlatformEvent(**values)


# --- one event --------------------------------------------------------------------------------------------


def _ingest(channel: Channel, event: PlatformEvent, text: str | None = None):
    from moderation.queue.services.ingest import item_ingest

    return item_ingest(
        channel=channel,
        external_id=event.external_id,
        kind=event.kind,
        direction=event.direction,
        text=text if text is not None else (event.text or ""),
        author_external_id=event.author_id,
        author_name=event.author_name,
        created_at=event.created_at,
        parent_external_id=event.parent_external_id if event.parent_external_id != event.external_id else None,
        post_external_id=event.post_external_id if event.post_external_id != event.external_id else None,
        url=event.url,
        raw=event.raw or {},
    )


def _keep_pending(channel: Channel, event: PlatformEvent) -> str:
    data = event_to_json(event)
    duplicate = PendingEvent.objects.filter(
        channel=channel, external_id=event.external_id, verb=event.verb, applied_at__isnull=True, event=data
    ).exists()
    if not duplicate:
        PendingEvent.objects.create(channel=channel, external_id=event.external_id, verb=event.verb, event=data)
    return "pending"


def _removed_by_us(item: Item) -> bool:
    return PlatformAction.objects.filter(
        item=item, kind__in=[PlatformActionKind.DELETE, PlatformActionKind.BLOCK],
        status__in=[PlatformActionStatus.DONE, PlatformActionStatus.RUNNING],
    ).exists()


def _apply_to_item(channel: Channel, item: Item, event: PlatformEvent) -> str:
    from moderation.queue.services import ingest as services

    if event.verb == "edit":
        if event.text is None:
            return "unchanged"
        _item, outcome = _ingest(channel, event)
        return outcome
    if event.verb == "remove":
        if item.removed_on_platform_at is not None or item.removed_by_author_at is not None:
            return "unchanged"
        services.item_mark_removed_on_platform(
            item=item, by_author=not _removed_by_us(item), at=event.created_at or timezone.now()
        )
        return "removed"
    if event.verb in ("hide", "unhide"):
        hidden = event.verb == "hide"
        if item.hidden_on_platform == hidden:
            return "unchanged"
        services.item_set_hidden_on_platform(item=item, hidden=hidden)
        return "hidden" if hidden else "unhidden"
    return "ignored"


def _apply_pending(channel: Channel, item: Item) -> int:
    applied = 0
    pending = list(
        PendingEvent.objects.select_for_update()
        .filter(channel=channel, external_id=item.external_id, verb__in=PENDING_VERBS, applied_at__isnull=True)
        .order_by("received_at", "id")
    )
    for row in pending:
        item.refresh_from_db()
        _apply_to_item(channel, item, event_from_json(row.event))
        row.applied_at = timezone.now()
        row.save(update_fields=["applied_at"])
        applied += 1
    return applied


def platform_event_apply(*, channel: Channel, event: PlatformEvent) -> str:
    """Apply one event to the channel's items; returns "created", "updated", "unchanged", "pending",
    "removed", "hidden", "unhidden" or "ignored". Runs in the caller's transaction (or its own)."""
    from moderation.queue.services import ingest as services

    with transaction.atomic():
        if event.verb == "add":
            item, outcome = _ingest(channel, event)
            if (
                event.platform == Platform.YOUTUBE
                and event.moderation_status in HIDDEN_YOUTUBE_STATUSES
                and not item.hidden_on_platform
            ):
                services.item_set_hidden_on_platform(item=item, hidden=True)
            _apply_pending(channel, item)
            return outcome
        item = Item.objects.filter(channel=channel, external_id=event.external_id).first()
        if item is None:
            return _keep_pending(channel, event)
        return _apply_to_item(channel, item, event)


# --- webhook deliveries -----------------------------------------------------------------------------------


def _target_channel(delivery: WebhookDelivery, event: PlatformEvent) -> Channel | None:
    """The channel an event belongs to: the one for its platform account, provided it is the delivery's
    channel or shares its app secret (a delivery signed with one app's secret may not write to another's)."""
    own = delivery.channel
    if own is not None and own.platform == event.platform and own.external_id == event.account_id:
        return own
    other = Channel.objects.for_platform_account(event.platform, event.account_id).first()
    if other is None or own is None:
        return None
    try:
        same_app = other.get_secret("app_secret") == own.get_secret("app_secret") != ""
    except Exception:  # an unreadable secret: not the same app
        same_app = False
    return other if same_app else None


def _delivery_mark(delivery_id: int, **values) -> None:
    WebhookDelivery.objects.filter(pk=delivery_id).update(**values)


def webhook_delivery_process(*, delivery_id: int) -> str:
    """Process one stored delivery that is "received"; returns its new status.

    Every event of the delivery is applied in one transaction: either all of them or, on an error, none
    (the delivery is then "dead" with the error, for the dead-letter list and a replay after a fix)."""
    delivery = WebhookDelivery.objects.select_related("channel").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookStatus.RECEIVED:
        return "skipped"
    attempts = delivery.attempts + 1
    skipped: list[SkippedChange] = []
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            locked = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
            if locked.status != WebhookStatus.RECEIVED:
                return "skipped"
            payload = json.loads(bytes(locked.body).decode("utf-8"))
            events = parse_delivery(payload, skipped=skipped)
            touched: set[int] = set()
            for event in events:
                channel = _target_channel(delivery, event)
                if channel is None:
                    skipped.append(SkippedChange(event.external_id, f"no channel for account {event.account_id}"))
                    continue
                outcome = platform_event_apply(channel=channel, event=event)
                counts[outcome] = counts.get(outcome, 0) + 1
                touched.add(channel.pk)
            if touched:
                Channel.objects.filter(pk__in=touched).update(last_event_at=timezone.now())
            note = "; ".join(f"{s.where}: {s.reason}" for s in skipped)[:500]
            _delivery_mark(delivery_id, status=WebhookStatus.PROCESSED, processed_at=timezone.now(),
                           attempts=attempts, error=note)
    except (MalformedPayload, ValueError, UnicodeDecodeError) as exc:
        _delivery_mark(delivery_id, status=WebhookStatus.DEAD, attempts=attempts,
                       error=f"Kunde inte tolkas: {exc}"[:500])
        logger.warning("webhook delivery %s dead: malformed: %s", delivery_id, exc)
        delivery_dead_emit(delivery=delivery)
        return WebhookStatus.DEAD
    except Exception as exc:
        _delivery_mark(delivery_id, status=WebhookStatus.DEAD, attempts=attempts,
                       error=f"{type(exc).__name__}: {exc}"[:500])
        logger.exception("webhook delivery %s dead", delivery_id)
        delivery_dead_emit(delivery=delivery)
        return WebhookStatus.DEAD
    logger.info("webhook delivery %s processed: %s", delivery_id, counts)
    return WebhookStatus.PROCESSED


def webhook_delivery_replay(*, delivery_id: int, actor, request=None) -> WebhookDelivery:
    """Put a dead (or ignored, signature-valid) delivery back to "received" and process it after commit.
    Audited. Deliveries with an invalid signature are never replayed."""
    from accounts.errors import DomainError
    from accounts.services import audit_record

    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update(of=("self",)).select_related("channel").get(pk=delivery_id)
        if not delivery.signature_valid:
            raise DomainError("En leverans med ogiltig signatur kan inte köras om.")
        if delivery.status not in (WebhookStatus.DEAD, WebhookStatus.IGNORED):
            raise DomainError("Bara misslyckade eller ignorerade leveranser kan köras om.")
        delivery.status = WebhookStatus.RECEIVED
        delivery.error = ""
        delivery.save(update_fields=["status", "error"])
        audit_record(actor=actor, action="other", target=delivery, request=request,
                     detail={"event": "webhook_replay", "channel": delivery.channel.slug if delivery.channel else ""})
        transaction.on_commit(lambda: _enqueue_process(delivery.pk))
    return delivery


def _enqueue_process(delivery_id: int) -> None:
    from moderation.platforms.tasks import webhook_delivery_process as task

    task.enqueue(delivery_id=delivery_id)
