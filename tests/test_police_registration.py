"""Police reports are registered (an outgoing document to the police, in the series the municipality
chose), have a retention class, and are found by data-subject searches (issue 9 item 6)."""

import datetime as dt

import pytest

from moderation.queue.services.sanctions import police_report_create, police_report_update
from moderation.retention_hooks import POLICE, police_rules, scrub_police_reports, search_police_reports
from records import registry
from records.models import Document, RegistrationProposal, RegistrationSetting
from records.secrecy.services import public_view
from tests.factories import AuthorFactory, ChannelFactory, ItemFactory, SeriesFactory

pytestmark = pytest.mark.django_db

THREAT = "Jag vet var du bor och jag kommer hem till dig i kväll."


@pytest.fixture
def report(users, unit):
    author = AuthorFactory(channel=ChannelFactory(unit=unit), display_name="Hotfull Användare", external_id="998877")
    item = ItemFactory(channel=author.channel, author=author, text=THREAT)
    return police_report_create(items=[item], author=author, actor=users["moderator"], note="Hot mot handläggare")


@pytest.fixture
def police_setting():
    series = SeriesFactory(code="PA", name="Polisanmälningar")
    RegistrationSetting.objects.filter(reason="police_report").update(
        auto_register=True, default_series=series,
        running_case_title="Polisanmälningar från kommunens sociala medier {year}")
    return series


def test_police_report_submit_registered_outgoing_to_police_in_chosen_series(report, users, police_setting):
    police_report_update(report=report, status="submitted", police_reference="5000-K12345-26",
                         actor=users["moderator"])
    document = Document.objects.get(source_type=POLICE, source_id=str(report.pk))
    assert document.direction == "outgoing" and document.sender == "Polisen"
    assert document.sender_kind == "authority" and public_view(document)["sender"] == "Polisen"
    assert document.reason == "police_report" and document.case.series == police_setting
    year = dt.date.today().year
    assert document.case.title == f"Polisanmälningar från kommunens sociala medier {year}"
    assert THREAT in document.content and "5000-K12345-26" in document.content
    assert document.number == f"PA {year}/1-1"
    # a second report goes to the same running case
    other = police_report_create(items=[ItemFactory(text="Ett annat hot")], author=None, actor=users["moderator"])
    police_report_update(report=other, status="submitted", actor=users["moderator"])
    assert Document.objects.get(source_type=POLICE, source_id=str(other.pk)).number == f"PA {year}/1-2"


def test_police_report_submit_without_auto_registration_goes_to_inbox(report, users):
    police_report_update(report=report, status="submitted", actor=users["moderator"])
    assert not Document.objects.filter(source_type=POLICE).exists()
    proposal = RegistrationProposal.objects.get(source_type=POLICE, source_id=str(report.pk))
    assert proposal.reason == "police_report" and proposal.status == "pending"


def test_police_report_draft_not_registered_until_submitted(report, users, police_setting):
    police_report_update(report=report, status="draft", actor=users["moderator"])
    assert not Document.objects.filter(source_type=POLICE).exists()


def test_police_report_page_shows_registration(report, users, police_setting, client_for):
    police_report_update(report=report, status="submitted", actor=users["moderator"])
    document = Document.objects.get(source_type=POLICE)
    r = client_for("moderator").get(f"/granskning/polisanmalningar/{report.pk}/")
    assert r.status_code == 200, r.content[:300]
    assert document.number in r.content.decode()


def test_police_rules_unregistered_pa1_registered_follow_document(report, users, police_setting):
    assert police_rules([str(report.pk)])[str(report.pk)].class_code == "PA-1"
    police_report_update(report=report, status="submitted", actor=users["moderator"])
    assert police_rules([str(report.pk)])[str(report.pk)].class_code != "PA-1"
    assert registry.retention_target(POLICE).label == "Polisanmälan"


def test_police_report_retention_assign_sets_class_and_due(report):
    from records.retention.services.plan import retention_assign

    assert retention_assign(target_type=POLICE, ids=[report.pk]) == 1
    report.refresh_from_db()
    assert report.retention_class_code == "PA-1" and report.retention_due is not None


def test_search_police_reports_by_account_and_note(report):
    by_account = search_police_reports(registry.SubjectQuery(platform_account="998877"))
    assert [(h.type, h.id, h.why) for h in by_account] == [(POLICE, str(report.pk), "polisanmälan om ditt konto")]
    assert by_account[0].registered == bool(by_account[0].extra.get("document"))
    by_name = search_police_reports(registry.SubjectQuery(name="Hotfull Användare"))
    assert [h.id for h in by_name] == [str(report.pk)]
    assert search_police_reports(registry.SubjectQuery(name="Någon Annan")) == []
    assert POLICE in {s.type for s in registry.subject_searches()}


def test_scrub_police_reports_blanks_note_and_links(report):
    scrub_police_reports([str(report.pk)], registry.ScrubContext(reason="test", actor=None))
    report.refresh_from_db()
    assert report.note == "" and report.author is None and report.purged_at is not None
    assert not report.items.exists() and not report.history.exists()
    assert search_police_reports(registry.SubjectQuery(platform_account="998877")) == []
