from django.utils.translation import gettext_lazy as _

from config.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Översikt"), "dashboard", order=0),
    NavItem(_("Enheter"), "unit_list", "accounts.view_unit", order=800),
    NavItem(_("Granskningslogg"), "audit_list", "accounts.view_auditevent", order=900),
    NavItem(_("Administration"), "admin:index", "accounts.use_admin", order=1000),
]
