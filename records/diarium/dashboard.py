from django.db.models import Count
from django.utils.translation import gettext as _

from records.models import Case, CaseStatus, Document, RegistrationProposal


def panels(request) -> list[dict]:
    user = request.user
    if not user.has_perm("records.view_registrationproposal"):
        return []
    pending = dict(RegistrationProposal.objects.pending().values_list("secret").annotate(n=Count("id"))
                   .values_list("secret", "n"))
    return [{
        "title": _("Diarium"),
        "template": "records/panel_diarium.html",
        "context": {
            "pending": sum(pending.values()),
            "pending_secret": pending.get(True, 0),
            "open_cases": Case.objects.filter(status=CaseStatus.OPEN).count() if user.has_perm(
                "records.view_case") else None,
            "recent": list(Document.objects.order_by("-registered_at").values_list("number", "pk")[:5])
            if user.has_perm("records.view_document") else [],
            "can_register": user.has_perm("records.register_document"),
        },
        "order": 200,
    }]
