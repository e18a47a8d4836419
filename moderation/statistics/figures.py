"""The year in numbers (issue 13.7): the figures of the annual report for one year or quarter.

`statistics_for()` returns one plain dict (the page, the CSV, the PDF and the API all render it):

- moderation, per channel, per unit and per rule: incoming items, flags, decisions, removals, the
  median and 90th percentile of the time from arrival to removal (minutes), blocks and police reports;
- records, for the whole municipality and only for those whose role may read them: registrations by
  reason, requests for public documents handled (reviewed) within their deadline, GDPR requests by
  kind, purges.

What it guarantees: a fixed number of queries whatever the number of rows (each figure is one
aggregate grouped in the database; the durations behind a median are one `values_list` each,
computed in Python so that SQLite and PostgreSQL give the same answer); moderators see only the
channels of their own units (`Channel.objects.visible_to`); only counts leave this module, never an
item's text or an author.
"""

from __future__ import annotations

import datetime as dt
import statistics as pystats
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation.queue.stats import percentile


class StatisticsError(ValueError):
    """A filter value that cannot be used (a year out of range, a quarter other than 1–4)."""


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None
    start: dt.datetime  # inclusive, aware (local midnight)
    end: dt.datetime  # exclusive

    @property
    def label(self) -> str:
        if self.quarter:
            return _("Kvartal %(q)s %(year)s") % {"q": self.quarter, "year": self.year}
        return _("År %(year)s") % {"year": self.year}

    @property
    def slug(self) -> str:
        return f"{self.year}-k{self.quarter}" if self.quarter else str(self.year)


def period_for(year: int, quarter: int | None = None) -> Period:
    """The local-time bounds of a year or one of its quarters."""
    if not 2000 <= year <= 2100:
        raise StatisticsError(_("Året måste vara mellan 2000 och 2100."))
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise StatisticsError(_("Kvartalet måste vara 1, 2, 3 eller 4."))
    first_month = 1 if quarter is None else 3 * quarter - 2
    start = dt.datetime(year, first_month, 1)
    if quarter is None or quarter == 4:
        end = dt.datetime(year + 1, 1, 1)
    else:
        end = dt.datetime(year, first_month + 3, 1)
    return Period(year=year, quarter=quarter, start=timezone.make_aware(start), end=timezone.make_aware(end))


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _durations(values: list[float]) -> dict:
    return {"median_minutes": _minutes(pystats.median(values)) if values else None,
            "p90_minutes": _minutes(percentile(values, 0.9))}


def _row(counts: dict, durations: list[float]) -> dict:
    return {"items": counts.get("items", 0), "flags": counts.get("flags", 0),
            "decisions": counts.get("decisions", 0), "removals": len(durations), **_durations(durations),
            "blocks": counts.get("blocks", 0), "police_reports": counts.get("police_reports", 0)}


def _within(field: str, lo, hi) -> Q:
    return Q(**{f"{field}__gte": lo, f"{field}__lt": hi})


def moderation_figures(*, channels: list, period: Period) -> dict:
    """Per channel, unit and rule over the given channels (already limited to what the user may see).
    Seven queries."""
    from moderation.models import Decision, DecisionAction, DecisionRule, Flag, Item, Rule, Sanction, SanctionKind

    ids = [c.pk for c in channels]
    lo, hi = period.start, period.end
    per_channel: dict[int, dict] = defaultdict(dict)
    for row in (Item.objects.filter(channel_id__in=ids, direction="incoming").filter(_within("received_at", lo, hi))
                .values("channel_id").annotate(n=Count("id")).order_by()):
        per_channel[row["channel_id"]]["items"] = row["n"]
    for row in (Flag.objects.filter(item__channel_id__in=ids).filter(_within("created_at", lo, hi))
                .values("item__channel_id").annotate(n=Count("id")).order_by()):
        per_channel[row["item__channel_id"]]["flags"] = row["n"]
    for row in (Decision.objects.filter(item__channel_id__in=ids).filter(_within("created_at", lo, hi))
                .values("item__channel_id").annotate(n=Count("id")).order_by()):
        per_channel[row["item__channel_id"]]["decisions"] = row["n"]
    effective_block = Q(kind=SanctionKind.BLOCK) & (Q(proposed=False) | Q(confirmed_at__isnull=False))
    for row in (Sanction.objects.filter(channel_id__in=ids).filter(_within("created_at", lo, hi))
                .values("channel_id")
                .annotate(blocks=Count("id", filter=effective_block),
                          police=Count("id", filter=Q(kind=SanctionKind.POLICE_REPORT))).order_by()):
        per_channel[row["channel_id"]]["blocks"] = row["blocks"]
        per_channel[row["channel_id"]]["police_reports"] = row["police"]
    # Time to removal: arrival → the first removal decision (Item.first_removed_at), one query.
    removal_seconds: dict[int, list[float]] = defaultdict(list)
    for channel_id, received, removed in (Item.objects.filter(channel_id__in=ids)
                                          .filter(_within("first_removed_at", lo, hi))
                                          .values_list("channel_id", "received_at", "first_removed_at")):
        removal_seconds[channel_id].append(max(0.0, (removed - received).total_seconds()))

    channel_rows, unit_acc = [], {}
    for c in channels:
        counts = per_channel.get(c.pk, {})
        channel_rows.append({"slug": c.slug, "name": c.name, "platform": c.get_platform_display(),
                             "unit": c.unit.code, "unit_name": c.unit.name,
                             **_row(counts, removal_seconds.get(c.pk, []))})
        acc = unit_acc.setdefault(c.unit.code, {"code": c.unit.code, "name": c.unit.name, "counts": defaultdict(int),
                                                "seconds": []})
        for key, value in counts.items():
            acc["counts"][key] += value
        acc["seconds"].extend(removal_seconds.get(c.pk, []))
    unit_rows = [{"code": a["code"], "name": a["name"], **_row(a["counts"], a["seconds"])}
                 for a in sorted(unit_acc.values(), key=lambda a: a["name"])]
    all_counts: dict[str, int] = defaultdict(int)
    for counts in per_channel.values():
        for key, value in counts.items():
            all_counts[key] += value
    totals = _row(all_counts, [s for values in removal_seconds.values() for s in values])

    # Per rule: flags (by the flag's rule); decisions and removals citing the rule, and the time to
    # removal of the removals citing it (one query each).
    per_rule: dict[int, dict] = defaultdict(lambda: {"flags": 0, "decisions": 0, "seconds": []})
    for row in (Flag.objects.filter(item__channel_id__in=ids, rule__isnull=False).filter(_within("created_at", lo, hi))
                .values("rule_id").annotate(n=Count("id")).order_by()):
        per_rule[row["rule_id"]]["flags"] = row["n"]
    cited = DecisionRule.objects.filter(decision__item__channel_id__in=ids).filter(
        _within("decision__created_at", lo, hi))
    for row in cited.values("rule_id").annotate(n=Count("decision_id", distinct=True)).order_by():
        per_rule[row["rule_id"]]["decisions"] = row["n"]
    for rule_id, received, decided in (cited.filter(decision__action=DecisionAction.REMOVE)
                                       .values_list("rule_id", "decision__item__received_at",
                                                    "decision__created_at")):
        per_rule[rule_id]["seconds"].append(max(0.0, (decided - received).total_seconds()))
    rule_rows = []
    for rule in Rule.objects.filter(pk__in=list(per_rule)).order_by("order", "code"):
        acc = per_rule[rule.pk]
        rule_rows.append({"code": rule.code, "title": rule.title_sv, "flags": acc["flags"],
                          "decisions": acc["decisions"], "removals": len(acc["seconds"]),
                          **_durations(acc["seconds"])})
    return {"totals": totals, "channels": channel_rows, "units": unit_rows, "rules": rule_rows,
            "months": _months(ids, period)}


def _months(channel_ids: list[int], period: Period) -> list[dict]:
    """Incoming items and removals per month of the period, local time (two grouped queries)."""
    from django.db.models.functions import TruncMonth

    from moderation.models import Item

    tz = timezone.get_current_timezone()
    items = {timezone.localtime(m, tz).strftime("%Y-%m") if isinstance(m, dt.datetime) else m.strftime("%Y-%m"): n
             for m, n in Item.objects.filter(channel_id__in=channel_ids, direction="incoming")
             .filter(_within("received_at", period.start, period.end))
             .annotate(m=TruncMonth("received_at", tzinfo=tz)).values("m").annotate(n=Count("id")).order_by()
             .values_list("m", "n")}
    removals = {timezone.localtime(m, tz).strftime("%Y-%m") if isinstance(m, dt.datetime) else m.strftime("%Y-%m"): n
                for m, n in Item.objects.filter(channel_id__in=channel_ids)
                .filter(_within("first_removed_at", period.start, period.end))
                .annotate(m=TruncMonth("first_removed_at", tzinfo=tz)).values("m").annotate(n=Count("id")).order_by()
                .values_list("m", "n")}
    first = 1 if period.quarter is None else 3 * period.quarter - 2
    last = 12 if period.quarter is None else first + 2
    keys = [f"{period.year}-{month:02d}" for month in range(first, last + 1)]
    return [{"month": key, "items": items.get(key, 0), "removals": removals.get(key, 0)} for key in keys]


def registrations_by_reason(period: Period) -> list[dict]:
    from records.models import Document, RegistrationReason

    counts = dict(Document.objects.filter(voided=False).filter(_within("registered_at", period.start, period.end))
                  .values("reason").annotate(n=Count("id")).order_by().values_list("reason", "n"))
    return [{"reason": value, "label": str(label), "count": counts.get(value, 0)}
            for value, label in RegistrationReason.choices]


def disclosure_figures(period: Period) -> dict:
    """Requests for public documents that came in during the period: how many, how many have been
    reviewed (prövade), how many of those within their deadline, and how many still wait past it."""
    from records.disclosure.models import DisclosureRequest

    now = timezone.now()
    result = DisclosureRequest.objects.filter(_within("received_at", period.start, period.end)).aggregate(
        received=Count("id"),
        handled=Count("id", filter=Q(decided_at__isnull=False)),
        within_deadline=Count("id", filter=Q(decided_at__isnull=False, deadline_at__isnull=False,
                                             decided_at__lte=F("deadline_at"))),
        waiting_overdue=Count("id", filter=Q(decided_at__isnull=True, deadline_at__lt=now)),
    )
    result["share_within_deadline"] = (round(100 * result["within_deadline"] / result["handled"], 1)
                                       if result["handled"] else None)
    return result


def gdpr_figures(period: Period) -> list[dict]:
    from records.gdpr.models import SubjectRequest, SubjectRequestKind

    rows = {r["kind"]: r for r in SubjectRequest.objects.filter(_within("received_at", period.start, period.end))
            .values("kind").annotate(received=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False)),
                                     within_deadline=Count("id", filter=Q(answered_at__isnull=False,
                                                                          deadline__isnull=False,
                                                                          answered_at__date__lte=F("deadline"))))
            .order_by()}
    return [{"kind": value, "label": str(label), "received": rows.get(value, {}).get("received", 0),
             "answered": rows.get(value, {}).get("answered", 0),
             "within_deadline": rows.get(value, {}).get("within_deadline", 0)}
            for value, label in SubjectRequestKind.choices]


def purge_figures(period: Period) -> dict:
    from records.retention.models import PurgeLine, PurgeLineStatus, PurgeList, PurgeListStatus

    lists = PurgeList.objects.filter(status=PurgeListStatus.EXECUTED).filter(
        _within("executed_at", period.start, period.end)).count()
    by_type = list(PurgeLine.objects.filter(status=PurgeLineStatus.DONE).filter(
        _within("executed_at", period.start, period.end)).values("target_type").annotate(n=Count("id"))
        .order_by("target_type").values_list("target_type", "n"))
    return {"lists_executed": lists, "purged": sum(n for _t, n in by_type),
            "by_type": [{"target_type": t, "label": _target_label(t), "count": n} for t, n in by_type]}


def _target_label(target_type: str) -> str:
    """The retention target's Swedish label (the plan's own kinds and those moderation registers),
    never the internal type code."""
    from records import registry
    from records.retention.services.targets import builtin_targets

    labels = {t.type: t.label for t in builtin_targets()}
    try:
        return labels.get(target_type) or registry.retention_target(target_type).label
    except LookupError:
        return _("Övrigt")


def visible_channels(user, *, channel: str | None = None, unit: str | None = None) -> list:
    from moderation.models import Channel

    qs = Channel.objects.visible_to(user).select_related("unit").order_by("unit__name", "name")
    if unit:
        qs = qs.filter(unit__code=unit)
    if channel:
        qs = qs.filter(slug=channel)
    return list(qs)


def sections_for(user) -> dict[str, bool]:
    """Which records sections this user's roles may read (the moderation figures need view_statistics)."""
    return {
        "registrations": user.has_perm("records.view_document"),
        "disclosure": user.has_perm("records.view_disclosurerequest"),
        "gdpr": user.has_perm("records.view_subjectrequest"),
        "purges": user.has_perm("records.view_purgelist"),
    }


def statistics_for(*, user, year: int, quarter: int | None = None, channel: str | None = None,
                   unit: str | None = None) -> dict:
    """All figures of one period for this user (records sections None where the role may not read them)."""
    period = period_for(year, quarter)
    channels = visible_channels(user, channel=channel, unit=unit)
    allowed = sections_for(user)
    return {
        "period": {"year": period.year, "quarter": period.quarter, "label": period.label, "slug": period.slug,
                   "start": period.start.date(), "end": (period.end - dt.timedelta(days=1)).date()},
        "filters": {"channel": channel or None, "unit": unit or None},
        "moderation": moderation_figures(channels=channels, period=period),
        "registrations": registrations_by_reason(period) if allowed["registrations"] else None,
        "disclosure": disclosure_figures(period) if allowed["disclosure"] else None,
        "gdpr": gdpr_figures(period) if allowed["gdpr"] else None,
        "purges": purge_figures(period) if allowed["purges"] else None,
    }
