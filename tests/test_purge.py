"""Purge lists: draft, four eyes, execution in batches (crash + resume), tombstones, scrubbing everywhere."""

import dataclasses
import datetime as dt

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from accounts.errors import DomainError, TransitionNotAllowed
from moderation.models import Flag, Item, ItemVersion, PlatformAction, WebhookDelivery
from records import registry
from records.models import PurgeLine, PurgeLineStatus, PurgeList, PurgeListStatus, Tombstone
from records.retention.services.holds import legal_hold_place
from records.retention.services.plan import retention_assign
from records.retention.services.purge import (
    purge_line_exclude,
    purge_list_approve,
    purge_list_draft,
    purge_list_execute,
    purge_list_propose,
)
from tests.factories import FlagFactory, ItemFactory, PlatformActionFactory

pytestmark = pytest.mark.django_db

OLD = dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC)
UNIQUE = "Zyxwvutsrq-hemlig-fras-4711"


def _due_items(n, text=None, **kwargs):
    items = [ItemFactory(received_at=OLD + dt.timedelta(minutes=i), text=text or f"Gammal kommentar {i}", **kwargs)
             for i in range(n)]
    retention_assign(target_type="moderation.item", objects=items)
    return items


def _approved(users, **kwargs):
    pl = purge_list_draft(actor=users["archivist"], target_types=["moderation.item"], **kwargs)
    purge_list_propose(purge_list=pl, actor=users["archivist"])
    purge_list_approve(purge_list=pl, actor=users["archivist2"])
    return pl


@pytest.fixture
def archivists(users, make_user):
    users["archivist2"] = make_user("archivist", username="archivist2")
    return users


def test_purge_list_draft_due_items_lines_with_fingerprint(archivists):
    items = _due_items(3)
    fresh = ItemFactory(received_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    retention_assign(target_type="moderation.item", objects=[fresh])
    pl = purge_list_draft(actor=archivists["archivist"], target_types=["moderation.item"])
    lines = list(pl.lines.all())
    assert {line.target_id for line in lines} == {str(i.pk) for i in items}
    assert all(len(line.fingerprint) == 64 and line.retention_class.code == "SM-1" for line in lines)
    # A second draft does not list what is already on an open list.
    assert purge_list_draft(actor=archivists["archivist"], target_types=["moderation.item"]) is None


def test_purge_list_approve_by_proposer_refused(archivists):
    _due_items(1)
    pl = purge_list_draft(actor=archivists["archivist"], target_types=["moderation.item"])
    purge_list_propose(purge_list=pl, actor=archivists["archivist"])
    with pytest.raises(DomainError, match="fyraögonsprincipen"):
        purge_list_approve(purge_list=pl, actor=archivists["archivist"])
    purge_list_approve(purge_list=pl, actor=archivists["archivist2"])
    pl.refresh_from_db()
    assert pl.status == PurgeListStatus.APPROVED and pl.approved_by == archivists["archivist2"]


def test_purge_list_four_eyes_database_constraint_refuses_same_person(archivists):
    _due_items(1)
    pl = purge_list_draft(actor=archivists["archivist"], target_types=["moderation.item"])
    with pytest.raises(IntegrityError), transaction.atomic():
        PurgeList.objects.filter(pk=pl.pk).update(proposed_by=archivists["archivist"],
                                                   approved_by=archivists["archivist"])


def test_purge_list_execute_unapproved_refused(archivists):
    _due_items(1)
    pl = purge_list_draft(actor=archivists["archivist"], target_types=["moderation.item"])
    with pytest.raises(TransitionNotAllowed):
        purge_list_execute(purge_list=pl, actor=archivists["archivist2"])


def test_purge_list_execute_scrubs_everywhere_and_leaves_tombstones(archivists):
    (item,) = _due_items(1, text=f"Ring mig på 070-1234567, {UNIQUE}")
    ItemVersion.objects.create(item=item, number=1, text=item.text)
    FlagFactory(item=item, spans=[{"start": 0, "end": 4, "term": UNIQUE}], matched_terms=[UNIQUE],
                detail=f"Träff: {UNIQUE}")
    PlatformActionFactory(item=item, payload={"message": UNIQUE})
    WebhookDelivery.objects.create(channel=item.channel, platform="facebook",
                                   body=f'{{"id": "{item.external_id}", "message": "{UNIQUE}"}}'.encode())
    item.text = f"{UNIQUE} (redigerad)"
    item.save()  # a second history row with the text
    item = Item.objects.get(pk=item.pk)
    retention_assign(target_type="moderation.item", objects=[item])
    pl = _approved(archivists)
    result = purge_list_execute(purge_list=pl, actor=archivists["archivist2"], batch_size=10)
    assert result["done"] == 1 and result["status"] == PurgeListStatus.EXECUTED
    item.refresh_from_db()
    assert item.purged_at and item.text == "" and item.raw == {} and item.author_id is None
    assert not ItemVersion.objects.filter(item=item).exists()
    assert Flag.objects.get(item=item).matched_terms == []
    assert PlatformAction.objects.get(item=item).payload == {}
    stone = Tombstone.objects.get(target_type="moderation.item", target_id=str(item.pk))
    assert stone.purge_list == pl and stone.retention_class_code == "SM-1"
    assert stone.created_date == dt.date(2025, 1, 10) and stone.basis_reference == pl.reference
    assert _tables_containing(UNIQUE) == []
    assert _tables_containing("1234567") == []


def _tables_containing(needle: str) -> list[str]:
    """Every model (historical ones included) with a text, char, JSON or binary field holding needle."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        fields = [f for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField | models.JSONField | models.BinaryField)]
        for f in fields:
            if isinstance(f, models.BinaryField):
                if any(needle.encode() in bytes(v or b"") for v in model._default_manager.values_list(f.attname,
                                                                                                   flat=True)):
                    found.append(f"{model._meta.label}.{f.name}")
            elif isinstance(f, models.JSONField):
                if any(needle in str(v) for v in model._default_manager.values_list(f.attname, flat=True)):
                    found.append(f"{model._meta.label}.{f.name}")
            elif model._default_manager.filter(**{f"{f.attname}__contains": needle}).exists():
                found.append(f"{model._meta.label}.{f.name}")
    return found


def test_tombstone_has_no_personal_data(archivists):
    (item,) = _due_items(1, text=UNIQUE)
    name = item.author.display_name
    pl = _approved(archivists)
    purge_list_execute(purge_list=pl, actor=archivists["archivist2"])
    stone = Tombstone.objects.get(target_id=str(item.pk))
    values = " ".join(str(getattr(stone, f.attname)) for f in Tombstone._meta.concrete_fields)
    assert UNIQUE not in values and name not in values


def test_purge_list_execute_crash_in_second_batch_then_rerun_finishes_once(archivists, monkeypatch):
    items = _due_items(5)
    pl = _approved(archivists)
    original = registry.retention_target("moderation.item")
    calls = {"n": 0}

    def crashing(ids, context):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("strömavbrott")
        return original.scrub(ids, context)

    monkeypatch.setitem(registry._retention_targets, "moderation.item", dataclasses.replace(original, scrub=crashing))
    with pytest.raises(RuntimeError):
        purge_list_execute(purge_list=pl, actor=archivists["archivist2"], batch_size=2)
    pl.refresh_from_db()
    assert pl.status == PurgeListStatus.EXECUTING
    assert pl.lines.filter(status=PurgeLineStatus.DONE).count() == 2
    assert pl.lines.filter(status=PurgeLineStatus.PENDING).count() == 3
    assert Item.objects.filter(purged_at__isnull=False).count() == 2  # the 2nd batch rolled back entirely

    monkeypatch.setitem(registry._retention_targets, "moderation.item", original)
    seen = []
    result = purge_list_execute(purge_list=pl, actor=archivists["archivist2"], batch_size=2,
                                progress=lambda done, total: seen.append((done, total)))
    assert result["done"] == 5 and result["refused"] == 0 and result["status"] == PurgeListStatus.EXECUTED
    assert seen[-1] == (5, 5)
    assert Tombstone.objects.filter(purge_list=pl).count() == 5
    assert Item.objects.filter(pk__in=[i.pk for i in items], purged_at__isnull=True).count() == 0
    # Idempotent: a third run changes nothing.
    again = purge_list_execute(purge_list=pl, actor=archivists["archivist2"])
    assert again["done"] == 5 and Tombstone.objects.count() == 5


def test_purge_list_execute_changed_since_approval_refused(archivists):
    item, other = _due_items(2)
    pl = _approved(archivists)
    Item.objects.filter(pk=item.pk).update(text="Ny text efter godkännandet", version=2)
    purge_list_execute(purge_list=pl, actor=archivists["archivist2"])
    line = pl.lines.get(target_id=str(item.pk))
    assert line.status == PurgeLineStatus.REFUSED and "ändrats" in line.error
    assert Item.objects.get(pk=item.pk).text == "Ny text efter godkännandet"
    assert pl.lines.get(target_id=str(other.pk)).status == PurgeLineStatus.DONE


def test_purge_list_execute_not_yet_due_refused(archivists):
    (item,) = _due_items(1)
    pl = _approved(archivists)
    # The plan changed in between (due moved into the future): refused, never purged early.
    PurgeLine.objects.filter(purge_list=pl).update(fingerprint="")
    Item.objects.filter(pk=item.pk).update(retention_due=dt.date(2099, 1, 1))
    purge_list_execute(purge_list=pl, actor=archivists["archivist2"])
    line = pl.lines.get()
    assert line.status == PurgeLineStatus.REFUSED and "inte löpt ut" in line.error
    assert Item.objects.get(pk=item.pk).purged_at is None


def test_purge_list_execute_hold_placed_after_approval_refused(archivists):
    (item,) = _due_items(1)
    pl = _approved(archivists)
    legal_hold_place(target_type="moderation.author", target_id=item.author_id, reason="Polisutredning",
                     actor=archivists["archivist"])
    purge_list_execute(purge_list=pl, actor=archivists["archivist2"])
    line = pl.lines.get()
    assert line.status == PurgeLineStatus.REFUSED and "Spärr" in line.error
    assert Item.objects.get(pk=item.pk).text


def test_purge_line_exclude_skipped_not_purged(archivists):
    item, other = _due_items(2)
    pl = purge_list_draft(actor=archivists["archivist"], target_types=["moderation.item"])
    purge_line_exclude(line=pl.lines.get(target_id=str(item.pk)), actor=archivists["archivist"],
                       reason="Behövs i pågående ärende")
    purge_list_propose(purge_list=pl, actor=archivists["archivist"])
    purge_list_approve(purge_list=pl, actor=archivists["archivist2"])
    purge_list_execute(purge_list=pl, actor=archivists["archivist2"])
    assert Item.objects.get(pk=item.pk).purged_at is None
    assert Item.objects.get(pk=other.pk).purged_at is not None


# --- stored files go only after the commit ----------------------------------------------------------


def _subject_request_with_letter(archivists, tmp_path, settings):
    from records.gdpr.services import subject_request_create, subject_request_extract
    from records.models import DisclosureDecisionLetter, SubjectRequest

    settings.MEDIA_ROOT = str(tmp_path)
    r = subject_request_create(kind="access", requester_name="Siri", requester_contact="x",
                               identifiers={"name": "Siri Sökdotter"}, actor=archivists["archivist"])
    subject_request_extract(request=r, actor=archivists["archivist"], format="pdf")
    SubjectRequest.objects.filter(pk=r.pk).update(retention_due=dt.date(2025, 1, 1))
    letter = DisclosureDecisionLetter.objects.get(subject_request=r)
    path = tmp_path / letter.pdf.name
    assert path.exists()
    pl = purge_list_draft(actor=archivists["archivist"], target_types=["records.subjectrequest"])
    purge_list_propose(purge_list=pl, actor=archivists["archivist"])
    purge_list_approve(purge_list=pl, actor=archivists["archivist2"])
    return r, letter, path, pl


def test_purge_crash_after_letters_deleted_keeps_row_and_file(archivists, tmp_path, settings, monkeypatch):
    from records.models import DisclosureDecisionLetter
    from records.retention.services import targets

    r, letter, path, pl = _subject_request_with_letter(archivists, tmp_path, settings)
    real = targets.history_delete

    def crash(model, ids):
        if model.__name__ == "SubjectRequest":
            raise RuntimeError("strömavbrott efter att breven tagits bort")
        return real(model, ids)

    monkeypatch.setattr(targets, "history_delete", crash)
    with pytest.raises(RuntimeError):
        purge_list_execute(purge_list=pl, actor=archivists["archivist2"])
    # The batch rolled back: the letter's row is back, and its file was never touched.
    assert DisclosureDecisionLetter.objects.filter(pk=letter.pk).exists()
    assert path.exists()


def test_purge_deletes_letter_file_only_on_commit(archivists, tmp_path, settings, django_capture_on_commit_callbacks):
    from records.models import DisclosureDecisionLetter

    r, letter, path, pl = _subject_request_with_letter(archivists, tmp_path, settings)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        purge_list_execute(purge_list=pl, actor=archivists["archivist2"])
        assert not DisclosureDecisionLetter.objects.filter(pk=letter.pk).exists()
        assert path.exists()  # still there until the commit
    assert callbacks
    for callback in callbacks:
        callback()
    assert not path.exists()


def test_purge_batch_task_twice_changes_nothing_twice(archivists):
    from records.models import PurgeBatch
    from records.retention.tasks import purge_batch_task

    _due_items(3)
    pl = _approved(archivists)
    purge_list_execute(purge_list=pl, actor=archivists["archivist2"])
    stones, batches = Tombstone.objects.count(), PurgeBatch.objects.count()
    assert purge_batch_task.call(pl.pk) == 0
    assert purge_batch_task.call(pl.pk) == 0
    assert (Tombstone.objects.count(), PurgeBatch.objects.count()) == (stones, batches)


def test_daily_task_resumes_list_left_executing(archivists):
    """A worker died mid-list (here: the first run stops after one batch); the daily task re-enqueues
    the list's batch tasks and it finishes, every line once."""
    from records.models import PurgeBatch
    from records.retention.services import execution
    from records.retention.tasks import purge_lists_draft_daily

    items = _due_items(5)
    pl = _approved(archivists)
    execution.purge_list_start(purge_list=pl, actor=archivists["archivist2"])
    execution.purge_batch_run(purge_list_id=pl.pk, batch_size=2)
    pl.refresh_from_db()
    assert pl.status == PurgeListStatus.EXECUTING
    purge_lists_draft_daily.call()
    pl.refresh_from_db()
    assert pl.status == PurgeListStatus.EXECUTED
    assert pl.lines.filter(status=PurgeLineStatus.DONE).count() == 5
    assert sum(PurgeBatch.objects.filter(purge_list=pl).values_list("lines", flat=True)) == 5
    assert Item.objects.filter(pk__in=[i.pk for i in items], purged_at__isnull=True).count() == 0
