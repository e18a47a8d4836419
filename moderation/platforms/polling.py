"""Polling where the platforms do not push: YouTube comment threads and LinkedIn organisation post comments.

``channel_poll(channel=…)`` reads new pages and applies each event with ``platform_event_apply`` (so
polling and webhooks share idempotency, versions and out-of-order handling). Every reply arrives:

- YouTube embeds at most 5 replies in a thread; when ``totalReplyCount`` is higher (and we have fewer stored),
  the rest is read with ``comments.list?parentId=…`` page by page; each thread's video is read once
  (``videos.list``) and stored as the thread's root post, before its comments.
- LinkedIn lists only first-level comments under a post; a comment with replies (``commentsSummary``) has them
  read with its commentUrn as the target, page by page.

Where it stopped is kept in ``Channel.poll_state`` (written with ``QuerySet.update()`` under a row lock, so
polling leaves no history rows and the outbox worker's quota counting is never overwritten):

    {"youtube": {"streams": {"<status>": {"page_token": "…" | null, "completed_at": iso}},
                 "replies": {"<top-level comment id>": {"video_id", "status", "total", "page_token"}}},
     "quota": {"day": "YYYY-MM-DD" (Pacific time), "used": units},
     "linkedin": {"posts": ["urn:li:…"], "cursors": {"<post urn>": start},
                  "replies": {"<commentUrn>": {"post": "<post urn>", "start": n}}},
     "last_poll_at": iso, "last_result": {…}}

YouTube quota (see ``quota``): every call is counted; polling stops before its budget and resumes the next run
where it stopped (reply pages included). A 401 is answered by one token refresh (``tokens``) and one retry. A
thread without a top-level comment does not stop the poller: it is logged and dead-lettered, the rest goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from moderation.models import Channel, CredentialsStatus, Item, Platform
from moderation.platforms.clients import client_for_channel
from moderation.platforms.connectors.errors import PermissionMissing, PlatformError, RateLimited, TokenInvalid
from moderation.platforms.connectors.linkedin import CommentPage
from moderation.platforms.connectors.youtube import QUOTA_COST, IncompleteThread
from moderation.platforms.credentials import MISSING_CREDENTIALS, channel_access_token, channel_credentials_mark
from moderation.platforms.ingest import events_apply, poll_dead_letter
from moderation.platforms.quota import daily_quota, polling_budget, quota_day, quota_used, youtube_quota_add
from moderation.platforms.tokens import can_refresh, channel_token_refresh

logger = logging.getLogger(__name__)

__all__ = ["channel_poll", "linkedin_posts", "poll_linkedin", "poll_youtube", "quota_day", "youtube_quota_add"]

YOUTUBE_STATUSES = ("heldForReview", "likelySpam", "published")
MAX_PAGES_PER_RUN = 20
MAX_REPLY_PAGES_PER_RUN = 200  # reply pages (YouTube comments.list, LinkedIn nested lists) in one run
LINKEDIN_MAX_POSTS = 50
LINKEDIN_PAGE_SIZE = 50
YOUTUBE_PAGE_SIZE = 100
YOUTUBE_REPLY_PAGE_SIZE = 100


class _Stop(Exception):
    """Polling of the channel stops here (``reason`` goes to the summary); the state is saved."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- state --------------------------------------------------------------------------------------------------


def _state(channel: Channel) -> dict:
    return dict(Channel.objects.filter(pk=channel.pk).values_list("poll_state", flat=True).first() or {})


def _update_state(channel: Channel, change: Callable[[dict], Any]) -> Any:
    """Read, change and write the poll state under a row lock; returns what ``change`` returns."""
    with transaction.atomic():
        state = dict(Channel.objects.select_for_update().filter(pk=channel.pk)
                     .values_list("poll_state", flat=True).first() or {})
        result = change(state)
        Channel.objects.filter(pk=channel.pk).update(poll_state=state)
        channel.poll_state = state
    return result


def _section(state: dict, platform: str, name: str) -> dict:
    return state.setdefault(platform, {}).setdefault(name, {})


# --- the session: a client refreshed once on a 401 -------------------------------------------------------------


class _Session:
    """The channel's connector client. On a 401 the access token is refreshed once (when the channel has a
    refresh token) and the call retried with a new client; ``units`` counts YouTube quota across clients."""

    def __init__(self, channel: Channel, token: str) -> None:
        self.channel = channel
        self.client = client_for_channel(channel, token)
        self.refreshed = False
        self._closed_units = 0

    @property
    def units(self) -> int:
        return self._closed_units + getattr(self.client, "quota_used", 0)

    def call(self, fn: Callable[[Any], Any]) -> Any:
        try:
            return fn(self.client)
        except TokenInvalid:
            if self.refreshed or not can_refresh(self.channel):
                raise
            self.refreshed = True
            result = channel_token_refresh(channel=self.channel, reason="401")
            if not result.ok:
                raise _Stop("token_refresh_failed" if result.outcome == "failed" else "token_refresh_retry") from None
            self._replace_client()
            return fn(self.client)

    def _replace_client(self) -> None:
        self._closed_units += getattr(self.client, "quota_used", 0)
        self.client.close()
        self.channel.refresh_from_db(fields=["encrypted_access_token"])
        self.client = client_for_channel(self.channel, channel_access_token(self.channel))

    def close(self) -> None:
        self.client.close()


def _mark_credentials(channel: Channel, error: PlatformError) -> None:
    status = CredentialsStatus.INVALID if isinstance(error, TokenInvalid) else CredentialsStatus.PERMISSION_MISSING
    channel_credentials_mark(channel=channel, status=status, error=error.message)


def _merge(total: dict, part: dict) -> None:
    for key, value in part.items():
        total[key] = total.get(key, 0) + value


def _run(channel: Channel, summary: dict, body: Callable[[_Session], None]) -> dict:
    """Open a session, run ``body`` and turn the ways it can stop into the summary's "stopped"."""
    token = channel_access_token(channel)
    if not token:
        channel_credentials_mark(channel=channel, status=CredentialsStatus.MISSING, error=MISSING_CREDENTIALS)
        return {"stopped": "credentials_missing"}
    session = _Session(channel, token)
    try:
        body(session)
    except _Stop as stop:
        summary["stopped"] = stop.reason
    except (TokenInvalid, PermissionMissing) as error:
        _mark_credentials(channel, error)
        summary["stopped"] = "credentials"
    except RateLimited as error:
        if error.code in ("quotaExceeded", "dailyLimitExceeded"):
            _update_state(channel, lambda s: s.update(quota={"day": quota_day(), "used": daily_quota()}))
        summary["stopped"] = "rate_limited"
    except PlatformError as error:
        summary["stopped"] = f"error: {error.message}"[:200]
    finally:
        session.close()
    return summary


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

    def finish(state: dict) -> None:
        state["last_poll_at"] = timezone.now().isoformat()
        state["last_result"] = {k: v for k, v in result.items() if k != "events"}

    _update_state(channel, finish)
    return result


# --- YouTube ----------------------------------------------------------------------------------------------------


class _YouTube:
    """One YouTube polling run: threads, their videos and their replies, within the quota budget."""

    def __init__(self, channel: Channel, session: _Session, summary: dict, max_pages: int) -> None:
        self.channel, self.session, self.summary, self.max_pages = channel, session, summary, max_pages
        self.budget = polling_budget()

    def call(self, fn: Callable[[Any], Any]) -> Any:
        """One API call of one unit, if the budget allows it; counted in the channel's quota."""
        if quota_used(_state(self.channel)) + QUOTA_COST["list"] > self.budget:
            logger.info("YouTube polling of %s stopped: quota budget reached", self.channel.slug)
            raise _Stop("quota")
        before = self.session.units
        try:
            return self.session.call(fn)
        finally:
            spent = self.session.units - before
            if spent:
                youtube_quota_add(channel=self.channel, units=spent)
                self.summary["units"] += spent

    def run(self) -> None:
        self.replies()  # what the last run left unfinished first
        for status in YOUTUBE_STATUSES:
            while True:
                if self.summary["pages"] >= self.max_pages:
                    raise _Stop("page_limit")
                if not self.thread_page(status):
                    break

    def thread_page(self, status: str) -> bool:
        """Read one page of threads; True when there is a next page."""
        token = _section(_state(self.channel), "youtube", "streams").get(status, {}).get("page_token")
        page = self.call(lambda c: c.list_thread_page(self.channel.external_id, status, page_token=token,
                                                      max_results=YOUTUBE_PAGE_SIZE))
        self.summary["pages"] += 1
        self.roots(page.video_ids)
        _merge(self.summary["events"], events_apply(channel=self.channel, events=page.events))
        for broken in page.broken:
            self.summary["broken_threads"] += 1
            poll_dead_letter(channel=self.channel, platform=Platform.YOUTUBE, reason=broken.reason,
                             data={"platform": "youtube", "account_id": self.channel.external_id,
                                   "status": status, "thread": broken.raw})
        wanted = [t for t in page.incomplete if _stored_replies(self.channel, t.comment_id) < t.total_replies]

        def save(state: dict) -> None:
            stream = _section(state, "youtube", "streams").setdefault(status, {})
            stream["page_token"] = page.next_page_token
            if page.next_page_token is None:
                stream["completed_at"] = timezone.now().isoformat()
            pending = _section(state, "youtube", "replies")
            for thread in wanted:
                pending.setdefault(thread.comment_id, {"video_id": thread.video_id, "status": thread.status,
                                                       "total": thread.total_replies, "page_token": None})

        _update_state(self.channel, save)
        self.replies()
        return page.next_page_token is not None

    def roots(self, video_ids: list[str]) -> None:
        """Store each thread's video once, as its root post (before the comments, so they link to it)."""
        have = set(Item.objects.filter(channel=self.channel, external_id__in=video_ids)
                   .values_list("external_id", flat=True))
        missing = [v for v in video_ids if v not in have]
        if missing:
            events = self.call(lambda c: c.get_videos(self.channel.external_id, missing))
            self.summary["videos"] += len(events)
            _merge(self.summary["events"], events_apply(channel=self.channel, events=events))

    def replies(self) -> None:
        """Read the replies of the threads that embed fewer than they have, page by page (resumable)."""
        pending = dict(_section(_state(self.channel), "youtube", "replies"))
        for comment_id, entry in pending.items():
            thread = IncompleteThread(comment_id, comment_id, entry.get("video_id"), int(entry.get("total") or 0),
                                      0, entry.get("status") or "published")
            token = entry.get("page_token")
            while True:
                if self.summary["reply_pages"] >= MAX_REPLY_PAGES_PER_RUN:
                    raise _Stop("page_limit")
                events, token = self.call(lambda c, t=token, th=thread: c.list_replies(
                    self.channel.external_id, th, page_token=t, max_results=YOUTUBE_REPLY_PAGE_SIZE))
                self.summary["reply_pages"] += 1
                _merge(self.summary["events"], events_apply(channel=self.channel, events=events))
                _update_state(self.channel, lambda s, t=token, key=comment_id: _reply_cursor(
                    s, "youtube", key, "page_token", t))
                if token is None:
                    break


def _reply_cursor(state: dict, platform: str, key: str, field: str, value: object) -> None:
    replies = _section(state, platform, "replies")
    if value is None:
        replies.pop(key, None)
    elif key in replies:
        replies[key][field] = value


def _stored_replies(channel: Channel, comment_id: str) -> int:
    return Item.objects.filter(channel=channel, parent__external_id=comment_id, parent__channel=channel).count()


def poll_youtube(*, channel: Channel, max_pages: int = MAX_PAGES_PER_RUN) -> dict:
    """Read ``commentThreads`` for each moderation status page by page (resuming at the stored pageToken),
    each thread's video once, and the replies a thread does not embed."""
    summary: dict = {"pages": 0, "reply_pages": 0, "videos": 0, "broken_threads": 0, "events": {}, "units": 0}
    return _run(channel, summary, lambda session: _YouTube(channel, session, summary, max_pages).run())


# --- LinkedIn ---------------------------------------------------------------------------------------------------


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


class _LinkedIn:
    def __init__(self, channel: Channel, session: _Session, summary: dict, max_pages: int) -> None:
        self.channel, self.session, self.summary, self.max_pages = channel, session, summary, max_pages

    def run(self) -> None:
        self.replies()
        for urn in linkedin_posts(self.channel):
            while self.post_page(urn):
                pass
            self.summary["posts"] += 1

    def post_page(self, urn: str) -> bool:
        if self.summary["pages"] >= self.max_pages:
            raise _Stop("page_limit")
        start = int(_section(_state(self.channel), "linkedin", "cursors").get(urn) or 0)
        page = self.session.call(lambda c: c.list_comment_page(urn, start=start, count=LINKEDIN_PAGE_SIZE))
        self.summary["pages"] += 1
        self.apply(page, urn)

        def save(state: dict) -> None:
            cursors = _section(state, "linkedin", "cursors")
            if page.next_start is None:
                cursors.pop(urn, None)
            else:
                cursors[urn] = page.next_start

        _update_state(self.channel, save)
        self.replies()
        return page.next_start is not None

    def apply(self, page: CommentPage, post_urn: str) -> None:
        _merge(self.summary["events"], events_apply(channel=self.channel, events=page.events))
        wanted = [c for c in page.with_replies if _stored_replies(self.channel, c.comment_id) < c.count]
        if wanted:
            _update_state(self.channel, lambda s: [
                _section(s, "linkedin", "replies").setdefault(c.urn, {"post": post_urn, "start": 0}) for c in wanted])

    def replies(self) -> None:
        """Read the nested comments of the comments that have replies, page by page (resumable)."""
        while True:
            pending = _section(_state(self.channel), "linkedin", "replies")
            if not pending:
                return
            comment_urn, entry = next(iter(pending.items()))
            if self.summary["reply_pages"] >= MAX_REPLY_PAGES_PER_RUN:
                raise _Stop("page_limit")
            start, post = int(entry.get("start") or 0), entry.get("post")
            page = self.session.call(lambda c, u=comment_urn, s=start, p=post: c.list_comment_page(
                u, start=s, count=LINKEDIN_PAGE_SIZE, post_urn=p))
            self.summary["reply_pages"] += 1
            self.apply(page, entry.get("post") or comment_urn)
            _update_state(self.channel, lambda s, u=comment_urn, n=page.next_start: _reply_cursor(
                s, "linkedin", u, "start", n))


def poll_linkedin(*, channel: Channel, max_pages: int = MAX_PAGES_PER_RUN) -> dict:
    """Read every listed post's comments page by page, and each comment's replies; the cursors (``start``) are
    stored while paging so a run cut short resumes there, and cleared when a list is read to the end."""
    summary: dict = {"pages": 0, "reply_pages": 0, "events": {}, "posts": 0}
    channel.poll_state = _state(channel)
    return _run(channel, summary, lambda session: _LinkedIn(channel, session, summary, max_pages).run())

