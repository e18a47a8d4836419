from tests.matrix import ALL_ROLES, Case


def setup(users):
    from accounts.models import Unit

    return {"unit": Unit.objects.first()}


CASES = [
    Case("dashboard", "/", ALL_ROLES),
    Case("audit log", "/granskningslogg/", ("administrator", "auditor")),
    Case("units", "/enheter/", ALL_ROLES),
    Case("unit detail", lambda c: f"/enheter/{c['unit'].pk}/", ALL_ROLES),
    Case("unit history", lambda c: f"/historik/accounts/unit/{c['unit'].pk}/", ALL_ROLES),
    Case("user history", lambda c: f"/historik/accounts/user/{c['unit'].members.first().pk}/",
         ("administrator", "auditor")),
    Case("password change", "/konto/losenord/", ALL_ROLES + ("norole",)),
    Case("admin", "/admin/", ("administrator",)),
    Case("admin users", "/admin/accounts/user/", ("administrator",)),
    Case("admin audit", "/admin/accounts/auditevent/", ("administrator",)),
    Case("api units", "/api/v1/units/", ALL_ROLES, anonymous=403),
    Case("api audit events", "/api/v1/audit-events/", ("administrator", "auditor"), anonymous=403),
    # The schema and its documentation are for staff only (issue 12, item 7).
    Case("api schema", "/api/schema/", ALL_ROLES, anonymous=403),
    Case("api docs", "/api/docs/", ALL_ROLES),
    Case("api docs script", "/api/docs/?script=", ALL_ROLES),
    Case("api redoc", "/api/redoc/", ALL_ROLES),
    # Two-factor enrolment: every signed-in user with a password (norole too: it is their own account).
    Case("two-factor", "/konto/tvastegsverifiering/", ALL_ROLES + ("norole",)),
]
