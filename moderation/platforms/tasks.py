"""Background tasks of the platform connectors (queue "platform"; run by ``manage.py run_worker``).

This is the task layer: it imports the modules below it (outbox, ingest, polling, snapshot, tokens,
pending) and registers the wake-ups they ask for (``wakeups``), so none of them imports it. Tasks hold no
rules: each calls one service.

The periodic ones (sweeper, polling, snapshots) are jobs in the shared job table (`scheduled_jobs()`
below), enqueued by ``manage.py run_scheduler`` (or cron's ``run_scheduled``) once per period.
Every task here is idempotent: run twice, it changes nothing the second time.
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



# --- periodic jobs (config.scheduling; run by `manage.py run_scheduler` or cron's `run_scheduled`) ---


def _enqueue_sweep(now) -> str:
    platform_actions_sweep.enqueue()
    return "sweeper"


def _enqueue_stale_deliveries(now) -> str:
    """Deliveries left "received" for more than five minutes (their task was lost) go back in the queue."""
    import datetime as dt

    from moderation.models import WebhookDelivery, WebhookStatus

    stale = WebhookDelivery.objects.filter(status=WebhookStatus.RECEIVED, signature_valid=True,
                                           received_at__lt=now - dt.timedelta(minutes=5)).order_by("pk")
    ids = list(stale.values_list("pk", flat=True)[:500])
    for pk in ids:
        webhook_delivery_process.enqueue(delivery_id=pk)
    return f"{len(ids)} leveranser"


def _enqueue_polls(now) -> str:
    """Poll each active YouTube/LinkedIn channel whose last poll is older than UPPSIKT_POLL_MINUTES (5)."""
    import datetime as dt

    from django.conf import settings

    from moderation.models import Channel, Platform

    every = dt.timedelta(minutes=getattr(settings, "UPPSIKT_POLL_MINUTES", 5))
    polled = []
    for channel in Channel.objects.active().filter(platform__in=[Platform.YOUTUBE, Platform.LINKEDIN]):
        last = (channel.poll_state or {}).get("last_poll_at")
        if last and dt.datetime.fromisoformat(last) > now - every:
            continue
        channel_poll.enqueue(channel_id=channel.pk)
        polled.append(channel.slug)
    return "hämtar " + ", ".join(polled) if polled else "inget att hämta"


def _enqueue_snapshots(now) -> str:
    """The half-yearly snapshot of every active channel for the half-year that has ended, if missing
    (checked daily, so a failed snapshot is retried the next day; the task checks again)."""
    from django.utils import timezone

    from moderation.models import Channel
    from moderation.platforms.snapshot import last_completed_period_end, snapshot_exists

    period_end = last_completed_period_end(timezone.localdate(now))
    made = []
    for channel in Channel.objects.active():
        if not snapshot_exists(channel=channel, period_end=period_end):
            channel_snapshot.enqueue(channel_id=channel.pk, period_end=period_end.isoformat())
            made.append(channel.slug)
    return f"{period_end}: " + (", ".join(made) if made else "alla finns")


def _prune_rejections(now) -> str:
    from moderation.platforms.services import webhook_rejections_prune

    return f"{webhook_rejections_prune(now=now)} borttagna"


def _enqueue_token_refresh(now) -> str:
    channel_tokens_refresh.enqueue()
    return "köad"


def _enqueue_pending_expiry(now) -> str:
    pending_events_expire.enqueue()
    return "köad"


def scheduled_jobs() -> list:
    """The connectors' periodic jobs (registered by ModerationConfig.ready())."""
    from config.scheduling import Daily, Every, Job

    return [
        Job("platform_actions_sweep", Every(minutes=1), _enqueue_sweep, "Utförande på plattformarna: nya försök"),
        Job("webhook_deliveries_stale", Every(minutes=1), _enqueue_stale_deliveries,
            "Webhookleveranser som blivit liggande"),
        Job("channel_polling", Every(minutes=1), _enqueue_polls, "Hämtning från YouTube och LinkedIn"),
        Job("channel_snapshots", Daily(hour=3, minute=0), _enqueue_snapshots, "Halvårsvisa ögonblicksbilder"),
        Job("webhook_rejections_prune", Every(minutes=10), _prune_rejections,
            "Rensning av avvisade webhookanrop"),
        Job("platform_token_refresh", Every(minutes=10), _enqueue_token_refresh,
            "Förnyelse av åtkomsttoken för YouTube och LinkedIn"),
        Job("platform_pending_expiry", Every(minutes=60), _enqueue_pending_expiry,
            "Händelser som väntat för länge på sitt inlägg"),
    ]


wakeups.register(wakeups.ACTION, lambda action_id: platform_action_run.enqueue(action_id))
wakeups.register(wakeups.ACTIONS_SWEEP, lambda: platform_actions_sweep.enqueue())
wakeups.register(wakeups.DELIVERY, lambda delivery_id: webhook_delivery_process.enqueue(delivery_id=delivery_id))
