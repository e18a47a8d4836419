from django.utils.translation import gettext_lazy as _

from config.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Statistik"), "statistics", "moderation.view_statistics", order=850),
]
