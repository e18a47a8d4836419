"""The leak matrix: a secret part never reaches a user without records.view_secret, on any surface.

OSL 5 kap. 2 §, DESIGN.md: not in lists, detail pages, search results, the API, history views, the
admin, the postlista or error pages. The registrar sees it, and that is an audit event.
"""

import datetime as dt

import pytest
from django.test import Client

from accounts.models import AuditEvent
from records.diarium.services.cases import case_open
from records.diarium.services.registration import document_register, document_update_description
from records.diarium.services.search import document_search
from tests.factories import LegalGroundFactory, SeriesFactory

pytestmark = pytest.mark.django_db

SECRET_SENDER = "Sigrid Sekretessdotter"
SECRET_CONTENT = "HEMLIG-TEXT-7731 om skyddad adress"
SECRET_DESCRIPTION = "Skyddad uppgift Q9X7Z om Sigrid"
SECRETS = (SECRET_SENDER, SECRET_CONTENT, SECRET_DESCRIPTION, "Sekretessdotter", "HEMLIG-TEXT-7731", "Q9X7Z")

SURFACES = {
    "document list": lambda c: "/diarium/handlingar/",
    "document detail": lambda c: f"/diarium/handlingar/{c['document'].pk}/",
    "case page": lambda c: f"/diarium/arenden/{c['case'].pk}/",
    "search results": lambda c: "/diarium/sok/?q=Kommentar",
    "search by secret word": lambda c: "/diarium/sok/?q=Sekretessdotter&number=KS",
    "api list": lambda c: "/api/v1/documents/",
    "api detail": lambda c: f"/api/v1/documents/{c['document'].pk}/",
    "api search": lambda c: "/api/v1/documents/?q=Kommentar",
    "history": lambda c: f"/historik/records/document/{c['document'].pk}/",
    "admin list": lambda c: "/admin/records/document/",
    "admin change": lambda c: f"/admin/records/document/{c['document'].pk}/change/",
    "admin history": lambda c: f"/admin/records/document/{c['document'].pk}/history/",
    "postlista": lambda c: "/postlista/",
    "postlista search": lambda c: "/postlista/?q=Kommentar",
    "audit log": lambda c: "/granskningslogg/",
    "not found": lambda c: "/diarium/handlingar/99999999/",
}
ROLES = ("moderator", "archivist", "administrator", "auditor", "norole", "anonymous")


@pytest.fixture
def secret_document(users):
    series = SeriesFactory(code="KS")
    ground = LegalGroundFactory(code="OSL 21 kap. 3 §", title="Skyddade personuppgifter")
    case = case_open(series=series, title="Kommentarer i sociala medier", actor=users["registrar"],
                     opened_at=dt.date(2026, 2, 1))
    document = document_register(
        case=case, direction="incoming", date=dt.date(2026, 2, 2), sender=SECRET_SENDER,
        description=SECRET_DESCRIPTION, public_description="Kommentar med skyddade uppgifter",
        reason="confidential", actor=users["registrar"], content=SECRET_CONTENT,
        secret_parts={"sender": ground, "content": ground, "description": ground},
    )
    # A change, so the history view has old and new values to (not) show.
    document_update_description(document=document, actor=users["registrar"], description=SECRET_DESCRIPTION + "!",
                                public_description="Kommentar med skyddade uppgifter")
    return {"document": document, "case": case}


def _get(who, users, url):
    client = Client()
    if who != "anonymous":
        client.force_login(users[who])
    return client.get(url)


@pytest.mark.parametrize("surface", list(SURFACES))
def test_secret_part_absent_for_every_role_on_surface(secret_document, users, surface):
    # One test per surface, every role inside it (keeps the matrix fast: the fixture is built once).
    for who in ROLES:
        r = _get(who, users, SURFACES[surface](secret_document))
        body = r.content.decode("utf-8", errors="replace")
        for secret in SECRETS:
            if surface == "search by secret word" and secret == "Sekretessdotter":
                continue  # the user's own query is echoed in the search box
            assert secret not in body, f"{surface} as {who} ({r.status_code}) leaks {secret!r}"


@pytest.mark.parametrize("surface", ["document list", "document detail", "case page", "api list", "api detail"])
def test_registrar_sees_secret_and_is_audited(secret_document, users, surface):
    before = AuditEvent.objects.filter(action="secret_viewed", actor=users["registrar"]).count()
    r = _get("registrar", users, SURFACES[surface](secret_document))
    assert r.status_code == 200, r.content[:500]
    assert SECRET_SENDER in r.content.decode()
    after = AuditEvent.objects.filter(action="secret_viewed", actor=users["registrar"]).count()
    assert after == before + 1
    event = AuditEvent.objects.filter(action="secret_viewed").latest("id")
    assert event.target_id == str(secret_document["document"].pk)
    assert not any(s in str(event.detail) for s in SECRETS)


def test_search_secret_word_finds_nothing_without_permission(secret_document, users):
    assert not document_search(user=users["auditor"], q="Sekretessdotter").exists()
    assert not document_search(user=users["auditor"], q="HEMLIG-TEXT-7731").exists()
    assert not document_search(public=True, q="Sekretessdotter").exists()
    assert document_search(user=users["registrar"], q="Sekretessdotter").exists()
    assert document_search(user=users["auditor"], q="skyddade").exists()


def test_api_masks_secret_fields_with_null(secret_document, users):
    client = Client()
    client.force_login(users["auditor"])
    data = client.get(f"/api/v1/documents/{secret_document['document'].pk}/").json()
    assert data["masked"] is True
    assert data["sender"] is None and data["content"] is None and data["description"] is None
    assert {s["part"] for s in data["secrecy"]} == {"sender", "content", "description"}
    assert data["secrecy"][0]["legal_ground"] == "OSL 21 kap. 3 §"
