"""Public reports to triage, staff entry of reports that came by e-mail or private message, and
the police report register."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import AuditAction
from accounts.permissions import deny, staff_required
from accounts.services import audit_record
from moderation.models import Item, PublicReport, ReportStatus
from moderation.reports.forms import StaffReportForm, TriageForm
from moderation.reports.personal_data import can_see_contact
from moderation.reports.services import public_report_from_message, public_report_submit, public_report_triage
from moderation.viewhelpers import call


@staff_required("moderation.view_publicreport")
def report_list(request):
    user = request.user
    show = request.GET.get("status") or "open"
    reports = PublicReport.objects.visible_to(user).select_related("rule", "item", "channel", "created_by", "email",
                                                                   "source_item")
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
        "can_see_contact": can_see_contact(user), "report_address": settings.UPPSIKT_REPORT_ADDRESS,
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


@require_safe
@staff_required("moderation.view_publicreport", "moderation.view_reporter_contact")
def report_source_download(request, pk: int):
    """The e-mail a report came in, as received (.eml): personal data, so only for roles that may see the
    reporter's address; every download is audited."""
    report = get_object_or_404(PublicReport.objects.visible_to(request.user).select_related("email"), pk=pk)
    record = getattr(report, "email", None)
    if record is None or not record.eml:
        raise Http404(_("Anmälan har inget sparat e-postmeddelande."))
    audit_record(actor=request.user, action=AuditAction.EXPORT, target=report, request=request,
                 detail={"event": "report_email_downloaded", "sha256": record.sha256})
    response = FileResponse(record.eml.open("rb"), content_type="message/rfc822", as_attachment=True,
                            filename=f"anmalan-{report.pk}.eml")
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@staff_required("moderation.add_publicreport")
def report_from_message(request, item_pk: int):
    """A moderator turns a private message into a report (a button on the message's page)."""
    item = get_object_or_404(Item.objects.visible_to(request.user), pk=item_pk)
    ok, report = call(request, public_report_from_message, item=item, actor=request.user)
    if ok:
        if report.item_id:
            messages.success(request, _("Meddelandet är registrerat som anmälan %(report)s av inlägg %(item)s.")
                             % {"report": report.pk, "item": report.item_id})
        else:
            messages.success(request, _("Meddelandet är registrerat som anmälan %(report)s; inget inlägg hittades "
                                        "i det, koppla det under Anmälningar.") % {"report": report.pk})
    return redirect("item_detail", pk=item.pk)


# --- police reports ---------------------------------------------------------------------------


