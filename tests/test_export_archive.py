"""E-archive export of a case: the package validates; secrecy recorded; delivery recorded; the command."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from accounts.models import AuditEvent
from records.archive import SchemasNotFoundError, schemas_dir, validate_package
from records.archive.services import case_export
from records.archive.sip import ERMS_PATH
from records.models import Case, CaseStatus
from records.retention.services.plan import retention_assign
from tests.factories import CaseFactory, DocumentFactory

pytestmark = pytest.mark.django_db

ERMS = "{https://DILCIS.eu/XML/ERMS}"


@pytest.fixture
def schemas():
    try:
        return schemas_dir()
    except SchemasNotFoundError as exc:
        pytest.skip(f"schemamappen saknas ({exc}); sätt UPPSIKT_SCHEMAS_DIR")


def _closed_case():
    case = CaseFactory(status="closed", closed_at=dt.date(2026, 4, 1), title="Synpunkter på snöröjningen")
    DocumentFactory(case=case, sequence=1, reason="adds_to_case")
    DocumentFactory(case=case, sequence=2, reason="adds_to_case", secret_sender=True, sender="Hemlig Person")
    DocumentFactory(case=case, sequence=3, outgoing=True, reason="adds_to_case")
    for doc in case.documents.all():
        retention_assign(target_type="records.document", objects=[doc])
    retention_assign(target_type="records.case", objects=[case])
    return Case.objects.get(pk=case.pk)


def test_case_export_closed_kept_case_validates_and_awaits_receipt(users, tmp_path, schemas):
    case = _closed_case()
    # The case holds secret content: only someone allowed to see it may build the package.
    package = case_export(case=case, out_dir=tmp_path, actor=users["registrar"], schemas=schemas)
    assert validate_package(package, schemas) == []
    erms = etree.parse(str(package / ERMS_PATH))
    xml = etree.tostring(erms, encoding="unicode")
    assert "Hemlig Person" not in xml
    assert erms.findall(f".//{ERMS}restriction")
    assert any("OSL 21 kap. 3" in (r.text or "") for r in erms.iter(f"{ERMS}regulation")) or "OSL 21 kap. 3" in xml
    case.refresh_from_db()
    # Handed over, not yet delivered: the case is delivered when the archive's receipt is recorded.
    assert case.status == CaseStatus.CLOSED and case.delivered_at is None
    delivery = case.archive_deliveries.get()
    assert delivery.package_id == package.name and not delivery.confirmed and delivery.document_count == 3
    assert AuditEvent.objects.filter(action="export", target_id=str(case.pk)).exists()


def test_case_export_open_case_not_marked_delivered(users, tmp_path, schemas):
    case = CaseFactory()
    DocumentFactory(case=case, sequence=1)
    case_export(case=case, out_dir=tmp_path, actor=users["archivist"], schemas=schemas)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_export_archive_command_writes_package(tmp_path, schemas):
    case = _closed_case()
    out = StringIO()
    call_command("export_archive", "--case", case.number, "--out", str(tmp_path), stdout=out)
    assert "METS.xml" in "".join(p.name for p in tmp_path.rglob("METS.xml"))


def test_export_archive_command_unknown_case_fails_in_swedish(tmp_path):
    with pytest.raises(CommandError, match="finns inte"):
        call_command("export_archive", "--case", "KS 1999/1", "--out", str(tmp_path))


def test_case_export_view_with_secret_documents_refused_without_view_secret(client_for):
    case = _closed_case()
    archivist = client_for("archivist")
    assert b"Skapa och ladda ner paketet" not in archivist.get(f"/arkiv/export/{case.pk}/").content
    r = archivist.post(f"/arkiv/export/{case.pk}/")
    assert r.status_code == 403, r.content
    assert r.get("Content-Type", "").startswith("text/html")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_case_export_with_secret_content_by_archivist_is_refused(users, tmp_path, schemas):
    from accounts.errors import NotPermitted

    case = _closed_case()
    with pytest.raises(NotPermitted):
        case_export(case=case, out_dir=tmp_path, actor=users["archivist"], schemas=schemas)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert not list(tmp_path.iterdir())


def test_case_export_view_schemas_missing_swedish_503_not_server_error(client_for, tmp_path, settings):
    settings.UPPSIKT_SCHEMAS_DIR = str(tmp_path / "inga-scheman")
    case = CaseFactory(status="closed", closed_at=dt.date(2026, 4, 1), title="Synpunkter")
    DocumentFactory(case=case, sequence=1, reason="adds_to_case")
    r = client_for("registrar").post(f"/arkiv/export/{case.pk}/")
    assert r.status_code == 503, r.content
    assert b"E-arkivets scheman (FGS/E-ARK) saknas" in r.content
