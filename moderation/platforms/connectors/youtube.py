"""YouTube Data API v3: polling comment threads and setting their moderation status.

Platform facts, checked in Google's documentation with the search tool (developers.google.com/youtube/v3):

- Verified: ``commentThreads.list`` costs 1 unit; filter ``allThreadsRelatedToChannelId``; ``maxResults``
  1–100 (default 20); ``part=snippet,replies`` includes replies, but a thread does not necessarily carry all
  of them (``comments.list`` with ``parentId`` does); ``moderationStatus`` heldForReview|likelySpam|published.
- Verified: ``comments.setModerationStatus`` costs 50 units, takes up to 50 comma-separated ids, answers
  204 with no body; ``banAuthor`` is valid only with ``rejected``; a rejected comment cannot be published
  again and its replies are hidden; to remove someone else's comment set it to ``rejected``
  (``comments.delete`` is for the author only). Errors: 400 banWithoutReject / operationNotSupported /
  processingFailure, 403 forbidden, 404 commentNotFound.
- Verified: quota exhaustion is HTTP 403 with reason ``quotaExceeded`` (domain ``youtube.quota``).
- Unverified: the reason ``rateLimitExceeded`` for short-term limits; the daily reset at midnight Pacific
  Time; whether a published comment can be moved back to ``heldForReview`` (only rejected → published is
  documented as impossible).

Capabilities, decided from those facts: "delete" is ``rejected``; "block" is ``rejected`` + ``banAuthor``;
"hide" is ``heldForReview`` (out of public view, still reversible) and "unhide" is ``published`` (not for
rejected comments); there is no unban call, so no "unblock"; replying (``comments.insert``) is not
implemented here.

Every reply (verified, commentThreads and comments.list references): ``replies.comments`` of a thread is a
subset, at most 5 in practice; "unless the number of items in the list equals ``snippet.totalReplyCount``" the
rest is read with ``comments.list?part=snippet&parentId=<top-level comment id>&maxResults=1..100&pageToken=…``
(1 unit a page; replies exist only to top-level comments). Videos (the threads' roots) come from
``videos.list?part=snippet&id=a,b,…`` (1 unit, up to 50 ids).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from ._http import HttpConnector
from .errors import classify_youtube_error
from .events import PlatformEvent, utc_from_iso

YOUTUBE_BASE_URL = "https://www.googleapis.com"
QUOTA_COST = {"list": 1, "setModerationStatus": 50}
MAX_IDS_PER_CALL = 50
MODERATION_STATUSES = frozenset({"heldForReview", "published", "rejected"})
LIST_STATUSES = frozenset({"heldForReview", "likelySpam", "published"})

SUPPORTS = {"hide": True, "unhide": True, "delete": True, "block": True, "unblock": False, "reply": False}
# action -> (moderationStatus, banAuthor)
ACTIONS = {
    "hide": ("heldForReview", False),
    "unhide": ("published", False),
    "delete": ("rejected", False),
    "block": ("rejected", True),
}


EMBEDDED_REPLIES_MAX = 5  # commentThreads embeds at most this many replies; comments.list has the rest


class MalformedThread(ValueError):
    """A commentThread resource without what every thread has (its id, its top-level comment)."""


@dataclass(frozen=True)
class IncompleteThread:
    """A thread whose ``replies.comments`` holds fewer replies than its ``snippet.totalReplyCount``."""

    thread_id: str
    comment_id: str  # the top-level comment: comments.list?parentId=
    video_id: str | None
    total_replies: int
    embedded: int
    status: str


@dataclass(frozen=True)
class BrokenThread:
    raw: dict
    reason: str


@dataclass
class ParsedThread:
    events: list[PlatformEvent]
    video_id: str | None
    incomplete: IncompleteThread | None


@dataclass
class ThreadPage:
    events: list[PlatformEvent] = field(default_factory=list)
    incomplete: list[IncompleteThread] = field(default_factory=list)
    video_ids: list[str] = field(default_factory=list)
    broken: list[BrokenThread] = field(default_factory=list)
    next_page_token: str | None = None


def _token(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def parse_thread(channel_id: str, thread: object, status: str) -> ParsedThread:
    """One commentThread resource as events; raises ``MalformedThread`` when it has no top-level comment."""
    if not isinstance(thread, dict):
        raise MalformedThread(f"thread must be an object, not {type(thread).__name__}")
    snippet = thread.get("snippet") if isinstance(thread.get("snippet"), dict) else {}
    top = snippet.get("topLevelComment")
    if not isinstance(top, dict) or not isinstance(top.get("id"), str) or not top["id"]:
        raise MalformedThread(f"thread {thread.get('id')!r} has no top-level comment")
    video_id = _token(snippet.get("videoId")) or _token((top.get("snippet") or {}).get("videoId"))
    events = [_comment_event(channel_id, top, "comment", video_id, video_id, status)]
    embedded = [r for r in (thread.get("replies") or {}).get("comments", []) if isinstance(r, dict) and r.get("id")]
    for reply in embedded:
        parent = (reply.get("snippet") or {}).get("parentId") or top["id"]
        events.append(_comment_event(channel_id, reply, "reply", parent, video_id, status))
    total = snippet.get("totalReplyCount")
    incomplete = None
    if isinstance(total, int) and not isinstance(total, bool) and total > len(embedded):
        incomplete = IncompleteThread(str(thread.get("id") or top["id"]), top["id"], video_id, total,
                                      len(embedded), status)
    return ParsedThread(events, video_id, incomplete)


def _comment_event(channel_id: str, comment: dict, kind: str, parent: str | None, video_id: str | None,
                   status: str) -> PlatformEvent:
    snippet = comment.get("snippet") or {}
    author_id = (snippet.get("authorChannelId") or {}).get("value")
    published = snippet.get("publishedAt")
    url = f"https://www.youtube.com/watch?v={video_id}&lc={comment['id']}" if video_id else None
    return PlatformEvent(
        platform="youtube",
        account_id=channel_id,
        verb="add",
        kind=kind,
        external_id=comment["id"],
        parent_external_id=parent,
        post_external_id=video_id,
        author_id=author_id,
        author_name=snippet.get("authorDisplayName"),
        text=snippet.get("textOriginal", snippet.get("textDisplay")),
        created_at=utc_from_iso(published) if isinstance(published, str) else None,
        direction="outgoing" if author_id == channel_id else "incoming",
        url=url,
        moderation_status=snippet.get("moderationStatus", status),
        raw=comment,
    )


def video_event(channel_id: str, video: dict) -> PlatformEvent:
    """A video resource as the thread's root post; the channel's own videos are outgoing."""
    snippet = video.get("snippet") or {}
    owner = snippet.get("channelId")
    published = snippet.get("publishedAt")
    title, description = snippet.get("title") or "", snippet.get("description") or ""
    return PlatformEvent(
        platform="youtube",
        account_id=channel_id,
        verb="add",
        kind="post",
        external_id=str(video["id"]),
        author_id=owner,
        author_name=snippet.get("channelTitle"),
        text=f"{title}\n\n{description}".strip(),
        created_at=utc_from_iso(published) if isinstance(published, str) else None,
        direction="outgoing" if owner == channel_id else "incoming",
        url=f"https://www.youtube.com/watch?v={video['id']}",
        raw=video,
    )


class YouTubeClient(HttpConnector):
    """Calls with the channel owner's OAuth token (``Authorization: Bearer``). ``quota_used`` counts units."""

    platform = "youtube"

    def __init__(
        self,
        base_url: str,
        access_token: str,
        *,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(
            base_url,
            access_token,
            timeout=timeout,
            transport=transport,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
        )
        self.quota_used = 0

    def _call(self, method: str, path: str, params: dict[str, str], cost: int) -> httpx.Response:
        response = self._send(method, path, params=params)
        self.quota_used += cost
        if response.is_success:
            return response
        body = self._json(response)
        raise self._scrub(classify_youtube_error(response.status_code, body, response.headers, method=method))

    def list_thread_page(
        self, channel_id: str, moderation_status: str, page_token: str | None = None, max_results: int = 100
    ) -> ThreadPage:
        """One page of the channel's comment threads (1 unit): events for each thread's top-level comment and
        the replies it embeds, the threads that embed fewer replies than they have (``totalReplyCount``), the
        videos the threads belong to, the threads that could not be read, and the next page's token."""
        if moderation_status not in LIST_STATUSES:
            raise ValueError(f"moderation_status must be one of {sorted(LIST_STATUSES)}")
        if not 1 <= max_results <= 100:
            raise ValueError("max_results must be between 1 and 100")
        params = {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": channel_id,
            "moderationStatus": moderation_status,
            "maxResults": str(max_results),
            "textFormat": "plainText",
        }
        if page_token:
            params["pageToken"] = page_token
        path = "/youtube/v3/commentThreads"
        response = self._call("GET", path, params, QUOTA_COST["list"])
        body = self._json(response)
        if not isinstance(body, dict) or not isinstance(body.get("items", []), list):
            raise self._unreadable("GET", path, response)
        page = ThreadPage(next_page_token=_token(body.get("nextPageToken")))
        for thread in body.get("items", []):
            try:
                parsed = parse_thread(channel_id, thread, moderation_status)
            except MalformedThread as exc:
                page.broken.append(BrokenThread(thread if isinstance(thread, dict) else {"value": thread}, str(exc)))
                continue
            page.events.extend(parsed.events)
            if parsed.video_id and parsed.video_id not in page.video_ids:
                page.video_ids.append(parsed.video_id)
            if parsed.incomplete is not None:
                page.incomplete.append(parsed.incomplete)
        return page

    def list_comment_threads(
        self, channel_id: str, moderation_status: str, page_token: str | None = None, max_results: int = 100
    ) -> tuple[list[PlatformEvent], str | None]:
        """One page of threads as events and the next page's token (see ``list_thread_page``)."""
        page = self.list_thread_page(channel_id, moderation_status, page_token, max_results)
        return page.events, page.next_page_token

    def list_replies(
        self, channel_id: str, thread: IncompleteThread, page_token: str | None = None, max_results: int = 100
    ) -> tuple[list[PlatformEvent], str | None]:
        """One page of the replies to a top-level comment (``comments.list?parentId=…``, 1 unit) as events,
        and the next page's token. YouTube supports replies to top-level comments only."""
        params = {"part": "snippet", "parentId": thread.comment_id, "maxResults": str(max_results),
                  "textFormat": "plainText"}
        if page_token:
            params["pageToken"] = page_token
        path = "/youtube/v3/comments"
        response = self._call("GET", path, params, QUOTA_COST["list"])
        body = self._json(response)
        if not isinstance(body, dict) or not isinstance(body.get("items", []), list):
            raise self._unreadable("GET", path, response)
        events = []
        for reply in body.get("items", []):
            if not isinstance(reply, dict) or not reply.get("id"):
                continue
            parent = (reply.get("snippet") or {}).get("parentId") or thread.comment_id
            events.append(_comment_event(channel_id, reply, "reply", parent, thread.video_id, thread.status))
        return events, _token(body.get("nextPageToken"))

    def get_videos(self, channel_id: str, video_ids: list[str]) -> list[PlatformEvent]:
        """The videos as post events (``videos.list?part=snippet&id=…``, 1 unit per 50 ids). A video of the
        channel itself is outgoing (the municipality's own); ids YouTube does not return are left out."""
        events: list[PlatformEvent] = []
        for start in range(0, len(video_ids), MAX_IDS_PER_CALL):
            ids = video_ids[start : start + MAX_IDS_PER_CALL]
            path = "/youtube/v3/videos"
            response = self._call("GET", path, {"part": "snippet", "id": ",".join(ids),
                                                "maxResults": str(MAX_IDS_PER_CALL)}, QUOTA_COST["list"])
            body = self._json(response)
            if not isinstance(body, dict) or not isinstance(body.get("items", []), list):
                raise self._unreadable("GET", path, response)
            for video in body.get("items", []):
                if isinstance(video, dict) and video.get("id"):
                    events.append(video_event(channel_id, video))
        return events

    def set_moderation_status(self, ids: list[str], status: str, ban_author: bool = False) -> None:
        """Set the status of the comments, 50 ids a call; ``ban_author`` only with "rejected"."""
        if status not in MODERATION_STATUSES:
            raise ValueError(f"status must be one of {sorted(MODERATION_STATUSES)}")
        if ban_author and status != "rejected":
            raise ValueError("ban_author is only allowed with status 'rejected'")
        for start in range(0, len(ids), MAX_IDS_PER_CALL):
            params = {"id": ",".join(ids[start : start + MAX_IDS_PER_CALL]), "moderationStatus": status}
            if ban_author:
                params["banAuthor"] = "true"
            self._call("POST", "/youtube/v3/comments/setModerationStatus", params, QUOTA_COST["setModerationStatus"])
