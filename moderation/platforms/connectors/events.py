"""The normalised event every connector produces, whatever the platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

Platform = Literal["facebook", "instagram", "youtube", "linkedin"]
Verb = Literal["add", "edit", "remove", "hide", "unhide"]
Kind = Literal["post", "comment", "reply", "message"]
Direction = Literal["incoming", "outgoing"]
AttachmentKind = Literal["photo", "video", "sticker", "link_preview", "animated_gif", "file"]
ATTACHMENT_KINDS: tuple[str, ...] = ("photo", "video", "sticker", "link_preview", "animated_gif", "file")


@dataclass(frozen=True)
class AttachmentRef:
    """A picture, video, sticker, link-preview image, animated GIF or file an item carries on the platform.

    ``url`` is where the platform serves it (usually an expiring CDN address); ``platform_id`` the
    platform's id of the media object when it has one; ``content_type`` what the platform says it is (a
    hint only: the stored copy's type is sniffed from its bytes)."""

    kind: AttachmentKind
    url: str
    platform_id: str | None = None
    content_type: str | None = None

    def as_json(self) -> dict:
        """The form kept in ``Item.attachments`` / ``ItemVersion.attachments`` (and in PendingEvent rows)."""
        data = {"kind": self.kind, "url": self.url}
        if self.platform_id:
            data["platform_id"] = self.platform_id
        if self.content_type:
            data["content_type"] = self.content_type
        return data

    @classmethod
    def from_json(cls, data: dict) -> AttachmentRef:
        kind = data.get("kind") or data.get("type") or "file"
        return cls(kind=kind if kind in ATTACHMENT_KINDS else "file", url=str(data.get("url") or ""),
                   platform_id=(str(data["platform_id"]) if data.get("platform_id") else None),
                   content_type=data.get("content_type") or None)


@dataclass(frozen=True)
class PlatformEvent:
    """One thing that happened to a post or comment on a platform.

    ``account_id`` is the page, Instagram account, channel or organisation the event belongs to;
    ``parent_external_id`` is the post for a top-level comment and the comment for a reply;
    ``direction`` is "outgoing" when the account itself wrote it (the municipality's own posts and replies).
    """

    platform: Platform
    account_id: str
    verb: Verb
    kind: Kind
    external_id: str
    parent_external_id: str | None = None
    post_external_id: str | None = None
    author_id: str | None = None
    author_name: str | None = None
    text: str | None = None
    created_at: datetime | None = None
    direction: Direction = "incoming"
    url: str | None = None
    moderation_status: str | None = None
    attachments: list[AttachmentRef] = field(default_factory=list, hash=False)
    raw: dict = field(default_factory=dict, hash=False, repr=False)


def utc_from_timestamp(seconds: float) -> datetime:
    """Unix seconds (or milliseconds, recognised by their size) as an aware UTC datetime."""
    if seconds > 100_000_000_000:
        seconds = seconds / 1000
    return datetime.fromtimestamp(seconds, tz=UTC)


def utc_from_iso(value: str) -> datetime:
    """An RFC 3339 timestamp ("2024-05-01T10:00:00Z") as an aware UTC datetime."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
