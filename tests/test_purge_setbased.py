"""The set-based purge path (items): decision notes and sanction reasons scrubbed, refusals with reasons,
a fixed number of queries per batch, and the daily draft enqueued once a day by run_scheduled."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation.models import Decision, Item, Sanction
from records.models import PurgeLine, PurgeListStatus, Tombstone
from records.retention.services.holds import legal_hold_place
from records.retention.services.plan import retention_assign
from records.retention.services.purge import (
    purge_list_approve,
    purge_list_draft,
    purge_list_execute,
    purge_list_propose,
)
from tests.factories import DecisionFactory, ItemFactory
from tests.test_purge import _tables_containing

pytestmark = pytest.mark.django_db

OLD = dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC)
UNIQUE = "Qwertzuiop-citat-0815"


@pytest.fixture
def archivists(users, make_user):
    users["archivist2"] = make_user("archivist", username="archivist2")
    return users


def _due(n, **kwargs):
    items = [ItemFactory(received_at=OLD + dt.timedelta(minutes=i), text=f"Kommentar {i}", **kwargs)
             for i in range(n)]
    retention_assign(target_type="moderation.item", objects=items)
    return items


def _approve(users):
    pl = purge_list_draft(actor=users["archivist"], target_types=["moderation.item"])
    purge_list_propose(purge_list=pl, actor=users["archivist"])
    purge_list_approve(purge_list=pl, actor=users["archivist2"])
    return pl


def test_purge_execute_decision_note_and_sanction_reason_scrubbed_with_history(archivists):
    (item,) = _due(1)
    decision = DecisionFactory(item=item, note=f"Citerar: {UNIQUE}")  # its history row holds the note too
    Sanction.objects.create(author=item.author, channel=item.channel, kind="warning", decision=decision,
                            reason=f"Skrev {UNIQUE}")
    Sanction.objects.create(author=item.author, channel=item.channel, kind="warning", item=item,
                            reason=f"Igen {UNIQUE}")
    pl = _approve(archivists)
    result = purge_list_execute(purge_list=pl, actor=archivists["archivist2"])
    assert result["done"] == 1 and result["status"] == PurgeListStatus.EXECUTED
    assert Decision.objects.get(pk=decision.pk).note == "[gallrad]"
    assert _tables_containing(UNIQUE) == []


def test_purge_execute_changed_and_held_items_refused_with_reason(archivists):
    changed, held, fine = _due(3)
    pl = _approve(archivists)
    Item.objects.filter(pk=changed.pk).update(text="Ändrad efter godkännandet")
    legal_hold_place(target_type="moderation.item", target_id=held.pk, reason="Utredning",
                     actor=archivists["archivist"])
    result = purge_list_execute(purge_list=pl, actor=archivists["archivist2"])
    assert (result["done"], result["refused"]) == (1, 2)
    errors = dict(PurgeLine.objects.filter(purge_list=pl).values_list("target_id", "error"))
    assert errors[str(changed.pk)] == "Objektet har ändrats sedan listan godkändes."
    assert errors[str(held.pk)] == "Spärr mot gallring."
    assert errors[str(fine.pk)] == ""
    assert set(Tombstone.objects.values_list("target_id", flat=True)) == {str(fine.pk)}
    assert Item.objects.get(pk=changed.pk).text == "Ändrad efter godkännandet"


def test_purge_execute_queries_same_for_any_batch_size(archivists):
    counts = []
    for n in (3, 30):
        _due(n, channel=ItemFactory().channel)
        pl = _approve(archivists)
        with CaptureQueriesContext(connection) as ctx:
            result = purge_list_execute(purge_list=pl, actor=archivists["archivist2"], batch_size=100)
        assert result["done"] == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_run_scheduled_purge_draft_enqueued_once_a_day(capsys):
    from config.scheduling.models import ScheduledJob

    call_command("run_scheduled")
    assert "purge_draft_daily [" in (out := capsys.readouterr().out) and "gallringslista" in out
    call_command("run_scheduled")
    assert "gallringslista" not in capsys.readouterr().out
    row = ScheduledJob.objects.get(name="purge_draft_daily")  # in the database, not in a local file
    assert row.runs == 1 and row.next_run_at > timezone.now()
