"""The annual statistics as tables, charts, CSV and PDF: one set of tables rendered three ways, so the
page, the CSV file and the PDF report always show the same numbers (and the API the same figures).

`statistics_export(*, actor, figures, fmt, request=None)` builds the CSV or PDF and records the export
in the audit log (who exported which period and filters; counts only, no personal data).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from moderation.charts import hbar_chart, line_chart, render_table


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    note: str = ""


def fmt(value) -> str:
    """A figure for people: '—' for none, a decimal comma for fractions (Swedish)."""
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:.1f}"
        return text.rstrip("0").rstrip(".").replace(".", ",") if "." in text else text
    return str(value)


def channel_label(row: dict) -> str:
    """A channel as people tell it apart: several accounts may share a name on different platforms."""
    return f"{row['name']} ({row['platform']})"


def _moderation_headers(first: str) -> list[str]:
    return [first, _("Inlägg"), _("Flaggor"), _("Beslut"), _("Borttagningar"), _("Median till borttagning (min)"),
            _("90:e percentil (min)"), _("Blockeringar"), _("Polisanmälningar")]


def _moderation_cells(row: dict) -> list[str]:
    return [fmt(row[k]) for k in ("items", "flags", "decisions", "removals", "median_minutes", "p90_minutes",
                                  "blocks", "police_reports")]


def tables(figures: dict) -> list[Table]:
    """Every table of the report, in the order of the page."""
    mod = figures["moderation"]
    result = [
        Table("channels", _("Per kanal"), _moderation_headers(_("Kanal")),
              [[channel_label(row), *_moderation_cells(row)] for row in mod["channels"]]
              + [[_("Totalt"), *_moderation_cells(mod["totals"])]]),
        Table("units", _("Per enhet"), _moderation_headers(_("Enhet")),
              [[row["name"], *_moderation_cells(row)] for row in mod["units"]]),
        Table("rules", _("Per regel"),
              [_("Regel"), _("Flaggor"), _("Beslut som anger regeln"), _("Borttagningar"),
               _("Median till borttagning (min)"), _("90:e percentil (min)")],
              [[row["title"], fmt(row["flags"]), fmt(row["decisions"]), fmt(row["removals"]),
                fmt(row["median_minutes"]), fmt(row["p90_minutes"])] for row in mod["rules"]],
              note=_("Ett beslut kan ange flera regler och räknas då under var och en.")),
    ]
    if figures.get("registrations") is not None:
        result.append(Table("registrations", _("Diarieförda handlingar per skäl"), [_("Skäl"), _("Antal")],
                            [[r["label"], fmt(r["count"])] for r in figures["registrations"]]))
    if figures.get("disclosure") is not None:
        d = figures["disclosure"]
        result.append(Table("disclosure", _("Begäran om allmän handling"), [_("Mått"), _("Antal")], [
            [_("Inkomna"), fmt(d["received"])],
            [_("Prövade"), fmt(d["handled"])],
            [_("Prövade inom tidsfristen"), fmt(d["within_deadline"])],
            [_("Andel prövade inom tidsfristen (%)"), fmt(d["share_within_deadline"])],
            [_("Ej prövade, tidsfristen passerad"), fmt(d["waiting_overdue"])],
        ]))
    if figures.get("gdpr") is not None:
        result.append(Table("gdpr", _("Begäran från registrerade (GDPR)"),
                            [_("Slag"), _("Inkomna"), _("Besvarade"), _("Besvarade inom tidsfristen")],
                            [[r["label"], fmt(r["received"]), fmt(r["answered"]), fmt(r["within_deadline"])]
                             for r in figures["gdpr"]]))
    if figures.get("purges") is not None:
        p = figures["purges"]
        result.append(Table("purges", _("Gallring"), [_("Mått"), _("Antal")], [
            [_("Verkställda gallringslistor"), fmt(p["lists_executed"])],
            [_("Gallrade objekt"), fmt(p["purged"])],
            *[[_("Gallrade: %(what)s") % {"what": t["label"]}, fmt(t["count"])] for t in p["by_type"]],
        ]))
    return result


def charts(figures: dict) -> list[dict]:
    """Server-side SVG charts (moderation/charts.py), each with its data table."""
    mod = figures["moderation"]
    period = figures["period"]["label"]
    result = []
    channels = mod["channels"]
    months = mod["months"]
    per_month = line_chart(
        title=_("Inlägg och borttagningar per månad"),
        description=_("Inkomna inlägg och borttagna inlägg per månad, %(period)s.") % {"period": period},
        categories=[m["month"] for m in months],
        series={_("Inkomna inlägg"): [m["items"] for m in months], _("Borttagningar"): [m["removals"] for m in months]},
        y_label=_("inlägg"), x_label=_("månad"))
    result.append({"title": per_month.title, "chart": per_month,
                   "table": render_table(per_month, _("Inlägg och borttagningar per månad"))})
    channel, rule, reason = _("Kanal"), _("Regel"), _("Skäl")
    specs = [
        (_("Inkomna inlägg per kanal"), _("Antal inkomna inlägg per kanal, %(period)s.") % {"period": period},
         channel, [channel_label(r) for r in channels], [r["items"] for r in channels], _("inlägg"), ""),
        (_("Borttagningar per kanal"), _("Antal borttagna inlägg per kanal, %(period)s.") % {"period": period},
         channel, [channel_label(r) for r in channels], [r["removals"] for r in channels], _("borttagningar"), ""),
        (_("Median tid till borttagning per kanal"),
         _("Minuter från att ett inlägg kom in till beslut om borttagning (median), %(period)s.") % {"period": period},
         channel, [channel_label(r) for r in channels if r["median_minutes"] is not None],
         [r["median_minutes"] for r in channels if r["median_minutes"] is not None], _("minuter"), " min"),
        (_("Borttagningar per regel"), _("Antal borttagningar som anger regeln, %(period)s.") % {"period": period},
         rule, [r["title"] for r in mod["rules"]], [r["removals"] for r in mod["rules"]], _("borttagningar"), ""),
    ]
    if figures.get("registrations") is not None:
        regs = [r for r in figures["registrations"] if r["count"]]
        specs.append((_("Diarieförda handlingar per skäl"),
                      _("Antal diarieförda handlingar per skäl, %(period)s.") % {"period": period},
                      reason, [r["label"] for r in regs], [r["count"] for r in regs], _("handlingar"), ""))
    for title, description, category, categories, values, x_label, unit in specs:
        chart = hbar_chart(title=title, description=description, categories=categories, values=values,
                           x_label=x_label, unit=unit, category_label=category)
        result.append({"title": title, "chart": chart, "table": render_table(chart, title)})
    return result


def _filter_lines(figures: dict, channel_name: str | None, unit_name: str | None) -> list[tuple[str, str]]:
    p = figures["period"]
    return [
        (_("Period"), f"{p['label']} ({p['start'].isoformat()} – {p['end'].isoformat()})"),
        (_("Kanal"), channel_name or _("Alla kanaler")),
        (_("Enhet"), unit_name or _("Alla enheter")),
        (_("Framtagen"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]


def render_csv(figures: dict, *, channel_name: str | None = None, unit_name: str | None = None) -> str:
    """Semicolon-separated (Swedish spreadsheets), one block per table, a blank line between."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Statistik"), figures["period"]["label"]])
    for key, value in _filter_lines(figures, channel_name, unit_name)[1:]:
        writer.writerow([key, value])
    for table in tables(figures):
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows(table.rows)
    return buffer.getvalue()


def render_pdf(figures: dict, *, channel_name: str | None = None, unit_name: str | None = None) -> bytes:
    from records.pdf import ReportSection, render_report_pdf

    organisation = settings.UPPSIKT_ORGANISATION_NAME
    sections = []
    for t in tables(figures):
        # A4 portrait holds a name and four figures legibly: wider tables are split in two, the
        # name column repeated (the same cells as the page and the CSV).
        parts = [range(1, len(t.headers))] if len(t.headers) <= 6 else [range(1, 5), range(5, len(t.headers))]
        for n, cols in enumerate(parts):
            heading = t.title if n == 0 else _("%(title)s (forts.)") % {"title": t.title}
            widths = [38.0, *[132.0 / len(cols)] * len(cols)]
            sections.append(ReportSection(
                heading=heading, paragraphs=[t.note] if t.note and n == 0 else (),
                columns=[t.headers[0], *[t.headers[i] for i in cols]],
                rows=[[row[0], *[row[i] for i in cols]] for row in t.rows], widths=widths))
    return render_report_pdf(
        title=_("Statistik för årsredovisningen: %(period)s") % {"period": figures["period"]["label"]},
        organisation=organisation, meta=_filter_lines(figures, channel_name, unit_name), sections=sections,
        created=timezone.localdate())


def statistics_export(*, actor, figures: dict, fmt: str, channel_name: str | None = None,
                      unit_name: str | None = None, request=None) -> str | bytes:
    """The statistics as CSV text or PDF bytes; guarantees the export is written to the audit log
    (period and filters only: counts carry no personal data)."""
    if fmt not in ("csv", "pdf"):
        raise ValueError(fmt)
    data = (render_csv(figures, channel_name=channel_name, unit_name=unit_name) if fmt == "csv"
            else render_pdf(figures, channel_name=channel_name, unit_name=unit_name))
    audit_record(actor=actor, action=AuditAction.EXPORT, target=None, request=request,
                 detail={"event": "statistics_export", "format": fmt, "period": figures["period"]["slug"],
                         **{k: v for k, v in figures["filters"].items() if v}})
    return data
