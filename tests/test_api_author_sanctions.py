"""Sanctions on an author through the API: the same services and rules as the author page, precise
4xx answers, unit scoping, and no identity of a secret sender in the answers."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.models import Author, PlatformAction, Sanction, SanctionKind
from tests.factories_moderation import AuthorFactory, ChannelFactory, ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(unit):
    return ChannelFactory(slug="exempelstad-facebook", unit=unit, platform="facebook")


@pytest.fixture
def author(channel):
    author = AuthorFactory(channel=channel, external_id="fb-4711", display_name="Nils Nilsson")
    ItemFactory(channel=channel, author=author, text="Senaste kommentaren")
    return author


def url(author, action: str) -> str:
    return f"/api/v1/authors/{author.pk}/{action}/"


def test_author_warn_with_message_on_facebook_sent_as_reply_and_audited(client_for, author):
    r = client_for("moderator").post(url(author, "warn"), {"reason": "Svordomar", "message": "Håll god ton.",
                                                           "strike": True}, format="json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["kind"] == SanctionKind.STRIKE and data["sent"] is True and data["author"] == author.pk
    assert PlatformAction.objects.filter(kind="reply", sanction_id=data["id"]).exists()
    assert AuditEvent.objects.filter(action="moderation.sanction_warn").exists()


def test_author_suspend_days_out_of_range_400_in_range_201_until_then(client_for, author):
    c = client_for("moderator")
    r = c.post(url(author, "suspend"), {"reason": "Hot", "days": 0}, format="json")
    assert r.status_code == 400, r.content
    assert "days" in r.json()
    r = c.post(url(author, "suspend"), {"reason": "", "days": 7}, format="json")
    assert r.status_code == 400, r.content
    r = c.post(url(author, "suspend"), {"reason": "Upprepade hot", "days": 7}, format="json")
    assert r.status_code == 201, r.content
    until = dt.datetime.fromisoformat(r.json()["expires_at"])
    assert abs(until - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)


def test_author_lift_in_force_200_again_409_unknown_400(client_for, author):
    c = client_for("moderator")
    sanction = c.post(url(author, "premoderate"), {"reason": "Spam"}, format="json").json()
    assert c.post(url(author, "premoderate"), {"reason": "Spam"}, format="json").status_code == 409
    r = c.post(url(author, "lift"), {"reason": "Lugnt nu", "sanction": sanction["id"]}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["expires_at"] is not None
    r = c.post(url(author, "lift"), {"reason": "Lugnt nu", "sanction": sanction["id"]}, format="json")
    assert r.status_code == 409, r.content
    r = c.post(url(author, "lift"), {"reason": "Lugnt nu", "sanction": 999999}, format="json")
    assert r.status_code == 400, r.content
    assert r.json()["detail"] == "Åtgärden finns inte för avsändaren."


def test_author_block_proposed_once_confirmed_then_unblocked_twice_409(client_for, author):
    c = client_for("moderator")
    first = c.post(url(author, "block"), {"reason": "Hot mot personal"}, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["proposed"] is True and first.json()["confirmed_at"] is None
    again = c.post(url(author, "block"), {"reason": "Igen"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    r = client_for("administrator").post(url(author, "block-confirm"), {"sanction": first.json()["id"]},
                                         format="json")
    assert r.status_code == 200, r.content
    assert Author.objects.get(pk=author.pk).is_blocked
    assert c.post(url(author, "block-confirm"), {"sanction": first.json()["id"]}, format="json").status_code == 409
    r = c.post(url(author, "unblock"), {"reason": "Bad om ursäkt"}, format="json")
    assert r.status_code == 201, r.content
    assert not Author.objects.get(pk=author.pk).is_blocked
    r = c.post(url(author, "unblock"), {"reason": "Igen"}, format="json")
    assert r.status_code == 409, r.content


def test_author_sanction_other_unit_404_without_permission_403(client_for, other_unit):
    other = AuthorFactory(channel=ChannelFactory(slug="skolan-instagram", unit=other_unit, platform="instagram"))
    r = client_for("moderator").post(url(other, "warn"), {"reason": "x"}, format="json")
    assert r.status_code == 404, r.content
    r = client_for("registrar").post(url(other, "warn"), {"reason": "x"}, format="json")
    assert r.status_code == 403, r.content
    assert not Sanction.objects.exists()


def test_author_sanction_answer_names_the_sanction_never_the_account(client_for, author):
    """A sender may be secret (OSL) for the moderator: the answer carries the author's id only."""
    r = client_for("moderator").post(url(author, "suspend"), {"reason": "Hot", "days": 3}, format="json")
    assert r.status_code == 201, r.content
    assert set(r.json()) == {"id", "author", "channel", "kind", "reason", "created_at", "expires_at", "proposed",
                             "confirmed_at", "counts_as_strike", "sent"}
    body = r.content.decode()
    assert "Nils Nilsson" not in body and "fb-4711" not in body
