"""Secrecy follows the information (issue 9, deliver 2): the read functions, the masking of items
and accounts, its cost, lifting and expiry, extending a sender marking to the same sender, stored
files, notifications. The surface-by-role matrix is in test_secrecy_leak_matrix.py."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEvent
from moderation.models import Item
from moderation.queue.secrecy import (
    MASK_SENDER,
    item_secret_parts,
    items_load_secrecy,
    notification_item_summary,
)
from records.diarium.services.cases import case_open
from records.diarium.services.registration import document_register_from_source
from records.models import Document, SecrecyPart
from records.secrecy.services import (
    notification_document_summary,
    secrecy_extend_to_sender,
    secrecy_lift,
    secrecy_mark,
    sender_relatives,
    source_secrecy,
    target_secrecy,
)
from tests.factories import LegalGroundFactory, SeriesFactory
from tests.factories_moderation import AuthorFactory, ChannelFactory, FlagFactory, ItemFactory

pytestmark = pytest.mark.django_db

SENDER = "Greta Gömd"
TEXT = "Mitt personnummer är 811218-9876 och jag bor på Hemliga gatan 3."


@pytest.fixture
def ground():
    return LegalGroundFactory(code="OSL 21 kap. 3 §", title="Skyddade personuppgifter")


@pytest.fixture
def channel(unit):
    return ChannelFactory(slug="exempelstad-facebook", unit=unit)


@pytest.fixture
def author(channel):
    return AuthorFactory(channel=channel, display_name=SENDER, username="greta.gomd", external_id="fb-5551")


@pytest.fixture
def case(users):
    return case_open(series=SeriesFactory(code="KS"), title="Kommentarer", actor=users["registrar"])


def _register(item, case, registrar, **secret_parts):
    return document_register_from_source(source_type="moderation.item", source_id=str(item.pk), case=case,
                                         reason="confidential", actor=registrar, description="Kommentar",
                                         secret_parts=secret_parts or None)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the read functions -------------------------------------------------------------------------------


def test_source_secrecy_many_sources_one_query_parts_per_source(channel, author, case, users, ground):
    items = [ItemFactory(channel=channel, author=author) for _ in range(3)]
    _register(items[0], case, users["registrar"], sender=ground)
    _register(items[1], case, users["registrar"], content=ground, sender=ground)
    with CaptureQueriesContext(connection) as ctx:
        parts = source_secrecy("moderation.item", [i.pk for i in items])
    assert len(ctx.captured_queries) == 1
    assert parts == {str(items[0].pk): {"sender"}, str(items[1].pk): {"content", "sender"}}


def test_target_secrecy_item_joins_own_flag_document_and_account(channel, author, case, users, ground):
    confidential = ItemFactory(channel=channel, secret=True, author=AuthorFactory(channel=channel))
    registered = ItemFactory(channel=channel, author=author)
    sibling = ItemFactory(channel=channel, author=author)
    _register(registered, case, users["registrar"], sender=ground)
    parts = target_secrecy("moderation.item", [confidential.pk, registered.pk, sibling.pk])
    assert parts == {str(confidential.pk): {"content"}, str(registered.pk): {"sender"}, str(sibling.pk): {"sender"}}
    assert target_secrecy("moderation.author", [author.pk]) == {str(author.pk): {"sender"}}


def test_item_content_secret_when_document_content_marked_not_own_flag(channel, case, users, ground):
    item = ItemFactory(channel=channel, text=TEXT)
    document = _register(item, case, users["registrar"])
    assert not Item.objects.get(pk=item.pk).content_secret
    secrecy_mark(document=document, part="content", legal_ground=ground, actor=users["registrar"])
    fresh = Item.objects.get(pk=item.pk)
    assert fresh.secret is False and fresh.content_secret
    assert not fresh.content_visible_to(users["auditor"]) and fresh.content_visible_to(users["registrar"])


def test_author_str_masked_by_default_when_sender_marked(channel, author, case, users, ground):
    item = ItemFactory(channel=channel, author=author)
    assert str(author) == SENDER
    _register(item, case, users["registrar"], sender=ground)
    assert str(type(author).objects.get(pk=author.pk)) == MASK_SENDER


def test_lift_sender_marking_unmasks_account_everywhere(channel, author, case, users, ground):
    item = ItemFactory(channel=channel, author=author)
    document = _register(item, case, users["registrar"], sender=ground)
    data = _client(users["auditor"]).get(f"/api/v1/authors/{author.pk}/").json()
    assert data["display_name"] is None and data["masked"] is True
    secrecy_lift(marking=document.secrecy_markings.get(), actor=users["registrar"], reason="Skyddet har upphört.")
    data = _client(users["auditor"]).get(f"/api/v1/authors/{author.pk}/").json()
    assert data["display_name"] == SENDER and data["masked"] is False


def test_expired_content_marking_no_longer_masks_item(channel, case, users, ground, monkeypatch):
    item = ItemFactory(channel=channel, text=TEXT)
    document = _register(item, case, users["registrar"])
    secrecy_mark(document=document, part="content", legal_ground=ground, actor=users["registrar"],
                 expires_on=timezone.localdate() + dt.timedelta(days=1))
    assert _client(users["auditor"]).get(f"/api/v1/items/{item.pk}/").json()["text"] is None
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date.today() + dt.timedelta(days=2))
    assert _client(users["auditor"]).get(f"/api/v1/items/{item.pk}/").json()["text"] == TEXT


# --- the API and the queue -----------------------------------------------------------------------------


def test_item_api_search_secret_text_counts_zero_without_right_one_for_registrar(channel, case, users, ground):
    item = ItemFactory(channel=channel, text=TEXT, search_text=TEXT.casefold())
    ItemFactory(channel=channel, text="Badhuset är stängt.", search_text="badhuset är stängt.")
    document = _register(item, case, users["registrar"])
    secrecy_mark(document=document, part="content", legal_ground=ground, actor=users["registrar"])
    for who in ("moderator", "auditor", "archivist", "administrator"):
        assert _client(users[who]).get("/api/v1/items/", {"q": "personnummer"}).json()["count"] == 0, who
        assert _client(users[who]).get("/api/v1/items/", {"q": "badhuset"}).json()["count"] == 1, who
    data = _client(users["registrar"]).get("/api/v1/items/", {"q": "personnummer"}).json()
    assert data["count"] == 1 and data["results"][0]["text"] == TEXT


def test_item_api_masked_item_has_null_fields_and_masked_parts(channel, author, case, users, ground):
    item = ItemFactory(channel=channel, author=author, text=TEXT, url="https://www.facebook.com/x?comment_id=77")
    FlagFactory(item=item, detail="Personnummer 811218-9876", matched_terms=["personnummer"])
    _register(item, case, users["registrar"], sender=ground, content=ground)
    data = _client(users["auditor"]).get(f"/api/v1/items/{item.pk}/").json()
    assert data["masked"] is True and data["masked_parts"] == ["content", "sender"] and data["secret"] is True
    assert data["text"] is None and data["url"] is None
    assert data["author"] == {"id": author.pk, "external_id": None, "display_name": None}
    assert data["flags"][0]["detail"] is None and data["flags"][0]["spans"] == []
    assert data["flags"][0]["matched_terms"] == []


def test_author_api_search_by_secret_name_finds_nothing_without_right(channel, author, case, users, ground):
    _register(ItemFactory(channel=channel, author=author), case, users["registrar"], sender=ground)
    assert _client(users["auditor"]).get("/api/v1/authors/", {"q": "Gömd"}).json()["count"] == 0
    before = AuditEvent.objects.filter(action="secret_viewed").count()
    data = _client(users["registrar"]).get("/api/v1/authors/", {"q": "Gömd"}).json()
    assert data["count"] == 1 and data["results"][0]["display_name"] == SENDER
    assert AuditEvent.objects.filter(action="secret_viewed").count() == before + 1


def test_queue_page_with_secret_rows_query_count_same_for_10_and_100_rows(client_for, channel, case, users, ground):
    authors = [AuthorFactory(channel=channel) for _ in range(5)]
    items = [ItemFactory(channel=channel, author=authors[n % 5], text=f"Text nummer {n}.") for n in range(40)]
    _register(items[0], case, users["registrar"], sender=ground)
    _register(items[1], case, users["registrar"], content=ground)
    c = client_for("moderator")
    c.get("/granskning/")
    counts = []
    for per_page in (10, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = c.get("/granskning/", {"per_page": per_page})
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    body = response.content.decode()
    assert f"{authors[0].display_name}<" not in body and MASK_SENDER in body
    assert "Text nummer 1." not in body and "Text nummer 2." in body


def test_items_load_secrecy_two_queries_for_any_number(channel, case, users, ground):
    items = [ItemFactory(channel=channel) for _ in range(30)]
    _register(items[3], case, users["registrar"], sender=ground)
    fresh = list(Item.objects.filter(pk__in=[i.pk for i in items]).select_related("author"))
    with CaptureQueriesContext(connection) as ctx:
        items_load_secrecy(fresh)
        parts = [item_secret_parts(i) for i in fresh]
    assert len(ctx.captured_queries) == 2
    assert sum(1 for p in parts if p) == 1


def test_item_page_audits_secret_view_for_registrar_once(channel, author, case, users, ground):
    item = ItemFactory(channel=channel, author=author, text=TEXT)
    _register(item, case, users["registrar"], content=ground)
    response = _client(users["registrar"]).get(f"/granskning/inlagg/{item.pk}/")
    assert response.status_code == 200 and "811218-9876" in response.content.decode()
    events = AuditEvent.objects.filter(action="secret_viewed", target_type="moderation.item", target_id=str(item.pk))
    assert events.count() == 1 and events.get().detail == {"parts": ["content"], "surface": "item_page"}


def test_snapshot_leaves_out_secret_sender_and_content_of_registered_item(channel, author, case, users, ground):
    from moderation.platforms.snapshot import SECRET_OMITTED, snapshot_build

    post = ItemFactory(channel=channel, outgoing=True, received_at=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
    comment = ItemFactory(channel=channel, author=author, text=TEXT, parent=post, root_post=post,
                          received_at=dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC))
    _register(comment, case, users["registrar"], sender=ground, content=ground)
    text, meta = snapshot_build(channel=channel, period_end=dt.date(2026, 6, 30))
    assert SENDER not in text and "811218-9876" not in text and SECRET_OMITTED in text
    assert meta["posts"][0]["comments"][0]["author"] == MASK_SENDER


# --- extending a sender marking -----------------------------------------------------------------------


def test_sender_relatives_lists_same_text_documents_and_same_account_items(channel, author, case, users, ground):
    registrar = users["registrar"]
    first, second, third = (ItemFactory(channel=channel, author=author) for _ in range(3))
    document = _register(first, case, registrar, sender=ground)
    registered = _register(second, case, registrar)
    from records.diarium.services.registration import document_register

    letter = document_register(case=case, direction="incoming", date=dt.date(2026, 3, 1), sender=SENDER.upper(),
                               description="Brev", reason="adds_to_case", actor=registrar)
    relatives = sender_relatives(document=Document.objects.with_secrecy().get(pk=document.pk))
    assert {d.pk for d in relatives.documents} == {registered.pk, letter.pk}
    assert [(m.type, m.id, m.why) for m in relatives.sources] == [("moderation.item", str(third.pk), "samma konto")]


def test_secrecy_extend_to_sender_marks_documents_registers_items_one_audit(channel, author, case, users, ground):
    registrar = users["registrar"]
    first, second, third = (ItemFactory(channel=channel, author=author) for _ in range(3))
    document = _register(first, case, registrar, sender=ground)
    registered = _register(second, case, registrar)
    result = secrecy_extend_to_sender(document=document, actor=registrar, documents=[registered.pk],
                                      sources=[("moderation.item", str(third.pk))])
    assert result["marked"] == [registered.number] and len(result["registered"]) == 1
    new = Document.objects.from_source("moderation.item", third.pk).get()
    assert new.case_id == case.pk and new.reason == "confidential"
    for doc in (registered, new):
        marking = doc.secrecy_markings.get(part=SecrecyPart.SENDER)
        assert marking.legal_ground == ground and marking.lifted_at is None
    event = AuditEvent.objects.filter(detail__operation="secrecy_extend_to_sender").get()
    assert SENDER not in str(event.detail)
    assert not sender_relatives(document=Document.objects.with_secrecy().get(pk=document.pk))


def test_secrecy_extend_to_sender_unrelated_document_refused_nothing_marked(channel, author, case, users, ground):
    from accounts.errors import DomainError

    registrar = users["registrar"]
    document = _register(ItemFactory(channel=channel, author=author), case, registrar, sender=ground)
    stranger = _register(ItemFactory(channel=channel), case, registrar)
    with pytest.raises(DomainError, match="samma avsändare"):
        secrecy_extend_to_sender(document=document, actor=registrar, documents=[stranger.pk])
    assert not stranger.secrecy_markings.exists()


def test_secrecy_extend_without_sender_marking_refused(channel, case, users):
    from accounts.errors import DomainError

    document = _register(ItemFactory(channel=channel), case, users["registrar"])
    with pytest.raises(DomainError, match="inte sekretessmarkerad"):
        secrecy_extend_to_sender(document=document, actor=users["registrar"], documents=[1])


def test_mark_sender_in_ui_redirects_to_same_sender_list_then_extend(channel, author, case, users, ground):
    registrar = users["registrar"]
    first, second = ItemFactory(channel=channel, author=author), ItemFactory(channel=channel, author=author)
    document = _register(first, case, registrar)
    c = _client(registrar)
    response = c.post(f"/diarium/handlingar/{document.pk}/sekretess/", {"part": "sender", "legal_ground": ground.pk})
    assert response.status_code == 302 and response["Location"].endswith("#same-sender")
    page = c.get(response["Location"]).content.decode()
    assert 'id="same-sender"' in page and f'value="moderation.item:{second.pk}"' in page
    response = c.post(f"/diarium/handlingar/{document.pk}/sekretess/samma-avsandare/",
                      {"sources": [f"moderation.item:{second.pk}"]})
    assert response.status_code == 302
    assert Document.objects.from_source("moderation.item", second.pk).get().secret_parts() == {"sender"}


@pytest.mark.parametrize("who", ["moderator", "archivist", "auditor", "administrator", "norole"])
def test_extend_view_other_roles_forbidden(channel, author, case, users, ground, who):
    document = _register(ItemFactory(channel=channel, author=author), case, users["registrar"], sender=ground)
    other = ItemFactory(channel=channel, author=author)
    response = _client(users[who]).post(f"/diarium/handlingar/{document.pk}/sekretess/samma-avsandare/",
                                        {"sources": [f"moderation.item:{other.pk}"]})
    assert response.status_code == 403, response.content[:200]
    assert not Document.objects.from_source("moderation.item", other.pk).exists()


def test_api_same_sender_lists_and_extends(channel, author, case, users, ground):
    registrar = users["registrar"]
    document = _register(ItemFactory(channel=channel, author=author), case, registrar, sender=ground)
    other = ItemFactory(channel=channel, author=author)
    c = _client(registrar)
    url = f"/api/v1/documents/{document.pk}/secrecy/same-sender/"
    assert c.get(url).json()["sources"][0]["id"] == str(other.pk)
    response = c.post(url, {"sources": [{"type": "moderation.item", "id": str(other.pk)}]},
                      content_type="application/json")
    assert response.status_code == 201, response.content
    assert len(response.json()["registered"]) == 1
    assert _client(users["auditor"]).get(url).status_code == 403
    response = c.post(url, {"documents": [999999]}, content_type="application/json")
    assert response.status_code == 400 and "samma avsändare" in response.json()["detail"]


def test_api_secrecy_mark_and_lift_document_part(channel, case, users, ground):
    document = _register(ItemFactory(channel=channel), case, users["registrar"])
    c = _client(users["registrar"])
    url = f"/api/v1/documents/{document.pk}/secrecy/"
    response = c.post(url, {"part": "content", "legal_ground": ground.code}, content_type="application/json")
    assert response.status_code == 201 and response.json()[0]["part"] == "content"
    assert c.post(url, {"part": "content", "legal_ground": ground.code},
                  content_type="application/json").status_code == 409
    response = c.post(url + "lift/", {"part": "content", "reason": "Fel del."}, content_type="application/json")
    assert response.status_code == 200 and response.json() == []
    assert _client(users["auditor"]).post(url, {"part": "sender", "legal_ground": ground.code},
                                          content_type="application/json").status_code == 403


# --- stored files ------------------------------------------------------------------------------------


def test_media_not_served_even_with_debug(settings, tmp_path, client_for):
    import config.urls

    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "BAH-2026-0001-beslut.pdf").write_bytes(b"%PDF-1.4 hemligt")
    settings.DEBUG = True
    try:
        importlib.reload(config.urls)
        with override_settings(ROOT_URLCONF="config.urls"):
            assert Client().get("/media/letters/BAH-2026-0001-beslut.pdf").status_code == 404
            assert client_for("registrar").get("/media/letters/BAH-2026-0001-beslut.pdf").status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)


def test_stored_letter_has_unguessable_name_and_no_url(settings, tmp_path, users):
    from records.models import DisclosureDecisionLetter, DisclosureRequest

    settings.MEDIA_ROOT = str(tmp_path)
    req = DisclosureRequest.objects.create(reference="BAH-2026-0099", request_text="x", channel_in="email",
                                           received_at=timezone.now(), deadline_at=timezone.now())
    letter = DisclosureDecisionLetter(request=req, kind="release", sha256="0" * 64)
    letter.pdf.save("BAH-2026-0099-beslut.pdf", ContentFile(b"%PDF-1.4"), save=True)
    assert "BAH" not in letter.pdf.name and letter.pdf.name.endswith(".pdf")
    assert len(letter.pdf.name.rsplit("/", 1)[1]) == 32 + 4
    with pytest.raises(ValueError, match="vy som kontrollerar"):
        letter.pdf.url  # noqa: B018 - the property itself must refuse


# --- notifications -------------------------------------------------------------------------------------


def test_notification_summaries_never_carry_secret_parts(channel, author, case, users, ground):
    item = ItemFactory(channel=channel, author=author, text=TEXT)
    plain = ItemFactory(channel=channel, text="Badhuset är stängt i dag.")
    document = _register(item, case, users["registrar"], sender=ground, content=ground)
    summary = notification_item_summary(Item.objects.select_related("channel", "author").get(pk=item.pk))
    assert SENDER not in summary and "811218" not in summary and "sekretess" in summary
    assert "Badhuset är stängt" in notification_item_summary(plain)
    text = notification_document_summary(Document.objects.with_secrecy().get(pk=document.pk))
    assert SENDER not in text and document.number in text
