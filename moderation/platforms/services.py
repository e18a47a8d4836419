"""The platform side's writes that other parts call: the outbox (every call to a platform is a PlatformAction
row written in the caller's transaction) and the report of a channel that stopped working.

moderation/platforms/outbox.py (the connectors' worker) carries the rows out, with retries; the only
`on_commit` in moderation is the one that wakes it up here (it calls the outside world), through
``wakeups`` so that this module stays below the task layer (see tests/test_platform_structure.py).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.errors import DomainError
from moderation.models import (
    Channel,
    Decision,
    Item,
    Platform,
    PlatformAction,
    PlatformActionKind,
    Sanction,
    WebhookRejection,
)
from moderation.platforms import wakeups

logger = logging.getLogger(__name__)

_KIND_LABELS = {
    "hide": "dölja", "unhide": "visa igen", "delete": "ta bort", "block": "blockera",
    "unblock": "häva blockering av", "reply": "svara på",
}


def platform_supports(platform: str, kind: str) -> bool:
    """Whether the platform's API can carry out `kind` (the connectors' SUPPORTS tables)."""
    if platform in (Platform.FACEBOOK, Platform.INSTAGRAM):
        from moderation.platforms.connectors.meta import SUPPORTS as META

        return bool(META.get(platform, {}).get(kind))
    if platform == Platform.YOUTUBE:
        from moderation.platforms.connectors.youtube import SUPPORTS as YT

        return bool(YT.get(kind))
    if platform == Platform.LINKEDIN:
        from moderation.platforms.connectors.linkedin import SUPPORTS as LI

        return bool(LI.get(kind))
    return False  # "other": nothing to call; the moderator acts by hand


def unsupported_message(channel: Channel, kind: str) -> str:
    return (f"{channel.get_platform_display()} går inte att {_KIND_LABELS.get(kind, kind)} via gränssnittet: "
            "gör det direkt på plattformen.")


def platform_action_enqueue(
    *,
    channel: Channel,
    kind: str,
    item: Item | None = None,
    decision: Decision | None = None,
    sanction: Sanction | None = None,
    payload: dict | None = None,
) -> PlatformAction:
    """Write one outbox row (status pending, due now) and wake the worker when the transaction commits.

    Guarantees: a kind the platform does not support is refused with a Swedish DomainError and
    nothing is written; the row commits or rolls back with the caller's transaction; the task is
    enqueued only after commit (so the platform never acts on something we did not store).
    """
    if kind not in PlatformActionKind.values:
        raise DomainError(f"Okänd åtgärd på plattformen: {kind}")
    if not platform_supports(channel.platform, kind):
        raise DomainError(unsupported_message(channel, kind), code="platform_unsupported")
    data = dict(payload or {})
    if item is not None:
        data.setdefault("target_id", item.external_id)
    if sanction is not None and sanction.author_id:
        data.setdefault("author_external_id", sanction.author.external_id)
    with transaction.atomic():
        action = PlatformAction.objects.create(
            channel=channel, kind=kind, item=item, decision=decision, sanction=sanction, payload=data,
            next_attempt_at=timezone.now(),
        )
        action_id = action.pk
        transaction.on_commit(lambda: _wake(action_id))
    return action


def _wake(action_id: int) -> None:
    # The row stays pending if this fails; the worker's sweep picks it up.
    wakeups.wake(wakeups.ACTION, action_id=action_id)


def notify_channel_failure(channel: Channel, reason: str) -> None:
    """Tell the administrators and the channel's unit moderators that the channel stopped working (its
    token could not be refreshed, its permissions fail).

    Guarantees: logged as a warning and recorded in the audit log (``channel_failure``) in the caller's
    transaction; ``reason`` is a short Swedish text without secrets (it is shown to auditors); a
    notification goes out once per channel, reason and day (moderation/platforms/notifications.py)."""
    from accounts.services import audit_record
    from moderation.platforms.notifications import channel_failure_emit

    logger.warning("channel %s failed: %s", channel.slug, reason)
    audit_record(actor=None, action="other", target=channel, actor_label="system",
                 detail={"event": "channel_failure", "platform": channel.platform, "reason": reason[:300]})
    channel_failure_emit(channel=channel, reason=reason)


def webhook_rejections_prune(*, now: dt.datetime | None = None) -> int:
    """Delete rejections older than UPPSIKT_WEBHOOK_REJECTIONS_DAYS and all but the newest
    UPPSIKT_WEBHOOK_REJECTIONS_MAX_ROWS. Returns how many were deleted (run by the scheduler)."""
    now = now or timezone.now()
    deleted, _ = WebhookRejection.objects.filter(
        received_at__lt=now - dt.timedelta(days=settings.UPPSIKT_WEBHOOK_REJECTIONS_DAYS)).delete()
    cap = settings.UPPSIKT_WEBHOOK_REJECTIONS_MAX_ROWS
    boundary = list(WebhookRejection.objects.order_by("-id").values_list("id", flat=True)[cap:cap + 1])
    if boundary:
        over, _ = WebhookRejection.objects.filter(id__lte=boundary[0]).delete()
        deleted += over
    return deleted

