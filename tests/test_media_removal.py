"""Removal with media ("Done when"): a photo comment arrives by webhook, its picture is on the item page and
in the registered document; removing it produces the evidence sheet and deletes on the platform only after
both are stored. Removal is refused while a picture is not stored; purge removes every file."""

from __future__ import annotations

import datetime as dt
import hashlib
import time

import pytest
from django.core.files.storage import default_storage
from django.db import connections

from accounts.errors import DomainError
from moderation.media.models import Attachment, EvidenceSheet, EvidenceStatus, FetchStatus
from moderation.models import Item, PlatformAction, PlatformActionKind, PlatformActionStatus
from moderation.platforms.outbox import platform_action_execute
from moderation.queue.services.decisions import item_decide
from records.models import Case, Document, DocumentFile, RegistrationSetting, Series
from tests.factories import RuleFactory
from tests.fakeplatform import builders as b
from tests.media_fixtures import *  # noqa: F403 - fixtures (cdn, platform_urls, fb_channel)
from tests.media_fixtures import jpeg_bytes, png_bytes
from tests.platform_fixtures import post_delivery

pytestmark = pytest.mark.django_db

COMMENT = "139560936744456_139620233405726"


@pytest.fixture
def auto_register(db):
    series = Series.objects.get_or_create(code="KS", defaults={"name": "Kommunstyrelsen"})[0]
    RegistrationSetting.objects.update_or_create(reason="removed_inappropriate",
                                                 defaults={"auto_register": True, "default_series": series})
    return series


def _arrive(client, channel, cdn, capture, *, data=None, fail_first=False):
    cdn.add_comment(COMMENT, text="")
    url = cdn.add_media("hat.jpg", data or jpeg_bytes())
    if fail_first:
        cdn.fail_next("/cdn/", kind="http", http_status=503)
    payload = b.delivery("page", [b.entry(b.PAGE_ID, b.facebook_comment_change(photo=url, message="Titta här"))])
    with capture(execute=True):
        r = post_delivery(client, channel, payload)
    assert r.status_code == 200, r.content
    return Item.objects.get(channel=channel, external_id=COMMENT)


def test_photo_comment_removed_evidence_and_picture_stored_before_delete(
        client, cdn, fb_channel, users, client_for, auto_register, django_capture_on_commit_callbacks):
    data = jpeg_bytes(size=(120, 90))
    item = _arrive(client, fb_channel, cdn, django_capture_on_commit_callbacks, data=data)
    row = Attachment.objects.get(item=item)
    assert row.status == FetchStatus.STORED
    page = client_for("moderator").get(f"/granskning/inlagg/{item.pk}/")
    assert f"/granskning/inlagg/{item.pk}/bilagor/{row.pk}/".encode() in page.content

    # At the moment the platform receives the DELETE: what has been stored?
    seen: dict = {}
    original = cdn._graph
    main = connections["default"]
    main.inc_thread_sharing()

    def graph_with_hook(call):
        if call.method == "DELETE":
            with main.cursor() as cursor:
                cursor.execute("SELECT status, pdf_sha256, png_sha256 FROM moderation_evidencesheet "
                               "WHERE item_id = %s", [item.pk])
                seen["sheets"] = cursor.fetchall()
                cursor.execute("SELECT status FROM moderation_attachment WHERE item_id = %s", [item.pk])
                seen["attachments"] = [r[0] for r in cursor.fetchall()]
            seen["at"] = time.monotonic()
        return original(call)

    cdn._graph = graph_with_hook
    try:
        with django_capture_on_commit_callbacks(execute=True):
            item_decide(item=item, action="remove", actor=users["moderator"], rules=[RuleFactory(code="hate")],
                        note="Hets mot folkgrupp i bilden")
    finally:
        main.dec_thread_sharing()
    delete = PlatformAction.objects.get(item=item, kind=PlatformActionKind.DELETE)
    assert delete.status == PlatformActionStatus.DONE, delete.last_error
    assert cdn.comments[COMMENT]["deleted"] is True
    sheet = EvidenceSheet.objects.get(item=item)
    assert sheet.status == EvidenceStatus.RENDERED and sheet.reason == "removal"
    assert seen["attachments"] == ["stored"]
    assert seen["sheets"] == [("rendered", sheet.pdf_sha256, sheet.png_sha256)]
    with default_storage.open(sheet.pdf.name, "rb") as handle:
        pdf = handle.read()
    assert hashlib.sha256(pdf).hexdigest() == sheet.pdf_sha256 and pdf.startswith(b"%PDF-")

    # The registered document: the picture and the evidence sheet are frozen with it.
    document = Document.objects.get(source_type="moderation.item", source_id=str(item.pk))
    files = {f.kind: f for f in DocumentFile.objects.filter(document=document)}
    assert set(files) == {"photo", "evidence_pdf", "evidence_png"}
    assert files["photo"].sha256 == row.sha256 and files["photo"].added_later is False
    assert files["evidence_pdf"].sha256 == sheet.pdf_sha256 and files["evidence_pdf"].added_later is True
    assert row.sha256 in document.content  # the content hash covers the picture
    assert document.content_sha256 == hashlib.sha256(document.content.encode()).hexdigest()
    with default_storage.open(files["photo"].file.name, "rb") as handle:
        assert handle.read() == data
    doc_page = client_for("registrar").get(f"/diarium/handlingar/{document.pk}/")
    src = f"/diarium/handlingar/{document.pk}/filer/{files['photo'].pk}/"
    assert src.encode() in doc_page.content
    r = client_for("registrar").get(src)
    assert r.status_code == 200 and b"".join(r.streaming_content) == data


def test_remove_refused_while_picture_not_stored(client, cdn, fb_channel, users, django_capture_on_commit_callbacks):
    item = _arrive(client, fb_channel, cdn, django_capture_on_commit_callbacks, fail_first=True)
    assert Attachment.objects.get(item=item).status == FetchStatus.RETRYING
    with pytest.raises(DomainError, match="kan inte tas bort på plattformen förrän alla bilder") as info:
        item_decide(item=item, action="remove", actor=users["moderator"], note="Olämplig bild")
    assert "Bilden kunde inte hämtas: Plattformen svarade HTTP 503., nytt försök kl." in info.value.message
    assert not PlatformAction.objects.filter(item=item).exists()
    # hiding meanwhile is allowed
    item_decide(item=item, action="hide", actor=users["moderator"])


def test_remove_refused_in_ui_with_swedish_message(client, cdn, fb_channel, client_for,
                                                   django_capture_on_commit_callbacks):
    item = _arrive(client, fb_channel, cdn, django_capture_on_commit_callbacks, fail_first=True)
    r = client_for("moderator").post(f"/granskning/inlagg/{item.pk}/beslut/", {
        "action": "remove", "note": "Olämplig bild", "version": item.version})
    assert r.status_code == 400
    assert "inget får raderas innan det är sparat" in r.content.decode()


def test_outbox_delete_with_unstored_attachment_refused(client, cdn, fb_channel, users,
                                                        django_capture_on_commit_callbacks):
    item = _arrive(client, fb_channel, cdn, django_capture_on_commit_callbacks)
    item_decide(item=item, action="remove", actor=users["moderator"], note="Olämplig bild")
    Attachment.objects.filter(item=item).update(status=FetchStatus.RETRYING)  # e.g. a later version's picture
    delete = PlatformAction.objects.get(item=item, kind=PlatformActionKind.DELETE)
    assert platform_action_execute(action_id=delete.pk) == "dead"
    delete.refresh_from_db()
    assert delete.last_error_code == "content_not_stored" and "Alla bilagor är inte sparade" in delete.last_error
    assert not [c for c in cdn.calls if c.method == "DELETE"]


def test_outbox_delete_waits_for_evidence_without_counting_an_attempt(client, cdn, fb_channel, users,
                                                                       django_capture_on_commit_callbacks):
    item = _arrive(client, fb_channel, cdn, django_capture_on_commit_callbacks)
    item_decide(item=item, action="remove", actor=users["moderator"], note="Olämplig bild")  # callbacks not run
    delete = PlatformAction.objects.get(item=item, kind=PlatformActionKind.DELETE)
    assert platform_action_execute(action_id=delete.pk) == "waiting"
    delete.refresh_from_db()
    assert delete.status == PlatformActionStatus.PENDING and delete.attempts == 0
    assert not [c for c in cdn.calls if c.method == "DELETE"]
    from moderation.media.evidence import evidence_sheet_render

    with django_capture_on_commit_callbacks(execute=True):
        assert evidence_sheet_render(sheet_id=EvidenceSheet.objects.get(item=item).pk) == "rendered"
    delete.refresh_from_db()
    assert delete.status == PlatformActionStatus.DONE and delete.attempts == 1


def test_evidence_failure_refuses_delete(client, cdn, fb_channel, users, monkeypatch,
                                         django_capture_on_commit_callbacks):
    from moderation.media import evidence

    item = _arrive(client, fb_channel, cdn, django_capture_on_commit_callbacks)
    item_decide(item=item, action="remove", actor=users["moderator"], note="Olämplig bild")
    delete = PlatformAction.objects.get(item=item, kind=PlatformActionKind.DELETE)
    platform_action_execute(action_id=delete.pk)
    monkeypatch.setattr(evidence, "render_png", lambda pdf: (_ for _ in ()).throw(RuntimeError("pdftoppm saknas")))
    sheet = EvidenceSheet.objects.get(item=item)
    EvidenceSheet.objects.filter(pk=sheet.pk).update(attempts=evidence.MAX_ATTEMPTS - 1)
    assert evidence.evidence_sheet_render(sheet_id=sheet.pk) == "failed"
    delete.refresh_from_db()
    assert delete.status == PlatformActionStatus.DEAD and "Bevisbladet kunde inte skapas" in delete.last_error


def test_purge_deletes_attachment_and_evidence_files_keeps_documents_copies(
        client, cdn, fb_channel, users, make_user, auto_register, django_capture_on_commit_callbacks):
    from records.retention.services.plan import retention_assign
    from records.retention.services.purge import (
        purge_list_approve,
        purge_list_draft,
        purge_list_execute,
        purge_list_propose,
    )
    from tests.test_purge import _tables_containing

    data = png_bytes(size=(33, 44))
    item = _arrive(client, fb_channel, cdn, django_capture_on_commit_callbacks, data=data)
    with django_capture_on_commit_callbacks(execute=True):
        item_decide(item=item, action="remove", actor=users["moderator"], note="Olämplig bild")
    row = Attachment.objects.get(item=item)
    sheet = EvidenceSheet.objects.get(item=item)
    item_files = [row.file.name, sheet.pdf.name, sheet.png.name]
    assert all(default_storage.exists(n) for n in item_files)
    document = Document.objects.get(source_type="moderation.item", source_id=str(item.pk))
    doc_files = list(DocumentFile.objects.filter(document=document).values_list("file", flat=True))
    assert len(doc_files) == 3

    # the item is due (its document too, both under SM-2) and purged
    Item.objects.filter(pk=item.pk).update(received_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
                                           decided_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    Document.objects.filter(pk=document.pk).update(date=dt.date(2020, 1, 1),
                                                   registered_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    Case.objects.filter(pk=document.case_id).update(status="closed", closed_at=dt.date(2020, 1, 2))
    retention_assign(target_type="records.document", objects=[Document.objects.get(pk=document.pk)])
    retention_assign(target_type="moderation.item", objects=[Item.objects.get(pk=item.pk)])
    archivist2 = make_user("archivist", username="archivist2")
    purge = purge_list_draft(actor=users["archivist"], target_types=["moderation.item"])
    assert purge is not None and purge.lines.filter(target_id=str(item.pk)).exists()
    purge_list_propose(purge_list=purge, actor=users["archivist"])
    purge_list_approve(purge_list=purge, actor=archivist2)
    with django_capture_on_commit_callbacks(execute=True):
        purge_list_execute(purge_list=purge, actor=archivist2)
    assert not Attachment.objects.filter(item_id=item.pk).exists()
    assert not EvidenceSheet.objects.filter(item_id=item.pk).exists()
    assert [n for n in item_files if default_storage.exists(n)] == []
    # only the registered document (not purged yet) still holds it
    assert set(_tables_containing(row.sha256)) == {"records.Document.content", "records.Document.content_meta",
                                                   "records.DocumentFile.sha256"}
    assert _tables_containing(cdn.url.split("//")[1]) == ["records.Document.content_meta"]
    assert all(default_storage.exists(n) for n in doc_files)  # the document is not purged yet

    purge2 = purge_list_draft(actor=users["archivist"], target_types=["records.document"])
    assert purge2 is not None
    purge_list_propose(purge_list=purge2, actor=users["archivist"])
    purge_list_approve(purge_list=purge2, actor=archivist2)
    with django_capture_on_commit_callbacks(execute=True):
        purge_list_execute(purge_list=purge2, actor=archivist2)
    assert not DocumentFile.objects.filter(document=document).exists()
    assert [n for n in doc_files if default_storage.exists(n)] == []
    assert _tables_containing(row.sha256) == []
    assert _tables_containing(cdn.url.split("//")[1]) == []
