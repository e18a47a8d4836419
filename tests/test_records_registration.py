import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.errors import Conflict, DomainError, TransitionNotAllowed
from accounts.models import AuditEvent
from records import registry
from records.diarium.services.cases import case_close, case_open, case_reopen
from records.diarium.services.registration import (
    content_hash,
    document_register,
    document_register_from_source,
    document_update_description,
    document_void,
    proposal_accept,
    proposal_create,
    proposal_decline,
)
from records.models import Document, ProposalStatus, RegistrationProposal, RegistrationReason, RegistrationSetting
from records.secrecy.services import document_view, public_view, secrecy_lift, secrecy_mark
from tests.factories import LegalGroundFactory, SeriesFactory

pytestmark = pytest.mark.django_db

SOURCES = {
    "1": {"text": "Du är en idiot, kommunalråd!", "sender_name": "Kalle Karlsson", "sender_id": "fb-1",
          "direction": "incoming", "date": dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), "url": "https://x/1",
          "channel": "exempelstad-facebook", "kind": "comment", "meta": {"rules": ["defamation"]}},
    "2": {"text": "Mitt personnummer är 811218-9876 och min dotter går i klass 3B", "sender_name": "Lisa Ek",
          "sender_id": "fb-2", "direction": "incoming", "date": dt.date(2026, 3, 3), "url": "", "channel": "ig",
          "kind": "message", "meta": {}},
}


@pytest.fixture
def source():
    marked: list = []
    registry.register_source(registry.SourceAdapter(
        type="test.item", label="Testinlägg", snapshot=lambda i: dict(SOURCES[i]) if i in SOURCES else {},
        url=lambda i: f"/test/{i}/", mark_registered=lambda i, d: marked.append((i, d.number)),
    ))
    yield marked
    registry.unregister("test.item")


@pytest.fixture
def series(db):
    return SeriesFactory(code="KS", number_format="{series} {year}/{number}")


@pytest.fixture
def case(series, users):
    return case_open(series=series, title="Synpunkter i sociala medier", actor=users["registrar"],
                     opened_at=dt.date(2026, 3, 1))


def _register(case, user, **kw):
    args = {"direction": "incoming", "date": dt.date(2026, 3, 2), "sender": "Anna", "description": "Kommentar",
            "reason": "adds_to_case", "actor": user, "content": "hej"}
    args.update(kw)
    return document_register(case=case, **args)


@pytest.mark.parametrize("reason", RegistrationReason.values)
def test_document_register_every_reason_numbers_in_order(case, users, reason):
    first = _register(case, users["registrar"], reason=reason)
    second = _register(case, users["registrar"], reason=reason)
    assert (first.number, second.number) == ("KS 2026/1-1", "KS 2026/1-2")
    assert first.reason == reason


def test_document_register_unknown_reason_refused(case, users):
    with pytest.raises(DomainError):
        _register(case, users["registrar"], reason="whim")


def test_document_register_freezes_content_and_sha256(case, users):
    document = _register(case, users["registrar"], content="Originaltext")
    assert document.content_sha256 == content_hash("Originaltext")
    document.refresh_from_db()
    document.content = "Ändrad text"
    with pytest.raises(ValidationError):
        document.save()
    document.refresh_from_db()
    document_update_description(document=document, actor=users["registrar"], description="Ny beskrivning")
    document.refresh_from_db()
    assert document.content == "Originaltext"
    assert document.description == "Ny beskrivning"


def test_document_register_closed_case_refused(case, users):
    case_close(case=case, actor=users["registrar"])
    with pytest.raises(TransitionNotAllowed):
        _register(case, users["registrar"])
    case_reopen(case=case, actor=users["registrar"])
    assert _register(case, users["registrar"]).number == "KS 2026/1-1"


def test_document_void_keeps_number_taken(case, users):
    first = _register(case, users["registrar"])
    document_void(document=first, actor=users["registrar"], reason="Fel ärende")
    second = _register(case, users["registrar"])
    first.refresh_from_db()
    assert first.voided and first.void_reason == "Fel ärende"
    assert second.number == "KS 2026/1-2"
    assert Document.objects.filter(pk=first.pk).exists()
    with pytest.raises(TransitionNotAllowed):
        document_void(document=first, actor=users["registrar"], reason="igen")


def test_document_void_without_reason_refused(case, users):
    with pytest.raises(DomainError):
        document_void(document=_register(case, users["registrar"]), actor=users["registrar"], reason=" ")


def test_register_from_source_snapshot_and_mark_registered(source, series, users):
    document = document_register_from_source(source_type="test.item", source_id="1", series=series,
                                             new_case_title="Raderade kommentarer", reason="removed_inappropriate",
                                             actor=users["registrar"])
    assert document.number == "KS 2026/1-1"
    assert document.case.title == "Raderade kommentarer"
    assert document.content == SOURCES["1"]["text"]
    # the test source says nothing about its sender: unknown, so the postlista hides the name without
    # calling the sender a private person
    assert document.sender == "Kalle Karlsson" and document.sender_kind == "unknown"
    assert public_view(document)["sender"] == "[namnet visas inte]"
    assert document.date == dt.date(2026, 3, 2)
    assert document.content_meta["channel"] == "exempelstad-facebook"
    assert source == [("1", "KS 2026/1-1")]
    with pytest.raises(Conflict):
        document_register_from_source(source_type="test.item", source_id="1", case=document.case,
                                      reason="other", actor=users["registrar"])


def test_proposal_create_is_idempotent(source, users):
    a = proposal_create(source_type="test.item", source_id="1", reason="removed_inappropriate")
    b = proposal_create(source_type="test.item", source_id="1", reason="removed_inappropriate", secret=True)
    assert a.pk == b.pk and isinstance(a, RegistrationProposal)
    assert RegistrationProposal.objects.get(pk=a.pk).secret


def test_proposal_create_auto_register_setting_registers_at_once(source, series, users):
    RegistrationSetting.objects.update_or_create(reason="individual_matter",
                                                 defaults={"auto_register": True, "default_series": series})
    result = proposal_create(source_type="test.item", source_id="1", reason="individual_matter",
                             proposed_by=users["moderator"])
    assert isinstance(result, Document) and result.number == "KS 2026/1-1"
    assert proposal_create(source_type="test.item", source_id="1", reason="individual_matter").pk == result.pk


def test_proposal_accept_into_new_case_with_secret_sender(source, series, users):
    ground = LegalGroundFactory(code="OSL 21 kap. 3 §", title="Skyddade personuppgifter")
    proposal = proposal_create(source_type="test.item", source_id="1", reason="removed_inappropriate")
    document = proposal_accept(proposal=proposal, actor=users["registrar"],
                               new_case={"series": series, "title": "Raderade kommentarer mars"},
                               description="Raderad kommentar", secret_parts={"sender": ground})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.document == document
    assert document.secret_parts() == {"sender"}
    assert public_view(document)["sender"] == "[skyddad uppgift]"
    assert document_view(document, users["auditor"])["sender"] is None
    with pytest.raises(TransitionNotAllowed):
        proposal_decline(proposal=proposal, actor=users["registrar"], reason="sent")


def test_proposal_accept_secret_requires_content_marking(source, series, users):
    ground = LegalGroundFactory()
    proposal = proposal_create(source_type="test.item", source_id="2", reason="confidential", secret=True)
    with pytest.raises(DomainError):
        proposal_accept(proposal=proposal, actor=users["registrar"], new_case={"series": series, "title": "T"})
    document = proposal_accept(proposal=proposal, actor=users["registrar"], new_case={"series": series, "title": "T"},
                               secret_parts={"content": ground})
    assert "content" in document.secret_parts()


def test_proposal_decline_secret_refused(source, users):
    proposal = proposal_create(source_type="test.item", source_id="2", reason="confidential", secret=True)
    with pytest.raises(DomainError, match="OSL 5 kap. 1 §"):
        proposal_decline(proposal=proposal, actor=users["registrar"], reason="Ointressant")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_proposal_decline_plain_keeps_in_order(source, users):
    proposal = proposal_create(source_type="test.item", source_id="1", reason="special_interest")
    proposal_decline(proposal=proposal, actor=users["registrar"], reason="Inte av särskilt intresse")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED and not Document.objects.exists()


def test_proposal_accept_second_reason_attaches_to_existing_document(source, series, users):
    ground = LegalGroundFactory()
    first = proposal_create(source_type="test.item", source_id="2", reason="removed_inappropriate")
    document = proposal_accept(proposal=first, actor=users["registrar"], new_case={"series": series, "title": "T"})
    second = proposal_create(source_type="test.item", source_id="2", reason="confidential", secret=True)
    assert isinstance(second, RegistrationProposal)
    again = proposal_accept(proposal=second, actor=users["registrar"], secret_parts={"content": ground})
    assert again.pk == document.pk and Document.objects.count() == 1
    assert "content" in again.secret_parts()


def test_secrecy_mark_lift_and_expiry(case, users):
    ground = LegalGroundFactory()
    document = _register(case, users["registrar"], sender="Hemlig Person")
    marking = secrecy_mark(document=document, part="sender", legal_ground=ground, actor=users["registrar"],
                           expires_on=dt.date.today() + dt.timedelta(days=10))
    with pytest.raises(Conflict):
        secrecy_mark(document=document, part="sender", legal_ground=ground, actor=users["registrar"])
    assert document.secret_parts() == {"sender"}
    assert document.secret_parts(on=dt.date.today() + dt.timedelta(days=11)) == set()
    secrecy_lift(marking=marking, actor=users["registrar"], reason="Prövat: ingen sekretess")
    assert Document.objects.get(pk=document.pk).secret_parts() == set()
    assert not AuditEvent.objects.filter(detail__icontains="Hemlig").exists()


def test_document_view_audits_secret_for_registrar_only(case, users):
    ground = LegalGroundFactory()
    document = _register(case, users["registrar"], content="HEMLIGT", secret_parts={"content": ground})
    seen = document_view(document, users["registrar"])
    assert seen["content"] == "HEMLIGT" and not seen["masked"]
    assert AuditEvent.objects.filter(action="secret_viewed", actor=users["registrar"]).count() == 1
    masked = document_view(document, users["auditor"])
    assert masked["content"] is None and masked["content_sha256"] is None and masked["masked"]
    assert AuditEvent.objects.filter(action="secret_viewed").count() == 1


def test_public_view_hides_private_sender_and_secret_description(case, users, settings):
    ground = LegalGroundFactory()
    settings.UPPSIKT_HIDE_PRIVATE_SENDERS = True
    private = _register(case, users["registrar"], sender="Privat Person", sender_kind="private_person")
    company = _register(case, users["registrar"], sender="Bolaget AB", sender_kind="organisation")
    secret = _register(case, users["registrar"], description="Hemlig beskrivning", secret_parts={"description": ground})
    assert public_view(private)["sender"] == "[privatperson]"
    assert public_view(company)["sender"] == "Bolaget AB"
    assert public_view(secret)["description"] == "[beskrivning saknas]"
    settings.UPPSIKT_HIDE_PRIVATE_SENDERS = False
    assert public_view(private)["sender"] == "Privat Person"
