"""CITS ERMS 3 (FGS Ärendehantering 2.0) for one case and its documents (lxml; no Django imports).

Mapping (after svkau/SvKGS-Arendehandlingar and the README in the schema folder):

=====================================  ==========================================================
Uppsikt                                ERMS 3
=====================================  ==========================================================
case                                   ``aggregation aggregationType="caseFile"``
document                               ``record`` inside the case's aggregation
diarienummer (case, document)          ``objectId``
handlingsnummer (running number)       ``runningNumber``
ärendemening / description             ``title``
public title (postlista)               ``otherTitle titleType="public"``
classification                         ``classification classificationCode="…"``
status                                 ``status value="open|closed|…"``
secrecy marking per part               ``restriction restrictionType="confidential"`` with
                                       ``explanatoryText`` (the part), ``regulation`` (lagrum),
                                       dates ``confidentiality_assessed`` and ``expiration``
retention (keep/purge)                 ``disposal`` (``disposable``, schedule id, action, mandate;
                                       ``disposalDate`` is an xs:dateTime)
inkommen / upprättad                   ``direction directionDefinition="incoming|outgoing"``
sender / recipient / responsible       ``agent agentType="sender|recipient|responsible_person"``
unit (förvaltning)                     ``agent agentType="owner"`` with ``organisation``
date in / drawn up, registered         ``date dateType="received|originated"``, ``captured``
opened / closed                        ``date dateType="opened|closed"``
reason for registration                ``notes/note noteType="registreringsskäl"``
content files                          ``additionalInformation/appendix`` (path from package root)
=====================================  ==========================================================

The builder writes exactly what it is given: secret parts must be masked by the caller
before they get here (see :mod:`records.archive.model`). A masked agent is written with the
placeholder name ``[maskerat]`` (the schema requires a name) and the secrecy shows in the
record's ``restriction``.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from lxml import etree, isoschematron

from .model import CaseData, DisposalData, DocumentData, PackageInfo, RestrictionData, schemas_dir

__all__ = [
    "ERMS_NS",
    "ERMS_VERSION",
    "MASKED_NAME",
    "build_erms",
    "system_identifier",
    "validate_erms",
]

ERMS_NS = "https://DILCIS.eu/XML/ERMS"
ERMS_VERSION = "3.0.2"
MASKED_NAME = "[maskerat]"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"

_E = f"{{{ERMS_NS}}}"
# Compiled validators keep their last report on the object, so one validation runs at a time.
VALIDATION_LOCK = threading.RLock()
# Namespace for system identifiers of Uppsikt cases and documents. Never change it: exports of the
# same case must keep the same identifiers.
_UUID_NAMESPACE = uuid.UUID("6f1b0e7c-5d4a-4f4e-9a53-7570707369b7")

_PART_TEXT = {
    "sender": "Sekretess för uppgift om avsändare eller mottagare",
    "description": "Sekretess för uppgift i beskrivningen (ärendemening eller rubrik)",
    "content": "Sekretess för uppgift i handlingens innehåll",
}
_AGENT_TYPE = {"sender": "sender", "recipient": "recipient", "responsible": "responsible_person"}
_DIRECTION_DATE = {"incoming": "received", "outgoing": "originated"}
_STATUS = {
    "open": "open",
    "opened": "open",
    "öppet": "open",
    "oppet": "open",
    "pågående": "in_progress",
    "in_progress": "in_progress",
    "on_hold": "on_hold",
    "vilande": "on_hold",
    "closed": "closed",
    "avslutat": "closed",
    "ad_acta": "ad_acta",
    "initiated": "initiated",
    "obliterated": "obliterated",
    "makulerat": "obliterated",
}


def system_identifier(organisation_id: str, number: str) -> str:
    """A stable UUID for a case or document: the same number gets the same id in every export."""
    return str(uuid.uuid5(_UUID_NAMESPACE, f"{organisation_id}:{number}"))


def _dt(value: date | datetime) -> str:
    """xs:dateTime text; a date becomes midnight (as SvKGS does for date-only values)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return f"{value.isoformat()}T00:00:00"


def _sub(parent: etree._Element, tag: str, text: str | None = None, /, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, _E + tag, {k: v for k, v in attrib.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _restriction(parent: etree._Element, restriction: RestrictionData) -> None:
    element = _sub(parent, "restriction", restrictionType="confidential")
    _sub(element, "explanatoryText", _PART_TEXT.get(restriction.part, f"Sekretess: {restriction.part}"))
    _sub(element, "regulation", restriction.regulation)
    dates = _sub(element, "dates")
    _sub(dates, "date", _dt(restriction.marked_at), dateType="confidentiality_assessed")
    if restriction.expires_on is not None:
        _sub(dates, "date", _dt(restriction.expires_on), dateType="expiration")


def _disposal(parent: etree._Element, disposal: DisposalData, period_start: date | datetime) -> None:
    element = _sub(parent, "disposal", disposable="true" if disposal.action == "purge" else "false")
    _sub(element, "disposalScheduleId", disposal.retention_class_code)
    _sub(element, "disposalAction", "gallras" if disposal.action == "purge" else "bevaras")
    _sub(element, "disposalMandate", disposal.decision_reference)
    dates = _sub(element, "dates")
    _sub(dates, "disposalDate", _dt(period_start), dateType="retention_period_start")
    if disposal.due is not None:
        _sub(dates, "disposalDate", _dt(disposal.due), dateType="action_due")


def _titles(parent: etree._Element, title: str, public_title: str) -> None:
    _sub(parent, "title", title)
    _sub(parent, "otherTitle", public_title, titleType="public")


def _status_value(case: CaseData) -> str:
    mapped = _STATUS.get(case.status.strip().lower())
    if mapped:
        return mapped
    return "closed" if case.closed else "open"


def _record(
    parent: etree._Element,
    document: DocumentData,
    organisation_id: str,
    files: Sequence[tuple[str, str]],
) -> None:
    record = _sub(
        parent,
        "record",
        systemIdentifier=system_identifier(organisation_id, document.number),
        recordPhysicalOrDigital="digital",
    )
    _sub(record, "objectId", document.number)
    _titles(record, document.title, document.public_title)
    _sub(record, "runningNumber", str(document.running_number))
    for restriction in document.restrictions:
        _restriction(record, restriction)
    if document.disposal is not None:
        _disposal(record, document.disposal, document.registered_at)
    _sub(record, "direction", directionDefinition=document.direction)
    if document.agents:
        agents = _sub(record, "agents")
        for agent in document.agents:
            element = _sub(agents, "agent", agentType=_AGENT_TYPE[agent.role])
            if agent.masked or not agent.name:
                _sub(element, "name", MASKED_NAME if agent.masked else "[okänd]")
            else:
                _sub(element, "name", agent.name)
    dates = _sub(record, "dates")
    _sub(dates, "date", _dt(document.date), dateType=_DIRECTION_DATE[document.direction])
    _sub(dates, "date", _dt(document.registered_at), dateType="captured")
    if document.reason:
        notes = _sub(record, "notes")
        _sub(notes, "note", document.reason, noteType="registreringsskäl")
    if files:
        info = _sub(record, "additionalInformation")
        for path, mimetype in files:
            _sub(
                info,
                "appendix",
                name=path.rsplit("/", 1)[-1],
                path=path,
                fileFormat=mimetype,
                description="Handlingens innehåll" if mimetype == "text/plain" else "Läsbar återgivning",
            )


def build_erms(
    case: CaseData,
    info: PackageInfo,
    *,
    files: Mapping[int, Sequence[tuple[str, str]]] | None = None,
) -> etree._Element:
    """The ``erms`` root element for ``case`` and its documents (records in running-number order).

    ``files`` maps a document's running number to its content files as ``(path, mimetype)``
    pairs, paths relative to the package root; each becomes an ``appendix`` of the record.
    Everything is written as given: pass masked data where secrecy applies.
    """
    files = files or {}
    root = etree.Element(_E + "erms", nsmap={None: ERMS_NS})

    control = _sub(root, "control")
    _sub(control, "identification", info.organisation_name, identificationType="arkivbildare")
    _sub(control, "identification", info.organisation_id, identificationType="organisationsnummer")
    _sub(control, "identification", case.number, identificationType="diarienummer")
    maintenance = _sub(control, "maintenanceInformation")
    _sub(maintenance, "maintenanceStatus", value="new")
    agency = _sub(maintenance, "maintenanceAgency")
    _sub(agency, "agencyCode", info.organisation_id, type="organisationsnummer")
    _sub(agency, "agencyName", info.organisation_name)
    history = _sub(maintenance, "maintenanceHistory")
    event = _sub(history, "maintenanceEvent")
    _sub(event, "eventType", value="created")
    _sub(event, "eventDateTime", _dt(info.created_at))
    system_agent = _sub(event, "agent", agentType="creator")
    _sub(system_agent, "name", info.system_name)
    _sub(system_agent, "organisation", info.organisation_name)
    _sub(system_agent, "role", "system")
    system_notes = _sub(system_agent, "notes")
    _sub(system_notes, "note", info.system_version, noteType="version")

    aggregations = _sub(root, "aggregations")
    aggregation = _sub(
        aggregations,
        "aggregation",
        systemIdentifier=system_identifier(info.organisation_id, case.number),
        aggregationType="caseFile",
    )
    _sub(aggregation, "objectId", case.number)
    if case.classification:
        _sub(aggregation, "classification", case.classification, classificationCode=case.classification)
    _titles(aggregation, case.title, case.public_title)
    _sub(aggregation, "status", value=_status_value(case))
    for restriction in case.restrictions:
        _restriction(aggregation, restriction)
    if case.disposal is not None:
        _disposal(aggregation, case.disposal, case.closed or case.opened)
    agents = _sub(aggregation, "agents")
    owner = _sub(agents, "agent", agentType="owner")
    _sub(owner, "name", case.unit)
    _sub(owner, "organisation", info.organisation_name)
    if case.responsible:
        responsible = _sub(agents, "agent", agentType="responsible_person")
        _sub(responsible, "name", case.responsible)
        _sub(responsible, "organisation", info.organisation_name)
        _sub(responsible, "unitName", case.unit)
    dates = _sub(aggregation, "dates")
    _sub(dates, "date", _dt(case.opened), dateType="opened")
    if case.closed:
        _sub(dates, "date", _dt(case.closed), dateType="closed")
    for document in sorted(case.documents, key=lambda d: d.running_number):
        _record(aggregation, document, info.organisation_id, files.get(document.running_number, ()))
    return root


# --- validation -----------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _erms_validators(folder: str) -> tuple[etree.XMLSchema, isoschematron.Schematron]:
    base = Path(folder) / "erms"
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    schema = etree.XMLSchema(etree.parse(str(base / "ERMS_v3.xsd"), parser))
    schematron = isoschematron.Schematron(etree.parse(str(base / "erms_v3.sch"), parser), store_report=True)
    return schema, schematron


XmlSource = str | os.PathLike[str] | etree._Element | etree._ElementTree


def _as_tree(path_or_element: XmlSource) -> etree._ElementTree:
    if isinstance(path_or_element, etree._ElementTree):
        return path_or_element
    if isinstance(path_or_element, etree._Element):
        return etree.ElementTree(path_or_element)
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.parse(os.fspath(path_or_element), parser)


def schematron_failures(
    schematron: isoschematron.Schematron,
    tree: etree._ElementTree,
    *,
    label: str,
    include_warnings: bool = False,
) -> list[str]:
    """Messages for failed assertions (and ERROR-role reports) of a compiled Schematron.

    Assertions with ``role`` WARN/WARNING/INFO are left out unless ``include_warnings``.
    """
    schematron.validate(tree)
    report = schematron.validation_report
    messages: list[str] = []
    if report is None:
        return messages
    for element in report.iter(f"{{{SVRL_NS}}}failed-assert", f"{{{SVRL_NS}}}successful-report"):
        role = (element.get("role") or "ERROR").upper()
        is_report = element.tag.endswith("successful-report")
        if is_report and role != "ERROR" and not include_warnings:
            continue
        if role in {"WARN", "WARNING", "INFO", "INFORMATION"} and not include_warnings:
            continue
        text = " ".join("".join(element.itertext()).split())
        rule_id = element.get("id") or ""
        where = element.get("location") or ""
        prefix = f"{label} {rule_id}".strip()
        messages.append(f"{prefix} [{role}] {text} (at {where})")
    return messages


def validate_erms(
    path_or_element: XmlSource,
    schemas: str | os.PathLike[str] | None = None,
) -> list[str]:
    """Errors of an ERMS document against ``erms/ERMS_v3.xsd`` and ``erms/erms_v3.sch``; [] if valid.

    ``schemas`` is the schema folder (default: :func:`records.archive.model.schemas_dir`);
    a missing folder raises :class:`records.archive.model.SchemasNotFoundError`.
    """
    folder = schemas_dir(schemas)
    schema, schematron = _erms_validators(str(folder))
    tree = _as_tree(path_or_element)
    with VALIDATION_LOCK:
        errors = [f"ERMS_v3.xsd line {e.line}: {e.message}" for e in _xsd_errors(schema, tree)]
        errors += schematron_failures(schematron, tree, label="erms_v3.sch")
    return errors


def _xsd_errors(schema: etree.XMLSchema, tree: etree._ElementTree) -> list:
    if schema.validate(tree):
        return []
    return list(schema.error_log)
