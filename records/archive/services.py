"""E-archive delivery of a case: an E-ARK SIP (FGS Paketstruktur 2.0) with CITS ERMS 3.

`case_export(*, case, out_dir, actor)` builds `records.archive.CaseData` from the case and its
documents, writes the package with a PDF rendering of each document, validates it, marks a
closed "keep" case as delivered and audits the export.

Secrecy decision (OSL 11 kap. 4 §: when a public record is delivered to an archive authority,
the secrecy that applied to it follows it). The delivery goes to the municipality's own archive
authority (arkivmyndigheten), which takes over the record, so:
- the document's CONTENT is delivered in full (it is the record; masking it would destroy it),
  and each secret part is recorded in the ERMS as a `restriction` of type confidential with its
  legal ground (regulation) and end date, so the archive authority applies the same secrecy;
- the METADATA, which archive search services show more widely, is masked: a secret sender is
  an agent without a name, a secret description is replaced by the public description (or
  "[maskerat]"), and the case title by its public title where one is set.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.errors import DomainError, NotPermitted
from accounts.models import AuditAction
from accounts.services import audit_record
from records.archive import (
    AgentData,
    CaseData,
    DisposalData,
    DocumentData,
    PackageInfo,
    RestrictionData,
    pdf_renderer,
    validate_package,
    write_package,
)
from records.models import Case, CaseStatus, Document, RetentionAction
from records.workflow import transition

__all__ = ["case_build_data", "case_export", "cases_ready_for_delivery"]

MASKED = "[maskerat]"


def _disposal(obj) -> DisposalData | None:
    cls = obj.retention_class
    if cls is None:
        return None
    reference = cls.decision_reference or f"Informationshanteringsplan, klass {cls.code}"
    return DisposalData(action="keep" if cls.action == RetentionAction.KEEP else "purge",
                        retention_class_code=cls.code, due=obj.retention_due, decision_reference=reference)


def _document_data(doc: Document) -> DocumentData:
    markings = doc.active_markings()
    secret = {m.part for m in markings}
    restrictions = [RestrictionData(part=m.part, regulation=m.legal_ground.code, marked_at=m.marked_at,
                                    expires_on=m.expires_on) for m in markings]
    if doc.sender:
        role = "sender" if doc.direction == "incoming" else "recipient"
        agents = [AgentData(role, None, masked=True) if "sender" in secret else AgentData(role, doc.sender)]
    else:
        agents = []
    if "description" in secret:
        title = doc.public_description or MASKED
        public_title = doc.public_description or MASKED
    else:
        title = doc.description
        public_title = doc.public_description or doc.description
    # The content is delivered whole; its secrecy travels as a restriction (module docstring).
    text = doc.content or ""
    return DocumentData(
        number=doc.number, running_number=doc.sequence, title=title, public_title=public_title,
        direction=doc.direction, date=doc.date, registered_at=doc.registered_at, agents=agents,
        restrictions=restrictions, content_text=text,
        content_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        reason=doc.get_reason_display(), disposal=_disposal(doc), files=_document_files(doc),
    )


def _document_files(doc: Document) -> tuple:
    """The document's frozen files (pictures, evidence sheets), delivered whole like its content."""
    from pathlib import PurePosixPath

    from records.archive import DocumentFileData

    files = []
    for stored in doc.files.order_by("added_later", "id"):
        with stored.file.storage.open(stored.file.name, "rb") as handle:
            data = handle.read()
        files.append(DocumentFileData(label=stored.label, mimetype=stored.content_type, data=data,
                                      sha256=stored.sha256, extension=PurePosixPath(stored.file.name).suffix.lower()))
    return tuple(files)


def case_build_data(case: Case) -> CaseData:
    documents = list(Document.objects.filter(case=case, voided=False, purged_at__isnull=True)
                     .with_secrecy().select_related("retention_class").order_by("sequence"))
    return CaseData(
        number=case.number, title=case.title,
        public_title=case.public_title or case.title, opened=case.opened_at, closed=case.closed_at,
        unit=case.unit.name if case.unit_id else (case.series.body or case.series.name),
        responsible=case.responsible.get_full_name() or case.responsible.get_username() if case.responsible else None,
        classification=case.classification_code or None, status=case.status,
        disposal=_disposal(case), documents=[_document_data(d) for d in documents],
    )


def case_export_blocked_by_secrecy(*, case: Case, actor) -> bool:
    """True when the package would carry secret content the actor may not see.

    The package delivers secret content to the archive authority (secrecy follows the record,
    OSL 11 kap. 4 §), so only someone allowed to see secret content may build it. `actor=None` is the
    operator at the command line, who has the database anyway.
    """
    if actor is None or actor.has_perm("records.view_secret"):
        return False
    from records.models import SecrecyMarking

    return SecrecyMarking.objects.active().filter(document__case=case).exists()


def case_export(*, case: Case, out_dir, actor, schemas=None) -> Path:
    """Write and validate the case's package under `out_dir`; return the package folder.

    Refused with NotPermitted when the case holds secret content the actor may not see.

    Guarantees: the package validates (METS + CSIP Schematron, ERMS XSD + Schematron, checksums)
    or a DomainError is raised and the case is not marked; a closed case whose class says keep
    is marked delivered (status delivered, delivered_at) in the same transaction as the audit row.
    """
    case = Case.objects.select_related("series", "unit", "responsible", "retention_class").get(pk=case.pk)
    if case_export_blocked_by_secrecy(case=case, actor=actor):
        raise NotPermitted("Ärendet har sekretessmarkerade handlingar. Paketet innehåller dem och kan bara "
                           "skapas av någon med behörighet att se sekretess (registrator).")
    if case.purged_at:
        raise DomainError("Ärendet är gallrat och kan inte levereras.")
    data = case_build_data(case)
    if not data.documents:
        raise DomainError(f"Ärendet {case.number} har inga handlingar att leverera.")
    org = settings.UPPSIKT_ORGANISATION_NAME
    info = PackageInfo(
        organisation_name=org, organisation_id=settings.UPPSIKT_ORGANISATION_ID, system_name="Uppsikt",
        system_version=getattr(settings, "UPPSIKT_VERSION", "1.0"), created_at=timezone.now(),
        package_id=str(uuid.uuid4()),
    )
    schemas = schemas or getattr(settings, "UPPSIKT_SCHEMAS_DIR", None)
    package = write_package(data, info, Path(out_dir), pdf_renderer(org), schemas=schemas)
    problems = validate_package(package, schemas)
    if problems:
        raise DomainError("Paketet klarade inte valideringen: " + "; ".join(problems[:5]))
    with transaction.atomic():
        delivered = False
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if (locked.status == CaseStatus.CLOSED and locked.retention_class
                and locked.retention_class.action == RetentionAction.KEEP):
            transition(locked, CaseStatus.DELIVERED)
            locked.delivered_at = timezone.now()
            locked._change_reason = "Levererat till e-arkivet"
            locked.save()
            delivered = True
        audit_record(actor=actor, action=AuditAction.EXPORT, target=locked, detail={
            "event": "archive_export", "package": package.name, "documents": len(data.documents),
            "delivered": delivered,
        })
    return package


def cases_ready_for_delivery():
    """Closed cases whose class says keep, not yet delivered."""
    return (Case.objects.filter(status=CaseStatus.CLOSED, purged_at__isnull=True,
                                retention_class__action=RetentionAction.KEEP)
            .select_related("series", "retention_class").order_by("closed_at", "number"))
