"""Requests for public documents (TF 2 kap.): deadlines, anonymous intake, review, masking that
really removes text, refusal decisions with appeal notice, holds, delivery, and the views."""

import hashlib
import io
import json
import time
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import transaction

from accounts.errors import DomainError, TransitionNotAllowed
from accounts.models import AuditEvent
from records.disclosure import services as svc
from records.disclosure.forms import STARTED_SALT, parse_bracket_marks, spans_to_brackets
from records.models import DisclosureRequest, LegalHold
from records.pdf import pdf_text
from tests.factories import DisclosureDecisionSettingFactory, DocumentFactory, LegalGroundFactory

pytestmark = pytest.mark.django_db

STHLM = ZoneInfo("Europe/Stockholm")
PHONE = "070-123 45 67"
CONTENT = f"Hej! Min granne Kalle Hemlig ringer mig hela tiden. Ring mig på {PHONE} om bygglovet på Storgatan 5."
SECRET_NAME = "Kalle Hemlig"


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.UPPSIKT_DISCLOSURE_DEADLINE_WORKDAYS = 1
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def registrar(users):
    return users["registrar"]


@pytest.fixture
def ground():
    return LegalGroundFactory(code="OSL 26 kap. 1 §", title="Socialtjänst")


def _span(text, part):
    start = text.index(part)
    return [start, start + len(part)]


def _request(registrar, *documents, **kwargs):
    return svc.disclosure_request_create(request_text="Jag vill ta del av handlingarna.", channel_in="email",
                                         documents=documents, actor=registrar, **kwargs)


def _masked_request(registrar, ground):
    doc = DocumentFactory(content=CONTENT, secret_content=True)
    req = _request(registrar, doc)
    item = req.items.get()
    svc.disclosure_review(item=item, outcome="release_masked", actor=registrar, legal_ground=ground,
                          mask_spans=[_span(CONTENT, PHONE), _span(CONTENT, SECRET_NAME)])
    svc.disclosure_decide(request=req, actor=registrar)
    return req, doc


# --- deadlines -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (datetime(2026, 1, 9, 14, 0), datetime(2026, 1, 12, 14, 0)),    # Friday → Monday
        (datetime(2026, 12, 23, 10, 30), datetime(2026, 12, 28, 10, 30)),  # julafton, jul, weekend
        (datetime(2026, 4, 2, 9, 0), datetime(2026, 4, 7, 9, 0)),        # skärtorsdag → tisdag efter påsk
        (datetime(2026, 6, 18, 16, 0), datetime(2026, 6, 22, 16, 0)),    # midsommarafton, midsommardagen
    ],
    ids=["friday", "christmas", "maundy-thursday", "midsummer"],
)
def test_request_create_received_before_holiday_deadline_next_working_day_same_time(registrar, received, due):
    req = _request(registrar, received_at=received.replace(tzinfo=STHLM))
    assert req.deadline_at == due.replace(tzinfo=STHLM)


def test_request_create_two_workdays_setting_counts_two(settings, registrar):
    settings.UPPSIKT_DISCLOSURE_DEADLINE_WORKDAYS = 2
    req = _request(registrar, received_at=datetime(2026, 1, 9, 14, tzinfo=STHLM))
    assert req.deadline_at == datetime(2026, 1, 13, 14, tzinfo=STHLM)


def test_overdue_deadline_passed_and_not_decided_listed(registrar):
    late = _request(registrar, received_at=datetime(2026, 1, 9, 14, tzinfo=STHLM))
    on_time = _request(registrar, received_at=datetime(2026, 1, 9, 14, tzinfo=STHLM))
    on_time.status = "decided"
    on_time.save()
    now = datetime(2026, 1, 12, 14, 1, tzinfo=STHLM)
    assert list(svc.disclosure_overdue(now=now)) == [late]
    assert svc.disclosure_is_overdue(late, now) and not svc.disclosure_is_overdue(on_time, now)
    assert not svc.disclosure_is_overdue(late, datetime(2026, 1, 12, 13, 59, tzinfo=STHLM))


# --- intake ------------------------------------------------------------------------------------------


def test_request_create_anonymous_no_name_no_purpose_accepted():
    doc = DocumentFactory()
    req = svc.disclosure_request_create(request_text="", channel_in="postlista", documents=[doc])
    assert req.requester_name == "" and req.requester_contact == ""
    assert req.reference == f"BAH-{req.received_at.astimezone(STHLM).year}-0001"
    assert doc.number in req.request_text
    assert [i.document for i in req.items.all()] == [doc]
    event = AuditEvent.objects.get(action="disclosure", target_id=str(req.pk))
    assert event.detail["anonymous"] is True and event.actor is None


def test_request_create_references_consecutive_and_rollback_gives_number_back(registrar):
    first = _request(registrar)
    with pytest.raises(RuntimeError), transaction.atomic():
        _request(registrar)
        raise RuntimeError("rollback")
    second = _request(registrar)
    n1, n2 = int(first.reference.rsplit("-", 1)[1]), int(second.reference.rsplit("-", 1)[1])
    assert n2 == n1 + 1


def test_request_create_nothing_asked_refused():
    with pytest.raises(DomainError):
        svc.disclosure_request_create(request_text="  ", channel_in="email")


def test_item_add_same_document_twice_refused(registrar):
    doc = DocumentFactory()
    req = _request(registrar, doc)
    with pytest.raises(DomainError):
        svc.disclosure_item_add(request=req, document=doc, actor=registrar)


# --- review ------------------------------------------------------------------------------------------


def test_review_masked_without_ground_or_spans_refused(registrar, ground):
    req = _request(registrar, DocumentFactory(content=CONTENT))
    item = req.items.get()
    with pytest.raises(DomainError):
        svc.disclosure_review(item=item, outcome="release_masked", actor=registrar, mask_spans=[[0, 3]])
    with pytest.raises(DomainError):
        svc.disclosure_review(item=item, outcome="release_masked", actor=registrar, legal_ground=ground)
    with pytest.raises(DomainError):
        svc.disclosure_review(item=item, outcome="release_masked", actor=registrar, legal_ground=ground,
                              mask_spans=[[5, 10_000]])
    with pytest.raises(DomainError):
        svc.disclosure_review(item=item, outcome="refuse", actor=registrar)


def test_decide_with_unreviewed_item_refused_and_decided_request_not_rereviewed(registrar, ground):
    req = _request(registrar, DocumentFactory(), DocumentFactory())
    first, second = req.items.all()
    svc.disclosure_review(item=first, outcome="release", actor=registrar)
    with pytest.raises(DomainError):
        svc.disclosure_decide(request=req, actor=registrar)
    svc.disclosure_review(item=second, outcome="release", actor=registrar)
    svc.disclosure_decide(request=req, actor=registrar)
    with pytest.raises(TransitionNotAllowed):
        svc.disclosure_review(item=first, outcome="refuse", actor=registrar, legal_ground=ground)


# --- masking really removes text ---------------------------------------------------------------------


def test_deliver_pdf_masked_spans_absent_rest_present(registrar, ground):
    req, doc = _masked_request(registrar, ground)
    data = svc.disclosure_deliver(request=req, actor=registrar, format="pdf")
    text = pdf_text(data)
    compact = " ".join(text.split())
    assert "070-123" not in compact and "45 67" not in compact and SECRET_NAME not in compact
    assert "bygglovet" in compact and "Storgatan 5" in compact and "[maskerat]" in compact
    assert doc.number in compact
    req.refresh_from_db()
    assert req.status == "answered" and req.delivered_at is not None and req.answer_means == "copies"
    assert req.refusal_notified_at is not None  # the cover letter carried the notice (OSL 6 kap. 3 §)


def test_deliver_zip_masked_spans_absent_from_pdfs_texts_and_json(registrar, ground):
    req, doc = _masked_request(registrar, ground)
    data = svc.disclosure_deliver(request=req, actor=registrar, format="zip")
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert "metadata.json" in names
    pdfs = [n for n in names if n.endswith(".pdf")]
    texts = [n for n in names if n.endswith(".txt")]
    assert len(pdfs) == 1 and len(texts) == 1
    extracted = " ".join(" ".join(pdf_text(archive.read(n)).split()) for n in pdfs)
    released = archive.read(texts[0]).decode("utf-8")
    meta_raw = archive.read("metadata.json").decode("utf-8")
    for blob in (extracted, released, meta_raw):
        assert PHONE not in blob and "070-123" not in blob and SECRET_NAME not in blob
    assert "bygglovet" in released and "bygglovet" in extracted
    meta = json.loads(meta_raw)
    assert meta["reference"] == req.reference
    entry = meta["documents"][0]
    assert entry["number"] == doc.number and entry["outcome"] == "release_masked"
    assert entry["legal_ground"] == ground.code and entry["masked_spans"] == 2
    assert entry["sha256"] == hashlib.sha256(archive.read(pdfs[0])).hexdigest()


def test_deliver_masked_whole_parts_never_included(registrar, ground):
    sender_ground = LegalGroundFactory(code="OSL 21 kap. 3 §", title="Skyddade personuppgifter")
    secret_sender = DocumentFactory(sender="Hemlig Avsändare", secret_sender=True,
                                    content="Vanlig text om parken.")
    secret_content = DocumentFactory(content="Topphemligt innehåll om Kalle Hemlig.", secret_content=True,
                                     description="Synpunkt om parken")
    req = _request(registrar, secret_sender, secret_content)
    a, b = req.items.order_by("id")
    svc.disclosure_review(item=a, outcome="release_masked", actor=registrar,
                          masked_parts=[{"part": "sender", "legal_ground": sender_ground.code}])
    svc.disclosure_review(item=b, outcome="release_masked", actor=registrar, legal_ground=ground,
                          masked_parts=["content"])
    svc.disclosure_decide(request=req, actor=registrar)
    pdf = " ".join(pdf_text(svc.disclosure_deliver(request=req, actor=registrar, format="pdf")).split())
    archive = zipfile.ZipFile(io.BytesIO(svc.disclosure_deliver(request=req, actor=registrar, format="zip")))
    blobs = [pdf] + [archive.read(n).decode("utf-8") for n in archive.namelist() if not n.endswith(".pdf")]
    blobs += [" ".join(pdf_text(archive.read(n)).split()) for n in archive.namelist() if n.endswith(".pdf")]
    for blob in blobs:
        assert "Hemlig Avsändare" not in blob
        assert "Topphemligt" not in blob and "Kalle Hemlig" not in blob
    assert "Vanlig text om parken." in pdf
    assert "omfattas av sekretess" in pdf and "innehåll i sin helhet enligt OSL 26 kap. 1 §" in pdf


def test_deliver_after_late_secrecy_marking_part_withheld_and_named(registrar, ground):
    from records.secrecy.services import secrecy_mark

    sender_ground = LegalGroundFactory(code="OSL 21 kap. 3 §", title="Skyddade personuppgifter")
    doc = DocumentFactory(sender="Sen Markering", content="Text om parken.")
    req = _request(registrar, doc)
    svc.disclosure_review(item=req.items.get(), outcome="release", actor=registrar)
    svc.disclosure_decide(request=req, actor=registrar)
    secrecy_mark(document=doc, part="sender", legal_ground=sender_ground, actor=registrar)
    pdf = " ".join(pdf_text(svc.disclosure_deliver(request=req, actor=registrar)).split())
    assert "Sen Markering" not in pdf and "Text om parken." in pdf
    item = req.items.get()
    assert item.outcome == "release_masked" and item.masked_parts == [
        {"part": "sender", "legal_ground": "OSL 21 kap. 3 §"}]
    assert "avsändare/mottagare enligt OSL 21 kap. 3 §" in pdf and "skriftligt beslut" in pdf


def test_deliver_refused_document_not_in_delivery(registrar, ground):
    released = DocumentFactory(content="Öppen text.")
    refused = DocumentFactory(content="Stängd text om socialtjänst.")
    req = _request(registrar, released, refused)
    a, b = req.items.order_by("id")
    svc.disclosure_review(item=a, outcome="release", actor=registrar)
    svc.disclosure_review(item=b, outcome="refuse", actor=registrar, legal_ground=ground)
    svc.disclosure_decide(request=req, actor=registrar)
    archive = zipfile.ZipFile(io.BytesIO(svc.disclosure_deliver(request=req, actor=registrar, format="zip")))
    all_text = " ".join(archive.read(n).decode("utf-8", "ignore") for n in archive.namelist() if n.endswith(".txt"))
    assert "Öppen text." in all_text and "Stängd text" not in all_text
    meta = json.loads(archive.read("metadata.json"))
    assert [d["number"] for d in meta["not_released"]] == [refused.number]
    assert "kammarrätten" in meta["notice"]


def test_deliver_before_decision_refused(registrar):
    req = _request(registrar, DocumentFactory())
    with pytest.raises(TransitionNotAllowed):
        svc.disclosure_deliver(request=req, actor=registrar)


# --- audit -------------------------------------------------------------------------------------------


def test_services_audit_without_secret_content(registrar, ground):
    req, _doc = _masked_request(registrar, ground)
    svc.disclosure_deliver(request=req, actor=registrar, format="zip")
    events = AuditEvent.objects.filter(action="disclosure", target_id=str(req.pk))
    assert {e.detail["event"] for e in events} >= {"received", "reviewed", "decided", "delivered"}
    for e in events:
        assert PHONE not in json.dumps(e.detail) and SECRET_NAME not in json.dumps(e.detail)


# --- masking input ----------------------------------------------------------------------------------


def test_parse_bracket_marks_round_trip_and_edit_refused():
    spans = parse_bracket_marks(CONTENT, spans_to_brackets(CONTENT, [_span(CONTENT, PHONE)]))
    assert spans == [_span(CONTENT, PHONE)]
    marked = CONTENT.replace(PHONE, f"[[{PHONE}]]").replace(SECRET_NAME, f"[[{SECRET_NAME}]]")
    assert parse_bracket_marks(CONTENT, marked.replace("\n", "\r\n")) == sorted(
        [_span(CONTENT, SECRET_NAME), _span(CONTENT, PHONE)])
    from django import forms

    with pytest.raises(forms.ValidationError):
        parse_bracket_marks(CONTENT, marked.replace("Hej!", "Hejsan!"))
    with pytest.raises(forms.ValidationError):
        parse_bracket_marks(CONTENT, "[[" + CONTENT)


# --- views -------------------------------------------------------------------------------------------


def _started(seconds_ago=10):
    return signing.dumps(int(time.time()) - seconds_ago, salt=STARTED_SALT)


def test_public_form_get_prefills_document_and_states_anonymity(client):
    r = client.get("/postlista/begar/", {"document": "KS 2026/1-1"})
    assert r.status_code == 200, r.content
    body = r.content.decode()
    assert 'value="KS 2026/1-1"' in body or ">KS 2026/1-1<" in body or "KS 2026/1-1</textarea>" in body
    assert "2 kap. 18 §" in body and "behöver inte" in body
    assert "sessionid" not in r.cookies
    assert "http://" not in body.replace("http://www.w3.org", "") and "https://" not in body


def test_public_form_post_anonymous_creates_request_and_receipt(client):
    doc = DocumentFactory()
    r = client.post("/postlista/begar/", {"documents": doc.number, "request_text": "", "requester_name": "",
                                          "requester_contact": "", "website": "", "started": _started()})
    assert r.status_code == 302, r.content
    req = DisclosureRequest.objects.get()
    assert req.channel_in == "postlista" and req.requester_name == "" and req.items.get().document == doc
    assert "sessionid" not in r.cookies
    receipt = client.get(r["Location"])
    assert receipt.status_code == 200 and req.reference in receipt.content.decode()


def test_public_form_post_too_fast_or_honeypot_refused(client):
    base = {"documents": "", "request_text": "Protokollet från mötet", "started": _started(0)}
    assert client.post("/postlista/begar/", base).status_code == 200
    assert client.post("/postlista/begar/", {**base, "started": _started(), "website": "spam"}).status_code == 200
    assert client.post("/postlista/begar/", {**base, "started": "forged"}).status_code == 200
    assert not DisclosureRequest.objects.exists()


def test_public_form_rate_limit_per_address(client, settings):
    settings.UPPSIKT_DISCLOSURE_PUBLIC_LIMIT = 2
    data = {"request_text": "Protokollet", "started": _started()}
    for _ in range(2):
        assert client.post("/postlista/begar/", data).status_code == 302
    r = client.post("/postlista/begar/", data)
    assert r.status_code == 200 and "många" in r.content.decode()
    assert DisclosureRequest.objects.count() == 2
    other = client.post("/postlista/begar/", data, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_workbench_review_with_brackets_then_deliver_pdf(client_for, ground, registrar):
    doc = DocumentFactory(content=CONTENT, secret_content=True)
    req = _request(registrar, doc)
    item = req.items.get()
    c = client_for("registrar")
    page = c.get(f"/diarium/begaran/{req.pk}/handlingar/{item.pk}/")
    assert page.status_code == 200 and PHONE in page.content.decode()
    assert AuditEvent.objects.filter(action="secret_viewed", target_id=str(doc.pk)).exists()
    marked = CONTENT.replace(PHONE, f"[[{PHONE}]]")
    preview = c.post(f"/diarium/begaran/{req.pk}/handlingar/{item.pk}/",
                     {"outcome": "release_masked", "legal_ground": ground.pk, "marked_text": marked, "preview": "1"})
    assert preview.status_code == 200
    assert "Ring mig på [maskerat] om bygglovet" in preview.content.decode()
    saved = c.post(f"/diarium/begaran/{req.pk}/handlingar/{item.pk}/",
                   {"outcome": "release_masked", "legal_ground": ground.pk, "marked_text": marked, "save": "1"})
    assert saved.status_code == 302, saved.content
    item.refresh_from_db()
    assert item.mask_spans == [_span(CONTENT, PHONE)]
    assert c.post(f"/diarium/begaran/{req.pk}/avgor/").status_code == 302
    r = c.post(f"/diarium/begaran/{req.pk}/lamna-ut/", {"format": "pdf"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "attachment" in r["Content-Disposition"]
    text = " ".join(pdf_text(r.content).split())
    assert "070-123" not in text and "bygglovet" in text


def test_list_shows_overdue_badge_and_swedish_deadline(client_for, registrar):
    _request(registrar, received_at=datetime(2026, 1, 9, 14, tzinfo=STHLM))
    r = client_for("registrar").get("/diarium/begaran/")
    body = r.content.decode()
    assert r.status_code == 200 and "Försenad" in body
    assert "12 januari 2026" in body and "14:00" in body
    assert client_for("registrar").get("/diarium/begaran/?overdue=true").status_code == 200


def test_intake_form_registrar_creates_phone_request(client_for):
    doc = DocumentFactory()
    r = client_for("registrar").post("/diarium/begaran/ny/", {
        "channel_in": "phone", "received_at": "2026-01-09T14:00", "documents": doc.number,
        "request_text": "", "requester_name": "", "requester_contact": ""})
    assert r.status_code == 302, r.content
    req = DisclosureRequest.objects.get()
    assert req.channel_in == "phone" and req.deadline_at == datetime(2026, 1, 12, 14, tzinfo=STHLM)


def test_workbench_auditor_sees_request_but_no_actions_or_secret(client_for, registrar, ground):
    req, _doc = _masked_request(registrar, ground)
    r = client_for("auditor").get(f"/diarium/begaran/{req.pk}/")
    body = r.content.decode()
    assert r.status_code == 200 and req.reference in body
    assert PHONE not in body and "Lämna ut som PDF" not in body


# --- demo --------------------------------------------------------------------------------------------


def test_demo_seed_every_lawful_state_idempotent(users):
    import io as _io

    from records.disclosure import demo as demo_disclosure
    from tests.factories_moderation import ItemFactory

    DisclosureDecisionSettingFactory()  # its own series: CaseFactory's hand-made KS numbers are not allocated
    DocumentFactory(content=CONTENT, secret_content=True)
    DocumentFactory(content="Orosanmälan om ett barn, Storgatan 7.", secret_content=True)
    DocumentFactory(content="Synpunkt på snöröjningen.")
    comment = ItemFactory(text="När öppnar badhuset?")
    out = _io.StringIO()
    first = demo_disclosure.seed(stdout=out, context={})
    demo_disclosure.seed(stdout=out, context={})
    assert len(first["print"]) == 5 and DisclosureRequest.objects.count() == 5
    pending = DisclosureRequest.objects.get(request_text=demo_disclosure.PENDING_TEXT)
    assert pending.status == "received" and LegalHold.objects.active().filter(disclosure_request=pending).exists()
    masked = DisclosureRequest.objects.get(request_text=demo_disclosure.MASKED_TEXT)
    assert masked.status == "answered" and masked.requester_name == "" and masked.channel_in == "postlista"
    assert masked.items.get().outcome == "release_masked" and masked.refusal_notified_at is not None
    assert PHONE not in " ".join(svc.disclosure_delivery_documents(masked)[0].text.split())
    notified = DisclosureRequest.objects.get(request_text=demo_disclosure.NOTIFIED_TEXT)
    assert notified.status == "answered" and notified.letters.get().kind == "refusal_notice"
    decided = DisclosureRequest.objects.get(request_text=demo_disclosure.REFUSED_TEXT)
    assert decided.status == "appeal_window" and decided.letters.filter(kind="refusal_decision").count() == 1
    assert decided.case is not None and LegalHold.objects.active().filter(disclosure_request=decided).exists()
    kept = DisclosureRequest.objects.get(request_text=demo_disclosure.COMMENT_TEXT)
    assert kept.items.get().target_id == str(comment.pk) and kept.items.get().outcome == "release"
