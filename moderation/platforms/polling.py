"""Polling where the platforms do not push: YouTube comment threads and LinkedIn organisation post comments.

``channel_poll(channel=…)`` reads new pages and applies each event with ``platform_event_apply`` (so
polling and webhooks share idempotency, versions and out-of-order handling).

Where it stopped is kept in ``Channel.poll_state`` (written with ``QuerySet.update()``, so polling leaves
no history rows):

    {"youtube": {"streams": {"<status>": {"page_token": "…" | null, "completed_at": iso}}},
     "quota": {"day": "YYYY-MM-DD" (Pacific time), "used": units},
     "linkedin": {"posts": ["urn:li:…"], "cursors": {"<post urn>": start}},
     "last_poll_at": iso, "last_result": {…}}

YouTube quota: every call's units are counted per Pacific-time day (the quota resets at midnight
Pacific); polling stops politely before ``UPPSIKT_YOUTUBE_DAILY_QUOTA - UPPSIKT_YOUTUBE_ACTION_RESERVE``
units, leaving the reserve for moderation calls (50 units each), and never goes past the daily quota.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from moderation.models import Channel, CredentialsStatus, Item, Platform
from moderation.platforms.connectors.errors import PermissionMissing, PlatformError, RateLimited, TokenInvalid
from moderation.platforms.connectors.linkedin import LinkedInClient
from moderation.platforms.connectors.youtube import QUOTA_COST, YouTubeClient

logger = logging.getLogger(__name__)

YOUTUBE_STATUSES = ("heldForReview", "likelySpam", "published")
MAX_PAGES_PER_RUN = 20
LINKEDIN_MAX_POSTS = 50
LINKEDIN_PAGE_SIZE = 50


def _daily_quota() -> int:
    return getattr(settings, "UPPSIKT_YOUTUBE_DAILY_QUOTA", 10_000)


def _action_reserve() -> int:
    return getattr(settings, "UPPSIKT_YOUTUBE_ACTION_RESERVE", 1_000)


def quota_day(now: datetime | None = None) -> str:
    try:
        pacific = ZoneInfo("America/Los_Angeles")
    except Exception:  # no tz database: UTC-8 is close enough for counting
        pacific = dt_timezone(timedelta(hours=-8))
    return (now or datetime.now(UTC)).astimezone(pacific).date().isoformat()


def _state(channel: Channel) -> dict:
    return dict(Channel.objects.filter(pk=channel.pk).values_list("poll_state", flat=True).first() or {})


def _save_state(channel: Channel, state: dict) -> None:
    Channel.objects.filter(pk=channel.pk).update(poll_state=state)
    channel.poll_state = state


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
        _save_state(channel, state)
    return used


def _credentials(channel: Channel) -> str:
    from moderation.platforms.outbox import channel_access_token

    return channel_access_token(channel)


def _mark_credentials(channel: Channel, error: PlatformError) -> None:
    from moderation.platforms.outbox import channel_credentials_mark

    status = CredentialsStatus.INVALID if isinstance(error, TokenInvalid) else CredentialsStatus.PERMISSION_MISSING
    channel_credentials_mark(channel=channel, status=status, error=error.message)


def _apply(channel: Channel, events) -> dict[str, int]:
    from moderation.platforms.ingest import platform_event_apply

    counts: dict[str, int] = {}
    with transaction.atomic():
        for event in events:
            outcome = platform_event_apply(channel=channel, event=event)
            counts[outcome] = counts.get(outcome, 0) + 1
        if events:
            Channel.objects.filter(pk=channel.pk).update(last_event_at=timezone.now())
    return counts


def _merge(total: dict, part: dict) -> None:
    for key, value in part.items():
        total[key] = total.get(key, 0) + value


def channel_poll(*, channel: Channel, max_pages: int = MAX_PAGES_PER_RUN) -> dict:
    """Poll one channel (YouTube or LinkedIn; others are skipped). Returns a summary."""
    if not channel.active:
        return {"skipped": "inactive"}
    if channel.platform == Platform.YOUTUBE:
        result = poll_youtube(channel=channel, max_pages=max_pages)
    elif channel.platform == Platform.LINKEDIN:
        result = poll_linkedin(channel=channel, max_pages=max_pages)
    else:
        return {"skipped": f"no polling for {channel.platform}"}
    state = _state(channel)
    state["last_poll_at"] = timezone.now().isoformat()
    state["last_result"] = {k: v for k, v in result.items() if k != "events"}
    _save_state(channel, state)
    return result


def poll_youtube(*, channel: Channel, max_pages: int = MAX_PAGES_PER_RUN) -> dict:
    """Read ``commentThreads`` for each moderation status, page by page, resuming at the stored pageToken."""
    token = _credentials(channel)
    if not token:
        from moderation.platforms.outbox import MISSING_CREDENTIALS, channel_credentials_mark

        channel_credentials_mark(channel=channel, status=CredentialsStatus.MISSING, error=MISSING_CREDENTIALS)
        return {"stopped": "credentials_missing"}
    summary: dict = {"pages": 0, "events": {}, "units": 0}
    budget = min(_daily_quota() - _action_reserve(), _daily_quota())
    with YouTubeClient(settings.UPPSIKT_YOUTUBE_URL, token, timeout=settings.UPPSIKT_PLATFORM_TIMEOUT) as client:
        for status in YOUTUBE_STATUSES:
            while summary["pages"] < max_pages:
                state = _state(channel)
                if quota_used(state) + QUOTA_COST["list"] > budget:
                    summary["stopped"] = "quota"
                    logger.info("YouTube polling of %s stopped: quota budget reached", channel.slug)
                    return summary
                streams = state.setdefault("youtube", {}).setdefault("streams", {})
                stream = streams.setdefault(status, {})
                before = client.quota_used
                try:
                    events, next_token = client.list_comment_threads(channel.external_id, status,
                                                                     page_token=stream.get("page_token"))
                except RateLimited as error:
                    youtube_quota_add(channel=channel, units=client.quota_used - before)
                    if error.code in ("quotaExceeded", "dailyLimitExceeded"):
                        state = _state(channel)
                        state["quota"] = {"day": quota_day(), "used": _daily_quota()}
                        _save_state(channel, state)
                    summary["stopped"] = "rate_limited"
                    return summary
                except (TokenInvalid, PermissionMissing) as error:
                    _mark_credentials(channel, error)
                    summary["stopped"] = "credentials"
                    return summary
                except PlatformError as error:
                    youtube_quota_add(channel=channel, units=client.quota_used - before)
                    summary["stopped"] = f"error: {error.message}"[:200]
                    return summary
                units = client.quota_used - before
                summary["units"] += units
                _merge(summary["events"], _apply(channel, events))
                summary["pages"] += 1
                # Remember where we are after each page (a crash resumes at the next page).
                state = _state(channel)
                used = quota_used(state) + units
                state["quota"] = {"day": quota_day(), "used": used}
                stream = state.setdefault("youtube", {}).setdefault("streams", {}).setdefault(status, {})
                stream["page_token"] = next_token
                if next_token is None:
                    stream["completed_at"] = timezone.now().isoformat()
                _save_state(channel, state)
                if next_token is None:
                    break
            else:
                summary["stopped"] = "page_limit"
                return summary
    return summary


def linkedin_posts(channel: Channel) -> list[str]:
    """The posts whose comments are read: the channel's own posts with LinkedIn URNs (newest first), and
    any listed in ``poll_state["linkedin"]["posts"]``."""
    own = list(
        Item.objects.filter(channel=channel, kind="post", external_id__startswith="urn:li:", purged_at__isnull=True)
        .order_by("-received_at").values_list("external_id", flat=True)[:LINKEDIN_MAX_POSTS]
    )
    listed = list((channel.poll_state or {}).get("linkedin", {}).get("posts", []))
    seen: list[str] = []
    for urn in own + listed:
        if urn not in seen:
            seen.append(urn)
    return seen[:LINKEDIN_MAX_POSTS]


def poll_linkedin(*, channel: Channel, max_pages: int = MAX_PAGES_PER_RUN) -> dict:
    """Read every listed post's comments page by page; the page cursor (``start``) is stored while paging so a
    run cut short resumes there, and cleared when the post is read to the end."""
    token = _credentials(channel)
    if not token:
        from moderation.platforms.outbox import MISSING_CREDENTIALS, channel_credentials_mark

        channel_credentials_mark(channel=channel, status=CredentialsStatus.MISSING, error=MISSING_CREDENTIALS)
        return {"stopped": "credentials_missing"}
    summary: dict = {"pages": 0, "events": {}, "posts": 0}
    channel.poll_state = _state(channel)
    posts = linkedin_posts(channel)
    with LinkedInClient(settings.UPPSIKT_LINKEDIN_URL, token, channel.external_id,
                        timeout=settings.UPPSIKT_PLATFORM_TIMEOUT) as client:
        for urn in posts:
            while True:
                if summary["pages"] >= max_pages:
                    summary["stopped"] = "page_limit"
                    return summary
                state = _state(channel)
                cursors = state.setdefault("linkedin", {}).setdefault("cursors", {})
                start = int(cursors.get(urn) or 0)
                try:
                    events, next_start = client.list_comments(urn, start=start, count=LINKEDIN_PAGE_SIZE)
                except (TokenInvalid, PermissionMissing) as error:
                    _mark_credentials(channel, error)
                    summary["stopped"] = "credentials"
                    return summary
                except PlatformError as error:
                    summary["stopped"] = f"error: {error.message}"[:200]
                    return summary
                _merge(summary["events"], _apply(channel, events))
                summary["pages"] += 1
                state = _state(channel)
                cursors = state.setdefault("linkedin", {}).setdefault("cursors", {})
                if next_start is None:
                    cursors.pop(urn, None)
                else:
                    cursors[urn] = next_start
                _save_state(channel, state)
                if next_start is None:
                    break
            summary["posts"] += 1
    return summary
