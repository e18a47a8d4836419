import pytest
from django.db import DatabaseError, connection, transaction

from accounts.models import AuditAction, AuditEvent
from accounts.services import audit_record

pytestmark = pytest.mark.django_db


def test_audit_record_stores_actor_action_and_target(users, unit):
    event = audit_record(actor=users["registrar"], action=AuditAction.EXPORT, target=unit, detail={"n": 1})
    event.refresh_from_db()
    assert event.actor_label == "registrar"
    assert event.target_type == "accounts.unit"
    assert event.target_id == str(unit.pk)
    assert event.detail == {"n": 1}


def test_audit_event_save_twice_is_refused(users):
    event = audit_record(actor=users["auditor"], action=AuditAction.OTHER)
    event.action = "changed"
    with pytest.raises(PermissionError):
        event.save()


def test_audit_event_delete_is_refused(users):
    event = audit_record(actor=users["auditor"], action=AuditAction.OTHER)
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    assert AuditEvent.objects.filter(pk=event.pk, action=AuditAction.OTHER).exists()


def test_audit_event_raw_sql_update_is_refused_by_the_database(users):
    event = audit_record(actor=users["auditor"], action=AuditAction.OTHER)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_auditevent SET action = 'x' WHERE id = %s", [event.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.OTHER


def test_login_logout_and_failed_login_are_recorded(client, users, password):
    r = client.post("/konto/logga-in/", {"username": "moderator", "password": "fel-lösenord"})
    assert r.status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, actor_label="moderator").count() == 1
    r = client.post("/konto/logga-in/", {"username": "moderator", "password": password})
    assert r.status_code == 302, r.content
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=users["moderator"]).count() == 1
    client.post("/konto/logga-ut/")
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=users["moderator"]).count() == 1


def test_login_after_repeated_failures_is_locked_out(client, users, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/konto/logga-in/", {"username": "registrar", "password": "fel"}, REMOTE_ADDR="10.1.2.3")
    r = client.post("/konto/logga-in/", {"username": "registrar", "password": password}, REMOTE_ADDR="10.1.2.3")
    assert r.status_code == 429, r.status_code
    assert "För många misslyckade inloggningar" in r.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT, actor_label="registrar").exists()


def test_audit_list_filters_by_action(client_for, users):
    audit_record(actor=users["registrar"], action=AuditAction.EXPORT)
    audit_record(actor=users["registrar"], action=AuditAction.DISCLOSURE)
    c = client_for("auditor")
    r = c.get("/granskningslogg/", {"action": "export"})
    assert r.status_code == 200
    page = r.context["page"]
    assert {e.action for e in page} == {"export"}


def test_audit_api_refuses_writes(client_for):
    c = client_for("administrator")
    assert c.get("/api/v1/audit-events/").status_code == 200
    assert c.post("/api/v1/audit-events/", {"action": "x"}).status_code == 405
    event = AuditEvent.objects.create(action="other")
    assert c.delete(f"/api/v1/audit-events/{event.pk}/").status_code == 405
    assert c.patch(f"/api/v1/audit-events/{event.pk}/", {"action": "y"},
                   content_type="application/json").status_code == 405


def test_audit_admin_offers_no_change_or_delete(client_for):
    c = client_for("administrator")
    event = AuditEvent.objects.create(action="other")
    r = c.get(f"/admin/accounts/auditevent/{event.pk}/change/")
    assert r.status_code == 200
    assert b'name="_save"' not in r.content
    assert c.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_session_idle_timeout_signs_out(client, users, settings, password):
    client.force_login(users["moderator"])
    assert client.get("/").status_code == 200
    session = client.session
    session["uppsikt_last_seen"] = 0
    session.save()
    r = client.get("/")
    assert r.status_code == 302
    assert "/konto/logga-in/" in r["Location"]
    assert AuditEvent.objects.filter(action=AuditAction.SESSION_EXPIRED, actor=users["moderator"]).exists()
