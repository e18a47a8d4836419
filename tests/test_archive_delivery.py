"""Deliveries to the e-archive: PDF/A-2b content files read back, the archive's receipt makes the case
delivered (through the workflow), and the archive description and inventory (issue 9 item 8)."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts.errors import DomainError, TransitionNotAllowed
from accounts.models import AuditEvent
from records.archive import SchemasNotFoundError, schemas_dir
from records.archive.reports import archive_description_pdf, archive_inventory_pdf
from records.archive.services import archive_delivery_confirm, case_export
from records.models import ArchiveDelivery, Case, CaseStatus
from records.pdf import pdf_text, pdfa_problems
from records.retention.services.plan import retention_assign
from records.workflow import available_names
from tests.factories import CaseFactory, DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schemas():
    try:
        return schemas_dir()
    except SchemasNotFoundError as exc:
        pytest.skip(f"schemamappen saknas ({exc}); sätt UPPSIKT_SCHEMAS_DIR")


def _closed_kept_case():
    case = CaseFactory(status="closed", closed_at=dt.date(2026, 4, 1), title="Synpunkter på snöröjningen")
    DocumentFactory(case=case, sequence=1, reason="adds_to_case", content="Plogningen på Storgatan – åäö ÅÄÖ €")
    DocumentFactory(case=case, sequence=2, outgoing=True, reason="adds_to_case")
    for doc in case.documents.all():
        retention_assign(target_type="records.document", objects=[doc])
    retention_assign(target_type="records.case", objects=[case])
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def delivered_package(users, tmp_path, schemas):
    case = _closed_kept_case()
    package = case_export(case=case, out_dir=tmp_path, actor=users["archivist"], schemas=schemas)
    return case, package, case.archive_deliveries.get()


def test_case_export_content_pdfs_are_pdfa_2b_read_back(delivered_package):
    _case, package, _delivery = delivered_package
    pdfs = sorted(package.glob("representations/rep1/data/*.pdf"))
    assert len(pdfs) == 2
    for path in pdfs:
        data = path.read_bytes()
        reader = PdfReader(io.BytesIO(data))
        xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
        assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
        intents = reader.trailer["/Root"]["/OutputIntents"]
        intent = intents[0].get_object()
        assert intent["/S"] == "/GTS_PDFA1" and intent["/DestOutputProfile"].get_object()["/N"] == 3
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                descriptor = font.get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor, font.get_object()["/BaseFont"]
        assert pdfa_problems(data) == []
    assert "åäö ÅÄÖ €" in pdf_text(pdfs[0].read_bytes())
    mets = (package / "METS.xml").read_text(encoding="utf-8")
    assert 'FILEFORMATNAME="Acrobat PDF/A - Portable Document Format"' in mets and 'FILEFORMATVERSION="2b"' in mets


def test_archive_delivery_confirm_receipt_case_delivered(delivered_package, users):
    case, _package, delivery = delivered_package
    assert "deliver" in available_names(case, users["archivist"])
    archive_delivery_confirm(delivery=delivery, received_on=dt.date.today(), archive_reference="EA-2026-0042",
                             actor=users["archivist"], note="Kvitto via e-post")
    case.refresh_from_db()
    delivery.refresh_from_db()
    assert case.status == CaseStatus.DELIVERED and case.delivered_at is not None
    assert delivery.archive_reference == "EA-2026-0042" and delivery.receipt_recorded_by == users["archivist"]
    assert AuditEvent.objects.filter(detail__operation="archive_delivery_confirm",
                                     detail__archive_reference="EA-2026-0042").exists()
    # delivered is final: no reopening, no second receipt
    assert available_names(case, users["registrar"]) == set()
    with pytest.raises(TransitionNotAllowed):
        archive_delivery_confirm(delivery=delivery, received_on=dt.date.today(), archive_reference="x",
                                 actor=users["archivist"])


def test_archive_delivery_confirm_future_date_or_no_reference_refused(delivered_package, users):
    _case, _package, delivery = delivered_package
    with pytest.raises(DomainError, match="framtida"):
        archive_delivery_confirm(delivery=delivery, received_on=dt.date.today() + dt.timedelta(days=1),
                                 archive_reference="EA-1", actor=users["archivist"])
    with pytest.raises(DomainError, match="referens"):
        archive_delivery_confirm(delivery=delivery, received_on=dt.date.today(), archive_reference=" ",
                                 actor=users["archivist"])
    assert Case.objects.get(pk=delivery.case_id).status == CaseStatus.CLOSED


def test_case_deliver_without_package_refused_in_workflow(users):
    case = _closed_kept_case()
    assert "deliver" not in available_names(case, users["archivist"])
    delivery = ArchiveDelivery.objects.create(case=case, package_id="p", package_sha256="0" * 64,
                                              document_count=1, exported_at=dt.datetime(2026, 4, 2, tzinfo=dt.UTC))
    # the moderator may not, the archivist may
    assert "deliver" not in available_names(case, users["moderator"])
    assert "deliver" in available_names(case, users["archivist"])
    with pytest.raises(TransitionNotAllowed):
        archive_delivery_confirm(delivery=delivery, received_on=dt.date.today(), archive_reference="EA-1",
                                 actor=users["moderator"])


@pytest.mark.parametrize("role, status", [("archivist", 200), ("registrar", 200), ("auditor", 403),
                                          ("moderator", 403)])
def test_delivery_receipt_api_by_role(delivered_package, users, role, status):
    _case, _package, delivery = delivered_package
    client = APIClient()
    client.force_authenticate(users[role])
    r = client.post(f"/api/v1/archive-deliveries/{delivery.pk}/receipt/",
                    {"received_on": dt.date.today().isoformat(), "archive_reference": "EA-7"}, format="json")
    assert r.status_code == status, r.content
    if status == 200:
        assert r.json()["case_status"] == "delivered" and r.json()["archive_reference"] == "EA-7"
        again = client.post(f"/api/v1/archive-deliveries/{delivery.pk}/receipt/",
                            {"received_on": dt.date.today().isoformat(), "archive_reference": "EA-8"}, format="json")
        assert again.status_code == 409, again.content


def test_delivery_receipt_page_case_shows_receipt(delivered_package, client_for):
    case, _package, delivery = delivered_package
    archivist = client_for("archivist")
    page = archivist.get(f"/diarium/arenden/{case.pk}/")
    assert page.status_code == 200 and "Registrera arkivets kvittens" in page.content.decode()
    r = archivist.post(f"/arkiv/leverans/{delivery.pk}/kvittens/",
                       {"received_on": dt.date.today().isoformat(), "archive_reference": "EA-2026-0001"})
    assert r.status_code == 302, r.content
    body = archivist.get(f"/diarium/arenden/{case.pk}/").content.decode()
    assert "EA-2026-0001" in body and "Levererat till e-arkiv" in body
    assert client_for("auditor").post(f"/arkiv/leverans/{delivery.pk}/kvittens/", {}).status_code == 403


def test_archive_reports_pdfa_from_plan(users):
    _closed_kept_case()
    description = archive_description_pdf(actor=users["archivist"])
    inventory = archive_inventory_pdf(actor=users["archivist"])
    assert pdfa_problems(description) == [] and pdfa_problems(inventory) == []
    text = pdf_text(description)
    assert "Arkivbeskrivning" in text and "ÄR-1" in text
    assert "Vad som bevaras och gallras" in text and "SM-2" in text
    inv = pdf_text(inventory)
    assert "Arkivförteckning" in inv and "Diariet (registratur)" in inv and "ÄR-1" in inv
    # only public names and counts: the case title never appears
    assert "Synpunkter på snöröjningen" not in inv and "Synpunkter på snöröjningen" not in text


@pytest.mark.parametrize("role, status", [("archivist", 200), ("auditor", 200), ("registrar", 200),
                                          ("moderator", 403), ("administrator", 403)])
def test_archive_reports_download_by_role(client_for, role, status):
    for url in ("/arkiv/arkivbeskrivning.pdf", "/arkiv/arkivforteckning.pdf",
                "/api/v1/archive-reports/description/", "/api/v1/archive-reports/inventory/"):
        r = client_for(role).get(url)
        assert r.status_code == status, (url, r.status_code)
        if status == 200:
            assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF-")
