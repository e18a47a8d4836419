"""YouTube's daily quota, counted per Pacific-time day in ``Channel.poll_state["quota"]`` by the poller and
the outbox worker alike (the quota resets at midnight Pacific time).

Polling stops before ``UPPSIKT_YOUTUBE_DAILY_QUOTA - UPPSIKT_YOUTUBE_ACTION_RESERVE`` units so that moderation
calls (50 units each) still fit, and never goes past the daily quota.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from moderation.models import Channel


def daily_quota() -> int:
    return getattr(settings, "UPPSIKT_YOUTUBE_DAILY_QUOTA", 10_000)


def action_reserve() -> int:
    return getattr(settings, "UPPSIKT_YOUTUBE_ACTION_RESERVE", 1_000)


def polling_budget() -> int:
    """Units polling may use in a day."""
    return min(daily_quota() - action_reserve(), daily_quota())


def quota_day(now: datetime | None = None) -> str:
    try:
        pacific = ZoneInfo("America/Los_Angeles")
    except Exception:  # no tz database: UTC-8 is close enough for counting
        pacific = dt_timezone(timedelta(hours=-8))
    return (now or datetime.now(UTC)).astimezone(pacific).date().isoformat()


def quota_used(state: dict, now: datetime | None = None) -> int:
    quota = state.get("quota") or {}
    return int(quota.get("used", 0)) if quota.get("day") == quota_day(now) else 0


def youtube_quota_add(*, channel: Channel, units: int) -> int:
    """Count units spent today on the channel's project; returns today's total. (Row-locked: the poller and
    the outbox worker may both count at once.)"""
    with transaction.atomic():
        state = dict(Channel.objects.select_for_update().filter(pk=channel.pk)
                     .values_list("poll_state", flat=True).first() or {})
        used = quota_used(state) + units
        state["quota"] = {"day": quota_day(), "used": used}
        Channel.objects.filter(pk=channel.pk).update(poll_state=state)
        channel.poll_state = state
    return used
