"""The registrar's inbox (inkorg): proposals to register items, and registering any item directly."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import DomainError
from accounts.permissions import staff_required
from records.diarium import services
from records.diarium.forms import BulkAcceptForm, ProposalAcceptForm, ProposalDeclineForm
from records.diarium.picker import RUNNING
from records.models import (
    Document,
    ProposalStatus,
    RegistrationProposal,
    RegistrationReason,
    RegistrationSetting,
    SenderKind,
    Series,
)
from records.viewhelpers import query_without_page


def _snapshot(source_type: str, source_id: str, reason: str = "") -> tuple[dict | None, str]:
    try:
        return services.snapshot_defaults(source_type, source_id, reason), ""
    except (DomainError, LookupError) as exc:
        return None, getattr(exc, "message", str(exc))


def _default_series(reason: str):
    setting = RegistrationSetting.objects.filter(reason=reason).select_related("default_series").first()
    if setting and setting.default_series:
        return setting.default_series
    return Series.objects.filter(active=True).order_by("code").first()


@staff_required("records.view_registrationproposal")
def inbox(request):
    status = request.GET.get("status") or ProposalStatus.PENDING
    if status not in ProposalStatus.values:
        status = ProposalStatus.PENDING
    reason = request.GET.get("reason") or ""
    qs = RegistrationProposal.objects.visible_to(request.user).filter(status=status).select_related(
        "proposed_by", "decided_by", "document")
    if reason in RegistrationReason.values:
        qs = qs.filter(reason=reason)
    counts_by_status = dict(
        RegistrationProposal.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    counts_by_reason = dict(
        RegistrationProposal.objects.pending().values_list("reason").annotate(n=Count("id"))
        .values_list("reason", "n")
    )
    page = Paginator(qs.order_by("-secret", "proposed_at", "id") if status == ProposalStatus.PENDING
                     else qs.order_by("-decided_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "records/inbox.html", {
        "page": page,
        "status": status,
        "reason": reason,
        "statuses": [(s.value, s.label, counts_by_status.get(s.value, 0)) for s in ProposalStatus],
        "reasons": [(r.value, r.label, counts_by_reason.get(r.value, 0)) for r in RegistrationReason],
        "pending_count": counts_by_status.get(ProposalStatus.PENDING, 0),
        "secret_pending": RegistrationProposal.objects.pending().filter(secret=True).count(),
        "query": query_without_page(request),
        "can_register": request.user.has_perm("records.register_document"),
        "bulk_form": BulkAcceptForm(reason=reason, user=request.user) if status == ProposalStatus.PENDING and
        request.user.has_perm("records.register_document") else None,
    })


@require_POST
@staff_required("records.register_document", "records.view_secret")
def proposals_bulk_accept(request):
    """Register the ticked proposals into one case, in one transaction (services.proposals_accept_bulk)."""
    reason = request.POST.get("reason") or ""
    form = BulkAcceptForm(request.POST, reason=reason if reason in RegistrationReason.values else "",
                          user=request.user)
    if not form.is_valid():
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("Inget diariefördes: %(p)s") % {"p": problems})
        return redirect(f"{reverse('records_inbox')}?{request.POST.get('query', '')}")
    case = form.cleaned_data["case"]
    try:
        documents = services.proposals_accept_bulk(
            proposals=form.ordered_proposals(), actor=request.user,
            case=None if case == RUNNING else case, running=case == RUNNING)
    except DomainError as exc:
        messages.error(request, _("Inget diariefördes: %(p)s") % {"p": exc.message})
        return redirect("records_inbox")
    messages.success(request, _("%(n)s förslag diarieförda: %(first)s – %(last)s.") % {
        "n": len(documents), "first": documents[0].number, "last": documents[-1].number})
    return redirect("records_case_detail", pk=documents[0].case_id)


def _accept_initial(snapshot: dict | None, reason: str, suggested: str = "") -> dict:
    """Defaults: the reason's running case when it has one (else a new case in its default series), the
    sender's kind and the description from the source."""
    series = _default_series(reason)
    setting = RegistrationSetting.objects.filter(reason=reason).first()
    has_running = bool(setting and setting.running_case_title and setting.default_series_id) or \
        services.running_case_current(reason) is not None
    return {
        "mode": ProposalAcceptForm.MODE_EXISTING if has_running else ProposalAcceptForm.MODE_NEW,
        "series": series.pk if series else None,
        "case_title": (snapshot or {}).get("case_title", ""),
        "sender_kind": (snapshot or {}).get("sender_kind", SenderKind.UNKNOWN),
        "description": suggested or (snapshot or {}).get("description", ""),
    }


@staff_required("records.register_document", "records.view_secret")
def proposal_detail(request, pk: int):
    proposal = get_object_or_404(RegistrationProposal.objects.select_related("proposed_by", "document"), pk=pk)
    snapshot, problem = _snapshot(proposal.source_type, proposal.source_id, proposal.reason)
    existing = Document.objects.from_source(proposal.source_type, proposal.source_id).filter(voided=False).first()
    form = ProposalAcceptForm(
        request.POST or None, initial=_accept_initial(snapshot, proposal.reason, proposal.suggested_description),
        reason=proposal.reason, user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.proposal_accept(
                proposal=proposal, actor=request.user, case=form.cleaned_data.get("case"),
                running=form.cleaned_data["running"], new_case=form.new_case(),
                description=form.cleaned_data["description"], sender_kind=form.cleaned_data["sender_kind"],
                public_description=form.cleaned_data["public_description"], secret_parts=form.secret_parts(),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Diarieförd som %(n)s.") % {"n": document.number})
            return redirect("records_document_detail", pk=document.pk)
    return render(request, "records/proposal_form.html", {
        "proposal": proposal, "snapshot": snapshot, "problem": problem, "form": form, "existing": existing,
        "decline_form": ProposalDeclineForm(), "pending": proposal.status == ProposalStatus.PENDING,
    })


@require_POST
@staff_required("records.register_document")
def proposal_decline(request, pk: int):
    proposal = get_object_or_404(RegistrationProposal, pk=pk)
    form = ProposalDeclineForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_decline(proposal=proposal, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Förslaget är avböjt; inlägget hålls ordnat."))
            return redirect("records_inbox")
    else:
        messages.error(request, _("Ange skäl för att avböja förslaget."))
    return redirect("records_proposal_detail", pk=pk)


@staff_required("records.register_document", "records.view_secret")
def source_register(request, source_type: str, source_id: str):
    """Register any item directly (adds to a case, requested, special interest …)."""
    snapshot, problem = _snapshot(source_type, source_id)
    existing = Document.objects.from_source(source_type, source_id).filter(voided=False).first()
    reason = request.POST.get("reason") or request.GET.get("reason") or RegistrationReason.SPECIAL_INTEREST
    if reason not in RegistrationReason.values:
        reason = RegistrationReason.SPECIAL_INTEREST
    form = ProposalAcceptForm(request.POST or None, initial=_accept_initial(snapshot, reason), reason=reason,
                              user=request.user)
    if request.method == "POST" and form.is_valid() and snapshot is not None:
        try:
            document = services.document_register_from_source(
                source_type=source_type, source_id=source_id, case=form.cleaned_data.get("case"),
                running=form.cleaned_data["running"], new_case=form.new_case(), reason=reason,
                actor=request.user, description=form.cleaned_data["description"],
                sender_kind=form.cleaned_data["sender_kind"],
                public_description=form.cleaned_data["public_description"], secret_parts=form.secret_parts(),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Diarieförd som %(n)s.") % {"n": document.number})
            return redirect("records_document_detail", pk=document.pk)
    return render(request, "records/proposal_form.html", {
        "proposal": None, "snapshot": snapshot, "problem": problem, "form": form, "existing": existing,
        "reason": reason, "reasons": RegistrationReason.choices, "pending": snapshot is not None,
        "source_type": source_type, "source_id": source_id,
    })
