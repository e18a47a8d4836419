"""The archivist's pages: the plan, what is due, purge lists (four eyes), the purge log, holds,
e-archive delivery. Views validate input and call services; rules live in the services."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import DomainError
from accounts.permissions import staff_required
from records.archive.services import cases_ready_for_delivery
from records.models import (
    LegalHold,
    PurgeLine,
    PurgeLineStatus,
    PurgeList,
    PurgeListStatus,
    RetentionAction,
    RetentionClass,
    Tombstone,
)
from records.retention.forms import ChangeClassForm, DraftForm, HoldForm, ReasonForm, RetentionClassForm
from records.retention.services import holds as hold_services
from records.retention.services import purge as purge_services
from records.retention.services.execution import purge_list_enqueue
from records.retention.services.plan import all_targets, retention_reassign, target_model
from records.viewhelpers import query_without_page
from records.workflow import available_actions


def _class_counts() -> dict[str, dict]:
    """Objects per class code, and how many of them are due today (one grouped query per type)."""
    today = timezone.localdate()
    result: dict[str, dict] = {}
    for target in all_targets():
        model = target_model(target)
        field = model._meta.get_field(target.class_field)
        key = f"{target.class_field}__code" if field.is_relation else target.class_field
        qs = target.queryset()
        for code, n in qs.values_list(key).annotate(n=Count("pk")):
            if code:
                result.setdefault(code, Counter())["total"] += n
        for code, n in qs.filter(**{f"{target.due_field}__lte": today}).values_list(key).annotate(n=Count("pk")):
            if code:
                result.setdefault(code, Counter())["due"] += n
    return result


@staff_required("records.view_purgelist")
def overview(request):
    counts = _class_counts()
    classes = list(RetentionClass.objects.all())
    for cls in classes:
        cls.count_total = counts.get(cls.code, {}).get("total", 0)
        cls.count_due = counts.get(cls.code, {}).get("due", 0) if cls.action == RetentionAction.PURGE else 0
    return render(request, "records/retention/overview.html", {
        "classes": classes,
        "holds_active": LegalHold.objects.active().count(),
        "due_total": sum(c.count_due for c in classes),
        "lists_open": PurgeList.objects.filter(status__in=[PurgeListStatus.DRAFT, PurgeListStatus.PROPOSED,
                                                           PurgeListStatus.APPROVED, PurgeListStatus.EXECUTING]),
        "ready_for_delivery": cases_ready_for_delivery().count(),
        "nav_current": "retention_overview",
    })


@staff_required("records.view_retentionclass")
def class_list(request):
    return render(request, "records/retention/class_list.html", {"classes": RetentionClass.objects.all()})


@staff_required("records.change_retentionclass")
def class_edit(request, pk: int | None = None):
    instance = get_object_or_404(RetentionClass, pk=pk) if pk else None
    form = RetentionClassForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        cls = form.save(commit=False)
        cls._change_reason = "Ändrad av arkivarie"
        cls.save()
        messages.success(request, _("Gallringsklassen %(c)s är sparad.") % {"c": cls.code})
        return redirect("retention_class_list")
    return render(request, "records/retention/class_form.html", {"form": form, "object": instance})


@staff_required("records.view_purgelist")
def due(request):
    today = timezone.localdate()
    rows = []
    keys = hold_services.active_hold_keys(today)
    for target in all_targets():
        model = target_model(target)
        field = model._meta.get_field(target.class_field)
        key = f"{target.class_field}__code" if field.is_relation else target.class_field
        qs = target.queryset().filter(**{f"{target.due_field}__lte": today})
        for code, n in qs.values_list(key).annotate(n=Count("pk")).order_by(key):
            if code:
                rows.append({"type": target.label, "code": code, "count": n})
    held = Counter(t for t, _i in keys)
    return render(request, "records/retention/due.html", {
        "rows": rows, "held": sorted(held.items()), "form": DraftForm(), "today": today,
        "holds": LegalHold.objects.active().order_by("-created_at")[:50],
    })


@staff_required("records.view_purgelist")
def list_index(request):
    lists = PurgeList.objects.annotate(n=Count("lines")).select_related("proposed_by", "approved_by").order_by(
        "-created_at", "-id")
    page = Paginator(lists, 30).get_page(request.GET.get("page"))
    return render(request, "records/retention/purge_lists.html", {"page": page, "form": DraftForm()})


@require_POST
@staff_required("records.add_purgelist")
def list_draft(request):
    form = DraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ogiltigt datum."))
        return redirect("purge_list_index")
    try:
        pl = purge_services.purge_list_draft(cutoff=form.cleaned_data.get("cutoff"), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("purge_list_index")
    if pl is None:
        messages.warning(request, _("Inget har förfallit till gallring."))
        return redirect("purge_list_index")
    messages.success(request, _("Gallringslistan %(r)s är upprättad.") % {"r": pl.reference})
    return redirect("purge_list_detail", pk=pl.pk)


def _line_filters(request, pl: PurgeList):
    """The rows of a list as filtered on its page: status, kind of object, class, and a search in
    the row's label (number or reference)."""
    lines = pl.lines.select_related("retention_class", "changed_class_to").order_by("pk")
    chosen = {"status": request.GET.get("status", ""), "type": request.GET.get("typ", ""),
              "klass": request.GET.get("klass", ""), "q": (request.GET.get("q") or "").strip()}
    if chosen["status"] in PurgeLineStatus.values:
        lines = lines.filter(status=chosen["status"])
    if chosen["type"]:
        lines = lines.filter(target_type=chosen["type"])
    if chosen["klass"].isdecimal():
        lines = lines.filter(retention_class_id=int(chosen["klass"]))
    if chosen["q"]:
        lines = lines.filter(label__icontains=chosen["q"])
    return lines, chosen


def _line_rows(lines, request) -> list[dict]:
    """Each row with what it destroys: excerpt (masked by the secrecy helpers), dates and link."""
    from records.retention.rows import describe_lines

    summaries = describe_lines(lines, request.user, request)
    return [{"line": line, "summary": summaries.get((line.target_type, str(line.target_id)))} for line in lines]


def _list_context(request, pl: PurgeList) -> dict:
    lines, chosen = _line_filters(request, pl)
    page = Paginator(lines, 100).get_page(request.GET.get("page"))
    user = request.user
    type_labels = {t.type: t.label for t in all_targets()}
    present = pl.lines.values_list("target_type", flat=True).distinct().order_by()
    return {
        "pl": pl, "page": page, "rows": _line_rows(list(page.object_list), request),
        "query": query_without_page(request), "counts": purge_services.purge_list_counts(pl),
        "status_filter": chosen["status"], "line_statuses": PurgeLineStatus.choices, "chosen": chosen,
        "type_choices": sorted(((t, type_labels.get(t, t)) for t in present), key=lambda c: c[1]),
        "class_choices": RetentionClass.objects.filter(
            pk__in=pl.lines.values("retention_class_id").distinct().order_by()).order_by("code"),
        "back": request.GET.urlencode(),
        "editable": _editable(pl, user),
        "buttons": _buttons(pl, user),
        "proposer_is_me": pl.status == PurgeListStatus.PROPOSED and pl.proposed_by_id == user.pk,
        "classes": RetentionClass.objects.active(),
        "executing": pl.status == PurgeListStatus.EXECUTING,
        "batches": pl.batches.order_by("-id")[:10],
    }


def _editable(pl: PurgeList, user) -> bool:
    return pl.status in (PurgeListStatus.DRAFT, PurgeListStatus.PROPOSED) and user.has_perm("records.change_purgelist")


_ACTION_URLS = {"propose": "purge_list_propose", "return": "purge_list_return", "approve": "purge_list_approve",
                "execute": "purge_list_execute", "cancel": "purge_list_cancel"}


def _buttons(pl: PurgeList, user) -> list[dict]:
    """The list's buttons: exactly the actions the workflow offers this user now."""
    buttons = []
    for action in available_actions(pl, user):
        label = action.label
        if action.name == "execute" and pl.status == PurgeListStatus.EXECUTING:
            label = _("Återuppta verkställandet")
        css = "danger" if action.name == "execute" else ("secondary" if action.name in ("cancel", "return") else "")
        buttons.append({"name": action.name, "label": label, "url": reverse(_ACTION_URLS[action.name], args=[pl.pk]),
                        "css": css})
    return buttons


@staff_required("records.view_purgelist")
def list_detail(request, pk: int):
    pl = get_object_or_404(PurgeList.objects.select_related("proposed_by", "approved_by", "executed_by"), pk=pk)
    return render(request, "records/retention/purge_list_detail.html", _list_context(request, pl))


@staff_required("records.view_purgelist")
def list_progress(request, pk: int):
    """htmx fragment polled while a list executes."""
    pl = get_object_or_404(PurgeList, pk=pk)
    counts = purge_services.purge_list_counts(pl)
    total = sum(counts[k] for k in ("done", "refused", "pending"))
    finished = total - counts["pending"]
    return render(request, "records/retention/_progress.html", {
        "pl": pl, "counts": counts, "total": total, "finished": finished,
        "percent": int(100 * finished / total) if total else 100,
        "executing": pl.status == PurgeListStatus.EXECUTING,
    })


def _post_action(request, pk, service, success: str, **extra):
    pl = get_object_or_404(PurgeList, pk=pk)
    try:
        service(purge_list=pl, actor=request.user, **extra)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success % {"r": pl.reference})
    return redirect("purge_list_detail", pk=pl.pk)


@require_POST
@staff_required("records.change_purgelist")
def list_propose(request, pk: int):
    return _post_action(request, pk, purge_services.purge_list_propose,
                        _("Gallringslistan %(r)s är föreslagen. En annan arkivarie ska godkänna den."))


@require_POST
@staff_required("records.approve_purgelist")
def list_approve(request, pk: int):
    return _post_action(request, pk, purge_services.purge_list_approve, _("Gallringslistan %(r)s är godkänd."))


@require_POST
@staff_required("records.change_purgelist")
def list_return(request, pk: int):
    return _post_action(request, pk, purge_services.purge_list_return, _("Gallringslistan %(r)s är ett utkast igen."))


@require_POST
@staff_required("records.change_purgelist")
def list_cancel(request, pk: int):
    return _post_action(request, pk, purge_services.purge_list_cancel, _("Gallringslistan %(r)s är avbruten."))


@require_POST
@staff_required("records.execute_purgelist")
def list_execute(request, pk: int):
    return _post_action(request, pk, purge_list_enqueue, _("Gallringen av %(r)s har startat."))


@require_POST
@staff_required("records.change_purgelist")
def line_exclude(request, pk: int):
    """Exclude a row with a reason, in place: htmx gets the row back, otherwise the same page of the
    list (its filters kept)."""
    line = get_object_or_404(PurgeLine.objects.select_related("purge_list"), pk=pk)
    form = ReasonForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Ange skäl för att undanta raden.")
    else:
        try:
            purge_services.purge_line_exclude(line=line, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            error = exc.message
    if getattr(request, "htmx", False):
        line = PurgeLine.objects.select_related("retention_class", "changed_class_to", "purge_list").get(pk=line.pk)
        pl = line.purge_list
        return render(request, "records/retention/_purge_line.html", {
            "row": _line_rows([line], request)[0], "pl": pl, "editable": _editable(pl, request.user),
            "classes": RetentionClass.objects.active(), "row_error": error,
            "row_message": "" if error else _("Raden är undantagen."), "back": request.POST.get("back", ""),
        })
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Raden är undantagen."))
    url = reverse("purge_list_detail", args=[line.purge_list_id])
    back = QueryDict(request.POST.get("back", ""))
    return redirect(f"{url}?{back.urlencode()}#rad-{line.pk}" if back else f"{url}#rad-{line.pk}")


@require_POST
@staff_required("records.change_purgelist", "records.assign_retention")
def line_change_class(request, pk: int):
    line = get_object_or_404(PurgeLine, pk=pk)
    form = ChangeClassForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj klass och ange skäl."))
    else:
        try:
            purge_services.purge_line_change_class(line=line, retention_class=form.cleaned_data["retention_class"],
                                                   actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Gallringsklassen är ändrad."))
    return redirect("purge_list_detail", pk=line.purge_list_id)


# --- the purge log ------------------------------------------------------------------------------


@staff_required("records.view_purgelist")
def purge_log(request):
    lists = PurgeList.objects.filter(status__in=[PurgeListStatus.EXECUTED, PurgeListStatus.EXECUTING]).annotate(
        n=Count("tombstones")).select_related("proposed_by", "approved_by").order_by("-created_at", "-id")
    page = Paginator(lists, 30).get_page(request.GET.get("page"))
    stones = Tombstone.objects.select_related("purge_list").order_by("-purged_at", "-id")[:50]
    return render(request, "records/retention/purge_log.html", {"page": page, "tombstones": stones})


def _omit(request, pl) -> bool:
    return request.GET.get("utan_beskrivningar") == "1"


@staff_required("records.view_purgelist")
def purge_log_csv(request, pk: int):
    pl = get_object_or_404(PurgeList, pk=pk)
    data = purge_services.purge_log_csv(pl, omit_descriptions=_omit(request, pl))
    response = HttpResponse("\ufeff" + data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gallringslogg-{pl.reference}.csv"'
    return response


@staff_required("records.view_purgelist")
def purge_log_pdf(request, pk: int):
    pl = get_object_or_404(PurgeList.objects.select_related("proposed_by", "approved_by"), pk=pk)
    data = purge_services.purge_log_pdf(pl, omit_descriptions=_omit(request, pl),
                                        organisation=settings.UPPSIKT_ORGANISATION_NAME)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="gallringslogg-{pl.reference}.pdf"'
    return response


# --- holds ----------------------------------------------------------------------------------------


@staff_required("records.view_legalhold")
def hold_list(request):
    show = request.GET.get("visa", "aktiva")
    holds = LegalHold.objects.active() if show == "aktiva" else LegalHold.objects.all()
    holds = holds.select_related("created_by", "released_by", "disclosure_request")
    page = Paginator(holds, 50).get_page(request.GET.get("page"))
    form = HoldForm(request.POST or None, initial=request.GET or None)
    if request.method == "POST":
        if not request.user.has_perm("records.add_legalhold"):
            from accounts.permissions import deny

            deny(request, "spärr")
        if form.is_valid():
            try:
                hold_services.legal_hold_place(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Spärren är lagd."))
                return redirect("legal_hold_list")
    return render(request, "records/retention/holds.html", {
        "page": page, "form": form, "show": show, "can_add": request.user.has_perm("records.add_legalhold"),
        "release_form": ReasonForm(),
    })


@require_POST
@staff_required("records.change_legalhold")
def hold_release(request, pk: int):
    hold = get_object_or_404(LegalHold, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange skäl för att häva spärren."))
    else:
        try:
            hold_services.legal_hold_release(hold=hold, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Spärren är hävd."))
    return redirect("legal_hold_list")


# --- reassign one object (from the retention box) -------------------------------------------------


@staff_required("records.assign_retention")
def reassign(request, target_type: str, target_id: str):
    form = ChangeClassForm(request.POST or None)
    form.fields["retention_class"].queryset = RetentionClass.objects.active()
    if request.method == "POST" and form.is_valid():
        try:
            retention_reassign(target_type=target_type, target_id=target_id,
                               retention_class=form.cleaned_data["retention_class"], actor=request.user,
                               reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Gallringsklassen är ändrad."))
            back = request.POST.get("next") or ""
            if back.startswith("/") and not back.startswith("//") and "\\" not in back:
                return redirect(back)
            return redirect("retention_overview")
    return render(request, "records/retention/reassign.html", {
        "form": form, "target_type": target_type, "target_id": target_id, "next": request.GET.get("next", ""),
    })


# --- e-archive delivery -----------------------------------------------------------------------------


