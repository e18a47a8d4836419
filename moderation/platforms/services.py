"""The outbox: every call to a platform is a PlatformAction row written in the caller's transaction.

moderation/platforms/outbox.py (the connectors' worker) carries the rows out, with retries; the only
`on_commit` in moderation is the one that wakes it up here (it calls the outside world).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.errors import DomainError
from moderation.models import Channel, Decision, Item, Platform, PlatformAction, PlatformActionKind, Sanction

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
    from moderation.platforms.tasks import platform_action_run

    try:
        platform_action_run.enqueue(action_id)
    except Exception:  # noqa: BLE001 - the row stays pending; the worker's sweep picks it up
        import logging

        logging.getLogger("uppsikt.moderation").warning("could not enqueue platform action %s", action_id,
                                                        exc_info=True)


def notify_channel_failure(channel: Channel, reason: str) -> None:
    """Tell the channel's unit moderators and the administrators that its token or permissions fail
    (once per channel, reason and day; moderation/platforms/notifications.py)."""
    from moderation.platforms.notifications import channel_failure_emit

    channel_failure_emit(channel=channel, reason=reason)
