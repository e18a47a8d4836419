import datetime as dt

import pytest
from django.test import Client

from records.diarium.services.cases import case_open
from records.diarium.services.registration import document_register, document_void
from tests.factories import LegalGroundFactory, SeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(users):
    series = SeriesFactory(code="KS")
    ground = LegalGroundFactory(code="OSL 21 kap. 3 §", title="Skyddade personuppgifter")
    case = case_open(series=series, title="Synpunkter", actor=users["registrar"], opened_at=dt.date(2026, 3, 1))

    def reg(**kw):
        args = {"case": case, "direction": "incoming", "date": dt.date(2026, 3, 2), "sender": "Bolaget AB",
                "sender_is_private_person": False, "description": "Skrivelse om parkering", "reason": "other",
                "actor": users["registrar"], "content": "INNEHÅLL-ALDRIG-PUBLIKT"}
        args.update(kw)
        return document_register(**args)

    return {
        "company": reg(),
        "private": reg(sender="Pelle Privatsson", sender_is_private_person=True, description="Kommentar om skolan",
                       date=dt.date(2026, 3, 10)),
        "secret": reg(sender="Hemliga Hanna", secret_parts={"sender": ground}, description="Raderad kommentar",
                      date=dt.date(2026, 3, 20)),
        "secret_desc": reg(description="Orosanmälan om barnet Kalle", public_description="Meddelande",
                           secret_parts={"description": ground}),
        "voided": document_void(document=reg(description="Felregistrerad XYZ"), actor=users["registrar"],
                                reason="Fel"),
    }


def test_postlista_anonymous_no_cookies_masked(documents):
    r = Client().get("/postlista/")
    body = r.content.decode()
    assert r.status_code == 200
    assert not r.cookies, r.cookies
    assert "Bolaget AB" in body and documents["company"].number in body
    for hidden in ("Pelle Privatsson", "Hemliga Hanna", "Orosanmälan", "INNEHÅLL-ALDRIG-PUBLIKT", "Felregistrerad"):
        assert hidden not in body, hidden
    assert "[privatperson]" in body and "[skyddad uppgift]" in body and "Meddelande" in body
    assert "http://" not in body.replace("http://www.w3.org", "") and "https://" not in body


def test_postlista_search_text_number_dates(documents):
    c = Client()
    assert "Kommentar om skolan" in c.get("/postlista/?q=skolan").content.decode()
    assert "Skrivelse om parkering" not in c.get("/postlista/?q=skolan").content.decode()
    assert documents["secret_desc"].number not in c.get("/postlista/?q=Orosanmälan").content.decode()
    assert documents["private"].number not in c.get("/postlista/?q=Privatsson").content.decode()
    r = c.get("/postlista/", {"date_from": "2026-03-15", "date_to": "2026-03-31"}).content.decode()
    assert documents["secret"].number in r and documents["private"].number not in r
    r = c.get("/postlista/", {"number": documents["private"].number}).content.decode()
    assert "Kommentar om skolan" in r and "Skrivelse om parkering" not in r


def test_postlista_shows_private_names_when_setting_off(documents, settings):
    settings.UPPSIKT_HIDE_PRIVATE_SENDERS = False
    body = Client().get("/postlista/").content.decode()
    assert "Pelle Privatsson" in body and "Hemliga Hanna" not in body


def test_postlista_paginates_with_fixed_queries(documents, users, django_assert_max_num_queries):
    case = documents["company"].case
    for n in range(30):
        document_register(case=case, direction="outgoing", date=dt.date(2026, 4, 1), sender="Kommunen",
                          sender_is_private_person=False, description=f"Svar {n}", reason="other",
                          actor=users["registrar"])
    with django_assert_max_num_queries(6):
        r = Client().get("/postlista/")
    assert 'rel="next"' in r.content.decode()
    assert Client().get("/postlista/?page=2").status_code == 200


def _purge_document(document, users, make_user):
    """Purge one document through a real purge list (class SM-2, due long ago, case closed)."""
    from records.models import RetentionClass
    from records.retention.services.purge import (
        purge_list_approve,
        purge_list_draft,
        purge_list_execute,
        purge_list_propose,
    )

    archivist2 = make_user("archivist", username="archivist2")
    type(document).objects.filter(pk=document.pk).update(
        retention_class=RetentionClass.objects.get(code="SM-2"), retention_due=dt.date(2025, 1, 1))
    pl = purge_list_draft(actor=users["archivist"], target_types=["records.document"])
    purge_list_propose(purge_list=pl, actor=users["archivist"])
    purge_list_approve(purge_list=pl, actor=archivist2)
    purge_list_execute(purge_list=pl, actor=archivist2)
    return pl


def test_postlista_purged_and_voided_numbers_listed_as_such(documents, users, make_user):
    pl = _purge_document(documents["private"], users, make_user)
    body = Client().get("/postlista/").content.decode()
    # Every number is listed: the voided one as "makulerad", the purged one with its purge list.
    for doc in documents.values():
        assert doc.number in body, doc.number
    assert "Makulerad" in body and f"Gallrad enligt {pl.reference}" in body
    assert "Kommentar om skolan" in body  # the public description the register line keeps
    for gone in ("Pelle Privatsson", "Felregistrerad", "INNEHÅLL-ALDRIG-PUBLIKT"):
        assert gone not in body, gone
    # A voided registration is found by its number, never by what it said.
    c = Client()
    assert documents["voided"].number in c.get("/postlista/", {"q": documents["voided"].number}).content.decode()
    assert documents["voided"].number not in c.get("/postlista/", {"q": "Felregistrerad"}).content.decode()


def test_purge_document_keeps_register_line_removes_content_and_sender(documents, users, make_user):
    from records.models import Document, Tombstone

    doc = documents["private"]
    pl = _purge_document(doc, users, make_user)
    doc = Document.objects.get(pk=doc.pk)
    assert doc.purged_at is not None
    # OSL 5 kap. 2 §: number, date, direction, public description and class stay; the diarium is kept.
    assert (doc.number, doc.date, doc.direction) == (documents["private"].number, dt.date(2026, 3, 10), "incoming")
    assert doc.public_description == "Kommentar om skolan" and doc.retention_class.code == "SM-2"
    assert doc.sender == "" and doc.content == "" and doc.content_sha256 == ""
    assert not Document.history.filter(id=doc.pk).exists()
    stone = Tombstone.objects.get(target_type="records.document", target_id=str(doc.pk))
    assert stone.basis_reference == pl.reference and stone.number_or_reference == doc.number


def test_purge_document_secret_description_keeps_only_public_description(documents, users, make_user):
    from records.models import Document

    doc = documents["secret_desc"]
    _purge_document(doc, users, make_user)
    doc = Document.objects.get(pk=doc.pk)
    assert "Orosanmälan" not in doc.description and "Orosanmälan" not in doc.public_description
    assert doc.public_description == "Meddelande"
    assert "Orosanmälan" not in Client().get("/postlista/").content.decode()
