"""LinkedIn organisation pages: polling, deleting and answering comments (Community Management API).

Platform facts, checked in LinkedIn's documentation with the search tool (learn.microsoft.com/linkedin):

- Verified: the Comments API (``socialActions/{urn}/comments``) offers get, batch get, list on shares,
  list on comments, create, edit and delete; ``r_organization_social`` reads and ``w_organization_social``
  writes an organisation's comments, for page ADMINISTRATORs (and some poster roles).
- Verified: a comment resource carries ``actor``, ``created``/``lastModified`` (``{"actor", "time"}``,
  milliseconds), ``id``, ``message`` (``{"text", "attributes"}``) and ``object`` (the post URN).
- Verified (third-party code only): the headers ``LinkedIn-Version: YYYYMM``, ``X-Restli-Protocol-Version:
  2.0.0`` and ``Authorization: Bearer``; URNs URL-encoded in paths.
- Unverified: ``DELETE /rest/socialActions/{postUrn}/comments/{commentId}?actor={organizationUrn}``
  answering 204; the list's ``paging`` (``start``, ``count``, ``total``); ``commentUrn`` and
  ``parentComment`` on elements; a new comment's id in the ``x-restli-id`` header; the error body
  ``{"status", "serviceErrorCode", "code", "message"}``.
- There is no call to hide a comment or to block a person.
- Verified (Comments API, "Get Comments on Comments"): nested comments are read with the parent's commentUrn
  as the target, ``GET /rest/socialActions/{commentUrn}/comments`` with ``start``/``count`` paging; a
  commentUrn is the composite ``urn:li:comment:(urn:li:activity:<id>,<comment id>)``. A post's comment list
  holds first-level comments only; each carries ``commentsSummary`` (``selectedComments``: reply URNs,
  ``totalFirstLevelComments``, ``aggregatedTotalComments``) and the replies carry ``parentComment``.
  ``created.time`` is epoch milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

import httpx

from ._http import HttpConnector
from .errors import InvalidRequest, classify_linkedin_error
from .events import PlatformEvent, utc_from_timestamp

LINKEDIN_BASE_URL = "https://api.linkedin.com"
SUPPORTS = {"hide": False, "unhide": False, "delete": True, "block": False, "unblock": False, "reply": True}

_COMMENT_URN = re.compile(r"^urn:li:comment:\((?P<object>.+),(?P<id>[^,()]+)\)$")


@dataclass(frozen=True)
class CommentReplies:
    """A comment with replies of its own: list them with ``urn`` as the target."""

    urn: str
    comment_id: str
    count: int


@dataclass
class CommentPage:
    events: list[PlatformEvent] = field(default_factory=list)
    with_replies: list[CommentReplies] = field(default_factory=list)
    next_start: int | None = None


def comment_urn(element: dict) -> str | None:
    """The element's ``urn:li:comment:(<activity>,<id>)``: its ``commentUrn`` (or ``$URN``), else built from
    ``object`` and ``id`` when ``object`` is an activity."""
    for key in ("commentUrn", "$URN"):
        value = element.get(key)
        if isinstance(value, str) and value.startswith("urn:li:comment:"):
            return value
    obj = element.get("object")
    if isinstance(obj, str) and obj.startswith("urn:li:activity:") and element.get("id") is not None:
        return f"urn:li:comment:({obj},{element['id']})"
    return None


def reply_count(element: dict) -> int:
    """How many replies the comment has, from ``commentsSummary`` (aggregatedTotalComments, else
    totalFirstLevelComments, else the number of selectedComments)."""
    summary = element.get("commentsSummary")
    if not isinstance(summary, dict):
        return 0
    for key in ("aggregatedTotalComments", "totalFirstLevelComments"):
        value = summary.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    selected = summary.get("selectedComments")
    return len(selected) if isinstance(selected, list) else 0


def comment_id_from_urn(urn: str) -> str | None:
    """``urn:li:comment:(urn:li:activity:1,2)`` → ``"2"``."""
    match = _COMMENT_URN.match(urn)
    return match.group("id") if match else None


class LinkedInClient(HttpConnector):
    """Calls on behalf of one organisation (``organization_urn``, e.g. ``urn:li:organization:123``)."""

    platform = "linkedin"

    def __init__(
        self,
        base_url: str,
        access_token: str,
        organization_urn: str,
        *,
        timeout: float = 10.0,
        version: str = "202510",
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(
            base_url,
            access_token,
            timeout=timeout,
            transport=transport,
            headers={
                "Authorization": f"Bearer {access_token}",
                "LinkedIn-Version": version,
                "X-Restli-Protocol-Version": "2.0.0",
            },
        )
        self.organization_urn = organization_urn

    @staticmethod
    def _comments_path(post_urn: str) -> str:
        return f"/rest/socialActions/{quote(post_urn, safe='')}/comments"

    def _call(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        response = self._send(method, path, **kwargs)
        if response.is_success:
            return response
        error = classify_linkedin_error(response.status_code, self._json(response), response.headers, method=method)
        raise self._scrub(error)

    def list_comments(self, target_urn: str, start: int = 0, count: int = 50,
                      post_urn: str | None = None) -> tuple[list[PlatformEvent], int | None]:
        """One page of the comments on ``target_urn`` as events, and the next page's ``start`` (None on the
        last). See ``list_comment_page`` for the comments' replies."""
        page = self.list_comment_page(target_urn, start=start, count=count, post_urn=post_urn)
        return page.events, page.next_start

    def list_comment_page(self, target_urn: str, start: int = 0, count: int = 50,
                          post_urn: str | None = None) -> CommentPage:
        """One page of the comments on a post, or (``target_urn`` a commentUrn) of the replies to a comment.

        ``post_urn`` is the thread's post when ``target_urn`` is a comment. ``with_replies`` lists the comments
        on this page that have replies of their own (``commentsSummary``): LinkedIn lists only first-level
        comments under a post and gives the replies as references, read with the comment's URN as target."""
        path = self._comments_path(target_urn)
        response = self._call("GET", path, params={"start": str(start), "count": str(count)})
        body = self._json(response)
        if not isinstance(body, dict) or not isinstance(body.get("elements"), list):
            raise self._unreadable("GET", path, response)
        elements = [e for e in body["elements"] if isinstance(e, dict) and e.get("id") is not None]
        thread_post = post_urn or target_urn
        page = CommentPage(events=[self._event(thread_post, element) for element in elements])
        for element in elements:
            replies = reply_count(element)
            urn = comment_urn(element)
            if replies and urn:
                page.with_replies.append(CommentReplies(urn, str(element["id"]), replies))
        total = (body.get("paging") or {}).get("total")
        listed = len(body["elements"])
        more = start + listed < total if isinstance(total, int) else listed == count
        page.next_start = start + listed if more and listed else None
        return page

    def _event(self, post_urn: str, element: dict) -> PlatformEvent:
        parent_urn = element.get("parentComment")
        created = (element.get("created") or {}).get("time")
        actor = element.get("actor")
        return PlatformEvent(
            platform="linkedin",
            account_id=self.organization_urn,
            verb="add",
            kind="reply" if parent_urn else "comment",
            external_id=str(element["id"]),
            parent_external_id=(comment_id_from_urn(parent_urn) or parent_urn) if parent_urn else post_urn,
            post_external_id=post_urn,
            author_id=actor,
            text=(element.get("message") or {}).get("text"),
            created_at=utc_from_timestamp(created) if isinstance(created, int) else None,
            direction="outgoing" if actor == self.organization_urn else "incoming",
            raw=element,
        )

    def delete_comment(self, post_urn: str, comment_id: str) -> None:
        path = f"{self._comments_path(post_urn)}/{quote(comment_id, safe='')}"
        self._call("DELETE", path, params={"actor": self.organization_urn})

    def reply(self, post_urn: str, message: str, parent_comment_urn: str | None = None) -> str:
        """Comment on the post as the organisation (under ``parent_comment_urn`` when given); the new id."""
        body: dict = {"actor": self.organization_urn, "object": post_urn, "message": {"text": message}}
        if parent_comment_urn:
            body["parentComment"] = parent_comment_urn
        response = self._call("POST", self._comments_path(post_urn), json=body)
        data = self._json(response)
        new_id = response.headers.get("x-restli-id") or (data.get("id") if isinstance(data, dict) else None)
        if not new_id:
            raise InvalidRequest("LinkedIn created a comment but returned no id", platform="linkedin")
        return str(new_id)
