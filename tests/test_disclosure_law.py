"""The scenarios of issue 9 about requests for public documents, each ending lawfully.

- JO 3434-2016: a requested record is held from the moment the request names it; a purge list
  drafted, approved and executed meanwhile does not purge it, and the review still works.
- TF 2 kap.: any public record may be requested, registered or kept in order (items, versions,
  reports), and each is reviewed on its own; masking works on an item's text.
- OSL 6 kap. 3 §: a refusal (a masked release is a partial refusal) must be told with the offer
  of the authority's decision before the request can be closed; the decision can be asked for at
  any time, also after closing, and reopens the request with its holds.
- Förvaltningslagen 44 §: no closing while the appeal window (three weeks from receipt) is open or
  an appeal is pending; an official's refusal never "gains legal force".
- The decision letter (read back with pypdf) lists every target and part with its outcome and
  ground, the right provisions, the deciding body and delegation, the reasoning (FL 32 §) and the
  appeal notice (FL 33 §), and is registered in the request's case.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.errors import DomainError, TransitionNotAllowed
from records.disclosure import services as svc
from records.models import Document, LegalHold, PurgeLineStatus
from records.pdf import pdf_text
from records.retention.services.plan import retention_assign
from records.retention.services.purge import (
    purge_list_approve,
    purge_list_draft,
    purge_list_execute,
    purge_list_propose,
)
from tests.factories import (
    CaseFactory,
    DisclosureDecisionSettingFactory,
    DocumentFactory,
    LegalGroundFactory,
)
from tests.factories_moderation import ItemFactory, PublicReportFactory

pytestmark = pytest.mark.django_db

HEALTH = "Min dotter har diabetes och behöver hjälp i skolan."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def registrar(users):
    return users["registrar"]


@pytest.fixture
def ground():
    return LegalGroundFactory(code="OSL 26 kap. 1 §", title="Socialtjänst")


@pytest.fixture
def setting():
    return DisclosureDecisionSettingFactory()


def _text(data: bytes) -> str:
    return " ".join(pdf_text(data).split())


def _letter_text(letter) -> str:
    with letter.pdf.open("rb") as fh:
        return _text(fh.read())


def _create(registrar, *documents, targets=()):
    return svc.disclosure_request_create(request_text="Jag vill ta del av handlingarna.", channel_in="email",
                                         documents=documents, targets=targets, actor=registrar,
                                         requester_name="Journalisten Jansson", requester_contact="jj@example.se")


def _refused(registrar, ground):
    doc = DocumentFactory(content=HEALTH)
    req = _create(registrar, doc)
    svc.disclosure_review(item=req.items.get(), outcome="refuse", actor=registrar, legal_ground=ground,
                          reasoning="Uppgiften rör en enskilds hälsa.")
    svc.disclosure_decide(request=req, actor=registrar)
    return req, doc


def _purgeable_document():
    case = CaseFactory(status="closed", closed_at=dt.date(2023, 1, 1))
    doc = DocumentFactory(case=case, reason="removed_inappropriate", content="Raderad kommentar med svordomar.")
    retention_assign(target_type="records.document", objects=[doc])
    return doc


def _purge(users, make_user, target_type="records.document"):
    archivist2 = make_user("archivist", username="archivist2")
    pl = purge_list_draft(actor=users["archivist"], target_types=[target_type])
    return pl, archivist2


# --- holds from the moment a request names a record (JO 3434-2016) -----------------------------------


def test_request_create_names_document_hold_placed_at_once(registrar):
    doc = DocumentFactory()
    req = _create(registrar, doc)
    hold = LegalHold.objects.active().get(target_type="records.document", target_id=str(doc.pk))
    assert hold.source == "disclosure_request" and hold.disclosure_request == req and hold.ends_on is None
    assert "JO 3434-2016" in hold.reason


def test_purge_list_drafted_approved_executed_while_request_pending_document_not_purged(users, make_user, registrar,
                                                                                         ground):
    doc = _purgeable_document()
    pl, archivist2 = _purge(users, make_user)  # drafted before the request: the document is on the list
    assert pl.lines.filter(target_id=str(doc.pk)).exists()
    req = _create(registrar, doc)
    purge_list_propose(purge_list=pl, actor=users["archivist"])
    purge_list_approve(purge_list=pl, actor=archivist2)
    purge_list_execute(purge_list=pl, actor=archivist2)
    line = pl.lines.get(target_id=str(doc.pk))
    assert line.status == PurgeLineStatus.REFUSED
    doc.refresh_from_db()
    assert doc.purged_at is None and doc.content == "Raderad kommentar med svordomar."
    svc.disclosure_review(item=req.items.get(), outcome="release", actor=registrar)  # the review still works
    svc.disclosure_decide(request=req, actor=registrar)
    assert "Raderad kommentar" in _text(svc.disclosure_deliver(request=req, actor=registrar))


def test_purge_list_drafted_after_request_leaves_held_document_out(users, make_user, registrar):
    doc = _purgeable_document()
    _create(registrar, doc)
    pl = purge_list_draft(actor=users["archivist"], target_types=["records.document"])
    assert pl is None or not pl.lines.filter(target_id=str(doc.pk)).exists()


def test_purge_of_items_while_item_requested_item_not_purged(users, make_user, registrar):
    from records.retention.services.plan import retention_recompute

    item = ItemFactory(text="Kommunen borde skämmas.", received_at=timezone.now() - dt.timedelta(days=800))
    retention_recompute()
    pl = purge_list_draft(actor=users["archivist"], target_types=["moderation.item"])
    assert pl.lines.filter(target_id=str(item.pk)).exists()
    req = _create(registrar, targets=[("moderation.item", item.pk)])
    archivist2 = make_user("archivist", username="archivist2")
    purge_list_propose(purge_list=pl, actor=users["archivist"])
    purge_list_approve(purge_list=pl, actor=archivist2)
    purge_list_execute(purge_list=pl, actor=archivist2)
    item.refresh_from_db()
    assert item.purged_at is None and item.text == "Kommunen borde skämmas."
    svc.disclosure_review(item=req.items.get(), outcome="release", actor=registrar)
    assert req.items.get().outcome == "release"


def test_close_refused_request_holds_released_only_at_close(registrar, ground):
    req, doc = _refused(registrar, ground)
    svc.disclosure_answer(request=req, actor=registrar, means="email")
    assert LegalHold.objects.active().filter(target_id=str(doc.pk)).exists()
    svc.disclosure_close(request=req, actor=registrar, reason="completed", note="Besked lämnat per e-post.")
    assert not LegalHold.objects.active().filter(target_id=str(doc.pk)).exists()
    released = LegalHold.objects.get(target_id=str(doc.pk))
    assert released.released_by == registrar and "inget överklagande" in released.release_reason
    assert "laga kraft" not in released.release_reason


# --- any public record: items, versions, reports ---------------------------------------------------


def test_request_names_kept_in_order_comment_review_masks_item_text(registrar, ground):
    item = ItemFactory(text=f"Hej kommunen! {HEALTH} Ring mig på 070-111 22 33.")
    req = _create(registrar, targets=[("moderation.item", item.pk)])
    target = req.items.get()
    assert target.target_type == "moderation.item" and target.document is None
    assert target.label == f"Kommentar {item.pk} på {item.channel.slug}"
    assert LegalHold.objects.active().filter(target_type="moderation.item", target_id=str(item.pk)).exists()
    svc.disclosure_review(item=target, outcome="release_masked", actor=registrar, legal_ground=ground,
                          masked_parts=[{"part": "content", "text": HEALTH},
                                        {"part": "content", "text": "070-111 22 33"}])
    svc.disclosure_decide(request=req, actor=registrar)
    text = _text(svc.disclosure_deliver(request=req, actor=registrar))
    assert "diabetes" not in text and "070-111" not in text
    assert "Hej kommunen!" in text and "[maskerat]" in text and "OSL 26 kap. 1 §" in text


def test_request_names_item_version_and_report_each_reviewed(registrar, ground):
    from moderation.models import ItemVersion

    item = ItemFactory(text="Ny text.")
    version = ItemVersion.objects.create(item=item, number=1, text="Gammal text med personnummer 811218-9876.")
    report = PublicReportFactory(text="Anmält inlägg", reporter_contact="anmalare@example.se",
                                 reporter_message="Detta är hets.")
    req = _create(registrar, targets=[("moderation.itemversion", version.pk), ("moderation.publicreport", report.pk)])
    v, r = req.items.order_by("id")
    assert LegalHold.objects.active().filter(target_type="moderation.item", target_id=str(item.pk)).exists()
    assert LegalHold.objects.active().filter(target_type="moderation.publicreport", target_id=str(report.pk)).exists()
    svc.disclosure_review(item=v, outcome="release_masked", actor=registrar, legal_ground=ground,
                          masked_parts=[{"part": "content", "text": "811218-9876"}])
    svc.disclosure_review(item=r, outcome="release_masked", actor=registrar, legal_ground=ground,
                          masked_parts=["sender"])
    svc.disclosure_decide(request=req, actor=registrar)
    docs = svc.disclosure_delivery_documents(req)
    assert "811218-9876" not in docs[0].text and "Gammal text" in docs[0].text
    assert all("anmalare@example.se" not in value for _k, value in docs[1].meta)
    assert "Detta är hets." in docs[1].text


def test_request_names_secret_item_release_without_reasoning_refused(registrar, ground):
    item = ItemFactory(secret=True)
    req = _create(registrar, targets=[("moderation.item", item.pk)])
    with pytest.raises(TransitionNotAllowed, match="sekretessmarkerad men inte maskerad"):
        svc.disclosure_review(item=req.items.get(), outcome="release", actor=registrar)
    svc.disclosure_review(item=req.items.get(), outcome="release", actor=registrar,
                          reasoning="Sökanden är vårdnadshavaren själv (OSL 12 kap. 2 §).")
    assert req.items.get().released_secret_parts == ["content"]


def test_request_names_purged_item_refused():
    item = ItemFactory(purged_at=timezone.now(), text="")
    with pytest.raises(TransitionNotAllowed, match="gallrad"):
        svc.disclosure_request_create(request_text="x", channel_in="email", targets=[("moderation.item", item.pk)])


def test_request_names_unknown_item_refused():
    with pytest.raises(DomainError, match="finns inte"):
        svc.disclosure_request_create(request_text="x", channel_in="email", targets=[("moderation.item", 999999)])


def test_document_with_secret_sender_release_without_mask_or_reasoning_refused_masked_named(registrar, setting):
    sender_ground = LegalGroundFactory(code="OSL 21 kap. 3 §", title="Skyddade personuppgifter")
    doc = DocumentFactory(sender="Hemlig Avsändare", secret_sender=True, content="Vanlig text om parken.")
    req = _create(registrar, doc)
    with pytest.raises(TransitionNotAllowed, match="OSL 21 kap. 3 §"):
        svc.disclosure_review(item=req.items.get(), outcome="release", actor=registrar)
    svc.disclosure_review(item=req.items.get(), outcome="release_masked", actor=registrar,
                          masked_parts=[{"part": "sender", "legal_ground": sender_ground.code}])
    svc.disclosure_decide(request=req, actor=registrar)
    data = _text(svc.disclosure_deliver(request=req, actor=registrar))
    assert "Hemlig Avsändare" not in data and "Vanlig text om parken." in data
    assert "avsändare/mottagare enligt OSL 21 kap. 3 §" in data  # the partial refusal is named, with its ground
    assert "begära att" in data and "kammarrätten" in data


# --- closing (OSL 6 kap. 3 §) ------------------------------------------------------------------------


def test_close_refusal_not_notified_refused_409(registrar, ground):
    req, _doc = _refused(registrar, ground)
    with pytest.raises(TransitionNotAllowed, match="OSL 6 kap. 3 §") as exc:
        svc.disclosure_close(request=req, actor=registrar, reason="completed", note="Klart.")
    assert exc.value.status_code == 409
    with pytest.raises(TransitionNotAllowed, match="OSL 6 kap. 3 §"):
        svc.disclosure_close(request=req, actor=registrar, reason="other", note="Vill stänga.")


def test_close_partial_refusal_masked_not_notified_refused(registrar, ground):
    doc = DocumentFactory(content=HEALTH)
    req = _create(registrar, doc)
    svc.disclosure_review(item=req.items.get(), outcome="release_masked", actor=registrar, legal_ground=ground,
                          masked_parts=[{"part": "content", "text": "diabetes"}])
    svc.disclosure_decide(request=req, actor=registrar)
    with pytest.raises(TransitionNotAllowed, match="OSL 6 kap. 3 §"):
        svc.disclosure_close(request=req, actor=registrar, reason="completed", note="Klart.")


def test_close_without_reason_refused_and_unreviewed_only_with_stated_reason(registrar):
    req = _create(registrar, DocumentFactory())
    with pytest.raises(DomainError, match="Skriv varför"):
        svc.disclosure_close(request=req, actor=registrar, reason="withdrawn", note=" ")
    with pytest.raises(TransitionNotAllowed, match="fått besked"):
        svc.disclosure_close(request=req, actor=registrar, reason="completed", note="Klart.")
    svc.disclosure_close(request=req, actor=registrar, reason="withdrawn",
                         note="Sökanden ringde och återkallade begäran.")
    req.refresh_from_db()
    assert req.status == "closed" and req.close_reason == "withdrawn" and req.closed_at is not None
    assert not LegalHold.objects.active().filter(disclosure_request=req).exists()


def test_close_after_refusal_notice_allowed_and_notice_letter_offers_decision(registrar, ground):
    req, _doc = _refused(registrar, ground)
    svc.disclosure_answer(request=req, actor=registrar, means="letter")
    letter = req.letters.get(kind="refusal_notice")
    text = _letter_text(letter)
    assert ground.code in text and "skriftligt beslut" in text and "när som helst" in text
    assert "6 kap. 3 §" in text and "kammarrätten" in text
    svc.disclosure_close(request=req, actor=registrar, reason="completed", note="Besked per brev.")
    req.refresh_from_db()
    assert req.status == "closed" and req.refusal_notified_at is not None


# --- the authority's decision, at any time ------------------------------------------------------------


def test_formal_decision_on_closed_request_reopens_and_holds_again(registrar, ground, setting):
    req, doc = _refused(registrar, ground)
    svc.disclosure_answer(request=req, actor=registrar, means="phone")
    svc.disclosure_close(request=req, actor=registrar, reason="completed", note="Besked per telefon.")
    assert not LegalHold.objects.active().filter(target_id=str(doc.pk)).exists()
    letter = svc.disclosure_decision_issue(request=req, actor=registrar, reasoning="Skälen framgår ovan.")
    req.refresh_from_db()
    assert req.status == "decision_issued" and req.decision_requested_on == timezone.localdate()
    assert LegalHold.objects.active().filter(target_id=str(doc.pk), disclosure_request=req).exists()
    assert letter.kind == "refusal_decision" and letter.document is not None


def test_formal_decision_without_configured_body_refused(registrar, ground):
    req, _doc = _refused(registrar, ground)
    with pytest.raises(TransitionNotAllowed, match="beslutsinstans"):
        svc.disclosure_decision_issue(request=req, actor=registrar, reasoning="Skäl.")


def test_formal_decision_full_release_refused(registrar, setting):
    req = _create(registrar, DocumentFactory())
    svc.disclosure_review(item=req.items.get(), outcome="release", actor=registrar)
    svc.disclosure_decide(request=req, actor=registrar)
    with pytest.raises(TransitionNotAllowed, match="Inget har avslagits"):
        svc.disclosure_decision_issue(request=req, actor=registrar, reasoning="Skäl.")


def test_close_during_appeal_window_refused_until_window_passed(registrar, ground, setting):
    req, _doc = _refused(registrar, ground)
    svc.disclosure_decision_issue(request=req, actor=registrar, reasoning="Skäl.")
    with pytest.raises(TransitionNotAllowed):
        svc.disclosure_close(request=req, actor=registrar, reason="completed", note="Klart.")  # not notified yet
    today = timezone.localdate()
    svc.disclosure_decision_notified(request=req, actor=registrar, notified_on=today)
    assert svc.disclosure_appeal_window_end(req) == today + dt.timedelta(weeks=3, days=7)
    with pytest.raises(TransitionNotAllowed, match="förvaltningslagen 44 §"):
        svc.disclosure_close(request=req, actor=registrar, reason="completed", note="Klart.")
    req.decision_notified_on = today - dt.timedelta(weeks=4, days=1)
    req.save(update_fields=["decision_notified_on"])
    svc.disclosure_close(request=req, actor=registrar, reason="completed", note="Överklagandetiden har gått ut.")
    assert not LegalHold.objects.active().filter(disclosure_request=req).exists()


def test_close_with_appeal_pending_refused_then_judgment_final_closes(registrar, ground, setting):
    req, doc = _refused(registrar, ground)
    svc.disclosure_decision_issue(request=req, actor=registrar, reasoning="Skäl.")
    svc.disclosure_decision_notified(request=req, actor=registrar, notified_on=timezone.localdate())
    svc.disclosure_appeal_register(request=req, received_at=timezone.now(), actor=registrar)
    req.decision_notified_on = timezone.localdate() - dt.timedelta(weeks=8)
    req.save(update_fields=["decision_notified_on"])
    with pytest.raises(TransitionNotAllowed, match="överklagande väntar"):
        svc.disclosure_close(request=req, actor=registrar, reason="completed", note="Klart.")
    assert LegalHold.objects.active().filter(target_id=str(doc.pk)).exists()
    svc.disclosure_appeal_close(request=req, outcome="upheld", actor=registrar)
    req.refresh_from_db()
    assert req.status == "closed" and req.appeal_status == "upheld"
    assert not LegalHold.objects.active().filter(target_id=str(doc.pk)).exists()


def test_appeal_overturned_targets_back_to_review_still_held(registrar, ground, setting):
    req, doc = _refused(registrar, ground)
    svc.disclosure_decision_issue(request=req, actor=registrar, reasoning="Skäl.")
    svc.disclosure_appeal_register(request=req, received_at=timezone.now(), actor=registrar)
    svc.disclosure_appeal_close(request=req, outcome="overturned", actor=registrar)
    req.refresh_from_db()
    assert req.status == "in_review" and req.items.get().outcome == "pending"
    assert LegalHold.objects.active().filter(target_id=str(doc.pk)).exists()
    svc.disclosure_review(item=req.items.get(), outcome="release", actor=registrar)
    svc.disclosure_decide(request=req, actor=registrar)
    assert "diabetes" in _text(svc.disclosure_deliver(request=req, actor=registrar))


def test_appeal_of_official_refusal_refused(registrar, ground):
    req, _doc = _refused(registrar, ground)
    with pytest.raises(TransitionNotAllowed, match="TF 2 kap. 19 §"):
        svc.disclosure_appeal_register(request=req, received_at=timezone.now(), actor=registrar)


# --- the decision letter ---------------------------------------------------------------------------------


def test_decision_letter_lists_every_target_part_ground_body_reasoning_and_appeal(registrar, ground, setting):
    sender_ground = LegalGroundFactory(code="OSL 21 kap. 3 §", title="Skyddade personuppgifter")
    released = DocumentFactory(content="Öppen text.")
    masked = DocumentFactory(sender="Hemlig Avsändare", secret_sender=True, content=f"Hej. {HEALTH}")
    item = ItemFactory(text="Kommentar om min granne.")
    req = _create(registrar, released, masked, targets=[("moderation.item", item.pk)])
    a, b, c = req.items.order_by("id")
    svc.disclosure_review(item=a, outcome="release", actor=registrar)
    svc.disclosure_review(item=b, outcome="release_masked", actor=registrar, legal_ground=ground,
                          masked_parts=[{"part": "sender", "legal_ground": sender_ground.code},
                                        {"part": "content", "text": HEALTH}],
                          reasoning="Avsändaren har skyddade personuppgifter.")
    svc.disclosure_review(item=c, outcome="refuse", actor=registrar, legal_ground=ground,
                          reasoning="Kommentaren rör en enskilds personliga förhållanden.")
    svc.disclosure_decide(request=req, actor=registrar)
    svc.disclosure_deliver(request=req, actor=registrar)
    letter = svc.disclosure_decision_issue(request=req, actor=registrar,
                                           reasoning="Det står inte klart att uppgifterna kan röjas utan men.")
    text = _letter_text(letter)
    assert "Hemlig Avsändare" not in text and "diabetes" not in text  # masked content is never quoted
    assert f"{released.number}: Lämnas ut." in text
    assert f"{masked.number}: Lämnas ut med maskering" in text
    assert "avsändare/mottagare enligt OSL 21 kap. 3 § (Skyddade personuppgifter)" in text
    assert "1 avsnitt i innehållet enligt OSL 26 kap. 1 § (Socialtjänst)" in text
    assert f"Kommentar {item.pk} på {item.channel.slug}: Lämnas inte ut (avslag) enligt OSL 26 kap. 1 §" in text
    assert "2 kap. 19 § tryckfrihetsförordningen" in text and "6 kap. 7–8 §§" in text
    assert "TF 6 kap. 7 §" not in text and "laga kraft" not in text
    assert "Kammarrätten i Sundsvall" in text and "tre veckor" in text and "44 § förvaltningslagen" in text
    assert "Skäl för beslutet (32 § förvaltningslagen)" in text and "röjas utan men" in text
    assert "Avsändaren har skyddade personuppgifter." in text
    assert ("Beslutet har fattats av Kommunstyrelsen, enligt delegationsordning punkt 1.3, av "
            f"{registrar.get_full_name()}, registrator.") in text
    assert letter.document.number in text and req.reference in text


def test_decision_letter_registered_in_request_case_with_request_as_incoming(registrar, ground, setting):
    req, _doc = _refused(registrar, ground)
    letter = svc.disclosure_decision_issue(request=req, actor=registrar, reasoning="Skäl.")
    req.refresh_from_db()
    assert req.case is not None and req.case.series.code == "UTL" and req.case.number.startswith("UTL ")
    docs = list(Document.objects.filter(case=req.case).order_by("sequence"))
    assert [d.direction for d in docs] == ["incoming", "outgoing"]
    assert docs[1] == letter.document and docs[1].number == f"{req.case.number}-2"
    assert req.reference in docs[0].description and "Beslut om utlämnande" in docs[1].description
    assert "Skäl för beslutet" in docs[1].content and docs[1].content_sha256


def test_decision_letter_registered_in_configured_collection_case(registrar, ground):
    collection = CaseFactory(title="Utlämnande av allmänna handlingar 2026", status="open")
    DisclosureDecisionSettingFactory(case=collection, series=None)
    req, _doc = _refused(registrar, ground)
    letter = svc.disclosure_decision_issue(request=req, actor=registrar, reasoning="Skäl.")
    assert letter.document.case == collection


def test_decision_uses_unit_setting_over_default(registrar, ground, setting, unit):
    DisclosureDecisionSettingFactory(unit=unit, deciding_body="Kultur- och fritidsnämnden",
                                     delegation="delegationsordning punkt 4.2")
    req, _doc = _refused(registrar, ground)
    assert req.unit == unit  # the actor's unit
    text = _letter_text(svc.disclosure_decision_issue(request=req, actor=registrar, reasoning="Skäl."))
    assert "Kultur- och fritidsnämnden, enligt delegationsordning punkt 4.2" in text
