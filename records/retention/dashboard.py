from django.utils import timezone
from django.utils.translation import gettext as _

from records.models import LegalHold, PurgeList, PurgeListStatus, SubjectRequest


def panels(request) -> list[dict]:
    user = request.user
    if not user.has_perm("records.view_purgelist"):
        return []
    waiting = PurgeList.objects.filter(status=PurgeListStatus.PROPOSED).exclude(proposed_by=user)
    context = {
        "drafts": PurgeList.objects.filter(status=PurgeListStatus.DRAFT).count(),
        "to_approve": waiting.count() if user.has_perm("records.approve_purgelist") else 0,
        "holds": LegalHold.objects.active().count(),
        "requests_open": SubjectRequest.objects.visible_to(user).open().count(),
        "requests_late": SubjectRequest.objects.visible_to(user).open().filter(
            deadline__lt=timezone.localdate()).count(),
    }
    return [{"title": _("Arkiv och gallring"), "template": "records/retention/panel.html", "context": context,
             "order": 400}]
