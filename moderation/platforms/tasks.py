"""Background tasks of the platform connectors (queue "platform"; run by ``manage.py db_worker``).

This is the task layer: it imports the modules below it (outbox, ingest, polling, snapshot, tokens,
pending) and registers the wake-ups they ask for (``wakeups``), so none of them imports it. Tasks hold no
rules: each calls one service.

django-tasks has no scheduler: ``manage.py run_scheduled`` (from cron every minute, see
docs/connecting-platforms.md) enqueues the periodic ones (sweeper, polling, snapshots, token refresh,
pending-event expiry).
"""

from __future__ import annotations

import datetime as dt

from config.tasks import task
from moderation.models import Channel
from moderation.platforms import ingest, outbox, pending, polling, snapshot, tokens, wakeups


@task(queue_name="platform")
def platform_action_run(action_id: int) -> str:
    """Carry out one outbox row, after the transaction that wrote it has committed."""
    return outbox.platform_action_execute(action_id=action_id)


@task(queue_name="platform")
def webhook_delivery_process(delivery_id: int) -> str:
    return str(ingest.webhook_delivery_process(delivery_id=delivery_id))


@task(queue_name="platform")
def platform_actions_sweep(limit: int = 100) -> dict:
    return outbox.platform_actions_run_due(limit=limit)


@task(queue_name="platform")
def channel_poll(channel_id: int) -> dict:
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None:
        return {"skipped": "no such channel"}
    return polling.channel_poll(channel=channel)


@task(queue_name="platform")
def channel_snapshot(channel_id: int, period_end: str | None = None) -> dict:
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None:
        return {"skipped": "no such channel"}
    end = dt.date.fromisoformat(period_end) if period_end else None
    return snapshot.channel_snapshot(channel=channel, period_end=end)


@task(queue_name="platform")
def channel_tokens_refresh() -> dict:
    """Refresh the YouTube/LinkedIn access tokens that expire within the hour (every 10 minutes)."""
    return tokens.channel_tokens_refresh_due()


@task(queue_name="platform")
def pending_events_expire() -> dict:
    """Expire events that waited longer than UPPSIKT_PENDING_EVENT_TTL_HOURS for their item or parent."""
    return pending.pending_events_expire()


wakeups.register(wakeups.ACTION, lambda action_id: platform_action_run.enqueue(action_id))
wakeups.register(wakeups.ACTIONS_SWEEP, lambda: platform_actions_sweep.enqueue())
wakeups.register(wakeups.DELIVERY, lambda delivery_id: webhook_delivery_process.enqueue(delivery_id=delivery_id))
