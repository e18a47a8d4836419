"""Fit with the main diarium: series that would number like the main diarium are refused, the
postlista names its diarium, and registrations export for the main diarium (issue 9 item 7)."""

import csv
import datetime as dt
import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from pypdf import PdfReader
from rest_framework.authtoken.models import Token

from accounts.models import AuditEvent
from records.diarium.checks import series_do_not_collide_with_main_diarium
from records.diarium.services.cases import case_open
from records.diarium.services.export import registrations_export
from records.diarium.services.registration import document_register, document_void
from records.models import Series
from records.pdf import pdf_text, pdfa_problems
from tests.factories import LegalGroundFactory, SeriesFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def main_diarium(settings):
    settings.UPPSIKT_MAIN_DIARIUM_SERIES = ["KS", "BUN"]
    settings.UPPSIKT_MAIN_DIARIUM_SYSTEM = "Public 360°"
    settings.UPPSIKT_MAIN_DIARIUM_URL = "https://exempelstad.se/postlista"
    return settings


def test_series_clean_main_diarium_code_refused_with_prefix_accepted(main_diarium):
    clash = Series(code="KS", name="Kommunstyrelsen", number_format="{series} {year}/{number}")
    with pytest.raises(ValidationError) as err:
        clash.clean()
    assert "Public 360°" in str(err.value) and "SM-{series}" in str(err.value)
    # separators and case do not hide a clash
    with pytest.raises(ValidationError):
        Series(code="ks", name="x", number_format="{series}-{year}-{number}").clean()
    Series(code="KS", name="Kommunstyrelsen", number_format="SM-{series} {year}/{number}").clean()
    Series(code="SOME", name="Sociala medier").clean()


def test_series_api_create_clashing_code_400(main_diarium, users):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(users["administrator"])
    r = client.post("/api/v1/series/", {"code": "BUN", "name": "Barn- och utbildning"}, format="json")
    assert r.status_code == 400, r.content
    assert "huvuddiarium" in r.content.decode()
    r = client.post("/api/v1/series/", {"code": "BUN", "name": "Barn- och utbildning",
                                        "number_format": "SM-{series} {year}/{number}"}, format="json")
    assert r.status_code == 201, r.content


def test_check_series_colliding_after_list_changes_reports_error(main_diarium):
    SeriesFactory(code="KS")  # saved before the main diarium's list named KS
    errors = series_do_not_collide_with_main_diarium()
    assert [e.id for e in errors] == ["uppsikt.E101"] and "KS 2026/12" in errors[0].msg
    main_diarium.UPPSIKT_MAIN_DIARIUM_SERIES = []
    assert series_do_not_collide_with_main_diarium() == []


def test_postlista_header_names_diarium_and_main_diarium(client, main_diarium):
    main_diarium.UPPSIKT_DIARIUM_NAME = "Diariet för sociala medier"
    SeriesFactory(code="SM", name="Sociala medier")
    r = client.get("/postlista/")
    assert r.status_code == 200, r.content
    body = r.content.decode()
    assert "Diariet för sociala medier" in body and "SM (Sociala medier)" in body
    assert "Public 360°" in body and 'href="https://exempelstad.se/postlista"' in body


# --- the export ----------------------------------------------------------------------------------


@pytest.fixture
def registered(users):
    registrar = users["registrar"]
    case = case_open(series=SeriesFactory(code="KS"), title="Synpunkter på badhuset", actor=registrar,
                     opened_at=DAY)
    public = document_register(case=case, direction="incoming", date=DAY, sender="Simklubben Delfinen",
                               sender_kind="organisation", description="Skrivelse om öppettider",
                               reason="adds_to_case", actor=registrar, content="Öppna till kl. 21, tack!")
    secret = document_register(
        case=case, direction="incoming", date=DAY, sender="Hemlig Person", sender_kind="private_person",
        description="Meddelande om en elevs hälsa", public_description="Meddelande till skolan",
        reason="confidential", actor=registrar, content="Min dotter har diabetes.",
        secret_parts={"sender": LegalGroundFactory(code="OSL 21 kap. 3 §", title="Skyddade personuppgifter"),
                      "description": LegalGroundFactory()})
    voided = document_register(case=case, direction="outgoing", date=DAY, sender="Simklubben Delfinen",
                               sender_kind="organisation", description="Felregistrerat svar", reason="other",
                               actor=registrar, content="x")
    document_void(document=voided, actor=registrar, reason="Fel ärende")
    return {"public": public, "secret": secret, "voided": voided, "case": case}


def _today():
    from django.utils import timezone

    return timezone.localdate()


def test_registrations_export_one_json_and_pdfa_per_registration_secret_parts_left_out(registered, users, tmp_path):
    progress = []
    result = registrations_export(date_from=_today(), date_to=_today(), out_dir=tmp_path, actor=users["registrar"],
                                  progress=lambda done, total: progress.append((done, total)))
    assert result.count == 3 and progress[-1] == (3, 3)
    folder = result.folder
    secret = registered["secret"]
    stem = secret.number.replace(" ", "_").replace("/", "-")
    entry = json.loads((folder / "handlingar" / f"{stem}.json").read_text(encoding="utf-8"))
    # OSL 5 kap. 2 §: date, number, sender (left out: secret), short description (the public one)
    assert entry["diarienummer"] == secret.number and entry["datum"] == DAY.isoformat()
    assert entry["avsandare_mottagare"] is None and entry["beskrivning"] == "Meddelande till skolan"
    assert {s["lagrum"] for s in entry["sekretess"]} == {"OSL 21 kap. 3 §", "OSL 26 kap. 1 §"}
    text = (folder / "handlingar" / f"{stem}.json").read_text(encoding="utf-8")
    assert "Hemlig Person" not in text and "elevs hälsa" not in text
    pdf = (folder / "handlingar" / f"{stem}.pdf").read_bytes()
    assert pdfa_problems(pdf) == []
    rendered = pdf_text(pdf)
    assert "Min dotter har diabetes." in rendered and "Hemlig Person" not in rendered
    index = json.loads((folder / "registreringar.json").read_text(encoding="utf-8"))
    assert [e["status"] for e in index["registreringar"]] == ["registrerad", "registrerad", "makulerad"]
    raw = (folder / "registreringar.csv").read_text(encoding="utf-8")
    assert raw.startswith("\ufeffDiarienummer;Datum (inkom/upprättad);")
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][:4] == [registered["public"].number, DAY.isoformat(), "inkommen", "Simklubben Delfinen"]
    assert rows[2][3] == "[maskerat]" and "Hemlig Person" not in raw
    assert AuditEvent.objects.filter(action="export", detail__event="registrations_export", detail__count=3).exists()


def test_registrations_export_without_view_secret_and_secret_in_range_refused(registered, users, tmp_path):
    from accounts.errors import NotPermitted

    with pytest.raises(NotPermitted):
        registrations_export(date_from=_today(), date_to=_today(), out_dir=tmp_path, actor=users["auditor"])
    assert not any(tmp_path.iterdir())


def test_export_registrations_command_progress_and_bad_date(registered, tmp_path):
    out = StringIO()
    call_command("export_registrations", "--from", _today().isoformat(), "--to", _today().isoformat(),
                 "--out", str(tmp_path), stdout=out)
    text = out.getvalue()
    assert "3/3 registreringar (100 %)" in text and "3 registreringar" in text
    with pytest.raises(CommandError, match="Ogiltigt datum"):
        call_command("export_registrations", "--from", "2026-13-01", "--to", "2026-12-31", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="efter till-datumet"):
        call_command("export_registrations", "--from", "2026-02-01", "--to", "2026-01-01", "--out", str(tmp_path))


@pytest.mark.parametrize("role, status", [("registrar", 200), ("auditor", 403), ("archivist", 403),
                                          ("moderator", 403), ("administrator", 403)])
def test_registrations_export_page_by_role(registered, client_for, role, status):
    today = _today().isoformat()
    r = client_for(role).post("/diarium/export/", {"date_from": today, "date_to": today})
    assert r.status_code == status, r.content[:300]
    if status == 200:
        archive = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))
        names = archive.namelist()
        assert sum(n.endswith(".pdf") for n in names) == 3 and any(n.endswith("registreringar.csv") for n in names)


def test_registrations_export_page_reversed_range_400(client_for):
    r = client_for("registrar").post("/diarium/export/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert r.status_code == 400, r.content[:300]
    assert "Till-datumet ligger före från-datumet" in r.content.decode()


@pytest.mark.parametrize("role, status", [("registrar", 200), ("auditor", 403), ("moderator", 403)])
def test_registrations_export_api_by_role(registered, users, client, role, status):
    token = Token.objects.create(user=users[role])
    today = _today().isoformat()
    r = client.get(f"/api/v1/documents/export/?date_from={today}&date_to={today}",
                   HTTP_AUTHORIZATION=f"Token {token.key}")
    assert r.status_code == status, r.content[:300] if hasattr(r, "content") else r
    if status == 200:
        assert r["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))
        pdf = next(n for n in archive.namelist() if n.endswith(".pdf"))
        assert PdfReader(io.BytesIO(archive.read(pdf))).xmp_metadata is not None


def test_registrations_export_api_bad_dates_400(users, client):
    token = Token.objects.create(user=users["registrar"])
    r = client.get("/api/v1/documents/export/?date_from=igår&date_to=2026-01-01",
                   HTTP_AUTHORIZATION=f"Token {token.key}")
    assert r.status_code == 400, r.content
    r = client.get("/api/v1/documents/export/?date_from=2024-01-01&date_to=2026-01-01",
                   HTTP_AUTHORIZATION=f"Token {token.key}")
    assert r.status_code == 400 and "export_registrations" in r.content.decode()
