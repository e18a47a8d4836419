from django.utils.translation import gettext_lazy as _

from config.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Registrerades rättigheter"), "subject_request_list", "records.view_subjectrequest", order=410),
]
