"""Figures for the dashboard: time to removal ("omgående") and the queue's size over time."""

from __future__ import annotations

import datetime as dt
import statistics

from django.db.models import Count, Q
from django.utils import timezone

from moderation.models import Decision, DecisionAction, Item, PlatformAction, PlatformActionStatus


def percentile(values: list[float], p: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default), None for no values. Shared by
    the dashboard and the annual statistics (moderation/statistics)."""
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def _week(d: dt.datetime) -> str:
    y, w, _ = timezone.localtime(d).isocalendar()
    return f"{y}-V{w:02d}"


def time_to_removal_stats(*, channels, weeks: int = 12) -> list[dict]:
    """Per channel and ISO week of the removal decision: median and 90th percentile (in seconds) of
    arrival → decision and arrival → removal on the platform, and how many removals.

    Computed in Python over the bounded set (removals in the last `weeks` weeks of these channels).
    """
    since = timezone.now() - dt.timedelta(weeks=weeks)
    rows = (Decision.objects.filter(action=DecisionAction.REMOVE, created_at__gte=since, item__channel__in=channels)
            .values_list("item_id", "item__channel__slug", "created_at", "item__received_at"))
    rows = list(rows)
    done = dict(PlatformAction.objects.filter(item_id__in=[r[0] for r in rows], kind="delete",
                                              status=PlatformActionStatus.DONE).values_list("item_id", "finished_at"))
    groups: dict[tuple[str, str], dict[str, list[float]]] = {}
    for item_id, slug, decided, received in rows:
        g = groups.setdefault((slug, _week(decided)), {"d": [], "p": []})
        g["d"].append((decided - received).total_seconds())
        finished = done.get(item_id)
        if finished:
            g["p"].append((finished - received).total_seconds())
    out = []
    for (slug, week), g in sorted(groups.items()):
        out.append({
            "channel": slug, "week": week, "n": len(g["d"]),
            "median_decision": statistics.median(g["d"]) if g["d"] else None,
            "p90_decision": percentile(g["d"], 0.9),
            "median_platform": statistics.median(g["p"]) if g["p"] else None,
            "p90_platform": percentile(g["p"], 0.9),
        })
    return out


def queue_size_series(*, channels, days: int = 30) -> list[dict]:
    """The queue's size at the end of each of the last `days` days: items received by then and not
    yet decided then (one aggregate query). [{date, size}]"""
    today = timezone.localdate()
    ends = [timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=n), dt.time.max))
            for n in range(days - 1, -1, -1)]
    start = ends[0] - dt.timedelta(days=1)
    base = Item.objects.filter(channel__in=channels, direction="incoming", purged_at__isnull=True).filter(
        Q(decided_at__isnull=True) | Q(decided_at__gt=start))
    aggs = {f"d{i}": Count("id", filter=Q(received_at__lte=end) & (Q(decided_at__isnull=True) | Q(decided_at__gt=end)))
            for i, end in enumerate(ends)}
    result = base.aggregate(**aggs)
    return [{"date": end.date(), "size": result[f"d{i}"]} for i, end in enumerate(ends)]
