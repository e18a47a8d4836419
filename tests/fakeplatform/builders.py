"""Webhook deliveries as Meta builds them: page ``feed`` changes, Instagram comments, and the signature."""

from __future__ import annotations

import hashlib
import hmac
import json

PAGE_ID = "137542570280222"
IG_ACCOUNT_ID = "17841400000000001"
_COMMENT_TEXT = "Hej kommunen, när öppnar badhuset?"


def _without_none(data: dict) -> dict:
    return {key: value for key, value in data.items() if value is not None}


def facebook_comment_change(
    *,
    verb: str = "add",
    comment_id: str = "139560936744456_139620233405726",
    post_id: str = "137542570280222_139560936744456",
    parent_id: str | None = None,
    from_id: str | None = "139560936744123",
    from_name: str | None = "Förnamn Efternamn",
    message: str | None = _COMMENT_TEXT,
    created_time: int | None = 1511951015,
    photo: str | None = None,
    video: str | None = None,
) -> dict:
    """A ``feed`` change for a comment; ``parent_id`` defaults to the post (a top-level comment).
    A ``remove`` carries no message unless one is given explicitly. ``photo``/``video``: the URL of the
    picture (or GIF/video) of the comment, as Meta sends it in ``add`` and ``edited`` changes."""
    author = _without_none({"id": from_id, "name": from_name}) if from_id else None
    value = _without_none(
        {
            "from": author,
            "item": "comment",
            "verb": verb,
            "comment_id": comment_id,
            "post_id": post_id,
            "parent_id": parent_id or post_id,
            "created_time": created_time,
            "message": None if verb == "remove" and message is _COMMENT_TEXT else message,
            "photo": photo,
            "video": video,
        }
    )
    return {"field": "feed", "value": value}


def facebook_post_change(
    *,
    verb: str = "add",
    item: str = "status",
    post_id: str = "137542570280222_139560936744456",
    from_id: str = PAGE_ID,
    from_name: str | None = "Exempels kommun",
    message: str | None = "Badhuset öppnar på måndag.",
    created_time: int | None = 1511950000,
) -> dict:
    """A ``feed`` change for a post (``item`` status, post, photo, video, share, or reaction/like)."""
    value = _without_none(
        {
            "from": _without_none({"id": from_id, "name": from_name}),
            "item": item,
            "verb": verb,
            "post_id": post_id,
            "created_time": created_time,
            "message": message,
            "published": 1,
        }
    )
    return {"field": "feed", "value": value}


def instagram_comment_change(
    *,
    comment_id: str = "17919697626119712",
    text: str = "Så fint! 😍",
    from_id: str = "17841405309211844",
    username: str = "namn",
    media_id: str = "18172143295349192",
    parent_id: str | None = None,
    field: str = "comments",
) -> dict:
    """A ``comments`` (or ``live_comments``) change; replies carry ``parent_id``."""
    value = _without_none(
        {
            "id": comment_id,
            "text": text,
            "from": {"id": from_id, "username": username},
            "media": {"id": media_id, "media_product_type": "FEED"},
            "parent_id": parent_id,
        }
    )
    return {"field": field, "value": value}


def entry(account_id: str, *changes: dict, time: int = 1700000000) -> dict:
    return {"id": account_id, "time": time, "changes": list(changes)}


def delivery(object: str, entries: list[dict]) -> dict:
    return {"object": object, "entry": entries}


def encode(payload: dict) -> bytes:
    """The body bytes as Meta sends them: compact JSON, non-ASCII escaped (``\\u00e5``)."""
    return json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode()


def sign(body: bytes, secret: str) -> str:
    """The full ``X-Hub-Signature-256`` header value for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
