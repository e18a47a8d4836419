from django.utils.translation import gettext as _

from accounts.models import AuditEvent, Role


def panels(request) -> list[dict]:
    user = request.user
    result = [{
        "title": _("Du"),
        "template": "accounts/panel_me.html",
        "context": {
            "roles": [Role(r).label for r in sorted(user.role_names) if r in Role.values],
            "units": list(user.units.order_by("name")),
        },
        "order": 900,
    }]
    if user.has_perm("accounts.view_auditevent"):
        result.append({
            "title": _("Senaste händelser i granskningsloggen"),
            "template": "accounts/panel_audit.html",
            "context": {"events": list(AuditEvent.objects.order_by("-at", "-id")[:8])},
            "order": 800,
        })
    return result
