"""The review queue's read model: the page's rows and the tab counts, each in a fixed number of
queries whatever the page size or the table's size.

Tabs: new (nya/inkommande), in_review, held (dolda i väntan på granskning), escalated, reopened,
decided. Sorting: priority, then arrival (served by moderation_item_queue_idx: state, priority,
received_at); the decided tab shows the latest decisions first.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Prefetch, QuerySet
from django.utils.datastructures import MultiValueDict

from moderation.filters import ItemFilter
from moderation.models import Flag, Item, ItemState

TAB_STATES: dict[str, str] = {
    "new": ItemState.NEW,
    "in_review": ItemState.IN_REVIEW,
    "held": ItemState.HELD,
    "escalated": ItemState.ESCALATED,
    "reopened": ItemState.REOPENED,
    "decided": ItemState.DECIDED,
}
OPEN_TABS = ("new", "in_review", "held", "escalated", "reopened")
# Counting stops at these numbers (shown as "1000+"): an exact count of a huge tab costs a scan of
# every matching row, and nobody pages that far; filters narrow the tab instead.
OPEN_COUNT_CAP = 1_000
DECIDED_COUNT_CAP = 10_000
# Params that choose the tab rather than filter within it.
_TAB_PARAMS = ("tab", "state", "page", "per_page", "page_size", "ordering")


def _params(params) -> MultiValueDict:
    """The request's GET (a QueryDict) or a plain dict, as a MultiValueDict (state=a&state=b)."""
    out = MultiValueDict()
    if params is None:
        return out
    if hasattr(params, "lists"):
        for key, values in params.lists():
            out.setlist(key, list(values))
        return out
    for key, value in dict(params).items():
        out.setlist(key, list(value) if isinstance(value, list | tuple) else [value])
    return out


def base_queryset(user, params=None, *, exclude=_TAB_PARAMS) -> QuerySet:
    """Items the user may see (own units for moderators), not purged, filtered by ItemFilter.
    Values the filter cannot read are ignored (the form shows their errors)."""
    data = _params(params)
    for key in exclude:
        data.pop(key, None)
    qs = Item.objects.visible_to(user).filter(purged_at__isnull=True)
    if any(v not in ("", None) for v in data.values()):
        qs = ItemFilter(data, queryset=qs).qs
    return qs


def open_flags_prefetch() -> Prefetch:
    return Prefetch("flags", queryset=Flag.objects.filter(resolved_at__isnull=True)
                    .select_related("rule", "detector").order_by("created_at", "id"), to_attr="open_flags")


def queue_queryset(user, params=None, *, prefetch: bool = True) -> QuerySet:
    """The queue's rows for a tab (`params["tab"]`, default "new"; or `state=` for any state) and the
    filters in `params`. With `prefetch` the rows carry channel, unit, author and claimant
    (select_related) and their open flags with rule and detector (`item.open_flags`): a page costs
    the same few queries for 10 or 100 rows."""
    p = _params(params)
    tab = p.get("tab") or ("" if p.get("state") else "new")
    exclude = _TAB_PARAMS if tab else tuple(x for x in _TAB_PARAMS if x != "state")
    qs = base_queryset(user, p, exclude=exclude)
    if tab in TAB_STATES:
        qs = qs.filter(state=TAB_STATES[tab])
    if tab == "decided":
        qs = qs.order_by("-decided_at", "-id")
    else:
        qs = qs.order_by("priority", "received_at", "id")
    if prefetch:
        qs = qs.select_related("channel", "channel__unit", "author", "claimed_by").prefetch_related(
            open_flags_prefetch())
    return qs


def tab_counts(user, base_filters=None) -> dict:
    """{tab: count} for every tab under the same filters, each a capped count over the queue index,
    all in one query whatever the table's size. `<tab>_capped` says whether the
    cap was reached, so the page shows "1000+"."""
    qs = base_queryset(user, base_filters)
    parts, params = [], []
    for tab, state in TAB_STATES.items():
        cap = DECIDED_COUNT_CAP if tab == "decided" else OPEN_COUNT_CAP
        sql, p = qs.filter(state=state).order_by().values("id")[:cap].query.sql_with_params()
        # The SQL is Django's own compilation of the queryset; values stay in `params`.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS t_{tab})")  # noqa: S608
        params.extend(p)
    # One round trip: each tab is a LIMITed index scan, counted in a scalar subquery.
    with connections[qs.db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    counts: dict = {}
    for (tab, _state), n in zip(TAB_STATES.items(), row):
        cap = DECIDED_COUNT_CAP if tab == "decided" else OPEN_COUNT_CAP
        counts[tab] = n
        counts[f"{tab}_capped"] = n >= cap
    counts["open"] = sum(counts[t] for t in OPEN_TABS)
    return counts
