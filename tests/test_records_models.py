"""The records data model: seeded reference data, constraints, secrecy helpers, admin masking."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from records import registry
from records.models import (
    Case,
    Document,
    LegalGround,
    LegalHold,
    NumberCounter,
    PurgeList,
    RegistrationReason,
    RegistrationSetting,
    RetentionClass,
    SecrecyMarking,
)
from tests.factories import (
    CaseFactory,
    DocumentFactory,
    LegalHoldFactory,
    SecrecyMarkingFactory,
    SeriesFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "Min son har fått beslut om LSS-insats och mår dåligt"


def _perms(group):
    return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=group).permissions.all()}


# --- seeded reference data ----------------------------------------------------------------------


def test_legal_grounds_are_seeded():
    codes = set(LegalGround.objects.values_list("code", flat=True))
    assert {"OSL 21 kap. 1 §", "OSL 21 kap. 3 §", "OSL 21 kap. 7 §", "OSL 26 kap. 1 §", "OSL 23 kap. 1 §",
            "OSL 18 kap. 8 §", "OSL 39 kap. 3 §", "OSL 31 kap. 16 §"} <= codes
    assert LegalGround.objects.get(code="OSL 26 kap. 1 §").title == "Socialtjänst"


def test_retention_classes_are_seeded_with_decision_data():
    classes = {c.code: c for c in RetentionClass.objects.all()}
    assert {"SM-1", "SM-2", "SM-3", "SM-4", "SM-5", "SM-6", "ÄR-1", "ÄR-2", "BAH-1", "GDPR-1"} <= set(classes)
    assert classes["SM-1"].action == "purge" and classes["SM-1"].period_days == 365
    assert "moderation.item" in classes["SM-1"].applies_to
    assert classes["ÄR-1"].action == "keep" and classes["ÄR-1"].period_days is None
    assert classes["ÄR-2"].trigger == "manual"
    assert all(c.decision_body == "Kommunstyrelsen" and c.decision_reference for c in classes.values())
    assert classes["SM-1"].due_date(datetime.date(2026, 1, 1)) == datetime.date(2027, 1, 1)
    assert classes["ÄR-1"].due_date(datetime.date(2026, 1, 1)) is None
    assert [c.code for c in RetentionClass.objects.for_type("records.disclosurerequest")] == ["BAH-1"]


def test_registration_settings_seeded_one_per_reason_not_automatic():
    settings = RegistrationSetting.objects.all()
    assert {s.reason for s in settings} == set(RegistrationReason.values)
    assert not any(s.auto_register for s in settings)


def test_roles_get_records_permissions():
    assert {"records.view_secret", "records.register_document"} <= _perms("registrar")
    assert "records.view_subjectrequest" not in _perms("registrar")
    assert "records.view_subjectrequesthit" not in _perms("registrar")
    assert "records.view_purgelist" not in _perms("registrar")
    assert {"records.approve_purgelist", "records.execute_purgelist", "records.assign_retention",
            "records.approve_subjectrequest"} <= _perms("archivist")
    for role in ("archivist", "auditor", "administrator", "moderator"):
        assert "records.view_secret" not in _perms(role)


# --- numbering and constraints ------------------------------------------------------------------


def test_series_formats_case_and_document_numbers():
    series = SeriesFactory()
    assert series.format_case_number(2026, 123) == "KS 2026/123"
    assert series.format_document_number("KS 2026/123", 4) == "KS 2026/123-4"
    series.number_format = "{series}/{year}/{number:04d}"
    assert series.format_case_number(2026, 7) == "KS/2026/0007"


def test_case_number_and_sequence_are_unique():
    case = CaseFactory(sequence=5)
    assert case.number == "KS 2026/5"
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(series=case.series, year=2026, sequence=6, number="KS 2026/5", title="Dubblett")
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(series=case.series, year=2026, sequence=5, number="KS 2026/5b", title="Dubblett")


def test_number_counter_is_unique_per_series_year_scope():
    series = SeriesFactory()
    NumberCounter.objects.create(series=series, year=2026, scope="case", last_value=3)
    NumberCounter.objects.create(series=series, year=2026, scope=NumberCounter.document_scope(1))
    NumberCounter.objects.create(series=series, year=2027, scope="case")
    with pytest.raises(IntegrityError), transaction.atomic():
        NumberCounter.objects.create(series=series, year=2026, scope="case")


def test_only_one_active_marking_per_part():
    document = DocumentFactory(secret_content=True)
    marking = document.secrecy_markings.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        SecrecyMarkingFactory(document=document, part="content")
    SecrecyMarkingFactory(document=document, part="sender")  # another part is fine
    marking.lifted_at = timezone.now()
    marking.lift_reason = "Sekretessen prövad på nytt"
    marking.save()
    SecrecyMarkingFactory(document=document, part="content")  # a lifted one no longer counts
    assert document.secrecy_markings.active().count() == 2


def test_one_live_registration_per_source():
    DocumentFactory(source_type="moderation.item", source_id="42")
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentFactory(source_type="moderation.item", source_id="42")
    DocumentFactory(source_type="moderation.item", source_id="43", voided=True)
    DocumentFactory(source_type="moderation.item", source_id="43")  # voided ones do not count


def test_purge_list_needs_two_people():
    archivist = UserFactory(username="arkivarie1")
    with pytest.raises(IntegrityError), transaction.atomic():
        PurgeList.objects.create(reference="GL-2026-001", cutoff_date=datetime.date(2026, 1, 1),
                                 proposed_by=archivist, approved_by=archivist)
    PurgeList.objects.create(reference="GL-2026-002", cutoff_date=datetime.date(2026, 1, 1),
                             proposed_by=archivist, approved_by=UserFactory(username="arkivarie2"))


def test_kept_retention_class_has_no_period():
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionClass.objects.create(code="X-1", name="Fel", action="keep", period_days=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionClass.objects.create(code="X-2", name="Fel", action="purge", trigger="arrival")


# --- secrecy helpers ----------------------------------------------------------------------------


def test_secret_parts_and_expiry():
    document = DocumentFactory(secret_sender=True)
    assert document.secret_parts() == {"sender"}
    marking = document.secrecy_markings.get()
    marking.expires_on = timezone.localdate()
    marking.save()
    assert document.secret_parts() == set()
    assert document.secret_parts(on=timezone.localdate() - datetime.timedelta(days=1)) == {"sender"}


def test_with_secrecy_prefetches(django_assert_num_queries):
    DocumentFactory(secret_content=True)
    DocumentFactory(secret_sender=True)
    DocumentFactory()
    documents = list(Document.objects.with_secrecy().order_by("id"))
    with django_assert_num_queries(0):
        assert [d.secret_parts() for d in documents] == [{"content"}, {"sender"}, set()]


def test_history_hidden_fields_registrar_none_auditor_secret_parts(users):
    document = DocumentFactory(secret_content=True, secret_sender=True)
    assert document.history_hidden_fields(users["registrar"]) == set()
    assert document.history_hidden_fields(users["auditor"]) == {
        "sender", "content", "content_meta", "content_sha256"}
    assert DocumentFactory().history_hidden_fields(users["auditor"]) == set()


def test_visible_to_follows_view_permission(users):
    DocumentFactory()
    assert Document.objects.visible_to(users["registrar"]).count() == 1
    assert Document.objects.visible_to(users["auditor"]).count() == 1
    assert Document.objects.visible_to(users["moderator"]).count() == 0
    assert Case.objects.visible_to(users["norole"]).count() == 0


def test_public_excludes_voided_and_purged():
    keep = DocumentFactory()
    DocumentFactory(voided=True)
    DocumentFactory(purged_at=timezone.now())
    assert list(Document.objects.public()) == [keep]


def test_factory_traits():
    outgoing = DocumentFactory(outgoing=True)
    assert outgoing.direction == "outgoing" and not outgoing.sender_is_private_person
    voided = DocumentFactory(voided=True)
    assert voided.voided and voided.voided_at and voided.void_reason
    assert SecrecyMarking.objects.filter(document=DocumentFactory(secret_sender=True),
                                         legal_ground__code="OSL 21 kap. 3 §").exists()


def test_legal_hold_active_until_end_date_inclusive():
    today = timezone.localdate()
    hold = LegalHoldFactory(target_id="7", ends_on=today)
    LegalHoldFactory(target_id="8", released_at=timezone.now())
    assert list(LegalHold.objects.active()) == [hold]
    assert not LegalHold.objects.active(on=today + datetime.timedelta(days=1)).exists()
    assert LegalHold.objects.for_target("records.document", 7).get() == hold


def test_audit_labels_hold_no_personal_data():
    document = DocumentFactory(secret_sender=True)
    assert document.audit_label == f"Handling {document.number}"
    assert "Anna" not in document.audit_label and "Anna" not in str(document)


# --- admin --------------------------------------------------------------------------------------


@pytest.fixture
def admin_reader(db):
    """An administrator who may also read records (auditor): sees documents but not secrets."""
    return UserFactory(username="admin_granskare", roles=["administrator", "auditor"])


def test_admin_document_change_page_hides_secret_content(client, client_for, admin_reader):
    document = DocumentFactory(secret_content=True, content=SECRET, sender="Cecilia Carlsson")
    url = f"/admin/records/document/{document.pk}/change/"
    # The administrator role alone may not read documents at all.
    response = client_for("administrator").get(url)
    assert response.status_code == 403
    assert SECRET not in response.content.decode()

    client.force_login(admin_reader)
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert document.number in body
    assert "Cecilia Carlsson" in body  # the sender is not secret here
    assert SECRET not in body
    assert document.content_sha256 not in body

    listing = client.get("/admin/records/document/", {"q": "LSS"})
    assert listing.status_code == 200
    assert SECRET not in listing.content.decode()


def test_admin_document_list_and_history_mask_secret_sender(client, admin_reader):
    document = DocumentFactory(secret_sender=True, sender="Hemlig Person")
    document.sender = "Hemlig Person Ändrad"
    document.save()
    client.force_login(admin_reader)
    for url in ("/admin/records/document/", f"/admin/records/document/{document.pk}/history/",
                f"/admin/records/document/{document.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Hemlig Person" not in response.content.decode(), url
    # A user allowed to see secrets (here a superuser) does see them on the same pages.
    client.force_login(UserFactory(username="root", is_superuser=True))
    for url in (f"/admin/records/document/{document.pk}/history/", f"/admin/records/document/{document.pk}/change/"):
        assert "Hemlig Person Ändrad" in client.get(url).content.decode(), url


def test_admin_document_is_never_deletable(client, admin_reader):
    document = DocumentFactory()
    superuser = UserFactory(username="root", is_superuser=True)
    for user in (admin_reader, superuser):
        client.force_login(user)
        response = client.post(f"/admin/records/document/{document.pk}/delete/", {"post": "yes"})
        assert response.status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()


# --- registry -----------------------------------------------------------------------------------


def test_registry_register_and_look_up():
    adapter = registry.SourceAdapter(
        type="test.thing", label="Sak", snapshot=lambda pk: {"text": pk}, url=lambda pk: None,
        mark_registered=lambda pk, doc: None,
    )
    try:
        registry.register_source(adapter)
        registry.register_source(adapter)  # registering again replaces, never duplicates
        assert registry.source("test.thing") is adapter
        assert [a.type for a in registry.sources()].count("test.thing") == 1
        with pytest.raises(LookupError):
            registry.source("test.nothing")
        hit = registry.SubjectHit(type="test.thing", id="1", label="KS 2026/1-1", why="namn", registered=True)
        assert registry.SubjectQuery(name="Bertil").is_empty() is False and hit.registered
    finally:
        registry.unregister("test.thing")
