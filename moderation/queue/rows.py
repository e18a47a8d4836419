"""The review queue's read model: the page's rows and the tab counts, each in a fixed number of
queries whatever the page size or the table's size.

Tabs: new (nya/inkommande), in_review, held (dolda i väntan på granskning), escalated, reopened,
decided. Sorting: priority, then arrival (served by moderation_item_queue_idx: state, priority,
received_at); the decided tab shows the latest decisions first.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Prefetch, QuerySet
from django.utils.datastructures import MultiValueDict

from moderation.channels.models import sees_all_channels
from moderation.models import Flag, Item, ItemState
from moderation.queue.filters import ItemFilter
from moderation.queue.secrecy import items_load_secrecy

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
# With filters, up to this many matching rows are read once and counted per tab (see tab_counts).
FILTERED_SCAN_CAP = 5 * OPEN_COUNT_CAP + DECIDED_COUNT_CAP
# Columns a queue row never shows: large (the raw payload, the normalised search copy) or secret
# (a channel's encrypted credentials). Loading them would cost more than the rest of the row.
ROW_DEFERRED = ("raw", "search_text", "links", "attachments", "channel__description",
                "channel__encrypted_app_secret", "channel__encrypted_access_token",
                "channel__encrypted_verify_token", "channel__encrypted_refresh_token",
                "channel__encrypted_client_secret", "channel__poll_state", "author__staff_notes")
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


def _filter_data(params, exclude) -> MultiValueDict:
    data = _params(params)
    for key in exclude:
        data.pop(key, None)
    return data


def _has_filters(data: MultiValueDict) -> bool:
    return any(v not in ("", None) for values in data.lists() for v in values[1])


def base_queryset(user, params=None, *, exclude=_TAB_PARAMS, channel_ids=None) -> QuerySet:
    """Items the user may see (own units for moderators), not purged, filtered by ItemFilter.
    Values the filter cannot read are ignored (the form shows their errors).

    `channel_ids`: the ids of `Channel.objects.visible_to(user)` when the caller has read them
    already (the queue page lists them for its filter form). The scope is then a plain
    `channel_id IN (…)` the planner can combine with any index, instead of a join on the channel's
    unit."""
    data = _filter_data(params, exclude)
    if channel_ids is None or sees_all_channels(user):
        qs = Item.objects.visible_to(user)
    else:
        qs = Item.objects.filter(channel_id__in=list(channel_ids))
    qs = qs.filter(purged_at__isnull=True)
    if _has_filters(data):
        qs = ItemFilter(data, queryset=qs, user=user).qs
    return qs


def open_flags_prefetch() -> Prefetch:
    return Prefetch("flags", queryset=Flag.objects.filter(resolved_at__isnull=True)
                    .select_related("rule", "detector").order_by("created_at", "id"), to_attr="open_flags")


def queue_queryset(user, params=None, *, prefetch: bool = True, channel_ids=None) -> QuerySet:
    """The queue's rows for a tab (`params["tab"]`, default "new"; or `state=` for any state) and the
    filters in `params`. With `prefetch` the rows carry channel, unit, author and claimant
    (select_related) and their open flags with rule and detector (`item.open_flags`): a page costs
    the same few queries for 10 or 100 rows. `channel_ids`: see base_queryset."""
    p = _params(params)
    tab = p.get("tab") or ("" if p.get("state") else "new")
    exclude = _TAB_PARAMS if tab else tuple(x for x in _TAB_PARAMS if x != "state")
    qs = base_queryset(user, p, exclude=exclude, channel_ids=channel_ids)
    if tab in TAB_STATES:
        qs = qs.filter(state=TAB_STATES[tab])
    if tab == "decided":
        qs = qs.order_by("-decided_at", "-id")
    else:
        qs = qs.order_by("priority", "received_at", "id")
    if prefetch:
        qs = with_row_data(qs)
    return qs


def with_row_data(qs: QuerySet) -> QuerySet:
    """What a queue row shows: channel, unit, author, claimant and open flags (with rule and
    detector), without the columns a row never shows."""
    return (qs.select_related("channel", "channel__unit", "author", "claimed_by")
            .defer(*ROW_DEFERRED).prefetch_related(open_flags_prefetch()))


def page_rows(page_ids: QuerySet, ordering) -> list[Item]:
    """The rows of one page, given the page's ids as a sliced `values_list("pk")` queryset of the
    queue (a subquery: still one query). Finding a page's ids first lets PostgreSQL sort and filter
    on narrow index entries (moderation_item_scope_idx) and read whole rows only for the page."""
    rows = list(with_row_data(Item.objects.filter(pk__in=page_ids)).order_by(*ordering))
    # Secrecy marked on documents registered from these items or their accounts: two queries for the
    # page, whatever its size. A row masks secret text and secret senders for everyone; they are
    # opened on the item page, where each view is audited.
    return items_load_secrecy(rows)


# Filters whose matching rows no index of the tab finds cheaply (joins on flags, full-text): their
# tab counts read the matches once (see tab_counts).
COSTLY_FILTERS = ("q", "rule", "source")


def _cap(tab: str) -> int:
    return DECIDED_COUNT_CAP if tab == "decided" else OPEN_COUNT_CAP


def tab_counts(user, base_filters=None, *, channel_ids=None) -> dict:
    """{tab: count} for every tab under the same filters, each capped (`<tab>_capped` says the cap
    was reached, so the page shows "1000+"), in ONE query whatever the table's size.

    Without filters each tab is a LIMITed scan of the queue index, counted in a scalar subquery.
    With a costly filter (a rule, a flag source, a search) the matching rows are usually few but costly to
    find (a join on the flags, a full-text index scan): they are found once, up to
    FILTERED_SCAN_CAP rows, and counted per state; only if more match than that do the per-tab
    capped scans run instead (PostgreSQL evaluates the CASE's other branch's subqueries only
    when it is taken)."""
    qs = base_queryset(user, base_filters, channel_ids=channel_ids)
    data = _filter_data(base_filters, _TAB_PARAMS)
    filtered = _has_filters(MultiValueDict({k: data.getlist(k) for k in COSTLY_FILTERS if k in data}))
    capped_parts, params = [], []
    try:
        qs.order_by().values("id").query.sql_with_params()
    except EmptyResultSet:  # a moderator whose units own no channel: nothing to count, no query
        counts = {key: value for tab in TAB_STATES for key, value in ((tab, 0), (f"{tab}_capped", False))}
        return {**counts, "open": 0}
    for tab, state in TAB_STATES.items():
        sql, p = qs.filter(state=state).order_by().values("id")[:_cap(tab)].query.sql_with_params()
        # The SQL is Django's own compilation of the queryset; values stay in `params`.
        capped_parts.append((f"(SELECT COUNT(*) FROM ({sql}) AS t_{tab})", p))  # noqa: S608
    if not filtered:
        select = "SELECT " + ", ".join(part for part, _p in capped_parts)
        for _part, p in capped_parts:
            params.extend(p)
    else:
        sums = []
        for state in TAB_STATES.values():
            sums.append("SUM(CASE WHEN f.state = %s THEN 1 ELSE 0 END)")
            params.append(str(state))
        sql, p = qs.order_by().values("state")[:FILTERED_SCAN_CAP + 1].query.sql_with_params()
        params.extend(p)
        columns = []
        for tab, (part, p) in zip(TAB_STATES, capped_parts):
            columns.append(f"CASE WHEN c.total <= {FILTERED_SCAN_CAP:d} THEN c.n_{tab} ELSE {part} END")
            params.extend(p)
        select = ("WITH c AS (SELECT COUNT(*) AS total, "  # noqa: S608 - Django's SQL, values in params
                  + ", ".join(f"{expr} AS n_{tab}" for expr, tab in zip(sums, TAB_STATES))
                  + f" FROM ({sql}) AS f) SELECT " + ", ".join(columns) + " FROM c")
    with connections[qs.db].cursor() as cursor:
        cursor.execute(select, params)
        row = cursor.fetchone()
    counts: dict = {}
    for tab, n in zip(TAB_STATES, row):
        n = min(int(n or 0), _cap(tab))
        counts[tab] = n
        counts[f"{tab}_capped"] = n >= _cap(tab)
    counts["open"] = sum(counts[t] for t in OPEN_TABS)
    return counts
