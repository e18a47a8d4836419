"""The registrar's diarium: cases (ärenden), documents (handlingar), secrecy markings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.errors import DomainError
from accounts.permissions import deny, staff_required
from records.archive.forms import DeliveryReceiptForm
from records.diarium import services
from records.diarium.forms import (
    CaseOpenForm,
    CaseSearchForm,
    DescriptionForm,
    DocumentRegisterForm,
    DocumentSearchForm,
    ReasonForm,
)
from records.diarium.picker import case_choices
from records.diarium.services.search import document_search
from records.models import Case, CaseStatus, Document, RegistrationReason, SecrecyMarking
from records.secrecy import services as secrecy_services
from records.secrecy.forms import SecrecyMarkForm, SenderExtendForm
from records.viewhelpers import document_action, query_without_page, url_if_exists
from records.workflow import available_names


@staff_required("records.view_case")
def case_list(request):
    form = CaseSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    from records.diarium.services.search import case_search

    qs = case_search(user=request.user, q=data.get("q", ""), status=data.get("status", ""),
                     series=data.get("series"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "records/case_list.html", {
        "form": form, "page": page, "query": query_without_page(request),
        "may_view_secret": secrecy_services.may_view_secret(request.user),
        "can_open": request.user.has_perm("records.add_case"),
    })


@staff_required("records.add_case")
def case_create(request):
    form = CaseOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(
                series=form.cleaned_data["series"], title=form.cleaned_data["title"],
                public_title=form.cleaned_data["public_title"],
                classification_code=form.cleaned_data["classification_code"],
                actor=request.user, responsible=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Ärendet %(n)s är öppnat.") % {"n": case.number})
            return redirect("records_case_detail", pk=case.pk)
    return render(request, "records/case_form.html", {"form": form})


@staff_required("records.view_case")
def case_detail(request, pk: int):
    case = get_object_or_404(Case.objects.visible_to(request.user).select_related(
        "series", "unit", "responsible", "retention_class"), pk=pk)
    documents = secrecy_services.documents_for_list(
        case.documents.visible_to(request.user).order_by("sequence"), request.user, audit_request=request,
        surface="case_page",
    )
    deliveries = list(case.archive_deliveries.select_related("exported_by", "receipt_recorded_by"))
    receipt_due = "deliver" in available_names(case, request.user)
    return render(request, "records/case_detail.html", {
        "case": case,
        "documents": documents,
        "deliveries": deliveries,
        "receipt_for": next((d for d in deliveries if not d.confirmed), None) if receipt_due else None,
        "receipt_form": DeliveryReceiptForm(initial={"received_on": timezone.localdate()}) if receipt_due else None,
        "may_view_secret": secrecy_services.may_view_secret(request.user),
        "can_register": request.user.has_perm("records.register_document"),
        "can_change": request.user.has_perm("records.change_case"),
        # Only for those the export page lets in (no link that answers 403).
        "export_url": url_if_exists("case_export", case.pk) if (
            request.user.has_perm("records.change_case") or request.user.has_perm("records.add_purgelist")) else "",
        "is_open": case.status == CaseStatus.OPEN,
        "is_closed": case.status == CaseStatus.CLOSED,
    })


@require_POST
@staff_required("records.change_case")
def case_close(request, pk: int):
    case = get_object_or_404(Case, pk=pk)
    try:
        services.case_close(case=case, actor=request.user)
        messages.success(request, _("Ärendet är avslutat."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("records_case_detail", pk=pk)


@require_POST
@staff_required("records.change_case")
def case_reopen(request, pk: int):
    case = get_object_or_404(Case, pk=pk)
    try:
        services.case_reopen(case=case, actor=request.user)
        messages.success(request, _("Ärendet är öppnat igen."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("records_case_detail", pk=pk)


@staff_required("records.register_document")
def document_create(request, pk: int):
    case = get_object_or_404(Case.objects.select_related("series"), pk=pk)
    return _document_create(request, case=case)


@staff_required("records.register_document")
def document_create_any(request):
    """Register a document, choosing the case with the picker (preselected with ?case=<id>)."""
    return _document_create(request, case=None)


def _document_create(request, *, case):
    initial = {"date": timezone.localdate(), "direction": "incoming", "reason": "adds_to_case",
               "sender_kind": "unknown", "case": request.GET.get("case", "")}
    form = DocumentRegisterForm(request.POST or None, initial=initial, pick_case=case is None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_register(
                case=case or data["case"], direction=data["direction"], date=data["date"], sender=data["sender"],
                sender_kind=data["sender_kind"], description=data["description"],
                public_description=data["public_description"], reason=data["reason"], actor=request.user,
                content=data["content"], secret_parts=form.secret_parts(),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Handlingen %(n)s är diarieförd.") % {"n": document.number})
            return redirect("records_document_detail", pk=document.pk)
    return render(request, "records/document_form.html", {"form": form, "case": case})


@staff_required("records.view_document")
def document_list(request):
    form = DocumentSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = document_search(user=request.user, q=data.get("q", ""), number=data.get("number", ""),
                         date_from=data.get("date_from"), date_to=data.get("date_to"),
                         direction=data.get("direction", ""))
    page = Paginator(qs.select_related("case", "registered_by"), 50).get_page(request.GET.get("page"))
    rows = secrecy_services.documents_for_list(list(page.object_list), request.user, audit_request=request,
                                       surface="document_list")
    return render(request, "records/document_list.html", {
        "form": form, "page": page, "rows": rows, "query": query_without_page(request),
    })


@staff_required("records.view_document")
def document_detail(request, pk: int):
    document = get_object_or_404(
        Document.objects.visible_to(request.user).select_related("case", "case__series", "registered_by",
                                                                  "voided_by").with_secrecy(),
        pk=pk,
    )
    view = secrecy_services.document_view(document, request.user, audit_request=request, surface="document_page")
    markings = (
        SecrecyMarking.objects.filter(document=document).select_related("legal_ground", "marked_by", "lifted_by")
        .order_by("-marked_at")
    )
    source_url = None
    if document.source_type:
        from records import registry

        try:
            source_url = registry.source(document.source_type).url(document.source_id)
        except Exception:  # noqa: BLE001 - a missing or purged source must not break the page
            source_url = None
    can_register = request.user.has_perm("records.register_document")
    can_mark = can_register and request.user.has_perm("records.add_secrecymarking")
    # A secret sender elsewhere (other documents, items by the same account): offered for extension.
    relatives = (secrecy_services.sender_relatives(document=document)
                 if can_mark and view["masked"] is False and "sender" in view["secret_parts"] else None)
    files = list(document.files.all()) if view["content"] is not None and not document.purged_at else []
    return render(request, "records/document_detail.html", {
        "files": files,
        "sender_relatives": relatives,
        "extend_form": SenderExtendForm(relatives=relatives) if relatives else None,
        "document": document,
        "d": view,
        "markings": markings,
        "source_url": source_url,
        "can_register": can_register,
        "can_mark": can_mark,
        "mark_form": SecrecyMarkForm(),
        "void_form": ReasonForm(),
        "description_form": DescriptionForm(initial={
            "description": view["description"] or "", "public_description": view["public_description"] or "",
        }) if view["description"] is not None else None,
        "today": timezone.localdate(),
    })




@require_POST
@staff_required("records.register_document")
def document_void(request, pk: int):
    document = get_object_or_404(Document, pk=pk)
    return document_action(
        request, ReasonForm(request.POST),
        lambda data: services.document_void(document=document, actor=request.user, reason=data["reason"]),
        success=_("Handlingen är makulerad. Numret förblir upptaget."),
        invalid=_("Ange skäl för makuleringen."), document_id=pk)


@require_POST
@staff_required("records.register_document")
def document_describe(request, pk: int):
    document = get_object_or_404(Document, pk=pk)
    if not secrecy_services.may_view_secret(request.user):
        deny(request, "beskrivning")
    return document_action(
        request, DescriptionForm(request.POST),
        lambda data: services.document_update_description(document=document, actor=request.user, **data),
        success=_("Beskrivningen är ändrad."), invalid=_("Ange en beskrivning."), document_id=pk)




@require_safe
@staff_required("records.view_case")
def case_picker(request):
    """The case picker's choices for a search (an htmx fragment: radio buttons, records/diarium/picker.py)."""
    name = request.GET.get("name") or "case"
    if not name.replace("_", "").isalnum():
        return HttpResponseBadRequest("Ogiltigt fältnamn.")
    reason = request.GET.get("reason") or ""
    if reason and reason not in RegistrationReason.values:
        reason = ""
    q = (request.GET.get(f"{name}_search") or request.GET.get("q") or "")[:100]
    # the radio checked now (sent along) wins over the one checked when the page was drawn
    selected = (request.GET.get(name) or request.GET.get("selected") or "")[:20]
    picker = {"name": name, **case_choices(user=request.user, q=q, reason=reason, selected=selected)}
    return render(request, "records/_case_choices.html", {"picker": picker})
