"""Consent (Linköping: no pictures or personal data of people without consent): recorded with who, when, how,
scope and the signed form; set from the item page; outgoing items with pictures and no consent listed for
the unit; a withdrawn consent lists the posts to take down."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import AuditEvent
from moderation.consent.models import Consent, ConsentItem
from moderation.consent.services import (
    consent_record,
    consent_withdraw,
    item_consent_link,
    item_consent_not_needed,
    items_missing_consent,
)
from moderation.media.models import Attachment
from moderation.models import ItemVersion
from tests.factories import ChannelFactory, ItemFactory
from tests.media_fixtures import jpeg_bytes

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def channel(unit):
    return ChannelFactory(unit=unit, slug="exempelstad-facebook")


def _picture_post(channel, **kwargs):
    item = ItemFactory(channel=channel, outgoing=True, consent_basis="", **kwargs)
    version = ItemVersion.objects.create(item=item, number=1, text=item.text)
    Attachment.objects.create(item=item, version=version, kind="photo", platform_url="https://x.fbcdn.net/1.jpg")
    return item


def _consent(unit, users, **kwargs):
    values = {"person_name": "Lisa Lind", "given_by": "Per Lind (vårdnadshavare)", "given_at": dt.date(2026, 3, 1),
              "method": "signed_form", "scope": "Bilder från skolavslutningen 2026",
              "form": SimpleUploadedFile("blankett.pdf", PDF, content_type="application/pdf")}
    values.update(kwargs)
    return consent_record(unit=unit, actor=users["moderator"], **values)


def test_consent_record_stores_form_with_hash_and_sniffed_type(unit, users):
    consent = _consent(unit, users)
    assert consent.form_sha256 == hashlib.sha256(PDF).hexdigest() and consent.form_content_type == "application/pdf"
    assert consent.form.name.startswith(f"consent/{unit.pk}/") and consent.form.name.endswith(".pdf")
    assert AuditEvent.objects.filter(action="other", target_id=str(consent.pk)).exists()
    assert consent.history.count() == 1


@pytest.mark.parametrize("changes, message", [
    ({"form": None}, "Ladda upp den undertecknade blanketten"),
    ({"form": SimpleUploadedFile("x.pdf", b"<html>nope</html>")}, "PDF, JPEG eller PNG"),
    ({"person_name": " "}, "Ange vem samtycket gäller"),
    ({"given_at": dt.date(2999, 1, 1)}, "inte ett datum i framtiden"),
    ({"valid_until": dt.date(2026, 1, 1)}, "kan inte upphöra innan"),
])
def test_consent_record_bad_input_refused_in_swedish(unit, users, changes, message):
    with pytest.raises(DomainError, match=message):
        _consent(unit, users, **changes)
    assert not Consent.objects.exists()


def test_consent_record_email_without_form_allowed(unit, users):
    consent = _consent(unit, users, method="email", form=None)
    assert not consent.form and consent.form_sha256 == ""


def test_link_sets_item_basis_and_rules(unit, other_unit, channel, users):
    item = _picture_post(channel)
    consent = _consent(unit, users)
    item_consent_link(item=item, consent=consent, actor=users["moderator"])
    item.refresh_from_db()
    assert item.consent_basis.startswith(f"Samtycke {consent.pk}: Lisa Lind (lämnat av Per Lind")
    incoming = ItemFactory(channel=channel)
    with pytest.raises(DomainError, match="kommunens egna inlägg"):
        item_consent_link(item=incoming, consent=consent, actor=users["moderator"])
    foreign = _consent(other_unit, users)
    with pytest.raises(DomainError, match="annan enhet"):
        item_consent_link(item=_picture_post(channel), consent=foreign, actor=users["moderator"])


def test_missing_consent_list_for_unit(unit, other_unit, channel, users, client_for, make_user):
    missing = _picture_post(channel, text="Skolavslutning i parken")
    covered = _picture_post(channel)
    item_consent_link(item=covered, consent=_consent(unit, users), actor=users["moderator"])
    no_people = _picture_post(channel)
    item_consent_not_needed(item=no_people, reason="Bilden visar bara byggnaden", actor=users["moderator"])
    text_only = ItemFactory(channel=channel, outgoing=True, consent_basis="")
    removed = _picture_post(channel, removed_on_platform_at=timezone.now())
    other = _picture_post(ChannelFactory(unit=other_unit))
    found = set(items_missing_consent(user=users["moderator"]))
    assert missing in found and not found & {covered, no_people, text_only, removed, other}

    r = client_for("moderator").get("/granskning/samtycken/saknas/")
    assert r.status_code == 200
    assert f"/granskning/inlagg/{missing.pk}/".encode() in r.content
    assert f"/granskning/inlagg/{other.pk}/".encode() not in r.content
    outsider = make_user("moderator", username="moderator2", units=[other_unit])
    from django.test import Client

    c = Client()
    c.force_login(outsider)
    page = c.get("/granskning/samtycken/saknas/")
    assert f"/granskning/inlagg/{other.pk}/".encode() in page.content
    assert f"/granskning/inlagg/{missing.pk}/".encode() not in page.content
    assert client_for("norole").get("/granskning/samtycken/saknas/").status_code == 403


def test_withdrawn_consent_lists_posts_to_take_down(unit, channel, users, client_for):
    consent = _consent(unit, users)
    still_up = _picture_post(channel)
    taken_down = _picture_post(channel)
    for item in (still_up, taken_down):
        item_consent_link(item=item, consent=consent, actor=users["moderator"])
    taken_down.removed_on_platform_at = timezone.now()
    taken_down.save(update_fields=["removed_on_platform_at"])
    r = client_for("moderator").post(f"/granskning/samtycken/{consent.pk}/aterkalla/",
                                     {"note": "Vårdnadshavaren ringde 2026-05-02"})
    assert r.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at and consent.withdrawal_recorded_by == users["moderator"]
    page = client_for("moderator").get(f"/granskning/samtycken/{consent.pk}/").content.decode()
    assert "Inlägg som ska tas ned" in page
    takedown = page.split("Inlägg som ska tas ned")[1].split("</section>")[0]
    assert f"/granskning/inlagg/{still_up.pk}/" in takedown and f"/granskning/inlagg/{taken_down.pk}/" not in takedown
    with pytest.raises(DomainError, match="redan återkallat"):
        consent_withdraw(consent=consent, actor=users["moderator"])
    with pytest.raises(DomainError, match="återkallat"):
        item_consent_link(item=_picture_post(channel), consent=consent, actor=users["moderator"])


def test_item_page_consent_forms_create_and_link(unit, channel, users, client_for):
    item = _picture_post(channel)
    page = client_for("moderator").get(f"/granskning/inlagg/{item.pk}/").content.decode()
    assert "Inget samtycke är registrerat för inlägget." in page
    r = client_for("moderator").post(f"/granskning/samtycken/nytt/?item={item.pk}", {
        "unit": unit.pk, "person_name": "Omar Ali", "given_at": "2026-03-05", "method": "signed_form",
        "scope": "Bild på fotbollsträningen", "item": item.pk,
        "form": SimpleUploadedFile("b.jpg", jpeg_bytes(), content_type="image/jpeg")})
    assert r.status_code == 302 and r["Location"] == f"/granskning/inlagg/{item.pk}/"
    consent = Consent.objects.get(person_name="Omar Ali")
    assert consent.form_content_type == "image/jpeg" and ConsentItem.objects.filter(item=item).exists()
    form = client_for("moderator").get(f"/granskning/samtycken/{consent.pk}/blankett/")
    assert form.status_code == 200 and "attachment" in form["Content-Disposition"]
    other = _picture_post(channel)
    r = client_for("moderator").post(f"/granskning/inlagg/{other.pk}/samtycke/koppla/", {"consent": consent.pk})
    assert r.status_code == 302 and ConsentItem.objects.filter(item=other, consent=consent).exists()
    assert client_for("auditor").post(f"/granskning/inlagg/{other.pk}/samtycke/koppla/",
                                      {"consent": consent.pk}).status_code == 403


def test_consent_create_bad_upload_400_with_message(unit, users, client_for):
    r = client_for("moderator").post("/granskning/samtycken/nytt/", {
        "unit": unit.pk, "person_name": "Omar Ali", "given_at": "2026-03-05", "method": "signed_form",
        "scope": "Bild", "form": SimpleUploadedFile("b.svg", b"<svg/>", content_type="image/svg+xml")})
    assert r.status_code == 400 and "PDF, JPEG eller PNG" in r.content.decode()
    assert not Consent.objects.exists()


def test_consent_pages_other_unit_404(unit, other_unit, users, make_user):
    consent = _consent(unit, users)
    from django.test import Client

    c = Client()
    c.force_login(make_user("moderator", username="moderator2", units=[other_unit]))
    assert c.get(f"/granskning/samtycken/{consent.pk}/").status_code == 404
    assert c.get(f"/granskning/samtycken/{consent.pk}/blankett/").status_code == 404
