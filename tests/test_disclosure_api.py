"""API /api/v1/disclosure-requests/: list, retrieve, create, filters; same permissions as the UI."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from records.disclosure import services as svc
from records.models import DisclosureRequest
from tests.factories import DocumentFactory, LegalGroundFactory

pytestmark = pytest.mark.django_db

STHLM = ZoneInfo("Europe/Stockholm")
URL = "/api/v1/disclosure-requests/"


@pytest.fixture
def api(users):
    def make(role):
        c = APIClient()
        c.force_authenticate(users[role])
        return c

    return make


def test_create_registrar_anonymous_request_201_with_reference_and_items(api):
    doc = DocumentFactory()
    r = api("registrar").post(URL, {"documents": [doc.number], "channel_in": "email"}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["reference"].startswith("BAH-") and body["requester_name"] == ""
    assert body["status"] == "received" and body["overdue"] is False
    assert body["items"] == [{"document": doc.number, "description": "", "outcome": "pending",
                              "legal_ground": None}]
    assert set(body) == {"id", "reference", "received_at", "channel_in", "requester_name", "status",
                         "deadline_at", "overdue", "items"}


def test_create_unknown_document_or_nothing_asked_400(api):
    r = api("registrar").post(URL, {"documents": ["XX 1999/1-1"]}, format="json")
    assert r.status_code == 400, r.content
    r = api("registrar").post(URL, {"request_text": ""}, format="json")
    assert r.status_code == 400, r.content
    assert not DisclosureRequest.objects.exists()


def test_create_auditor_403_list_allowed(api):
    r = api("auditor").post(URL, {"request_text": "Protokoll"}, format="json")
    assert r.status_code == 403, r.content
    assert api("auditor").get(URL).status_code == 200


def test_list_filters_status_and_overdue_and_shows_outcomes(api, users):
    registrar = users["registrar"]
    ground = LegalGroundFactory()
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
    assert c.get(f"{URL}{late.pk}/").json()["overdue"] is True


def test_list_query_count_fixed(api, users, django_assert_max_num_queries):
    for _ in range(5):
        svc.disclosure_request_create(request_text="x", channel_in="email", documents=[DocumentFactory()])
    c = api("registrar")
    with django_assert_max_num_queries(12):
        r = c.get(URL)
    assert r.status_code == 200 and r.json()["count"] == 5


def test_moderator_and_anonymous_denied():
    assert APIClient().get(URL).status_code in (401, 403)
