"""Polling YouTube comment threads and LinkedIn post comments against the fake platform, with paging,
resuming where it stopped, and the YouTube quota."""

from __future__ import annotations

import pytest

from moderation.models import Channel, CredentialsStatus, Direction, Item, ItemKind
from moderation.platforms.polling import channel_poll, quota_day
from tests.factories import ItemFactory
from tests.platform_fixtures import *  # noqa: F403 - fixtures
from tests.platform_fixtures import LI_ORG, YT_CHANNEL

pytestmark = pytest.mark.django_db


def threads(calls):
    return [c for c in calls if c.path == "/youtube/v3/commentThreads"]


def test_youtube_poll_all_statuses_with_paging(platform_urls, yt_channel, monkeypatch):
    fake = platform_urls
    monkeypatch.setattr("moderation.platforms.polling.YOUTUBE_PAGE_SIZE", 2)  # two threads a page
    for n in range(5):
        fake.add_youtube_thread(text=f"Publicerad {n}", replies=[{"text": f"Svar {n}"}] if n == 0 else ())
    held = fake.add_youtube_thread(text="Väntar på granskning", moderation_status="heldForReview")
    fake.add_youtube_thread(text="Skräp", moderation_status="likelySpam")
    result = channel_poll(channel=yt_channel)
    assert result["pages"] == 1 + 1 + 3
    assert Item.objects.filter(channel=yt_channel).exclude(kind=ItemKind.POST).count() == 8
    video = Item.objects.get(channel=yt_channel, kind=ItemKind.POST)  # the threads' root, read once
    assert video.external_id == "vid00000001" and video.direction == Direction.OUTGOING
    assert not Item.objects.filter(channel=yt_channel, kind=ItemKind.COMMENT).exclude(root_post=video).exists()
    reply = Item.objects.get(text="Svar 0")
    assert reply.kind == ItemKind.REPLY and reply.parent.text == "Publicerad 0"
    assert Item.objects.get(external_id=held).hidden_on_platform is True
    statuses = [c.query["moderationStatus"] for c in threads(fake.calls)]
    assert statuses == ["heldForReview", "likelySpam", "published", "published", "published"]
    assert all(c.query["allThreadsRelatedToChannelId"] == YT_CHANNEL for c in threads(fake.calls))
    state = Channel.objects.get(pk=yt_channel.pk).poll_state
    assert state["quota"] == {"day": quota_day(), "used": 5 + 1}  # five thread pages and one videos.list
    assert state["youtube"]["streams"]["published"]["page_token"] is None
    # Again: nothing new is created.
    channel_poll(channel=yt_channel)
    assert Item.objects.filter(channel=yt_channel).count() == 8 + 1


def test_youtube_poll_resumes_at_stored_page_token(platform_urls, yt_channel, monkeypatch):
    fake = platform_urls
    monkeypatch.setattr("moderation.platforms.polling.YOUTUBE_PAGE_SIZE", 1)
    for n in range(3):
        fake.add_youtube_thread(text=f"T{n}")
    result = channel_poll(channel=yt_channel, max_pages=3)  # held, spam, first published page
    assert result["stopped"] == "page_limit"
    token = Channel.objects.get(pk=yt_channel.pk).poll_state["youtube"]["streams"]["published"]["page_token"]
    assert token
    before = len(fake.calls)
    channel_poll(channel=yt_channel)
    resumed = threads(fake.calls[before:])
    published = [c for c in resumed if c.query["moderationStatus"] == "published"]
    assert published[0].query["pageToken"] == token
    assert Item.objects.filter(channel=yt_channel, kind=ItemKind.COMMENT).count() == 3


def test_youtube_poll_stops_before_quota(platform_urls, yt_channel, settings):
    settings.UPPSIKT_YOUTUBE_DAILY_QUOTA = 10_000
    settings.UPPSIKT_YOUTUBE_ACTION_RESERVE = 1_000
    Channel.objects.filter(pk=yt_channel.pk).update(poll_state={"quota": {"day": quota_day(), "used": 9_000}})
    yt_channel.refresh_from_db()
    platform_urls.add_youtube_thread()
    result = channel_poll(channel=yt_channel)
    assert result["stopped"] == "quota"
    assert not threads(platform_urls.calls)


def test_youtube_quota_exceeded_stops(platform_urls, yt_channel):
    platform_urls.fail_next("/youtube/v3/commentThreads", kind="youtube_error", reason="quotaExceeded")
    result = channel_poll(channel=yt_channel)
    assert result["stopped"] == "rate_limited"
    assert Channel.objects.get(pk=yt_channel.pk).poll_state["quota"]["used"] == 10_000


def test_youtube_poll_bad_token_marks_channel(platform_urls, yt_channel):
    platform_urls.valid_tokens = {"other"}
    assert channel_poll(channel=yt_channel)["stopped"] == "credentials"
    assert Channel.objects.get(pk=yt_channel.pk).credentials_status == CredentialsStatus.INVALID


def test_linkedin_poll_own_posts_comments_with_paging(platform_urls, li_channel, monkeypatch):
    fake = platform_urls
    monkeypatch.setattr("moderation.platforms.polling.LINKEDIN_PAGE_SIZE", 2)
    post = "urn:li:activity:7000000000000000001"
    ItemFactory(channel=li_channel, external_id=post, outgoing=True)
    ids = [fake.add_linkedin_comment(post, text=f"Kommentar {n}") for n in range(5)]
    fake.add_linkedin_comment(post, text="Vårt svar", actor=LI_ORG)
    result = channel_poll(channel=li_channel)
    assert result["pages"] == 3
    assert Item.objects.filter(channel=li_channel, external_id__in=ids).count() == 5
    ours = Item.objects.get(channel=li_channel, text="Vårt svar")
    assert ours.direction == Direction.OUTGOING
    comment = Item.objects.get(external_id=ids[0])
    assert comment.root_post.external_id == post
    starts = [c.query["start"] for c in fake.calls if c.method == "GET"]
    assert starts == ["0", "2", "4"]
    assert post not in Channel.objects.get(pk=li_channel.pk).poll_state["linkedin"]["cursors"]


def test_linkedin_poll_listed_posts_in_poll_state(platform_urls, li_channel):
    post = "urn:li:share:42"
    Channel.objects.filter(pk=li_channel.pk).update(poll_state={"linkedin": {"posts": [post]}})
    li_channel.refresh_from_db()
    platform_urls.add_linkedin_comment(post, text="Hej")
    channel_poll(channel=li_channel)
    assert Item.objects.filter(channel=li_channel, text="Hej").exists()


def test_poll_leaves_no_channel_history(platform_urls, yt_channel):
    platform_urls.add_youtube_thread()
    before = yt_channel.history.count()
    channel_poll(channel=yt_channel)
    assert yt_channel.history.count() == before
