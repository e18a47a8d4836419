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
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from ._http import HttpConnector
from .errors import InvalidRequest, classify_meta_error, parse_meta_usage
from .events import AttachmentRef, PlatformEvent, utc_from_timestamp

logger = logging.getLogger(__name__)

GRAPH_BASE_URL = "https://graph.facebook.com"
COMMENT_FIELDS = "id,message,from,created_time,parent,is_hidden,can_hide,can_remove,permalink_url"
FB_POST_FIELDS = "id,message,from,created_time,permalink_url"
IG_MEDIA_FIELDS = "id,caption,media_type,media_url,permalink,timestamp,username"
IG_COMMENT_FIELDS = "id,text,timestamp,username,from,media,parent_id"

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
    "update": "edit",  # older deliveries
    "remove": "remove",
    "delete": "remove",  # older deliveries
    "hide": "hide",
    "unhide": "unhide",
}
POST_ITEMS = frozenset({"status", "post", "photo", "video", "share"})
IGNORED_ITEMS = frozenset({"reaction", "like"})
INSTAGRAM_FIELDS = frozenset({"comments", "live_comments"})
# The object id an older post change carries when it has no post_id.
LEGACY_POST_KEYS = ("photo_id", "video_id", "share_id", "status_id")


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
    """Unix seconds (milliseconds recognised by size), as a number or digits, or (older deliveries) an
    ISO 8601 time such as ``2016-05-01T10:00:00+0000``."""
    value = _field(mapping, key, (int, float, str), where, required=False)
    if isinstance(value, str):
        if value.isdecimal():
            value = int(value)
        else:
            try:
                parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
            except ValueError:
                raise MalformedPayload(f"{where}.{key} must be Unix seconds or an ISO 8601 time, "
                                       f"not {value!r}") from None
            return parsed.astimezone(UTC)
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


def _author(value: Mapping, where: str) -> tuple[str | None, str | None]:
    """``from: {id, name}``, or in older deliveries ``sender_id``/``sender_name``."""
    author = _field(value, "from", Mapping, where, required=False)
    if author is not None:
        return _id(author, "id", f"{where}.from", required=False), _field(author, "name", str, f"{where}.from",
                                                                          required=False)
    return _id(value, "sender_id", where, required=False), _field(value, "sender_name", str, where, required=False)


def _post_id(account_id: str, value: Mapping, item: str, where: str) -> str:
    """``post_id``; older deliveries leave it out. A comment id is ``<post object id>_<comment id>`` and a post
    id ``<page id>_<post object id>``, so a comment's post is derived from its id; a post change falls back to
    its photo/video/share/status id."""
    post_id = _id(value, "post_id", where, required=False)
    if post_id is not None:
        return post_id
    if item == "comment":
        comment_id = _id(value, "comment_id", where)
        prefix, sep, _rest = comment_id.partition("_")
        if sep and prefix:
            return f"{account_id}_{prefix}"
        raise MalformedPayload(f"{where}.post_id is missing and comment_id {comment_id!r} has no post prefix")
    for key in LEGACY_POST_KEYS:
        object_id = _id(value, key, where, required=False)
        if object_id is not None:
            return object_id if "_" in object_id else f"{account_id}_{object_id}"
    raise MalformedPayload(f"{where}.post_id is missing")


def _feed_event(account_id: str, change: dict, value: Mapping, where: str) -> PlatformEvent | str:
    """One ``feed`` change as an event, or the reason it is skipped."""
    item = _field(value, "item", str, where)
    verb_name = _field(value, "verb", str, where)
    verb = FEED_VERBS.get(verb_name)
    if item in IGNORED_ITEMS:
        return f"item {item!r} is ignored"
    if item != "comment" and item not in POST_ITEMS:
        return f"unknown item {item!r}"
    if verb is None:
        return f"unknown verb {verb_name!r}"
    author_id, author_name = _author(value, where)
    post_id = _post_id(account_id, value, item, where)
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
        author_name=author_name,
        text=_field(value, "message", str, where, required=False),
        created_at=_timestamp(value, "created_time", where),
        direction="outgoing" if author_id is not None and author_id == account_id else "incoming",
        attachments=feed_attachment_refs(item, value) if verb in ("add", "edit") else [],
        raw=change,
    )


def _instagram_event(account_id: str, change: dict, value: Mapping, where: str, entry: Mapping) -> PlatformEvent:
    """A new Instagram comment (Meta notifies only additions). It carries no timestamp: the entry's ``time``,
    when the notification was made, stands in for ``created_at``. Its ``media`` is the post commented on
    (``id``, ``media_product_type``), not a picture of the comment: no attachments. Older deliveries have
    neither ``media`` nor ``from``: the event then has no post, and the caller looks the comment up
    (``GraphClient.get_ig_comment``)."""
    author = _field(value, "from", Mapping, where, required=False) or {}
    author_id = _id(author, "id", f"{where}.from", required=False)
    media = _field(value, "media", Mapping, where, required=False)
    media_id = _id(media, "id", f"{where}.media") if media is not None else None
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
        created_at=utc_from_timestamp(entry_time) if _is_time(entry_time) else None,
        direction="outgoing" if author_id is not None and author_id == account_id else "incoming",
        raw=change,
    )


def _is_time(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _messaging_event(platform: str, account_id: str, element: Mapping, where: str) -> PlatformEvent | str:
    """One private message (Messenger ``messages``/``message_echoes``, Instagram ``messages``) as an item of kind
    "message". The page's or account's own messages (``is_echo``, or the sender is the account) are outgoing.
    ``message_edit`` is an edit, ``is_deleted`` (an unsent Instagram message) a removal; deliveries, reads,
    reactions and postbacks are skipped."""
    sender = _id(_field(element, "sender", Mapping, where), "id", f"{where}.sender")
    recipient = _field(element, "recipient", Mapping, where, required=False) or {}
    recipient_id = _id(recipient, "id", f"{where}.recipient", required=False)
    created = _timestamp(element, "timestamp", where)
    edit = _field(element, "message_edit", Mapping, where, required=False)
    message = _field(element, "message", Mapping, where, required=False)
    if message is None and edit is None:
        others = sorted(k for k in element if k not in ("sender", "recipient", "timestamp"))
        return f"messaging event {', '.join(others) or 'without content'} is not a message"
    body = message if message is not None else edit
    part = "message" if message is not None else "message_edit"
    outgoing = body.get("is_echo") is True or sender == account_id
    verb = "edit" if edit is not None else ("remove" if body.get("is_deleted") is True else "add")
    return PlatformEvent(
        platform=platform,  # type: ignore[arg-type]
        account_id=account_id,
        verb=verb,  # type: ignore[arg-type]
        kind="message",
        external_id=_id(body, "mid", f"{where}.{part}"),
        author_id=sender,
        text=_field(body, "text", str, f"{where}.{part}", required=False),
        created_at=created,
        direction="outgoing" if outgoing else "incoming",
        raw={"messaging": dict(element), "recipient_id": recipient_id},
    )


@dataclass(frozen=True)
class DeliveryPart:
    """One change (``entry[].changes[]``) or message (``entry[].messaging[]``) of a delivery, to be processed on
    its own. ``error`` is set when the entry around it is already malformed."""

    where: str
    object: str
    entry: Mapping
    value: object
    kind: str  # "change" | "messaging" | "entry"
    error: str | None = None


def split_delivery(payload: object, *, skipped: list[SkippedChange] | None = None) -> list[DeliveryPart]:
    """The parts of a delivery, in the order received. Raises ``MalformedPayload`` only when the envelope is
    wrong (not an object, no ``object`` or ``entry`` list); a malformed entry becomes a part with ``error`` so
    that the rest of the delivery can still be applied. Unknown objects and standby entries are skipped."""
    report = skipped if skipped is not None else []
    if not isinstance(payload, Mapping):
        raise MalformedPayload(f"payload must be an object, not {type(payload).__name__}")
    obj = _field(payload, "object", str, "payload")
    entries = _field(payload, "entry", list, "payload")
    if obj not in ("page", "instagram"):
        _skip(report, "payload", f"unknown object {obj!r}")
        return []
    parts: list[DeliveryPart] = []
    for e, entry in enumerate(entries):
        where_entry = f"entry[{e}]"
        try:
            parts.extend(_entry_parts(obj, entry, where_entry, report))
        except MalformedPayload as exc:
            parts.append(DeliveryPart(where_entry, obj, entry if isinstance(entry, Mapping) else {}, entry,
                                      "entry", error=str(exc)))
    return parts


def _entry_parts(obj: str, entry: object, where_entry: str, report: list[SkippedChange]) -> list[DeliveryPart]:
    if not isinstance(entry, Mapping):
        raise MalformedPayload(f"{where_entry} must be an object, not {type(entry).__name__}")
    _id(entry, "id", where_entry)
    if "changes" not in entry and "messaging" in entry:
        messages = _field(entry, "messaging", list, where_entry)
        return [DeliveryPart(f"{where_entry}.messaging[{m}]", obj, entry, element, "messaging")
                for m, element in enumerate(messages)]
    if "changes" not in entry and "standby" in entry:
        _skip(report, where_entry, "standby entries (handover protocol) are not handled")
        return []
    changes = _field(entry, "changes", list, where_entry)
    return [DeliveryPart(f"{where_entry}.changes[{c}]", obj, entry, change, "change")
            for c, change in enumerate(changes)]


def _skip(report: list[SkippedChange], where: str, reason: str) -> SkippedChange:
    logger.info("Meta webhook: skipped %s: %s", where, reason)
    skipped = SkippedChange(where, reason)
    report.append(skipped)
    return skipped


def parse_part(part: DeliveryPart) -> PlatformEvent | SkippedChange:
    """The event in one part, or why it is skipped. Raises ``MalformedPayload`` when the part is malformed."""
    if part.error is not None:
        raise MalformedPayload(part.error)
    account_id = str(part.entry["id"])
    if not isinstance(part.value, Mapping):
        raise MalformedPayload(f"{part.where} must be an object, not {type(part.value).__name__}")
    platform = "facebook" if part.object == "page" else "instagram"
    if part.kind == "messaging":
        result: PlatformEvent | str = _messaging_event(platform, account_id, part.value, part.where)
    else:
        field_name = _field(part.value, "field", str, part.where)
        value = _field(part.value, "value", Mapping, part.where)
        where_value = f"{part.where}.value"
        if part.object == "page" and field_name == "feed":
            result = _feed_event(account_id, dict(part.value), value, where_value)
        elif part.object == "instagram" and field_name in INSTAGRAM_FIELDS:
            result = _instagram_event(account_id, dict(part.value), value, where_value, part.entry)
        else:
            result = f"unknown field {field_name!r}"
    if isinstance(result, str):
        return _skip([], part.where, result)
    return result


def parse_delivery(payload: object, *, skipped: list[SkippedChange] | None = None) -> list[PlatformEvent]:
    """All events of one delivery, all or nothing: raises ``MalformedPayload`` at the first malformed part.
    (The webhook worker processes each part on its own instead: ``split_delivery`` and ``parse_part``.)
    Parts that are valid but not handled are logged and appended to ``skipped`` when given."""
    report = skipped if skipped is not None else []
    events: list[PlatformEvent] = []
    for part in split_delivery(payload, skipped=report):
        result = parse_part(part)
        if isinstance(result, SkippedChange):
            report.append(result)
        else:
            events.append(result)
    return events


def ig_media_event(account_id: str, media: Mapping) -> PlatformEvent:
    """An Instagram media object (``GET /{ig-media-id}``) as the thread's root post: the account's own
    (outgoing). ``caption`` is its text; ``media_url``/``permalink`` stay in ``raw`` and ``url``."""
    created = _graph_time(media.get("timestamp"))
    return PlatformEvent(
        platform="instagram",
        account_id=account_id,
        verb="add",
        kind="post",
        external_id=str(media["id"]),
        author_id=account_id,
        author_name=media.get("username") if isinstance(media.get("username"), str) else None,
        text=media.get("caption") if isinstance(media.get("caption"), str) else "",
        created_at=created,
        direction="outgoing",
        url=media.get("permalink") if isinstance(media.get("permalink"), str) else None,
        raw=dict(media),
    )


def _graph_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z").astimezone(UTC)
    except ValueError:
        return None


def fb_object_event(account_id: str, data: Mapping, *, comment: bool) -> PlatformEvent:
    """A Facebook post (``FB_POST_FIELDS``) or comment (``COMMENT_FIELDS``) read with ``GET /{id}`` as an event.
    A comment's post is derived from its id (``<post object id>_<comment id>``); the page's own are outgoing."""
    author = data.get("from") if isinstance(data.get("from"), Mapping) else {}
    author_id = str(author["id"]) if author.get("id") is not None else None
    object_id = str(data["id"])
    post_id = parent_id = None
    kind = "post"
    if comment:
        prefix, sep, _rest = object_id.partition("_")
        post_id = f"{account_id}_{prefix}" if sep else None
        parent = data.get("parent") if isinstance(data.get("parent"), Mapping) else {}
        parent_id = str(parent["id"]) if parent.get("id") else post_id
        kind = "comment" if parent_id == post_id else "reply"
    return PlatformEvent(
        platform="facebook",
        account_id=account_id,
        verb="add",
        kind=kind,  # type: ignore[arg-type]
        external_id=object_id,
        parent_external_id=parent_id,
        post_external_id=post_id,
        author_id=author_id,
        author_name=author.get("name") if isinstance(author.get("name"), str) else None,
        text=data.get("message") if isinstance(data.get("message"), str) else "",
        created_at=_graph_time(data.get("created_time")),
        direction="outgoing" if author_id == account_id else "incoming",
        url=data.get("permalink_url") if isinstance(data.get("permalink_url"), str) else None,
        raw=dict(data),
    )


def ig_comment_event(account_id: str, data: Mapping) -> PlatformEvent:
    """An Instagram comment read with ``GET /{ig-comment-id}`` (``IG_COMMENT_FIELDS``) as an event."""
    author = data.get("from") if isinstance(data.get("from"), Mapping) else {}
    author_id = str(author["id"]) if author.get("id") is not None else None
    media = data.get("media") if isinstance(data.get("media"), Mapping) else {}
    media_id = str(media["id"]) if media.get("id") else None
    parent_id = str(data["parent_id"]) if data.get("parent_id") else None
    return PlatformEvent(
        platform="instagram",
        account_id=account_id,
        verb="add",
        kind="reply" if parent_id else "comment",
        external_id=str(data["id"]),
        parent_external_id=parent_id or media_id,
        post_external_id=media_id,
        author_id=author_id,
        author_name=(author.get("username") or data.get("username")) if isinstance(
            author.get("username") or data.get("username"), str) else None,
        text=data.get("text") if isinstance(data.get("text"), str) else "",
        created_at=_graph_time(data.get("timestamp")),
        direction="outgoing" if author_id is not None and author_id == account_id else "incoming",
        raw=dict(data),
    )


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

    def get_post(self, post_id: str, fields: str = FB_POST_FIELDS) -> dict:
        return self._call("GET", post_id, fields=fields)

    def get_ig_media(self, media_id: str, fields: str = IG_MEDIA_FIELDS) -> dict:
        """An Instagram media object (``GET /{ig-media-id}?fields=…``): the thread root of its comments."""
        return self._call("GET", media_id, fields=fields)

    def get_ig_comment(self, comment_id: str, fields: str = IG_COMMENT_FIELDS) -> dict:
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
