"""Records' own kinds of object the plan covers: documents, cases, disclosure and subject requests.

Purging a document keeps its register line (OSL 5 kap. 2 §; the diarium itself is kept, bevaras):
number, date, direction, the public description and the retention class stay on the row, the purge
list's reference is on its Tombstone; sender, internal description, content and history go. A case
keeps its number and public title. Stored letters are deleted after the commit.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from records import registry
from records.models import (
    Case,
    DisclosureDecisionLetter,
    DisclosureItem,
    DisclosureRequest,
    Document,
    SecrecyMarking,
    SubjectRequest,
    SubjectRequestHit,
)
from records.retention import rows
from records.retention.services.files import delete_after_commit
from records.retention.services.holds import case_held_q, direct_held_q, document_held_q
from records.retention.services.sql import history_delete

__all__ = ["PURGED_MARK", "builtin_targets"]

PURGED_MARK = "[gallrad]"

DOCUMENT_FINGERPRINT = ("sender", "description", "content_sha256", "voided", "retention_class_id", "retention_due")
CASE_FINGERPRINT = ("title", "status", "closed_at", "retention_class_id", "retention_due")
DISCLOSURE_FINGERPRINT = ("status", "appeal_status", "retention_class_id", "retention_due")
SUBJECT_FINGERPRINT = ("status", "retention_class_id", "retention_due")


def _scrub_documents(ids: list[str], context: registry.ScrubContext) -> int:
    """Keep the register line, remove content and personal data. The public description is what the
    postlista already showed: the public one, or the description itself when it is not secret."""
    now = context.at or timezone.now()
    from records.diarium.services.files import document_files_purge

    document_files_purge(ids)  # the pictures and evidence sheets kept with the documents
    secret_description = SecrecyMarking.objects.active().filter(document=OuterRef("pk"), part="description")
    Document.objects.filter(pk__in=ids, public_description="").exclude(Exists(secret_description)).update(
        public_description=F("description"))
    n = Document.objects.filter(pk__in=ids).update(
        sender="", description=F("public_description"), content="", content_meta={}, content_sha256="",
        void_reason="", purged_at=now,
    )
    history_delete(Document, ids)
    return n


def _scrub_cases(ids: list[str], context: registry.ScrubContext) -> int:
    """The case keeps its number and public title (the register); the internal title goes."""
    now = context.at or timezone.now()
    n = Case.objects.filter(pk__in=ids).exclude(public_title="").update(title=F("public_title"), purged_at=now)
    n += Case.objects.filter(pk__in=ids, public_title="").update(title=PURGED_MARK, purged_at=now)
    history_delete(Case, ids)
    return n


def _letters_gone(letters) -> None:
    delete_after_commit([letter.pdf for letter in letters])
    letters.delete()


def _scrub_disclosure(ids: list[str], context: registry.ScrubContext) -> int:
    now = context.at or timezone.now()
    n = DisclosureRequest.objects.filter(pk__in=ids).update(
        requester_name="", requester_contact="", request_text=PURGED_MARK, purged_at=now,
    )
    item_ids = list(DisclosureItem.objects.filter(request_id__in=ids).values_list("pk", flat=True))
    DisclosureItem.objects.filter(pk__in=item_ids).update(description="", note="", reasoning="")
    history_delete(DisclosureItem, item_ids)
    _letters_gone(DisclosureDecisionLetter.objects.filter(request_id__in=ids))
    history_delete(DisclosureRequest, ids)
    return n


def _scrub_subject(ids: list[str], context: registry.ScrubContext) -> int:
    now = context.at or timezone.now()
    n = SubjectRequest.objects.filter(pk__in=ids).update(
        requester_name="", requester_contact="", identifiers={}, note="", extension_reason="", purged_at=now,
    )
    SubjectRequestHit.objects.filter(request_id__in=ids).delete()
    _letters_gone(DisclosureDecisionLetter.objects.filter(subject_request_id__in=ids))
    history_delete(SubjectRequest, ids)
    return n


def _document_numbers(ids: list[str]) -> dict[str, str]:
    return {str(pk): number for pk, number in Document.objects.filter(pk__in=ids).values_list("pk", "number")}


def builtin_targets() -> list[registry.RetentionTarget]:
    """The records app's own kinds of object the plan covers."""
    return [
        registry.RetentionTarget(
            type="records.document", label="Handling",
            queryset=lambda: Document.objects.filter(purged_at__isnull=True),
            scrub=_scrub_documents, due_field="retention_due", class_field="retention_class",
            held_q=document_held_q, fingerprint_fields=DOCUMENT_FINGERPRINT, registered=_document_numbers,
            describe=rows.describe_documents,
        ),
        registry.RetentionTarget(
            type="records.case", label="Ärende",
            queryset=lambda: Case.objects.filter(purged_at__isnull=True),
            scrub=_scrub_cases, due_field="retention_due", class_field="retention_class",
            held_q=case_held_q, fingerprint_fields=CASE_FINGERPRINT, describe=rows.describe_cases,
        ),
        registry.RetentionTarget(
            type="records.disclosurerequest", label="Begäran om allmän handling",
            queryset=lambda: DisclosureRequest.objects.filter(purged_at__isnull=True),
            scrub=_scrub_disclosure, due_field="retention_due", class_field="retention_class",
            held_q=direct_held_q("records.disclosurerequest"), fingerprint_fields=DISCLOSURE_FINGERPRINT,
            describe=rows.describe_disclosure_requests,
        ),
        registry.RetentionTarget(
            type="records.subjectrequest", label="Begäran enligt dataskyddsförordningen",
            queryset=lambda: SubjectRequest.objects.filter(purged_at__isnull=True),
            scrub=_scrub_subject, due_field="retention_due", class_field="retention_class",
            held_q=direct_held_q("records.subjectrequest"), fingerprint_fields=SUBJECT_FINGERPRINT,
            describe=rows.describe_subject_requests,
        ),
    ]


def document_is_secret_q() -> Q:
    """Documents with a secrecy marking in force (the list is then marked as containing secrets)."""
    return Q(Exists(SecrecyMarking.objects.active().filter(document=OuterRef("pk"))))
