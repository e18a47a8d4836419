from django.utils.translation import gettext_lazy as _

from config.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Inkorg"), "records_inbox", "records.register_document", order=200),
    NavItem(_("Diarium"), "records_case_list", "records.view_case", order=210),
    NavItem(_("Sök i diariet"), "records_search", "records.view_document", order=220),
    NavItem(_("Export till huvuddiariet"), "records_registrations_export", "records.register_document", order=225),
]
