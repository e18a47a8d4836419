from django.utils.translation import gettext_lazy as _

from config.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Anmälningar"), "report_list", "moderation.change_publicreport", order=20),
]
