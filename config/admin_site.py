from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class UppsiktAdminSite(admin.AdminSite):
    """The Django admin, for administrators (systemförvaltare) only."""

    site_header = _("Uppsikt – administration")
    site_title = _("Uppsikt")
    index_title = _("Konfiguration")

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.has_perm("accounts.use_admin"))

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect(f"{reverse('login')}?next={request.get_full_path()}")
            if not self.has_permission(request):
                from accounts.permissions import deny

                deny(request, "admin")
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def login(self, request, extra_context=None):
        # One login page for the whole application; a signed-in non-administrator gets 403.
        if request.user.is_authenticated:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return redirect(f"{reverse('login')}?next={request.get_full_path()}")


class UppsiktAdminConfig(AdminConfig):
    default_site = "config.admin_site.UppsiktAdminSite"
