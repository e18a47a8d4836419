"""The user's notifications: the list (with unread count in the header, refreshed by htmx), opening one
(marks it read and follows its link), marking read, and the e-mail settings per kind."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.notifications.forms import PreferencesForm
from accounts.notifications.hours import in_office_hours, office_hours
from accounts.notifications.models import Notification, OnCallMembership
from accounts.notifications.services import (
    notification_mark_read,
    notification_preferences_set,
    notifications_mark_all_read,
    preferences_for,
    unread_count,
)
from accounts.permissions import staff_required


@staff_required()
def notification_list(request):
    show = "unread" if request.GET.get("visa") == "olasta" else "all"
    qs = Notification.objects.for_user(request.user)
    if show == "unread":
        qs = qs.unread()
    page = Paginator(qs.order_by("-created_at", "-id"), 25).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications/list.html", {
        "page": page, "show": show, "unread": unread_count(request.user),
        "query": "visa=olasta" if show == "unread" else "",
    })


def notification_badge(request):
    """The header's unread count (htmx polls it; without JavaScript the page shows it as rendered).
    Signed out: 286, which stops htmx polling, instead of a login page swapped into the header."""
    if not request.user.is_authenticated or not request.user.is_staff_member:
        return HttpResponse(status=286)
    return render(request, "accounts/notifications/_badge.html", {"notifications_unread": unread_count(request.user)})


@staff_required()
def notification_open(request, pk: int):
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    notification_mark_read(notification=notification, user=request.user)
    return redirect(notification.link or "notification_list")


@require_POST
@staff_required()
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    notification_mark_read(notification=notification, user=request.user)
    if getattr(request, "htmx", False):
        return render(request, "accounts/notifications/_row.html", {"n": notification, "htmx_swap": True})
    return redirect(request.POST.get("next") if _local(request.POST.get("next")) else "notification_list")


@require_POST
@staff_required()
def notification_read_all(request):
    n = notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(n)s aviseringar markerade som lästa.") % {"n": n})
    return redirect("notification_list")


@staff_required()
def notification_settings(request):
    user = request.user
    modes = preferences_for(user)
    form = PreferencesForm(request.POST or None, modes=modes)
    if request.method == "POST" and form.is_valid():
        notification_preferences_set(user=user, modes=form.cleaned_data)
        messages.success(request, _("Dina val för aviseringar är sparade."))
        return redirect("notification_settings")
    first, last = office_hours()
    return render(request, "accounts/notifications/settings.html", {
        "form": form, "on_call": OnCallMembership.objects.filter(user=user).exists(),
        "office_start": first, "office_end": last, "in_office_hours": in_office_hours(),
    }, status=400 if request.method == "POST" else 200)


def _local(url: str | None) -> bool:
    return bool(url) and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
