from django.utils.translation import gettext_lazy as _

from config.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Konfiguration"), "config_detectors", "moderation.change_detector", order=700),
]
