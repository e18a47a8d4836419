"""What a purge list's rows show of their objects, so the approving archivist does not approve blind:
a text excerpt (secret parts masked with the secrecy helpers), the object's dates and a link.

Each kind of object answers through its `registry.RetentionTarget.describe`; records' own kinds are
here. A page of rows costs a constant number of queries per kind of object on it.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from records.registry import TargetSummary

EXCERPT_LENGTH = 160
MASKED = "[sekretess]"


def excerpt(text: str | None, length: int = EXCERPT_LENGTH) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def int_ids(ids) -> list[int]:
    """The decimal ids among `ids` (a purge line's target_id is text), as integers."""
    return [int(i) for i in ids if str(i).isdecimal()]


def describe_documents(ids: list[str], user, request=None) -> dict[str, TargetSummary]:
    from records.models import Document
    from records.secrecy.services import documents_for_list

    docs = Document.objects.filter(pk__in=int_ids(ids))
    result = {}
    for data in documents_for_list(docs, user, audit_request=request, surface="purge_list"):
        masked = bool(data["masked"])
        text = data["display_description"]
        result[str(data["id"])] = TargetSummary(
            excerpt=excerpt(text), masked=masked,
            dates=((_("Daterad"), data["date"]), (_("Registrerad"), data["registered_at"])),
            url=reverse("records_document_detail", args=[data["id"]]),
        )
    return result


def describe_cases(ids: list[str], user, request=None) -> dict[str, TargetSummary]:
    from records.models import Case, SecrecyMarking
    from records.secrecy.services import may_view_secret

    cases = Case.objects.filter(pk__in=int_ids(ids))
    allowed = may_view_secret(user)
    if not allowed:
        # The internal title may repeat a secret description (as on the case page): public title only.
        cases = cases.annotate(_secret_description=Exists(SecrecyMarking.objects.active().filter(
            document__case=OuterRef("pk"), part="description")))
    result = {}
    for case in cases:
        hide_title = not allowed and getattr(case, "_secret_description", False)
        masked = bool(hide_title and not case.public_title)
        title = (case.public_title or MASKED) if hide_title else case.title
        result[str(case.pk)] = TargetSummary(
            excerpt=excerpt(title), masked=masked,
            dates=((_("Öppnat"), case.opened_at), (_("Avslutat"), case.closed_at)),
            url=reverse("records_case_detail", args=[case.pk]),
        )
    return result


def describe_disclosure_requests(ids: list[str], user, request=None) -> dict[str, TargetSummary]:
    from records.models import DisclosureRequest

    rows = DisclosureRequest.objects.filter(pk__in=int_ids(ids)).only("pk", "reference", "request_text",
                                                                      "received_at", "closed_at")
    return {str(r.pk): TargetSummary(
        excerpt=excerpt(f"{r.reference}: {r.request_text}"),
        dates=((_("Inkom"), r.received_at), (_("Avslutad"), r.closed_at)),
        url=reverse("disclosure_detail", args=[r.pk]),
    ) for r in rows}


def describe_subject_requests(ids: list[str], user, request=None) -> dict[str, TargetSummary]:
    """No names: the reference and the kind of request only."""
    from records.models import SubjectRequest

    rows = SubjectRequest.objects.filter(pk__in=int_ids(ids)).only("pk", "reference", "kind", "received_at",
                                                                   "answered_at")
    return {str(r.pk): TargetSummary(
        excerpt=f"{r.reference}: {r.get_kind_display()}",
        dates=((_("Inkom"), r.received_at), (_("Besvarad"), r.answered_at)),
        url=reverse("subject_request_detail", args=[r.pk]),
    ) for r in rows}


def describe_lines(lines, user, request=None) -> dict[tuple[str, str], TargetSummary]:
    """{(type, id): summary} for a page of purge lines, grouped by kind (one call per kind)."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        by_type[line.target_type].append(str(line.target_id))
    from records.retention.services.plan import all_targets

    targets = {t.type: t for t in all_targets()}
    result: dict[tuple[str, str], TargetSummary] = {}
    for target_type, ids in by_type.items():
        target = targets.get(target_type)
        if target is None or target.describe is None:
            continue
        for key, summary in target.describe(ids, user, request).items():
            result[(target_type, str(key))] = summary
    return result
