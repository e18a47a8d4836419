"""Attachments in records: registration copies them into the document (its hash covers them), the document's
files are served only with its permissions, the e-archive package carries them in METS with checksums and
still validates, the GDPR extract lists and includes them; the Meta parser reports attachments."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from lxml import etree

from moderation.media.models import Attachment, FetchStatus
from moderation.media.services import attachments_record
from moderation.models import ItemVersion
from moderation.platforms.connectors.meta import feed_attachment_refs, graph_attachment_refs, instagram_media_refs
from records.archive import SchemasNotFoundError, schemas_dir, validate_package
from records.archive.services import case_export
from records.diarium.services.registration import document_register_from_source
from records.models import Case, DocumentFile, Series
from records.retention.services.plan import retention_assign
from records.secrecy.services import secrecy_mark
from tests.factories import ChannelFactory, ItemFactory
from tests.media_fixtures import *  # noqa: F403 - fixtures (cdn, platform_urls, fb_channel)
from tests.media_fixtures import gif_bytes, jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo_item(unit, cdn, django_capture_on_commit_callbacks):
    channel = ChannelFactory(unit=unit, slug="exempelstad-facebook")
    data = jpeg_bytes(size=(80, 60))
    url = cdn.add_media("doc.jpg", data)
    item = ItemFactory(channel=channel, text="Se bilden", attachments=[{"kind": "photo", "url": url}],
                       author__display_name="Kalle Karlsson", author__external_id="kalle-1")
    version = ItemVersion.objects.create(item=item, number=1, text=item.text, attachments=item.attachments)
    with django_capture_on_commit_callbacks(execute=True):
        attachments_record(item=item, version=version, refs=item.attachments)
    assert Attachment.objects.get(item=item).status == FetchStatus.STORED
    item.data = data
    return item


def _register(item, users):
    series = Series.objects.get_or_create(code="KS", defaults={"name": "Kommunstyrelsen"})[0]
    return document_register_from_source(source_type="moderation.item", source_id=str(item.pk), series=series,
                                         reason="special_interest", actor=users["registrar"])


def test_register_item_copies_picture_hash_covers_it(photo_item, users, client_for):
    document = _register(photo_item, users)
    (stored,) = DocumentFile.objects.filter(document=document)
    assert stored.sha256 == hashlib.sha256(photo_item.data).hexdigest() and stored.content_type == "image/jpeg"
    assert stored.file.name.startswith(f"documents/{document.pk}/")
    assert stored.sha256 in document.content and "Sparade filer (kontrollsumma SHA-256)" in document.content
    assert document.content_meta["meta"]["stored_files"][0]["sha256"] == stored.sha256
    page = client_for("auditor").get(f"/diarium/handlingar/{document.pk}/")
    assert f"/diarium/handlingar/{document.pk}/filer/{stored.pk}/".encode() in page.content
    r = client_for("auditor").get(f"/diarium/handlingar/{document.pk}/filer/{stored.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == photo_item.data


def test_document_file_secret_content_403_without_view_secret(photo_item, users, client_for):
    from records.models import LegalGround

    document = _register(photo_item, users)
    secrecy_mark(document=document, part="content", legal_ground=LegalGround.objects.first(), actor=users["registrar"])
    stored = DocumentFile.objects.get(document=document)
    url = f"/diarium/handlingar/{document.pk}/filer/{stored.pk}/"
    for role in ("auditor", "archivist"):
        r = client_for(role).get(url)
        assert r.status_code == 403, role
        page = client_for(role).get(f"/diarium/handlingar/{document.pk}/")
        assert url.encode() not in page.content
    assert client_for("registrar").get(url).status_code == 200
    assert client_for("moderator").get(url).status_code == 403  # no records.view_document


def test_archive_package_carries_files_in_mets_and_validates(photo_item, users, tmp_path):
    try:
        schemas = schemas_dir()
    except SchemasNotFoundError as exc:
        pytest.skip(f"schemamappen saknas ({exc})")
    document = _register(photo_item, users)
    Case.objects.filter(pk=document.case_id).update(status="closed", closed_at="2026-04-01")
    retention_assign(target_type="records.document", objects=[document])
    package = case_export(case=Case.objects.get(pk=document.case_id), out_dir=tmp_path, actor=users["registrar"],
                          schemas=schemas)
    assert validate_package(package, schemas) == []
    picture = package / "representations/rep1/data/1-fil1.jpg"
    assert picture.read_bytes() == photo_item.data
    mets = etree.parse(str(package / "METS.xml"))
    ns = {"m": "http://www.loc.gov/METS/", "x": "http://www.w3.org/1999/xlink"}
    (entry,) = [f for f in mets.iterfind(".//m:fileSec//m:file", ns)
                if f.find("m:FLocat", ns).get("{http://www.w3.org/1999/xlink}href").endswith("1-fil1.jpg")]
    assert entry.get("CHECKSUM") == hashlib.sha256(photo_item.data).hexdigest()
    assert entry.get("CHECKSUMTYPE") == "SHA-256" and entry.get("MIMETYPE") == "image/jpeg"
    assert "1-fil1.jpg" in (package / "metadata/descriptive/erms.xml").read_text(encoding="utf-8")


def test_gdpr_extract_lists_and_includes_pictures(photo_item, users):
    from records.gdpr.services import subject_request_create, subject_request_extract

    request = subject_request_create(kind="access", requester_name="Kalle Karlsson", requester_contact="k@example.se",
                                     identifiers={"platform_account": "kalle-1"}, actor=users["archivist"])
    data = subject_request_extract(request=request, actor=users["archivist"], format="zip")
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    pictures = [n for n in names if n.startswith("bilagor/")]
    assert len(pictures) == 1 and archive.read(pictures[0]) == photo_item.data
    document = json.loads(archive.read(next(n for n in names if n.endswith(".json"))))
    (entry,) = [e for e in document["entries"] if e["type"] == "moderation.item"]
    assert entry["attachments"][0]["sha256"] == hashlib.sha256(photo_item.data).hexdigest()
    assert entry["attachments"][0]["file"] == pictures[0]
    from records.pdf import pdf_text

    pdf = archive.read(next(n for n in names if n.endswith(".pdf")))
    assert "Bilaga: Bild" in pdf_text(pdf)


def test_purge_of_file_shared_with_another_item_keeps_it(unit, cdn, users, django_capture_on_commit_callbacks):
    from moderation.retention_hooks import scrub_items
    from records import registry

    channel = ChannelFactory(unit=unit, slug="exempelstad-facebook")
    data = gif_bytes()
    items = []
    for n in range(2):
        url = cdn.add_media(f"shared{n}.gif", data, "image/gif")
        item = ItemFactory(channel=channel, attachments=[{"kind": "animated_gif", "url": url}])
        version = ItemVersion.objects.create(item=item, number=1, text=item.text, attachments=item.attachments)
        with django_capture_on_commit_callbacks(execute=True):
            attachments_record(item=item, version=version, refs=item.attachments)
        items.append(item)
    name = Attachment.objects.get(item=items[0]).file.name
    assert Attachment.objects.get(item=items[1]).file.name == name
    with django_capture_on_commit_callbacks(execute=True):
        scrub_items([str(items[0].pk)], registry.ScrubContext(reason="purge", purge_list_id=1))
    assert default_storage.exists(name)  # still the other item's picture
    with django_capture_on_commit_callbacks(execute=True):
        scrub_items([str(items[1].pk)], registry.ScrubContext(reason="purge", purge_list_id=1))
    assert not default_storage.exists(name)


# --- the Meta parser ------------------------------------------------------------------------------------------


def test_feed_comment_photo_and_video_refs():
    refs = feed_attachment_refs("comment", {"photo": "https://scontent-fra3-1.xx.fbcdn.net/v/t31.0-8/1_o.jpg?oh=a",
                                            "video": "https://video.xx.fbcdn.net/v/t42/2.mp4"})
    assert [(r.kind, r.url.split("/")[-1]) for r in refs] == [("photo", "1_o.jpg?oh=a"), ("video", "2.mp4")]


def test_feed_posts_photo_video_multi_photo_share():
    photo = feed_attachment_refs("photo", {"link": "https://scontent.xx.fbcdn.net/p.jpg", "photo_id": "55"})
    assert [(r.kind, r.platform_id) for r in photo] == [("photo", "55")]
    video = feed_attachment_refs("video", {"link": "https://video.xx.fbcdn.net/v.mp4", "video_id": 66})
    assert [(r.kind, r.platform_id) for r in video] == [("video", "66")]
    many = feed_attachment_refs("status", {"photos": ["https://a.fbcdn.net/1.jpg", "https://a.fbcdn.net/2.jpg"]})
    assert [r.url[-5:] for r in many] == ["1.jpg", "2.jpg"]
    assert feed_attachment_refs("share", {"link": "https://www.example.se/artikel"}) == []  # a web page, not fetched


def test_graph_attachment_objects_sticker_gif_album_share():
    sticker = {"type": "sticker", "media": {"image": {"src": "https://scontent.xx.fbcdn.net/s.png"}},
               "target": {"id": "126361874215276"}}
    gif = {"type": "animated_image_share", "media": {"image": {"src": "https://external.xx.fbcdn.net/g.gif"},
                                                      "source": "https://external.xx.fbcdn.net/g.mp4"}}
    album = {"type": "album", "subattachments": {"data": [
        {"type": "photo", "media": {"image": {"src": "https://scontent.xx.fbcdn.net/1.jpg"}}, "target": {"id": "1"}},
        {"type": "photo", "media": {"image": {"src": "https://scontent.xx.fbcdn.net/2.jpg"}}, "target": {"id": "2"}}]}}
    share = {"type": "share", "url": "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.example.se",
             "media": {"image": {"src": "https://external.xx.fbcdn.net/safe_image.php?d=1"}}}
    assert [(r.kind, r.platform_id) for r in graph_attachment_refs(sticker)] == [("sticker", "126361874215276")]
    assert [(r.kind, r.url[-3:]) for r in graph_attachment_refs(gif)] == [("animated_gif", "mp4")]
    assert [r.platform_id for r in graph_attachment_refs(album)] == ["1", "2"]
    assert [(r.kind, "safe_image" in r.url) for r in graph_attachment_refs(share)] == [("link_preview", True)]
    comment = feed_attachment_refs("comment", {"attachment": sticker})
    assert [r.kind for r in comment] == ["sticker"]


def test_instagram_media_refs_image_video_carousel():
    assert [r.kind for r in instagram_media_refs({"id": "1", "media_type": "IMAGE",
                                                  "media_url": "https://scontent.cdninstagram.com/1.jpg"})] == ["photo"]
    carousel = {"id": "9", "media_type": "CAROUSEL_ALBUM", "children": {"data": [
        {"id": "10", "media_type": "IMAGE", "media_url": "https://scontent.cdninstagram.com/10.jpg"},
        {"id": "11", "media_type": "VIDEO", "media_url": "https://scontent.cdninstagram.com/11.mp4",
         "thumbnail_url": "https://scontent.cdninstagram.com/11.jpg"}]}}
    assert [(r.kind, r.platform_id) for r in instagram_media_refs(carousel)] == [("photo", "10"), ("video", "11")]
    assert instagram_media_refs({"id": "3", "media_product_type": "FEED"}) == []  # the comments webhook's media
