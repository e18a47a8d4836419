"""The connector client for a channel, configured from the settings (base URLs, timeout)."""

from __future__ import annotations

from django.conf import settings

from moderation.models import Channel, Platform
from moderation.platforms.connectors.errors import InvalidRequest
from moderation.platforms.connectors.linkedin import LinkedInClient
from moderation.platforms.connectors.meta import GraphClient
from moderation.platforms.connectors.youtube import YouTubeClient


def client_for_channel(channel: Channel, access_token: str) -> GraphClient | YouTubeClient | LinkedInClient:
    """The connector client for the channel's platform (the caller closes it)."""
    timeout = settings.UPPSIKT_PLATFORM_TIMEOUT
    if channel.platform in (Platform.FACEBOOK, Platform.INSTAGRAM):
        return GraphClient(settings.UPPSIKT_GRAPH_URL, access_token, timeout=timeout)
    if channel.platform == Platform.YOUTUBE:
        return YouTubeClient(settings.UPPSIKT_YOUTUBE_URL, access_token, timeout=timeout)
    if channel.platform == Platform.LINKEDIN:
        return LinkedInClient(settings.UPPSIKT_LINKEDIN_URL, access_token, channel.external_id, timeout=timeout)
    raise InvalidRequest(f"no connector for platform {channel.platform}")
