"""Completing threads: reading from the platform an item the events point at but did not carry — an
Instagram media (the root of its comments), an Instagram comment that came without its media, a Facebook post
or comment whose parent never arrived, a YouTube comment or video.

Only reads (HTTP, outside any transaction); the callers (``ingest``, ``pending``) apply what comes back.
Every function returns None when the platform cannot give the object (no credentials, gone, an error): the
caller then keeps what it has (an item without a parent is never lost).
"""

from __future__ import annotations

import logging

from moderation.models import Channel, Platform
from moderation.platforms.clients import client_for_channel
from moderation.platforms.connectors import meta
from moderation.platforms.connectors.errors import PlatformError
from moderation.platforms.connectors.events import PlatformEvent
from moderation.platforms.credentials import channel_access_token

logger = logging.getLogger(__name__)


def _read(channel: Channel, what: str, call) -> PlatformEvent | None:
    token = channel_access_token(channel)
    if not token:
        return None
    try:
        with client_for_channel(channel, token) as client:
            return call(client)
    except (PlatformError, KeyError, TypeError, ValueError) as error:
        logger.info("%s: could not read %s from the platform: %s", channel.slug, what,
                    getattr(error, "message", type(error).__name__))
        return None


def ig_media(channel: Channel, media_id: str) -> PlatformEvent | None:
    """The Instagram media as the account's own root post (``GET /{ig-media-id}``)."""
    return _read(channel, f"media {media_id}",
                 lambda c: meta.ig_media_event(channel.external_id, c.get_ig_media(media_id)))


def ig_comment(channel: Channel, comment_id: str) -> PlatformEvent | None:
    return _read(channel, f"comment {comment_id}",
                 lambda c: meta.ig_comment_event(channel.external_id, c.get_ig_comment(comment_id)))


def fb_object(channel: Channel, object_id: str, *, comment: bool) -> PlatformEvent | None:
    def call(client):
        data = client.get_comment(object_id) if comment else client.get_post(object_id)
        return meta.fb_object_event(channel.external_id, data, comment=comment)

    return _read(channel, f"{'comment' if comment else 'post'} {object_id}", call)


def youtube_video(channel: Channel, video_id: str) -> PlatformEvent | None:
    def call(client):
        events = client.get_videos(channel.external_id, [video_id])
        return events[0] if events else None

    return _read(channel, f"video {video_id}", call)


def fetch(channel: Channel, external_id: str, *, hint: str = "") -> PlatformEvent | None:
    """Whatever the id names on the channel's platform. ``hint`` is "post" or "comment" when known.
    (LinkedIn has no single-comment read that fits here: None.)"""
    if channel.platform == Platform.INSTAGRAM:
        return ig_media(channel, external_id) if hint == "post" else (
            ig_comment(channel, external_id) or ig_media(channel, external_id))
    if channel.platform == Platform.FACEBOOK:
        is_post = hint == "post" or (not hint and external_id.startswith(f"{channel.external_id}_"))
        return fb_object(channel, external_id, comment=not is_post)
    if channel.platform == Platform.YOUTUBE:
        return youtube_video(channel, external_id) if hint != "comment" else None
    return None

