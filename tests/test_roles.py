import pytest
from django.contrib.auth.models import Group

from accounts.models import Role
from accounts.roles import ROLE_PERMISSIONS, permission_codes, sync_roles

pytestmark = pytest.mark.django_db


def _perms(name):
    return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=name).permissions.all()}


def test_migration_creates_all_five_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_roles_auditor_reads_audit_log_but_changes_nothing():
    perms = _perms("auditor")
    assert "accounts.view_auditevent" in perms
    assert not any(p.split(".")[1].startswith(("add_", "change_", "delete_")) for p in perms), perms


def test_roles_only_administrator_may_use_admin():
    holders = {g.name for g in Group.objects.filter(permissions__codename="use_admin")}
    assert holders == {"administrator"}


def test_roles_nobody_may_change_or_delete_audit_events():
    for role in Role.values:
        perms = _perms(role)
        assert "accounts.change_auditevent" not in perms
        assert "accounts.delete_auditevent" not in perms


def test_sync_roles_run_twice_changes_nothing():
    before = {name: _perms(name) for name in Role.values}
    sync_roles()
    sync_roles()
    after = {name: _perms(name) for name in Role.values}
    assert before == after


def test_sync_roles_restores_a_tampered_group():
    group = Group.objects.get(name="moderator")
    group.permissions.clear()
    sync_roles()
    assert "accounts.view_unit" in _perms("moderator")


def test_permission_codes_wildcard_and_negation_resolve():
    available = ["a.view_x", "a.view_y", "a.add_x", "b.view_z"]
    assert permission_codes(["a.view_*", "!a.view_y"], available) == {"a.view_x"}
    assert permission_codes(["!a.*", "a.add_x"], available) == set()


def test_role_spec_covers_every_role():
    assert set(ROLE_PERMISSIONS) == set(Role.values)
