"""Data-subject requests (GDPR): intake, search results, extract, erasure proposal and approval, letters.

Only the archivist role sees these pages (the identifiers are personal data). Every request,
search, extract and decision is audited by the services."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import DomainError
from accounts.permissions import staff_required
from records.gdpr import erasure
from records.gdpr import services as gdpr
from records.gdpr.forms import ExtendForm, SubjectRequestForm
from records.models import DisclosureDecisionLetter, SubjectRequest
from records.viewhelpers import stored_file_response
from records.workflow import available_names


@staff_required("records.view_subjectrequest")
def request_list(request):
    qs = SubjectRequest.objects.visible_to(request.user).select_related("handled_by")
    if request.GET.get("visa") != "alla":
        qs = qs.open()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "records/gdpr/subject_list.html", {
        "page": page, "can_add": request.user.has_perm("records.add_subjectrequest"),
    })


@staff_required("records.add_subjectrequest")
def request_create(request):
    form = SubjectRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            r = gdpr.subject_request_create(
                kind=form.cleaned_data["kind"], requester_name=form.cleaned_data["requester_name"],
                requester_contact=form.cleaned_data["requester_contact"], identifiers=form.identifiers(),
                actor=request.user, received_at=form.cleaned_data.get("received_at"),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Begäran %(r)s är registrerad.") % {"r": r.reference})
            return redirect("subject_request_detail", pk=r.pk)
    return render(request, "records/gdpr/subject_form.html", {"form": form})


@staff_required("records.view_subjectrequest")
def request_detail(request, pk: int):
    r = get_object_or_404(SubjectRequest.objects.visible_to(request.user).select_related(
        "handled_by", "approved_by", "extended_by"), pk=pk)
    actions = available_names(r, request.user)
    return render(request, "records/gdpr/subject_detail.html", {
        "r": r, "hits": r.hits.all(), "letters": r.letters.all(), "actions": actions,
        "can_select": "propose_erasure" in actions, "extend_form": ExtendForm(),
        "handler_is_me": r.handled_by_id == request.user.pk,
    })


def _run(request, pk: int, service, success: str, **kwargs):
    r = get_object_or_404(SubjectRequest, pk=pk)
    try:
        result = service(request=r, actor=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success)
    return result or True


@require_POST
@staff_required("records.change_subjectrequest")
def request_search(request, pk: int):
    _run(request, pk, gdpr.subject_request_search, _("Sökningen är gjord."))
    return redirect("subject_request_detail", pk=pk)


@staff_required("records.change_subjectrequest")
def request_extract(request, pk: int):
    r = get_object_or_404(SubjectRequest, pk=pk)
    fmt = request.GET.get("format") if request.GET.get("format") in ("json", "zip") else "pdf"
    try:
        data = gdpr.subject_request_extract(request=r, actor=request.user, format=fmt)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("subject_request_detail", pk=r.pk)
    kind = {"json": "application/json", "zip": "application/zip"}.get(fmt, "application/pdf")
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="registerutdrag-{r.reference}.{fmt}"'
    return response


@require_POST
@staff_required("records.change_subjectrequest")
def request_extend(request, pk: int):
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange skälet till att tidsfristen förlängs."))
    else:
        _run(request, pk, gdpr.subject_request_extend,
             _("Tidsfristen är förlängd med två månader. Brevet till den registrerade finns under Brev och beslut."),
             reason=form.cleaned_data["reason"])
    return redirect("subject_request_detail", pk=pk)


@require_POST
@staff_required("records.change_subjectrequest")
def request_propose(request, pk: int):
    ids = [int(i) for i in request.POST.getlist("hits") if i.isdecimal()]
    _run(request, pk, erasure.subject_request_propose_erasure,
         _("Radering föreslagen. En annan arkivarie ska godkänna den."), hits=ids,
         schedule=request.POST.get("schedule") == "1")
    return redirect("subject_request_detail", pk=pk)


@require_POST
@staff_required("records.approve_subjectrequest")
def request_approve(request, pk: int):
    _run(request, pk, erasure.subject_request_approve_erasure,
         _("Raderingen är prövad. Beslutet finns under Brev och beslut."))
    return redirect("subject_request_detail", pk=pk)


@require_POST
@staff_required("records.change_subjectrequest")
def request_close(request, pk: int):
    _run(request, pk, gdpr.subject_request_close, _("Begäran är avslutad."))
    return redirect("subject_request_detail", pk=pk)


@staff_required("records.view_subjectrequest")
def letter_download(request, pk: int):
    letter = get_object_or_404(DisclosureDecisionLetter, pk=pk, subject_request__isnull=False)
    return stored_file_response(request, letter.pdf, filename=f"{letter.kind}-{letter.pk}.pdf", target=letter)
