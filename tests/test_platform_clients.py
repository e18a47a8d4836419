"""The platform connectors against the fake platform over real HTTP (loopback only): webhook signatures and
handshakes, parsing Meta deliveries, the Graph, YouTube and LinkedIn clients, and how their errors are
classified for the outbox worker."""

from __future__ import annotations

import json
import logging
import time
import traceback
from datetime import UTC, datetime
from urllib.parse import quote

import pytest

from moderation.platforms.connectors import linkedin, meta, youtube
from moderation.platforms.connectors.errors import (
    POLICY_BLOCK_BACKOFF,
    AlreadyGone,
    InvalidRequest,
    PermissionMissing,
    PlatformError,
    PolicyBlocked,
    RateLimited,
    TokenInvalid,
    TransientError,
    classify_meta_error,
    seconds_until_youtube_quota_reset,
)
from moderation.platforms.connectors.linkedin import LinkedInClient
from moderation.platforms.connectors.meta import (
    GraphClient,
    MalformedPayload,
    SkippedChange,
    parse_delivery,
    verify_handshake,
    verify_signature,
)
from moderation.platforms.connectors.youtube import QUOTA_COST, YouTubeClient
from tests.fakeplatform import DEFAULT_TOKEN, FakePlatform
from tests.fakeplatform import builders as b

SECRET = "test-app-secret"
PAGE = b.PAGE_ID
IG = b.IG_ACCOUNT_ID
ORG = "urn:li:organization:4711"
POST_URN = "urn:li:activity:7000000000000000001"
CHANNEL = "UCkommun"


@pytest.fixture
def graph(fake_platform):
    with GraphClient(fake_platform.url, DEFAULT_TOKEN, timeout=2.0) as client:
        yield client


@pytest.fixture
def yt(fake_platform):
    with YouTubeClient(fake_platform.url, DEFAULT_TOKEN, timeout=2.0) as client:
        yield client


@pytest.fixture
def li(fake_platform):
    with LinkedInClient(fake_platform.url, DEFAULT_TOKEN, ORG, timeout=2.0) as client:
        yield client


def page_delivery(*changes: dict) -> dict:
    return b.delivery("page", [b.entry(PAGE, *changes)])


def ig_delivery(*changes: dict) -> dict:
    return b.delivery("instagram", [b.entry(IG, *changes, time=1755779280)])


def shown(error: BaseException) -> str:
    """Everything a log line or traceback could show of an exception."""
    return str(error) + repr(error) + "".join(traceback.format_exception(error))


# --- X-Hub-Signature-256 ---------------------------------------------------------------------------------


def test_verify_signature_correct_header_returns_true():
    body = b.encode(page_delivery(b.facebook_comment_change()))
    assert verify_signature(body, b.sign(body, SECRET), SECRET) is True


def test_verify_signature_wrong_secret_returns_false():
    body = b.encode(page_delivery(b.facebook_comment_change()))
    assert verify_signature(body, b.sign(body, "another-secret"), SECRET) is False


@pytest.mark.parametrize("header", [None, ""])
def test_verify_signature_missing_header_returns_false(header):
    assert verify_signature(b"{}", header, SECRET) is False


@pytest.mark.parametrize(
    "mangle",
    [
        lambda h: h.replace("sha256=", "sha1="),
        lambda h: h.removeprefix("sha256="),
        lambda h: "sha256=",
        lambda h: h + "00",
        lambda h: h[:-1] + "g",
        lambda h: h[:-1] + "ä",
        lambda h: h.replace("sha256=", "sha256 "),
    ],
    ids=["sha1-prefix", "no-prefix", "empty-digest", "too-long", "not-hex", "non-ascii", "space"],
)
def test_verify_signature_malformed_header_returns_false(mangle):
    body = b"{}"
    assert verify_signature(body, b.sign(body, SECRET), SECRET) is True
    assert verify_signature(body, mangle(b.sign(body, SECRET)), SECRET) is False


def test_verify_signature_body_altered_by_one_byte_returns_false():
    body = b.encode(page_delivery(b.facebook_comment_change(message="Hej")))
    header = b.sign(body, SECRET)
    altered = body.replace(b'"Hej"', b'"Hek"')
    assert altered != body and len(altered) == len(body)
    assert verify_signature(altered, header, SECRET) is False


def test_verify_signature_unicode_escaped_as_meta_sends_returns_true():
    body = b.encode(page_delivery(b.facebook_comment_change(message="Förskolan på Åsgatan")))
    assert b"\\u00f6" in body and "ö".encode() not in body
    assert verify_signature(body, b.sign(body, SECRET), SECRET) is True


def test_verify_signature_reserialised_without_escapes_returns_false():
    payload = page_delivery(b.facebook_comment_change(message="Förskolan på Åsgatan"))
    header = b.sign(b.encode(payload), SECRET)
    reserialised = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    assert verify_signature(reserialised, header, SECRET) is False


def test_verify_signature_empty_app_secret_returns_false():
    body = b"{}"
    assert verify_signature(body, b.sign(body, ""), "") is False


def test_parse_delivery_verified_body_keeps_swedish_text():
    body = b.encode(page_delivery(b.facebook_comment_change(message="Hälsningar från Överby")))
    assert verify_signature(body, b.sign(body, SECRET), SECRET)
    [event] = parse_delivery(json.loads(body))
    assert event.text == "Hälsningar från Överby"


# --- hub.challenge handshake -----------------------------------------------------------------------------


def test_verify_handshake_matching_token_returns_challenge():
    params = {"hub.mode": "subscribe", "hub.verify_token": "vt-123", "hub.challenge": "1158201444"}
    assert verify_handshake(params, "vt-123") == "1158201444"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.verify_token": "vt-1234", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.verify_token": "fel-åäö", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
    ],
    ids=["wrong", "longer", "non-ascii", "missing"],
)
def test_verify_handshake_wrong_token_returns_none(params):
    assert verify_handshake(params, "vt-123") is None


@pytest.mark.parametrize("mode", ["unsubscribe", "SUBSCRIBE", None])
def test_verify_handshake_wrong_mode_returns_none(mode):
    params = {"hub.verify_token": "vt-123", "hub.challenge": "1"}
    if mode is not None:
        params["hub.mode"] = mode
    assert verify_handshake(params, "vt-123") is None


def test_verify_handshake_missing_challenge_returns_none():
    assert verify_handshake({"hub.mode": "subscribe", "hub.verify_token": "vt-123"}, "vt-123") is None


# --- parse_delivery: Facebook page feed ------------------------------------------------------------------


def test_parse_delivery_top_level_comment_returns_comment_on_post():
    change = b.facebook_comment_change(comment_id="10_20", post_id="1_10")
    [event] = parse_delivery(page_delivery(change))
    assert (event.platform, event.account_id, event.verb, event.kind) == ("facebook", PAGE, "add", "comment")
    assert (event.external_id, event.parent_external_id, event.post_external_id) == ("10_20", "1_10", "1_10")
    assert (event.author_id, event.author_name) == ("139560936744123", "Förnamn Efternamn")
    assert event.text == "Hej kommunen, när öppnar badhuset?"
    assert event.created_at == datetime(2017, 11, 29, 10, 23, 35, tzinfo=UTC)
    assert event.direction == "incoming"
    assert event.raw == change


def test_parse_delivery_reply_returns_reply_to_parent_comment():
    change = b.facebook_comment_change(comment_id="10_30", post_id="1_10", parent_id="10_20")
    [event] = parse_delivery(page_delivery(change))
    assert (event.kind, event.parent_external_id, event.post_external_id) == ("reply", "10_20", "1_10")


@pytest.mark.parametrize(
    ("verb", "expected"),
    [
        ("add", "add"),
        ("edited", "edit"),
        ("edit", "edit"),
        ("remove", "remove"),
        ("hide", "hide"),
        ("unhide", "unhide"),
    ],
)
def test_parse_delivery_each_feed_verb_maps_to_event_verb(verb, expected):
    [event] = parse_delivery(page_delivery(b.facebook_comment_change(verb=verb)))
    assert event.verb == expected


def test_parse_delivery_remove_without_message_or_name_returns_nones():
    change = b.facebook_comment_change(verb="remove", from_name=None)
    assert "message" not in change["value"] and "name" not in change["value"]["from"]
    [event] = parse_delivery(page_delivery(change))
    assert (event.verb, event.text, event.author_name, event.author_id) == ("remove", None, None, "139560936744123")


@pytest.mark.parametrize("item", ["status", "post", "photo", "video", "share"])
def test_parse_delivery_post_items_return_post_events(item):
    change = b.facebook_post_change(item=item, post_id="1_99", from_id="555", message="Nytt inlägg")
    [event] = parse_delivery(page_delivery(change))
    assert (event.kind, event.external_id, event.post_external_id) == ("post", "1_99", "1_99")
    assert (event.parent_external_id, event.text, event.direction) == (None, "Nytt inlägg", "incoming")


@pytest.mark.parametrize("item", ["reaction", "like"])
def test_parse_delivery_reactions_and_likes_are_skipped_and_reported(item):
    skipped: list[SkippedChange] = []
    events = parse_delivery(page_delivery(b.facebook_post_change(item=item)), skipped=skipped)
    assert events == []
    assert skipped == [SkippedChange("entry[0].changes[0]", f"item {item!r} is ignored")]


def test_parse_delivery_page_own_post_and_reply_are_outgoing():
    post = b.facebook_post_change(from_id=PAGE)
    reply = b.facebook_comment_change(from_id=PAGE, parent_id="137542570280222_1")
    visitor = b.facebook_comment_change(from_id="42")
    events = parse_delivery(page_delivery(post, reply, visitor))
    assert [e.direction for e in events] == ["outgoing", "outgoing", "incoming"]


def test_parse_delivery_several_entries_and_changes_keep_order():
    payload = b.delivery(
        "page",
        [
            b.entry("p1", b.facebook_comment_change(comment_id="a"), b.facebook_comment_change(comment_id="b")),
            b.entry("p2", b.facebook_comment_change(comment_id="c")),
        ],
    )
    events = parse_delivery(payload)
    assert [(e.account_id, e.external_id) for e in events] == [("p1", "a"), ("p1", "b"), ("p2", "c")]


def test_parse_delivery_unknown_field_and_verb_are_skipped_and_reported(caplog):
    unknown_field = {"field": "mention", "value": {"post_id": "1_2"}}
    unknown_verb = b.facebook_comment_change(verb="block")
    skipped: list[SkippedChange] = []
    with caplog.at_level(logging.INFO, logger="moderation.platforms.connectors.meta"):
        events = parse_delivery(
            page_delivery(unknown_field, b.facebook_comment_change(), unknown_verb), skipped=skipped
        )
    assert [e.external_id for e in events] == ["139560936744456_139620233405726"]
    assert skipped == [
        SkippedChange("entry[0].changes[0]", "unknown field 'mention'"),
        SkippedChange("entry[0].changes[2]", "unknown verb 'block'"),
    ]
    assert "unknown field 'mention'" in caplog.text


def test_parse_delivery_unknown_object_is_skipped_and_reported():
    skipped: list[SkippedChange] = []
    assert parse_delivery({"object": "user", "entry": []}, skipped=skipped) == []
    assert skipped == [SkippedChange("payload", "unknown object 'user'")]


# --- parse_delivery: Instagram ---------------------------------------------------------------------------


def test_parse_delivery_instagram_comment_returns_comment_on_media():
    change = b.instagram_comment_change(comment_id="c1", media_id="m1", from_id="u1", username="namn")
    [event] = parse_delivery(ig_delivery(change))
    assert (event.platform, event.account_id, event.verb, event.kind) == ("instagram", IG, "add", "comment")
    assert (event.external_id, event.parent_external_id, event.post_external_id) == ("c1", "m1", "m1")
    assert (event.author_id, event.author_name, event.text) == ("u1", "namn", "Så fint! 😍")
    assert event.created_at == datetime.fromtimestamp(1755779280, tz=UTC)
    assert event.direction == "incoming"


def test_parse_delivery_instagram_reply_returns_reply_to_parent():
    change = b.instagram_comment_change(comment_id="c2", media_id="m1", parent_id="c1", from_id=IG)
    [event] = parse_delivery(ig_delivery(change))
    assert (event.kind, event.parent_external_id, event.post_external_id) == ("reply", "c1", "m1")
    assert event.direction == "outgoing"


def test_parse_delivery_instagram_live_comment_returns_comment():
    [event] = parse_delivery(ig_delivery(b.instagram_comment_change(field="live_comments", comment_id="l1")))
    assert (event.kind, event.external_id, event.verb) == ("comment", "l1", "add")


def test_parse_delivery_instagram_other_field_is_skipped():
    skipped: list[SkippedChange] = []
    assert parse_delivery(ig_delivery({"field": "mentions", "value": {"media_id": "1"}}), skipped=skipped) == []
    assert skipped[0].reason == "unknown field 'mentions'"


# --- parse_delivery: malformed payloads ------------------------------------------------------------------

_FB = b.facebook_comment_change()


def _fb_value(**changes):
    value = {**_FB["value"], **changes}
    return {"field": "feed", "value": {k: v for k, v in value.items() if v is not None}}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "payload must be an object, not list"),
        ({"entry": []}, "payload.object is missing"),
        ({"object": "page"}, "payload.entry is missing"),
        ({"object": "page", "entry": {}}, "payload.entry must be list, not dict"),
        ({"object": "page", "entry": ["x"]}, "entry[0] must be an object, not str"),
        ({"object": "page", "entry": [{"changes": []}]}, "entry[0].id is missing"),
        ({"object": "page", "entry": [{"id": "1"}]}, "entry[0].changes is missing"),
        ({"object": "page", "entry": [{"id": "1", "changes": {}}]}, "entry[0].changes must be list, not dict"),
        ({"object": "page", "entry": [{"id": "1", "changes": [7]}]}, "entry[0].changes[0] must be an object, not int"),
        (page_delivery({"value": {}}), "entry[0].changes[0].field is missing"),
        (page_delivery({"field": "feed", "value": "x"}), "entry[0].changes[0].value must be Mapping, not str"),
        (page_delivery(_fb_value(comment_id=None)), "entry[0].changes[0].value.comment_id is missing"),
        (page_delivery(_fb_value(post_id=None, comment_id="123")),
         "entry[0].changes[0].value.post_id is missing and comment_id '123' has no post prefix"),
        (page_delivery(_fb_value(verb=None)), "entry[0].changes[0].value.verb is missing"),
        (page_delivery(_fb_value(message=5)), "entry[0].changes[0].value.message must be str, not int"),
        (page_delivery(_fb_value(created_time="igår")),
         "value.created_time must be Unix seconds or an ISO 8601 time, not 'igår'"),
        (page_delivery(_fb_value(created_time=True)), "value.created_time must be int or float or str, not bool"),
        (page_delivery(_fb_value(**{"from": "x"})), "entry[0].changes[0].value.from must be Mapping, not str"),
        (ig_delivery({"field": "comments", "value": {"id": "1", "media": {}}}),
         "entry[0].changes[0].value.media.id is missing"),
        (
            ig_delivery({"field": "comments", "value": {"media": {"id": "m"}}}),
            "entry[0].changes[0].value.id is missing",
        ),
    ],
)
def test_parse_delivery_malformed_payload_raises_with_precise_message(payload, message):
    with pytest.raises(MalformedPayload) as info:
        parse_delivery(payload)
    assert message in str(info.value)


# --- Graph API client: success ---------------------------------------------------------------------------


def test_get_comment_existing_returns_requested_fields(fake_platform, graph):
    comment_id = fake_platform.add_comment(text="Varför är vägen avstängd?", author_id="77", author_name="Bo")
    data = graph.get_comment(comment_id)
    assert data["id"] == comment_id and data["message"] == "Varför är vägen avstängd?"
    assert data["from"] == {"id": "77", "name": "Bo"} and data["is_hidden"] is False
    [call] = fake_platform.calls
    assert call.query["access_token"] == DEFAULT_TOKEN and "permalink_url" in call.query["fields"]


def test_hide_comment_existing_hides_on_platform(fake_platform, graph):
    comment_id = fake_platform.add_comment()
    graph.hide_comment(comment_id)
    assert fake_platform.comments[comment_id]["is_hidden"] is True
    [call] = fake_platform.calls
    assert (call.method, call.path) == ("POST", f"/v21.0/{comment_id}")
    assert call.form == {"is_hidden": "true", "access_token": DEFAULT_TOKEN} and call.query == {}


def test_unhide_comment_hidden_shows_on_platform(fake_platform, graph):
    comment_id = fake_platform.add_comment()
    fake_platform.comments[comment_id]["is_hidden"] = True
    graph.unhide_comment(comment_id)
    assert fake_platform.comments[comment_id]["is_hidden"] is False


def test_delete_comment_existing_deletes_on_platform(fake_platform, graph):
    comment_id = fake_platform.add_comment()
    graph.delete_comment(comment_id)
    assert fake_platform.comments[comment_id]["deleted"] is True
    assert fake_platform.calls[-1].method == "DELETE"


def test_reply_existing_comment_returns_new_id(fake_platform, graph):
    comment_id = fake_platform.add_comment()
    new_id = graph.reply(comment_id, "Tack för frågan! Badhuset öppnar 1 juni.")
    assert fake_platform.comments[new_id]["parent_id"] == comment_id
    assert fake_platform.comments[new_id]["text"] == "Tack för frågan! Badhuset öppnar 1 juni."
    assert fake_platform.calls[-1].path == f"/v21.0/{comment_id}/comments"


def test_block_user_then_unblock_user_updates_blocked_list(fake_platform, graph):
    graph.block_user(PAGE, "2001")
    assert fake_platform.blocked == {(PAGE, "2001")}
    graph.unblock_user(PAGE, "2001")
    assert fake_platform.blocked == set()
    assert [(c.method, c.path) for c in fake_platform.calls] == [
        ("POST", f"/v21.0/{PAGE}/blocked"),
        ("DELETE", f"/v21.0/{PAGE}/blocked"),
    ]


def test_ig_hide_true_then_false_toggles_hidden(fake_platform, graph):
    comment_id = fake_platform.add_comment(platform="instagram")
    graph.ig_hide(comment_id, True)
    assert fake_platform.comments[comment_id]["is_hidden"] is True
    assert fake_platform.calls[-1].form["hide"] == "true"
    graph.ig_hide(comment_id, False)
    assert fake_platform.comments[comment_id]["is_hidden"] is False


def test_ig_delete_existing_deletes_on_platform(fake_platform, graph):
    comment_id = fake_platform.add_comment(platform="instagram")
    graph.ig_delete(comment_id)
    assert fake_platform.comments[comment_id]["deleted"] is True


def test_ig_reply_existing_comment_posts_to_replies_edge(fake_platform, graph):
    comment_id = fake_platform.add_comment(platform="instagram", post_id="media-1")
    new_id = graph.ig_reply(comment_id, "Tack!")
    assert fake_platform.comments[new_id]["parent_id"] == comment_id
    assert fake_platform.calls[-1].path == f"/v21.0/{comment_id}/replies"


def test_graph_call_usage_headers_are_parsed_into_last_usage(fake_platform, graph):
    buc = {PAGE: [{"type": "pages", "call_count": 12, "total_cputime": 3, "total_time": 4}]}
    fake_platform.graph_headers = {
        "X-App-Usage": json.dumps({"call_count": 28, "total_cputime": 9, "total_time": 11}),
        "X-Business-Use-Case-Usage": json.dumps(buc),
    }
    graph.get_comment(fake_platform.add_comment())
    assert graph.last_usage == {
        "app": {"call_count": 28, "total_cputime": 9, "total_time": 11},
        "business_use_case": buc,
    }
    fake_platform.graph_headers = {}
    graph.get_comment(fake_platform.add_comment())
    assert graph.last_usage == {}


# --- Graph API client: errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001])
def test_graph_call_rate_limit_codes_raise_rate_limited_with_retry_after(fake_platform, graph, code):
    buc = {PAGE: [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 5}]}
    fake_platform.fail_next("/v21.0/", code=code, headers={"X-Business-Use-Case-Usage": json.dumps(buc)})
    with pytest.raises(RateLimited) as info:
        graph.hide_comment(fake_platform.add_comment())
    assert (info.value.code, info.value.http_status, info.value.retry_after) == (code, 400, 300.0)
    assert info.value.retryable is True


def test_graph_call_retry_after_header_sets_retry_after(fake_platform, graph):
    fake_platform.fail_next("/v21.0/", code=4, headers={"Retry-After": "42"})
    with pytest.raises(RateLimited) as info:
        graph.get_comment("1")
    assert info.value.retry_after == 42.0


def test_graph_call_app_usage_at_100_percent_sets_retry_after(fake_platform, graph):
    usage = json.dumps({"call_count": 100, "total_cputime": 20, "total_time": 20})
    fake_platform.fail_next("/v21.0/", code=4, headers={"X-App-Usage": usage})
    with pytest.raises(RateLimited) as info:
        graph.get_comment("1")
    assert info.value.retry_after is not None and info.value.retry_after > 0
    assert graph.last_usage["app"]["call_count"] == 100


def test_graph_call_rate_limit_without_headers_has_no_retry_after(fake_platform, graph):
    fake_platform.fail_next("/v21.0/", code=17)
    with pytest.raises(RateLimited) as info:
        graph.get_comment("1")
    assert info.value.retry_after is None


def test_graph_call_unknown_token_raises_token_invalid(fake_platform):
    comment_id = fake_platform.add_comment()
    with GraphClient(fake_platform.url, "EAAexpired-token-0000") as client, pytest.raises(TokenInvalid) as info:
        client.hide_comment(comment_id)
    assert (info.value.code, info.value.http_status) == (190, 400)
    assert fake_platform.comments[comment_id]["is_hidden"] is False


@pytest.mark.parametrize(
    ("code", "http_status", "expected"),
    [
        (190, 401, TokenInvalid),
        (10, 400, PermissionMissing),
        (200, 403, PermissionMissing),
        (299, 400, PermissionMissing),
        (368, 400, PolicyBlocked),
        (2, 500, TransientError),
        (506, 400, InvalidRequest),
    ],
)
def test_graph_call_error_codes_raise_matching_class(fake_platform, graph, code, http_status, expected):
    fake_platform.fail_next("/v21.0/", code=code, http_status=http_status)
    with pytest.raises(PlatformError) as info:
        graph.hide_comment(fake_platform.add_comment())
    assert type(info.value) is expected
    assert (info.value.code, info.value.http_status) == (code, http_status)


def test_graph_call_policy_block_backs_off_at_least_an_hour(fake_platform, graph):
    fake_platform.fail_next("/v21.0/", code=368, subcode=1390008)
    with pytest.raises(PolicyBlocked) as info:
        graph.reply(fake_platform.add_comment(), "Hej")
    assert info.value.retry_after >= POLICY_BLOCK_BACKOFF == 3600
    assert info.value.subcode == 1390008


def test_delete_comment_already_deleted_raises_already_gone(fake_platform, graph):
    comment_id = fake_platform.add_comment()
    graph.delete_comment(comment_id)
    with pytest.raises(AlreadyGone) as info:
        graph.delete_comment(comment_id)
    assert (info.value.code, info.value.retryable) == (100, False)


def test_ig_delete_missing_comment_raises_already_gone(graph):
    with pytest.raises(AlreadyGone):
        graph.ig_delete("17900000000000000")


def test_get_comment_missing_comment_raises_invalid_request(graph):
    with pytest.raises(InvalidRequest) as info:
        graph.get_comment("does-not-exist")
    assert info.value.code == 100


@pytest.mark.parametrize("status", [500, 502, 503])
def test_graph_call_http_5xx_raises_transient_error(fake_platform, graph, status):
    fake_platform.fail_next("/v21.0/", kind="http", http_status=status)
    with pytest.raises(TransientError) as info:
        graph.delete_comment(fake_platform.add_comment())
    assert info.value.http_status == status and info.value.retryable is True


def test_graph_call_after_transient_failure_succeeds_on_retry(fake_platform, graph):
    comment_id = fake_platform.add_comment()
    fake_platform.fail_next(f"/v21.0/{comment_id}", kind="http", http_status=503)
    with pytest.raises(TransientError):
        graph.hide_comment(comment_id)
    graph.hide_comment(comment_id)
    assert fake_platform.comments[comment_id]["is_hidden"] is True


def test_graph_call_timeout_raises_transient_error_quickly(fake_platform):
    fake_platform.fail_next("/v21.0/", kind="timeout", delay=3.0)
    started = time.monotonic()
    with GraphClient(fake_platform.url, DEFAULT_TOKEN, timeout=0.3) as client, pytest.raises(TransientError) as info:
        client.get_comment("1")
    assert time.monotonic() - started < 2.0
    assert "no answer within 0.3s" in str(info.value)


def test_graph_call_server_down_raises_transient_error():
    with FakePlatform() as platform:
        url = platform.url
    with GraphClient(url, DEFAULT_TOKEN, timeout=1.0) as client, pytest.raises(TransientError) as info:
        client.get_comment("1")
    assert "ConnectError" in str(info.value)


@pytest.mark.parametrize(
    "failure",
    [
        {"code": 190, "message": f"Error validating access token {DEFAULT_TOKEN}: session expired"},
        {"kind": "http", "http_status": 500},
        {"kind": "timeout", "delay": 2.0},
        {"code": 4},
    ],
    ids=["token-echoed", "http-500", "timeout", "rate-limited"],
)
def test_graph_call_errors_never_show_access_token(fake_platform, failure):
    fake_platform.fail_next("/v21.0/", **failure)
    with GraphClient(fake_platform.url, DEFAULT_TOKEN, timeout=0.3) as client, pytest.raises(PlatformError) as info:
        client.get_comment("1")
    assert DEFAULT_TOKEN not in shown(info.value)
    assert fake_platform.calls[-1].query["access_token"] == DEFAULT_TOKEN  # it was sent, though


def test_graph_call_invalid_and_down_errors_never_show_access_token(fake_platform):
    secret_token = "EAAGsecret-page-token-31337"
    with GraphClient(fake_platform.url, secret_token) as client, pytest.raises(TokenInvalid) as invalid:
        client.delete_comment("1")
    with FakePlatform() as platform:
        url = platform.url
    with GraphClient(url, secret_token, timeout=1.0) as client, pytest.raises(TransientError) as down:
        client.get_comment("1")
    assert secret_token not in shown(invalid.value) + shown(down.value)


def test_graph_call_log_lines_never_show_access_token(fake_platform, graph, caplog):
    caplog.set_level(logging.DEBUG)
    comment_id = fake_platform.add_comment()
    graph.get_comment(comment_id)
    graph.hide_comment(comment_id)
    graph.delete_comment(comment_id)
    with pytest.raises(AlreadyGone):
        graph.delete_comment(comment_id)
    assert "HTTP Request: GET" in caplog.text and "access_token=***" in caplog.text
    assert DEFAULT_TOKEN not in caplog.text


# --- YouTube ---------------------------------------------------------------------------------------------


def test_list_comment_threads_three_pages_follow_next_page_token(fake_platform, yt):
    for n in range(5):
        fake_platform.add_youtube_thread(text=f"Kommentar {n}")
    fake_platform.add_youtube_thread(channel_id="UCannan", text="Annan kanal")
    fake_platform.add_youtube_thread(text="Väntar på granskning", moderation_status="heldForReview")
    texts, tokens, token = [], [], None
    while True:
        events, token = yt.list_comment_threads(CHANNEL, "published", page_token=token, max_results=2)
        texts += [e.text for e in events]
        tokens.append(token)
        if token is None:
            break
    assert texts == [f"Kommentar {n}" for n in range(5)]
    assert len(tokens) == 3 and tokens[-1] is None and all(tokens[:2])
    assert [c.query.get("pageToken") for c in fake_platform.calls] == [None, tokens[0], tokens[1]]


def test_list_comment_threads_maps_comments_and_replies(fake_platform, yt):
    thread_id = fake_platform.add_youtube_thread(
        video_id="vid123",
        text="Varför stängs biblioteket?",
        author_channel_id="UCanna",
        author_name="Anna",
        moderation_status="heldForReview",
        published_at="2024-05-01T10:00:00Z",
        replies=[{"text": "Det stängs inte!", "author_channel_id": CHANNEL, "author_name": "Kommunen"}],
    )
    events, next_token = yt.list_comment_threads(CHANNEL, "heldForReview")
    assert next_token is None
    top, reply = events
    assert (top.platform, top.account_id, top.kind, top.verb) == ("youtube", CHANNEL, "comment", "add")
    assert (top.external_id, top.parent_external_id, top.post_external_id) == (thread_id, "vid123", "vid123")
    assert (top.author_id, top.author_name, top.text) == ("UCanna", "Anna", "Varför stängs biblioteket?")
    assert top.created_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert (top.moderation_status, top.direction) == ("heldForReview", "incoming")
    assert top.url == f"https://www.youtube.com/watch?v=vid123&lc={thread_id}"
    assert (reply.kind, reply.external_id, reply.parent_external_id) == ("reply", f"{thread_id}.1", thread_id)
    assert reply.direction == "outgoing"
    query = fake_platform.calls[0].query
    assert query["allThreadsRelatedToChannelId"] == CHANNEL and query["part"] == "snippet,replies"
    assert fake_platform.calls[0].headers["Authorization"] == f"Bearer {DEFAULT_TOKEN}"


def test_set_moderation_status_120_ids_splits_into_three_calls(fake_platform, yt):
    ids = [fake_platform.add_youtube_thread(text=f"spam {n}") for n in range(120)]
    yt.set_moderation_status(ids, "rejected")
    calls = fake_platform.calls
    assert [len(c.query["id"].split(",")) for c in calls] == [50, 50, 20]
    assert [i for c in calls for i in c.query["id"].split(",")] == ids
    assert all(c.query["moderationStatus"] == "rejected" and "banAuthor" not in c.query for c in calls)
    assert {fake_platform.comments[i]["moderation_status"] for i in ids} == {"rejected"}
    assert yt.quota_used == 3 * QUOTA_COST["setModerationStatus"] == 150


@pytest.mark.parametrize("status", ["published", "heldForReview"])
def test_set_moderation_status_ban_author_without_rejected_raises_value_error(fake_platform, yt, status):
    thread_id = fake_platform.add_youtube_thread()
    with pytest.raises(ValueError, match="rejected"):
        yt.set_moderation_status([thread_id], status, ban_author=True)
    assert fake_platform.calls == []


def test_set_moderation_status_rejected_with_ban_author_bans_author(fake_platform, yt):
    thread_id = fake_platform.add_youtube_thread(author_channel_id="UCtroll")
    yt.set_moderation_status([thread_id], "rejected", ban_author=True)
    assert fake_platform.calls[0].query["banAuthor"] == "true"
    assert fake_platform.blocked == {(CHANNEL, "UCtroll")}


def test_set_moderation_status_unknown_comment_raises_already_gone(yt):
    with pytest.raises(AlreadyGone) as info:
        yt.set_moderation_status(["Ugzgone"], "rejected")
    assert (info.value.code, info.value.http_status) == ("commentNotFound", 404)


def test_list_comment_threads_quota_exceeded_raises_rate_limited_until_reset(fake_platform, yt):
    fake_platform.fail_next("/youtube/v3/", kind="youtube_error", reason="quotaExceeded", http_status=403)
    with pytest.raises(RateLimited) as info:
        yt.list_comment_threads(CHANNEL, "published")
    assert (info.value.code, info.value.http_status) == ("quotaExceeded", 403)
    assert 0 < info.value.retry_after <= 25 * 3600


def test_set_moderation_status_rate_limit_exceeded_raises_rate_limited(fake_platform, yt):
    fake_platform.fail_next("/youtube/v3/comments", kind="youtube_error", reason="rateLimitExceeded", http_status=403)
    with pytest.raises(RateLimited) as info:
        yt.set_moderation_status([fake_platform.add_youtube_thread()], "rejected")
    assert info.value.retry_after == 60.0


def test_youtube_call_forbidden_raises_permission_missing(fake_platform, yt):
    fake_platform.fail_next("/youtube/v3/", kind="youtube_error", reason="forbidden", http_status=403)
    with pytest.raises(PermissionMissing):
        yt.list_comment_threads(CHANNEL, "heldForReview")


def test_youtube_call_unknown_token_raises_token_invalid(fake_platform):
    with YouTubeClient(fake_platform.url, "ya29.expired-token") as client, pytest.raises(TokenInvalid) as info:
        client.list_comment_threads(CHANNEL, "published")
    assert info.value.http_status == 401
    assert "ya29.expired-token" not in shown(info.value)


def test_youtube_call_timeout_raises_transient_error(fake_platform):
    fake_platform.fail_next("/youtube/v3/", kind="timeout", delay=2.0)
    with YouTubeClient(fake_platform.url, DEFAULT_TOKEN, timeout=0.3) as client, pytest.raises(TransientError):
        client.list_comment_threads(CHANNEL, "published")


def test_youtube_quota_used_counts_documented_costs(fake_platform, yt):
    yt.list_comment_threads(CHANNEL, "published")
    yt.set_moderation_status([fake_platform.add_youtube_thread()], "heldForReview")
    assert QUOTA_COST == {"list": 1, "setModerationStatus": 50}
    assert yt.quota_used == 51


# --- LinkedIn --------------------------------------------------------------------------------------------


def test_list_comments_pages_by_start_and_count(fake_platform, li):
    ids = [fake_platform.add_linkedin_comment(POST_URN, text=f"Kommentar {n}") for n in range(5)]
    fake_platform.add_linkedin_comment("urn:li:activity:999", text="Annat inlägg")
    seen, starts, start = [], [], 0
    while start is not None:
        events, start = li.list_comments(POST_URN, start=start, count=2)
        seen += [e.external_id for e in events]
        starts.append(start)
    assert seen == ids
    assert starts == [2, 4, None]
    assert [(c.query["start"], c.query["count"]) for c in fake_platform.calls] == [("0", "2"), ("2", "2"), ("4", "2")]


def test_list_comments_sends_version_headers_and_encoded_urn(fake_platform, li):
    li.list_comments(POST_URN)
    [call] = fake_platform.calls
    assert call.path == "/rest/socialActions/urn%3Ali%3Aactivity%3A7000000000000000001/comments"
    assert call.headers["LinkedIn-Version"] == "202510"
    assert call.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert call.headers["Authorization"] == f"Bearer {DEFAULT_TOKEN}"


def test_list_comments_maps_actor_text_and_direction(fake_platform, li):
    visitor = fake_platform.add_linkedin_comment(POST_URN, text="Bra jobbat!", created_ms=1_714_557_600_000)
    comment_urn = f"urn:li:comment:({POST_URN},{visitor})"
    own = fake_platform.add_linkedin_comment(POST_URN, text="Tack!", actor=ORG, parent_comment=comment_urn)
    page = li.list_comment_page(POST_URN)
    [first] = page.events  # a post's list holds first-level comments only, the reply as a reference
    assert (first.platform, first.account_id, first.kind, first.external_id) == ("linkedin", ORG, "comment", visitor)
    assert (first.parent_external_id, first.post_external_id) == (POST_URN, POST_URN)
    assert (first.author_id, first.text, first.direction) == ("urn:li:person:abc123", "Bra jobbat!", "incoming")
    assert first.created_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    [ref] = page.with_replies
    assert (ref.urn, ref.comment_id, ref.count) == (comment_urn, visitor, 1)
    [second], next_start = li.list_comments(ref.urn, post_urn=POST_URN)
    assert (second.kind, second.external_id, second.parent_external_id) == ("reply", own, visitor)
    assert (second.post_external_id, second.direction, next_start) == (POST_URN, "outgoing", None)
    assert fake_platform.calls[-1].path == "/rest/socialActions/" + quote(comment_urn, safe="") + "/comments"


def test_delete_comment_linkedin_existing_deletes_as_organization(fake_platform, li):
    comment_id = fake_platform.add_linkedin_comment(POST_URN)
    li.delete_comment(POST_URN, comment_id)
    assert fake_platform.comments[comment_id]["deleted"] is True
    [call] = fake_platform.calls
    assert call.method == "DELETE" and call.path.endswith(f"/comments/{comment_id}")
    assert call.query == {"actor": ORG}


def test_delete_comment_linkedin_twice_raises_already_gone(fake_platform, li):
    comment_id = fake_platform.add_linkedin_comment(POST_URN)
    li.delete_comment(POST_URN, comment_id)
    with pytest.raises(AlreadyGone) as info:
        li.delete_comment(POST_URN, comment_id)
    assert info.value.http_status == 404


def test_reply_linkedin_post_returns_new_comment_id(fake_platform, li):
    new_id = li.reply(POST_URN, "Tack för ditt inlägg!")
    assert fake_platform.comments[new_id]["actor"] == ORG
    assert json.loads(fake_platform.calls[0].body) == {
        "actor": ORG,
        "object": POST_URN,
        "message": {"text": "Tack för ditt inlägg!"},
    }


def test_linkedin_call_429_raises_rate_limited_with_retry_after(fake_platform, li):
    fake_platform.fail_next("/rest/", kind="linkedin_error", reason="TOO_MANY_REQUESTS", headers={"Retry-After": "30"})
    with pytest.raises(RateLimited) as info:
        li.list_comments(POST_URN)
    assert (info.value.http_status, info.value.retry_after) == (429, 30.0)


def test_linkedin_call_unknown_token_raises_token_invalid(fake_platform):
    with LinkedInClient(fake_platform.url, "AQVexpired", ORG) as client, pytest.raises(TokenInvalid) as info:
        client.list_comments(POST_URN)
    assert "AQVexpired" not in shown(info.value)


# --- capability tables -----------------------------------------------------------------------------------


def test_supports_tables_cover_every_action_for_every_platform():
    tables = {**meta.SUPPORTS, "youtube": youtube.SUPPORTS, "linkedin": linkedin.SUPPORTS}
    actions = {"hide", "unhide", "delete", "block", "unblock", "reply"}
    assert {platform: set(table) for platform, table in tables.items()} == dict.fromkeys(tables, actions)
    assert meta.SUPPORTS["instagram"]["block"] is False and meta.SUPPORTS["facebook"]["block"] is True
    assert (linkedin.SUPPORTS["hide"], linkedin.SUPPORTS["delete"]) == (False, True)
    assert youtube.ACTIONS["delete"] == ("rejected", False) and youtube.ACTIONS["block"] == ("rejected", True)


# --- classification without a server ---------------------------------------------------------------------


def test_classify_meta_error_non_json_5xx_returns_transient_error():
    error = classify_meta_error(502, None, {"Content-Type": "text/html"})
    assert type(error) is TransientError and error.http_status == 502


def test_seconds_until_youtube_quota_reset_counts_to_pacific_midnight():
    # 06:00 UTC on 1 May 2024 is 23:00 PDT (UTC-7) on 30 April.
    assert seconds_until_youtube_quota_reset(datetime(2024, 5, 1, 6, 0, tzinfo=UTC)) == 3600
    # 09:00 UTC on 15 January 2024 is 01:00 PST (UTC-8): 23 hours to go.
    assert seconds_until_youtube_quota_reset(datetime(2024, 1, 15, 9, 0, tzinfo=UTC)) == 23 * 3600


# --- the fake platform itself ----------------------------------------------------------------------------


def test_fake_platform_call_log_records_requests_in_order(fake_platform, graph, yt, li):
    comment_id = fake_platform.add_comment()
    graph.hide_comment(comment_id)
    yt.list_comment_threads(CHANNEL, "published")
    li.list_comments(POST_URN)
    graph.delete_comment(comment_id)
    calls = fake_platform.calls
    assert [(c.method, c.path.split("/")[1]) for c in calls] == [
        ("POST", "v21.0"),
        ("GET", "youtube"),
        ("GET", "rest"),
        ("DELETE", "v21.0"),
    ]
    assert [c.at for c in calls] == sorted(c.at for c in calls)


def test_fake_platform_fail_next_fails_only_given_times_and_prefix(fake_platform, graph):
    comment_id = fake_platform.add_comment()
    fake_platform.fail_next(f"/v21.0/{comment_id}", kind="http", http_status=500, times=2)
    for _ in range(2):
        with pytest.raises(TransientError):
            graph.get_comment(comment_id)
    assert graph.get_comment(comment_id)["id"] == comment_id
    with pytest.raises(ValueError):
        fake_platform.fail_next("/", kind="nonsense")


def test_graph_call_transport_error_is_not_chained(fake_platform):
    fake_platform.fail_next("/v21.0/", kind="timeout", delay=2.0)
    with GraphClient(fake_platform.url, DEFAULT_TOKEN, timeout=0.3) as client, pytest.raises(TransientError) as info:
        client.get_comment("1")
    assert info.value.__cause__ is None and info.value.__context__ is None
