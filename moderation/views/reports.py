"""Public reports to triage, staff entry of reports that came by e-mail or private message, and
the police report register."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import deny, staff_required
from moderation.forms import PoliceReportCreateForm, PoliceReportUpdateForm, StaffReportForm, TriageForm
from moderation.models import Item, PoliceReport, PublicReport, ReportStatus
from moderation.views._common import call


@staff_required("moderation.view_publicreport")
def report_list(request):
    user = request.user
    show = request.GET.get("status") or "open"
    reports = PublicReport.objects.visible_to(user).select_related("rule", "item", "channel", "created_by")
    if show == "open":
        reports = reports.filter(status=ReportStatus.NEW, item__isnull=True)
    elif show in ReportStatus.values:
        reports = reports.filter(status=show)
    page = Paginator(reports.order_by("-created_at", "-id"), 25).get_page(request.GET.get("page"))
    can_add = user.has_perm("moderation.add_publicreport")
    form = StaffReportForm()
    if request.method == "POST":
        if not can_add:
            deny(request, "moderation.add_publicreport")
        form = StaffReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            ok, report = call(request, "public_report_submit", text=data["text"], url=data["url"], rule=data["rule"],
                              contact=data["contact"], message=data["message"], via=data["via"], actor=user)
            if ok:
                if report is not None and report.item_id:
                    messages.success(request, _("Anmälan är registrerad och kopplad till inlägg %(pk)s.") %
                                     {"pk": report.item_id})
                else:
                    messages.success(request, _("Anmälan är registrerad och väntar på hantering."))
                return redirect("report_list")
    return render(request, "moderation/report_list.html", {
        "page": page, "show": show, "statuses": ReportStatus.choices, "form": form, "can_add": can_add,
        "can_triage": user.has_perm("moderation.change_publicreport"),
        "query": f"status={show}", "triage_form": TriageForm(),
    })


@require_POST
@staff_required("moderation.change_publicreport")
def report_triage(request, pk: int):
    report = get_object_or_404(PublicReport.objects.visible_to(request.user), pk=pk)
    form = TriageForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("report_list")
    data = form.cleaned_data
    item = None
    if data["decision"] == "match":
        item = Item.objects.visible_to(request.user).filter(pk=data["item"]).first()
        if item is None:
            messages.error(request, _("Inlägg %(pk)s finns inte bland dina kanaler.") % {"pk": data["item"]})
            return redirect("report_list")
    status = ReportStatus.MATCHED if item else ReportStatus.DISMISSED
    ok, _result = call(request, "public_report_triage", report=report, actor=request.user, item=item, status=status)
    if ok:
        messages.success(request, _("Anmälan är kopplad till inlägget.") if item else _("Anmälan är avfärdad."))
    return redirect("report_list")


# --- police reports ---------------------------------------------------------------------------


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
                             pk=source) if source and str(source).isdigit() else None
    if item is None:
        messages.error(request, _("Öppna inlägget som ska polisanmälas och välj ”Upprätta polisanmälan”."))
        return redirect("police_list")
    form = PoliceReportCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, report = call(request, "police_report_create", items=[item], author=item.author, actor=request.user,
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
            ok, _r = call(request, "police_report_update", report=report, status=form.cleaned_data["status"],
                          police_reference=form.cleaned_data["police_reference"], actor=request.user)
            if ok:
                messages.success(request, _("Polisanmälan är uppdaterad."))
                return redirect("police_detail", pk=report.pk)
    return render(request, "moderation/police_detail.html", {"report": report, "form": form, "can_change": can_change})
