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
"""

from __future__ import annotations

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

    def list_comment_threads(
        self, channel_id: str, moderation_status: str, page_token: str | None = None, max_results: int = 100
    ) -> tuple[list[PlatformEvent], str | None]:
        """One page of the channel's comment threads as events (top-level comments, then the replies
        included in each thread), and the token of the next page (None on the last page)."""
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
        events = []
        for thread in body.get("items", []):
            snippet = thread.get("snippet") or {}
            video_id = snippet.get("videoId")
            top = snippet.get("topLevelComment") or {}
            events.append(self._event(channel_id, top, "comment", video_id, video_id, moderation_status))
            for reply in (thread.get("replies") or {}).get("comments", []):
                parent = (reply.get("snippet") or {}).get("parentId") or top.get("id")
                events.append(self._event(channel_id, reply, "reply", parent, video_id, moderation_status))
        next_token = body.get("nextPageToken")
        return events, next_token if isinstance(next_token, str) and next_token else None

    @staticmethod
    def _event(
        channel_id: str, comment: dict, kind: str, parent: str | None, video_id: str | None, status: str
    ) -> PlatformEvent:
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
