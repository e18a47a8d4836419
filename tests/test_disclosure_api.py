"""API /api/v1/disclosure-requests/: create with documents and items, every action of the UI, every
refusal (409 with a Swedish message naming the rule), the same permissions as the UI."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from records.disclosure import services as svc
from records.models import DisclosureRequest, Document, LegalHold
from records.pdf import pdf_text
from tests.factories import DisclosureDecisionSettingFactory, DocumentFactory, LegalGroundFactory
from tests.factories_moderation import ItemFactory, PublicReportFactory

pytestmark = pytest.mark.django_db

STHLM = ZoneInfo("Europe/Stockholm")
URL = "/api/v1/disclosure-requests/"
GROUND = "OSL 26 kap. 1 §"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def ground():
    return LegalGroundFactory(code=GROUND, title="Socialtjänst")


@pytest.fixture
def api(users):
    def make(role):
        c = APIClient()
        c.force_authenticate(users[role])
        return c

    return make


def _post(client, path, body=None):
    return client.post(f"{URL}{path}", body or {}, format="json")


def _created(api, **body):
    r = _post(api("registrar"), "", {"request_text": "Handlingarna", **body})
    assert r.status_code == 201, r.content
    return r.json()


def _refused(api, ground):
    doc = DocumentFactory(content="Uppgifter om hälsa.")
    req = _created(api, documents=[doc.number])
    c = api("registrar")
    r = _post(c, f"{req['id']}/review/", {"target": {"document": doc.pk}, "outcome": "refuse",
                                          "legal_ground": GROUND, "reasoning": "Hälsa."})
    assert r.status_code == 200, r.content
    assert _post(c, f"{req['id']}/decide/").status_code == 200
    return req["id"], doc


def test_create_registrar_anonymous_request_201_with_targets_holds_and_actions(api):
    doc = DocumentFactory()
    item = ItemFactory()
    report = PublicReportFactory()
    body = _created(api, documents=[doc.number], items=[item.pk], targets=[{"report": report.pk}])
    assert body["reference"].startswith("BAH-") and body["requester_name"] == ""
    assert body["status"] == "received" and body["overdue"] is False
    assert [t["target"] for t in body["items"]] == [{"document": doc.pk}, {"item": item.pk}, {"report": report.pk}]
    assert body["items"][0]["document"] == doc.number and body["items"][1]["document"] is None
    assert body["items"][1]["label"] == f"Kommentar {item.pk} på {item.channel.slug}"
    assert body["actions"] == ["close"]
    req = DisclosureRequest.objects.get(pk=body["id"])
    assert {(h.target_type, h.target_id) for h in LegalHold.objects.active().filter(disclosure_request=req)} == {
        ("records.document", str(doc.pk)), ("moderation.item", str(item.pk)),
        ("moderation.publicreport", str(report.pk))}


def test_create_documents_by_id_accepted(api):
    doc = DocumentFactory()
    body = _created(api, documents=[str(doc.pk)])
    assert body["items"][0]["target"] == {"document": doc.pk}


def test_create_unknown_document_item_or_key_400_nothing_stored(api):
    c = api("registrar")
    assert _post(c, "", {"documents": ["XX 1999/1-1"]}).status_code == 400
    assert _post(c, "", {"items": [999999]}).status_code == 400
    r = _post(c, "", {"targets": [{"channel": 1}]})
    assert r.status_code == 400 and "Okänd typ" in r.content.decode()
    assert _post(c, "", {"targets": [{"item": 1, "document": 2}]}).status_code == 400
    assert _post(c, "", {"request_text": ""}).status_code == 400
    assert not DisclosureRequest.objects.exists()


def test_create_purged_item_409(api):
    item = ItemFactory(purged_at=timezone.now(), text="")
    r = _post(api("registrar"), "", {"items": [item.pk]})
    assert r.status_code == 409 and "gallrad" in r.json()["detail"]


def test_create_auditor_403_list_allowed(api):
    r = _post(api("auditor"), "", {"request_text": "Protokoll"})
    assert r.status_code == 403, r.content
    assert api("auditor").get(URL).status_code == 200


def test_targets_add_item_200_and_twice_400_after_review_409(api, ground):
    req = _created(api)
    item = ItemFactory()
    c = api("registrar")
    r = _post(c, f"{req['id']}/targets/", {"target": {"item": item.pk}})
    assert r.status_code == 200 and r.json()["items"][0]["target"] == {"item": item.pk}
    assert _post(c, f"{req['id']}/targets/", {"target": {"item": item.pk}}).status_code == 400
    _post(c, f"{req['id']}/review/", {"target": {"item": item.pk}, "outcome": "release"})
    assert _post(c, f"{req['id']}/decide/").status_code == 200
    r = _post(c, f"{req['id']}/targets/", {"target": {"document": DocumentFactory().pk}})
    assert r.status_code == 409 and "ny begäran" in r.json()["detail"]


def test_review_masked_parts_by_span_text_and_part_and_errors(api, ground):
    item = ItemFactory(text="Hej! Ring mig på 070-111 22 33 om min dotters diagnos.")
    req = _created(api, items=[item.pk])
    c = api("registrar")
    path = f"{req['id']}/review/"
    target = {"item": item.pk}
    start = item.text.index("070")
    r = _post(c, path, {"target": target, "outcome": "release_masked", "legal_ground": GROUND,
                        "masked_parts": [{"part": "content", "start": start, "end": start + 13},
                                         {"part": "content", "text": "dotters diagnos"}, {"part": "sender"}]})
    assert r.status_code == 200, r.content
    parts = r.json()["items"][0]["masked_parts"]
    assert {p["part"] for p in parts} == {"content", "sender"} and all(p["legal_ground"] == GROUND for p in parts)
    assert r.json()["status"] == "in_review"
    assert _post(c, path, {"target": target, "outcome": "release_masked", "masked_parts": [{"part": "sender"}]}
                 ).status_code == 400  # no ground
    assert _post(c, path, {"target": target, "outcome": "release_masked", "legal_ground": GROUND,
                           "masked_parts": [{"part": "content", "start": 5, "end": 10_000}]}).status_code == 400
    assert _post(c, path, {"target": target, "outcome": "release_masked", "legal_ground": GROUND,
                           "masked_parts": [{"part": "content", "text": "finns inte"}]}).status_code == 400
    assert _post(c, path, {"target": target, "outcome": "refuse"}).status_code == 400
    assert _post(c, path, {"target": {"item": 999999}, "outcome": "release"}).status_code == 400
    assert _post(c, path, {"target": target, "outcome": "maybe"}).status_code == 400
    assert _post(c, path, {"target": target, "outcome": "release", "legal_ground": "OSL 99 kap. 9 §"}
                 ).status_code == 400


def test_review_secret_item_release_without_reasoning_409(api):
    item = ItemFactory(secret=True)
    req = _created(api, items=[item.pk])
    r = _post(api("registrar"), f"{req['id']}/review/", {"target": {"item": item.pk}, "outcome": "release"})
    assert r.status_code == 409 and "OSL 6 kap. 2 §" in r.json()["detail"]


def test_decide_with_unreviewed_target_409(api):
    req = _created(api, documents=[DocumentFactory().number])
    r = _post(api("registrar"), f"{req['id']}/decide/")
    assert r.status_code == 409 and "prövas" in r.json()["detail"]


def test_deliver_pdf_200_then_answered_and_before_decision_409(api, ground):
    doc = DocumentFactory(content="Öppen text.")
    req = _created(api, documents=[doc.number])
    c = api("registrar")
    assert _post(c, f"{req['id']}/deliver/", {"format": "pdf"}).status_code == 409
    _post(c, f"{req['id']}/review/", {"target": {"document": doc.pk}, "outcome": "release"})
    _post(c, f"{req['id']}/decide/")
    r = _post(c, f"{req['id']}/deliver/", {"format": "pdf"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and "Öppen text." in pdf_text(r.content)
    assert _post(c, f"{req['id']}/deliver/", {"format": "doc"}).status_code == 400
    assert c.get(f"{URL}{req['id']}/").json()["status"] == "answered"


def test_answer_refusal_200_then_close_200_holds_released(api, ground):
    pk, doc = _refused(api, ground)
    c = api("registrar")
    r = _post(c, f"{pk}/answer/", {"means": "phone"})
    assert r.status_code == 200 and r.json()["status"] == "answered" and r.json()["refusal_notified_at"]
    assert _post(c, f"{pk}/answer/", {"means": "phone"}).status_code == 409
    assert _post(c, f"{pk}/answer/", {"means": "carrier pigeon"}).status_code == 400
    r = _post(c, f"{pk}/close/", {"reason": "Besked lämnat per telefon."})
    assert r.status_code == 200 and r.json()["close_reason"] == "completed"
    assert not LegalHold.objects.active().filter(target_id=str(doc.pk)).exists()


def test_close_refused_409_until_notified_and_without_reason_400(api, ground):
    pk, _doc = _refused(api, ground)
    c = api("registrar")
    assert _post(c, f"{pk}/close/", {}).status_code == 400
    r = _post(c, f"{pk}/close/", {"reason": "Klart."})
    assert r.status_code == 409 and "OSL 6 kap. 3 §" in r.json()["detail"]
    r = _post(c, f"{pk}/close/", {"reason": "Klart.", "category": "bogus"})
    assert r.status_code == 400


def test_close_unreviewed_request_needs_stated_reason_category(api):
    req = _created(api, documents=[DocumentFactory().number])
    c = api("registrar")
    r = _post(c, f"{req['id']}/close/", {"reason": "Klart.", "category": "completed"})
    assert r.status_code == 409 and "fått besked" in r.json()["detail"]
    r = _post(c, f"{req['id']}/close/", {"reason": "Sökanden återkallade begäran per telefon.",
                                         "category": "withdrawn"})
    assert r.status_code == 200 and r.json()["status"] == "closed"


def test_formal_decision_window_appeal_and_close_refusals(api, ground):
    DisclosureDecisionSettingFactory()
    pk, doc = _refused(api, ground)
    c = api("registrar")
    assert _post(c, f"{pk}/formal-decision/", {}).status_code == 400  # reasoning required
    r = _post(c, f"{pk}/formal-decision/", {"reasoning": "Skälen."})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "decision_issued" and body["case"] and body["appeal_window_ends_on"] is None
    assert _post(c, f"{pk}/formal-decision/", {"reasoning": "Igen."}).status_code == 409
    assert _post(c, f"{pk}/close/", {"reason": "Klart."}).status_code == 409
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert _post(c, f"{pk}/decision-notified/", {"notified_on": tomorrow}).status_code == 400
    r = _post(c, f"{pk}/decision-notified/", {"notified_on": timezone.localdate().isoformat()})
    assert r.status_code == 200 and r.json()["appeal_window_ends_on"] == (
        timezone.localdate() + timedelta(weeks=3, days=7)).isoformat()
    r = _post(c, f"{pk}/close/", {"reason": "Klart."})
    assert r.status_code == 409 and "förvaltningslagen 44 §" in r.json()["detail"]
    assert _post(c, f"{pk}/appeal/", {"received_at": timezone.now().isoformat()}).status_code == 200
    assert _post(c, f"{pk}/appeal/", {"received_at": timezone.now().isoformat()}).status_code == 409
    r = _post(c, f"{pk}/close/", {"reason": "Klart."})
    assert r.status_code == 409 and "överklagande väntar" in r.json()["detail"]
    assert _post(c, f"{pk}/appeal-ruling/", {"outcome": "maybe"}).status_code == 400
    r = _post(c, f"{pk}/appeal-ruling/", {"outcome": "upheld"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert not LegalHold.objects.active().filter(target_id=str(doc.pk)).exists()


def test_formal_decision_on_closed_request_reopens_200(api, ground):
    DisclosureDecisionSettingFactory()
    pk, doc = _refused(api, ground)
    c = api("registrar")
    _post(c, f"{pk}/answer/", {"means": "email"})
    _post(c, f"{pk}/close/", {"reason": "Besked lämnat."})
    r = _post(c, f"{pk}/formal-decision/", {"issue": False})
    assert r.status_code == 200 and r.json()["status"] == "decision_requested"
    assert LegalHold.objects.active().filter(target_id=str(doc.pk)).exists()
    r = _post(c, f"{pk}/formal-decision/", {"reasoning": "Skäl."})
    assert r.status_code == 200 and r.json()["status"] == "decision_issued"
    assert Document.objects.filter(case__number=r.json()["case"], direction="outgoing").count() == 1


def test_formal_decision_full_release_409_and_appeal_of_official_refusal_409(api, ground):
    DisclosureDecisionSettingFactory()
    doc = DocumentFactory()
    req = _created(api, documents=[doc.number])
    c = api("registrar")
    _post(c, f"{req['id']}/review/", {"target": {"document": doc.pk}, "outcome": "release"})
    _post(c, f"{req['id']}/decide/")
    r = _post(c, f"{req['id']}/formal-decision/", {"reasoning": "Skäl."})
    assert r.status_code == 409 and "OSL 6 kap. 3 §" in r.json()["detail"]
    pk, _doc = _refused(api, ground)
    r = _post(c, f"{pk}/appeal/", {"received_at": timezone.now().isoformat()})
    assert r.status_code == 409 and "TF 2 kap. 19 §" in r.json()["detail"]


@pytest.mark.parametrize("path", ["targets/", "review/", "decide/", "deliver/", "answer/", "formal-decision/",
                                  "decision-notified/", "appeal/", "appeal-ruling/", "close/"])
def test_actions_auditor_and_archivist_403(api, ground, path):
    pk, _doc = _refused(api, ground)
    for role in ("auditor", "archivist", "moderator"):
        r = _post(api(role), f"{pk}/{path}", {"reason": "x"})
        assert r.status_code in (403, 404), (role, r.status_code)
        if role != "moderator":
            assert r.status_code == 403


def test_list_filters_status_and_overdue_and_shows_outcomes(api, users, ground):
    registrar = users["registrar"]
    late = svc.disclosure_request_create(request_text="Gamla", channel_in="email",
                                         received_at=datetime(2026, 1, 9, 14, tzinfo=STHLM))
    decided = svc.disclosure_request_create(request_text="Prövad", channel_in="phone",
                                            documents=[DocumentFactory()], actor=registrar)
    svc.disclosure_review(item=decided.items.get(), outcome="refuse", legal_ground=ground, actor=registrar)
    svc.disclosure_decide(request=decided, actor=registrar)
    c = api("registrar")
    assert [x["reference"] for x in c.get(URL, {"overdue": "true"}).json()["results"]] == [late.reference]
    assert [x["reference"] for x in c.get(URL, {"status": "decided"}).json()["results"]] == [decided.reference]
    detail = c.get(f"{URL}{decided.pk}/").json()
    assert detail["items"][0]["outcome"] == "refuse" and detail["items"][0]["legal_ground"] == ground.code
    assert set(detail["actions"]) == {"answer", "request_decision"}
    assert c.get(f"{URL}{late.pk}/").json()["overdue"] is True


def _mixed_requests(n, registrar, ground):
    for i in range(n):
        req = svc.disclosure_request_create(request_text="x", channel_in="email", documents=[DocumentFactory()],
                                            actor=registrar)
        if i % 2:
            svc.disclosure_review(item=req.items.get(), outcome="refuse", legal_ground=ground, actor=registrar)
            svc.disclosure_decide(request=req, actor=registrar)
            svc.disclosure_decision_request(request=req, actor=registrar)


def test_list_query_count_fixed_whatever_the_number_of_rows(api, users, ground, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    DisclosureDecisionSettingFactory()
    c = api("registrar")
    _mixed_requests(4, users["registrar"], ground)
    c.get(URL)  # warm the permission cache
    with CaptureQueriesContext(connection) as few:
        assert c.get(URL).json()["count"] == 4
    _mixed_requests(8, users["registrar"], ground)
    with django_assert_num_queries(len(few)):
        r = c.get(URL)
    assert r.status_code == 200 and r.json()["count"] == 12
    assert {tuple(x["actions"]) for x in r.json()["results"]} == {("close",), ("issue_decision",)}


def test_moderator_and_anonymous_denied():
    assert APIClient().get(URL).status_code in (401, 403)
