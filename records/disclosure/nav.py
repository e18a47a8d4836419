from django.utils.translation import gettext_lazy as _

from config.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Begäran om handling"), "disclosure_list", "records.view_disclosurerequest", order=340),
]
