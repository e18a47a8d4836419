"""Turning what the platforms send into items: stored webhook deliveries and polled events.

- ``webhook_delivery_process(delivery_id=…)``: parse a stored Meta delivery and apply each of its changes and
  messages on its own (a savepoint each); a change that cannot be processed goes to the dead-letter list
  (``WebhookChangeFailure``) with its reason while the rest is applied.
- ``webhook_delivery_replay(delivery_id=…, actor=…)``: staff send a dead or partial delivery through again;
  only its failed changes are retried.
- ``platform_event_apply(channel=…, event=…)``: one ``PlatformEvent`` (add, edit, remove, hide, unhide);
  ``events_apply`` many, a savepoint each (polling).
- ``poll_dead_letter(…)``: a polled object that cannot be processed, kept for the dead-letter list.

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
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from moderation.models import (
    Channel,
    DeliverySource,
    Item,
    PendingEvent,
    Platform,
    PlatformAction,
    PlatformActionKind,
    PlatformActionStatus,
    WebhookChangeFailure,
    WebhookDelivery,
    WebhookStatus,
)
from moderation.platforms import threads, wakeups
from moderation.platforms.connectors import youtube as youtube_connector
from moderation.platforms.connectors.events import AttachmentRef, PlatformEvent
from moderation.platforms.connectors.meta import MalformedPayload, SkippedChange, parse_part, split_delivery
from moderation.platforms.notifications import delivery_dead_emit

logger = logging.getLogger(__name__)

HIDDEN_YOUTUBE_STATUSES = frozenset({"heldForReview", "likelySpam", "rejected"})
# PendingEvent verbs written here (item_ingest keeps its own "await_parent" rows in the same table).
PENDING_VERBS = ("edit", "remove", "hide", "unhide")
POLL_PART = "thread"  # the one part of a polled dead letter


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
    values["attachments"] = [AttachmentRef.from_json(a) for a in values.get("attachments") or []
                             if isinstance(a, dict)]
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
        attachments=[ref.as_json() for ref in event.attachments],
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
        row.item = item  # purged with the item's content
        row.save(update_fields=["applied_at", "item"])
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


# --- several events ---------------------------------------------------------------------------------------


def events_apply(*, channel: Channel, events: list[PlatformEvent]) -> dict[str, int]:
    """Apply events one by one, each in its own savepoint: one that fails is logged and counted as "failed"
    (polling reads it again next time) while the others are stored. Returns a count per outcome."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        for event in events:
            try:
                with transaction.atomic():
                    outcome = platform_event_apply(channel=channel, event=event)
            except Exception:
                logger.exception("%s: event %s (%s) could not be applied", channel.slug, event.external_id,
                                 event.verb)
                outcome = "failed"
            counts[outcome] = counts.get(outcome, 0) + 1
        if events:
            Channel.objects.filter(pk=channel.pk).update(last_event_at=timezone.now())
    return counts


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


@dataclass
class _Part:
    """One part of a delivery after parsing: its events, or why it is skipped, or why it failed."""

    where: str
    events: list[PlatformEvent] = field(default_factory=list)
    skipped: str = ""
    error: str = ""


def _parse_parts(delivery: WebhookDelivery, payload: object, notes: list[SkippedChange]) -> list[_Part]:
    """Every part of the delivery, parsed on its own (no database writes, no HTTP)."""
    if delivery.source == DeliverySource.POLL:
        return [_parse_polled(payload)]
    parts = []
    for part in split_delivery(payload, skipped=notes):
        try:
            result = parse_part(part)
        except MalformedPayload as exc:
            parts.append(_Part(part.where, error=f"Kunde inte tolkas: {exc}"))
            continue
        if isinstance(result, SkippedChange):
            parts.append(_Part(part.where, skipped=result.reason))
        else:
            parts.append(_Part(part.where, events=[result]))
    return parts


def _parse_polled(payload: object) -> _Part:
    """A polled object kept as a dead letter: {"platform": "youtube", "account_id", "status", "thread"}."""
    data = payload if isinstance(payload, dict) else {}
    if data.get("platform") != Platform.YOUTUBE or not isinstance(data.get("account_id"), str):
        return _Part(POLL_PART, error="Kunde inte tolkas: okänt hämtat objekt")
    try:
        parsed = youtube_connector.parse_thread(data["account_id"], data.get("thread"),
                                                str(data.get("status") or "published"))
    except youtube_connector.MalformedThread as exc:
        return _Part(POLL_PART, error=f"Kunde inte tolkas: {exc}")
    return _Part(POLL_PART, events=parsed.events)


def _complete_instagram(delivery: WebhookDelivery, parts: list[_Part]) -> None:
    """Instagram comments get their thread root before they are applied (HTTP here, outside transactions): a
    comment without ``media`` (older deliveries) is looked up, and a media not yet stored is read and added
    first as the account's own post. What the platform cannot give is left out: the comment is still stored."""
    fetched: set[str] = set()
    for part in parts:
        completed: list[PlatformEvent] = []
        for event in part.events:
            channel = _target_channel(delivery, event) if _needs_root(event) else None
            if channel is None:
                completed.append(event)
                continue
            if event.post_external_id is None:
                found = threads.ig_comment(channel, event.external_id)
                if found is not None and found.post_external_id:
                    event = replace(event, post_external_id=found.post_external_id,
                                    parent_external_id=event.parent_external_id or found.parent_external_id,
                                    author_id=event.author_id or found.author_id,
                                    author_name=event.author_name or found.author_name)
            media_id = event.post_external_id
            if media_id and media_id not in fetched:
                fetched.add(media_id)
                if not Item.objects.filter(channel=channel, external_id=media_id).exists():
                    root = threads.ig_media(channel, media_id)
                    if root is not None:
                        completed.append(root)
            completed.append(event)
        part.events = completed


def _needs_root(event: PlatformEvent) -> bool:
    return event.platform == Platform.INSTAGRAM and event.kind in ("comment", "reply") and event.verb == "add"


def _record_failure(delivery: WebhookDelivery, where: str, reason: str) -> None:
    failure, created = WebhookChangeFailure.objects.get_or_create(
        delivery=delivery, where=where, defaults={"reason": reason[:500]})
    if not created:
        WebhookChangeFailure.objects.filter(pk=failure.pk).update(
            reason=reason[:500], attempts=F("attempts") + 1, failed_at=timezone.now(), resolved_at=None)


def _apply_part(delivery: WebhookDelivery, part: _Part, counts: dict[str, int], touched: set[int],
                notes: list[SkippedChange]) -> bool:
    """Apply one part in its own savepoint; False (and a dead-letter row) when it fails."""
    if part.error:
        _record_failure(delivery, part.where, part.error)
        return False
    if part.skipped:
        notes.append(SkippedChange(part.where, part.skipped))
        return True
    try:
        with transaction.atomic():
            for event in part.events:
                channel = _target_channel(delivery, event)
                if channel is None:
                    notes.append(SkippedChange(part.where, f"no channel for account {event.account_id}"))
                    continue
                outcome = platform_event_apply(channel=channel, event=event)
                counts[outcome] = counts.get(outcome, 0) + 1
                touched.add(channel.pk)
    except Exception as exc:
        logger.exception("webhook delivery %s: %s could not be applied", delivery.pk, part.where)
        _record_failure(delivery, part.where, f"{type(exc).__name__}: {exc}")
        return False
    return True


def webhook_delivery_process(*, delivery_id: int) -> str:
    """Process one stored delivery that is "received"; returns its new status.

    Each part of the delivery (a change, a message, a polled thread) is applied on its own, in a savepoint: a
    part that cannot be processed gets a ``WebhookChangeFailure`` row with its reason (the dead-letter list)
    while the rest is stored. The delivery is then "processed" (nothing failed), "partial" (some parts failed)
    or "dead" (nothing could be applied). A replay processes only the parts with an open failure row, so
    nothing is applied twice; a delivery whose envelope cannot be read at all is "dead" as a whole."""
    delivery = WebhookDelivery.objects.select_related("channel").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookStatus.RECEIVED:
        return "skipped"
    attempts = delivery.attempts + 1
    notes: list[SkippedChange] = []
    try:
        payload = json.loads(bytes(delivery.body).decode("utf-8"))
        parts = _parse_parts(delivery, payload, notes)
    except (MalformedPayload, ValueError, UnicodeDecodeError) as exc:
        _delivery_mark(delivery_id, status=WebhookStatus.DEAD, attempts=attempts,
                       error=f"Kunde inte tolkas: {exc}"[:500])
        logger.warning("webhook delivery %s dead: malformed: %s", delivery_id, exc)
        delivery_dead_emit(delivery=delivery)
        return WebhookStatus.DEAD
    retry_only = set(delivery.failed_changes.filter(resolved_at__isnull=True).values_list("where", flat=True))
    if retry_only:
        parts = [p for p in parts if p.where in retry_only]
    _complete_instagram(delivery, parts)
    counts: dict[str, int] = {}
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        if locked.status != WebhookStatus.RECEIVED:
            return "skipped"
        touched: set[int] = set()
        for part in parts:
            if _apply_part(delivery, part, counts, touched, notes):
                WebhookChangeFailure.objects.filter(delivery=delivery, where=part.where,
                                                    resolved_at__isnull=True).update(resolved_at=timezone.now())
        if touched:
            Channel.objects.filter(pk__in=touched).update(last_event_at=timezone.now())
        status, error = _delivery_outcome(delivery, notes)
        _delivery_mark(delivery_id, status=status, processed_at=timezone.now(), attempts=attempts, error=error)
        if status == WebhookStatus.DEAD:
            delivery_dead_emit(delivery=delivery)
    logger.info("webhook delivery %s %s: %s", delivery_id, status, counts)
    return status


def _delivery_outcome(delivery: WebhookDelivery, notes: list[SkippedChange]) -> tuple[str, str]:
    failed = list(delivery.failed_changes.filter(resolved_at__isnull=True).values_list("where", "reason"))
    note = "; ".join(f"{s.where}: {s.reason}" for s in notes)
    if not failed:
        return WebhookStatus.PROCESSED, note[:500]
    applied_ever = _parts_total(delivery) > len(failed)
    summary = f"{len(failed)} ändring(ar) misslyckades: " + "; ".join(f"{w}: {r}" for w, r in failed)
    return (WebhookStatus.PARTIAL if applied_ever else WebhookStatus.DEAD), summary[:500]


def _parts_total(delivery: WebhookDelivery) -> int:
    try:
        payload = json.loads(bytes(delivery.body).decode("utf-8"))
        return 1 if delivery.source == DeliverySource.POLL else len(split_delivery(payload))
    except (MalformedPayload, ValueError, UnicodeDecodeError):
        return 0


def poll_dead_letter(*, channel: Channel, platform: str, data: dict, reason: str) -> WebhookDelivery | None:
    """Keep a polled object that could not be processed (e.g. a YouTube thread without its top-level comment)
    in the dead-letter list, raw, so it can be replayed after a fix. The same object twice makes one row."""
    body = json.dumps(data, ensure_ascii=True, sort_keys=True).encode()
    if WebhookDelivery.objects.filter(channel=channel, source=DeliverySource.POLL, body=body).exists():
        return None
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            channel=channel, platform=platform, body=body, headers={}, signature_valid=True,
            source=DeliverySource.POLL, status=WebhookStatus.DEAD, attempts=1, error=reason[:500],
        )
        WebhookChangeFailure.objects.create(delivery=delivery, where=POLL_PART, reason=reason[:500])
    logger.warning("%s: polled %s dead-lettered: %s", channel.slug, platform, reason)
    return delivery


REPLAYABLE = (WebhookStatus.DEAD, WebhookStatus.PARTIAL, WebhookStatus.IGNORED)


def webhook_delivery_replay(*, delivery_id: int, actor, request=None) -> WebhookDelivery:
    """Put a dead, partly processed or ignored (signature-valid) delivery back to "received" and process it
    after commit; only its failed parts are tried again. Audited. Deliveries with an invalid signature are
    never replayed."""
    from accounts.errors import DomainError
    from accounts.services import audit_record

    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update(of=("self",)).select_related("channel").get(pk=delivery_id)
        if not delivery.signature_valid:
            raise DomainError("En leverans med ogiltig signatur kan inte köras om.")
        if delivery.status not in REPLAYABLE:
            raise DomainError("Bara misslyckade, delvis behandlade eller ignorerade leveranser kan köras om.")
        delivery.status = WebhookStatus.RECEIVED
        delivery.error = ""
        delivery.save(update_fields=["status", "error"])
        audit_record(actor=actor, action="other", target=delivery, request=request,
                     detail={"event": "webhook_replay", "channel": delivery.channel.slug if delivery.channel else "",
                             "parts": delivery.failed_changes.filter(resolved_at__isnull=True).count()})
        transaction.on_commit(lambda: wakeups.wake(wakeups.DELIVERY, delivery_id=delivery.pk))
    return delivery
