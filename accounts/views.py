from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from accounts.models import AuditAction, Unit
from accounts.permissions import staff_required
from accounts.services import audit_record
from config.dashboard import panels_for


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action=AuditAction.PASSWORD_CHANGED, target=self.request.user,
                     request=self.request)
        messages.success(self.request, _("Ditt lösenord är ändrat."))
        return response


@login_required
def dashboard(request):
    if not request.user.is_staff_member:
        audit_record(actor=request.user, action=AuditAction.PERMISSION_DENIED, request=request,
                     target=("page", "dashboard", "översikt"))
        raise PermissionDenied
    return render(request, "accounts/dashboard.html", {"panels": panels_for(request)})


@staff_required("accounts.view_unit")
def unit_list(request):
    units = Unit.objects.select_related("parent").order_by("name")
    return render(request, "accounts/unit_list.html", {"units": units})


@staff_required("accounts.view_unit")
def unit_detail(request, pk: int):
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    members = unit.members.order_by("username").prefetch_related("groups")
    return render(request, "accounts/unit_detail.html", {"unit": unit, "members": members})
