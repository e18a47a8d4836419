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


# --- one rule, every phase -----------------------------------------------------------------------------
# A due comment registered as a document in a closed case: a hold on the item, the document, the case,
# the author or the channel must stop it at the draft, at execution (the set-based SQL path) and at an
# erasure alike. Each hold kind's coverage lives in one function (RetentionTarget.held_q); if any one
# of them (say, the channel-wide hold in the items' SQL) stops covering, a case here fails.

HOLD_KINDS = ["moderation.item", "records.document", "records.case", "moderation.author", "moderation.channel"]


@pytest.fixture
def registered_comment(users, make_user):
    from records.retention.services.plan import retention_assign
    from tests.factories import AuthorFactory, ChannelFactory

    users["archivist2"] = make_user("archivist", username="archivist2")
    channel = ChannelFactory()
    author = AuthorFactory(channel=channel, external_id="hold.subject", display_name="Hilda Hållsdotter")
    item = ItemFactory(channel=channel, author=author, received_at=OLD, text="Hilda skriver om parken")
    case = CaseFactory(status="closed", closed_at=dt.date(2023, 1, 1))
    doc = DocumentFactory(case=case, reason="removed_inappropriate", source_type="moderation.item",
                          source_id=str(item.pk), sender="Hilda Hållsdotter")
    retention_assign(target_type="records.document", objects=[doc])
    retention_assign(target_type="moderation.item", objects=[item])
    ids = {"moderation.item": item.pk, "records.document": doc.pk, "records.case": case.pk,
           "moderation.author": author.pk, "moderation.channel": channel.pk}
    return {"item": item, "doc": doc, "ids": ids, "users": users}


def _hold(world, kind):
    legal_hold_place(target_type=kind, target_id=world["ids"][kind], reason="Begäran om allmän handling",
                     actor=world["users"]["archivist"])


def _draft(world):
    return purge_list_draft(actor=world["users"]["archivist"], target_types=["moderation.item", "records.document"])


def test_registered_comment_is_due_without_a_hold(registered_comment):
    pl = _draft(registered_comment)
    item, doc = registered_comment["item"], registered_comment["doc"]
    assert {(line.target_type, line.target_id) for line in pl.lines.all()} == {
        ("moderation.item", str(item.pk)), ("records.document", str(doc.pk))}


@pytest.mark.parametrize("kind", HOLD_KINDS)
def test_hold_stops_draft(registered_comment, kind):
    _hold(registered_comment, kind)
    assert _draft(registered_comment) is None
    assert is_on_hold("moderation.item", registered_comment["item"].pk)
    assert is_on_hold("records.document", registered_comment["doc"].pk)


@pytest.mark.parametrize("kind", HOLD_KINDS)
def test_hold_placed_after_approval_stops_execution(registered_comment, kind):
    users = registered_comment["users"]
    pl = _draft(registered_comment)
    purge_list_propose(purge_list=pl, actor=users["archivist"])
    purge_list_approve(purge_list=pl, actor=users["archivist2"])
    _hold(registered_comment, kind)
    result = purge_list_execute(purge_list=pl, actor=users["archivist2"])
    assert (result["done"], result["refused"]) == (0, 2)
    assert set(pl.lines.values_list("error", flat=True)) == {"Spärr mot gallring."}
    from moderation.models import Item
    from records.models import Document

    assert Item.objects.get(pk=registered_comment["item"].pk).text
    assert Document.objects.get(pk=registered_comment["doc"].pk).content


@pytest.mark.parametrize("kind", HOLD_KINDS)
def test_hold_stops_erasure(registered_comment, kind):
    from records.gdpr.erasure import subject_request_approve_erasure, subject_request_propose_erasure
    from records.gdpr.services import subject_request_create, subject_request_search
    from records.models import HitOutcome

    users = registered_comment["users"]
    # Due and not registered would be erasable: make the item's class allow it, so only the hold stops it.
    _hold(registered_comment, kind)
    r = subject_request_create(kind="erasure", requester_name="Hilda", requester_contact="x",
                               identifiers={"platform_account": "hold.subject"}, actor=users["archivist"])
    hits = [h for h in subject_request_search(request=r, actor=users["archivist"])
            if h.target_type in ("moderation.item", "records.document")]
    assert len(hits) == 2
    subject_request_propose_erasure(request=r, hits=hits, actor=users["archivist"])
    subject_request_approve_erasure(request=r, actor=users["archivist2"])
    outcomes = set(r.hits.filter(pk__in=[h.pk for h in hits]).values_list("outcome", flat=True))
    assert outcomes == {HitOutcome.REFUSED_HOLD}


def test_due_unregistered_comment_erased_without_hold_refused_with_channel_hold(users, make_user):
    """The channel-wide hold in the erasure path: the same rule as the purge's SQL."""
    from moderation.models import Item
    from records.gdpr.erasure import subject_request_approve_erasure, subject_request_propose_erasure
    from records.gdpr.services import subject_request_create, subject_request_search
    from records.models import HitOutcome
    from records.retention.services.plan import retention_assign
    from tests.factories import AuthorFactory

    archivist2 = make_user("archivist", username="archivist2")
    free, held = (ItemFactory(received_at=OLD, text=f"Kommentar {n}") for n in range(2))
    for item, name in ((free, "fri.person"), (held, "hallen.person")):
        Item.objects.filter(pk=item.pk).update(author=AuthorFactory(channel=item.channel, external_id=name))
    retention_assign(target_type="moderation.item", ids=[free.pk, held.pk])
    legal_hold_place(target_type="moderation.channel", target_id=held.channel_id, reason="Tvist",
                     actor=users["archivist"])
    outcomes = {}
    for item, name in ((free, "fri.person"), (held, "hallen.person")):
        r = subject_request_create(kind="erasure", requester_name="X", requester_contact="x",
                                   identifiers={"platform_account": name}, actor=users["archivist"])
        hits = [h for h in subject_request_search(request=r, actor=users["archivist"])
                if h.target_type == "moderation.item"]
        subject_request_propose_erasure(request=r, hits=hits, actor=users["archivist"])
        subject_request_approve_erasure(request=r, actor=archivist2)
        outcomes[item.pk] = r.hits.get(target_type="moderation.item").outcome
    assert outcomes == {free.pk: HitOutcome.ERASED, held.pk: HitOutcome.REFUSED_HOLD}
