"""The registrars' workbench for requests for public documents: intake, the request page with the
actions the workflow allows (records.workflow.available_actions), the secrecy review with masking by
text selection, and the deciding body's configuration.

Views validate input and call records.disclosure.services; a refusal of the law or the workflow
comes back as a Swedish message naming the rule (messages.error), never as a silent no-op.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.errors import DomainError
from accounts.models import AuditAction
from accounts.permissions import staff_required
from accounts.services import audit_record
from records.disclosure import guards, targets
from records.disclosure import letters as letters_text
from records.disclosure import services as svc
from records.disclosure.forms import (
    AnswerForm,
    AppealCloseForm,
    AppealForm,
    CloseForm,
    DecisionIssueForm,
    DecisionNotifiedForm,
    DecisionRequestForm,
    DecisionSettingForm,
    DeliverForm,
    DisclosureIntakeForm,
    ReviewForm,
    TargetAddForm,
    spans_to_brackets,
)
from records.disclosure.services._common import ground_titles
from records.models import (
    DisclosureDecisionSetting,
    DisclosureItem,
    DisclosureOutcome,
    DisclosureRequest,
    LetterKind,
)
from records.pdf import MASK_MARKER, apply_masks
from records.secrecy.services import document_view, may_view_secret
from records.viewhelpers import stored_file_response, url_if_exists
from records.workflow import available_names

VIEW = "records.view_disclosurerequest"
ADD = "records.add_disclosurerequest"
CHANGE = "records.change_disclosurerequest"
SETTING_VIEW = "records.view_disclosuredecisionsetting"
SETTING_CHANGE = "records.change_disclosuredecisionsetting"


def _now_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


@staff_required(ADD)
@require_http_methods(["GET", "POST"])
def request_create(request):
    if request.method == "POST":
        form = DisclosureIntakeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = svc.disclosure_request_create(
                    request_text=data["request_text"], channel_in=data["channel_in"],
                    requester_name=data["requester_name"], requester_contact=data["requester_contact"],
                    documents=data["found_documents"], targets=data["targets"], received_at=data["received_at"],
                    actor=request.user,
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Begäran %(ref)s är registrerad; de begärda handlingarna är spärrade mot "
                                            "gallring.") % {"ref": created.reference})
                return redirect("disclosure_detail", pk=created.pk)
    else:
        form = DisclosureIntakeForm(initial={"received_at": _now_minute()})
    return render(request, "records/disclosure/create.html", {"form": form, "nav_current": "disclosure_list"})


def _get(request, pk: int) -> DisclosureRequest:
    return get_object_or_404(DisclosureRequest.objects.visible_to(request.user)
                             .select_related("handled_by", "unit", "case"), pk=pk)


def _action_forms() -> dict:
    today = timezone.localdate()
    return {
        "answer_form": AnswerForm(initial={"answered_on": today, "means": "email"}),
        "decision_request_form": DecisionRequestForm(initial={"requested_on": today}),
        "decision_issue_form": DecisionIssueForm(),
        "decision_notified_form": DecisionNotifiedForm(initial={"notified_on": today}),
        "close_form": CloseForm(),
        "appeal_form": AppealForm(initial={"received_at": _now_minute()}),
        "appeal_close_form": AppealCloseForm(),
    }


def _workbench(request, req: DisclosureRequest, *, status: int = 200, **extra):
    items = list(req.items.select_related("document", "legal_ground", "reviewed_by"))
    titles = ground_titles(items)
    kinds = {s.type: s.label for s in targets.sources()}
    rows = [{"item": i, "kind": kinds.get(i.target_type, ""), "masks": letters_text.masked_parts_text(i, titles)}
            for i in items]
    user = request.user
    letters = list(req.letters.select_related("document"))
    context = {
        "req": req, "items": items, "rows": rows, "overdue": svc.disclosure_is_overdue(req),
        "may_act": user.has_perm(CHANGE), "open_review": req.status in svc.REVIEWABLE,
        "actions": available_names(req, user), "appeal_actions": available_names(req, user, field="appeal_status"),
        "decision": svc.disclosure_decision_letter(req),
        "appeal_window_end": svc.disclosure_appeal_window_end(req),
        "close_refusal": guards.closable(req, user) if req.status != "closed" else None,
        "letters": letters, "holds": list(req.holds.all()),
        "notice": svc.disclosure_refusal_notice(req) if req.status not in svc.REVIEWABLE else "",
        "add_form": extra.pop("add_form", None) or TargetAddForm(),
        "setting": guards.decision_setting_for(req),
        "setting_problem": guards.decision_configured(req, user) if req.status == "decision_requested" else None,
        "nav_current": "disclosure_list", **_action_forms(),
    }
    context.update(extra)
    return render(request, "records/disclosure/detail.html", context, status=status)


@staff_required(VIEW)
@require_safe
def request_detail(request, pk: int):
    return _workbench(request, _get(request, pk))


def _act(request, pk: int, action, success: str, form_class=None):
    """Validate the action's form (if any), call the service, show its answer."""
    req = _get(request, pk)
    data = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("disclosure_detail", pk=req.pk)
        data = form.cleaned_data
    try:
        action(req, data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("disclosure_detail", pk=req.pk)


# --- naming more records ----------------------------------------------------------------------------


@staff_required(CHANGE)
@require_POST
def target_add(request, pk: int):
    """Add a record by kind and number/id/address/text; several matches are offered to choose from."""
    req = _get(request, pk)
    form = TargetAddForm(request.POST)
    if not form.is_valid():
        return _workbench(request, req, add_form=form, status=400)
    source = targets.source_by_key(form.cleaned_data["kind"])
    chosen = request.POST.get("target_id", "").strip()
    found = ([targets.load_one(source.type, chosen)] if chosen.isdecimal() else
             source.search(form.cleaned_data["number"], 11) if source.search else [])
    if len(found) == 1:
        try:
            svc.disclosure_target_add(request=req, target_type=source.type, target_id=found[0].id, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(label)s är tillagd och spärrad mot gallring.") % {"label": found[0].label})
        return redirect("disclosure_detail", pk=req.pk)
    if not found:
        messages.error(request, _("Inget av slaget ”%(kind)s” matchar ”%(q)s”.") % {
            "kind": source.label, "q": form.cleaned_data["number"]})
        return redirect("disclosure_detail", pk=req.pk)
    return _workbench(request, req, add_form=form, candidates=found[:10], candidate_kind=source.key,
                      more_candidates=len(found) > 10)


# --- the review of one target -----------------------------------------------------------------------


def _record_view(request, item: DisclosureItem):
    """The record as the user may see it; a view of secret parts is audited."""
    record = targets.load_one(item.target_type, item.target_id)
    allowed = may_view_secret(request.user)
    if item.target_type == targets.DOCUMENT and record.secret_parts and allowed:
        document_view(item.document, request.user, audit_request=request, surface="disclosure_review")
    elif record.secret_parts and allowed:
        audit_record(actor=request.user, action=AuditAction.SECRET_VIEWED, target=item, request=request,
                     detail={"parts": sorted(record.secret_parts), "surface": "disclosure_review",
                             "target": item.label})
    hidden = set() if allowed else set(record.secret_parts)
    return record, {
        "content": None if "content" in hidden else record.text,
        "sender": None if "sender" in hidden else record.sender,
        "description": None if "description" in hidden else record.description,
    }


def _review_initial(item: DisclosureItem, record, content: str | None) -> dict:
    whole = {m["part"] if m["part"] != "attachment" else f"attachment:{m['index']}"
             for m in item.masked_parts or [] if "start" not in m}
    if item.outcome == DisclosureOutcome.PENDING:
        whole |= set(record.secret_parts) - {"content"}  # a secret sender/description: masked unless reviewed
    initial = {
        "outcome": item.outcome if item.outcome != DisclosureOutcome.PENDING else (
            DisclosureOutcome.RELEASE_MASKED if record.secret_parts else None),
        "legal_ground": item.legal_ground_id,
        "marked_text": spans_to_brackets(content or "", item.mask_spans),
        "spans": ", ".join(f"{a}-{b}" for a, b in item.mask_spans or []),
        "reasoning": item.reasoning, "note": item.note,
    }
    for key in whole:
        initial[f"mask_{key.replace(':', '_')}"] = True
    return initial


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
def item_review(request, pk: int, item_pk: int):
    """The secrecy review of one target: select text to mask it, see the copy as it will be delivered."""
    req = _get(request, pk)
    item = get_object_or_404(DisclosureItem.objects.select_related("document", "legal_ground"), pk=item_pk,
                             request=req)
    if not item.target_id:
        raise Http404
    try:
        record, shown = _record_view(request, item)
    except DomainError as exc:
        raise Http404 from exc
    content = shown["content"]
    form_kwargs = {"content": content, "parts": targets.parts_of(record), "attachments": record.attachments,
                   "secret_parts": record.secret_parts}
    preview = None
    if request.method == "POST":
        form = ReviewForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                try:
                    preview = apply_masks(content or "", [tuple(s) for s in data["mask_spans"]])
                except ValueError:
                    form.add_error("spans", _("Ett avsnitt ligger utanför texten."))
            else:
                masked = data["masked_parts"] if data["outcome"] == DisclosureOutcome.RELEASE_MASKED else []
                try:
                    svc.disclosure_review(item=item, outcome=data["outcome"], actor=request.user,
                                          legal_ground=data["legal_ground"], masked_parts=masked,
                                          reasoning=data["reasoning"], note=data["note"])
                except DomainError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, _("Prövningen av %(n)s är sparad.") % {"n": item.label})
                    return redirect("disclosure_detail", pk=req.pk)
    else:
        form = ReviewForm(initial=_review_initial(item, record, content), **form_kwargs)
        if item.outcome == DisclosureOutcome.RELEASE_MASKED and content is not None:
            preview = apply_masks(content, [tuple(s) for s in item.mask_spans or []])
    return render(request, "records/disclosure/review.html", {
        "req": req, "item": item, "record": record, "shown": shown, "form": form, "preview": preview,
        "whole_fields": [(form[flag], form[ground]) for _key, flag, ground in form.whole_parts],
        "editable": req.status in svc.REVIEWABLE, "content_length": len(content or ""),
        "mask_data": {"text": content or "", "spans": item.mask_spans or [], "marker": MASK_MARKER},
        "secret_parts": [(targets.PART_LABELS.get(p, p), code) for p, code in record.secret_parts.items()],
        "document_url": url_if_exists("records_document_detail", item.document_id) if item.document_id else None,
        "nav_current": "disclosure_list",
    })


# --- actions on the request ---------------------------------------------------------------------------


@staff_required(CHANGE)
@require_POST
def request_decide(request, pk: int):
    return _act(request, pk, lambda r, d: svc.disclosure_decide(request=r, actor=request.user),
                _("Prövningen är avslutad. Lämna ut kopiorna eller registrera beskedet till sökanden."))


@staff_required(CHANGE)
@require_POST
def request_answer(request, pk: int):
    return _act(request, pk, lambda r, d: svc.disclosure_answer(
        request=r, actor=request.user, means=d["means"], answered_on=d["answered_on"]),
        _("Beskedet till sökanden är registrerat."), AnswerForm)


@staff_required(CHANGE)
@require_POST
def decision_request(request, pk: int):
    return _act(request, pk, lambda r, d: svc.disclosure_decision_request(
        request=r, actor=request.user, requested_on=d["requested_on"]),
        _("Begäran om myndighetens beslut är registrerad; handlingarna är spärrade mot gallring."),
        DecisionRequestForm)


@staff_required(CHANGE)
@require_POST
def decision_issue(request, pk: int):
    return _act(request, pk, lambda r, d: svc.disclosure_decision_issue(
        request=r, actor=request.user, reasoning=d["reasoning"]),
        _("Myndighetens beslut är fattat och diariefört. Skicka beslutet och registrera sedan när sökanden fick "
          "det."), DecisionIssueForm)


@staff_required(CHANGE)
@require_POST
def decision_notified(request, pk: int):
    return _act(request, pk, lambda r, d: svc.disclosure_decision_notified(
        request=r, actor=request.user, notified_on=d["notified_on"]),
        _("Dagen då sökanden fick beslutet är registrerad; överklagandetiden löper."), DecisionNotifiedForm)


@staff_required(CHANGE)
@require_POST
def appeal_register(request, pk: int):
    return _act(request, pk, lambda r, d: svc.disclosure_appeal_register(
        request=r, received_at=d["received_at"], actor=request.user),
        _("Överklagandet är registrerat; handlingarna är spärrade mot gallring tills domen vunnit laga kraft."),
        AppealForm)


@staff_required(CHANGE)
@require_POST
def appeal_close(request, pk: int):
    return _act(request, pk, lambda r, d: svc.disclosure_appeal_close(
        request=r, outcome=d["outcome"], actor=request.user), _("Domstolens avgörande är registrerat."),
        AppealCloseForm)


@staff_required(CHANGE)
@require_POST
def request_close(request, pk: int):
    return _act(request, pk, lambda r, d: svc.disclosure_close(
        request=r, actor=request.user, reason=d["reason"], note=d["note"]), _("Begäran är avslutad."), CloseForm)


@staff_required(CHANGE)
@require_POST
def deliver(request, pk: int):
    """The released copies as a download (PDF or ZIP); the first one is the answer to the requester."""
    req = _get(request, pk)
    form = DeliverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj PDF eller ZIP."))
        return redirect("disclosure_detail", pk=req.pk)
    fmt = form.cleaned_data["format"]
    try:
        data = svc.disclosure_deliver(request=req, actor=request.user, format=fmt)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("disclosure_detail", pk=req.pk)
    response = HttpResponse(data, content_type="application/pdf" if fmt == "pdf" else "application/zip")
    response["Content-Disposition"] = f'attachment; filename="{req.reference}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_required(VIEW)
@require_safe
def letter_download(request, pk: int, letter_pk: int):
    req = _get(request, pk)
    letter = get_object_or_404(req.letters.all(), pk=letter_pk)
    name = "beslut" if letter.kind == LetterKind.REFUSAL_DECISION else letter.kind
    return stored_file_response(request, letter.pdf, filename=f"{req.reference}-{name}.pdf", target=letter)


# --- the deciding body per unit -------------------------------------------------------------------------


@staff_required(SETTING_VIEW)
@require_safe
def setting_list(request):
    rows = DisclosureDecisionSetting.objects.select_related("unit", "series", "case").order_by("unit__name")
    return render(request, "records/disclosure/settings.html", {
        "rows": rows, "may_change": request.user.has_perm(SETTING_CHANGE), "nav_current": "disclosure_list"})


@staff_required(SETTING_CHANGE)
@require_http_methods(["GET", "POST"])
def setting_edit(request, pk: int | None = None):
    """Create or change the deciding body and delegation of a unit (or the default)."""
    instance = get_object_or_404(DisclosureDecisionSetting, pk=pk) if pk else None
    form = DecisionSettingForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            svc.disclosure_setting_save(setting=instance, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Beslutsinstansen är sparad."))
            return redirect("disclosure_settings")
    return render(request, "records/disclosure/setting_form.html", {
        "form": form, "instance": instance, "nav_current": "disclosure_list"}, status=400 if form.errors else 200)
