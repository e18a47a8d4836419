import io

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def _counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()
            if m._meta.app_label in {"accounts", "moderation", "records", "auth"}
            and m._meta.label != "accounts.AuditEvent"}


def test_seed_demo_creates_one_user_per_role(monkeypatch):
    monkeypatch.setenv("UPPSIKT_DEMO_PASSWORD", "Demo-losenord-2026")
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    for username, role in [("moderator", "moderator"), ("registrar", "registrar"), ("archivist", "archivist"),
                           ("admin", "administrator"), ("auditor", "auditor"), ("moderator2", "moderator"),
                           ("archivist2", "archivist")]:
        user = User.objects.get(username=username)
        assert user.check_password("Demo-losenord-2026")
        assert role in user.role_names
    assert "moderator" in out.getvalue()
    assert not set(User.objects.get(username="moderator2").unit_ids()) & set(
        User.objects.get(username="moderator").unit_ids())


def test_seed_demo_twice_changes_nothing(monkeypatch):
    monkeypatch.setenv("UPPSIKT_DEMO_PASSWORD", "Demo-losenord-2026")
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
