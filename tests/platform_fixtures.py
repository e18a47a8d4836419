"""Fixtures shared by the connector tests (webhook, outbox, polling, flow): channels with encrypted
credentials pointing at the fake platform. Import the fixtures you use into the test module."""

from __future__ import annotations

import pytest

from moderation.models import Channel, CredentialsStatus, Platform
from tests.factories import ChannelFactory
from tests.fakeplatform import DEFAULT_TOKEN
from tests.fakeplatform import builders as b
from tests.fakeplatform.server import GOOGLE_TOKEN_PATH, LINKEDIN_TOKEN_PATH

APP_SECRET = "test-app-secret-åäö"
VERIFY_TOKEN = "verify-me-123"
YT_CHANNEL = "UCkommun"
LI_ORG = "urn:li:organization:4711"


def with_secrets(channel: Channel, *, app_secret: str = APP_SECRET, token: str = DEFAULT_TOKEN,
                 verify_token: str = VERIFY_TOKEN) -> Channel:
    channel.set_secret("app_secret", app_secret)
    channel.set_secret("access_token", token)
    channel.set_secret("verify_token", verify_token)
    channel.credentials_status = CredentialsStatus.OK
    channel.save()
    return channel


@pytest.fixture
def platform_urls(settings, fake_platform):
    settings.UPPSIKT_GRAPH_URL = fake_platform.url
    settings.UPPSIKT_YOUTUBE_URL = fake_platform.url
    settings.UPPSIKT_LINKEDIN_URL = fake_platform.url
    settings.UPPSIKT_GOOGLE_TOKEN_URL = fake_platform.url + GOOGLE_TOKEN_PATH
    settings.UPPSIKT_LINKEDIN_TOKEN_URL = fake_platform.url + LINKEDIN_TOKEN_PATH
    settings.UPPSIKT_PLATFORM_TIMEOUT = 0.5
    return fake_platform


@pytest.fixture
def fb_channel(unit):
    return with_secrets(ChannelFactory(platform=Platform.FACEBOOK, slug="exempelstad-facebook",
                                       external_id=b.PAGE_ID, unit=unit))


@pytest.fixture
def ig_channel(unit):
    return with_secrets(ChannelFactory(platform=Platform.INSTAGRAM, slug="exempelstad-instagram",
                                       external_id=b.IG_ACCOUNT_ID, unit=unit))


@pytest.fixture
def yt_channel(unit):
    return with_secrets(ChannelFactory(platform=Platform.YOUTUBE, slug="exempelstad-youtube",
                                       external_id=YT_CHANNEL, unit=unit))


@pytest.fixture
def li_channel(unit):
    return with_secrets(ChannelFactory(platform=Platform.LINKEDIN, slug="exempelstad-linkedin",
                                       external_id=LI_ORG, unit=unit))


def post_delivery(client, channel, payload: dict | bytes, *, secret: str = APP_SECRET, signature: str | None = None,
                  **extra):
    body = payload if isinstance(payload, bytes) else b.encode(payload)
    sig = b.sign(body, secret) if signature is None else signature
    headers = {"HTTP_X_HUB_SIGNATURE_256": sig} if sig else {}
    return client.post(f"/hooks/meta/{channel.slug}/", data=body, content_type="application/json",
                       **headers, **extra)
