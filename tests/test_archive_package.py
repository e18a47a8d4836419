"""E-archive package for one case: E-ARK SIP + CITS ERMS 3 (records.archive; no database).

Validation reads the schemas from ``UPPSIKT_SCHEMAS_DIR`` or ``../shared/schemas`` and the
tests that need them skip when that folder is absent.
"""

import hashlib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from records.archive import (
    AgentData,
    CaseData,
    DisposalData,
    DocumentData,
    PackageInfo,
    RestrictionData,
    SchemasNotFoundError,
    build_erms,
    pdf_renderer,
    schemas_dir,
    validate_erms,
    validate_mets,
    validate_package,
    verify_package,
    write_package,
)
from records.pdf import apply_masks, pdf_text

CET = timezone(timedelta(hours=1))
ERMS = "{https://DILCIS.eu/XML/ERMS}"
METS = "{http://www.loc.gov/METS/}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

SECRET_SENDER = "Hemlig Hemligsson"
SECRET_CONTENT = "19800101-1234"
PACKAGE_ID = "5b0f6f7e-2c55-4c1e-9d3a-0a6c8f2e7d41"


@pytest.fixture
def schemas() -> Path:
    try:
        return schemas_dir()
    except SchemasNotFoundError as exc:
        pytest.skip(f"schemas folder not found; set UPPSIKT_SCHEMAS_DIR ({exc})")


def _document(number: int, text: str, agents, restrictions=(), title: str | None = None) -> DocumentData:
    return DocumentData(
        number=f"KS 2026/12-{number}",
        running_number=number,
        title=title or f"Kommentar på Facebook, inlägg {number}",
        public_title=f"Kommentar på Facebook {number}",
        direction="incoming",
        date=date(2026, 3, number),
        registered_at=datetime(2026, 3, number, 10, 15, tzinfo=CET),
        agents=list(agents),
        restrictions=list(restrictions),
        content_text=text,
        content_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        reason="Borttagen för olämpligt innehåll",
        disposal=DisposalData(
            action="purge", retention_class_code="2.4.1", due=date(2028, 3, 1), decision_reference="KS 2025/310"
        ),
    )


def _case() -> CaseData:
    """Three documents: a plain one, one with a secret sender (passed masked) and one with a
    secret part of the content (passed masked with apply_masks)."""
    marked = datetime(2026, 3, 2, 9, 0, tzinfo=CET)
    original = f"Min granne har personnummer {SECRET_CONTENT} och bor på Storgatan 1."
    start = original.index(SECRET_CONTENT)
    masked_content = apply_masks(original, [(start, start + len(SECRET_CONTENT))])
    return CaseData(
        number="KS 2026/12",
        title="Moderering av kommentarer på kommunens Facebooksida, mars 2026",
        public_title="Moderering av kommentarer, mars 2026",
        opened=date(2026, 3, 1),
        closed=None,
        unit="Kommunikationsavdelningen",
        responsible="Anna Registrator",
        classification="1.3.2",
        status="open",
        restrictions=[],
        disposal=DisposalData(
            action="keep",
            retention_class_code="1.3",
            due=None,
            decision_reference="Informationshanteringsplan KS 2025/99",
        ),
        documents=[
            _document(1, "Vilka öppettider har biblioteket i påsk?", [AgentData("sender", "Kalle Åberg")]),
            _document(
                2,
                "Jag vill anmäla något som händer i min familj.",
                [AgentData("sender", None, masked=True)],
                [RestrictionData("sender", "OSL 26 kap. 1 §", marked, date(2096, 3, 2))],
            ),
            _document(
                3,
                masked_content,
                [AgentData("sender", "Lisa Öst")],
                [RestrictionData("content", "OSL 21 kap. 1 §", marked, None)],
            ),
        ],
    )


def _info() -> PackageInfo:
    return PackageInfo(
        organisation_name="Exempelstads kommun",
        organisation_id="212000-0000",
        system_name="Uppsikt",
        system_version="0.1.0",
        created_at=datetime(2026, 3, 20, 12, 0, tzinfo=CET),
        package_id=PACKAGE_ID,
    )


def _write(tmp_path: Path, schemas: Path | None = None) -> Path:
    info = _info()
    return write_package(
        _case(),
        info,
        tmp_path,
        pdf_renderer(info.organisation_name),
        schemas=schemas,
        include_schemas=schemas is not None,
    )


def test_write_package_three_documents_layout_complete(tmp_path):
    package = _write(tmp_path)
    assert package == tmp_path / PACKAGE_ID
    for relative in (
        "METS.xml",
        "metadata/descriptive/erms.xml",
        "documentation/om_paketet.txt",
        "representations/rep1/data/1.txt",
        "representations/rep1/data/1.pdf",
        "representations/rep1/data/3.txt",
        "representations/rep1/data/3.pdf",
    ):
        assert (package / relative).is_file(), relative
    assert (package / "representations/rep1/data/1.txt").read_text(encoding="utf-8") == (
        "Vilka öppettider har biblioteket i påsk?"
    )
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftover work folder


def test_write_package_three_documents_erms_valid_against_xsd_and_schematron(tmp_path, schemas):
    package = _write(tmp_path, schemas)
    assert validate_erms(package / "metadata/descriptive/erms.xml", schemas) == []


def test_write_package_three_documents_mets_valid_against_xsd_and_csip_schematron(tmp_path, schemas):
    package = _write(tmp_path, schemas)
    assert validate_mets(package / "METS.xml", schemas) == []
    assert validate_package(package, schemas) == []


def test_write_package_mets_checksums_equal_file_sha256(tmp_path):
    package = _write(tmp_path)
    tree = etree.parse(str(package / "METS.xml"))
    holders = [loc.getparent() for loc in tree.iter(f"{METS}FLocat")] + list(tree.iter(f"{METS}mdRef"))
    hrefs = set()
    for holder in holders:
        href = holder.get(XLINK_HREF) or holder.find(f"{METS}FLocat").get(XLINK_HREF)
        hrefs.add(href)
        data = (package / href).read_bytes()
        assert holder.get("CHECKSUMTYPE") == "SHA-256"
        assert holder.get("CHECKSUM") == hashlib.sha256(data).hexdigest(), href
        assert holder.get("SIZE") == str(len(data)), href
    on_disk = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
    assert on_disk - {"METS.xml"} == hrefs
    assert verify_package(package) == []


def test_write_package_masked_sender_and_content_absent_from_every_file(tmp_path, schemas):
    package = _write(tmp_path, schemas)
    checked = 0
    for path in package.rglob("*"):
        if not path.is_file():
            continue
        text = pdf_text(path.read_bytes()) if path.suffix == ".pdf" else path.read_text(encoding="utf-8")
        flat = " ".join(text.split())
        for secret in (SECRET_SENDER, SECRET_CONTENT):
            assert secret not in flat, f"{secret!r} in {path.relative_to(package)}"
        checked += 1
    assert checked >= 10
    erms = etree.parse(str(package / "metadata/descriptive/erms.xml"))
    record = erms.find(f".//{ERMS}record[{ERMS}runningNumber='2']")
    assert record.find(f"{ERMS}agents/{ERMS}agent[@agentType='sender']/{ERMS}name").text == "[maskerat]"
    restriction = record.find(f"{ERMS}restriction[@restrictionType='confidential']")
    assert restriction.find(f"{ERMS}regulation").text == "OSL 26 kap. 1 §"
    content_restriction = erms.find(f".//{ERMS}record[{ERMS}runningNumber='3']/{ERMS}restriction")
    assert content_restriction.find(f"{ERMS}regulation").text == "OSL 21 kap. 1 §"


def test_build_erms_masked_agent_given_name_writes_placeholder_only():
    case = _case()
    leaky = _document(4, "Text", [AgentData("sender", SECRET_SENDER, masked=True)])
    case = CaseData(**{**case.__dict__, "documents": [*case.documents, leaky]})
    xml = etree.tostring(build_erms(case, _info()), encoding="unicode")
    assert SECRET_SENDER not in xml
    assert "[maskerat]" in xml


def test_build_erms_case_mapping_swedish_fields():
    root = build_erms(_case(), _info())
    aggregation = root.find(f"{ERMS}aggregations/{ERMS}aggregation")
    assert aggregation.get("aggregationType") == "caseFile"
    assert aggregation.findtext(f"{ERMS}objectId") == "KS 2026/12"
    assert aggregation.find(f"{ERMS}otherTitle[@titleType='public']").text == "Moderering av kommentarer, mars 2026"
    records = aggregation.findall(f"{ERMS}record")
    assert [r.findtext(f"{ERMS}runningNumber") for r in records] == ["1", "2", "3"]
    assert records[0].find(f"{ERMS}direction").get("directionDefinition") == "incoming"
    disposal_date = records[0].find(f"{ERMS}disposal/{ERMS}dates/{ERMS}disposalDate[@dateType='action_due']")
    assert disposal_date.text == "2028-03-01T00:00:00"  # xs:dateTime, not a date


def test_write_package_same_input_identical_bytes(tmp_path):
    first = _write(tmp_path / "a")
    second = _write(tmp_path / "b")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_write_package_content_hash_of_other_text_raises(tmp_path):
    case = _case()
    wrong = DocumentData(**{**case.documents[0].__dict__, "content_sha256": hashlib.sha256(b"x").hexdigest()})
    case = CaseData(**{**case.__dict__, "documents": [wrong]})
    with pytest.raises(ValueError, match="content_sha256"):
        write_package(case, _info(), tmp_path, None, include_schemas=False)
    assert list(tmp_path.iterdir()) == []


def test_write_package_existing_folder_raises(tmp_path):
    _write(tmp_path)
    with pytest.raises(FileExistsError):
        _write(tmp_path)


def test_write_package_without_package_id_uses_sanitized_case_number(tmp_path):
    info = PackageInfo(**{**_info().__dict__, "package_id": ""})
    package = write_package(_case(), info, tmp_path, None, include_schemas=False)
    assert package.name == "KS_2026-12"
    assert etree.parse(str(package / "METS.xml")).getroot().get("OBJID") == "KS_2026-12"


def test_verify_package_tampered_file_reports_checksum_mismatch(tmp_path):
    package = _write(tmp_path)
    (package / "representations/rep1/data/1.txt").write_text("Ändrad i efterhand", encoding="utf-8")
    problems = verify_package(package)
    assert any("1.txt" in p and "CHECKSUM" in p for p in problems)


def test_validate_erms_missing_object_id_reports_error(schemas):
    root = build_erms(_case(), _info())
    object_id = root.find(f".//{ERMS}aggregation/{ERMS}objectId")
    object_id.getparent().remove(object_id)
    errors = validate_erms(root, schemas)
    assert errors
    assert any("objectId" in e for e in errors)


def test_validate_erms_schematron_rule_broken_reports_error(schemas):
    root = build_erms(_case(), _info())
    root.find(f".//{ERMS}record//{ERMS}agent").set("agentType", "other")  # XSD-valid, Schematron not
    errors = validate_erms(root, schemas)
    assert any("erms_v3.sch" in e and "otherAgentType" in e for e in errors)


def test_validate_mets_broken_package_reports_csip_errors(tmp_path, schemas):
    package = _write(tmp_path, schemas)
    tree = etree.parse(str(package / "METS.xml"))
    tree.getroot().set("TYPE", "Sociala medier")  # not in the content category vocabulary
    tree.find(f"{METS}structMap").set("LABEL", "Egen")
    errors = validate_mets(tree, schemas)
    assert any("CSIP2 " in e for e in errors)
    assert any("CSIP82" in e for e in errors)


def test_schemas_dir_missing_folder_raises(tmp_path, monkeypatch):
    monkeypatch.setenv("UPPSIKT_SCHEMAS_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(SchemasNotFoundError, match="UPPSIKT_SCHEMAS_DIR"):
        schemas_dir()
