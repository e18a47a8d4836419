"""Who a registered document is from or to: outgoing documents name the author replied to, never the
municipality's own channel; organisations are never labelled private persons; the item page states the
legal basis for names (GDPR art. 6.1 e) beside the policy's words (issue 9 item 6)."""

import pytest

from moderation.registry_hooks import author_kind, item_snapshot
from records.diarium.services.registration import document_register_from_source
from records.secrecy.services import public_view
from tests.factories import AuthorFactory, ChannelFactory, ItemFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def _register(item, users):
    return document_register_from_source(source_type="moderation.item", source_id=str(item.pk),
                                         series=SeriesFactory(code="KS"), new_case_title="Svar på Facebook",
                                         reason="special_interest", actor=users["registrar"])


def test_register_outgoing_reply_recipient_is_author_replied_to(users, settings):
    settings.UPPSIKT_HIDE_PRIVATE_SENDERS = True
    channel = ChannelFactory(external_id="100000000000001", name="Exempelstad på Facebook")
    question = ItemFactory(channel=channel, author=AuthorFactory(channel=channel, display_name="Karin Lind"))
    page = AuthorFactory(channel=channel, external_id=channel.external_id, display_name=channel.name)
    reply = ItemFactory(channel=channel, outgoing=True, kind="reply", parent=question, author=page,
                        text="Badhuset öppnar kl. 7 på lördagar.")
    document = _register(reply, users)
    assert document.direction == "outgoing"
    assert document.sender == "Karin Lind" and document.sender != channel.name
    # Facebook does not say whether a commenter is a person: unknown, hidden without being called private
    assert document.sender_kind == "unknown"
    assert public_view(document)["sender"] == "[namnet visas inte]"


def test_register_outgoing_post_without_parent_has_no_named_recipient(users):
    post = ItemFactory(outgoing=True)
    document = _register(post, users)
    assert document.sender == "" and post.channel.name not in (document.sender or "")


def test_register_linkedin_organisation_comment_name_shown_never_private(users, settings):
    settings.UPPSIKT_HIDE_PRIVATE_SENDERS = True
    channel = ChannelFactory(platform="linkedin", external_id="urn:li:organization:555")
    company = AuthorFactory(channel=channel, external_id="urn:li:organization:9876", display_name="Bolaget AB")
    document = _register(ItemFactory(channel=channel, author=company), users)
    assert document.sender_kind == "organisation" and not document.sender_is_private_person
    assert public_view(document)["sender"] == "Bolaget AB"
    member = AuthorFactory(channel=channel, external_id="urn:li:person:abc", display_name="Per Person")
    person_doc = _register(ItemFactory(channel=channel, author=member), users)
    assert person_doc.sender_kind == "private_person" and public_view(person_doc)["sender"] == "[privatperson]"


def test_author_kind_own_channel_is_authority():
    channel = ChannelFactory(external_id="100000000000777")
    assert author_kind(AuthorFactory(channel=channel, external_id="100000000000777")) == "authority"
    assert author_kind(AuthorFactory(channel=channel, external_id="1234")) == "unknown"


def test_item_snapshot_incoming_sender_and_kind():
    item = ItemFactory(author__display_name="Greta Gnällspik")
    snap = item_snapshot(str(item.pk))
    assert snap["sender_name"] == "Greta Gnällspik" and snap["sender_kind"] == "unknown"
    assert snap["direction"] == "incoming"


def test_proposal_accept_registrar_sets_sender_kind_organisation(users, client_for):
    from records.models import Document, RegistrationProposal

    SeriesFactory(code="KS")
    item = ItemFactory(author__display_name="Föreningen Vänner av Badhuset")
    proposal = RegistrationProposal.objects.create(source_type="moderation.item", source_id=str(item.pk),
                                                   reason="special_interest")
    r = client_for("registrar").post(f"/diarium/inkorg/{proposal.pk}/", {
        "mode": "new", "series": SeriesFactory(code="KS").pk, "case_title": "Synpunkter", "description": "Skrivelse",
        "sender_kind": "organisation"})
    assert r.status_code == 302, r.content.decode()[:2000]
    document = Document.objects.get(source_id=str(item.pk))
    assert document.sender_kind == "organisation" and public_view(document)["sender"] == item.author.display_name


def test_item_page_states_article_6_1_e_beside_policy_words(client_for, settings):
    settings.UPPSIKT_INTERACTION_POLICY_SOURCE = "Linköpings kommuns riktlinjer för sociala medier"
    channel = ChannelFactory(slug="exempelstad-facebook")
    from accounts.models import Unit

    channel.unit = Unit.objects.get(code="kommunledning")
    channel.save()
    item = ItemFactory(channel=channel)
    r = client_for("moderator").get(f"/granskning/inlagg/{item.pk}/")
    assert r.status_code == 200, r.content[:500]
    body = r.content.decode()
    assert "dataskyddsförordningen art. 6.1 e" in body and "Allmänt intresse och myndighetsutövning" in body
    assert "räknas din aktiva handling som ett samtycke" in body and "Linköpings kommuns riktlinjer" in body
    assert "räknas som samtycke till att namnet visas" not in body
