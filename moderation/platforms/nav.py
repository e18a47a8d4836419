from django.utils.translation import gettext_lazy as _

from config.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Misslyckade leveranser"), "dead_letters", order=80,
            any_permissions=("moderation.moderate_item", "moderation.change_channel")),
]
