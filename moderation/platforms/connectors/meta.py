"""Facebook pages and Instagram: webhook verification and parsing, and the Graph API client.

Platform facts, checked in Meta's documentation with the search tool (developers.facebook.com):

- Verified: the error body ``{"error": {"message", "type", "code", "error_subcode", "error_user_title",
  "error_user_msg", "fbtrace_id"}}`` and the codes 1/2 (temporary), 4/17 (too many calls), 10 and 200–299
  (permission), 190 (token), 341 (application limit), 368 (temporarily blocked for policy reasons: wait and
  retry) ("Handling Errors" guide).
- Verified: hide/unhide a page comment with ``POST /{comment-id}`` and ``is_hidden=true|false``
  (Graph API v2.2 changelog); the ``blocked`` edge of a page manages the people and pages blocked from it,
  with a page access token (page/blocked reference).
- Verified: Instagram comments are hidden/unhidden with ``POST /{ig-comment-id}`` (``hide``), deleted with
  ``DELETE /{ig-comment-id}``; replies go to ``POST /{ig-comment-id}/replies?message=…`` and answer
  ``{"id": …}``; only top-level comments can be replied to, hidden ones cannot ("Comment Moderation" guide,
  "IG Comment Replies" reference). Hence ``ig_reply`` uses ``/replies``, not ``/comments``.
- Verified: page-token requests fall under the Business Use Case rate limits; usage statistics come in
  response headers ("Rate Limits" overview).
- Unverified (the consulted pages were cut before these parts): ``{"success": true}`` as the answer to
  hide/unhide/delete; the ``user``/``psid``/``asid``/``uid`` parameters of ``POST /{page-id}/blocked`` and
  its ``{"<id>": true}`` answer; the exact JSON of ``X-Business-Use-Case-Usage``
  (``estimated_time_to_regain_access`` in minutes); codes 32, 613, 80001; the feed webhook's verbs and
  fields; ``X-Hub-Signature-256`` (its format matches GitHub's documented ``sha256=<hex HMAC>`` scheme);
  ``pages_manage_engagement`` for hiding and deleting (third-party material only).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from ._http import HttpConnector
from .errors import InvalidRequest, classify_meta_error, parse_meta_usage
from .events import AttachmentRef, PlatformEvent, utc_from_timestamp

logger = logging.getLogger(__name__)

GRAPH_BASE_URL = "https://graph.facebook.com"
COMMENT_FIELDS = "id,message,from,created_time,parent,is_hidden,can_hide,can_remove,permalink_url"

SUPPORTS = {
    "facebook": {"hide": True, "unhide": True, "delete": True, "block": True, "unblock": True, "reply": True},
    # Instagram has no API to block or restrict a person.
    "instagram": {
        "hide": True,
        "unhide": True,
        "delete": True,
        "block": False,
        "unblock": False,
        "reply": True,
    },
}


class MalformedPayload(ValueError):
    """A webhook delivery that does not have the structure Meta documents."""


@dataclass(frozen=True)
class SkippedChange:
    """A part of a delivery that was understood but deliberately not turned into an event."""

    where: str
    reason: str


# ---------------------------------------------------------------------------------------------------------
# Webhook verification

_SIGNATURE = re.compile(r"sha256=([0-9a-fA-F]{64})")


def verify_signature(raw_body: bytes, header_value: str | None, app_secret: str) -> bool:
    """Check ``X-Hub-Signature-256: sha256=<hex>``: HMAC-SHA256 of the raw body, keyed with the app secret."""
    if not header_value or not app_secret:
        return False
    match = _SIGNATURE.fullmatch(header_value.strip())
    if match is None:
        return False
    expected = hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, match.group(1).lower())


def verify_handshake(params: Mapping[str, str], verify_token: str) -> str | None:
    """The ``hub.challenge`` to echo when ``hub.mode`` is "subscribe" and ``hub.verify_token`` matches."""
    if not verify_token or params.get("hub.mode") != "subscribe":
        return None
    token, challenge = params.get("hub.verify_token"), params.get("hub.challenge")
    if not isinstance(token, str) or not challenge:
        return None
    if not hmac.compare_digest(token.encode(), verify_token.encode()):
        return None
    return challenge


# ---------------------------------------------------------------------------------------------------------
# Webhook parsing

FEED_VERBS = {
    "add": "add",
    "edited": "edit",
    "edit": "edit",
    "remove": "remove",
    "hide": "hide",
    "unhide": "unhide",
}
POST_ITEMS = frozenset({"status", "post", "photo", "video", "share"})
IGNORED_ITEMS = frozenset({"reaction", "like"})
INSTAGRAM_FIELDS = frozenset({"comments", "live_comments"})


def _field(mapping: Mapping, key: str, kind: type | tuple[type, ...], where: str, *, required: bool = True) -> Any:
    value = mapping.get(key)
    if value is None:
        if required:
            raise MalformedPayload(f"{where}.{key} is missing")
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise MalformedPayload(f"{where}.{key} must be {expected}, not {type(value).__name__}")
    return value


def _id(mapping: Mapping, key: str, where: str, *, required: bool = True) -> str | None:
    value = _field(mapping, key, (str, int), where, required=required)
    if value is not None and str(value) == "":
        raise MalformedPayload(f"{where}.{key} is empty")
    return None if value is None else str(value)


def _timestamp(mapping: Mapping, key: str, where: str) -> datetime | None:
    value = _field(mapping, key, (int, float, str), where, required=False)
    if isinstance(value, str):
        if not value.isdigit():
            raise MalformedPayload(f"{where}.{key} must be Unix seconds, not {value!r}")
        value = int(value)
    return None if value is None else utc_from_timestamp(value)


# Graph API attachment ``type`` → our kind. Comments carry one ``attachment``, posts ``attachments.data``
# (each possibly with ``subattachments.data`` for albums).
GRAPH_ATTACHMENT_KINDS = {
    "photo": "photo", "cover_photo": "photo", "profile_media": "photo", "album": "photo",
    "sticker": "sticker",
    "animated_image_share": "animated_gif", "animated_image_video": "animated_gif",
    "animated_image_autoplay": "animated_gif", "animated_gif": "animated_gif",
    "video": "video", "video_inline": "video", "video_autoplay": "video", "video_share_youtube": "video",
    "share": "link_preview", "native_templates": "link_preview",
}


def _url(value: object) -> str | None:
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else None


def graph_attachment_refs(attachment: object) -> list[AttachmentRef]:
    """The media of one Graph API ``attachment`` object (``media.image.src``, ``media.source`` for video,
    and the ``subattachments`` of an album); anything without a media URL gives nothing.

    A ``share``'s ``url`` is the shared web page, not a picture: only its preview image is kept."""
    if not isinstance(attachment, Mapping):
        return []
    kind = GRAPH_ATTACHMENT_KINDS.get(str(attachment.get("type") or ""), "photo")
    media = attachment.get("media") if isinstance(attachment.get("media"), Mapping) else {}
    target = attachment.get("target") if isinstance(attachment.get("target"), Mapping) else {}
    platform_id = str(target["id"]) if isinstance(target.get("id"), str | int) else None
    refs: list[AttachmentRef] = []
    image = media.get("image") if isinstance(media.get("image"), Mapping) else {}
    source = _url(media.get("source"))
    if kind in ("video", "animated_gif") and source:
        refs.append(AttachmentRef(kind=kind, url=source, platform_id=platform_id))
    elif _url(image.get("src")):
        refs.append(AttachmentRef(kind=kind, url=image["src"], platform_id=platform_id))
    subs = attachment.get("subattachments")
    if isinstance(subs, Mapping) and isinstance(subs.get("data"), list):
        for sub in subs["data"]:
            refs += graph_attachment_refs(sub)
    return refs


def feed_attachment_refs(item: str, value: Mapping) -> list[AttachmentRef]:
    """The attachments of a page ``feed`` change: a comment's ``photo`` or ``video`` (GIFs come as
    ``video`` too), a post's ``link`` when the item is a photo or video (with ``photo_id``/``video_id``),
    a multi-photo post's ``photos``, and Graph-style ``attachment``/``attachments`` objects when present.
    A ``share``'s ``link`` is the shared page and stays in the raw payload (it is not fetched)."""
    refs: list[AttachmentRef] = []
    if item == "comment":
        if _url(value.get("photo")):
            refs.append(AttachmentRef(kind="photo", url=value["photo"]))
        if _url(value.get("video")):
            refs.append(AttachmentRef(kind="video", url=value["video"]))
    elif item == "photo" and _url(value.get("link")):
        refs.append(AttachmentRef(kind="photo", url=value["link"],
                                  platform_id=str(value["photo_id"]) if value.get("photo_id") else None))
    elif item == "video" and _url(value.get("link")):
        refs.append(AttachmentRef(kind="video", url=value["link"],
                                  platform_id=str(value["video_id"]) if value.get("video_id") else None))
    photos = value.get("photos")
    if isinstance(photos, list):
        known = {r.url for r in refs}
        refs += [AttachmentRef(kind="photo", url=p) for p in photos if _url(p) and p not in known]
    refs += graph_attachment_refs(value.get("attachment"))
    attachments = value.get("attachments")
    if isinstance(attachments, Mapping) and isinstance(attachments.get("data"), list):
        for attachment in attachments["data"]:
            refs += graph_attachment_refs(attachment)
    unique: dict[str, AttachmentRef] = {}
    for ref in refs:
        unique.setdefault(ref.url, ref)
    return list(unique.values())


def instagram_media_refs(media: object) -> list[AttachmentRef]:
    """The pictures and video of an Instagram media object as the Graph API returns it (``media_type``
    IMAGE/VIDEO/CAROUSEL_ALBUM, ``media_url``, ``thumbnail_url``, ``children.data``), for ingesting the
    account's own media as root posts. The ``comments`` webhook's ``media`` carries only ``id`` and
    ``media_product_type``: a comment notification has no picture to fetch."""
    if not isinstance(media, Mapping):
        return []
    media_id = str(media["id"]) if isinstance(media.get("id"), str | int) else None
    media_type = str(media.get("media_type") or "")
    refs: list[AttachmentRef] = []
    if media_type == "VIDEO" and _url(media.get("media_url")):
        refs.append(AttachmentRef(kind="video", url=media["media_url"], platform_id=media_id))
    elif media_type == "IMAGE" and _url(media.get("media_url")):
        refs.append(AttachmentRef(kind="photo", url=media["media_url"], platform_id=media_id))
    elif _url(media.get("thumbnail_url")):
        refs.append(AttachmentRef(kind="photo", url=media["thumbnail_url"], platform_id=media_id))
    children = media.get("children")
    if isinstance(children, Mapping) and isinstance(children.get("data"), list):
        for child in children["data"]:
            refs += instagram_media_refs(child)
    return refs


def _feed_event(account_id: str, change: dict, value: Mapping, where: str) -> PlatformEvent | str:
    """One ``feed`` change as an event, or the reason it is skipped."""
    item = _field(value, "item", str, where)
    verb = FEED_VERBS.get(_field(value, "verb", str, where))
    if item in IGNORED_ITEMS:
        return f"item {item!r} is ignored"
    if item != "comment" and item not in POST_ITEMS:
        return f"unknown item {item!r}"
    if verb is None:
        return f"unknown verb {value['verb']!r}"
    author = _field(value, "from", Mapping, where, required=False) or {}
    author_id = _id(author, "id", f"{where}.from", required=False)
    post_id = _id(value, "post_id", where)
    if item == "comment":
        external_id = _id(value, "comment_id", where)
        parent_id = _id(value, "parent_id", where, required=False) or post_id
        kind = "comment" if parent_id == post_id else "reply"
    else:
        external_id, parent_id, kind = post_id, None, "post"
    return PlatformEvent(
        platform="facebook",
        account_id=account_id,
        verb=verb,
        kind=kind,
        external_id=external_id,
        parent_external_id=parent_id,
        post_external_id=post_id,
        author_id=author_id,
        author_name=_field(author, "name", str, f"{where}.from", required=False),
        text=_field(value, "message", str, where, required=False),
        created_at=_timestamp(value, "created_time", where),
        direction="outgoing" if author_id is not None and author_id == account_id else "incoming",
        attachments=feed_attachment_refs(item, value) if verb in ("add", "edit") else [],
        raw=change,
    )


def _instagram_event(account_id: str, change: dict, value: Mapping, where: str, entry: Mapping) -> PlatformEvent:
    """A new Instagram comment (Meta notifies only additions). It carries no timestamp: the entry's ``time``,
    when the notification was made, stands in for ``created_at``. Its ``media`` is the post commented on
    (``id``, ``media_product_type``), not a picture of the comment: no attachments."""
    author = _field(value, "from", Mapping, where, required=False) or {}
    author_id = _id(author, "id", f"{where}.from", required=False)
    media = _field(value, "media", Mapping, where)
    media_id = _id(media, "id", f"{where}.media")
    parent_id = _id(value, "parent_id", where, required=False)
    entry_time = entry.get("time")
    return PlatformEvent(
        platform="instagram",
        account_id=account_id,
        verb="add",
        kind="reply" if parent_id else "comment",
        external_id=_id(value, "id", where),
        parent_external_id=parent_id or media_id,
        post_external_id=media_id,
        author_id=author_id,
        author_name=_field(author, "username", str, f"{where}.from", required=False),
        text=_field(value, "text", str, where, required=False),
        created_at=utc_from_timestamp(entry_time) if isinstance(entry_time, int | float) else None,
        direction="outgoing" if author_id is not None and author_id == account_id else "incoming",
        raw=change,
    )


def parse_delivery(payload: object, *, skipped: list[SkippedChange] | None = None) -> list[PlatformEvent]:
    """The events in one webhook delivery (``object`` "page" or "instagram"), in the order received.

    Raises ``MalformedPayload`` when the structure is wrong. Parts that are valid but not handled (reactions,
    unknown fields, items or verbs, other objects) are logged and appended to ``skipped`` when given."""
    report = skipped if skipped is not None else []

    def skip(where: str, reason: str) -> None:
        logger.info("Meta webhook: skipped %s: %s", where, reason)
        report.append(SkippedChange(where, reason))

    if not isinstance(payload, Mapping):
        raise MalformedPayload(f"payload must be an object, not {type(payload).__name__}")
    obj = _field(payload, "object", str, "payload")
    entries = _field(payload, "entry", list, "payload")
    if obj not in ("page", "instagram"):
        skip("payload", f"unknown object {obj!r}")
        return []
    events: list[PlatformEvent] = []
    for e, entry in enumerate(entries):
        where_entry = f"entry[{e}]"
        if not isinstance(entry, Mapping):
            raise MalformedPayload(f"{where_entry} must be an object, not {type(entry).__name__}")
        account_id = _id(entry, "id", where_entry)
        if "changes" not in entry and "messaging" in entry:
            skip(where_entry, "messaging entries are not handled")
            continue
        changes = _field(entry, "changes", list, where_entry)
        for c, change in enumerate(changes):
            where = f"{where_entry}.changes[{c}]"
            if not isinstance(change, Mapping):
                raise MalformedPayload(f"{where} must be an object, not {type(change).__name__}")
            field_name = _field(change, "field", str, where)
            value = _field(change, "value", Mapping, where)
            where_value = f"{where}.value"
            if obj == "page" and field_name == "feed":
                result = _feed_event(account_id, dict(change), value, where_value)
            elif obj == "instagram" and field_name in INSTAGRAM_FIELDS:
                result = _instagram_event(account_id, dict(change), value, where_value, entry)
            else:
                result = f"unknown field {field_name!r}"
            if isinstance(result, str):
                skip(where, result)
            else:
                events.append(result)
    return events


# ---------------------------------------------------------------------------------------------------------
# Graph API client


class GraphClient(HttpConnector):
    """Graph API calls with a page access token, sent as the ``access_token`` parameter (query string for
    GET/DELETE, form body for POST). ``last_usage`` holds the usage headers of the latest response."""

    platform = "meta"

    def __init__(
        self,
        base_url: str,
        access_token: str,
        *,
        timeout: float = 10.0,
        api_version: str = "v21.0",
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(base_url, access_token, timeout=timeout, transport=transport)
        self.api_version = api_version
        self.last_usage: dict = {}

    def _call(self, method: str, node: str, edge: str | None = None, **params: str) -> dict:
        path = f"/{self.api_version}/{quote(node, safe='')}" + (f"/{edge}" if edge else "")
        if method == "POST":
            response = self._send(method, path, data={**params, "access_token": self._token})
        else:
            response = self._send(method, path, params={**params, "access_token": self._token})
        self.last_usage = parse_meta_usage(response.headers)
        body = self._json(response)
        if response.is_success and isinstance(body, dict) and "error" not in body:
            return body
        if response.is_success and not isinstance(body, dict):
            raise self._unreadable(method, path, response)
        raise self._scrub(classify_meta_error(response.status_code, body, response.headers, method=method))

    def _expect_success(self, result: dict, what: str) -> None:
        if result.get("success") is False:
            raise InvalidRequest(f"Meta answered success=false to {what}", platform="meta")

    def get_comment(self, comment_id: str, fields: str = COMMENT_FIELDS) -> dict:
        return self._call("GET", comment_id, fields=fields)

    def hide_comment(self, comment_id: str) -> None:
        self._expect_success(self._call("POST", comment_id, is_hidden="true"), "hide")

    def unhide_comment(self, comment_id: str) -> None:
        self._expect_success(self._call("POST", comment_id, is_hidden="false"), "unhide")

    def delete_comment(self, comment_id: str) -> None:
        self._expect_success(self._call("DELETE", comment_id), "delete")

    def reply(self, comment_id: str, message: str) -> str:
        return self._new_id(self._call("POST", comment_id, "comments", message=message))

    def block_user(self, page_id: str, user_id: str) -> None:
        result = self._call("POST", page_id, "blocked", user=user_id)
        if result.get(user_id) is False:
            raise InvalidRequest(f"Meta did not block user {user_id} on page {page_id}", platform="meta")

    def unblock_user(self, page_id: str, user_id: str) -> None:
        self._expect_success(self._call("DELETE", page_id, "blocked", user=user_id), "unblock")

    def ig_hide(self, comment_id: str, hide: bool) -> None:
        self._expect_success(self._call("POST", comment_id, hide="true" if hide else "false"), "hide")

    def ig_delete(self, comment_id: str) -> None:
        self._expect_success(self._call("DELETE", comment_id), "delete")

    def ig_reply(self, comment_id: str, message: str) -> str:
        return self._new_id(self._call("POST", comment_id, "replies", message=message))

    @staticmethod
    def _new_id(result: dict) -> str:
        new_id = result.get("id")
        if not isinstance(new_id, str | int) or isinstance(new_id, bool):
            raise InvalidRequest("Meta created a reply but returned no id", platform="meta")
        return str(new_id)
