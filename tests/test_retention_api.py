"""API parity for the archivist: subject-requests search/extract/erase/approve/extend/close and
purge-lists lines/propose/approve/execute, with the same permissions as the pages and 409 + a Swedish
message naming the rule when the workflow refuses."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from moderation.models import Item
from records.models import HitOutcome, PurgeListStatus
from records.retention.services.plan import retention_assign
from tests.factories import AuthorFactory, ChannelFactory, ItemFactory

pytestmark = pytest.mark.django_db

NAME = "Siri Sökdotter"


@pytest.fixture
def archivists(users, make_user):
    users["archivist2"] = make_user("archivist", username="archivist2")
    return users


def _c(users, role):
    c = Client()
    c.force_login(users[role])
    return c


def _post(c, url, data=None):
    return c.post(url, data or {}, content_type="application/json")


@pytest.fixture
def siri():
    channel = ChannelFactory()
    author = AuthorFactory(channel=channel, external_id="siri.s", display_name=NAME)
    fresh = ItemFactory(channel=channel, author=author, text="Ny kommentar", received_at=timezone.now())
    old = ItemFactory(channel=channel, author=author, text="Gammal kommentar",
                      received_at=timezone.now() - dt.timedelta(days=400))
    retention_assign(target_type="moderation.item", objects=[fresh, old])
    return {"fresh": fresh, "old": old}


def _create(c, kind="both"):
    r = _post(c, "/api/v1/subject-requests/", {
        "kind": kind, "requester_name": NAME, "requester_contact": "siri@example.se",
        "identifiers": {"platform_account": "siri.s", "name": NAME}})
    assert r.status_code == 201, r.content
    return r.json()


def test_api_subject_request_full_erasure_flow(archivists, siri):
    a1, a2 = _c(archivists, "archivist"), _c(archivists, "archivist2")
    sr = _create(a1)
    assert {"search", "extract", "extend", "propose_erasure", "close"} <= set(sr["actions"])
    base = f"/api/v1/subject-requests/{sr['id']}"
    found = _post(a1, f"{base}/search/")
    assert found.status_code == 200, found.content
    items = [h for h in found.json()["hits"] if h["target_type"] == "moderation.item"]
    assert len(items) == 2
    proposed = _post(a1, f"{base}/erase/", {"hits": [h["id"] for h in items], "schedule": True})
    assert proposed.status_code == 200, proposed.content
    assert proposed.json()["status"] == "erasure_proposed"
    # The handler may not approve (four eyes): 409, Swedish, naming the rule.
    own = _post(a1, f"{base}/approve/")
    assert own.status_code == 409, own.content
    assert "fyraögonsprincipen" in own.json()["detail"]
    assert "approve_erasure" not in _c(archivists, "archivist").get(f"{base}/").json()["actions"]
    assert "approve_erasure" in a2.get(f"{base}/").json()["actions"]
    done = _post(a2, f"{base}/approve/")
    assert done.status_code == 200, done.content
    outcome = {h["target_id"]: h for h in done.json()["hits"] if h["target_type"] == "moderation.item"}
    assert outcome[str(siri["old"].pk)]["outcome"] == HitOutcome.ERASED
    fresh = outcome[str(siri["fresh"].pk)]
    assert fresh["outcome"] == HitOutcome.SCHEDULED and fresh["ground"].startswith("allmän handling som hålls ordnad")
    assert Item.objects.get(pk=siri["fresh"].pk).text == "Ny kommentar"
    assert any(letter["kind"] == "gdpr_refusal" for letter in done.json()["letters"])


def test_api_subject_request_extract_json_and_letter(archivists, siri):
    a1 = _c(archivists, "archivist")
    sr = _create(a1, kind="access")
    r = _post(a1, f"/api/v1/subject-requests/{sr['id']}/extract/", {"format": "json"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["letter"]["kind"] == "gdpr_access" and len(body["letter"]["sha256"]) == 64
    entry = next(e for e in body["extract"]["entries"] if e["type"] == "moderation.item")
    assert entry["source"].startswith("Ditt konto på") and "recipients" in entry
    assert a1.get(body["letter"]["url"]).status_code == 200


def test_api_subject_request_extend_once_then_409(archivists):
    a1 = _c(archivists, "archivist")
    sr = _create(a1, kind="access")
    url = f"/api/v1/subject-requests/{sr['id']}/extend/"
    assert _post(a1, url, {}).status_code == 400
    r = _post(a1, url, {"reason": "Många register att söka i"})
    assert r.status_code == 200, r.content
    assert r.json()["extended_at"] and "extend" not in r.json()["actions"]
    again = _post(a1, url, {"reason": "Igen"})
    assert again.status_code == 409 and "12.3" in again.json()["detail"]


def test_api_subject_request_actions_forbidden_for_auditor(archivists):
    sr = _create(_c(archivists, "archivist"))
    auditor = _c(archivists, "auditor")
    assert auditor.get(f"/api/v1/subject-requests/{sr['id']}/").status_code == 200
    assert auditor.get(f"/api/v1/subject-requests/{sr['id']}/").json()["actions"] == []
    for action in ("search", "extract", "erase", "approve", "extend", "close"):
        r = _post(auditor, f"/api/v1/subject-requests/{sr['id']}/{action}/", {"reason": "x", "hits": [1]})
        assert r.status_code == 403, (action, r.content)


def test_api_subject_request_erase_on_access_request_409(archivists, siri):
    a1 = _c(archivists, "archivist")
    sr = _create(a1, kind="access")
    hits = _post(a1, f"/api/v1/subject-requests/{sr['id']}/search/").json()["hits"]
    r = _post(a1, f"/api/v1/subject-requests/{sr['id']}/erase/", {"hits": [hits[0]["id"]]})
    assert r.status_code == 409 and "art. 17" in r.json()["detail"]


# --- purge lists ----------------------------------------------------------------------------------


def _due_items(n):
    items = [ItemFactory(received_at=timezone.now() - dt.timedelta(days=400 + i)) for i in range(n)]
    retention_assign(target_type="moderation.item", objects=items)
    return items


def test_api_purge_list_lines_paginated_filterable(archivists):
    items = _due_items(3)
    a1 = _c(archivists, "archivist")
    pl = _post(a1, "/api/v1/purge-lists/", {}).json()
    r = a1.get(f"/api/v1/purge-lists/{pl['id']}/lines/", {"page_size": 2})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert {line["target_type"] for line in body["results"]} == {"moderation.item"}
    one = a1.get(f"/api/v1/purge-lists/{pl['id']}/lines/", {"target_id": str(items[1].pk)}).json()
    assert [line["target_id"] for line in one["results"]] == [str(items[1].pk)]
    assert a1.get(f"/api/v1/purge-lists/{pl['id']}/lines/", {"status": "done"}).json()["count"] == 0
    assert a1.get(f"/api/v1/purge-lists/{pl['id']}/lines/", {"status": "bogus"}).status_code == 400
    assert _c(archivists, "moderator").get(f"/api/v1/purge-lists/{pl['id']}/lines/").status_code == 403


def test_api_purge_list_four_eyes_then_execute(archivists):
    _due_items(2)
    a1, a2 = _c(archivists, "archivist"), _c(archivists, "archivist2")
    pl = _post(a1, "/api/v1/purge-lists/", {}).json()
    base = f"/api/v1/purge-lists/{pl['id']}"
    early = _post(a1, f"{base}/execute/")
    assert early.status_code == 409, early.content
    assert _post(a1, f"{base}/propose/").json()["status"] == "proposed"
    own = _post(a1, f"{base}/approve/")
    assert own.status_code == 409 and "fyraögonsprincipen" in own.json()["detail"]
    approved = _post(a2, f"{base}/approve/").json()
    assert "execute" in approved["actions"]
    r = _post(a2, f"{base}/execute/")
    assert r.status_code == 202, r.content
    body = r.json()
    # The immediate task backend of the tests has run the batch tasks already.
    assert body["tasks"] == 1 and body["list"]["status"] == PurgeListStatus.EXECUTED
    assert body["list"]["counts"] == {"done": 2, "refused": 0, "skipped": 0, "pending": 0, "total": 2}
    lines = a2.get(f"{base}/lines/", {"status": "done"}).json()
    assert lines["count"] == 2 and all(line["batch"] for line in lines["results"])


def test_api_purge_list_return_to_draft(archivists):
    _due_items(1)
    a1 = _c(archivists, "archivist")
    pl = _post(a1, "/api/v1/purge-lists/", {}).json()
    _post(a1, f"/api/v1/purge-lists/{pl['id']}/propose/")
    r = _post(a1, f"/api/v1/purge-lists/{pl['id']}/return/")
    assert r.status_code == 200 and r.json()["status"] == "draft" and r.json()["proposed_by"] is None


def test_api_legal_hold_place_list_release(archivists):
    item = ItemFactory()
    a1 = _c(archivists, "archivist")
    r = _post(a1, "/api/v1/legal-holds/", {"target_type": "moderation.channel", "target_id": str(item.channel_id),
                                           "reason": "Tvist om kanalen"})
    assert r.status_code == 201, r.content
    hold = r.json()
    assert hold["active"] and hold["created_by"] == "archivist"
    from records.retention.services.holds import is_on_hold

    assert is_on_hold("moderation.item", item.pk)
    assert a1.get("/api/v1/legal-holds/", {"active": "true"}).json()["count"] == 1
    assert _post(a1, "/api/v1/legal-holds/", {"target_type": "moderation.item", "target_id": "1",
                                              "reason": " "}).status_code == 400
    released = _post(a1, f"/api/v1/legal-holds/{hold['id']}/release/", {"reason": "Tvisten avgjord"})
    assert released.status_code == 200 and not released.json()["active"]
    assert not is_on_hold("moderation.item", item.pk)
    assert _post(_c(archivists, "auditor"), "/api/v1/legal-holds/", {
        "target_type": "moderation.item", "target_id": "1", "reason": "x"}).status_code == 403


def test_api_purge_line_exclude_and_change_class(archivists):
    first, second = _due_items(2)
    a1 = _c(archivists, "archivist")
    pl = _post(a1, "/api/v1/purge-lists/", {}).json()
    lines = {line["target_id"]: line for line in a1.get(f"/api/v1/purge-lists/{pl['id']}/lines/").json()["results"]}
    r = _post(a1, f"/api/v1/purge-lists/{pl['id']}/exclude/", {"line": lines[str(first.pk)]["id"],
                                                                "reason": "Behövs i ett ärende"})
    assert r.status_code == 200 and r.json()["status"] == "skipped"
    r = _post(a1, f"/api/v1/purge-lists/{pl['id']}/change-class/", {
        "line": lines[str(second.pk)]["id"], "retention_class": "ÄR-2", "reason": "Bedöms manuellt"})
    assert r.status_code == 200 and r.json()["status"] == "skipped" and r.json()["changed_class_to"] == "ÄR-2"
    assert Item.objects.get(pk=second.pk).retention_class_code == "ÄR-2"
    assert _post(a1, f"/api/v1/purge-lists/{pl['id']}/exclude/", {"line": 999999, "reason": "x"}).status_code == 400


def test_api_retention_class_assign(archivists):
    from records.models import RetentionClass

    item = ItemFactory()
    cls = RetentionClass.objects.get(code="ÄR-2")
    r = _post(_c(archivists, "archivist"), f"/api/v1/retention-classes/{cls.pk}/assign/", {
        "target_type": "moderation.item", "target_id": str(item.pk), "reason": "Särskilt intresse"})
    assert r.status_code == 200, r.content
    assert Item.objects.get(pk=item.pk).retention_class_code == "ÄR-2"
    assert _post(_c(archivists, "auditor"), f"/api/v1/retention-classes/{cls.pk}/assign/", {
        "target_type": "moderation.item", "target_id": str(item.pk), "reason": "x"}).status_code == 403
