"""The police report register: list, create from an item, follow up."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import deny, staff_required
from moderation.models import Item, PoliceReport
from moderation.queue.forms import PoliceReportCreateForm, PoliceReportUpdateForm
from moderation.queue.services.sanctions import police_report_create, police_report_update
from moderation.viewhelpers import call


def _police_queryset(user):
    reports = PoliceReport.objects.select_related("author", "created_by").prefetch_related("items")
    from moderation.models import sees_all_channels

    if sees_all_channels(user):
        return reports
    visible = Item.objects.visible_to(user).values("pk")
    return reports.filter(items__in=visible).distinct()


@staff_required("moderation.view_policereport")
def police_list(request):
    reports = _police_queryset(request.user).order_by("-created_at", "-id")
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    return render(request, "moderation/police_list.html", {
        "page": page, "can_add": request.user.has_perm("moderation.add_policereport")})


@staff_required("moderation.add_policereport")
def police_create(request):
    source = request.POST.get("item") or request.GET.get("item")
    item = get_object_or_404(Item.objects.visible_to(request.user).select_related("author", "channel"),
                             pk=source) if source and str(source).isdecimal() else None
    if item is None:
        messages.error(request, _("Öppna inlägget som ska polisanmälas och välj ”Upprätta polisanmälan”."))
        return redirect("police_list")
    form = PoliceReportCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, report = call(request, police_report_create, items=[item], author=item.author, actor=request.user,
                          note=form.cleaned_data["note"])
        if ok:
            messages.success(request, _("Polisanmälan är upprättad som utkast."))
            return redirect("police_detail", pk=report.pk)
    return render(request, "moderation/police_create.html", {"form": form, "item": item})


@staff_required("moderation.view_policereport")
def police_detail(request, pk: int):
    report = get_object_or_404(_police_queryset(request.user), pk=pk)
    can_change = request.user.has_perm("moderation.change_policereport")
    form = PoliceReportUpdateForm(instance=report)
    if request.method == "POST":
        if not can_change:
            deny(request, "moderation.change_policereport")
        form = PoliceReportUpdateForm(request.POST, instance=PoliceReport.objects.get(pk=report.pk))
        if form.is_valid():
            ok, _r = call(request, police_report_update, report=report, status=form.cleaned_data["status"],
                          police_reference=form.cleaned_data["police_reference"], actor=request.user)
            if ok:
                messages.success(request, _("Polisanmälan är uppdaterad."))
                return redirect("police_detail", pk=report.pk)
    return render(request, "moderation/police_detail.html", {
        "report": report, "form": form, "can_change": can_change, **_registration(report)})


def _registration(report: PoliceReport) -> dict:
    """Where the report stands in the diarium: its document, or a proposal awaiting the registrar."""
    from moderation.registry_hooks import POLICE_SOURCE_TYPE
    from records.models import Document, RegistrationProposal

    document = Document.objects.from_source(POLICE_SOURCE_TYPE, report.pk).filter(voided=False).first()
    proposed = document is None and RegistrationProposal.objects.pending().filter(
        source_type=POLICE_SOURCE_TYPE, source_id=str(report.pk)).exists()
    return {"registration": document, "proposed": proposed}

