"""OAuth token lifecycle against the fake platform's token endpoints (Google, LinkedIn): the scheduled job
refreshes tokens that expire soon, a 401 during polling or an action refreshes once and retries, a refused
refresh (invalid_grant) marks the channel, is audited and reported; secrets never leak."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.models import Channel, CredentialsStatus, PlatformAction, PlatformActionKind, PlatformActionStatus
from moderation.platforms.outbox import platform_action_execute
from moderation.platforms.polling import channel_poll
from moderation.platforms.tokens import channel_token_refresh, channel_tokens_refresh_due
from tests.factories import ItemFactory
from tests.fakeplatform import DEFAULT_TOKEN
from tests.platform_fixtures import *  # noqa: F403 - fixtures

pytestmark = pytest.mark.django_db

REFRESH = "1//0refresh-token-secret"
CLIENT_SECRET = "GOCSPX-client-secret"


def oauth(channel: Channel, fake, *, expires_in: timedelta | None = timedelta(minutes=30),
          refresh: str = REFRESH) -> Channel:
    channel.set_secret("refresh_token", refresh)
    channel.set_secret("client_secret", CLIENT_SECRET)
    channel.oauth_client_id = "client-id"
    channel.access_token_expires_at = timezone.now() + expires_in if expires_in is not None else None
    channel.save()
    fake.add_refresh_token(refresh, platform=channel.platform, client_id="client-id", client_secret=CLIENT_SECRET)
    return channel


def token_calls(fake):
    return [c for c in fake.calls if c.path in ("/token", "/oauth/v2/accessToken")]


def test_refresh_youtube_stores_new_token_and_expiry(platform_urls, yt_channel):
    fake = platform_urls
    oauth(yt_channel, fake)
    assert channel_token_refresh(channel=yt_channel).ok
    channel = Channel.objects.get(pk=yt_channel.pk)
    new = fake.issued_tokens[-1]
    assert channel.get_secret("access_token") == new and new not in channel.encrypted_access_token
    assert timedelta(minutes=59) < channel.access_token_expires_at - timezone.now() <= timedelta(seconds=3599)
    [call] = token_calls(fake)
    assert call.form == {"grant_type": "refresh_token", "refresh_token": REFRESH, "client_id": "client-id",
                         "client_secret": CLIENT_SECRET}
    event = AuditEvent.objects.get(detail__event="token_refreshed")
    assert REFRESH not in str(event.detail) and new not in str(event.detail)


def test_refresh_linkedin_keeps_refresh_token_expiry(platform_urls, li_channel):
    oauth(li_channel, platform_urls)
    assert channel_token_refresh(channel=li_channel).ok
    channel = Channel.objects.get(pk=li_channel.pk)
    assert token_calls(platform_urls)[0].path == "/oauth/v2/accessToken"
    assert timedelta(days=59) < channel.access_token_expires_at - timezone.now() <= timedelta(days=60)
    assert timedelta(days=364) < channel.refresh_token_expires_at - timezone.now() <= timedelta(days=365)


def test_job_refreshes_tokens_expiring_within_the_hour_only(platform_urls, yt_channel, li_channel):
    fake = platform_urls
    oauth(yt_channel, fake, expires_in=timedelta(minutes=20))
    oauth(li_channel, fake, expires_in=timedelta(days=30), refresh="AQW-linkedin")
    assert channel_tokens_refresh_due() == {"refreshed": 1}
    assert [c.path for c in token_calls(fake)] == ["/token"]
    # A Google token lasts an hour (3599 s): with a shorter window it is not due again at once.
    assert channel_tokens_refresh_due(within=timedelta(minutes=30)) == {}


def test_invalid_grant_marks_channel_audits_and_notifies(platform_urls, yt_channel, caplog):
    fake = platform_urls
    oauth(yt_channel, fake)
    fake.refresh_tokens.clear()  # revoked at Google
    with caplog.at_level(logging.INFO):
        result = channel_token_refresh(channel=yt_channel)
    assert result.outcome == "failed"
    channel = Channel.objects.get(pk=yt_channel.pk)
    assert channel.credentials_status == CredentialsStatus.INVALID
    assert "invalid_grant" in channel.credentials_error and "Ange nya uppgifter" in channel.credentials_error
    assert AuditEvent.objects.filter(detail__event="token_refresh_failed").exists()
    notified = AuditEvent.objects.get(detail__event="channel_failure")
    assert notified.target_id == str(channel.pk) and "invalid_grant" in notified.detail["reason"]
    assert REFRESH not in caplog.text and CLIENT_SECRET not in caplog.text
    assert channel_tokens_refresh_due() == {}  # not retried until someone enters new credentials


def test_health_page_shows_refresh_failure(platform_urls, yt_channel, client_for):
    oauth(yt_channel, platform_urls)
    platform_urls.refresh_tokens.clear()
    channel_token_refresh(channel=yt_channel)
    r = client_for("administrator").get(f"/kanaler/{yt_channel.slug}/halsa/")
    assert r.status_code == 200, r.content
    body = r.content.decode()
    assert "Åtkomsttoken kunde inte förnyas" in body and "Automatisk förnyelse av token" in body
    assert REFRESH not in body and CLIENT_SECRET not in body


def test_timeout_at_token_endpoint_is_retried_later(platform_urls, yt_channel):
    oauth(yt_channel, platform_urls)
    platform_urls.fail_next("/token", kind="http", http_status=503)
    assert channel_token_refresh(channel=yt_channel).outcome == "retry"
    assert Channel.objects.get(pk=yt_channel.pk).credentials_status == CredentialsStatus.OK
    assert channel_tokens_refresh_due() == {"refreshed": 1}


def test_poll_401_refreshes_once_and_retries(platform_urls, yt_channel):
    fake = platform_urls
    oauth(yt_channel, fake)
    fake.valid_tokens.discard(DEFAULT_TOKEN)  # the stored token expired
    fake.add_youtube_thread(text="Hej")
    result = channel_poll(channel=yt_channel)
    assert "stopped" not in result, result
    assert len(token_calls(fake)) == 1
    assert Channel.objects.get(pk=yt_channel.pk).credentials_status == CredentialsStatus.OK


def test_poll_401_with_refused_refresh_stops_marked(platform_urls, li_channel):
    fake = platform_urls
    oauth(li_channel, fake)
    fake.refresh_tokens.clear()
    fake.valid_tokens.discard(DEFAULT_TOKEN)
    Channel.objects.filter(pk=li_channel.pk).update(poll_state={"linkedin": {"posts": ["urn:li:share:1"]}})
    li_channel.refresh_from_db()
    assert channel_poll(channel=li_channel)["stopped"] == "token_refresh_failed"
    assert Channel.objects.get(pk=li_channel.pk).credentials_status == CredentialsStatus.INVALID
    assert len(token_calls(fake)) == 1


def test_action_401_refreshes_once_and_succeeds(platform_urls, li_channel):
    fake = platform_urls
    oauth(li_channel, fake)
    post = "urn:li:activity:7000000000000000001"
    comment_id = fake.add_linkedin_comment(post, text="Reklam")
    item = ItemFactory(channel=li_channel, external_id=comment_id, raw={"object": post}, text="Reklam")
    item.versions.create(number=1, text="Reklam")
    fake.valid_tokens.discard(DEFAULT_TOKEN)
    action = PlatformAction.objects.create(channel=li_channel, item=item, kind=PlatformActionKind.DELETE)
    assert platform_action_execute(action_id=action.pk) == "done"
    assert fake.comments[comment_id]["deleted"] is True and len(token_calls(fake)) == 1


def test_action_401_without_refresh_token_marks_invalid(platform_urls, li_channel):
    fake = platform_urls
    item = ItemFactory(channel=li_channel, external_id="1", raw={"object": "urn:li:share:1"})
    fake.valid_tokens.discard(DEFAULT_TOKEN)
    action = PlatformAction.objects.create(channel=li_channel, item=item, kind=PlatformActionKind.REPLY,
                                           payload={"message": "Hej"})
    assert platform_action_execute(action_id=action.pk) == "failed"
    action.refresh_from_db()
    assert action.status == PlatformActionStatus.FAILED and action.next_attempt_at is None
    assert not token_calls(fake)


def test_credentials_form_stores_oauth_secrets_write_only(platform_urls, yt_channel, client_for, caplog):
    c = client_for("administrator")
    r = c.get(f"/kanaler/{yt_channel.slug}/uppgifter/")
    assert r.status_code == 200 and b"refresh_token" in r.content and b"client_secret" in r.content
    with caplog.at_level(logging.DEBUG):
        r = c.post(f"/kanaler/{yt_channel.slug}/uppgifter/",
                   {"refresh_token": REFRESH, "client_secret": CLIENT_SECRET, "oauth_client_id": "client-id"})
    assert r.status_code == 302, r.content
    channel = Channel.objects.get(pk=yt_channel.pk)
    assert channel.get_secret("refresh_token") == REFRESH and channel.oauth_client_id == "client-id"
    assert REFRESH not in channel.encrypted_refresh_token
    r = c.get(f"/kanaler/{yt_channel.slug}/uppgifter/")
    assert REFRESH.encode() not in r.content and CLIENT_SECRET.encode() not in r.content
    assert REFRESH not in caplog.text and CLIENT_SECRET not in caplog.text
    history = " ".join(str(vars(h)) for h in channel.history.all())
    assert REFRESH not in history and "encrypted_refresh_token" not in history
    event = AuditEvent.objects.get(detail__event="credentials_updated")
    assert set(event.detail["fields"]) == {"refresh_token", "client_secret", "oauth_client_id"}
    # Unknown expiry after new credentials: the job refreshes at once.
    platform_urls.add_refresh_token(REFRESH, platform="youtube", client_secret=CLIENT_SECRET)
    assert channel_tokens_refresh_due() == {"refreshed": 1}


def test_meta_credentials_form_has_no_oauth_fields(fb_channel, client_for):
    r = client_for("administrator").get(f"/kanaler/{fb_channel.slug}/uppgifter/")
    assert r.status_code == 200 and b"refresh_token" not in r.content


def test_run_scheduled_enqueues_token_refresh_every_ten_minutes(tmp_path, settings, monkeypatch, capsys):
    from django.core.management import call_command

    settings.VAR_DIR = tmp_path
    call_command("run_scheduled")
    assert "platform_token_refresh" in capsys.readouterr().out
    call_command("run_scheduled")
    assert "platform_token_refresh" not in capsys.readouterr().out
    later = timezone.now() + timedelta(minutes=11)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    call_command("run_scheduled")
    assert "platform_token_refresh" in capsys.readouterr().out
