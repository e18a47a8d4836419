from django.utils.translation import gettext_lazy as _

from config.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Samtycken"), "consent_list", "moderation.view_consent", order=35),
]
