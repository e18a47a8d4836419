from django.utils.translation import gettext_lazy as _

from config.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Granskningskö"), "queue", "moderation.moderate_item", order=10),
    NavItem(_("Polisanmälningar"), "police_list", "moderation.view_policereport", order=30),
]
