from django.utils.translation import gettext_lazy as _

from config.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Arkiv och gallring"), "retention_overview", "records.view_purgelist", order=400),
    NavItem(_("Registrerades rättigheter"), "subject_request_list", "records.view_subjectrequest", order=410),
]
