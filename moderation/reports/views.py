"""Public reports to triage, staff entry of reports that came by e-mail or private message, and
the police report register."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import deny, staff_required
from moderation.models import Item, PublicReport, ReportStatus
from moderation.reports.forms import StaffReportForm, TriageForm
from moderation.reports.services import public_report_submit, public_report_triage
from moderation.viewhelpers import call


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
            ok, report = call(request, public_report_submit, text=data["text"], url=data["url"], rule=data["rule"],
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
    ok, _result = call(request, public_report_triage, report=report, actor=request.user, item=item, status=status)
    if ok:
        messages.success(request, _("Anmälan är kopplad till inlägget.") if item else _("Anmälan är avfärdad."))
    return redirect("report_list")


# --- police reports ---------------------------------------------------------------------------


