"""The audit log as an auditor uses it: Swedish kinds, rendered detail with links, filters, CSV
export, role and permission changes (also through the admin) and no self-granted roles."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent, Role
from accounts.services import audit_record, user_set_roles
from records.diarium.services.cases import case_close, case_open
from records.diarium.services.registration import document_register, document_void
from records.secrecy.services import secrecy_mark
from tests.factories_records import LegalGroundFactory, SeriesFactory

pytestmark = pytest.mark.django_db

ENGLISH = ("Other", "None", "True", "False", "other", "role_changed", "document_registered", "case_closed")


@pytest.fixture
def registered(users):
    """A case with one registered document, voided, a secret part marked, and the case closed."""
    registrar = users["registrar"]
    case = case_open(series=SeriesFactory(code="KS"), title="Synpunkter på snöröjning", actor=registrar,
                     opened_at=dt.date(2026, 1, 5))
    doc = document_register(case=case, direction="incoming", date=dt.date(2026, 1, 5), sender="Anna Andersson",
                            description="Synpunkt", reason="other", actor=registrar)
    secrecy_mark(document=doc, part="sender", legal_ground=LegalGroundFactory(), actor=registrar)
    document_void(document=doc, actor=registrar, reason="Fel ärende")
    case_close(case=case, actor=registrar)
    return case, doc


def _text(r) -> str:
    return r.content.decode()


def test_registry_events_have_their_own_swedish_kinds_not_other(registered, client_for):
    case, doc = registered
    kinds = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"case_opened", "document_registered", "secrecy_marked", "document_voided", "case_closed"} <= kinds
    assert "other" not in kinds
    r = client_for("auditor").get("/granskningslogg/")
    assert r.status_code == 200, r.content
    html = _text(r)
    for label in ("Ärende upprättat", "Handling diarieförd", "Sekretess markerad", "Handling makulerad",
                  "Ärende avslutat"):
        assert label in html
    assert "Annat" not in {row.kind_label for row in r.context["rows"]}


def test_audit_list_renders_who_object_link_and_detail_in_swedish(registered, client_for):
    case, doc = registered
    r = client_for("auditor").get("/granskningslogg/", {"action": "document_registered"})
    assert r.status_code == 200, r.content
    rows = r.context["rows"]
    assert len(rows) == 1
    row = rows[0]
    assert row.object_url == f"/diarium/handlingar/{doc.pk}/"
    assert doc.number in row.object_label
    assert "registrar" in row.who
    assert {line.label for line in row.lines} >= {"Händelse", "Skäl"}
    html = _text(r)
    assert f'href="/diarium/handlingar/{doc.pk}/"' in html
    assert "handlingen diariefördes" in html
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    for word in ENGLISH:
        assert f">{word}<" not in body and f" {word} " not in body, word


def test_audit_list_one_filter_finds_who_registered_a_document(registered, client_for):
    case, doc = registered
    r = client_for("auditor").get("/granskningslogg/", {"action": "document_registered", "target": doc.number})
    assert r.status_code == 200, r.content
    assert [row.event.actor_label for row in r.context["rows"]] == ["registrar"]
    r = client_for("auditor").get("/granskningslogg/", {"target": doc.number})
    assert {row.kind for row in r.context["rows"]} >= {"document_registered", "document_voided", "secrecy_marked"}


def test_audit_list_filters_by_user_object_type_and_local_date(users, client_for, unit):
    e1 = audit_record(actor=users["registrar"], action=AuditAction.EXPORT, target=unit)
    e2 = audit_record(actor=users["archivist"], action=AuditAction.EXPORT)
    # 23:30 UTC on 1 March is 00:30 on 2 March in Stockholm: the date filter is a local day.
    late = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    e3 = AuditEvent.objects.create(action="export", actor_label="registrar", at=late)
    c = client_for("auditor")
    r = c.get("/granskningslogg/", {"actor": "archivist"})
    assert [row.event.pk for row in r.context["rows"]] == [e2.pk]
    r = c.get("/granskningslogg/", {"target_type": "accounts.unit"})
    assert [row.event.pk for row in r.context["rows"]] == [e1.pk]
    r = c.get("/granskningslogg/", {"after": "2026-03-02", "before": "2026-03-02"})
    assert [row.event.pk for row in r.context["rows"]] == [e3.pk]
    assert r.context["rows"][0].at_local == "2026-03-02 00:30:00"
    assert "2026-03-02 00:30:00" in _text(r)


def test_audit_list_legacy_other_rows_are_labelled_and_filtered_by_their_kind(users, client_for):
    old = AuditEvent.objects.create(action="other", actor_label="registrar", target_type="records.case",
                                    target_id="1", target_label="KS 2025/1", detail={"operation": "case_close"})
    AuditEvent.objects.create(action="other", actor_label="x", detail={"event": "something_new"})
    r = client_for("auditor").get("/granskningslogg/", {"action": "case_closed"})
    assert r.status_code == 200, r.content
    assert [row.event.pk for row in r.context["rows"]] == [old.pk]
    assert r.context["rows"][0].kind_label == "Ärende avslutat"


def test_audit_list_unknown_moderation_action_is_not_shown_as_code(client_for):
    AuditEvent.objects.create(action="moderation.item_remove", actor_label="moderator",
                              detail={"rules": ["hat"], "secret": False})
    AuditEvent.objects.create(action="moderation.something_later", actor_label="moderator")
    r = client_for("auditor").get("/granskningslogg/")
    html = _text(r)
    assert "Beslut: ta bort" in html and "Moderering" in html
    assert "moderation.item_remove" not in html.split("<tbody>")[1].replace('data-kind="moderation.item_remove"', "")


@pytest.mark.parametrize("role, status", [("auditor", 200), ("administrator", 200), ("moderator", 403),
                                          ("registrar", 403), ("archivist", 403), ("norole", 403)])
def test_audit_export_csv_permission(role, status, client_for, users):
    audit_record(actor=users["registrar"], action=AuditAction.EXPORT)
    r = client_for(role).get("/granskningslogg/export.csv")
    assert r.status_code == status


def test_audit_export_csv_anonymous_goes_to_login(client):
    r = client.get("/granskningslogg/export.csv")
    assert r.status_code == 302 and "/konto/logga-in/" in r["Location"]


def test_audit_export_csv_has_filtered_rows_in_swedish_and_is_audited(registered, client_for, users):
    case, doc = registered
    r = client_for("auditor").get("/granskningslogg/export.csv", {"action": "case_closed"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/csv")
    text = b"".join(r.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Tidpunkt (svensk tid)"
    assert len(rows) == 2
    assert rows[1][2] == "Ärende avslutat" and case.number in rows[1][4] and rows[1][3] == "Ärende"
    when = AuditEvent.objects.get(action="case_closed").at
    assert rows[1][0] == timezone.localtime(when).strftime("%Y-%m-%d %H:%M:%S")
    export = AuditEvent.objects.get(action="export", actor=users["auditor"])
    assert export.detail["event"] == "audit_export" and export.detail["filters"] == {"action": "case_closed"}


def test_user_set_roles_refuses_to_grant_a_role_to_oneself(users):
    from accounts.errors import NotPermitted

    admin = users["administrator"]
    with pytest.raises(NotPermitted) as exc:
        user_set_roles(user=admin, roles=["administrator", "auditor"], actor=admin)
    assert "En annan systemförvaltare" in exc.value.message
    assert not admin.groups.filter(name="auditor").exists()
    # Another administrator may, and removing one's own role is allowed.
    other = users["auditor"]
    user_set_roles(user=other, roles=["auditor", "registrar"], actor=admin)
    user_set_roles(user=admin, roles=[], actor=admin)
    events = AuditEvent.objects.filter(action="role_changed").order_by("id")
    assert [e.detail["after"] for e in events] == [["auditor", "registrar"], []]


def _admin_user_post(user, **changes) -> dict:
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "title": user.title, "is_active": "on",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "user_permissions": [str(pk) for pk in user.user_permissions.values_list("pk", flat=True)],
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
    }
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return data


def test_admin_role_change_of_another_user_is_an_audit_event(client_for, users):
    target = users["moderator"]
    registrar_group = Group.objects.get(name=Role.REGISTRAR)
    groups = [str(pk) for pk in target.groups.values_list("pk", flat=True)] + [str(registrar_group.pk)]
    r = client_for("administrator").post(f"/admin/accounts/user/{target.pk}/change/",
                                         _admin_user_post(target, groups=groups))
    assert r.status_code == 302, r.content.decode()[:3000]
    assert target.groups.filter(name="registrar").exists()
    event = AuditEvent.objects.get(action="role_changed", target_id=str(target.pk))
    assert event.actor == users["administrator"]
    assert event.detail == {"before": ["moderator"], "after": ["moderator", "registrar"], "source": "admin"}
    r = client_for("auditor").get("/granskningslogg/", {"action": "role_changed"})
    html = _text(r)
    assert "Roller ändrade" in html and "Registrator" in html and "administrationsgränssnittet" in html


def test_admin_permission_change_is_an_audit_event(client_for, users):
    target = users["moderator"]
    perm = Permission.objects.get(codename="view_history", content_type__app_label="accounts")
    r = client_for("administrator").post(f"/admin/accounts/user/{target.pk}/change/",
                                         _admin_user_post(target, user_permissions=[str(perm.pk)]))
    assert r.status_code == 302, r.content.decode()[:3000]
    event = AuditEvent.objects.get(action="permissions_changed", target_id=str(target.pk))
    assert event.detail["added"] == ["accounts.view_history"]
    html = _text(client_for("auditor").get("/granskningslogg/", {"action": "permissions_changed"}))
    assert "Får se ändringshistorik" in html
    assert "accounts.view_history" not in html.split("<tbody>")[1]


def test_admin_refuses_to_grant_a_role_to_oneself(client_for, users):
    admin = users["administrator"]
    auditor_group = Group.objects.get(name=Role.AUDITOR)
    groups = [str(pk) for pk in admin.groups.values_list("pk", flat=True)] + [str(auditor_group.pk)]
    r = client_for("administrator").post(f"/admin/accounts/user/{admin.pk}/change/",
                                         _admin_user_post(admin, groups=groups))
    assert r.status_code == 200
    assert "Du kan inte ge dig själv en roll" in r.content.decode()
    assert not admin.groups.filter(name="auditor").exists()
    assert not AuditEvent.objects.filter(action="role_changed").exists()


def test_admin_refuses_superuser_status_to_oneself(client_for, users):
    admin = users["administrator"]
    r = client_for("administrator").post(f"/admin/accounts/user/{admin.pk}/change/",
                                         _admin_user_post(admin, is_superuser="on"))
    assert r.status_code == 200
    assert "Du kan inte ge dig själv" in r.content.decode()
    admin.refresh_from_db()
    assert not admin.is_superuser


def test_admin_group_permission_change_is_an_audit_event(client, users):
    from tests.factories import UserFactory

    superuser = UserFactory(username="root", roles=["administrator"], is_superuser=True, is_staff=True)
    client.force_login(superuser)
    group = Group.objects.get(name=Role.MODERATOR)
    perm = Permission.objects.get(codename="view_history", content_type__app_label="accounts")
    perms = [str(pk) for pk in group.permissions.values_list("pk", flat=True)] + [str(perm.pk)]
    r = client.post(f"/admin/auth/group/{group.pk}/change/", {"name": group.name, "permissions": perms})
    assert r.status_code == 302, r.content.decode()[:3000]
    event = AuditEvent.objects.get(action="permissions_changed", target_type="auth.group")
    assert event.detail["added"] == ["accounts.view_history"]


def test_history_view_shows_times_in_local_time_and_choices_in_swedish(registered, client_for):
    case, doc = registered
    r = client_for("archivist").get(f"/historik/records/case/{case.pk}/")
    assert r.status_code == 200, r.content
    html = r.content.decode()
    assert "+00:00" not in html
    assert "Avslutat" in html or "avslutat" in html
    assert ">closed<" not in html and "→ closed" not in html


def test_admin_unit_membership_change_is_an_audit_event(client_for, users, unit):
    from tests.factories import UserFactory

    newcomer = UserFactory(username="nykomling", roles=["moderator"], units=[])
    members = [str(pk) for pk in unit.members.values_list("pk", flat=True)] + [str(newcomer.pk)]
    r = client_for("administrator").post(f"/admin/accounts/unit/{unit.pk}/change/", {
        "code": unit.code, "name": unit.name, "description": "", "parent": "", "active": "on", "members": members})
    assert r.status_code == 302, r.content.decode()[:3000]
    assert newcomer.units.filter(pk=unit.pk).exists()
    event = AuditEvent.objects.get(action="units_changed", target_type="accounts.unit")
    assert event.detail == {"members_added": ["nykomling"], "members_removed": [], "source": "admin"}
    html = client_for("auditor").get("/granskningslogg/", {"action": "units_changed"}).content.decode()
    assert "Nya medlemmar" in html and "nykomling" in html


def test_admin_new_account_is_an_audit_event(client_for, users):
    r = client_for("administrator").post("/admin/accounts/user/add/", {
        "username": "ny-handlaggare", "password1": "Ett-langt-losenord-2026", "password2": "Ett-langt-losenord-2026",
        "usable_password": "true"})
    assert r.status_code == 302, r.content.decode()[:3000]
    event = AuditEvent.objects.get(action="account_changed")
    assert event.detail["event"] == "account_created" and event.target_label.endswith(str(event.target_id))
    html = client_for("auditor").get("/granskningslogg/", {"action": "account_changed"}).content.decode()
    assert "konto skapat" in html


def test_audit_list_object_filter_matches_the_whole_number(client_for):
    wanted = AuditEvent.objects.create(action="document_registered", actor_label="registrar",
                                       target_type="records.document", target_id="3",
                                       target_label="Handling KS 2026/1-3")
    AuditEvent.objects.create(action="document_registered", actor_label="other", target_type="records.document",
                              target_id="30", target_label="Handling KS 2026/1-30")
    AuditEvent.objects.create(action="case_opened", actor_label="other", target_type="records.case",
                              target_id="1", target_label="Ärende KS 2026/1")
    r = client_for("auditor").get("/granskningslogg/", {"target": "KS 2026/1-3"})
    assert r.status_code == 200, r.content
    assert [row.event.pk for row in r.context["rows"]] == [wanted.pk]
    r = client_for("auditor").get("/granskningslogg/", {"target": "ks 2026/1"})
    assert [row.event.target_label for row in r.context["rows"]] == ["Ärende KS 2026/1"]
