"""The fake platform answers in the real APIs' shapes (tests/fakeplatform/fixtures/, written from the
platforms' documentation), and the connectors read those recorded shapes as they are."""

from __future__ import annotations

import json

import httpx
import pytest

from moderation.platforms.connectors import linkedin, meta, youtube
from moderation.platforms.connectors.oauth import RefreshRejected, refresh_access_token
from tests.fakeplatform import DEFAULT_TOKEN
from tests.fakeplatform.server import GOOGLE_TOKEN_PATH, LINKEDIN_TOKEN_PATH
from tests.fakeplatform.shapes import load, same_shape

POST = "urn:li:activity:7000000000000000001"


def get(fake, path, **params):
    headers = {"Authorization": f"Bearer {DEFAULT_TOKEN}", "LinkedIn-Version": "202510",
               "X-Restli-Protocol-Version": "2.0.0"}
    return httpx.get(fake.url + path, params=params, headers=headers).json()


def test_same_shape_reports_missing_extra_and_type_changes():
    assert same_shape({"a": 1, "b": [{"c": "x"}]}, {"a": 2.5, "b": [{"c": "y"}]}) == []
    assert same_shape({"a": "1", "z": 0}, {"a": 1, "b": 1}) == ["$.b missing", "$.z not in the real format",
                                                                "$.a: str instead of number"]


def test_fake_youtube_thread_comment_and_video_shapes(fake_platform):
    thread = fake_platform.add_youtube_thread(reply_count=7)
    threads = get(fake_platform, "/youtube/v3/commentThreads", part="snippet,replies",
                  allThreadsRelatedToChannelId="UCkommun", moderationStatus="published")
    assert same_shape({**threads, "nextPageToken": "x"}, load("youtube/comment_thread_list.json")) == []
    [item] = threads["items"]
    assert same_shape(item, load("youtube/comment_thread.json")) == []
    assert item["snippet"]["totalReplyCount"] == 7 and len(item["replies"]["comments"]) == 5  # embeds at most 5
    replies = get(fake_platform, "/youtube/v3/comments", part="snippet", parentId=thread, maxResults="5")
    assert same_shape(replies, load("youtube/comment_list.json")) == []
    assert same_shape(replies["items"][0], load("youtube/comment.json")) == []
    videos = get(fake_platform, "/youtube/v3/videos", part="snippet", id="vid00000001")
    assert same_shape(videos, load("youtube/video_list.json")) == []


def test_fake_linkedin_comment_shapes(fake_platform):
    top = fake_platform.add_linkedin_comment(POST)
    fake_platform.add_linkedin_comment(POST, actor="urn:li:organization:4711",
                                       parent_comment=f"urn:li:comment:({POST},{top})")
    from urllib.parse import quote

    on_post = get(fake_platform, f"/rest/socialActions/{quote(POST, safe='')}/comments")
    assert same_shape(on_post, load("linkedin/comments_on_post.json")) == []
    assert len(on_post["elements"]) == 1 and on_post["elements"][0]["commentsSummary"]["aggregatedTotalComments"] == 1
    urn = on_post["elements"][0]["commentUrn"]
    on_comment = get(fake_platform, f"/rest/socialActions/{quote(urn, safe='')}/comments")
    assert same_shape(on_comment, load("linkedin/comments_on_comment.json")) == []


def test_fake_instagram_media_shape(fake_platform):
    fake_platform.add_post("18172143295349192", platform="instagram")
    media = httpx.get(f"{fake_platform.url}/v21.0/18172143295349192",
                      params={"access_token": DEFAULT_TOKEN, "fields": meta.IG_MEDIA_FIELDS}).json()
    assert same_shape(media, load("meta/instagram_media.json")) == []


def test_fake_token_endpoints_shapes(fake_platform):
    fake_platform.add_refresh_token("rt", platform="youtube")
    fake_platform.add_refresh_token("rl", platform="linkedin")
    form = {"grant_type": "refresh_token", "client_id": "client-id", "client_secret": "client-secret"}
    google = httpx.post(fake_platform.url + GOOGLE_TOKEN_PATH, data={**form, "refresh_token": "rt"}).json()
    assert same_shape(google, load("oauth/google_token.json")) == []
    li = httpx.post(fake_platform.url + LINKEDIN_TOKEN_PATH, data={**form, "refresh_token": "rl"}).json()
    assert same_shape(li, load("oauth/linkedin_token.json")) == []
    with pytest.raises(RefreshRejected) as info:
        refresh_access_token(fake_platform.url + GOOGLE_TOKEN_PATH, client_id="client-id",
                             client_secret="client-secret", refresh_token="nope", platform="youtube")
    assert info.value.code == "invalid_grant" and "nope" not in info.value.message


# --- the connectors read the recorded shapes ------------------------------------------------------------------


def test_youtube_parse_recorded_thread():
    parsed = youtube.parse_thread("UCkommun", load("youtube/comment_thread.json"), "published")
    top, reply = parsed.events
    assert (top.kind, top.parent_external_id, top.direction) == ("comment", "vid00000001", "incoming")
    assert (reply.kind, reply.parent_external_id, reply.direction) == ("reply", top.external_id, "outgoing")
    assert parsed.incomplete is None
    more = load("youtube/comment_thread.json")
    more["snippet"]["totalReplyCount"] = 750
    assert youtube.parse_thread("UCkommun", more, "published").incomplete.total_replies == 750
    with pytest.raises(youtube.MalformedThread):
        youtube.parse_thread("UCkommun", {"id": "x", "snippet": {"totalReplyCount": 0}}, "published")


def test_youtube_recorded_video_is_outgoing_root():
    event = youtube.video_event("UCkommun", load("youtube/video_list.json")["items"][0])
    assert (event.kind, event.direction, event.external_id) == ("post", "outgoing", "vid00000001")
    assert event.text.startswith("Nya badhuset")


def test_linkedin_recorded_shapes_reply_references():
    element = load("linkedin/comments_on_post.json")["elements"][0]
    assert linkedin.reply_count(element) == 1
    assert linkedin.comment_urn(element) == element["commentUrn"]
    nested = load("linkedin/comments_on_comment.json")["elements"][0]
    assert linkedin.comment_id_from_urn(nested["parentComment"]) == element["id"]


@pytest.mark.parametrize(("fixture", "kinds"), [
    ("meta/messenger_message.json", [("message", "incoming", "add")]),
    ("meta/messenger_echo.json", [("message", "outgoing", "add")]),
    ("meta/instagram_message.json", [("message", "incoming", "add"), ("message", "outgoing", "add")]),
    ("meta/feed_comment_legacy.json", [("comment", "incoming", "add")]),
    ("meta/instagram_comment_legacy.json", [("comment", "incoming", "add")]),
])
def test_meta_recorded_deliveries_parse(fixture, kinds):
    events = meta.parse_delivery(json.loads(json.dumps(load(fixture))))
    assert [(e.kind, e.direction, e.verb) for e in events] == kinds


def test_meta_legacy_comment_post_derived_from_comment_id():
    [event] = meta.parse_delivery(load("meta/feed_comment_legacy.json"))
    assert event.post_external_id == "137542570280222_139560936744456"
    assert (event.author_id, event.author_name) == ("139560936744123", "Förnamn Efternamn")


def test_instagram_recorded_media_event():
    event = meta.ig_media_event("17841400000000001", load("meta/instagram_media.json"))
    assert (event.kind, event.direction, event.text) == ("post", "outgoing", "Nu har vi öppnat det nya badhuset!")
    assert event.url == "https://www.instagram.com/p/C6abcDEFghi/" and event.created_at.year == 2024
