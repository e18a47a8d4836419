"""Registrar tools: the case picker with search and the running case per registration reason, and
bulk registration of several proposals into one case (issue 13 item 6)."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from accounts.errors import DomainError
from records.diarium.services.cases import case_close, case_open, running_case_for
from records.diarium.services.registration import proposal_create, proposals_accept_bulk
from records.models import Case, Document, RegistrationProposal, RegistrationSetting
from tests.factories import ItemFactory, SeriesFactory

pytestmark = pytest.mark.django_db

REMOVED = "Raderade kommentarer på kommunens sociala medier {year}"


@pytest.fixture
def series():
    return SeriesFactory(code="KS")


@pytest.fixture
def running(series):
    RegistrationSetting.objects.filter(reason="removed_inappropriate").update(default_series=series,
                                                                             running_case_title=REMOVED)
    return series


def _proposals(n, reason="removed_inappropriate", **kw):
    return [RegistrationProposal.objects.create(source_type="moderation.item", source_id=str(ItemFactory().pk),
                                                reason=reason, **kw) for _ in range(n)]


def test_running_case_for_opens_yearly_case_once_then_reuses(running, users):
    first = running_case_for(reason="removed_inappropriate", actor=users["registrar"], on=dt.date(2026, 5, 1))
    assert first.title == "Raderade kommentarer på kommunens sociala medier 2026" and first.number == "KS 2026/1"
    assert running_case_for(reason="removed_inappropriate", actor=users["registrar"], on=dt.date(2026, 6, 1)) == first
    next_year = running_case_for(reason="removed_inappropriate", actor=users["registrar"], on=dt.date(2027, 1, 2))
    assert next_year.title.endswith("2027") and next_year.number == "KS 2027/1"
    assert RegistrationSetting.objects.get(reason="removed_inappropriate").running_case == next_year


def test_running_case_for_closed_case_replaced_unconfigured_refused(running, users):
    today = dt.date.today()
    case = running_case_for(reason="removed_inappropriate", actor=users["registrar"])
    case_close(case=case, actor=users["registrar"])
    assert running_case_for(reason="removed_inappropriate", actor=users["registrar"]).pk != case.pk
    with pytest.raises(DomainError, match="löpande ärende"):
        running_case_for(reason="requested", actor=users["registrar"], on=today)


def test_proposal_create_auto_register_goes_to_running_case(running, users):
    RegistrationSetting.objects.filter(reason="removed_inappropriate").update(auto_register=True)
    docs = [proposal_create(source_type="moderation.item", source_id=str(ItemFactory().pk),
                            reason="removed_inappropriate", proposed_by=users["moderator"]) for _ in range(2)]
    assert all(isinstance(d, Document) for d in docs)
    assert docs[0].case_id == docs[1].case_id and docs[0].case.title.startswith("Raderade kommentarer")
    assert Case.objects.count() == 1


def test_proposals_accept_bulk_one_case_numbers_in_order(series, users):
    case = case_open(series=series, title="Samlingsärende", actor=users["registrar"])
    proposals = _proposals(3)
    documents = proposals_accept_bulk(proposals=proposals, actor=users["registrar"], case=case)
    assert [d.number for d in documents] == [f"{case.number}-1", f"{case.number}-2", f"{case.number}-3"]
    assert [Document.objects.get(source_id=p.source_id).number for p in proposals] == [d.number for d in documents]
    assert set(RegistrationProposal.objects.values_list("status", flat=True)) == {"accepted"}


def test_proposals_accept_bulk_running_case_opened_with_the_documents(running, users):
    documents = proposals_accept_bulk(proposals=_proposals(2), actor=users["registrar"], running=True)
    year = dt.date.today().year
    assert [d.number for d in documents] == [f"KS {year}/1-1", f"KS {year}/1-2"]


def test_proposals_accept_bulk_secret_or_failing_rolls_back_all(series, users):
    case = case_open(series=series, title="Samlingsärende", actor=users["registrar"])
    secret = _proposals(1, secret=True)
    with pytest.raises(DomainError, match="sekretess"):
        proposals_accept_bulk(proposals=_proposals(2) + secret, actor=users["registrar"], case=case)
    assert not Document.objects.exists()
    broken = _proposals(1)[0]
    broken.source_id = "999999"  # the source is gone: refused, and the first one with it
    broken.save()
    with pytest.raises(DomainError):
        proposals_accept_bulk(proposals=_proposals(1) + [broken], actor=users["registrar"], case=case)
    assert not Document.objects.exists()
    assert RegistrationProposal.objects.filter(status="accepted").count() == 0
    assert case_open(series=series, title="Nästa", actor=users["registrar"]).number.endswith("/2")


def test_proposals_accept_bulk_mixed_reasons_running_refused(running, users):
    with pytest.raises(DomainError, match="olika skäl"):
        proposals_accept_bulk(proposals=_proposals(1) + _proposals(1, reason="special_interest"),
                              actor=users["registrar"], running=True)


def test_case_picker_search_lists_open_cases_only(series, users, client_for):
    open_case = case_open(series=series, title="Synpunkter på snöröjningen", actor=users["registrar"])
    closed = case_open(series=series, title="Snöröjning 2025", actor=users["registrar"])
    case_close(case=closed, actor=users["registrar"])
    r = client_for("registrar").get("/diarium/arenden/valj/", {"name": "case", "case_search": "snö"})
    assert r.status_code == 200, r.content
    body = r.content.decode()
    assert f'value="{open_case.pk}"' in body and f'value="{closed.pk}"' not in body
    assert 'type="radio" name="case"' in body and "<script" not in body
    by_number = client_for("registrar").get("/diarium/arenden/valj/", {"name": "case", "case_search": open_case.number})
    assert f'value="{open_case.pk}"' in by_number.content.decode()
    bad = client_for("registrar").get("/diarium/arenden/valj/", {"name": "case\"><script>"})
    assert bad.status_code == 400


def test_case_picker_running_case_first_in_proposal_form(running, users, client_for):
    proposal = _proposals(1)[0]
    page = client_for("registrar").get(f"/diarium/inkorg/{proposal.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and 'value="running"' in body and "Årets löpande ärende" in body
    r = client_for("registrar").post(f"/diarium/inkorg/{proposal.pk}/", {
        "mode": "existing", "case": "running", "description": "Raderad kommentar", "sender_kind": "unknown"})
    assert r.status_code == 302, r.content.decode()[:1500]
    document = Document.objects.get(source_id=proposal.source_id)
    assert document.case.title.startswith("Raderade kommentarer på kommunens sociala medier")
    # the next proposal's form offers that case itself
    body = client_for("registrar").get(f"/diarium/inkorg/{_proposals(1)[0].pk}/").content.decode()
    assert f'value="{document.case_id}"' in body and "Löpande ärende" in body


def test_proposal_form_closed_case_refused_with_message(series, users, client_for):
    closed = case_open(series=series, title="Gammalt", actor=users["registrar"])
    case_close(case=closed, actor=users["registrar"])
    proposal = _proposals(1)[0]
    r = client_for("registrar").post(f"/diarium/inkorg/{proposal.pk}/", {
        "mode": "existing", "case": str(closed.pk), "description": "x", "sender_kind": "unknown"})
    assert r.status_code == 200 and "Välj ett öppet ärende i listan." in r.content.decode()


def test_document_create_any_picks_case(series, users, client_for):
    case = case_open(series=series, title="Synpunkter", actor=users["registrar"])
    r = client_for("registrar").post("/diarium/handlingar/ny/", {
        "case": str(case.pk), "direction": "incoming", "date": "2026-03-02", "sender": "Bolaget AB",
        "sender_kind": "organisation", "description": "Skrivelse", "reason": "adds_to_case", "content": "Hej"})
    assert r.status_code == 302, r.content.decode()[:1500]
    assert Document.objects.get(case=case).number == f"{case.number}-1"
    missing = client_for("registrar").post("/diarium/handlingar/ny/", {
        "direction": "incoming", "date": "2026-03-02", "description": "x", "reason": "adds_to_case",
        "sender_kind": "unknown"})
    assert missing.status_code == 200 and "Välj ett ärende." in missing.content.decode()


def test_inbox_bulk_accept_page_registers_ticked_in_order(series, users, client_for):
    case = case_open(series=series, title="Samlingsärende", actor=users["registrar"])
    proposals = _proposals(3)
    r = client_for("registrar").post("/diarium/inkorg/diariefor/", {
        "proposals": [str(p.pk) for p in reversed(proposals[:2])], "case": str(case.pk)})
    assert r.status_code == 302 and r.url == f"/diarium/arenden/{case.pk}/"
    numbers = [Document.objects.get(source_id=p.source_id).number for p in proposals[:2]]
    assert numbers == [f"{case.number}-1", f"{case.number}-2"]  # inbox order, not the order sent
    assert RegistrationProposal.objects.get(pk=proposals[2].pk).status == "pending"
    assert client_for("moderator").post("/diarium/inkorg/diariefor/", {}).status_code == 403


def test_bulk_accept_api_numbers_in_given_order_and_409_on_closed(series, users):
    case = case_open(series=series, title="Samlingsärende", actor=users["registrar"])
    proposals = _proposals(2)
    client = APIClient()
    client.force_authenticate(users["registrar"])
    r = client.post("/api/v1/registration-proposals/bulk-accept/",
                    {"proposals": [proposals[1].pk, proposals[0].pk], "case": case.number}, format="json")
    assert r.status_code == 200, r.content
    assert [d["number"] for d in r.json()] == [f"{case.number}-1", f"{case.number}-2"]
    assert Document.objects.get(source_id=proposals[1].source_id).number == f"{case.number}-1"
    case_close(case=case, actor=users["registrar"])
    again = client.post("/api/v1/registration-proposals/bulk-accept/",
                        {"proposals": [p.pk for p in _proposals(1)], "case": case.pk}, format="json")
    assert again.status_code == 409, again.content
    neither = client.post("/api/v1/registration-proposals/bulk-accept/", {"proposals": [1]}, format="json")
    assert neither.status_code == 400
    auditor = APIClient()
    auditor.force_authenticate(users["auditor"])
    assert auditor.post("/api/v1/registration-proposals/bulk-accept/", {"proposals": [1], "running": True},
                        format="json").status_code == 403
