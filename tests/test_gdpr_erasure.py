"""GDPR erasure exact to art. 17.3 b and arkivlagen 10 §: public records (registered or kept in order)
are refused with their ground per hit until their class allows purging, and may be scheduled for that
day; only what is not a public record, or is already due, is erased."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.errors import DomainError
from moderation.models import Author, Item, ItemVersion, Sanction
from records.gdpr.erasure import subject_request_approve_erasure, subject_request_propose_erasure
from records.gdpr.services import subject_request_create, subject_request_search
from records.models import DisclosureDecisionLetter, HitOutcome, SubjectRequestStatus, Tombstone
from records.pdf import pdf_text
from records.retention.services.holds import legal_hold_place
from records.retention.services.plan import retention_assign
from records.retention.services.purge import (
    purge_list_approve,
    purge_list_draft,
    purge_list_execute,
    purge_list_propose,
)
from tests.factories import AuthorFactory, ChannelFactory, DocumentFactory, ItemFactory

pytestmark = pytest.mark.django_db

NAME = "Siri Sökdotter"
ACCOUNT = "siri.s"


@pytest.fixture
def archivists(users, make_user):
    users["archivist2"] = make_user("archivist", username="archivist2")
    return users


@pytest.fixture
def siri():
    channel = ChannelFactory()
    return AuthorFactory(channel=channel, external_id=ACCOUNT, display_name=NAME)


def _erase(users, hits_filter=None, *, schedule=False):
    r = subject_request_create(kind="erasure", requester_name=NAME, requester_contact="siri@example.se",
                               identifiers={"platform_account": ACCOUNT, "name": NAME}, actor=users["archivist"])
    hits = subject_request_search(request=r, actor=users["archivist"])
    chosen = [h for h in hits if hits_filter is None or hits_filter(h)]
    subject_request_propose_erasure(request=r, hits=chosen, actor=users["archivist"], schedule=schedule)
    subject_request_approve_erasure(request=r, actor=users["archivist2"])
    r.refresh_from_db()
    return r


def _letter(r) -> str:
    pdf = DisclosureDecisionLetter.objects.get(subject_request=r, kind="gdpr_refusal").pdf.read()
    return " ".join(pdf_text(pdf).split())


def _items(r):
    return {h.target_id: h for h in r.hits.filter(target_type="moderation.item")}


def test_erasure_two_comments_arrived_today_refused_nothing_blanked(archivists, siri):
    """The issue's scenario: two comments that arrived today, unmoderated, class keeping them 365 days."""
    now = timezone.now()
    first = ItemFactory(channel=siri.channel, author=siri, text="Första kommentaren om badhuset", received_at=now)
    second = ItemFactory(channel=siri.channel, author=siri, text="Andra kommentaren om badhuset", received_at=now)
    assert first.state == "new" and first.retention_class_code == ""  # not even classified yet

    r = _erase(archivists, lambda h: h.target_type == "moderation.item")

    due = (timezone.localdate() + dt.timedelta(days=365)).isoformat()
    hits = _items(r)
    for item in (first, second):
        hit = hits[str(item.pk)]
        assert hit.outcome == HitOutcome.REFUSED_RECORD
        assert hit.ground == f"allmän handling som hålls ordnad, gallras enligt SM-1 den {due}"
        fresh = Item.objects.get(pk=item.pk)
        assert fresh.text == item.text and fresh.purged_at is None and fresh.author_id == siri.pk
    assert not Tombstone.objects.exists()
    assert r.status == SubjectRequestStatus.ERASURE_APPROVED and r.erasure_refused_count == 2
    letter = _letter(r)
    # Per hit: its ground and the rules it rests on.
    assert letter.count("art. 17.3 b och arkivlagen (1990:782) 10 §") >= 2
    assert letter.count(f"gallras enligt SM-1 den {due}") == 2
    assert f"Kommentar {first.pk} " in letter and f"Kommentar {second.pk} " in letter


def test_erasure_due_comment_erased_with_tombstone(archivists, siri):
    old = ItemFactory(channel=siri.channel, author=siri, text="Gammal kommentar",
                      received_at=timezone.now() - dt.timedelta(days=400))
    retention_assign(target_type="moderation.item", objects=[old])
    r = _erase(archivists, lambda h: h.target_type == "moderation.item")
    hit = _items(r)[str(old.pk)]
    assert hit.outcome == HitOutcome.ERASED and "SM-1 tillåter gallring" in hit.ground
    assert Item.objects.get(pk=old.pk).text == ""
    stone = Tombstone.objects.get(target_type="moderation.item", target_id=str(old.pk))
    assert (stone.reason, stone.retention_class_code, stone.basis_reference) == ("erasure", "SM-1", r.reference)


def test_erasure_registered_document_refused_naming_number_and_class(archivists, siri):
    doc = DocumentFactory(sender=NAME, reason="adds_to_case")
    retention_assign(target_type="records.document", objects=[doc])
    r = _erase(archivists, lambda h: h.target_type == "records.document")
    hit = r.hits.get(target_type="records.document")
    assert hit.outcome == HitOutcome.REFUSED_REGISTERED
    assert hit.ground == f"diarieförd handling {doc.number}, bevaras enligt ÄR-1 och gallras aldrig"
    doc.refresh_from_db()
    assert doc.sender == NAME and doc.purged_at is None


def test_erasure_registered_item_refused_with_document_number(archivists, siri):
    from records.models import Document

    item = ItemFactory(channel=siri.channel, author=siri, text="Registrerad kommentar")
    doc = DocumentFactory(sender=NAME, source_type="moderation.item", source_id=str(item.pk),
                          reason="removed_inappropriate")
    retention_assign(target_type="moderation.item", objects=[item])
    r = _erase(archivists, lambda h: h.target_type in ("moderation.item", "records.document"))
    hit = _items(r)[str(item.pk)]
    assert hit.outcome == HitOutcome.REFUSED_REGISTERED and doc.number in hit.ground
    # The document registered from her comment is found even though only her account was searched for.
    assert r.hits.filter(target_type="records.document", target_id=str(doc.pk)).exists()
    assert Document.objects.get(pk=doc.pk).content


def test_erasure_scheduled_then_purged_by_daily_list(archivists, siri):
    item = ItemFactory(channel=siri.channel, author=siri, text="Kommentar att gallra på förfallodagen",
                       received_at=timezone.now())
    r = _erase(archivists, lambda h: h.target_type == "moderation.item", schedule=True)
    hit = _items(r)[str(item.pk)]
    due = timezone.localdate() + dt.timedelta(days=365)
    assert hit.outcome == HitOutcome.SCHEDULED and hit.scheduled_for == due
    letter = _letter(r)
    assert f"gallras den {due.isoformat()}" in letter
    assert Item.objects.get(pk=item.pk).text  # nothing before the day

    # The day comes: the daily draft picks it up and the purge marks the hit purged with the list.
    Item.objects.filter(pk=item.pk).update(retention_due=timezone.localdate())
    pl = purge_list_draft(actor=archivists["archivist"], target_types=["moderation.item"])
    assert pl.lines.filter(target_id=str(item.pk)).exists()
    purge_list_propose(purge_list=pl, actor=archivists["archivist"])
    purge_list_approve(purge_list=pl, actor=archivists["archivist2"])
    purge_list_execute(purge_list=pl, actor=archivists["archivist2"])
    hit.refresh_from_db()
    assert hit.outcome == HitOutcome.PURGED and hit.purge_reference == pl.reference
    assert Item.objects.get(pk=item.pk).text == ""


def test_erasure_keep_class_not_schedulable(archivists, siri):
    doc = DocumentFactory(sender=NAME, reason="adds_to_case")
    retention_assign(target_type="records.document", objects=[doc])
    r = _erase(archivists, lambda h: h.target_type == "records.document", schedule=True)
    assert r.hits.get(target_type="records.document").outcome == HitOutcome.REFUSED_REGISTERED


def test_erasure_staff_note_not_public_record_erased(archivists, siri):
    Author.objects.filter(pk=siri.pk).update(staff_notes=f"{NAME} skriver ofta om badhuset")
    r = _erase(archivists, lambda h: h.target_type in ("moderation.authornote", "moderation.author"))
    note = r.hits.get(target_type="moderation.authornote")
    assert note.outcome == HitOutcome.ERASED and not note.public_record and "2 kap. 12 §" in note.ground
    author = Author.objects.get(pk=siri.pk)
    assert author.staff_notes == "" and author.display_name == NAME  # the account record (SM-5) stays
    assert not Author.history.filter(id=siri.pk).exclude(staff_notes="").exists()
    assert r.hits.get(target_type="moderation.author").outcome == HitOutcome.REFUSED_RECORD


def test_erasure_item_version_follows_its_item(archivists, siri):
    item = ItemFactory(channel=siri.channel, author=siri, text="Nu")
    ItemVersion.objects.create(item=item, number=1, text="Först")
    r = _erase(archivists, lambda h: h.target_type == "moderation.itemversion")
    hit = r.hits.get(target_type="moderation.itemversion")
    assert (hit.record_type, hit.record_id) == ("moderation.item", str(item.pk))
    assert hit.outcome == HitOutcome.REFUSED_RECORD and "SM-1" in hit.ground
    assert ItemVersion.objects.filter(item=item).exists()


def test_erasure_sanction_follows_account_record(archivists, siri):
    Sanction.objects.create(author=siri, channel=siri.channel, kind="warning", reason="Varnad för svordomar")
    r = _erase(archivists, lambda h: h.target_type == "moderation.sanction")
    hit = r.hits.get(target_type="moderation.sanction")
    assert hit.record_type == "moderation.author" and hit.outcome == HitOutcome.REFUSED_RECORD
    assert "SM-5" in hit.ground


def test_erasure_hold_refused_even_when_due(archivists, siri):
    old = ItemFactory(channel=siri.channel, author=siri, received_at=timezone.now() - dt.timedelta(days=400))
    retention_assign(target_type="moderation.item", objects=[old])
    legal_hold_place(target_type="moderation.channel", target_id=siri.channel_id, reason="Tvist",
                     actor=archivists["archivist"])
    r = _erase(archivists, lambda h: h.target_type == "moderation.item")
    hit = _items(r)[str(old.pk)]
    assert hit.outcome == HitOutcome.REFUSED_HOLD and "spärrad mot gallring" in hit.ground
    assert Item.objects.get(pk=old.pk).text


def test_erasure_verdict_is_taken_at_approval_not_at_proposal(archivists, siri):
    old = ItemFactory(channel=siri.channel, author=siri, received_at=timezone.now() - dt.timedelta(days=400))
    retention_assign(target_type="moderation.item", objects=[old])
    r = subject_request_create(kind="erasure", requester_name=NAME, requester_contact="x",
                               identifiers={"platform_account": ACCOUNT}, actor=archivists["archivist"])
    hits = subject_request_search(request=r, actor=archivists["archivist"])
    subject_request_propose_erasure(request=r, hits=hits, actor=archivists["archivist"])
    assert "tillåter gallring" in r.hits.get(target_type="moderation.item").ground  # the preview
    legal_hold_place(target_type="moderation.item", target_id=old.pk, reason="Begäran om allmän handling",
                     actor=archivists["archivist"])
    subject_request_approve_erasure(request=r, actor=archivists["archivist2"])
    assert r.hits.get(target_type="moderation.item").outcome == HitOutcome.REFUSED_HOLD
    assert Item.objects.get(pk=old.pk).text


def test_erasure_approve_by_handler_refused_four_eyes(archivists, siri):
    ItemFactory(channel=siri.channel, author=siri)
    r = subject_request_create(kind="erasure", requester_name=NAME, requester_contact="x",
                               identifiers={"platform_account": ACCOUNT}, actor=archivists["archivist"])
    hits = subject_request_search(request=r, actor=archivists["archivist"])
    subject_request_propose_erasure(request=r, hits=hits, actor=archivists["archivist"])
    with pytest.raises(DomainError, match="fyraögonsprincipen"):
        subject_request_approve_erasure(request=r, actor=archivists["archivist"])


def test_erasure_access_request_cannot_propose(archivists, siri):
    r = subject_request_create(kind="access", requester_name=NAME, requester_contact="x",
                               identifiers={"platform_account": ACCOUNT}, actor=archivists["archivist"])
    hits = subject_request_search(request=r, actor=archivists["archivist"])
    with pytest.raises(DomainError, match="art. 17"):
        subject_request_propose_erasure(request=r, hits=hits, actor=archivists["archivist"])
