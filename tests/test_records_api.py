import datetime as dt

import pytest
from django.test import Client

from accounts.models import AuditEvent
from records import registry
from records.diarium.services.cases import case_open
from records.models import Document, RegistrationProposal
from tests.factories import LegalGroundFactory, SeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(users):
    SeriesFactory(code="KS")
    LegalGroundFactory(code="OSL 21 kap. 3 §", title="Skyddade personuppgifter")
    from records.models import Series

    return case_open(series=Series.objects.get(code="KS"), title="API-ärende", actor=users["registrar"],
                     opened_at=dt.date(2026, 5, 1))


def _client(users, role):
    c = Client()
    c.force_login(users[role])
    return c


def test_api_document_create_with_secrecy_then_masked_for_auditor(case, users):
    r = _client(users, "registrar").post("/api/v1/documents/", {
        "case": case.number, "direction": "incoming", "date": "2026-05-02", "sender": "Hemlig Avsändare",
        "description": "Brev", "reason": "requested", "content": "text",
        "secrecy": [{"part": "sender", "legal_ground": "OSL 21 kap. 3 §"}],
    }, content_type="application/json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["number"] == "KS 2026/1-1" and data["case"] == "KS 2026/1" and data["sender"] == "Hemlig Avsändare"
    a = _client(users, "auditor").get(f"/api/v1/documents/{data['id']}/").json()
    assert a["sender"] is None and a["masked"] is True and a["content"] == "text"
    assert a["secrecy"] == [{"part": "sender", "legal_ground": "OSL 21 kap. 3 §", "expires_on": None}]
    assert AuditEvent.objects.filter(action="secret_viewed", actor=users["registrar"]).exists()


def test_api_document_create_by_auditor_forbidden(case, users):
    r = _client(users, "auditor").post("/api/v1/documents/", {}, content_type="application/json")
    assert r.status_code == 403, r.content


def test_api_document_create_closed_case_is_json_error(case, users):
    c = _client(users, "registrar")
    assert c.post(f"/api/v1/cases/{case.pk}/close/").status_code == 200
    r = c.post("/api/v1/documents/", {"case": case.pk, "direction": "incoming", "date": "2026-05-02",
                                      "description": "x", "reason": "other"}, content_type="application/json")
    assert r.status_code == 409 and "avslutat" in r.json()["detail"]


def test_api_void_and_filter(case, users):
    c = _client(users, "registrar")
    doc = c.post("/api/v1/documents/", {"case": case.pk, "direction": "outgoing", "date": "2026-05-03",
                                        "description": "Svar om snöröjning", "reason": "other"},
                 content_type="application/json").json()
    assert c.post(f"/api/v1/documents/{doc['id']}/void/", {"reason": "Fel"},
                  content_type="application/json").json()["voided"] is True
    assert c.get("/api/v1/documents/?voided=true").json()["count"] == 1
    assert c.get("/api/v1/documents/?q=snöröjning").json()["count"] == 1


def test_api_proposal_accept(case, users):
    registry.register_source(registry.SourceAdapter(
        type="test.api", label="Test", url=lambda i: None, mark_registered=lambda i, d: None,
        snapshot=lambda i: {"text": "Raderad text", "sender_name": "X", "direction": "incoming",
                            "date": dt.date(2026, 5, 4), "channel": "fb", "kind": "comment"},
    ))
    try:
        proposal = RegistrationProposal.objects.create(source_type="test.api", source_id="7",
                                                       reason="removed_inappropriate")
        r = _client(users, "registrar").post(f"/api/v1/registration-proposals/{proposal.pk}/accept/",
                                             {"case": case.number}, content_type="application/json")
        assert r.status_code == 200, r.content
        assert Document.objects.get(source_id="7").case == case
    finally:
        registry.unregister("test.api")
