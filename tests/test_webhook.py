"""The Meta webhook: handshake, signature vectors, size limit, storing raw first, processing as a task,
duplicates, out-of-order events, the page's own posts, Instagram, dead letters and replay."""

from __future__ import annotations

import json
import logging

import pytest

from moderation.models import (
    Direction,
    Item,
    ItemKind,
    ItemVersion,
    PendingEvent,
    PlatformAction,
    PlatformActionKind,
    PlatformActionStatus,
    WebhookDelivery,
    WebhookRejection,
    WebhookStatus,
)
from moderation.platforms.ingest import PENDING_VERBS, webhook_delivery_process
from tests.fakeplatform import builders as b
from tests.platform_fixtures import *  # noqa: F403 - fixtures
from tests.platform_fixtures import APP_SECRET, VERIFY_TOKEN, post_delivery

pytestmark = pytest.mark.django_db

COMMENT = "139560936744456_139620233405726"
POST = "137542570280222_139560936744456"


@pytest.fixture
def hook(client, fb_channel, django_capture_on_commit_callbacks):
    """POST a delivery to the Facebook channel and run the after-commit processing task."""

    def send(payload, channel=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post_delivery(client, channel or fb_channel, payload, **kwargs)

    return send


def fb(*changes):
    return b.delivery("page", [b.entry(b.PAGE_ID, *changes)])


# --- handshake --------------------------------------------------------------------------------------------


def test_handshake_matching_token_echoes_challenge(client, fb_channel):
    r = client.get(f"/hooks/meta/{fb_channel.slug}/",
                   {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"})
    assert r.status_code == 200, r.content
    assert r.content == b"1158201444"
    assert r["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("params", [
    {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
    {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
    {"hub.mode": "subscribe", "hub.challenge": "1"},
    {},
])
def test_handshake_bad_params_forbidden(client, fb_channel, params, caplog):
    with caplog.at_level(logging.WARNING, logger="moderation.platforms.webhooks"):
        r = client.get(f"/hooks/meta/{fb_channel.slug}/", params)
    assert r.status_code == 403, r.content
    assert fb_channel.slug in caplog.text


def test_webhook_unknown_slug_not_found(client, db):
    assert client.get("/hooks/meta/finns-inte/", {"hub.mode": "subscribe"}).status_code == 404
    assert client.post("/hooks/meta/finns-inte/", data=b"{}", content_type="application/json").status_code == 404


def test_webhook_other_methods_not_allowed(client, fb_channel):
    assert client.put(f"/hooks/meta/{fb_channel.slug}/", data=b"{}").status_code == 405


# --- signatures -------------------------------------------------------------------------------------------


def test_signature_right_stored_raw_and_processed(hook, fb_channel):
    payload = fb(b.facebook_comment_change())
    body = b.encode(payload)
    r = hook(payload)
    assert r.status_code == 200, r.content
    delivery = WebhookDelivery.objects.get()
    assert bytes(delivery.body) == body
    assert delivery.signature_valid is True
    assert delivery.status == WebhookStatus.PROCESSED
    item = Item.objects.get(channel=fb_channel, external_id=COMMENT)
    assert item.text == "Hej kommunen, när öppnar badhuset?"
    assert item.kind == ItemKind.COMMENT
    assert item.direction == Direction.INCOMING
    assert item.author.external_id == "139560936744123"
    fb_channel.refresh_from_db()
    assert fb_channel.last_event_at is not None


def test_signature_unicode_escaped_as_meta_sends_it(hook, fb_channel):
    payload = fb(b.facebook_comment_change(message="Åsa på Ängen: \"hallå\" 😀"))
    body = b.encode(payload)
    assert b"\\u00c5sa" in body and "Å".encode() not in body
    assert hook(payload).status_code == 200
    assert Item.objects.get().text == "Åsa på Ängen: \"hallå\" 😀"


def test_signature_over_reserialised_json_forbidden(hook, fb_channel):
    payload = fb(b.facebook_comment_change(message="Åsa"))
    raw = json.dumps(payload, ensure_ascii=False).encode()  # what Meta did NOT sign
    signed_other = b.sign(b.encode(payload), APP_SECRET)
    assert hook(raw, signature=signed_other).status_code == 403
    assert not Item.objects.exists()


@pytest.mark.parametrize("variant", ["wrong_secret", "missing", "garbage", "sha1_only", "altered_byte"])
def test_signature_invalid_forbidden_logged_not_processed(hook, fb_channel, variant, caplog):
    payload = fb(b.facebook_comment_change())
    body = b.encode(payload)
    signature = b.sign(body, APP_SECRET)
    if variant == "wrong_secret":
        signature = b.sign(body, "another-secret")
    elif variant == "missing":
        signature = ""
    elif variant == "garbage":
        signature = "sha256=nothex"
    elif variant == "sha1_only":
        signature = "sha1=" + "0" * 40
    elif variant == "altered_byte":
        body = body.replace(b"badhuset", b"badhuseT")
    with caplog.at_level(logging.WARNING, logger="moderation.platforms.webhooks"):
        r = hook(body, signature=signature)
    assert r.status_code == 403, r.content
    assert fb_channel.slug in caplog.text
    assert not Item.objects.exists()
    assert not WebhookDelivery.objects.exists()
    evidence = WebhookRejection.objects.get()
    assert evidence.channel == fb_channel
    assert evidence.source == "127.0.0.1"
    assert evidence.body_size == len(body)


def test_signature_invalid_evidence_truncated(hook, fb_channel):
    body = b.encode(fb(b.facebook_comment_change(message="x" * 10_000)))
    assert hook(body, signature=b.sign(body, "wrong")).status_code == 403
    assert len(bytes(WebhookRejection.objects.get().body_prefix)) == 2048


# --- size ---------------------------------------------------------------------------------------------------


def test_body_over_limit_payload_too_large(hook, fb_channel, settings, caplog):
    settings.UPPSIKT_WEBHOOK_MAX_BYTES = 500
    body = b.encode(fb(b.facebook_comment_change(message="x" * 1000)))
    with caplog.at_level(logging.WARNING, logger="moderation.platforms.webhooks"):
        r = hook(body)
    assert r.status_code == 413
    assert "500" in r.content.decode()
    assert fb_channel.slug in caplog.text
    assert not WebhookDelivery.objects.exists()


def test_body_longer_than_declared_limit_refused_without_reading_all(fb_channel, settings):
    """A body without a usable Content-Length is read only up to the limit + 1 byte."""
    from django.test import RequestFactory

    from moderation.platforms.webhooks import meta_webhook

    settings.UPPSIKT_WEBHOOK_MAX_BYTES = 100
    request = RequestFactory().post(f"/hooks/meta/{fb_channel.slug}/", data=b"x" * 5000,
                                    content_type="application/json")
    request.META["CONTENT_LENGTH"] = "abc"  # unusable: the view must still stop at the limit
    request._stream = __import__("io").BytesIO(b"x" * 5000)
    r = meta_webhook(request, fb_channel.slug)
    assert r.status_code == 413


# --- processing ---------------------------------------------------------------------------------------------


def test_duplicate_delivery_creates_nothing_twice(hook, fb_channel):
    payload = fb(b.facebook_comment_change())
    hook(payload)
    hook(payload)
    assert WebhookDelivery.objects.filter(status=WebhookStatus.PROCESSED).count() == 2
    assert Item.objects.count() == 1
    assert ItemVersion.objects.count() == 1


def test_edit_makes_new_version_repeated_edit_does_not(hook, fb_channel):
    hook(fb(b.facebook_comment_change()))
    edit = fb(b.facebook_comment_change(verb="edited", message="Ny text"))
    hook(edit)
    hook(edit)
    hook(fb(b.facebook_comment_change(verb="edit", message="Ny text")))
    item = Item.objects.get()
    assert item.text == "Ny text"
    assert list(item.versions.values_list("text", flat=True)) == ["Hej kommunen, när öppnar badhuset?", "Ny text"]


def test_out_of_order_edit_then_remove_applied_when_add_arrives(hook, fb_channel):
    hook(fb(b.facebook_comment_change(verb="edited", message="Redigerad")))
    hook(fb(b.facebook_comment_change(verb="remove", from_name=None)))
    assert not Item.objects.exists()
    assert PendingEvent.objects.filter(verb__in=PENDING_VERBS, applied_at__isnull=True).count() == 2
    hook(fb(b.facebook_comment_change()))
    item = Item.objects.get()
    assert list(item.versions.values_list("text", flat=True)) == ["Hej kommunen, när öppnar badhuset?", "Redigerad"]
    assert item.removed_on_platform_at is not None
    assert item.removed_by_author_at is not None
    assert not PendingEvent.objects.filter(verb__in=PENDING_VERBS, applied_at__isnull=True).exists()


def test_out_of_order_duplicate_pending_kept_once(hook, fb_channel):
    remove = fb(b.facebook_comment_change(verb="remove"))
    hook(remove)
    hook(remove)
    assert PendingEvent.objects.filter(verb="remove").count() == 1


def test_remove_by_author_keeps_stored_copy(hook, fb_channel):
    hook(fb(b.facebook_comment_change()))
    hook(fb(b.facebook_comment_change(verb="remove")))
    item = Item.objects.get()
    assert item.text == "Hej kommunen, när öppnar badhuset?"
    assert item.removed_by_author_at is not None
    assert item.versions.count() == 1


def test_remove_after_our_delete_not_by_author(hook, fb_channel):
    hook(fb(b.facebook_comment_change()))
    item = Item.objects.get()
    PlatformAction.objects.create(channel=fb_channel, item=item, kind=PlatformActionKind.DELETE,
                                  status=PlatformActionStatus.DONE)
    hook(fb(b.facebook_comment_change(verb="remove")))
    item.refresh_from_db()
    assert item.removed_on_platform_at is not None
    assert item.removed_by_author_at is None


def test_hide_unhide_recorded(hook, fb_channel):
    hook(fb(b.facebook_comment_change()))
    hook(fb(b.facebook_comment_change(verb="hide")))
    assert Item.objects.get().hidden_on_platform is True
    hook(fb(b.facebook_comment_change(verb="unhide")))
    assert Item.objects.get().hidden_on_platform is False


def test_page_own_post_and_reply_outgoing(hook, fb_channel):
    hook(fb(b.facebook_post_change(),
            b.facebook_comment_change(),
            b.facebook_comment_change(comment_id="139560936744456_1", parent_id=COMMENT, from_id=b.PAGE_ID,
                                      from_name="Exempels kommun", message="Den 1 april!")))
    post = Item.objects.get(external_id=POST)
    assert post.kind == ItemKind.POST and post.direction == Direction.OUTGOING
    comment = Item.objects.get(external_id=COMMENT)
    assert comment.direction == Direction.INCOMING
    assert comment.root_post_id == post.pk
    reply = Item.objects.get(external_id="139560936744456_1")
    assert reply.kind == ItemKind.REPLY and reply.direction == Direction.OUTGOING
    assert reply.parent_id == comment.pk


def test_reactions_ignored(hook, fb_channel):
    hook(fb(b.facebook_post_change(item="reaction", from_id="42")))
    assert not Item.objects.exists()
    assert WebhookDelivery.objects.get().status == WebhookStatus.PROCESSED


def test_instagram_comment_and_live_comment(client, ig_channel, django_capture_on_commit_callbacks):
    payload = b.delivery("instagram", [b.entry(b.IG_ACCOUNT_ID, b.instagram_comment_change(),
                                               b.instagram_comment_change(comment_id="2", field="live_comments",
                                                                          text="Live!"))])
    with django_capture_on_commit_callbacks(execute=True):
        assert post_delivery(client, ig_channel, payload).status_code == 200
    assert set(Item.objects.values_list("external_id", "text")) == {("17919697626119712", "Så fint! 😍"),
                                                                      ("2", "Live!")}


def test_event_for_unknown_account_skipped(hook, fb_channel):
    hook(b.delivery("page", [b.entry("999", b.facebook_comment_change())]))
    assert not Item.objects.exists()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookStatus.PROCESSED
    assert "999" in delivery.error


def test_inactive_channel_stored_ignored(hook, fb_channel):
    fb_channel.active = False
    fb_channel.save()
    assert hook(fb(b.facebook_comment_change())).status_code == 200
    assert WebhookDelivery.objects.get().status == WebhookStatus.IGNORED
    assert not Item.objects.exists()


# --- dead letters -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [b"not json", b'{"object": "page", "entry": [{"id": 1, "changes": "x"}]}',
                                  b'{"object": "page"}'])
def test_malformed_delivery_dead_with_error(hook, fb_channel, body):
    assert hook(body).status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookStatus.DEAD
    assert delivery.error


def test_dead_delivery_replayed_after_fix(hook, fb_channel, monkeypatch, client_for, users,
                                          django_capture_on_commit_callbacks):
    import moderation.platforms.ingest as ingest

    original = ingest.platform_event_apply

    def broken(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(ingest, "platform_event_apply", broken)
    hook(fb(b.facebook_comment_change()))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookStatus.DEAD and "bug" in delivery.error
    assert not Item.objects.exists()

    c = client_for("moderator")
    r = c.get("/kanaler/dodsbrev/")
    assert r.status_code == 200 and str(delivery.pk).encode() in r.content
    monkeypatch.setattr(ingest, "platform_event_apply", original)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(f"/kanaler/dodsbrev/{delivery.pk}/kor-om/")
    assert r.status_code == 302, r.content
    delivery.refresh_from_db()
    assert delivery.status == WebhookStatus.PROCESSED
    assert Item.objects.count() == 1


def test_processing_twice_is_skipped(hook, fb_channel):
    hook(fb(b.facebook_comment_change()))
    delivery = WebhookDelivery.objects.get()
    assert webhook_delivery_process(delivery_id=delivery.pk) == "skipped"


def test_invalid_signature_delivery_cannot_be_replayed(hook, fb_channel, users):
    from accounts.errors import DomainError
    from moderation.platforms.ingest import webhook_delivery_replay

    body = b.encode(fb(b.facebook_comment_change()))
    assert hook(body, signature=b.sign(body, "wrong")).status_code == 403
    assert not WebhookDelivery.objects.exists()  # a refused call is never a delivery
    legacy = WebhookDelivery.objects.create(channel=fb_channel, platform=fb_channel.platform, body=body,
                                            signature_valid=False, status=WebhookStatus.IGNORED)
    with pytest.raises(DomainError):
        webhook_delivery_replay(delivery_id=legacy.pk, actor=users["administrator"])


# --- failed signatures: rate limit per source, bounded and expiring evidence ----------------------------------


def test_failed_signatures_over_limit_too_many_requests(hook, fb_channel, settings, caplog):
    settings.UPPSIKT_WEBHOOK_FAILURES_PER_MINUTE = 3
    body = b.encode(fb(b.facebook_comment_change()))
    codes = [hook(body, signature=b.sign(body, "wrong")).status_code for _ in range(5)]
    assert codes == [403, 403, 403, 429, 429]
    assert WebhookRejection.objects.count() == 3  # the limited calls are not stored
    with caplog.at_level(logging.WARNING, logger="moderation.platforms.webhooks"):
        r = hook(body, signature=b.sign(body, "wrong"))
    assert r.status_code == 429, r.content
    assert r["Retry-After"] == "60"
    assert "rate limited" in caplog.text and "127.0.0.1" in caplog.text


def test_failed_signatures_limit_per_source_address(hook, fb_channel, settings):
    settings.UPPSIKT_WEBHOOK_FAILURES_PER_MINUTE = 2
    body = b.encode(fb(b.facebook_comment_change()))
    bad = b.sign(body, "wrong")
    assert [hook(body, signature=bad).status_code for _ in range(3)] == [403, 403, 429]
    assert hook(body, signature=bad, REMOTE_ADDR="192.0.2.7").status_code == 403


def test_failed_signatures_limit_lapses_after_a_minute(hook, fb_channel, settings):
    import datetime as dt

    from django.utils import timezone

    settings.UPPSIKT_WEBHOOK_FAILURES_PER_MINUTE = 1
    body = b.encode(fb(b.facebook_comment_change()))
    bad = b.sign(body, "wrong")
    assert hook(body, signature=bad).status_code == 403
    assert hook(body, signature=bad).status_code == 429
    WebhookRejection.objects.update(received_at=timezone.now() - dt.timedelta(seconds=61))
    assert hook(body, signature=bad).status_code == 403


def test_failed_signatures_limit_never_refuses_a_signed_delivery(hook, fb_channel, settings):
    settings.UPPSIKT_WEBHOOK_FAILURES_PER_MINUTE = 1
    payload = fb(b.facebook_comment_change())
    body = b.encode(payload)
    assert [hook(body, signature=b.sign(body, "wrong")).status_code for _ in range(2)] == [403, 429]
    assert hook(payload).status_code == 200
    assert Item.objects.count() == 1


def test_failed_signatures_table_full_only_logged(hook, fb_channel, settings, caplog):
    settings.UPPSIKT_WEBHOOK_REJECTIONS_MAX_ROWS = 2
    body = b.encode(fb(b.facebook_comment_change()))
    for n in range(4):
        assert hook(body, signature=b.sign(body, "wrong"), REMOTE_ADDR=f"192.0.2.{n}").status_code == 403
    assert WebhookRejection.objects.count() == 2
    assert "table full" in caplog.text


def test_webhook_rejections_prune_removes_old_and_over_cap(fb_channel, settings):
    import datetime as dt

    from django.utils import timezone

    from moderation.platforms.services import webhook_rejections_prune

    settings.UPPSIKT_WEBHOOK_REJECTIONS_DAYS = 30
    settings.UPPSIKT_WEBHOOK_REJECTIONS_MAX_ROWS = 3
    now = timezone.now()
    old = WebhookRejection.objects.create(channel=fb_channel, source="192.0.2.1", reason="x",
                                          received_at=now - dt.timedelta(days=31))
    fresh = [WebhookRejection.objects.create(channel=fb_channel, source="192.0.2.2", reason="x",
                                             received_at=now - dt.timedelta(minutes=n)) for n in range(5)]
    assert webhook_rejections_prune(now=now) == 3
    kept = set(WebhookRejection.objects.values_list("pk", flat=True))
    assert old.pk not in kept
    assert kept == {r.pk for r in fresh[-3:]}
    assert webhook_rejections_prune(now=now) == 0


def test_webhook_rejections_pruned_by_scheduler(fb_channel, settings):
    import datetime as dt

    from django.utils import timezone

    from config.scheduling.services import scheduler_tick

    WebhookRejection.objects.create(channel=fb_channel, source="192.0.2.1", reason="x",
                                    received_at=timezone.now() - dt.timedelta(days=400))
    runs = {r.name: r for r in scheduler_tick()}
    assert runs["webhook_rejections_prune"].result == "1 borttagna"
    assert not WebhookRejection.objects.exists()
