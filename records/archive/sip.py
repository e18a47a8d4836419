"""Write one case as an E-ARK SIP folder (FGS Paketstruktur 2.0) and check it (no Django imports).

Layout of ``<out_dir>/<package name>/``::

    METS.xml                                   package METS (records.archive.mets)
    metadata/descriptive/erms.xml              the case and its documents, CITS ERMS 3
    representations/rep1/data/<n>.txt          document n's content, UTF-8
    representations/rep1/data/<n>.pdf          a readable rendering, PDF/A-2b (only with a renderer)
    representations/rep1/data/<n>-fil<k>.<ext> the document's files (pictures of the post, evidence sheets)
    schemas/*.xsd                              the XML schemas the package's XML follows
    documentation/om_paketet.txt               what the package is, in Swedish

The representation is described in the root METS (as in the E-ARK SIP profile's own example);
no representation-level METS is written because the CSIP rules do not require one for a
representation whose files the root METS lists.

The same inputs give byte-identical files: every date written comes from the inputs
(``PackageInfo.created_at`` for the package's own dates), files are listed in path order and
XML is serialised the same way each time. The package is built in a temporary folder next to
the target and renamed into place, so a crash never leaves a half-written package under the
final name.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import unicodedata
import uuid
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from .erms import ERMS_VERSION, build_erms, validate_erms
from .mets import REPRESENTATION, build_mets, validate_mets
from .model import CaseData, DocumentData, FileEntry, PackageInfo, schemas_dir

__all__ = [
    "PACKAGE_SCHEMAS",
    "Renderer",
    "package_name",
    "pdf_renderer",
    "validate_package",
    "verify_package",
    "write_package",
]

Renderer = Callable[[DocumentData], bytes]

ERMS_PATH = "metadata/descriptive/erms.xml"
DATA_DIR = f"representations/{REPRESENTATION}/data"
DOCUMENTATION_PATH = "documentation/om_paketet.txt"

# (source in the schema folder, name in the package's schemas/ folder)
PACKAGE_SCHEMAS = (
    ("erms/ERMS_v3.xsd", "ERMS_v3.xsd"),
    ("mets/mets.xsd", "mets.xsd"),
    ("mets/xlink.xsd", "xlink.xsd"),
    ("mets/DILCISExtensionMETS.xsd", "DILCISExtensionMETS.xsd"),
    ("mets/DILCISExtensionSIPMETS.xsd", "DILCISExtensionSIPMETS.xsd"),
)

_FORMATS = {
    ".txt": ("text/plain", "Plain Text File", None),
    ".xml": ("application/xml", "Extensible Markup Language", "1.0"),
    ".xsd": ("application/xml", "XML Schema Definition", None),
    ".pdf": ("application/pdf", "Portable Document Format", None),
    ".jpg": ("image/jpeg", "JPEG File Interchange Format", None),
    ".png": ("image/png", "Portable Network Graphics", None),
    ".gif": ("image/gif", "Graphics Interchange Format", None),
    ".webp": ("image/webp", "WebP", None),
    ".mp4": ("video/mp4", "MPEG-4 Media File", None),
    ".mov": ("video/quicktime", "QuickTime File Format", None),
    ".webm": ("video/webm", "WebM", None),
}


def _sanitize(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_text.replace("/", "-")).strip("._-")
    return cleaned or "package"


def package_name(case: CaseData, info: PackageInfo) -> str:
    """The package folder name: ``info.package_id``, or the sanitized case number when that is empty.

    ``KS 2026/12`` becomes ``KS_2026-12``.
    """
    return _sanitize(info.package_id) if info.package_id.strip() else _sanitize(case.number)


def _pdf_version(data: bytes) -> str | None:
    match = re.match(rb"%PDF-(\d\.\d)", data[:16])
    return match.group(1).decode("ascii") if match else None


PDFA_FORMAT = ("Acrobat PDF/A - Portable Document Format", "2b")  # PRONOM fmt/476


def _is_pdfa_2b(data: bytes) -> bool:
    """The file says it is PDF/A-2b in its (uncompressed) XMP identification."""
    return (re.search(rb"<pdfaid:part>2</pdfaid:part>|pdfaid:part=['\"]2['\"]", data) is not None
            and re.search(rb"<pdfaid:conformance>B</pdfaid:conformance>|pdfaid:conformance=['\"]B['\"]", data)
            is not None)


def _write(root: Path, relative: str, data: bytes, info: PackageInfo) -> FileEntry:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    suffix = Path(relative).suffix.lower()
    mimetype, format_name, format_version = _FORMATS.get(suffix, ("application/octet-stream", None, None))
    if suffix == ".pdf":
        format_name, format_version = PDFA_FORMAT if _is_pdfa_2b(data) else (format_name, _pdf_version(data))
    return FileEntry(
        path=relative,
        mimetype=mimetype,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        created=info.created_at,
        format_name=format_name,
        format_version=format_version,
    )


def _documentation(case: CaseData, info: PackageInfo, name: str, with_pdf: bool, with_schemas: bool) -> str:
    lines = [
        f"Arkivpaket från {info.system_name} {info.system_version}",
        "",
        f"Arkivbildare: {info.organisation_name} ({info.organisation_id})",
        f"Ärende: {case.number}",
        f"Antal handlingar: {len(case.documents)}",
        f"Paket: {name}",
        f"Skapat: {info.created_at.isoformat(timespec='seconds')}",
        "",
        "Paketet följer E-ARK SIP 2.2 (FGS Paketstruktur 2.0). Ärendet och dess handlingar",
        f"beskrivs enligt CITS ERMS {ERMS_VERSION} (FGS Ärendehantering 2.0).",
        "",
        "Innehåll:",
        "  METS.xml                          paketets METS med storlek och SHA-256 för varje fil",
        f"  {ERMS_PATH:<33} ärendet och handlingarna (ERMS)",
        f"  {DATA_DIR}/<nr>.txt   handling nr <nr> (löpnummer) som UTF-8-text",
    ]
    if with_pdf:
        lines.append(f"  {DATA_DIR}/<nr>.pdf   läsbar återgivning av samma text som PDF/A-2b")
    if with_schemas:
        lines.append("  schemas/                          XML-scheman som paketets XML-filer följer")
    lines += [
        "  documentation/om_paketet.txt      denna fil",
        "",
        "Texten i .txt-filen är handlingens innehåll; PDF-filen (PDF/A-2b, typsnitt inbäddade) är en",
        "återgivning för läsning och långtidsbevarande.",
        "",
        "Sekretess: uppgifter med sekretessmarkering anges i erms.xml med",
        'restriction restrictionType="confidential" och lagrum (regulation). Där en uppgift har',
        "maskerats i paketet står [maskerat] i stället för uppgiften.",
        "",
    ]
    return "\n".join(lines)


def write_package(
    case: CaseData,
    info: PackageInfo,
    out_dir: Path,
    renderer: Renderer | None = None,
    *,
    schemas: str | os.PathLike[str] | None = None,
    include_schemas: bool = True,
) -> Path:
    """Write ``case`` as a package folder under ``out_dir`` and return the folder's path.

    ``renderer`` turns a document into PDF bytes; without it only the ``.txt`` files are
    written. With ``include_schemas`` the XML schemas are copied from the schema folder
    (``schemas`` or :func:`records.archive.model.schemas_dir`) into the package's ``schemas/``
    folder, which the CSIP rules require (CSIP113); a missing schema folder then raises
    :class:`records.archive.model.SchemasNotFoundError`.

    Raises ValueError for a case without documents, duplicate running numbers or a
    ``content_sha256`` that does not match ``content_text``, and FileExistsError when the
    package folder already exists.
    """
    if not case.documents:
        raise ValueError(f"case {case.number} has no documents to deliver")
    numbers = [d.running_number for d in case.documents]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"case {case.number} has duplicate running numbers")
    for document in case.documents:
        digest = hashlib.sha256(document.content_text.encode("utf-8")).hexdigest()
        if digest != document.content_sha256.lower():
            raise ValueError(
                f"content_sha256 of {document.number} does not match its content_text "
                "(it must be the SHA-256 of exactly the text being exported)"
            )
    schema_folder = schemas_dir(schemas) if include_schemas else None

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = package_name(case, info)
    final = out_dir / name
    if final.exists():
        raise FileExistsError(f"{final} already exists")

    work = out_dir / f".{name}.partial-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    work.mkdir()
    try:
        entries: list[FileEntry] = []
        appendices: dict[int, list[tuple[str, str]]] = {}
        for document in sorted(case.documents, key=lambda d: d.running_number):
            stem = f"{DATA_DIR}/{document.running_number}"
            text_entry = _write(work, f"{stem}.txt", document.content_text.encode("utf-8"), info)
            entries.append(text_entry)
            appendices[document.running_number] = [(text_entry.path, text_entry.mimetype)]
            if renderer is not None:
                pdf_entry = _write(work, f"{stem}.pdf", renderer(document), info)
                entries.append(pdf_entry)
                appendices[document.running_number].append((pdf_entry.path, pdf_entry.mimetype))
            for k, attached in enumerate(document.files, start=1):
                if hashlib.sha256(attached.data).hexdigest() != attached.sha256.lower():
                    raise ValueError(f"file {k} of {document.number} does not match its sha256")
                file_entry = _write(work, f"{stem}-fil{k}{attached.extension}", attached.data, info)
                entries.append(file_entry)
                appendices[document.running_number].append((file_entry.path, file_entry.mimetype))

        if schema_folder is not None:
            for source, target in PACKAGE_SCHEMAS:
                data = (schema_folder / source).read_bytes()
                entries.append(_write(work, f"schemas/{target}", data, info))

        documentation = _documentation(case, info, name, renderer is not None, schema_folder is not None)
        entries.append(_write(work, DOCUMENTATION_PATH, documentation.encode("utf-8"), info))

        erms = build_erms(case, info, files=appendices)
        erms_bytes = etree.tostring(erms, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        descriptive = [_write(work, ERMS_PATH, erms_bytes, info)]

        label = f"{case.number} – {case.public_title}" if case.public_title else case.number
        mets = build_mets(info, entries, descriptive, objid=name, label=label)
        mets_bytes = etree.tostring(mets, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        (work / "METS.xml").write_bytes(mets_bytes)

        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def pdf_renderer(organisation_name: str) -> Renderer:
    """A renderer for :func:`write_package` built on :func:`records.pdf.render_text_pdf`, writing
    PDF/A-2b (what archives take in: fonts embedded, XMP identification, sRGB output intent).

    The PDF shows what the ERMS holds for the document (number, title, direction, dates,
    agents, secrecy markings) and its content, all exactly as passed (masked agents as
    ``[maskerat]``).
    """
    from records.pdf import MASK_MARKER, render_text_pdf

    labels = {"sender": "Avsändare", "recipient": "Mottagare", "responsible": "Handläggare"}
    parts = {"sender": "avsändare", "description": "beskrivning", "content": "innehåll"}

    def render(document: DocumentData) -> bytes:
        meta = [
            ("Diarienummer", document.number),
            ("Riktning", "inkommen" if document.direction == "incoming" else "upprättad"),
            ("Datum", document.date.isoformat()),
            ("Registrerad", document.registered_at.isoformat(timespec="minutes")),
        ]
        for agent in document.agents:
            meta.append((labels[agent.role], MASK_MARKER if agent.masked else (agent.name or "")))
        for restriction in document.restrictions:
            meta.append(("Sekretess", f"{parts.get(restriction.part, restriction.part)}: {restriction.regulation}"))
        return render_text_pdf(
            title=document.title or document.number,
            meta=meta,
            body=document.content_text,
            footer=f"{organisation_name} · {document.number}",
            created=document.registered_at,
            pdfa=True,
        )

    return render


# --- checks ---------------------------------------------------------------------------------

_M = "{http://www.loc.gov/METS/}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def verify_package(package: Path) -> list[str]:
    """Problems with the files of a package: every file and mdRef in METS.xml must exist with
    the recorded SIZE and SHA-256, and every file in the folder (except METS.xml) must be listed.
    """
    package = Path(package)
    mets_path = package / "METS.xml"
    if not mets_path.is_file():
        return [f"{mets_path} is missing"]
    tree = etree.parse(str(mets_path), etree.XMLParser(no_network=True, resolve_entities=False))
    problems: list[str] = []
    listed: set[str] = set()
    references = [(loc.get(_XLINK_HREF), loc.getparent()) for loc in tree.iter(f"{_M}FLocat")] + [
        (ref.get(_XLINK_HREF), ref) for ref in tree.iter(f"{_M}mdRef")
    ]
    for href, holder in references:
        if not href:
            problems.append("a file reference has no xlink:href")
            continue
        listed.add(href)
        target = (package / href).resolve()
        if package.resolve() not in target.parents:
            problems.append(f"{href}: points outside the package")
            continue
        if not target.is_file():
            problems.append(f"{href}: listed in METS.xml but missing")
            continue
        data = target.read_bytes()
        if holder.get("SIZE") != str(len(data)):
            problems.append(f"{href}: SIZE {holder.get('SIZE')} but the file has {len(data)} bytes")
        if holder.get("CHECKSUMTYPE") != "SHA-256":
            problems.append(f"{href}: CHECKSUMTYPE is {holder.get('CHECKSUMTYPE')!r}, not SHA-256")
        elif (holder.get("CHECKSUM") or "").lower() != hashlib.sha256(data).hexdigest():
            problems.append(f"{href}: CHECKSUM does not match the file")
    for path in sorted(p for p in package.rglob("*") if p.is_file()):
        relative = path.relative_to(package).as_posix()
        if relative != "METS.xml" and relative not in listed:
            problems.append(f"{relative}: in the package but not listed in METS.xml")
    return problems


def validate_package(package: Path, schemas: str | os.PathLike[str] | None = None) -> list[str]:
    """All problems of a written package: METS (XSD + CSIP Schematron), ERMS (XSD + Schematron)
    and the files against METS (:func:`verify_package`). [] means the package passed.
    """
    package = Path(package)
    problems = verify_package(package)
    if (package / "METS.xml").is_file():
        problems += validate_mets(package / "METS.xml", schemas)
    if (package / ERMS_PATH).is_file():
        problems += validate_erms(package / ERMS_PATH, schemas)
    else:
        problems.append(f"{ERMS_PATH} is missing")
    problems += _pdfa_problems(package)
    return problems


def _pdfa_problems(package: Path) -> list[str]:
    """Every content PDF must be PDF/A-2b (records.pdf.pdfa_problems reads each back)."""
    from records.pdf import pdfa_problems

    problems = []
    for path in sorted((package / DATA_DIR).glob("*.pdf")):
        problems += [f"{path.relative_to(package).as_posix()}: {p}" for p in pdfa_problems(path.read_bytes())]
    return problems
