"""Data-subject requests: intake, search across tables, extract with masking, erasure (four eyes, 17.3 b)."""

import datetime as dt
import json

import pytest

from accounts.models import AuditEvent
from records.gdpr.services import (
    mask_third_parties,
    number_variants,
    subject_query,
    subject_request_create,
    subject_request_extract,
    subject_request_search,
)
from records.models import DisclosureDecisionLetter, SubjectRequestStatus
from records.pdf import pdf_text
from records.retention.services.plan import retention_recompute
from tests.factories import (
    AuthorFactory,
    ChannelFactory,
    DisclosureRequestFactory,
    DocumentFactory,
    ItemFactory,
    PublicReportFactory,
)

pytestmark = pytest.mark.django_db

NAME = "Siri Sökdotter"
PNR = "19811218-9876"


def _request(users, **kw):
    identifiers = {"name": NAME, "email": "siri@example.se", "phone": "070-765 43 21", "personnummer": PNR,
                   "platform_account": "siri.s"}
    return subject_request_create(kind=kw.get("kind", "both"), requester_name=NAME,
                                  requester_contact="siri@example.se", identifiers=identifiers,
                                  actor=users["archivist"], received_at=kw.get("received_at"))


def test_subject_request_create_deadline_one_month_audited(users):
    r = _request(users, received_at=dt.datetime(2026, 1, 31, 10, tzinfo=dt.UTC))
    assert r.deadline == dt.date(2026, 2, 28)
    assert r.reference.startswith("DSR-2026-")
    event = AuditEvent.objects.get(action="data_subject", target_id=str(r.pk))
    assert NAME not in json.dumps(event.detail) and "siri" not in json.dumps(event.detail)


def test_number_variants_personnummer_and_phone_forms():
    assert number_variants("personnummer", "19811218-9876") == ["198112189876", "8112189876"]
    assert "0707654321" in number_variants("phone", "+46 70 765 43 21")


def test_subject_request_search_finds_person_across_tables(users):
    channel = ChannelFactory()
    author = AuthorFactory(channel=channel, external_id="siri.s", display_name=NAME)
    by_author = ItemFactory(channel=channel, author=author, text="Hej kommunen!")
    by_text = ItemFactory(channel=channel, text="Min granne har nummer 0707654321 och skriver jämt.")
    by_pnr = ItemFactory(channel=channel, text="Mitt personnummer är 811218-9876.")
    edited = ItemFactory(channel=channel, text=f"Skrivet av {NAME} i går")
    edited.text = "Borttaget namn"
    edited.save()  # only the history row still holds the name
    report = PublicReportFactory(reporter_contact="siri@example.se")
    doc = DocumentFactory(sender=NAME)
    disclosure = DisclosureRequestFactory(requester_name=NAME)
    ItemFactory(channel=channel, text="Ingenting om henne här.")

    r = _request(users)
    hits = subject_request_search(request=r, actor=users["archivist"])
    found = {(h.target_type, h.target_id) for h in hits}
    assert ("moderation.item", str(by_author.pk)) in found
    assert ("moderation.item", str(by_text.pk)) in found
    assert ("moderation.item", str(by_pnr.pk)) in found
    assert ("moderation.item", str(edited.pk)) in found
    assert ("moderation.author", str(author.pk)) in found
    assert ("moderation.publicreport", str(report.pk)) in found
    assert ("records.document", str(doc.pk)) in found
    assert ("records.disclosurerequest", str(disclosure.pk)) in found
    assert ("records.subjectrequest", str(r.pk)) in found  # the request itself is a record about her
    assert len(found) == 9
    assert all(NAME not in h.label for h in hits)
    assert next(h for h in hits if h.target_type == "records.document").registered


def test_mask_third_parties_masks_others_keeps_subject():
    q = subject_query({"name": NAME, "phone": "0707654321"})
    text = f"{NAME} här, ring 0707654321. Kalle Ek (070-111 22 33, kalle@ek.se) håller inte med."
    masked = mask_third_parties(text, q, other_names=["Kalle Ek", NAME])
    assert NAME in masked and "0707654321" in masked
    assert "Kalle" not in masked and "111 22 33" not in masked and "kalle@ek.se" not in masked
    assert masked.count("[annan person]") == 3


def test_subject_request_extract_pdf_and_json_mask_third_parties(users):
    channel = ChannelFactory()
    author = AuthorFactory(channel=channel, external_id="siri.s", display_name=NAME)
    post = ItemFactory(channel=channel, author=AuthorFactory(channel=channel, display_name="Olle Annan"),
                       text="Vad tycker ni om parken?")
    ItemFactory(channel=channel, author=author, parent=post, root_post=post,
                text="Jag håller med Olle Annan, ring mig på 0707654321.")
    retention_recompute(target_type="moderation.item")
    r = _request(users)
    data = json.loads(subject_request_extract(request=r, actor=users["archivist"], format="json"))
    texts = " ".join(e["content"] for e in data["entries"])
    assert "Olle Annan" not in texts and "[annan person]" in texts and "0707654321" in texts
    assert all(e["legal_ground"] and e["how_long"] for e in data["entries"])
    pdf = subject_request_extract(request=r, actor=users["archivist"], format="pdf")
    text = pdf_text(pdf)
    assert "Registerutdrag" in text and "SM-1" in text and "Olle Annan" not in text
    r.refresh_from_db()
    assert r.status == SubjectRequestStatus.ANSWERED
    assert DisclosureDecisionLetter.objects.filter(subject_request=r, kind="gdpr_access").exists()
