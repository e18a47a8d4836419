"""Legal holds: manual and from a disclosure refusal stop purges (at draft and at execution) and erasures."""

import datetime as dt

import pytest

from accounts.errors import DomainError
from records.models import LegalHold, PurgeLineStatus
from records.retention.services.holds import is_on_hold, legal_hold_place, legal_hold_release
from records.retention.services.plan import retention_assign
from records.retention.services.purge import (
    purge_list_approve,
    purge_list_draft,
    purge_list_execute,
    purge_list_propose,
)
from tests.factories import CaseFactory, DisclosureRequestFactory, DocumentFactory, ItemFactory

pytestmark = pytest.mark.django_db

OLD = dt.datetime(2024, 1, 10, tzinfo=dt.UTC)


def test_legal_hold_place_manual_on_item_blocks_draft(users):
    item = ItemFactory(received_at=OLD)
    retention_assign(target_type="moderation.item", objects=[item])
    hold = legal_hold_place(target_type="moderation.item", target_id=item.pk, reason="Utredning",
                            actor=users["archivist"])
    assert is_on_hold("moderation.item", item.pk)
    assert purge_list_draft(actor=users["archivist"], target_types=["moderation.item"]) is None
    legal_hold_release(hold=hold, actor=users["archivist"], reason="Utredningen klar")
    assert not is_on_hold("moderation.item", item.pk)
    assert purge_list_draft(actor=users["archivist"], target_types=["moderation.item"]).lines.count() == 1


def test_legal_hold_on_channel_covers_items(users):
    item = ItemFactory(received_at=OLD)
    legal_hold_place(target_type="moderation.channel", target_id=item.channel_id, reason="Tvist",
                     actor=users["archivist"])
    assert is_on_hold("moderation.item", item.pk)


def test_legal_hold_expired_no_longer_holds(users):
    item = ItemFactory(received_at=OLD)
    LegalHold.objects.create(target_type="moderation.item", target_id=str(item.pk), reason="Gammal",
                             ends_on=dt.date(2025, 1, 1))
    assert not is_on_hold("moderation.item", item.pk)


def test_legal_hold_place_without_reason_refused(users):
    with pytest.raises(DomainError):
        legal_hold_place(target_type="records.case", target_id=1, reason=" ", actor=users["archivist"])


def test_legal_hold_from_disclosure_refusal_stops_purge_at_execution(users, make_user):
    archivist2 = make_user("archivist", username="archivist2")
    case = CaseFactory(status="closed", closed_at=dt.date(2023, 1, 1))
    doc = DocumentFactory(case=case, reason="removed_inappropriate")
    retention_assign(target_type="records.document", objects=[doc])
    pl = purge_list_draft(actor=users["archivist"], target_types=["records.document"])
    purge_list_propose(purge_list=pl, actor=users["archivist"])
    purge_list_approve(purge_list=pl, actor=archivist2)
    # What the disclosure engineer's refusal does: a hold on the refused document.
    request = DisclosureRequestFactory()
    LegalHold.objects.create(target_type="records.document", target_id=str(doc.pk), reason="Avslag, överklagbart",
                             source="disclosure_refusal", disclosure_request=request)
    purge_list_execute(purge_list=pl, actor=archivist2)
    line = pl.lines.get()
    assert line.status == PurgeLineStatus.REFUSED and "Spärr" in line.error
    doc.refresh_from_db()
    assert doc.purged_at is None and doc.content


def test_legal_hold_on_case_covers_its_documents(users):
    doc = DocumentFactory(reason="removed_inappropriate")
    legal_hold_place(target_type="records.case", target_id=doc.case_id, reason="Överklagat",
                     actor=users["archivist"])
    assert is_on_hold("records.document", doc.pk)
