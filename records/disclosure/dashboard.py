"""Dashboard panel: requests for public documents waiting, in review and overdue."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from records.models import DisclosureRequest, DisclosureStatus


def panels(request) -> list[dict]:
    user = request.user
    if not user.has_perm("records.view_disclosurerequest"):
        return []
    from records.disclosure.services import disclosure_overdue

    qs = DisclosureRequest.objects.visible_to(user)
    counts = qs.aggregate(new=Count("pk", filter=Q(status=DisclosureStatus.RECEIVED)),
                          in_review=Count("pk", filter=Q(status=DisclosureStatus.IN_REVIEW)),
                          decided=Count("pk", filter=Q(status=DisclosureStatus.DECIDED)),
                          decision_requested=Count("pk", filter=Q(status=DisclosureStatus.DECISION_REQUESTED)))
    overdue = list(disclosure_overdue(qs).order_by("deadline_at")[:5])
    counts["overdue"] = disclosure_overdue(qs).count()
    return [{
        "title": _("Begäranden om allmän handling"),
        "template": "records/disclosure/panel.html",
        "context": {"counts": counts, "overdue": overdue},
        "order": 240,
    }]
