"""The information management plan applied: classes by rule, due dates by trigger, reassignment, recompute."""

import datetime as dt

import pytest

from accounts.errors import DomainError
from accounts.models import AuditEvent
from moderation.models import Author, Item, PublicReport
from records.models import Document, RetentionClass
from records.retention.services.plan import retention_assign, retention_reassign, retention_recompute
from tests.factories import CaseFactory, DocumentFactory, ItemFactory, PublicReportFactory

pytestmark = pytest.mark.django_db

ARRIVED = dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC)


def test_retention_assign_plain_item_sm1_due_one_year_after_arrival():
    item = ItemFactory(received_at=ARRIVED)
    retention_assign(target_type="moderation.item", objects=[item])
    item.refresh_from_db()
    assert item.retention_class_code == "SM-1"
    assert item.retention_due == dt.date(2026, 1, 10)


def test_retention_assign_secret_item_sm3_from_decision():
    item = ItemFactory(secret=True, received_at=ARRIVED, decided_at=ARRIVED + dt.timedelta(days=2))
    retention_assign(target_type="moderation.item", ids=[item.pk])
    item.refresh_from_db()
    assert item.retention_class_code == "SM-3" and item.retention_due == dt.date(2027, 1, 12)


def test_retention_assign_registered_removed_item_follows_document():
    item = ItemFactory(received_at=ARRIVED)
    case = CaseFactory(status="closed", closed_at=dt.date(2025, 6, 30))
    doc = DocumentFactory(case=case, reason="removed_inappropriate", source_type="moderation.item",
                          source_id=str(item.pk))
    retention_assign(target_type="records.document", objects=[doc])
    retention_assign(target_type="records.case", objects=[case])
    retention_assign(target_type="moderation.item", objects=[item])
    doc.refresh_from_db()
    case.refresh_from_db()
    item.refresh_from_db()
    assert doc.retention_class.code == "SM-2" and doc.retention_due == dt.date(2027, 6, 30)
    assert case.retention_class.code == "SM-2"
    assert item.retention_class_code == "SM-2" and item.retention_due == dt.date(2027, 6, 30)


def test_retention_assign_document_adds_to_case_kept():
    doc = DocumentFactory(reason="adds_to_case")
    retention_assign(target_type="records.document", objects=[doc])
    retention_assign(target_type="records.case", objects=[doc.case])
    doc = Document.objects.get(pk=doc.pk)
    assert doc.retention_class.code == "ÄR-1" and doc.retention_due is None
    assert doc.case.retention_class.code == "ÄR-1"


def test_retention_assign_report_sm4_author_sm5_last_activity():
    report = PublicReportFactory(created_at=ARRIVED)
    item = ItemFactory(received_at=ARRIVED + dt.timedelta(days=30))
    retention_assign(target_type="moderation.publicreport", objects=[report])
    retention_assign(target_type="moderation.author", objects=[item.author])
    report = PublicReport.objects.get(pk=report.pk)
    author = Author.objects.get(pk=item.author_id)
    assert report.retention_class_code == "SM-4" and report.retention_due == dt.date(2026, 1, 10)
    assert author.retention_class_code == "SM-5" and author.retention_due == dt.date(2026, 2, 9)


def test_retention_reassign_archivist_audited_with_history(users):
    item = ItemFactory(received_at=ARRIVED)
    retention_assign(target_type="moderation.item", objects=[item])
    keep = RetentionClass.objects.get(code="ÄR-2")
    retention_reassign(target_type="moderation.item", target_id=item.pk, retention_class=keep,
                       actor=users["archivist"], reason="Behövs för verksamheten")
    item.refresh_from_db()
    assert item.retention_class_code == "ÄR-2" and item.retention_due is None  # manual: no date
    assert item.history.first().history_change_reason.startswith("Gallringsklass ändrad")
    assert AuditEvent.objects.filter(target_id=str(item.pk), detail__event="retention_reassign").exists()


def test_retention_reassign_without_reason_refused(users):
    item = ItemFactory(received_at=ARRIVED)
    with pytest.raises(DomainError):
        retention_reassign(target_type="moderation.item", target_id=item.pk,
                           retention_class=RetentionClass.objects.get(code="SM-1"), actor=users["archivist"],
                           reason="")


def test_retention_recompute_fills_missing_keeps_override(users):
    plain = ItemFactory(received_at=ARRIVED)
    overridden = ItemFactory(received_at=ARRIVED)
    Item.objects.filter(pk=overridden.pk).update(retention_class_code="SM-3")
    counts = retention_recompute(target_type="moderation.item", batch_size=1)
    assert counts["moderation.item"] == 2
    assert Item.objects.get(pk=plain.pk).retention_class_code == "SM-1"
    o = Item.objects.get(pk=overridden.pk)
    assert o.retention_class_code == "SM-3" and o.retention_due == dt.date(2027, 1, 10)
