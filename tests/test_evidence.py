"""Evidence sheets: rendered from stored data with no network, PDF/A-2b parts in place, PNG of the pages,
the thread around the item (root post, parent, siblings) with other secret items masked, hashed and
served only to those who may see the item."""

from __future__ import annotations

import hashlib
import io
import socket

import pytest
from django.core.files.storage import default_storage

from moderation.media.evidence import evidence_sheet_create, render_pdf, sheet_data
from moderation.media.models import EvidenceSheet, EvidenceStatus
from moderation.media.services import attachments_record
from moderation.models import ItemKind, ItemVersion
from records.pdf import pdf_text
from tests.factories import ChannelFactory, ItemFactory
from tests.media_fixtures import *  # noqa: F403 - fixtures (cdn, platform_urls, fb_channel)
from tests.media_fixtures import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(unit):
    channel = ChannelFactory(unit=unit, slug="exempelstad-facebook")
    post = ItemFactory(channel=channel, outgoing=True, text="Badhuset öppnar igen den 1 april.")
    parent = ItemFactory(channel=channel, parent=post, root_post=post, text="Äntligen! Vilka tider?")
    item = ItemFactory(channel=channel, kind=ItemKind.REPLY, parent=parent, root_post=post,
                       text="Ni är idioter allihop", url="https://www.facebook.com/exempel/posts/1?comment_id=2")
    sibling = ItemFactory(channel=channel, kind=ItemKind.REPLY, parent=parent, root_post=post, text="Kl 6–21 tror jag")
    secret = ItemFactory(channel=channel, kind=ItemKind.REPLY, parent=parent, root_post=post, secret=True,
                         text="Mitt personnummer är 811218-9876")
    for it in (post, parent, item, sibling, secret):
        ItemVersion.objects.create(item=it, number=1, text=it.text)
    return {"post": post, "parent": parent, "item": item, "sibling": sibling, "secret": secret}


def _with_picture(cdn, item, data, capture):
    url = cdn.add_media(f"ev{item.pk}.jpg", data)
    item.attachments = [{"kind": "photo", "url": url}]
    item.save(update_fields=["attachments"])
    with capture(execute=True):
        attachments_record(item=item, version=item.versions.get(number=1), refs=item.attachments)


def test_evidence_sheet_thread_pdfa_png_without_network(thread, cdn, users, monkeypatch,
                                                        django_capture_on_commit_callbacks):
    item = thread["item"]
    _with_picture(cdn, item, jpeg_bytes(size=(300, 200)), django_capture_on_commit_callbacks)

    def no_network(*args, **kwargs):
        raise AssertionError("the evidence sheet tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    sheet = evidence_sheet_create(item=item, actor=users["moderator"])
    monkeypatch.undo()

    assert sheet.status == EvidenceStatus.RENDERED and sheet.version.number == 1 and sheet.render_ms > 0
    with default_storage.open(sheet.pdf.name, "rb") as handle:
        pdf = handle.read()
    with default_storage.open(sheet.png.name, "rb") as handle:
        png = handle.read()
    assert hashlib.sha256(pdf).hexdigest() == sheet.pdf_sha256 and len(pdf) == sheet.pdf_size
    assert hashlib.sha256(png).hexdigest() == sheet.png_sha256 and png.startswith(b"\x89PNG\r\n\x1a\n")

    text = pdf_text(pdf)
    for expected in ("Ni är idioter allihop", "Badhuset öppnar igen", "Äntligen! Vilka tider?", "Kl 6–21 tror jag",
                     "Ursprungsinlägg", "Svar på", "Annat svar i tråden", "comment_id=2", "SHA-256"):
        assert expected in text, expected
    assert "811218-9876" not in text and "Sekretessmarkerat innehåll visas inte" in text

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    metadata = root["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>2</pdfaid:part>" in metadata and b"<pdfaid:conformance>B</pdfaid:conformance>" in metadata
    (intent,) = root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1" and intent["/DestOutputProfile"].get_object()["/N"] == 3
    assert root["/Lang"] == "sv-SE" and "/Encrypt" not in reader.trailer and len(reader.trailer["/ID"]) == 2
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor") or font.get_object()["/DescendantFonts"][0] \
                .get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), "every font embedded"
        images = [x for x in page["/Resources"].get("/XObject", {}).values()
                  if x.get_object()["/Subtype"] == "/Image"]
        assert all("/SMask" not in img.get_object() for img in images)
    assert sum(len(p["/Resources"].get("/XObject", {})) for p in reader.pages) >= 1
    assert reader.metadata["/Title"].startswith("Bevisblad") and "/Trapped" not in reader.metadata


def test_evidence_sheet_download_permissions(thread, users, client_for, make_user, other_unit):
    item = thread["item"]
    sheet = evidence_sheet_create(item=item, actor=users["moderator"])
    url = f"/granskning/inlagg/{item.pk}/bevisblad/{sheet.pk}.pdf"
    r = client_for("moderator").get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "attachment" in r["Content-Disposition"]
    png = client_for("auditor").get(f"/granskning/inlagg/{item.pk}/bevisblad/{sheet.pk}.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    from django.test import Client

    outsider = Client()
    outsider.force_login(make_user("moderator", username="moderator2", units=[other_unit]))
    assert outsider.get(url).status_code == 404

    secret = thread["secret"]
    secret_sheet = evidence_sheet_create(item=secret, actor=users["registrar"])
    secret_url = f"/granskning/inlagg/{secret.pk}/bevisblad/{secret_sheet.pk}.pdf"
    assert client_for("auditor").get(secret_url).status_code == 403
    assert client_for("moderator").get(secret_url).status_code == 403
    assert client_for("registrar").get(secret_url).status_code == 200


def test_evidence_button_on_item_page(thread, client_for):
    item = thread["item"]
    r = client_for("moderator").post(f"/granskning/inlagg/{item.pk}/bevisblad/")
    assert r.status_code == 302
    sheet = EvidenceSheet.objects.get(item=item)
    page = client_for("moderator").get(f"/granskning/inlagg/{item.pk}/").content.decode()
    assert f"/granskning/inlagg/{item.pk}/bevisblad/{sheet.pk}.pdf" in page and "Skapa bevisblad nu" in page
    assert client_for("auditor").post(f"/granskning/inlagg/{item.pk}/bevisblad/").status_code == 403


def test_evidence_render_is_repeatable_from_stored_data(thread):
    item = thread["item"]
    sheet = EvidenceSheet.objects.create(item=item, version=item.versions.get(), reason="on_demand")
    data = sheet_data(sheet)
    assert render_pdf(data) == render_pdf(data)
