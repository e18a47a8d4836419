"""The moderation API: fixed field names, unit scoping, masking of secret items, actions."""

import pytest

from moderation.models import Item, ItemState, PlatformAction
from moderation.queue.services.claims import item_claim
from moderation.queue.services.decisions import item_decide
from tests.factories_moderation import AuthorFactory, ChannelFactory, FlagFactory, ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(unit):
    return ChannelFactory(slug="exempelstad-facebook", unit=unit)


@pytest.fixture
def other_channel(other_unit):
    return ChannelFactory(slug="skolan-instagram", unit=other_unit, platform="instagram")


def test_items_list_fields_are_the_fixed_points(client_for, channel):
    item = ItemFactory(channel=channel)
    FlagFactory(item=item)
    r = client_for("moderator").get("/api/v1/items/")
    assert r.status_code == 200, r.content
    [row] = r.json()["results"]
    for key in ("id", "external_id", "channel", "kind", "direction", "state", "text", "author", "created_at",
                "received_at", "priority", "version", "claimed_by", "flags", "secret", "masked"):
        assert key in row, key
    assert row["channel"] == "exempelstad-facebook"
    assert set(row["author"]) == {"id", "external_id", "display_name"}
    assert {"rule", "source", "detail", "spans"} <= set(row["flags"][0])
    assert row["flags"][0]["rule"] == "profanity"


def test_items_moderator_of_other_unit_gets_404_and_empty_list(client_for, users, other_channel, other_unit):
    item = ItemFactory(channel=other_channel)
    c = client_for("moderator")
    assert c.get(f"/api/v1/items/{item.pk}/").status_code == 404
    assert c.get("/api/v1/items/").json()["count"] == 0
    assert c.post(f"/api/v1/items/{item.pk}/claim/").status_code == 404
    assert c.get("/api/v1/channels/").json()["count"] == 0
    # an auditor sees every unit
    assert client_for("auditor").get(f"/api/v1/items/{item.pk}/").status_code == 200


def test_item_api_secret_masked_for_users_without_view_secret_audited_for_registrar(client_for, channel):
    item = ItemFactory(channel=channel, secret=True)
    data = client_for("moderator").get(f"/api/v1/items/{item.pk}/").json()
    assert data["text"] is None and data["masked"] is True
    data = client_for("registrar").get(f"/api/v1/items/{item.pk}/").json()
    assert data["text"] and data["masked"] is False
    from accounts.models import AuditEvent

    assert AuditEvent.objects.filter(action="secret_viewed", target_id=str(item.pk),
                                     target_type="moderation.item").exists()


def test_item_claim_decide_release_flow(client_for, channel):
    item = ItemFactory(channel=channel)
    c = client_for("moderator")
    r = c.post(f"/api/v1/items/{item.pk}/claim/")
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "in_review" and r.json()["claimed_by"] == "moderator"
    version = r.json()["version"]
    r = c.post(f"/api/v1/items/{item.pk}/decide/", {"action": "remove", "rules": ["hate"], "note": "Hets",
                                                     "expected_version": version}, content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["action"] == "remove" and body["rules"] == ["hate"] and body["platform_action_needed"] == "delete"
    assert PlatformAction.objects.filter(item=item, kind="delete").exists()
    assert Item.objects.get(pk=item.pk).state == ItemState.DECIDED


def test_item_decide_conflicts_are_409_invalid_is_400(client_for, users, channel):
    item = ItemFactory(channel=channel)
    c = client_for("moderator")
    r = c.post(f"/api/v1/items/{item.pk}/decide/", {"action": "keep", "expected_version": 99},
               content_type="application/json")
    assert r.status_code == 409, r.content
    assert "ändrats" in r.json()["detail"]
    r = c.post(f"/api/v1/items/{item.pk}/decide/", {"action": "remove"}, content_type="application/json")
    assert r.status_code == 400 and "motivering" in r.json()["detail"]
    r = c.post(f"/api/v1/items/{item.pk}/decide/", {"action": "explode"}, content_type="application/json")
    assert r.status_code == 400
    item_claim(item=item, actor=users["administrator"])
    r = c.post(f"/api/v1/items/{item.pk}/claim/")
    assert r.status_code == 409 and "hanteras av" in r.json()["detail"]


def test_items_bulk_decide(client_for, channel, other_channel):
    a, b = ItemFactory(channel=channel), ItemFactory(channel=channel)
    hidden = ItemFactory(channel=other_channel)
    r = client_for("moderator").post("/api/v1/items/bulk-decide/",
                                     {"items": [a.pk, b.pk, hidden.pk], "action": "keep"},
                                     content_type="application/json")
    assert r.status_code == 200, r.content
    assert sorted(d["id"] for d in r.json()["done"]) == sorted([a.pk, b.pk])
    assert [d["id"] for d in r.json()["refused"]] == [hidden.pk]


def test_items_filters_state_channel_rule_and_q(client_for, channel):
    flagged = ItemFactory(channel=channel, text="Jävla kommun")
    FlagFactory(item=flagged)
    ItemFactory(channel=channel, text="Trevlig helg", state=ItemState.DECIDED)
    c = client_for("moderator")
    assert c.get("/api/v1/items/?rule=profanity").json()["count"] == 1
    assert c.get("/api/v1/items/?state=decided").json()["count"] == 1
    assert c.get("/api/v1/items/?channel=exempelstad-facebook").json()["count"] == 2
    assert c.get("/api/v1/items/?q=helg").json()["count"] == 1


def test_authors_strike_count_without_n_plus_one(client_for, channel, users, django_assert_max_num_queries):
    for n in range(5):
        author = AuthorFactory(channel=channel, external_id=f"a{n}")
        item = ItemFactory(channel=channel, author=author)
        item_decide(item=item, action="remove", actor=users["moderator"], rules=["profanity"], note="x")
    c = client_for("moderator")
    with django_assert_max_num_queries(12):
        r = c.get("/api/v1/authors/")
    assert r.status_code == 200
    assert {row["strike_count"] for row in r.json()["results"]} == {1}


def test_channels_never_expose_secrets(client_for, channel):
    channel.set_secret("access_token", "hemlig-token")
    channel.save()
    r = client_for("administrator").get("/api/v1/channels/")
    text = r.content.decode()
    assert "hemlig-token" not in text and "encrypted" not in text
    assert r.json()["results"][0]["has_credentials"] is True


def test_reports_staff_create_matches_item(client_for, channel):
    item = ItemFactory(channel=channel, text="Den här kommentaren är ett personangrepp mot rektorn")
    r = client_for("moderator").post("/api/v1/reports/", {
        "text": "Den här kommentaren är ett personangrepp mot rektorn", "via": "email", "rule": "defamation",
        "contact": "anna@example.se"}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "matched" and r.json()["item"] == item.pk
