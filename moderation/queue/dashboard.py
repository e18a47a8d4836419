"""Dashboard panels for those who may see moderation: the queue per tab, the oldest waiting item,
time to removal (median and 90th percentile per channel per week) and the queue's size over time."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from moderation.charts import line_chart, render_table


def _minutes(seconds):
    return None if seconds is None else round(seconds / 60, 1)


def panels(request) -> list[dict]:
    user = request.user
    if not user.has_perm("moderation.view_item"):
        return []
    from moderation.models import Channel, Item
    from moderation.queue.rows import OPEN_TABS, tab_counts
    from moderation.queue.stats import queue_size_series, time_to_removal_stats
    from moderation.queue.views.queue import TABS

    counts = tab_counts(user, {})
    labels = dict(TABS)
    oldest = (Item.objects.visible_to(user).in_queue().filter(direction="incoming")
              .order_by("received_at").only("pk", "received_at").first())
    result = [{
        "title": _("Granskningskön"),
        "template": "moderation/panels/queue.html",
        "context": {"tabs": [{"key": t, "label": labels[t], "count": counts.get(t, 0)} for t in OPEN_TABS],
                    "open": counts.get("open", 0), "oldest": oldest,
                    "oldest_age": (timezone.now() - oldest.received_at) if oldest else None},
        "order": 10,
    }]
    channels = list(Channel.objects.visible_to(user).order_by("name"))
    if not channels:
        return result
    stats = time_to_removal_stats(channels=channels, weeks=12)
    weeks = sorted({row["week"] for row in stats})
    series: dict[str, list] = {}
    names = {c.slug: c.name for c in channels}
    for slug in sorted({row["channel"] for row in stats}):
        by_week = {row["week"]: row for row in stats if row["channel"] == slug}
        name = names.get(slug, slug)
        series[_("%(channel)s median") % {"channel": name}] = [
            _minutes(by_week[w]["median_decision"]) if w in by_week else None for w in weeks]
        series[_("%(channel)s 90:e percentil") % {"channel": name}] = [
            _minutes(by_week[w]["p90_decision"]) if w in by_week else None for w in weeks]
    removal = line_chart(
        title=_("Tid till borttagning per vecka"),
        description=_("Minuter från att ett inlägg kom in till beslut om borttagning: median och 90:e percentil per "
                      "kanal och vecka, de senaste 12 veckorna."),
        categories=weeks, series=series, y_label=_("minuter"), unit=" min", x_label=_("vecka"))
    sizes = queue_size_series(channels=channels, days=30)
    size_chart = line_chart(
        title=_("Köns storlek de senaste 30 dagarna"),
        description=_("Antal inkomna inlägg som väntade på beslut vid slutet av varje dag."),
        categories=[row["date"].strftime("%m-%d") for row in sizes],
        series={_("Väntande inlägg"): [row["size"] for row in sizes]}, y_label=_("inlägg"), x_label=_("dag"))
    platform_rows = [row for row in stats if row.get("median_platform") is not None]
    result.append({
        "title": _("Tid till borttagning"),
        "template": "moderation/panels/chart.html",
        "context": {"chart": removal, "table": render_table(removal, _("Tid till borttagning (minuter)")),
                    "empty_text": _("Inga borttagna inlägg de senaste 12 veckorna."),
                    "platform_rows": [{"channel": names.get(r["channel"], r["channel"]), "week": r["week"],
                                       "median": _minutes(r["median_platform"]), "p90": _minutes(r["p90_platform"]),
                                       "n": r["n"]} for r in platform_rows]},
        "order": 11,
    })
    result.append({
        "title": _("Köns storlek"),
        "template": "moderation/panels/chart.html",
        "context": {"chart": size_chart, "table": render_table(size_chart, _("Väntande inlägg per dag")),
                    "empty_text": _("Inga inlägg ännu.")},
        "order": 12,
    })
    return result
