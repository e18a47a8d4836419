"""The package METS of an E-ARK SIP 2.2 / CSIP (FGS Paketstruktur 2.0) (lxml; no Django imports).

Layout of the METS written by :func:`build_mets` (it follows the E-ARK SIP profile's example of
a package whose representation is described in the root METS, so no representation-level
METS file is needed; the Schematron rule for representation METS pointers (CSIP105) is only a
warning and applies when a ``Representations`` div has sub-divisions):

- ``mets/@OBJID`` = package folder name, ``@TYPE="Other"`` + ``@csip:OTHERTYPE``,
  ``@csip:CONTENTINFORMATIONTYPE="OTHER"`` + ``@csip:OTHERCONTENTINFORMATIONTYPE="citserms_v3_0"``
  (the CSIP extension schema lists ``citserms_v2_1`` but not v3), ``@PROFILE`` = the SIP 2.2 profile.
- ``metsHdr`` with ``CREATEDATE``, ``LASTMODDATE``, ``RECORDSTATUS="NEW"``, ``csip:OAISPACKAGETYPE="SIP"``
  and agents: the software (``ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE"`` with a
  ``SOFTWARE VERSION`` note), the organisation as archival creator (``ROLE="ARCHIVIST"``,
  ``TYPE="ORGANIZATION"``, ``IDENTIFICATIONCODE`` note) and as submitter (``ROLE="OTHER"``,
  ``OTHERROLE="SUBMITTER"``). The organisation is not a CREATOR agent because the CSIP rules
  CSIP12–CSIP16 require every CREATOR agent to be software.
- ``dmdSec`` with an ``mdRef`` to each descriptive file (``metadata/descriptive/erms.xml``).
- ``fileSec`` with one ``fileGrp`` per folder: ``Documentation``, ``Schemas`` and
  ``Representations/rep1/Data``; every ``file`` has MIMETYPE, SIZE, CREATED, CHECKSUM
  (SHA-256) and a relative ``FLocat``. Every ``fileGrp`` carries the content information type,
  as CSIP63 in the bundled rules demands.
- ``structMap TYPE="PHYSICAL" LABEL="CSIP"`` with the divs Metadata, Documentation, Schemas and
  Representations.

:func:`validate_mets` checks a METS document against ``mets/mets.sip.local.v2-0.xsd`` (METS 1.12
plus the CSIP and SIP extension schemas, all loaded from local files) and the four CSIP
Schematron files in ``mets/csip-schematron/``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from lxml import etree, isoschematron

from .erms import ERMS_VERSION, VALIDATION_LOCK, XmlSource, _as_tree, schematron_failures
from .model import FileEntry, PackageInfo, schemas_dir

__all__ = [
    "CONTENT_INFORMATION_TYPE",
    "CSIP_SCHEMATRON_FILES",
    "FileEntry",
    "METS_NS",
    "SIP_PROFILE",
    "build_mets",
    "file_group_use",
    "validate_mets",
]

METS_NS = "http://www.loc.gov/METS/"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP_NS = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP-v2-2-0.xml"
CONTENT_INFORMATION_TYPE = "citserms_v3_0"
OTHER_TYPE = "Electronic records (ERMS case file)"
REPRESENTATION = "rep1"

CSIP_SCHEMATRON_FILES = (
    "mets_metsRootElement_rules.xml",
    "mets_metsHdr_rules.xml",
    "mets_fileSec_rules.xml",
    "mets_structMap_rules.xml",
)

_M = f"{{{METS_NS}}}"
_CSIP = f"{{{CSIP_NS}}}"
_SIP = f"{{{SIP_NS}}}"
_XLINK = f"{{{XLINK_NS}}}"
_NSMAP = {"mets": METS_NS, "csip": CSIP_NS, "sip": SIP_NS, "xlink": XLINK_NS, "xsi": XSI_NS}
_SCHEMA_LOCATION = " ".join(
    [
        METS_NS,
        "https://www.loc.gov/standards/mets/mets.xsd",
        XLINK_NS,
        "https://www.loc.gov/standards/mets/xlink.xsd",
        CSIP_NS,
        "https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd",
        SIP_NS,
        "https://earksip.dilcis.eu/schema/DILCISExtensionSIPMETS.xsd",
    ]
)

# (USE, ID, structMap div label) in document order; the path prefix decides the group.
_GROUPS = (
    ("documentation/", "Documentation", "filegrp-documentation", "Documentation"),
    ("schemas/", "Schemas", "filegrp-schemas", "Schemas"),
    (
        f"representations/{REPRESENTATION}/data/",
        f"Representations/{REPRESENTATION}/Data",
        f"filegrp-{REPRESENTATION}-data",
        "Representations",
    ),
)


def _dt(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def file_group_use(path: str) -> str:
    """The ``fileGrp/@USE`` a package-relative path belongs to; ValueError for other folders."""
    for prefix, use, _id, _label in _GROUPS:
        if path.startswith(prefix):
            return use
    folders = f"documentation/, schemas/ or representations/{REPRESENTATION}/data/"
    raise ValueError(f"{path!r} is not under {folders}")


def _file_id(index: int) -> str:
    return f"file-{index:04d}"


def _set_content_type(element: etree._Element) -> None:
    element.set(_CSIP + "CONTENTINFORMATIONTYPE", "OTHER")
    element.set(_CSIP + "OTHERCONTENTINFORMATIONTYPE", CONTENT_INFORMATION_TYPE)


def build_mets(
    info: PackageInfo,
    files: Sequence[FileEntry],
    descriptive: Sequence[FileEntry],
    *,
    objid: str | None = None,
    label: str | None = None,
) -> etree._Element:
    """The package METS root for ``files`` (content, documentation, schemas) and ``descriptive``.

    ``objid`` is the package folder name (default ``info.package_id``); ``label`` an optional
    short description (``mets/@LABEL``; keep secret information out of it).
    Files are listed in path order, so the output depends only on the inputs.
    """
    objid = objid or info.package_id
    root = etree.Element(_M + "mets", nsmap=_NSMAP)
    root.set("OBJID", objid)
    if label:
        root.set("LABEL", label)
    root.set("TYPE", "Other")
    root.set(_CSIP + "OTHERTYPE", OTHER_TYPE)
    _set_content_type(root)
    root.set("PROFILE", SIP_PROFILE)
    root.set(f"{{{XSI_NS}}}schemaLocation", _SCHEMA_LOCATION)

    header = etree.SubElement(
        root,
        _M + "metsHdr",
        {"CREATEDATE": _dt(info.created_at), "LASTMODDATE": _dt(info.created_at), "RECORDSTATUS": "NEW"},
    )
    header.set(_CSIP + "OAISPACKAGETYPE", "SIP")
    software = etree.SubElement(header, _M + "agent", {"ROLE": "CREATOR", "TYPE": "OTHER", "OTHERTYPE": "SOFTWARE"})
    etree.SubElement(software, _M + "name").text = info.system_name
    note = etree.SubElement(software, _M + "note")
    note.text = info.system_version
    note.set(_CSIP + "NOTETYPE", "SOFTWARE VERSION")
    for attributes in (
        {"ROLE": "ARCHIVIST", "TYPE": "ORGANIZATION"},
        {"ROLE": "OTHER", "OTHERROLE": "SUBMITTER", "TYPE": "ORGANIZATION"},
    ):
        agent = etree.SubElement(header, _M + "agent", attributes)
        etree.SubElement(agent, _M + "name").text = info.organisation_name
        note = etree.SubElement(agent, _M + "note")
        note.text = info.organisation_id
        note.set(_CSIP + "NOTETYPE", "IDENTIFICATIONCODE")

    dmd_ids: list[str] = []
    for index, entry in enumerate(sorted(descriptive, key=lambda e: e.path), start=1):
        dmd_id = f"dmd-{index:02d}"
        dmd_ids.append(dmd_id)
        section = etree.SubElement(
            root, _M + "dmdSec", {"ID": dmd_id, "CREATED": _dt(entry.created), "STATUS": "CURRENT"}
        )
        reference = etree.SubElement(section, _M + "mdRef")
        reference.set("LOCTYPE", "URL")
        reference.set(_XLINK + "type", "simple")
        reference.set(_XLINK + "href", entry.path)
        reference.set("MDTYPE", "OTHER")
        reference.set("OTHERMDTYPE", "ERMS")
        reference.set("MDTYPEVERSION", ERMS_VERSION)
        reference.set("MIMETYPE", entry.mimetype)
        reference.set("SIZE", str(entry.size))
        reference.set("CREATED", _dt(entry.created))
        reference.set("CHECKSUM", entry.sha256)
        reference.set("CHECKSUMTYPE", "SHA-256")
        reference.set("LABEL", entry.path.rsplit("/", 1)[-1])

    grouped: dict[str, list[FileEntry]] = {use: [] for _prefix, use, _id, _label in _GROUPS}
    for entry in files:
        grouped[file_group_use(entry.path)].append(entry)
    file_section = etree.SubElement(root, _M + "fileSec", {"ID": "filesec"})
    index = 0
    present: list[tuple[str, str]] = []  # (group id, div label)
    for _prefix, use, group_id, div_label in _GROUPS:
        entries = sorted(grouped[use], key=lambda e: e.path)
        if not entries:
            continue
        present.append((group_id, div_label))
        group = etree.SubElement(file_section, _M + "fileGrp", {"ID": group_id, "USE": use})
        _set_content_type(group)
        for entry in entries:
            index += 1
            element = etree.SubElement(
                group,
                _M + "file",
                {
                    "ID": _file_id(index),
                    "MIMETYPE": entry.mimetype,
                    "SIZE": str(entry.size),
                    "CREATED": _dt(entry.created),
                    "CHECKSUM": entry.sha256,
                    "CHECKSUMTYPE": "SHA-256",
                },
            )
            if entry.format_name:
                element.set(_SIP + "FILEFORMATNAME", entry.format_name)
            if entry.format_version:
                element.set(_SIP + "FILEFORMATVERSION", entry.format_version)
            location = etree.SubElement(element, _M + "FLocat")
            location.set("LOCTYPE", "URL")
            location.set(_XLINK + "type", "simple")
            location.set(_XLINK + "href", entry.path)

    struct_map = etree.SubElement(root, _M + "structMap", {"ID": "structmap-csip", "TYPE": "PHYSICAL", "LABEL": "CSIP"})
    package_div = etree.SubElement(struct_map, _M + "div", {"ID": "div-package", "LABEL": objid})
    metadata_div = etree.SubElement(package_div, _M + "div", {"ID": "div-metadata", "LABEL": "Metadata"})
    if dmd_ids:
        metadata_div.set("DMDID", " ".join(dmd_ids))
    for group_id, div_label in present:
        div = etree.SubElement(package_div, _M + "div", {"ID": f"div-{div_label.lower()}", "LABEL": div_label})
        etree.SubElement(div, _M + "fptr", {"FILEID": group_id})
    return root


# --- validation -----------------------------------------------------------------------------

# The CSIP rules test vocabularies through placeholders such as ``@TYPE_vocabulary_test`` that
# the E-ARK validator expands from the published vocabularies before compiling; we expand them
# the same way. CONTENTINFORMATIONTYPE and OAISPACKAGETYPE come from the extension schema in the
# schema folder; the content-category (``mets/@TYPE``) and dmdSec status vocabularies are not in
# that folder and are listed here (CSIPVocabularyContentCategory.xml, CSIPVocabularyStatus.xml).
_CONTENT_CATEGORY = (
    "Textual works – Print",
    "Textual works – Digital",
    "Textual works – Electronic Serials",
    "Digital Musical Composition (score-based representations)",
    "Musical Scores - Print",
    "Musical Scores - Digital",
    "Photographs – Print",
    "Photographs – Digital",
    "Other Graphic Images – Print",
    "Other Graphic Images – Digital",
    "Microforms",
    "Audio – On Tangible Medium (digital or analog)",
    "Audio – Media-independent (digital)",
    "Motion Pictures – Digital and Physical Media",
    "Video – File-based and Physical Media",
    "Software",
    "Software and Video Games",
    "Email",
    "Datasets",
    "Geospatial Data",
    "Geographic Information System (GIS) - Vector Data",
    "GIS Raster and Georeferenced Images",
    "GIS Vector and Raster Combined",
    "Non-GIS Cartographic",
    "2D and 3D Computer Aided Design",
    "Design (schematics, architectural drawings) - Print",
    "Scanned 3D Objects (output from photogrammetry scanning)",
    "Databases",
    "Websites",
    "Web Archives",
    "Collection",
    "Event",
    "Image",
    "Interactive resource",
    "Moving image",
    "Sound",
    "Still image",
    "Text",
    "Physical object",
    "Service",
    "Mixed",
    "Other",
)
_STATUS = ("CURRENT", "SUPERSEDED")


def _enumeration(xsd: Path, attribute: str) -> tuple[str, ...]:
    tree = etree.parse(str(xsd), etree.XMLParser(no_network=True, resolve_entities=False))
    xs = "http://www.w3.org/2001/XMLSchema"
    values = tree.xpath(f"//xs:attribute[@name='{attribute}']//xs:enumeration/@value", namespaces={"xs": xs})
    return tuple(str(v) for v in values)


def _vocabulary_test(attribute: str, values: Iterable[str]) -> str:
    terms = [f"({attribute} = '{v}')" for v in values if "'" not in v]
    return "(" + " or ".join(terms) + ")" if terms else "false()"


def _expanded_rules(folder: Path, text: str) -> str:
    extension = folder / "mets" / "DILCISExtensionMETS.xsd"
    tests = {
        "@csip:CONTENTINFORMATIONTYPE_vocabulary_test": _vocabulary_test(
            "@csip:CONTENTINFORMATIONTYPE", _enumeration(extension, "CONTENTINFORMATIONTYPE")
        ),
        "@csip:OAISPACKAGETYPE_vocabulary_test": _vocabulary_test(
            "@csip:OAISPACKAGETYPE", _enumeration(extension, "OAISPACKAGETYPE")
        ),
        "@TYPE_vocabulary_test": _vocabulary_test("@TYPE", _CONTENT_CATEGORY),
        "@STATUS_vocabulary_test": _vocabulary_test("@STATUS", _STATUS),
    }
    for placeholder, expression in tests.items():
        text = text.replace(placeholder, expression)
    leftover = re.search(r"@[\w:]+_(vocabulary|IANA)_test", text)
    if leftover:
        raise ValueError(f"unknown Schematron placeholder {leftover.group(0)}")
    return text


@lru_cache(maxsize=8)
def _mets_validators(folder: str) -> tuple[etree.XMLSchema, tuple[tuple[str, isoschematron.Schematron], ...]]:
    base = Path(folder)
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    wrapper = base / "mets" / "mets.sip.local.v2-0.xsd"
    schema = etree.XMLSchema(etree.parse(str(wrapper), parser))
    rules = []
    for name in CSIP_SCHEMATRON_FILES:
        path = base / "mets" / "csip-schematron" / name
        text = _expanded_rules(base, path.read_text(encoding="utf-8"))
        document = etree.fromstring(text.encode("utf-8"), parser)
        rules.append((name, isoschematron.Schematron(document, store_report=True)))
    return schema, tuple(rules)


def validate_mets(
    path_or_element: XmlSource,
    schemas: str | os.PathLike[str] | None = None,
    *,
    include_warnings: bool = False,
) -> list[str]:
    """Errors of a package METS; [] when valid.

    Checks the METS 1.12 XSD with the CSIP/SIP extension schemas (``mets/mets.sip.local.v2-0.xsd``,
    which loads every imported schema from the local folder; no network) and the CSIP Schematron
    rules in ``mets/csip-schematron/`` (root element, metsHdr, fileSec, structMap). Failed
    assertions with role WARN or INFO are reported only with ``include_warnings=True``.
    """
    folder = schemas_dir(schemas)
    schema, rules = _mets_validators(str(folder))
    tree = _as_tree(path_or_element)
    errors: list[str] = []
    with VALIDATION_LOCK:
        if not schema.validate(tree):
            errors += [f"mets.sip.local.v2-0.xsd line {e.line}: {e.message}" for e in schema.error_log]
        for name, schematron in rules:
            errors += schematron_failures(schematron, tree, label=name, include_warnings=include_warnings)
    return errors
