"""Enqueue the connectors' periodic tasks; run from cron (or a systemd timer) every minute:

    * * * * *  cd /srv/uppsikt && .venv/bin/python manage.py run_scheduled

- the outbox sweeper (retries of platform actions), every run;
- webhook deliveries left "received" for more than five minutes (their task was lost), re-enqueued;
- polling of each active YouTube/LinkedIn channel when its last poll is older than UPPSIKT_POLL_MINUTES
  (default 5);
- the twice-yearly snapshot of every active channel for the half-year that has ended, if not yet made
  (idempotent per period; the task itself checks again);
- every 10 minutes, the refresh of YouTube/LinkedIn access tokens that expire within the hour, and every hour
  the expiry of events that waited too long for their item (``PLATFORM_JOBS``);
- once a day, the retention recompute and the draft of the day's purge list (records'
  `purge_lists_draft_daily`); the last day it was enqueued is kept in `var/scheduled/purge_draft_daily`.

django-tasks has no scheduler of its own; the worker (`manage.py db_worker`) runs what this enqueues.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from moderation.models import Channel, Platform, WebhookDelivery, WebhookStatus


class Command(BaseCommand):
    help = "Lägger periodiska uppgifter i kön (körs från cron varje minut)."

    def handle(self, *args, **options):
        from moderation.platforms import tasks as t
        from moderation.platforms.snapshot import last_completed_period_end, snapshot_exists

        now = timezone.now()
        t.platform_actions_sweep.enqueue()
        lines = ["sweeper"]

        stale = WebhookDelivery.objects.filter(status=WebhookStatus.RECEIVED, signature_valid=True,
                                               received_at__lt=now - dt.timedelta(minutes=5))
        for pk in stale.values_list("pk", flat=True)[:500]:
            t.webhook_delivery_process.enqueue(delivery_id=pk)
            lines.append(f"webhook {pk}")

        every = dt.timedelta(minutes=getattr(settings, "UPPSIKT_POLL_MINUTES", 5))
        for channel in Channel.objects.active().filter(platform__in=[Platform.YOUTUBE, Platform.LINKEDIN]):
            last = (channel.poll_state or {}).get("last_poll_at")
            if last and dt.datetime.fromisoformat(last) > now - every:
                continue
            t.channel_poll.enqueue(channel_id=channel.pk)
            lines.append(f"poll {channel.slug}")

        period_end = last_completed_period_end(timezone.localdate())
        for channel in Channel.objects.active():
            if not snapshot_exists(channel=channel, period_end=period_end):
                t.channel_snapshot.enqueue(channel_id=channel.pk, period_end=period_end.isoformat())
                lines.append(f"snapshot {channel.slug} {period_end}")
        lines += _platform_jobs(now)
        if _once_today("purge_draft_daily", timezone.localdate()):
            from records.retention.tasks import purge_lists_draft_daily

            purge_lists_draft_daily.enqueue()
            lines.append("gallringslista")
        self.stdout.write("Köade: " + ", ".join(lines))


# --- platform jobs (moderation/platforms: token refresh, pending-event expiry) -------------------------------
# Kept in one place so they can move to the schedule table (config/scheduling/) as they are.
PLATFORM_JOBS = (
    # (marker key, every N minutes, task name in moderation.platforms.tasks)
    ("platform_token_refresh", 10, "channel_tokens_refresh"),
    ("platform_pending_expiry", 60, "pending_events_expire"),
)


def _platform_jobs(now: dt.datetime) -> list[str]:
    from moderation.platforms import tasks as t

    queued = []
    for key, minutes, name in PLATFORM_JOBS:
        if _due_every(key, now, minutes):
            getattr(t, name).enqueue()
            queued.append(name)
    return queued


def _due_every(key: str, now: dt.datetime, minutes: int) -> bool:
    """True when the last run of ``key`` (var/scheduled/<key>) is ``minutes`` or more ago; then records now."""
    folder = Path(getattr(settings, "VAR_DIR", Path("var"))) / "scheduled"
    marker = folder / key
    if marker.exists():
        try:
            last = dt.datetime.fromisoformat(marker.read_text().strip())
        except ValueError:
            last = None
        if last is not None and now - last < dt.timedelta(minutes=minutes):
            return False
    folder.mkdir(parents=True, exist_ok=True)
    tmp = marker.with_suffix(".tmp")
    tmp.write_text(now.isoformat())
    tmp.replace(marker)
    return True


def _once_today(key: str, today: dt.date) -> bool:
    """True the first time it is asked on a given day (the day is then written to var/scheduled/<key>)."""
    folder = Path(getattr(settings, "VAR_DIR", Path("var"))) / "scheduled"
    marker = folder / key
    if marker.exists() and marker.read_text().strip() == today.isoformat():
        return False
    folder.mkdir(parents=True, exist_ok=True)
    tmp = marker.with_suffix(".tmp")
    tmp.write_text(today.isoformat())
    tmp.replace(marker)
    return True
