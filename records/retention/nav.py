from django.utils.translation import gettext_lazy as _

from config.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Arkiv och gallring"), "retention_overview", "records.view_purgelist", order=400),
]
