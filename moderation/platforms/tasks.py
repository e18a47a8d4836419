"""Background tasks of the platform connectors (queue "platform"; run by ``manage.py db_worker``).

django-tasks has no scheduler: ``manage.py run_scheduled`` (from cron every minute, see
docs/connecting-platforms.md) enqueues the periodic ones (sweeper, polling, snapshots).
"""

from __future__ import annotations

from config.tasks import task


@task(queue_name="platform")
def platform_action_run(action_id: int) -> str:
    """Carry out one outbox row, after the transaction that wrote it has committed."""
    from moderation.platforms.outbox import platform_action_execute

    return platform_action_execute(action_id=action_id)


@task(queue_name="platform")
def webhook_delivery_process(delivery_id: int) -> str:
    from moderation.platforms.ingest import webhook_delivery_process as process

    return str(process(delivery_id=delivery_id))


@task(queue_name="platform")
def platform_actions_sweep(limit: int = 100) -> dict:
    from moderation.platforms.outbox import platform_actions_run_due

    return platform_actions_run_due(limit=limit)


@task(queue_name="platform")
def channel_poll(channel_id: int) -> dict:
    from moderation.models import Channel
    from moderation.platforms.polling import channel_poll as poll

    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None:
        return {"skipped": "no such channel"}
    return poll(channel=channel)


@task(queue_name="platform")
def channel_snapshot(channel_id: int, period_end: str | None = None) -> dict:
    import datetime as dt

    from moderation.models import Channel
    from moderation.platforms.snapshot import channel_snapshot as snapshot

    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None:
        return {"skipped": "no such channel"}
    end = dt.date.fromisoformat(period_end) if period_end else None
    return snapshot(channel=channel, period_end=end)
