"""Data-subject requests (GDPR): intake, search results, extract, erasure proposal and approval, letters.

Only the archivist role sees these pages (the identifiers are personal data). Every request,
search, extract and decision is audited by the services."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import DomainError
from accounts.permissions import staff_required
from records.gdpr import services as gdpr
from records.gdpr.forms import SubjectRequestForm
from records.models import DisclosureDecisionLetter, SubjectRequest, SubjectRequestStatus


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
    r = get_object_or_404(SubjectRequest.objects.visible_to(request.user).select_related("handled_by", "approved_by"),
                          pk=pk)
    user = request.user
    return render(request, "records/gdpr/subject_detail.html", {
        "r": r, "hits": r.hits.all(), "letters": r.letters.all(),
        "can_change": user.has_perm("records.change_subjectrequest") and not r.purged_at,
        "can_propose": r.wants_erasure and user.has_perm("records.change_subjectrequest")
        and r.status not in (SubjectRequestStatus.ERASURE_APPROVED, SubjectRequestStatus.CLOSED),
        "can_approve": r.status == SubjectRequestStatus.ERASURE_PROPOSED
        and user.has_perm("records.approve_subjectrequest") and r.handled_by_id != user.pk,
        "handler_is_me": r.handled_by_id == user.pk,
    })


@require_POST
@staff_required("records.change_subjectrequest")
def request_search(request, pk: int):
    r = get_object_or_404(SubjectRequest, pk=pk)
    try:
        hits = gdpr.subject_request_search(request=r, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sökningen gav %(n)s träffar.") % {"n": len(hits)})
    return redirect("subject_request_detail", pk=r.pk)


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
def request_propose(request, pk: int):
    r = get_object_or_404(SubjectRequest, pk=pk)
    ids = [int(i) for i in request.POST.getlist("hits") if i.isdigit()]
    try:
        gdpr.subject_request_propose_erasure(request=r, hits=ids, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Radering föreslagen. En annan arkivarie ska godkänna den."))
    return redirect("subject_request_detail", pk=r.pk)


@require_POST
@staff_required("records.approve_subjectrequest")
def request_approve(request, pk: int):
    r = get_object_or_404(SubjectRequest, pk=pk)
    try:
        gdpr.subject_request_approve_erasure(request=r, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Raderingen är godkänd och genomförd."))
    return redirect("subject_request_detail", pk=r.pk)


@staff_required("records.view_subjectrequest")
def letter_download(request, pk: int):
    letter = get_object_or_404(DisclosureDecisionLetter, pk=pk, subject_request__isnull=False)
    return FileResponse(letter.pdf.open("rb"), as_attachment=True, filename=f"{letter.kind}-{letter.pk}.pdf",
                        content_type="application/pdf")
