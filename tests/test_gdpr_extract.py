"""The register extract (GDPR art. 15) holds every record about the person with its source (15.1 g) and
recipients (15.1 c); the deadline (art. 12.3) can be extended once by two months, and the person is told."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from accounts.errors import TransitionNotAllowed
from accounts.models import AuditEvent
from moderation.models import ItemVersion, PoliceReport, Sanction
from records.gdpr.services import (
    subject_request_create,
    subject_request_extend,
    subject_request_extract,
    subject_request_search,
)
from records.models import DisclosureDecisionLetter, DisclosureItem, SubjectRequestStatus
from records.pdf import pdf_text
from tests.factories import (
    AuthorFactory,
    ChannelFactory,
    DisclosureRequestFactory,
    DocumentFactory,
    ItemFactory,
    PlatformActionFactory,
    PublicReportFactory,
)

pytestmark = pytest.mark.django_db

NAME = "Siri Sökdotter"
ACCOUNT = "siri.s"
EMAIL = "siri@example.se"


def _request(users, **kw):
    return subject_request_create(
        kind="access", requester_name=NAME, requester_contact=EMAIL, actor=users["archivist"],
        identifiers={"platform_account": ACCOUNT, "name": NAME, "email": EMAIL}, **kw)


@pytest.fixture
def world(users):
    channel = ChannelFactory(platform="facebook", name="Exempelstads kommun")
    siri = AuthorFactory(channel=channel, external_id=ACCOUNT, display_name=NAME)
    other = AuthorFactory(channel=channel, display_name="Olle Annan")
    post = ItemFactory(channel=channel, author=other, text="Vad tycker ni om badhuset?")
    comment = ItemFactory(channel=channel, author=siri, parent=post, root_post=post,
                          text="Olle Annan har fel, badhuset är bra.")
    ItemVersion.objects.create(item=comment, number=1, text="Badhuset är bra.")
    PlatformActionFactory(item=comment, kind="hide", status="done", finished_at=timezone.now())
    warning = Sanction.objects.create(author=siri, channel=channel, kind="warning", reason="Personangrepp")
    strike = Sanction.objects.create(author=siri, channel=channel, kind="strike", reason="Prick")
    block = Sanction.objects.create(author=siri, channel=channel, kind="block", reason="Upprepade brott")
    PlatformActionFactory(item=None, channel=channel, sanction=block, kind="block", status="done",
                          payload={"user_id": ACCOUNT}, finished_at=timezone.now())
    police = PoliceReport.objects.create(author=siri, status="submitted", reported_at=dt.date(2026, 3, 5),
                                         note="Hot mot en medarbetare")
    police.items.add(comment)
    report = PublicReportFactory(channel=channel, reporter_contact=EMAIL, via="form")
    document = DocumentFactory(sender=NAME, content="Siris kommentar om badhuset")
    released = DisclosureRequestFactory(reference="BAH-2026-0042", delivered_at=timezone.now())
    DisclosureItem.objects.create(request=released, document=document, outcome="release")
    own_disclosure = DisclosureRequestFactory(requester_name=NAME, requester_contact=EMAIL, channel_in="email")
    return {"comment": comment, "warning": warning, "strike": strike, "block": block, "police": police,
            "report": report, "document": document, "own_disclosure": own_disclosure, "siri": siri}


def _entries(users):
    r = _request(users)
    data = json.loads(subject_request_extract(request=r, actor=users["archivist"], format="json"))
    return r, {(e["type"], e["reference"]): e for e in data["entries"]}, data


def test_extract_includes_every_record_about_the_person(users, world):
    r, entries, _data = _entries(users)
    types = {t for t, _ref in entries}
    assert types >= {"moderation.item", "moderation.itemversion", "moderation.author", "moderation.sanction",
                     "moderation.policereport", "moderation.publicreport", "records.document",
                     "records.disclosurerequest", "records.subjectrequest"}
    sanctions = {ref.split()[0] for t, ref in entries if t == "moderation.sanction"}
    assert sanctions == {"Varning", "Prick", "Blockering"}
    assert ("records.subjectrequest", r.reference) in entries


def test_extract_names_source_and_recipients_of_each_entry(users, world):
    _r, entries, _data = _entries(users)

    def one(kind, start=""):
        return next(e for (t, ref), e in entries.items() if t == kind and ref.startswith(start))

    comment = one("moderation.item")
    assert comment["source"] == "Ditt konto på Facebook, kommunens konto ”Exempelstads kommun”"
    assert any(r.startswith("Meta Platforms Ireland Ltd (Facebook): Dölj") for r in comment["recipients"])
    assert one("moderation.policereport")["recipients"] == ["Polismyndigheten (anmäld 2026-03-05)"]
    block = one("moderation.sanction", "Blockering")
    assert any("Meta Platforms Ireland Ltd (Facebook): Blockera" in r for r in block["recipients"])
    assert one("moderation.sanction", "Varning")["recipients"] == []
    assert one("moderation.publicreport")["source"] == "Anmälningsformuläret på kommunens webbplats (/anmal/)"
    document = one("records.document")
    assert any("BAH-2026-0042" in r and "utlämnad" in r for r in document["recipients"])
    assert any("postlista" in r for r in document["recipients"])
    assert one("records.disclosurerequest")["source"].endswith("via e-post")
    assert one("records.subjectrequest")["source"] == "Din begäran enligt dataskyddsförordningen"


def test_extract_masks_third_parties_in_every_entry(users, world):
    _r, entries, data = _entries(users)
    text = json.dumps(data, ensure_ascii=False)
    assert "Olle Annan" not in text and "[annan person]" in text
    assert "journalist@example.se" not in text  # the requester the document was released to


def test_extract_pdf_lists_source_and_recipients_and_is_kept(users, world):
    r = _request(users)
    text = " ".join(pdf_text(subject_request_extract(request=r, actor=users["archivist"], format="pdf")).split())
    assert "Varifrån uppgiften kommer: Ditt konto på Facebook" in text
    assert "Mottagare: Polismyndigheten (anmäld 2026-03-05)" in text
    assert "art. 6.1 e" in text
    r.refresh_from_db()
    assert r.status == SubjectRequestStatus.ANSWERED
    assert DisclosureDecisionLetter.objects.filter(subject_request=r, kind="gdpr_access").count() == 1


def test_search_stores_hits_with_record_and_public_record_flag(users, world):
    r = _request(users)
    hits = {(h.target_type, h.target_id): h for h in subject_request_search(request=r, actor=users["archivist"])}
    version = next(h for (t, _i), h in hits.items() if t == "moderation.itemversion")
    assert (version.record_type, version.record_id) == ("moderation.item", str(world["comment"].pk))
    assert all(h.public_record for h in hits.values())


# --- deadline (art. 12.3) --------------------------------------------------------------------------


def test_extend_deadline_two_months_with_letter_and_audit(users):
    received = timezone.now() - dt.timedelta(days=10)
    r = _request(users, received_at=received)
    day = timezone.localdate(received)
    subject_request_extend(request=r, actor=users["archivist"], reason="Många träffar i flera register")
    r.refresh_from_db()
    from records.workdays import add_months

    assert r.deadline == add_months(day, 3) and r.extended_at and r.extended_by == users["archivist"]
    letter = DisclosureDecisionLetter.objects.get(subject_request=r, kind="gdpr_extension")
    text = " ".join(pdf_text(letter.pdf.read()).split())
    assert "Många träffar i flera register" in text and r.deadline.isoformat() in text and "12.3" in text
    event = AuditEvent.objects.filter(target_id=str(r.pk), detail__event="deadline_extended").get()
    assert event.detail["deadline"] == r.deadline.isoformat()


def test_extend_twice_refused(users):
    r = _request(users, received_at=timezone.now())
    subject_request_extend(request=r, actor=users["archivist"], reason="Komplicerad")
    with pytest.raises(TransitionNotAllowed, match="en gång"):
        subject_request_extend(request=r, actor=users["archivist"], reason="Igen")


def test_extend_after_first_month_refused(users):
    r = _request(users, received_at=timezone.now() - dt.timedelta(days=40))
    with pytest.raises(TransitionNotAllowed, match="inom en månad"):
        subject_request_extend(request=r, actor=users["archivist"], reason="För sent")


def test_extend_without_reason_refused(users):
    from accounts.errors import DomainError

    r = _request(users, received_at=timezone.now())
    with pytest.raises(DomainError, match="skälet"):
        subject_request_extend(request=r, actor=users["archivist"], reason="  ")
    r.refresh_from_db()
    assert r.extended_at is None
