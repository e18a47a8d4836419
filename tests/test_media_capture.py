"""Media capture: a photo comment arrives by webhook, its picture is downloaded by the worker (after commit)
from the fake CDN, stored with its SHA-256, sniffed type and size, and shown on the item page through a
permission-checked view; edits, failures, retries, limits, refused hosts, import_items and the API."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent
from moderation.media.models import Attachment, FetchStatus
from moderation.media.services import attachments_fetch_due, current_attachments
from moderation.models import Item, ItemVersion
from tests.fakeplatform import builders as b
from tests.media_fixtures import *  # noqa: F403 - fixtures (cdn, platform_urls, fb_channel)
from tests.media_fixtures import gif_bytes, jpeg_bytes, mp4_bytes, png_bytes
from tests.platform_fixtures import post_delivery

pytestmark = pytest.mark.django_db

COMMENT = "139560936744456_139620233405726"


def _photo_comment(client, channel, photo_url, *, verb="add", message=None, comment_id=COMMENT, capture=None):
    payload = b.delivery("page", [b.entry(b.PAGE_ID, b.facebook_comment_change(
        verb=verb, comment_id=comment_id, message=message, photo=photo_url))])
    with capture(execute=True):
        r = post_delivery(client, channel, payload)
    assert r.status_code == 200, r.content
    return Item.objects.get(channel=channel, external_id=comment_id)


def test_photo_comment_webhook_picture_stored_and_on_item_page(client, cdn, fb_channel, users, client_for,
                                                               django_capture_on_commit_callbacks):
    data = jpeg_bytes()
    url = cdn.add_media("1234_n.jpg", data, content_type="image/png")
    item = _photo_comment(client, fb_channel, url, capture=django_capture_on_commit_callbacks)

    assert item.text == "" and item.attachments == [{"kind": "photo", "url": url}]
    (row,) = Attachment.objects.filter(item=item)
    assert row.status == FetchStatus.STORED, row.last_error
    assert row.version == ItemVersion.objects.get(item=item, number=1)
    assert row.sha256 == hashlib.sha256(data).hexdigest() and row.size == len(data)
    assert row.content_type == "image/jpeg" and row.declared_content_type == "image/png"
    assert (row.width, row.height) == (64, 48)
    assert row.platform_url == url
    with default_storage.open(row.file.name, "rb") as handle:
        assert handle.read() == data
    assert row.file.name.startswith("media/sha256/") and row.sha256 in row.file.name

    page = client_for("moderator").get(f"/granskning/inlagg/{item.pk}/")
    assert page.status_code == 200, page.content
    src = f"/granskning/inlagg/{item.pk}/bilagor/{row.pk}/"
    assert f'src="{src}"'.encode() in page.content
    assert b"/media/" not in page.content.replace(b"/media/sha256", b"")
    image = client_for("moderator").get(src)
    assert image.status_code == 200 and b"".join(image.streaming_content) == data
    assert image["Content-Type"] == "image/jpeg" and image["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in image["Content-Security-Policy"]


def test_attachment_download_other_unit_404_anonymous_to_login(client, cdn, fb_channel, make_user, other_unit,
                                                               django_capture_on_commit_callbacks):
    item = _photo_comment(client, fb_channel, cdn.add_media("a.jpg", jpeg_bytes()),
                          capture=django_capture_on_commit_callbacks)
    row = Attachment.objects.get(item=item)
    url = f"/granskning/inlagg/{item.pk}/bilagor/{row.pk}/"
    outsider = make_user("moderator", username="moderator2", units=[other_unit])
    client.force_login(outsider)
    r = client.get(url)
    assert r.status_code == 404, r.content
    client.logout()
    r = client.get(url)
    assert r.status_code == 302 and "/konto/logga-in/" in r["Location"]


def test_attachment_download_secret_item_403_without_permission_200_audited_with(
        client, cdn, fb_channel, users, client_for, django_capture_on_commit_callbacks):
    item = _photo_comment(client, fb_channel, cdn.add_media("s.jpg", jpeg_bytes()),
                          capture=django_capture_on_commit_callbacks)
    Item.objects.filter(pk=item.pk).update(secret=True)
    row = Attachment.objects.get(item=item)
    url = f"/granskning/inlagg/{item.pk}/bilagor/{row.pk}/"
    for role in ("moderator", "auditor", "administrator"):
        r = client_for(role).get(url)
        assert r.status_code == 403, (role, r.content)
        page = client_for(role).get(f"/granskning/inlagg/{item.pk}/")
        assert url.encode() not in page.content
    r = client_for("registrar").get(url)
    assert r.status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.SECRET_VIEWED, actor=users["registrar"]).exists()


def test_edit_with_new_picture_adds_attachment_to_new_version(client, cdn, fb_channel,
                                                              django_capture_on_commit_callbacks):
    first = cdn.add_media("first.jpg", jpeg_bytes(color=(255, 0, 0)))
    item = _photo_comment(client, fb_channel, first, message="Titta", capture=django_capture_on_commit_callbacks)
    second = cdn.add_media("second.png", png_bytes(), content_type="image/png")
    item = _photo_comment(client, fb_channel, second, verb="edited", message="Titta nu",
                          capture=django_capture_on_commit_callbacks)
    v1, v2 = ItemVersion.objects.filter(item=item).order_by("number")
    assert [a.platform_url for a in v1.stored_attachments.all()] == [first]
    assert [a.platform_url for a in v2.stored_attachments.all()] == [second]
    assert [a.content_type for a in current_attachments(item)] == ["image/png"]
    # a text-only edit keeps the picture of version 2, stores nothing new
    item = _photo_comment(client, fb_channel, second, verb="edited", message="Titta nu igen",
                          capture=django_capture_on_commit_callbacks)
    assert Attachment.objects.filter(item=item).count() == 2
    assert [a.platform_url for a in current_attachments(item)] == [second]


def test_same_picture_twice_stored_once(client, cdn, fb_channel, django_capture_on_commit_callbacks):
    data = gif_bytes()
    _photo_comment(client, fb_channel, cdn.add_media("g1.gif", data, "image/gif"), comment_id="1_1",
                   capture=django_capture_on_commit_callbacks)
    _photo_comment(client, fb_channel, cdn.add_media("g2.gif", data, "image/gif"), comment_id="1_2",
                   capture=django_capture_on_commit_callbacks)
    names = set(Attachment.objects.values_list("file", flat=True))
    assert len(names) == 1 and Attachment.objects.filter(status=FetchStatus.STORED).count() == 2


def test_failed_download_retried_with_backoff_shown_on_item(client, cdn, fb_channel, client_for,
                                                            django_capture_on_commit_callbacks):
    url = cdn.add_media("flaky.jpg", jpeg_bytes())
    cdn.fail_next("/cdn/", kind="http", http_status=503, times=1)
    item = _photo_comment(client, fb_channel, url, capture=django_capture_on_commit_callbacks)
    row = Attachment.objects.get(item=item)
    assert row.status == FetchStatus.RETRYING and row.attempts == 1
    assert row.next_attempt_at > timezone.now() + dt.timedelta(seconds=25)
    page = client_for("moderator").get(f"/granskning/inlagg/{item.pk}/")
    text = page.content.decode()
    at = timezone.localtime(row.next_attempt_at).strftime("%H:%M")
    assert f"Bilden kunde inte hämtas: Plattformen svarade HTTP 503., nytt försök kl. {at}." in text
    assert attachments_fetch_due() == {}  # not due yet
    Attachment.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert attachments_fetch_due() == {"stored": 1}
    row.refresh_from_db()
    assert row.status == FetchStatus.STORED and row.attempts == 2 and row.last_error == ""


def test_failed_download_gives_up_after_max_attempts(client, cdn, fb_channel, settings,
                                                     django_capture_on_commit_callbacks):
    settings.UPPSIKT_MEDIA_MAX_ATTEMPTS = 2
    url = cdn.add_media("down.jpg", jpeg_bytes())
    cdn.fail_next("/cdn/", kind="http", http_status=500, times=5)
    item = _photo_comment(client, fb_channel, url, capture=django_capture_on_commit_callbacks)
    Attachment.objects.filter(item=item).update(next_attempt_at=timezone.now())
    attachments_fetch_due()
    row = Attachment.objects.get(item=item)
    assert row.status == FetchStatus.FAILED and row.last_error.startswith("Gav upp efter 2 försök")


def test_refetch_by_moderator_starts_over(client, cdn, fb_channel, client_for, django_capture_on_commit_callbacks):
    url = cdn.add_media("later.jpg", jpeg_bytes())
    cdn.fail_next("/cdn/", kind="http", http_status=404)
    item = _photo_comment(client, fb_channel, url, capture=django_capture_on_commit_callbacks)
    row = Attachment.objects.get(item=item)
    assert row.status == FetchStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for("moderator").post(f"/granskning/inlagg/{item.pk}/bilagor/{row.pk}/hamta-igen/")
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.status == FetchStatus.STORED
    r = client_for("auditor").post(f"/granskning/inlagg/{item.pk}/bilagor/{row.pk}/hamta-igen/")
    assert r.status_code == 403


def test_over_size_limit_not_stored_item_says_so_url_kept(client, cdn, fb_channel, settings, client_for,
                                                         django_capture_on_commit_callbacks):
    settings.UPPSIKT_MEDIA_MAX_BYTES = 10_000
    url = cdn.add_media("film.mp4", mp4_bytes(50_000), content_type="video/mp4")
    payload = b.delivery("page", [b.entry(b.PAGE_ID, b.facebook_comment_change(message="Se", video=url))])
    with django_capture_on_commit_callbacks(execute=True):
        post_delivery(client, fb_channel, payload)
    row = Attachment.objects.get()
    assert row.status == FetchStatus.TOO_LARGE and row.kind == "video" and row.platform_url == url
    assert not row.file and row.sha256 == ""
    page = client_for("moderator").get(f"/granskning/inlagg/{row.item_id}/").content.decode()
    assert "Videon är för stor för att sparas" in page and "9,8 kB" in page


def test_not_allowed_host_refused_at_arrival_without_request(client, cdn, fb_channel, settings,
                                                             django_capture_on_commit_callbacks):
    settings.UPPSIKT_MEDIA_ALLOWED_HOSTS = ["*.fbcdn.net"]  # the fake CDN (127.0.0.1) not listed
    url = cdn.add_media("nope.jpg", jpeg_bytes())
    item = _photo_comment(client, fb_channel, url, capture=django_capture_on_commit_callbacks)
    row = Attachment.objects.get(item=item)
    assert row.status == FetchStatus.REFUSED and "127.0.0.1" in row.last_error
    assert not [c for c in cdn.calls if c.path.startswith("/cdn/")]


def test_mp4_and_gif_types_sniffed(client, cdn, fb_channel, django_capture_on_commit_callbacks):
    video = cdn.add_media("v.mp4", mp4_bytes(), content_type="application/octet-stream")
    gif = cdn.add_media("a.gif", gif_bytes(), content_type="image/gif")
    _photo_comment(client, fb_channel, video, comment_id="2_1", capture=django_capture_on_commit_callbacks)
    payload = b.delivery("page", [b.entry(b.PAGE_ID, b.facebook_comment_change(comment_id="2_2", video=gif))])
    with django_capture_on_commit_callbacks(execute=True):
        post_delivery(client, fb_channel, payload)
    types = dict(Attachment.objects.values_list("item__external_id", "content_type"))
    assert types == {"2_1": "video/mp4", "2_2": "image/gif"}


def test_import_items_attachments_fetched_in_bulk(cdn, fb_channel, tmp_path, django_capture_on_commit_callbacks):
    urls = [cdn.add_media(f"imp{i}.jpg", jpeg_bytes(color=(i * 20, 0, 0))) for i in range(5)]
    lines = [json.dumps({"external_id": f"imp-{i}", "kind": "comment", "direction": "incoming", "text": "",
                         "author": {"id": f"a{i}", "name": "Anna"}, "created_at": "2026-03-01T10:00:00+01:00",
                         "attachments": [{"kind": "photo", "url": u}]}) for i, u in enumerate(urls)]
    lines.append(json.dumps({"external_id": "bad", "attachments": [{"kind": "hologram", "url": urls[0]}]}))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_items", str(path), "--channel", fb_channel.slug)
    assert Attachment.objects.filter(status=FetchStatus.STORED).count() == 5
    assert not Item.objects.filter(external_id="bad").exists()


def test_api_item_attachments_exact_fields(client, cdn, fb_channel, users, django_capture_on_commit_callbacks):
    data = jpeg_bytes()
    item = _photo_comment(client, fb_channel, cdn.add_media("api.jpg", data),
                          capture=django_capture_on_commit_callbacks)
    row = Attachment.objects.get(item=item)
    client.force_login(users["moderator"])
    body = client.get(f"/api/v1/items/{item.pk}/").json()
    assert body["attachments"] == [{
        "kind": "photo", "content_type": "image/jpeg", "size": len(data), "sha256": row.sha256,
        "url": f"http://testserver/granskning/inlagg/{item.pk}/bilagor/{row.pk}/"}]
    listed = client.get("/api/v1/items/").json()["results"]
    assert [i["attachments"] for i in listed if i["id"] == item.pk] == [body["attachments"]]
    Item.objects.filter(pk=item.pk).update(secret=True)
    client.force_login(users["auditor"])
    r = client.get(f"/api/v1/items/{item.pk}/")
    assert r.status_code == 200 and r.json()["attachments"] is None and r.json()["masked"] is True


def test_channel_health_shows_storage(client, cdn, fb_channel, client_for, django_capture_on_commit_callbacks):
    data = jpeg_bytes()
    _photo_comment(client, fb_channel, cdn.add_media("h.jpg", data), capture=django_capture_on_commit_callbacks)
    r = client_for("moderator").get(f"/kanaler/{fb_channel.slug}/halsa/")
    assert r.status_code == 200
    assert "Sparade bilagor: 1 (" in r.content.decode()
