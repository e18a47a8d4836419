import pytest

from accounts.models import Unit
from accounts.services import unit_set_members

pytestmark = pytest.mark.django_db


def test_history_view_lists_who_when_and_old_to_new(client, users):
    admin = users["administrator"]
    client.force_login(admin)
    unit = Unit.objects.get(code="kommunledning")
    unit._history_user = admin
    unit.name = "Kommunstyrelsens förvaltning"
    unit.save()
    r = client.get(f"/historik/accounts/unit/{unit.pk}/")
    assert r.status_code == 200, r.content
    rows = r.context["rows"]
    newest = rows[0]
    assert newest.who == "administrator"
    change = next(c for c in newest.changes if c.field == "namn")
    assert (change.old, change.new) == ("Kommunledningsförvaltningen", "Kommunstyrelsens förvaltning")
    body = r.content.decode()
    assert "Kommunledningsförvaltningen" in body and "Kommunstyrelsens förvaltning" in body
    assert rows[-1].kind == "Skapad"


def test_history_view_members_change_is_recorded(client, users):
    unit = Unit.objects.get(code="kommunledning")
    before = unit.history.count()
    unit_set_members(unit=unit, users=[users["moderator"]])
    assert unit.history.count() > before or unit.history.first().members.count() == 1


def test_history_view_user_history_never_shows_password(client, users):
    client.force_login(users["administrator"])
    target = users["moderator"]
    target.set_password("Nytt-langt-losenord-123")
    target.first_name = "Maja"
    target.save()
    r = client.get(f"/historik/accounts/user/{target.pk}/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "pbkdf2" not in body and "argon2" not in body
    assert "Maja" in body


def test_history_view_unknown_model_is_404(client, users):
    client.force_login(users["administrator"])
    assert client.get("/historik/accounts/nosuchmodel/1/").status_code == 404
    assert client.get("/historik/accounts/unit/999999/").status_code == 404
