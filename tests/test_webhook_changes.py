"""Robust webhook processing: each change of a delivery on its own (a broken one goes to the dead-letter list
with its reason, the rest is stored; a replay retries only the failed ones and changes nothing twice), older
payload formats, and private messages (Messenger and Instagram) as items of kind "message"."""

from __future__ import annotations

import pytest

from moderation.models import (
    Direction,
    Item,
    ItemKind,
    ItemVersion,
    WebhookChangeFailure,
    WebhookDelivery,
    WebhookStatus,
)
from moderation.platforms.ingest import webhook_delivery_process, webhook_delivery_replay
from tests.fakeplatform import builders as b
from tests.fakeplatform import shapes
from tests.platform_fixtures import *  # noqa: F403 - fixtures
from tests.platform_fixtures import post_delivery

pytestmark = pytest.mark.django_db

POST = "137542570280222_139560936744456"


@pytest.fixture
def hook(client, fb_channel, django_capture_on_commit_callbacks):
    def send(payload, channel=None):
        with django_capture_on_commit_callbacks(execute=True):
            r = post_delivery(client, channel or fb_channel, payload)
        assert r.status_code == 200, r.content
        return WebhookDelivery.objects.order_by("-pk").first()

    return send


def comment(n: int, **kwargs) -> dict:
    return b.facebook_comment_change(comment_id=f"139560936744456_{n}", message=f"Kommentar {n}", **kwargs)


def test_delivery_with_one_broken_change_stores_the_good_ones(hook, fb_channel):
    broken = {"field": "feed"}  # no value
    delivery = hook(b.delivery("page", [b.entry(b.PAGE_ID, comment(1), broken, comment(2))]))
    assert set(Item.objects.values_list("text", flat=True)) == {"Kommentar 1", "Kommentar 2"}
    assert delivery.status == WebhookStatus.PARTIAL
    [failure] = WebhookChangeFailure.objects.filter(delivery=delivery)
    assert failure.where == "entry[0].changes[1]" and "value is missing" in failure.reason
    assert failure.resolved_at is None
    assert "entry[0].changes[1]" in delivery.error


def test_failing_change_rolls_back_alone(hook, fb_channel, monkeypatch):
    import moderation.platforms.ingest as ingest

    original = ingest.platform_event_apply

    def fail_on_two(*, channel, event):
        outcome = original(channel=channel, event=event)  # writes, then fails: its savepoint is rolled back
        if event.external_id.endswith("_2"):
            raise RuntimeError("fel i tillämpningen")
        return outcome

    monkeypatch.setattr(ingest, "platform_event_apply", fail_on_two)
    delivery = hook(b.delivery("page", [b.entry(b.PAGE_ID, comment(1), comment(2), comment(3))]))
    assert sorted(Item.objects.values_list("text", flat=True)) == ["Kommentar 1", "Kommentar 3"]
    assert not ItemVersion.objects.filter(text="Kommentar 2").exists()
    assert delivery.status == WebhookStatus.PARTIAL
    assert WebhookChangeFailure.objects.get().reason == "RuntimeError: fel i tillämpningen"


def test_replay_retries_only_failed_changes(hook, fb_channel, monkeypatch, users, django_capture_on_commit_callbacks):
    import moderation.platforms.ingest as ingest

    original = ingest.platform_event_apply
    seen: list[str] = []

    def broken_for_two(*, channel, event):
        seen.append(event.external_id)
        if event.external_id.endswith("_2"):
            raise RuntimeError("bug")
        return original(channel=channel, event=event)

    monkeypatch.setattr(ingest, "platform_event_apply", broken_for_two)
    delivery = hook(b.delivery("page", [b.entry(b.PAGE_ID, comment(1), comment(2))]))
    assert delivery.status == WebhookStatus.PARTIAL
    first = Item.objects.get(text="Kommentar 1")
    Item.objects.filter(pk=first.pk).update(text="ändrad lokalt")  # a re-run of change 1 would be visible

    monkeypatch.setattr(ingest, "platform_event_apply", lambda **kw: (seen.append(kw["event"].external_id),
                                                                      original(**kw))[1])
    seen.clear()
    with django_capture_on_commit_callbacks(execute=True):
        webhook_delivery_replay(delivery_id=delivery.pk, actor=users["administrator"])
    delivery.refresh_from_db()
    assert seen == ["139560936744456_2"]  # only the failed change
    assert delivery.status == WebhookStatus.PROCESSED
    assert Item.objects.get(pk=first.pk).text == "ändrad lokalt"
    assert Item.objects.get(external_id="139560936744456_2").text == "Kommentar 2"
    assert WebhookChangeFailure.objects.get().resolved_at is not None
    assert webhook_delivery_process(delivery_id=delivery.pk) == "skipped"


def test_dead_letters_page_lists_partial_delivery_with_reason(hook, fb_channel, client_for):
    delivery = hook(b.delivery("page", [b.entry(b.PAGE_ID, comment(1), {"field": "feed", "value": "x"})]))
    r = client_for("moderator").get("/kanaler/dodsbrev/")
    assert r.status_code == 200, r.content
    assert b"entry[0].changes[1]" in r.content and b"value must be Mapping" in r.content
    r = client_for("administrator").get(f"/kanaler/{fb_channel.slug}/halsa/")
    assert r.status_code == 200 and str(delivery.pk).encode() in r.content


def test_malformed_entry_is_its_own_failure(hook, fb_channel):
    payload = {"object": "page", "entry": [{"id": b.PAGE_ID, "changes": "x"}, b.entry(b.PAGE_ID, comment(1))]}
    delivery = hook(payload)
    assert delivery.status == WebhookStatus.PARTIAL
    assert WebhookChangeFailure.objects.get().where == "entry[0]"
    assert Item.objects.get().text == "Kommentar 1"


# --- older formats -----------------------------------------------------------------------------------------


def test_legacy_sender_fields_and_missing_post_id(hook, fb_channel):
    hook(shapes.load("meta/feed_comment_legacy.json"))
    item = Item.objects.get(external_id="139560936744456_139620233405726")
    assert item.author.external_id == "139560936744123" and item.author.display_name == "Förnamn Efternamn"
    assert item.kind == ItemKind.COMMENT and item.direction == Direction.INCOMING
    assert item.platform_created_at.year == 2014
    hook(b.delivery("page", [b.entry(b.PAGE_ID, b.facebook_post_change(message="Inlägget"))]))
    item.refresh_from_db()
    assert item.root_post.external_id == POST  # derived: <page id>_<comment id prefix>


def test_legacy_page_own_post_is_outgoing(hook, fb_channel):
    value = {"item": "status", "verb": "add", "sender_id": int(b.PAGE_ID), "sender_name": "Exempels kommun",
             "post_id": POST, "created_time": 1419947620, "message": "Vårt inlägg"}
    hook(b.delivery("page", [b.entry(b.PAGE_ID, {"field": "feed", "value": value})]))
    post = Item.objects.get(external_id=POST)
    assert post.kind == ItemKind.POST and post.direction == Direction.OUTGOING
    assert post not in Item.objects.in_queue()


def test_legacy_photo_without_post_id_and_older_verbs(hook, fb_channel):
    photo = {"item": "photo", "verb": "add", "photo_id": "555", "sender_id": b.PAGE_ID, "message": "Bild",
             "created_time": "2016-05-01T10:00:00+0000"}
    hook(b.delivery("page", [b.entry(b.PAGE_ID, {"field": "feed", "value": photo})]))
    assert Item.objects.get(external_id=f"{b.PAGE_ID}_555").platform_created_at.year == 2016
    hook(b.delivery("page", [b.entry(b.PAGE_ID, comment(7))]))
    hook(b.delivery("page", [b.entry(b.PAGE_ID, comment(7, verb="update") | {
        "value": {**comment(7)["value"], "verb": "update", "message": "Ändrad"}})]))
    hook(b.delivery("page", [b.entry(b.PAGE_ID, {"field": "feed", "value": {
        **comment(7)["value"], "verb": "delete", "message": None}})]))
    item = Item.objects.get(external_id="139560936744456_7")
    assert item.text == "Ändrad" and item.removed_on_platform_at is not None


# --- private messages --------------------------------------------------------------------------------------


def test_messenger_messages_and_echoes_are_message_items(hook, fb_channel):
    hook(shapes.load("meta/messenger_message.json"))
    hook(shapes.load("meta/messenger_echo.json"))
    incoming = Item.objects.get(external_id__startswith="m_AG5")
    assert (incoming.kind, incoming.direction) == (ItemKind.MESSAGE, Direction.INCOMING)
    assert incoming.text == "Hej! Jag vill anmäla en skada på gatan."
    assert incoming.author.external_id == "6543210987654321"
    assert incoming.platform_created_at.timestamp() == 1714557600
    echo = Item.objects.get(external_id="m_echo_1714557700000")
    assert (echo.kind, echo.direction) == (ItemKind.MESSAGE, Direction.OUTGOING)
    hook(shapes.load("meta/messenger_message.json"))  # the same delivery again: nothing twice
    assert Item.objects.filter(kind=ItemKind.MESSAGE).count() == 2


def test_instagram_messages_incoming_and_own(client, ig_channel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert post_delivery(client, ig_channel, shapes.load("meta/instagram_message.json")).status_code == 200
    rows = dict(Item.objects.filter(channel=ig_channel).values_list("text", "direction"))
    assert rows == {"Öppettider i sommar?": Direction.INCOMING, "Kl. 10–18 alla dagar.": Direction.OUTGOING}
    assert set(Item.objects.values_list("kind", flat=True)) == {ItemKind.MESSAGE}


def test_messaging_reads_and_deliveries_skipped(hook, fb_channel):
    read = {"sender": {"id": "1"}, "recipient": {"id": b.PAGE_ID}, "timestamp": 1714557600000,
            "read": {"watermark": 1714557600000}}
    delivery = hook({"object": "page", "entry": [{"id": b.PAGE_ID, "time": 1, "messaging": [read]}]})
    assert delivery.status == WebhookStatus.PROCESSED and "read" in delivery.error
    assert not Item.objects.exists()


def test_message_without_mid_is_a_failed_change(hook, fb_channel):
    ok = shapes.load("meta/messenger_message.json")["entry"][0]["messaging"][0]
    bad = {**ok, "message": {"text": "utan id"}}
    delivery = hook({"object": "page", "entry": [{"id": b.PAGE_ID, "time": 1, "messaging": [bad, ok]}]})
    assert delivery.status == WebhookStatus.PARTIAL
    assert WebhookChangeFailure.objects.get().where == "entry[0].messaging[0]"
    assert Item.objects.filter(kind=ItemKind.MESSAGE).count() == 1
