"""E-archive delivery of a case: an E-ARK SIP (FGS Paketstruktur 2.0) with CITS ERMS 3.

`case_export(*, case, out_dir, actor)` builds `records.archive.CaseData` from the case and its
documents, writes the package with a PDF/A-2b rendering of each document, validates it, records the
delivery of a closed "keep" case (ArchiveDelivery, awaiting the archive's receipt) and audits the
export. `archive_delivery_confirm` records the archive's receipt, which makes the case delivered.

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
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.errors import DomainError, NotPermitted, TransitionNotAllowed
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
from records.models import ArchiveDelivery, Case, CaseStatus, Document, RetentionAction
from records.pdf import PdfaUnavailable
from records.workflow import assert_action, transition

__all__ = ["archive_delivery_confirm", "case_build_data", "case_export", "cases_ready_for_delivery"]

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

    Guarantees: the package validates (METS + CSIP Schematron, ERMS XSD + Schematron, checksums, every
    content PDF PDF/A-2b) or a DomainError is raised and nothing is recorded; for a closed case whose
    class says keep, the delivery is recorded (ArchiveDelivery, awaiting the archive's receipt) in the
    same transaction as the audit row. The case becomes delivered only with the receipt
    (archive_delivery_confirm).
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
    try:
        package = write_package(data, info, Path(out_dir), pdf_renderer(org), schemas=schemas)
    except PdfaUnavailable as exc:
        raise DomainError(str(exc)) from exc
    problems = validate_package(package, schemas)
    if problems:
        raise DomainError("Paketet klarade inte valideringen: " + "; ".join(problems[:5]))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        delivery = None
        if (locked.status == CaseStatus.CLOSED and locked.retention_class
                and locked.retention_class.action == RetentionAction.KEEP):
            delivery = ArchiveDelivery.objects.create(
                case=locked, package_id=info.package_id, document_count=len(data.documents),
                package_sha256=hashlib.sha256((package / "METS.xml").read_bytes()).hexdigest(),
                exported_at=info.created_at, exported_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        audit_record(actor=actor, action=AuditAction.EXPORT, target=locked, detail={
            "event": "archive_export", "package": package.name, "documents": len(data.documents),
            "delivery": delivery.pk if delivery else None,
        })
        _audit_secret_exported(case=locked, actor=actor)
    return package


def _audit_secret_exported(*, case: Case, actor) -> None:
    """The package holds secret parts: a view of secret content by its builder (DESIGN 3)."""
    if actor is None:
        return
    from records.models import Document
    from records.secrecy.services import prefetch_secrecy, secret_viewed_audit

    for document in prefetch_secrecy(list(Document.objects.filter(case=case))):
        if parts := document.secret_parts():
            secret_viewed_audit(user=actor, target=document, parts=parts, surface="archive_export")


def archive_delivery_confirm(
    *, delivery: ArchiveDelivery, received_on: date, archive_reference: str, actor, note: str = "",
) -> ArchiveDelivery:
    """Record the archive's receipt of a delivered package; the case becomes delivered.

    Guarantees: refused (TransitionNotAllowed, 409) unless the case is closed, kept by the plan and this
    package still awaits a receipt; the receipt names the archive's reference and a date that is neither
    in the future nor before the package was made; the case's status moves through records.workflow
    ("deliver"), its delivered_at is set, all in one transaction with the audit row.
    """
    reference = (archive_reference or "").strip()
    if not reference:
        raise DomainError("Ange arkivets referens för leveransen (t.ex. leveransens diarienummer i e-arkivet).")
    if received_on is None or received_on > timezone.localdate():
        raise DomainError("Ange dagen då arkivet tog emot leveransen (inte ett framtida datum).")
    with transaction.atomic():
        delivery = ArchiveDelivery.objects.select_for_update(of=("self",)).select_related("case").get(pk=delivery.pk)
        if delivery.confirmed:
            raise TransitionNotAllowed("Kvittensen för leveransen är redan registrerad.")
        if received_on < timezone.localdate(delivery.exported_at):
            raise DomainError("Arkivet kan inte ha tagit emot paketet innan det skapades.")
        case = Case.objects.select_for_update(of=("self",)).select_related("retention_class").get(pk=delivery.case_id)
        assert_action(case, "deliver", actor)
        transition(case, CaseStatus.DELIVERED)
        case.delivered_at = timezone.now()
        case._change_reason = f"Levererat till e-arkivet ({reference})"
        case.save(update_fields=["status", "delivered_at"])
        delivery.received_on = received_on
        delivery.archive_reference = reference[:200]
        delivery.receipt_note = (note or "").strip()
        delivery.receipt_recorded_by = actor if getattr(actor, "is_authenticated", False) else None
        delivery.receipt_recorded_at = timezone.now()
        delivery.save()
        audit_record(actor=actor, action=AuditAction.ARCHIVE_DELIVERED, target=case, detail={
            "operation": "archive_delivery_confirm", "package": delivery.package_id,
            "archive_reference": delivery.archive_reference, "received_on": received_on.isoformat(),
        })
    return delivery


def cases_ready_for_delivery():
    """Closed cases whose class says keep, not yet delivered (with or without a package awaiting receipt)."""
    return (Case.objects.filter(status=CaseStatus.CLOSED, purged_at__isnull=True,
                                retention_class__action=RetentionAction.KEEP)
            .select_related("series", "retention_class").order_by("closed_at", "number"))
