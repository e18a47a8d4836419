"""The registrar's workbench: every action through the pages, the Swedish refusal messages, the
review of an item kept in order, the deciding body's configuration."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from records.disclosure import services as svc
from records.models import DisclosureDecisionSetting, DisclosureRequest, LegalHold
from tests.factories import DisclosureDecisionSettingFactory, DocumentFactory, LegalGroundFactory, SeriesFactory
from tests.factories_moderation import ItemFactory

pytestmark = pytest.mark.django_db

EMOJI_TEXT = "Hej 👋 kommunen! Mitt personnummer är 811218-9876, ring 070-111 22 33."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def registrar(users):
    return users["registrar"]


@pytest.fixture
def ground():
    return LegalGroundFactory(code="OSL 26 kap. 1 §", title="Socialtjänst")


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _refused(registrar, ground):
    req = svc.disclosure_request_create(request_text="Handlingarna", channel_in="email",
                                        documents=[DocumentFactory(content="Hälsouppgifter.")], actor=registrar)
    svc.disclosure_review(item=req.items.get(), outcome="refuse", actor=registrar, legal_ground=ground)
    svc.disclosure_decide(request=req, actor=registrar)
    return req


def test_workbench_close_before_refusal_notified_refused_with_rule_named(client_for, registrar, ground):
    req = _refused(registrar, ground)
    c = client_for("registrar")
    page = c.get(f"/diarium/begaran/{req.pk}/")
    body = page.content.decode()
    assert page.status_code == 200, page.content
    assert "Begäran kan inte avslutas än:" in body and "OSL 6 kap. 3 §" in body
    assert f'action="/diarium/begaran/{req.pk}/avsluta/"' not in body
    r = c.post(f"/diarium/begaran/{req.pk}/avsluta/", {"reason": "completed", "note": "Klart."}, follow=True)
    assert r.status_code == 200 and "OSL 6 kap. 3 §" in _messages(r)
    req.refresh_from_db()
    assert req.status == "decided"


def test_workbench_refusal_notice_decision_and_appeal_window_through_pages(client_for, registrar, ground):
    DisclosureDecisionSettingFactory()
    req = _refused(registrar, ground)
    c = client_for("registrar")
    today = timezone.localdate().isoformat()
    assert c.post(f"/diarium/begaran/{req.pk}/besked/", {"means": "letter", "answered_on": today}).status_code == 302
    req.refresh_from_db()
    assert req.status == "answered" and req.letters.get().kind == "refusal_notice"
    page = c.get(f"/diarium/begaran/{req.pk}/").content.decode()
    assert "Sökanden begär myndighetens beslut" in page and "Avsluta begäran" in page
    r = c.post(f"/diarium/begaran/{req.pk}/myndighetsbeslut/", {"reasoning": ""}, follow=True)
    assert "Detta fält måste fyllas i" in _messages(r) or "obligatoriskt" in _messages(r).lower()
    assert c.post(f"/diarium/begaran/{req.pk}/begar-beslut/", {"requested_on": today}).status_code == 302
    assert c.post(f"/diarium/begaran/{req.pk}/myndighetsbeslut/", {"reasoning": "Skäl."}).status_code == 302
    assert c.post(f"/diarium/begaran/{req.pk}/beslut-mottaget/", {"notified_on": today}).status_code == 302
    req.refresh_from_db()
    assert req.status == "appeal_window" and req.decision_notified_on == timezone.localdate()
    page = c.get(f"/diarium/begaran/{req.pk}/").content.decode()
    assert "förvaltningslagen 44 §" in page and "överklagandetiden löper till och med" in page
    r = c.post(f"/diarium/begaran/{req.pk}/avsluta/", {"reason": "completed", "note": "Klart."}, follow=True)
    assert "förvaltningslagen 44 §" in _messages(r)
    letter = req.letters.get(kind="refusal_decision")
    download = c.get(f"/diarium/begaran/{req.pk}/brev/{letter.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_workbench_formal_decision_without_setting_explains_what_to_configure(client_for, registrar, ground):
    req = _refused(registrar, ground)
    svc.disclosure_decision_request(request=req, actor=registrar)
    page = client_for("registrar").get(f"/diarium/begaran/{req.pk}/").content.decode()
    assert "Ingen beslutsinstans är angiven" in page and "Fatta myndighetens beslut (överklagbart)" not in page


def test_workbench_add_comment_by_text_offers_candidates_then_holds_chosen(client_for, registrar):
    first = ItemFactory(text="Badhuset är stängt igen.")
    ItemFactory(text="Badhuset borde öppna tidigare.")
    req = svc.disclosure_request_create(request_text="Kommentarer om badhuset", channel_in="email", actor=registrar)
    c = client_for("registrar")
    r = c.post(f"/diarium/begaran/{req.pk}/handlingar/", {"kind": "item", "number": "badhuset"})
    assert r.status_code == 200 and "Flera matchar" in r.content.decode()
    r = c.post(f"/diarium/begaran/{req.pk}/handlingar/", {"kind": "item", "number": str(first.pk),
                                                          "target_id": str(first.pk)})
    assert r.status_code == 302
    assert req.items.get().target_id == str(first.pk)
    assert LegalHold.objects.active().filter(target_type="moderation.item", target_id=str(first.pk)).exists()


def test_review_page_item_with_emoji_offsets_are_code_points_and_masks_saved(client_for, registrar, ground):
    item = ItemFactory(text=EMOJI_TEXT)
    req = svc.disclosure_request_create(request_text="x", channel_in="email", actor=registrar,
                                        targets=[("moderation.item", item.pk)])
    target = req.items.get()
    c = client_for("registrar")
    page = c.get(f"/diarium/begaran/{req.pk}/handlingar/{target.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and "Hålls ordnad" in body and "disclosure-mask.js" in body
    assert "<script>" not in body.split("</head>")[1]  # no inline script (CSP)
    data = json.loads(body.split('id="mask-data" type="application/json">')[1].split("</script>")[0])
    assert data["text"] == EMOJI_TEXT
    start = EMOJI_TEXT.index("811218-9876")  # Python counts the emoji as one character, as the script does
    r = c.post(f"/diarium/begaran/{req.pk}/handlingar/{target.pk}/", {
        "outcome": "release_masked", "legal_ground": ground.pk, "spans": f"{start}-{start + 11}",
        "reasoning": "Personnummer.", "save": "1"})
    assert r.status_code == 302, r.content
    target.refresh_from_db()
    assert target.mask_spans == [[start, start + 11]]
    svc.disclosure_decide(request=req, actor=registrar)
    released = svc.disclosure_delivery_documents(req)[0].text
    assert "811218-9876" not in released and "👋" in released and "070-111 22 33" in released


def test_review_page_secret_item_content_audited_and_whole_part_masks_offered(client_for, registrar):
    item = ItemFactory(secret=True)
    req = svc.disclosure_request_create(request_text="x", channel_in="email", actor=registrar,
                                        targets=[("moderation.item", item.pk)])
    target = req.items.get()
    page = client_for("registrar").get(f"/diarium/begaran/{req.pk}/handlingar/{target.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and item.text in body and "Maskera hela delen: Avsändare/mottagare" in body
    assert AuditEvent.objects.filter(action="secret_viewed", target_id=str(target.pk)).exists()


def test_review_post_release_of_secret_item_without_reasoning_shows_rule(client_for, registrar):
    item = ItemFactory(secret=True)
    req = svc.disclosure_request_create(request_text="x", channel_in="email", actor=registrar,
                                        targets=[("moderation.item", item.pk)])
    target = req.items.get()
    r = client_for("registrar").post(f"/diarium/begaran/{req.pk}/handlingar/{target.pk}/",
                                     {"outcome": "release", "save": "1"}, follow=True)
    assert "sekretessmarkerad men inte maskerad" in r.content.decode()
    target.refresh_from_db()
    assert target.outcome == "pending"


def test_intake_form_with_item_ids_holds_comments(client_for):
    item = ItemFactory()
    r = client_for("registrar").post("/diarium/begaran/ny/", {
        "channel_in": "email", "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "documents": "",
        "items": str(item.pk), "request_text": "", "requester_name": "", "requester_contact": ""})
    assert r.status_code == 302, r.content
    req = DisclosureRequest.objects.get()
    assert req.items.get().target_type == "moderation.item"
    assert LegalHold.objects.active().filter(target_id=str(item.pk), disclosure_request=req).exists()


def test_settings_page_registrar_creates_default_and_unit_clash_refused(client_for, unit):
    series = SeriesFactory(code="UTL", name="Utlämnande")
    c = client_for("registrar")
    data = {"unit": "", "deciding_body": "Kommunstyrelsen", "delegation": "delegationsordning punkt 1.3",
            "delegate_title": "registrator", "appeal_court": "Kammarrätten i Sundsvall", "series": series.pk,
            "case": ""}
    assert c.post("/diarium/begaran/beslutsinstans/ny/", data).status_code == 302
    setting = DisclosureDecisionSetting.objects.get()
    assert setting.unit is None and setting.history.count() == 1
    again = c.post("/diarium/begaran/beslutsinstans/ny/", data)
    assert again.status_code in (200, 400) and DisclosureDecisionSetting.objects.count() == 1
    no_series = c.post("/diarium/begaran/beslutsinstans/ny/", {**data, "unit": unit.pk, "series": ""})
    assert no_series.status_code == 400 and "diarieföras" in no_series.content.decode()
    page = c.get("/diarium/begaran/beslutsinstans/").content.decode()
    assert "delegationsordning punkt 1.3" in page and "Alla enheter (standard)" in page


def test_auditor_workbench_shows_state_without_actions(client_for, registrar, ground):
    req = _refused(registrar, ground)
    body = client_for("auditor").get(f"/diarium/begaran/{req.pk}/").content.decode()
    assert req.reference in body and "Nästa steg" not in body and "Avsluta begäran" not in body
