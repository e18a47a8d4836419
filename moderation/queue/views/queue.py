"""The review queue: tabs with counts, filters, a paginated table, bulk and keyboard actions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import staff_required
from moderation.models import Author, Channel, Item, ItemState, Rule
from moderation.queue.forms import BULK_ACTIONS, BulkForm, QueueFilterForm
from moderation.queue.services.decisions import action_reversible, items_decide_bulk
from moderation.viewhelpers import wants_json

# Tab key (the queue service's `tab` param) → label. Order is the order on screen.
TABS = [
    ("new", gettext_lazy("Nya")),
    ("in_review", gettext_lazy("Under granskning")),
    ("held", gettext_lazy("Dolda i väntan på granskning")),
    ("escalated", gettext_lazy("Eskalerade")),
    ("reopened", gettext_lazy("Återöppnade")),
    ("decided", gettext_lazy("Beslutade")),
]
PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25


def page_size(request) -> int:
    try:
        value = int(request.GET.get("per_page", DEFAULT_PAGE_SIZE))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return value if value in PAGE_SIZES else DEFAULT_PAGE_SIZE


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def _tab_params(request):
    """The query with a known tab ("new" when missing or unknown), and that tab."""
    params = request.GET.copy()
    tab = params.get("tab") or "new"
    if tab not in dict(TABS):
        tab = "new"
    params["tab"] = tab
    return params, tab


@staff_required("moderation.view_item")
def queue(request):
    from moderation.queue.rows import page_rows, queue_queryset, tab_counts

    user = request.user
    params, tab = _tab_params(request)
    channels_qs = Channel.objects.visible_to(user).select_related("unit").order_by("name")
    channels = list(channels_qs)  # one query for the channel and unit lists, whatever the items
    units = sorted({(c.unit.code, c.unit.name) for c in channels}, key=lambda u: u[1])
    form = QueueFilterForm(request.GET or None, channels=channels_qs, units=units)
    # The select's options from the list already read (a ModelChoiceField would query again).
    channel_field = form.fields["channel"]
    channel_field.choices = [("", channel_field.empty_label)] + [(c.slug, str(c)) for c in channels]
    if form.is_bound:
        form.is_valid()  # errors are shown; the queue service ignores what it cannot read

    channel_ids = [c.pk for c in channels]
    counts = tab_counts(user, params, channel_ids=channel_ids)
    # The tab's (capped) count is already known: the paginator must not count the tab again.
    rows = queue_queryset(user, params, channel_ids=channel_ids, prefetch=False)
    paginator = Paginator(rows.values_list("pk", flat=True), page_size(request))
    paginator.count = counts.get(tab, 0)
    page = paginator.get_page(request.GET.get("page"))
    # The page's ids are a subquery of the one query that reads the page's rows.
    page.object_list = page_rows(page.object_list, rows.query.order_by)
    query = request.GET.copy()
    query.pop("page", None)
    # The author filter (from the author page): whose items these are, and a way back to all.
    author_filter = None
    if (request.GET.get("author") or "").isdecimal():
        author_filter = Author.objects.visible_to(user).filter(pk=int(request.GET["author"])).first()
    without_author = request.GET.copy()
    without_author.pop("author", None)
    without_author.pop("page", None)
    return render(request, "moderation/queue.html", {
        "author_filter": author_filter,
        "now_iso": timezone.now().isoformat(),
        "without_author": without_author.urlencode(),
        "tabs": [{"key": key, "label": label, "count": counts.get(key, 0), "current": key == tab,
                  "capped": counts.get(f"{key}_capped", False)} for key, label in TABS],
        "tab": tab,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_moderate": user.has_perm("moderation.moderate_item"),
        "may_see_secret": user.has_perm("moderation.view_secret_item"),
        "bulk_actions": BULK_ACTIONS,
        "rules": Rule.objects.active(),
        "page_sizes": PAGE_SIZES,
        "per_page": paginator.per_page,
        "next": request.get_full_path(),
    })


LIVE_MAX_SHOWN = 200
LIVE_MAX_NEW = 25


def _live_since(value: str):
    now = timezone.now()
    parsed = parse_datetime(value or "")
    if parsed is None:
        return now - dt.timedelta(seconds=30)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return max(parsed, now - dt.timedelta(hours=1))


@staff_required("moderation.view_item")
def queue_live(request):
    """What changed in the open queue page since the last poll (the page asks every few seconds).

    GET: the queue's own params (tab, filters), `shown` (the ids on the page, comma separated) and
    `since` (the `now` of the last answer). Answers JSON: `gone` (shown ids no longer in the tab:
    decided, claimed into another tab or otherwise moved by a colleague), `claims` ({id: "Anna
    granskar, 4 min kvar" or ""}), `rows` (new items received since, as rendered rows) and `now`.
    Costs ONE query when nothing new arrived (the shown ids and the new ones are found together);
    new rows are read with the page's own row query (page_rows: a fixed few more)."""
    from moderation.queue.rows import page_rows, queue_queryset
    from moderation.templatetags.moderation_tags import claim_text

    user = request.user
    params, tab = _tab_params(request)
    shown = []
    for part in (request.GET.get("shown") or "").split(",")[:LIVE_MAX_SHOWN]:
        if part.strip().isdecimal():
            shown.append(int(part))
    now = timezone.now()
    since = _live_since(request.GET.get("since", ""))
    from moderation.queue.rows import TAB_STATES, base_queryset

    ordering = queue_queryset(user, params, prefetch=False).query.order_by
    wanted = Q(state=TAB_STATES[tab]) & (Q(pk__in=shown) | Q(received_at__gt=since))
    if tab in ("new", "reopened"):
        # A row a moderator has taken stays on the page with "Anna granskar, 4 min kvar" (the claim
        # moved it to "in review"); it leaves when it is decided or the claim lapses into "new" again.
        wanted |= Q(pk__in=shown, state=ItemState.IN_REVIEW, claim_expires_at__gt=now)
    found = list(base_queryset(user, params).filter(wanted).values(
        "pk", "claimed_by_id", "claimed_by__first_name", "claimed_by__last_name", "claimed_by__username",
        "claim_expires_at")[:len(shown) + LIVE_MAX_NEW])
    shown_set = set(shown)
    present = {row["pk"] for row in found}
    claims = {}
    for row in found:
        if row["pk"] not in shown_set:
            continue
        live = row["claimed_by_id"] and (row["claim_expires_at"] is None or row["claim_expires_at"] > now)
        name = (f"{row['claimed_by__first_name']} {row['claimed_by__last_name']}".strip()
                or row["claimed_by__username"]) if live else ""
        claims[row["pk"]] = claim_text(name, row["claim_expires_at"], now) if live else ""
    new_ids = [row["pk"] for row in found if row["pk"] not in shown_set]
    rows = []
    if new_ids:
        can_moderate = user.has_perm("moderation.moderate_item")
        for item in page_rows(Item.objects.filter(pk__in=new_ids).values_list("pk", flat=True), ordering):
            rows.append({"pk": item.pk, "priority": item.priority, "html": render_to_string(
                "moderation/_queue_row.html", {"item": item, "can_moderate": can_moderate}, request=request)})
    return JsonResponse({"now": now.isoformat(), "gone": sorted(shown_set - present),
                         "claims": {str(k): v for k, v in claims.items()}, "rows": rows})


@require_POST
@staff_required("moderation.moderate_item")
def queue_bulk(request):
    """Bulk (and keyboard) decisions over a selection: keep, hide, remove (with a note). Asked for
    JSON (the queue's keyboard flow), it answers {"done": [{"id", "decision", "undo"}], "refused":
    [{"id", "reason"}]} instead of redirecting; "undo" is True where a reversal can undo it."""
    back = _safe_next(request, reverse("queue"))
    form = BulkForm(request.POST, items_queryset=Item.objects.visible_to(request.user))
    if wants_json(request):
        if not form.is_valid():
            errors = [str(e) for errs in form.errors.values() for e in errs]
            return JsonResponse({"done": [], "refused": [], "errors": errors}, status=400)
        data = form.cleaned_data
        result = items_decide_bulk(items=list(data["items"]), action=data["action"], actor=request.user,
                                   rules=list(data["rules"]), note=data["note"])
        undoable = action_reversible(data["action"])
        return JsonResponse({
            "done": [{**d, "undo": undoable} for d in result.get("done", [])],
            "refused": result.get("refused", []),
            "label": str(dict(BULK_ACTIONS)[data["action"]]),
        })
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    result = items_decide_bulk(items=list(data["items"]), action=data["action"], actor=request.user,
                                          rules=list(data["rules"]), note=data["note"])
    done, refused = result.get("done", []), result.get("refused", [])
    if done:
        messages.success(request, _("%(n)d inlägg: %(action)s.") % {
            "n": len(done), "action": dict(BULK_ACTIONS)[data["action"]].lower()})
    for entry in refused:
        if isinstance(entry, dict):
            pk, reason = entry.get("id"), entry.get("reason")
        else:
            item, reason = entry
            pk = getattr(item, "pk", item)
        messages.error(request, _("Inlägg %(pk)s: %(reason)s") % {"pk": pk, "reason": reason})
    return redirect(back)
