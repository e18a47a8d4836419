"""The leak matrix: every surface × every role, with the status code of each request asserted.

A comment naming its writer's personnummer is registered as a document through the real services,
and the registrar marks its sender (OSL 21 kap. 3 §) and content (OSL 26 kap. 1 §) secret. The
secrecy follows the information (issue 9, deliver 2): the item it came from, its versions, flags and
spans, its account (and the account's other items), history, search, the API, the admin, the GDPR
extract (PDF read back, JSON), disclosure letters, the archive export, error pages. For every role
without `records.view_secret` the secret strings never appear; for the registrar they do, and each
such delivery writes a `secret_viewed` audit event. Which surfaces answer 200 for which role is part
of the assertion (a 403 passes a "not in body" check trivially): see EXPECTED.

Runs on SQLite and PostgreSQL (DATABASE_URL).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from pypdf import PdfReader

from accounts.models import AuditEvent
from moderation.models import ItemVersion
from records.diarium.services.cases import case_open
from records.diarium.services.registration import document_register_from_source
from records.disclosure import services as disclosure
from records.gdpr import services as gdpr
from records.secrecy.services import secrecy_mark
from tests.factories import LegalGroundFactory, SeriesFactory
from tests.factories_moderation import AuthorFactory, ChannelFactory, FlagFactory, ItemFactory
from tests.factories_records import DisclosureDecisionSettingFactory

pytestmark = pytest.mark.django_db

SENDER = "Sigrid Sekretessdotter"
ACCOUNT = "fb-77813-sigrid"
USERNAME = "sigrid.hemlig"
PNR = "811218-9876"
WORD = "Zebrakod-4411"
COMMENT_ID = "9001_77813"
TEXT = f"Jag heter Sigrid, mitt personnummer är {PNR}. Socialtjänsten hjälper mig med {WORD}."
# Every form the secret takes on some surface (the PDF and search copies are case-folded).
SECRETS = (SENDER, "Sekretessdotter", ACCOUNT, USERNAME, PNR, "8112189876", WORD, "zebrakod", COMMENT_ID)
# The subject's own name and number on the subject's own request (given by them, shown to the handler).
OWN = (SENDER, "Sekretessdotter", PNR, "8112189876")
ROLES = ("anonymous", "norole", "moderator", "moderator2", "registrar", "archivist", "administrator", "auditor")


# --- the world ---------------------------------------------------------------------------------------


def _schemas_dir(configured: str) -> str:
    """The FGS/E-ARK schemas the archive export validates against: the configured folder, else the
    nearest `shared/schemas` above the checkout (a git worktree lives one level deeper)."""
    if (Path(configured) / "erms").is_dir():
        return configured
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "schemas" / "erms").is_dir():
            return str(parent / "shared" / "schemas")
    return configured


@pytest.fixture
def world(users, make_user, unit, other_unit, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.UPPSIKT_SCHEMAS_DIR = _schemas_dir(settings.UPPSIKT_SCHEMAS_DIR)
    cache.clear()
    users = {**users, "moderator2": make_user("moderator", username="moderator2", units=[other_unit])}
    registrar, archivist = users["registrar"], users["archivist"]
    channel = ChannelFactory(slug="exempelstad-facebook", unit=unit)
    ChannelFactory(slug="utbildning-facebook", unit=other_unit)
    author = AuthorFactory(channel=channel, external_id=ACCOUNT, display_name=SENDER, username=USERNAME,
                           profile_url=f"https://www.facebook.com/{USERNAME}", staff_notes="Skriver ofta.")
    item = ItemFactory(channel=channel, author=author, text=TEXT, external_id="c-1",
                       url=f"https://www.facebook.com/exempelstad/posts/1?comment_id={COMMENT_ID}")
    ItemVersion.objects.create(item=item, number=1, text=f"Första versionen: {WORD}")
    ItemVersion.objects.create(item=item, number=2, text=TEXT)
    FlagFactory(item=item, detail=f"Ordlista: hittade ”{WORD.casefold()}” – regel ”GDPR”.",
                spans=[{"start": TEXT.index(WORD), "end": TEXT.index(WORD) + len(WORD), "term": WORD.casefold()}],
                matched_terms=[WORD.casefold()])
    # The same account's other comment: nothing secret in it but who wrote it.
    other = ItemFactory(channel=channel, author=author, text="Hur dags öppnar badhuset på lördag?",
                        external_id="c-2")
    reply = ItemFactory(channel=channel, text="Tack för svaret om badhuset!", external_id="c-3", parent=item,
                        root_post=item, kind="reply")

    series = SeriesFactory(code="KS")
    sender_ground = LegalGroundFactory(code="OSL 21 kap. 3 §", title="Skyddade personuppgifter")
    content_ground = LegalGroundFactory(code="OSL 26 kap. 1 §", title="Socialtjänst")
    case = case_open(series=series, title="Kommentarer i sociala medier", actor=registrar)
    document = document_register_from_source(
        source_type="moderation.item", source_id=str(item.pk), case=case, reason="confidential", actor=registrar,
        description="Kommentar på Facebook", public_description="Kommentar med skyddade uppgifter")
    secrecy_mark(document=document, part="sender", legal_ground=sender_ground, actor=registrar)
    secrecy_mark(document=document, part="content", legal_ground=content_ground, actor=registrar)

    req = disclosure.disclosure_request_create(request_text="Jag vill ta del av kommentaren.", channel_in="email",
                                               documents=[document], actor=registrar)
    disclosure.disclosure_review(item=req.items.get(), outcome="refuse", actor=registrar,
                                 legal_ground=content_ground)
    disclosure.disclosure_decide(request=req, actor=registrar)
    DisclosureDecisionSettingFactory()
    letter = disclosure.disclosure_decision_issue(request=req, actor=registrar, reasoning="Skälen framgår ovan.")

    # The issue's scenario: any word as "the name" (e.g. "socialtjänsten"), and the secret sender's name.
    by_word = gdpr.subject_request_create(kind="access", requester_name="Okänd", requester_contact="",
                                          identifiers={"name": "socialtjänsten"}, actor=archivist)
    by_name = gdpr.subject_request_create(kind="access", requester_name=SENDER, requester_contact="",
                                          identifiers={"name": SENDER, "personnummer": PNR}, actor=archivist)
    gdpr.subject_request_search(request=by_name, actor=archivist)
    gdpr.subject_request_extract(request=by_name, actor=archivist, format="pdf")
    extract_letter = by_name.letters.get()
    return {"users": users, "item": item, "other": other, "reply": reply, "author": author, "case": case,
            "document": document, "flag": item.flags.get(), "req": req, "letter": letter, "by_word": by_word,
            "by_name": by_name, "extract_letter": extract_letter}


# --- surfaces ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Surface:
    name: str
    url: object  # callable(world) -> str
    method: str = "get"
    data: dict = field(default_factory=dict)
    # Besides SECRETS: strings that would confirm a secret on this surface (a search hit's link).
    forbidden: object = None  # callable(world) -> list[str]
    # For the registrar: the surface shows the secret (and must audit it).
    reveals: bool = True
    # What the page rightly shows: the search term in its search box (its hits are `forbidden`), or
    # a data subject's own name and number on their own request.
    echo: tuple[str, ...] = ()


def _item(w):
    return f"/granskning/inlagg/{w['item'].pk}/"


def _hit_link(w):
    return [f'"/granskning/inlagg/{w["item"].pk}/"', f'"id": {w["item"].pk},', f'"id":{w["item"].pk},']


SURFACES = [
    # the source item and its account
    Surface("item page", _item),
    Surface("item page: same account's other comment", lambda w: f"/granskning/inlagg/{w['other'].pk}/"),
    Surface("item page: reply in the thread", lambda w: f"/granskning/inlagg/{w['reply'].pk}/", reveals=False),
    Surface("item API detail", lambda w: f"/api/v1/items/{w['item'].pk}/"),
    Surface("item API list", lambda w: "/api/v1/items/"),
    Surface("item API search (secret word)", lambda w: f"/api/v1/items/?q={WORD}", forbidden=_hit_link),
    Surface("item API search (socialtjänsten)", lambda w: "/api/v1/items/?q=socialtjänsten", forbidden=_hit_link),
    Surface("author page", lambda w: f"/granskning/konto/{w['author'].pk}/"),
    Surface("author API detail", lambda w: f"/api/v1/authors/{w['author'].pk}/"),
    Surface("author API list", lambda w: "/api/v1/authors/"),
    Surface("author API search (name)", lambda w: "/api/v1/authors/?q=Sekretessdotter",
            forbidden=lambda w: [f'"id": {w["author"].pk},', f'"id":{w["author"].pk},']),
    Surface("queue page rows", lambda w: "/granskning/", reveals=False),
    Surface("queue search (secret word)", lambda w: f"/granskning/?q={WORD}", reveals=False, echo=(WORD,),
            forbidden=lambda w: [f'data-pk="{w["item"].pk}"']),
    Surface("item history", lambda w: f"/historik/moderation/item/{w['item'].pk}/"),
    Surface("author history", lambda w: f"/historik/moderation/author/{w['author'].pk}/"),
    Surface("flag history (spans, terms)", lambda w: f"/historik/moderation/flag/{w['flag'].pk}/"),
    Surface("dashboard", lambda w: "/", reveals=False),
    # the document
    Surface("document detail", lambda w: f"/diarium/handlingar/{w['document'].pk}/"),
    Surface("document list", lambda w: "/diarium/handlingar/"),
    Surface("case page", lambda w: f"/diarium/arenden/{w['case'].pk}/"),
    Surface("document history", lambda w: f"/historik/records/document/{w['document'].pk}/"),
    Surface("records search UI (secret word)", lambda w: f"/diarium/sok/?q={WORD}", echo=(WORD,),
            forbidden=lambda w: [f'/diarium/handlingar/{w["document"].pk}/"']),
    Surface("document API detail", lambda w: f"/api/v1/documents/{w['document'].pk}/"),
    Surface("document API list", lambda w: "/api/v1/documents/"),
    Surface("document API search (sender)", lambda w: "/api/v1/documents/?q=Sekretessdotter",
            forbidden=lambda w: [f'"id": {w["document"].pk},', f'"id":{w["document"].pk},']),
    Surface("document API secrecy markings", lambda w: f"/api/v1/documents/{w['document'].pk}/secrecy/",
            reveals=False),
    Surface("document API same sender", lambda w: f"/api/v1/documents/{w['document'].pk}/secrecy/same-sender/",
            reveals=False),
    Surface("postlista", lambda w: "/postlista/", reveals=False),
    Surface("postlista search (sender)", lambda w: "/postlista/?q=Sekretessdotter", reveals=False,
            echo=("Sekretessdotter",),
            forbidden=lambda w: [w["document"].number]),
    # disclosure
    Surface("disclosure list", lambda w: "/diarium/begaran/", reveals=False),
    Surface("disclosure detail", lambda w: f"/diarium/begaran/{w['req'].pk}/", reveals=False),
    Surface("disclosure review page", lambda w: f"/diarium/begaran/{w['req'].pk}/handlingar/"
                                                f"{w['req'].items.get().pk}/"),
    Surface("disclosure decision letter (PDF)", lambda w: f"/diarium/begaran/{w['req'].pk}/brev/{w['letter'].pk}/",
            reveals=False),
    # data-subject requests (GDPR)
    Surface("GDPR search by any word", lambda w: f"/arkiv/registrerade/{w['by_word'].pk}/sok/", method="post",
            reveals=False),
    Surface("GDPR request page after that search", lambda w: f"/arkiv/registrerade/{w['by_word'].pk}/",
            forbidden=lambda w: [w["document"].number, f"{w['item'].pk} (exempelstad-facebook)"], reveals=False),
    Surface("GDPR request page (hits)", lambda w: f"/arkiv/registrerade/{w['by_name'].pk}/",
            forbidden=lambda w: [w["document"].number, f"{w['item'].pk} (exempelstad-facebook)"], reveals=False,
            echo=OWN),
    Surface("GDPR extract JSON (any word)", lambda w: f"/arkiv/registrerade/{w['by_word'].pk}/utdrag/?format=json",
            forbidden=lambda w: [w["document"].number]),
    Surface("GDPR extract PDF (any word)", lambda w: f"/arkiv/registrerade/{w['by_word'].pk}/utdrag/?format=pdf",
            forbidden=lambda w: [w["document"].number]),
    Surface("GDPR extract JSON (the sender)", lambda w: f"/arkiv/registrerade/{w['by_name'].pk}/utdrag/?format=json",
            forbidden=lambda w: [w["document"].number], echo=OWN),
    Surface("GDPR extract letter (stored PDF)", lambda w: f"/arkiv/brev/{w['extract_letter'].pk}/", reveals=False,
            forbidden=lambda w: [w["document"].number], echo=OWN),
    # exports
    Surface("archive export page", lambda w: f"/arkiv/export/{w['case'].pk}/", reveals=False),
    Surface("archive export package (ZIP)", lambda w: f"/arkiv/export/{w['case'].pk}/", method="post"),
    # the admin
    Surface("admin item list", lambda w: "/admin/moderation/item/", reveals=False),
    Surface("admin item change page", lambda w: f"/admin/moderation/item/{w['item'].pk}/change/", reveals=False),
    Surface("admin item history", lambda w: f"/admin/moderation/item/{w['item'].pk}/history/", reveals=False),
    Surface("admin item versions", lambda w: "/admin/moderation/itemversion/", reveals=False),
    Surface("admin flags", lambda w: "/admin/moderation/flag/", reveals=False),
    Surface("admin author list", lambda w: "/admin/moderation/author/", reveals=False),
    Surface("admin author search (name)", lambda w: "/admin/moderation/author/?q=Sekretessdotter", reveals=False,
            echo=("Sekretessdotter",),
            forbidden=lambda w: [f"/admin/moderation/author/{w['author'].pk}/change/"]),
    Surface("admin author change page", lambda w: f"/admin/moderation/author/{w['author'].pk}/change/",
            reveals=False),
    Surface("admin document list", lambda w: "/admin/records/document/", reveals=False),
    Surface("admin document change page", lambda w: f"/admin/records/document/{w['document'].pk}/change/",
            reveals=False),
    # error pages and the audit log
    Surface("not found (404)", lambda w: "/granskning/inlagg/99999999/", reveals=False),
    Surface("audit log", lambda w: "/granskningslogg/", reveals=False),
]
NAMES = [s.name for s in SURFACES]

# Expected status per surface and role. Columns: ROLES order.
#              anon norole mod  mod2 reg  arch adm  aud
_PAGE_ALL = (302, 403, 200, 200, 200, 200, 200, 200)      # any staff member with moderation.view_*
_ITEM_UNIT = (302, 403, 200, 404, 200, 200, 200, 200)     # scoped to the moderator's units
_API_ALL = (403, 403, 200, 200, 200, 200, 200, 200)
_API_UNIT = (403, 403, 200, 404, 200, 200, 200, 200)
_RECORDS = (302, 403, 403, 403, 200, 200, 403, 200)       # records.view_document
_RECORDS_API = (403, 403, 403, 403, 200, 200, 403, 200)
_REGISTRAR_API = (403, 403, 403, 403, 200, 403, 403, 403)
_PUBLIC = (200,) * 8
_DISCLOSURE = (302, 403, 403, 403, 200, 200, 403, 200)    # records.view_disclosurerequest
_GDPR_VIEW = (302, 403, 403, 403, 403, 200, 403, 200)     # records.view_subjectrequest (not registrars)
_GDPR_ACT = (302, 403, 403, 403, 403, 200, 403, 403)      # records.change_subjectrequest
_GDPR_POST = (302, 403, 403, 403, 403, 302, 403, 403)     # search, then back to the request page
_EXPORT_PAGE = (302, 403, 403, 403, 200, 200, 403, 403)   # records.change_case or records.add_purgelist
_EXPORT_ZIP = (302, 403, 403, 403, 200, 403, 403, 403)    # and records.view_secret for a secret case
_ADMIN = (302, 403, 403, 403, 403, 403, 200, 403)         # accounts.use_admin (administrators)
_ADMIN_RECORDS = (302, 403, 403, 403, 403, 403, 403, 403)  # administrators lack records.view_document
_NOT_FOUND = (302, 403, 404, 404, 404, 404, 404, 404)
_AUDIT_LOG = (302, 403, 403, 403, 403, 403, 200, 200)     # accounts.view_auditevent

EXPECTED: dict[str, tuple[int, ...]] = {
    "item page": _ITEM_UNIT,
    "item page: same account's other comment": _ITEM_UNIT,
    "item page: reply in the thread": _ITEM_UNIT,
    "item API detail": _API_UNIT,
    "item API list": _API_ALL,
    "item API search (secret word)": _API_ALL,
    "item API search (socialtjänsten)": _API_ALL,
    "author page": _ITEM_UNIT,
    "author API detail": _API_UNIT,
    "author API list": _API_ALL,
    "author API search (name)": _API_ALL,
    "queue page rows": _PAGE_ALL,
    "queue search (secret word)": _PAGE_ALL,
    "item history": _ITEM_UNIT,
    "author history": _ITEM_UNIT,
    "flag history (spans, terms)": (302, 403, 200, 200, 200, 403, 200, 200),  # moderation.view_flag
    "dashboard": (302, 403, 200, 200, 200, 200, 200, 200),
    "document detail": _RECORDS,
    "document list": _RECORDS,
    "case page": _RECORDS,
    "document history": _RECORDS,
    "records search UI (secret word)": _RECORDS,
    "document API detail": _RECORDS_API,
    "document API list": _RECORDS_API,
    "document API search (sender)": _RECORDS_API,
    "document API secrecy markings": _RECORDS_API,
    "document API same sender": _REGISTRAR_API,
    "postlista": _PUBLIC,
    "postlista search (sender)": _PUBLIC,
    "disclosure list": _DISCLOSURE,
    "disclosure detail": _DISCLOSURE,
    "disclosure review page": (302, 403, 403, 403, 200, 403, 403, 403),  # records.change_disclosurerequest
    "disclosure decision letter (PDF)": _DISCLOSURE,
    "GDPR search by any word": _GDPR_POST,
    "GDPR request page after that search": _GDPR_VIEW,
    "GDPR request page (hits)": _GDPR_VIEW,
    "GDPR extract JSON (any word)": _GDPR_ACT,
    "GDPR extract PDF (any word)": _GDPR_ACT,
    "GDPR extract JSON (the sender)": _GDPR_ACT,
    "GDPR extract letter (stored PDF)": _GDPR_VIEW,
    "archive export page": _EXPORT_PAGE,
    "archive export package (ZIP)": _EXPORT_ZIP,
    "admin item list": _ADMIN,
    "admin item change page": _ADMIN,
    "admin item history": _ADMIN,
    "admin item versions": _ADMIN,
    "admin flags": _ADMIN,
    "admin author list": _ADMIN,
    "admin author search (name)": _ADMIN,
    "admin author change page": _ADMIN,
    "admin document list": _ADMIN_RECORDS,
    "admin document change page": _ADMIN_RECORDS,
    "not found (404)": _NOT_FOUND,
    "audit log": _AUDIT_LOG,
}


def _text(response) -> str:
    """The body as text: a PDF read back with pypdf, a ZIP's every file, else the decoded body."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if kind.startswith("application/zip"):
        parts = []
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                data = archive.read(name)
                parts.append(_text_of_file(name, data))
        return "\n".join(parts)
    return content.decode("utf-8", errors="replace")


def _text_of_file(name: str, data: bytes) -> str:
    if name.endswith(".pdf"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8", errors="replace")


def _client(world, who: str) -> Client:
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(world["users"][who])
    return client


def _secret_views(user) -> int:
    return AuditEvent.objects.filter(action="secret_viewed", actor=user).count() if user else 0


def _leaks(body: str, extra: list[str], echo: tuple[str, ...] = ()) -> list[str]:
    for term in echo:
        body = re.sub(re.escape(term), "", body, flags=re.IGNORECASE)
    folded = body.casefold()
    return [s for s in (*SECRETS, *extra) if s.casefold() in folded]


def test_leak_matrix_covers_every_surface_and_role():
    assert set(EXPECTED) == set(NAMES) and len(NAMES) == len(set(NAMES))
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


@pytest.mark.parametrize("who", ROLES)
def test_secret_information_matrix_every_surface_status_and_body(world, who):
    """One role, every surface: the expected status, no secret for roles without the right, the
    secret and a `secret_viewed` audit event for the registrar."""
    client = _client(world, who)
    user = world["users"].get(who)
    column = ROLES.index(who)
    failures = []
    for surface in SURFACES:
        before = _secret_views(user)
        response = getattr(client, surface.method)(surface.url(world), surface.data)
        expected = EXPECTED[surface.name][column]
        if response.status_code != expected:
            failures.append(f"{surface.name}: status {response.status_code}, expected {expected}")
            continue
        body = _text(response) if response.status_code == 200 else response.content.decode("utf-8", "replace")
        extra = surface.forbidden(world) if surface.forbidden else []
        leaks = _leaks(body, extra, surface.echo)
        if who == "registrar":
            if response.status_code == 200 and surface.reveals:
                if not leaks:
                    failures.append(f"{surface.name}: the registrar does not see the secret")
                elif _secret_views(user) <= before:
                    failures.append(f"{surface.name}: the registrar saw secret content without an audit event")
        elif leaks:
            failures.append(f"{surface.name}: {response.status_code} leaks {leaks}")
        if who != "registrar" and _secret_views(user) != before:
            failures.append(f"{surface.name}: a secret_viewed event for a user without the right")
    assert not failures, f"{who}:\n" + "\n".join(failures)


def test_server_error_page_on_secret_item_shows_nothing(world, monkeypatch):
    """A 500 while the item page is built says nothing about what failed (no path, no data)."""
    from moderation.queue.views import item as item_views

    def broken(request, item, **kwargs):
        raise RuntimeError(f"{item.text} {item.author.display_name}")

    monkeypatch.setattr(item_views, "detail_context", broken)
    for who in ("moderator", "registrar", "auditor"):
        response = _client(world, who).get(_item(world))
        assert response.status_code == 500, response.content[:300]
        assert not _leaks(response.content.decode(), [])


def test_forbidden_page_for_secret_item_shows_nothing(world):
    response = _client(world, "norole").get(_item(world))
    assert response.status_code == 403, response.content[:300]
    assert not _leaks(response.content.decode(), []) and "/granskning/inlagg/" not in response.content.decode()


def test_gdpr_extract_by_any_word_returns_no_secret_hit_for_archivist(world):
    """Issue 9: "socialtjänsten" as the name returned a secret document's content and a secret
    item's text. For the archivist the secret parts are not searched: no hit, no content."""
    client = _client(world, "archivist")
    data = json.loads(client.get(f"/arkiv/registrerade/{world['by_word'].pk}/utdrag/?format=json").content)
    # The request itself is data about the person (art. 15) and is listed; nothing else is found.
    assert [e["reference"] for e in data["entries"]] in ([], [world["by_word"].reference])
    assert data["secrecy_note"]
    assert not AuditEvent.objects.filter(action="secret_viewed").exclude(actor=world["users"]["registrar"]).exists()


def test_gdpr_extract_built_by_permitted_user_includes_secret_and_audits_as_secret_viewed(world):
    """The same masking for whoever builds it: a user with the right gets the secret hits, and each
    is logged as a view of secret content, not only as a data-subject event."""
    from django.contrib.auth.models import Permission

    archivist = world["users"]["archivist"]
    archivist.user_permissions.add(Permission.objects.get(codename="view_secret", content_type__app_label="records"))
    archivist = type(archivist).objects.get(pk=archivist.pk)
    data = json.loads(gdpr.subject_request_extract(request=world["by_word"], actor=archivist, format="json"))
    references = {e["reference"] for e in data["entries"]}
    assert world["document"].number in references
    assert any(PNR in e["content"] or WORD in e["content"] for e in data["entries"])
    events = AuditEvent.objects.filter(action="secret_viewed", actor=archivist)
    assert {e.target_id for e in events} >= {str(world["document"].pk), str(world["item"].pk)}
    assert all(e.detail["surface"] == "gdpr_extract" for e in events)
    assert not any(s in json.dumps([e.detail for e in events], ensure_ascii=False) for s in SECRETS)
