"""Every reply on every platform arrives, through real HTTP to the fake platform (which answers in the real
APIs' shapes): LinkedIn nested comments read per comment, YouTube replies beyond the five a thread embeds read
with comments.list within the quota budget, videos and Instagram media stored as the threads' roots."""

from __future__ import annotations

import time

import pytest

from moderation.models import (
    Channel,
    DeliverySource,
    Direction,
    Item,
    ItemKind,
    WebhookChangeFailure,
    WebhookDelivery,
    WebhookStatus,
)
from moderation.platforms.polling import channel_poll
from moderation.platforms.quota import quota_day
from tests.factories import ItemFactory
from tests.fakeplatform import builders as b
from tests.platform_fixtures import *  # noqa: F403 - fixtures
from tests.platform_fixtures import LI_ORG, YT_CHANNEL, post_delivery

pytestmark = pytest.mark.django_db

POST = "urn:li:activity:7000000000000000001"


def _calls(fake, path):
    return [c for c in fake.calls if c.path == path]


# --- LinkedIn ----------------------------------------------------------------------------------------------


def test_linkedin_post_with_nested_replies_arrives_whole(platform_urls, li_channel, monkeypatch):
    fake = platform_urls
    monkeypatch.setattr("moderation.platforms.polling.LINKEDIN_PAGE_SIZE", 2)
    ItemFactory(channel=li_channel, external_id=POST, kind=ItemKind.POST, outgoing=True)
    top = [fake.add_linkedin_comment(POST, text=f"Kommentar {n}") for n in range(3)]
    urn0 = f"urn:li:comment:({POST},{top[0]})"
    replies = [fake.add_linkedin_comment(POST, text=f"Svar {n}", parent_comment=urn0) for n in range(5)]
    ours = fake.add_linkedin_comment(POST, text="Vi svarar", actor=LI_ORG,
                                     parent_comment=f"urn:li:comment:({POST},{top[2]})")

    result = channel_poll(channel=li_channel)

    assert "stopped" not in result, result
    stored = Item.objects.filter(channel=li_channel).exclude(kind=ItemKind.POST)
    assert stored.count() == 3 + 5 + 1
    post = Item.objects.get(channel=li_channel, external_id=POST)
    for reply_id in replies:
        reply = Item.objects.get(channel=li_channel, external_id=reply_id)
        assert reply.kind == ItemKind.REPLY and reply.parent.external_id == top[0]
        assert reply.root_post_id == post.pk
    own = Item.objects.get(external_id=ours)
    assert own.direction == Direction.OUTGOING and own.parent.external_id == top[2]
    # The post's list (2 pages of 2) never held the replies; they were read per comment, paged by 2.
    nested = [c for c in fake.calls if "urn%3Ali%3Acomment%3A" in c.path]
    assert [c.query["start"] for c in nested if top[0] in c.path] == ["0", "2", "4"]
    assert result["reply_pages"] == 3 + 1
    state = Channel.objects.get(pk=li_channel.pk).poll_state["linkedin"]
    assert state.get("replies") == {} and POST not in state["cursors"]

    before = len(fake.calls)
    channel_poll(channel=li_channel)  # nothing new: the replies are not read again
    assert not [c for c in fake.calls[before:] if "urn%3Ali%3Acomment%3A" in c.path]
    assert Item.objects.filter(channel=li_channel).count() == 1 + 9


def test_linkedin_nested_replies_resume_after_page_limit(platform_urls, li_channel, monkeypatch):
    fake = platform_urls
    monkeypatch.setattr("moderation.platforms.polling.LINKEDIN_PAGE_SIZE", 2)
    monkeypatch.setattr("moderation.platforms.polling.MAX_REPLY_PAGES_PER_RUN", 1)
    ItemFactory(channel=li_channel, external_id=POST, kind=ItemKind.POST, outgoing=True)
    top = fake.add_linkedin_comment(POST, text="Fråga")
    for n in range(4):
        fake.add_linkedin_comment(POST, text=f"Svar {n}", parent_comment=f"urn:li:comment:({POST},{top})")
    assert channel_poll(channel=li_channel)["stopped"] == "page_limit"
    assert Item.objects.filter(channel=li_channel, kind=ItemKind.REPLY).count() == 2
    channel_poll(channel=li_channel)
    assert Item.objects.filter(channel=li_channel, kind=ItemKind.REPLY).count() == 4


# --- YouTube -----------------------------------------------------------------------------------------------


def test_youtube_thread_with_750_replies_arrives_whole(platform_urls, yt_channel):
    fake = platform_urls
    thread = fake.add_youtube_thread(text="Varför stänger biblioteket?", reply_count=750)
    fake.add_youtube_thread(text="Bra video", replies=[{"text": "Håller med"}])

    started = time.perf_counter()
    result = channel_poll(channel=yt_channel)
    elapsed = time.perf_counter() - started

    assert "stopped" not in result, result
    top = Item.objects.get(channel=yt_channel, external_id=thread)
    assert Item.objects.filter(channel=yt_channel, parent=top, kind=ItemKind.REPLY).count() == 750
    video = Item.objects.get(channel=yt_channel, external_id="vid00000001")
    assert video.kind == ItemKind.POST and video.direction == Direction.OUTGOING
    assert not Item.objects.filter(channel=yt_channel).exclude(pk=video.pk).exclude(root_post=video).exists()
    replies_calls = _calls(fake, "/youtube/v3/comments")
    assert [c.query["parentId"] for c in replies_calls] == [thread] * 8  # 750 / 100, the thread with 1 embeds all
    assert all(c.query["maxResults"] == "100" for c in replies_calls)
    # 3 thread pages (one per moderation status) + 1 videos.list + 8 comments.list, one unit each.
    assert result["units"] == 12
    assert Channel.objects.get(pk=yt_channel.pk).poll_state["quota"] == {"day": quota_day(), "used": 12}
    print(f"\n750-reply thread: {len(fake.calls)} calls, {result['units']} quota units, {elapsed:.2f} s")

    before = len(fake.calls)
    channel_poll(channel=yt_channel)  # complete now: no comments.list again
    assert not _calls(type("F", (), {"calls": fake.calls[before:]}), "/youtube/v3/comments")
    assert Item.objects.filter(channel=yt_channel).count() == 1 + 2 + 750 + 1


def test_youtube_replies_stop_at_budget_and_resume_next_run(platform_urls, yt_channel, settings):
    fake = platform_urls
    settings.UPPSIKT_YOUTUBE_DAILY_QUOTA = 10_000
    settings.UPPSIKT_YOUTUBE_ACTION_RESERVE = 1_000
    thread = fake.add_youtube_thread(reply_count=350)
    # 5 units left: 3 thread pages + videos.list + 1 reply page.
    Channel.objects.filter(pk=yt_channel.pk).update(poll_state={"quota": {"day": quota_day(), "used": 8_995}})
    yt_channel.refresh_from_db()
    result = channel_poll(channel=yt_channel)
    assert result["stopped"] == "quota"
    # The first comments.list page holds the five the thread embedded too (the same ids: stored once).
    assert Item.objects.filter(parent__external_id=thread).count() == 100
    state = Channel.objects.get(pk=yt_channel.pk).poll_state
    assert state["quota"]["used"] == 9_000
    assert state["youtube"]["replies"][thread]["page_token"]  # where to go on

    Channel.objects.filter(pk=yt_channel.pk).update(poll_state={**state, "quota": {"day": quota_day(), "used": 0}})
    before = len(fake.calls)
    channel_poll(channel=yt_channel)
    resumed = [c for c in fake.calls[before:] if c.path == "/youtube/v3/comments"]
    assert resumed[0].query.get("pageToken") == state["youtube"]["replies"][thread]["page_token"]
    assert Item.objects.filter(parent__external_id=thread).count() == 350
    assert Channel.objects.get(pk=yt_channel.pk).poll_state["youtube"]["replies"] == {}


def test_youtube_thread_without_top_level_comment_dead_lettered_rest_goes_on(platform_urls, yt_channel, monkeypatch):
    fake = platform_urls
    good = fake.add_youtube_thread(text="Hel tråd")
    original = fake._youtube_threads

    def with_broken(query):
        response = original(query)
        import json

        body = json.loads(response.body)
        if body["items"]:
            body["items"].insert(0, {"kind": "youtube#commentThread", "id": "UgBroken",
                                     "snippet": {"channelId": YT_CHANNEL, "videoId": "vid00000001",
                                                 "totalReplyCount": 0}})
        response.body = json.dumps(body).encode()
        return response

    monkeypatch.setattr(fake, "_youtube_threads", with_broken)
    result = channel_poll(channel=yt_channel)
    assert "stopped" not in result and result["broken_threads"] == 1
    assert Item.objects.filter(channel=yt_channel, external_id=good).exists()
    dead = WebhookDelivery.objects.get(channel=yt_channel, source=DeliverySource.POLL)
    assert dead.status == WebhookStatus.DEAD and "top-level comment" in dead.error
    assert WebhookChangeFailure.objects.get(delivery=dead).where == "thread"
    channel_poll(channel=yt_channel)  # the same broken thread again: one dead letter
    assert WebhookDelivery.objects.filter(source=DeliverySource.POLL).count() == 1


def test_youtube_dead_lettered_thread_replayed_after_fix(platform_urls, yt_channel, users,
                                                         django_capture_on_commit_callbacks):
    """A polled dead letter carries the thread raw: once it parses, a replay stores it."""
    from moderation.platforms.ingest import poll_dead_letter, webhook_delivery_replay

    thread = {"kind": "youtube#commentThread", "id": "Ugz1", "snippet": {
        "videoId": "v1", "totalReplyCount": 0, "topLevelComment": {"id": "Ugz1", "snippet": {
            "textOriginal": "Hej", "authorChannelId": {"value": "UCx"}, "publishedAt": "2024-05-01T10:00:00Z"}}}}
    dead = poll_dead_letter(channel=yt_channel, platform="youtube", reason="test",
                            data={"platform": "youtube", "account_id": YT_CHANNEL, "status": "published",
                                  "thread": thread})
    with django_capture_on_commit_callbacks(execute=True):
        webhook_delivery_replay(delivery_id=dead.pk, actor=users["administrator"])
    dead.refresh_from_db()
    assert dead.status == WebhookStatus.PROCESSED
    assert Item.objects.get(channel=yt_channel, external_id="Ugz1").text == "Hej"


# --- Instagram ---------------------------------------------------------------------------------------------


def test_instagram_comment_media_fetched_once_as_root(client, platform_urls, ig_channel,
                                                     django_capture_on_commit_callbacks):
    fake = platform_urls
    fake.add_post("18172143295349192", platform="instagram", text="Nu har vi öppnat!", author_name="exempelstad")
    payload = b.delivery("instagram", [b.entry(b.IG_ACCOUNT_ID, b.instagram_comment_change(),
                                               b.instagram_comment_change(comment_id="2", text="Snyggt"))])
    with django_capture_on_commit_callbacks(execute=True):
        assert post_delivery(client, ig_channel, payload).status_code == 200
    media = Item.objects.get(channel=ig_channel, external_id="18172143295349192")
    assert (media.kind, media.direction, media.text) == (ItemKind.POST, Direction.OUTGOING, "Nu har vi öppnat!")
    assert media.url == "https://www.instagram.com/p/18172143295349192/"
    assert set(Item.objects.filter(channel=ig_channel, root_post=media).values_list("external_id", flat=True)) == {
        "17919697626119712", "2"}
    media_calls = [c for c in fake.calls if c.path.endswith("/18172143295349192")]
    assert len(media_calls) == 1
    assert media_calls[0].query["fields"] == "id,caption,media_type,media_url,permalink,timestamp,username"
    with django_capture_on_commit_callbacks(execute=True):
        post_delivery(client, ig_channel, b.delivery("instagram", [b.entry(
            b.IG_ACCOUNT_ID, b.instagram_comment_change(comment_id="3"))]))
    assert len([c for c in fake.calls if c.path.endswith("/18172143295349192")]) == 1  # fetched once


def test_instagram_legacy_comment_without_media_looked_up(client, platform_urls, ig_channel,
                                                          django_capture_on_commit_callbacks):
    from tests.fakeplatform import shapes

    fake = platform_urls
    fake.add_post("18172143295349192", platform="instagram")
    fake.add_comment("17865799348089039", platform="instagram", text="Gammalt format utan media",
                     post_id="18172143295349192", author_id="555", author_name="besokare")
    with django_capture_on_commit_callbacks(execute=True):
        r = post_delivery(client, ig_channel, shapes.load("meta/instagram_comment_legacy.json"))
    assert r.status_code == 200
    comment = Item.objects.get(channel=ig_channel, external_id="17865799348089039")
    assert comment.text == "Gammalt format utan media"
    assert comment.root_post.external_id == "18172143295349192"
    assert comment.author.external_id == "555"
    assert WebhookDelivery.objects.get().status == WebhookStatus.PROCESSED


def test_instagram_legacy_comment_kept_when_platform_cannot_say(client, platform_urls, ig_channel,
                                                                django_capture_on_commit_callbacks):
    from tests.fakeplatform import shapes

    with django_capture_on_commit_callbacks(execute=True):
        post_delivery(client, ig_channel, shapes.load("meta/instagram_comment_legacy.json"))
    comment = Item.objects.get(channel=ig_channel, external_id="17865799348089039")
    assert comment.root_post is None and comment.text == "Gammalt format utan media"
