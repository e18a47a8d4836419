"""Server-side inline SVG charts (no JavaScript, nothing from other sites).

Each chart is an <svg role="img"> with <title> and <desc>, axes with labels, series told apart by
line style and marker shape as well as colour (no colour-only meaning), and a data table to go with
it (`Chart.table`), which the templates show in a <details> element for screen readers and anyone
who wants the numbers.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 56
COLOURS = ("#0b4f8a", "#a4161a", "#0a6e4f", "#8a4b00", "#5c2d91", "#1b1f24")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square")
_ids = itertools.count(1)


@dataclass
class Chart:
    svg: SafeString
    headers: list[str]
    rows: list[list[str]]
    title: str
    summary: str = ""
    empty: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def table(self) -> dict:
        return {"headers": self.headers, "rows": self.rows}


def _nice_max(value: float) -> float:
    """The smallest 'round' number (1, 2, 2.5, 4, 5 × 10^k) at or above value."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 4, 5, 10):
        if value <= factor * magnitude:
            return float(factor * magnitude)
    return float(10 * magnitude)


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return f"{text}{unit}"


def _marker(kind: str, x: float, y: float, colour: str, label: str) -> str:
    tip = f"<title>{escape(label)}</title>"
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}">{tip}</rect>'
    if kind == "triangle":
        return (f'<polygon points="{x:.1f},{y - 4.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f}" '
                f'fill="{colour}">{tip}</polygon>')
    if kind == "diamond":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}" '
                f'fill="{colour}">{tip}</polygon>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">{tip}</circle>'


def line_chart(*, title: str, description: str, categories: list[str], series: dict[str, list[float | None]],
               y_label: str, unit: str = "", x_label: str = "") -> Chart:
    """A line chart over shared categories (weeks, days). Missing values (None) break the line."""
    chart_id = next(_ids)
    values = [v for points in series.values() for v in points if v is not None]
    headers = [x_label or "", *series.keys()]
    rows = [[cat, *[_fmt(points[i] if i < len(points) else None, unit) for points in series.values()]]
            for i, cat in enumerate(categories)]
    if not categories or not values:
        return Chart(svg=mark_safe(""), headers=headers, rows=rows, title=title, empty=True)
    top = _nice_max(max(values))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(categories)

    def x_at(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / n)

    def y_at(v: float) -> float:
        return TOP + plot_h - (plot_h * v / top)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT + 18 * ((len(series) + 2) // 3)}" role="img" '
        f'aria-labelledby="chart{chart_id}-title chart{chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart{chart_id}-title">{escape(title)}</title>',
        f'<desc id="chart{chart_id}-desc">{escape(description)}</desc>',
    ]
    # Grid and y axis.
    for step in range(5):
        v = top * step / 4
        y = y_at(v)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#d0d7de" />')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(_fmt(v))}</text>')
    parts.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#4a5560" />')
    parts.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#4a5560" />')
    parts.append(f'<text x="14" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" '
                 f'transform="rotate(-90 14 {TOP + plot_h / 2:.1f})">{escape(y_label)}</text>')
    # X labels: at most ~8 so they stay legible.
    every = max(1, (n + 7) // 8)
    for i, cat in enumerate(categories):
        if i % every == 0 or i == n - 1:
            parts.append(f'<text x="{x_at(i):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{escape(cat)}</text>')
    if x_label:
        parts.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h + 34}" text-anchor="middle">'
                     f'{escape(x_label)}</text>')
    # Series.
    legend_y = HEIGHT + 4
    for index, (name, points) in enumerate(series.items()):
        colour, dash, marker = (COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)],
                                MARKERS[index % len(MARKERS)])
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, v in enumerate(points[:n]):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x_at(i):.1f},{y_at(v):.1f}")
            parts.append(_marker(marker, x_at(i), y_at(v), colour, f"{name}, {categories[i]}: {_fmt(v, unit)}"))
        if segment:
            segments.append(segment)
        for seg in segments:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash_attr} '
                         f'points="{" ".join(seg)}" />')
        lx = LEFT + (index % 3) * 200
        ly = legend_y + (index // 3) * 18
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="{lx}" y1="{ly}" x2="{lx + 24}" y2="{ly}" stroke="{colour}" stroke-width="2"'
                     f'{dash_attr} />')
        parts.append(_marker(marker, lx + 12, ly, colour, name))
        parts.append(f'<text x="{lx + 30}" y="{ly + 4}">{escape(name)}</text>')
    parts.append("</svg>")
    return Chart(svg=mark_safe("".join(parts)), headers=headers, rows=rows, title=title)


def bar_chart(*, title: str, description: str, categories: list[str], values: list[float], y_label: str,
              unit: str = "", x_label: str = "") -> Chart:
    """A single-series bar chart (e.g. the queue's size per day)."""
    chart_id = next(_ids)
    headers = [x_label or "", y_label]
    rows = [[cat, _fmt(values[i], unit)] for i, cat in enumerate(categories)]
    if not categories:
        return Chart(svg=mark_safe(""), headers=headers, rows=rows, title=title, empty=True)
    top = _nice_max(max(values) if values else 0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(categories)
    slot = plot_w / n
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart{chart_id}-title chart{chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart{chart_id}-title">{escape(title)}</title>',
        f'<desc id="chart{chart_id}-desc">{escape(description)}</desc>',
    ]
    for step in range(5):
        v = top * step / 4
        y = TOP + plot_h - plot_h * v / top
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#d0d7de" />')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(_fmt(v))}</text>')
    for i, (cat, v) in enumerate(zip(categories, values, strict=False)):
        h = plot_h * (v or 0) / top
        x = LEFT + i * slot + slot * 0.15
        parts.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                     f'fill="{COLOURS[0]}"><title>{escape(cat)}: {escape(_fmt(v, unit))}</title></rect>')
    every = max(1, (n + 7) // 8)
    for i, cat in enumerate(categories):
        if i % every == 0 or i == n - 1:
            parts.append(f'<text x="{LEFT + (i + 0.5) * slot:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">'
                         f'{escape(cat)}</text>')
    parts.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#4a5560" />')
    parts.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#4a5560" />')
    parts.append(f'<text x="14" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" '
                 f'transform="rotate(-90 14 {TOP + plot_h / 2:.1f})">{escape(y_label)}</text>')
    if x_label:
        parts.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h + 34}" text-anchor="middle">'
                     f'{escape(x_label)}</text>')
    parts.append("</svg>")
    return Chart(svg=mark_safe("".join(parts)), headers=headers, rows=rows, title=title)


def render_table(chart: Chart, caption: str) -> SafeString:
    """The chart's data as an HTML table (used inside <details>)."""
    head = "".join(format_html('<th scope="col">{}</th>', h) for h in chart.headers)
    body = "".join(
        "<tr>" + format_html('<th scope="row">{}</th>', row[0])
        + "".join(format_html("<td>{}</td>", c) for c in row[1:])
        + "</tr>" for row in chart.rows
    )
    return format_html('<table><caption>{}</caption><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
                       caption, mark_safe(head), mark_safe(body))


def hbar_chart(*, title: str, description: str, categories: list[str], values: list[float], x_label: str,
               unit: str = "", category_label: str = "") -> Chart:
    """A single-series horizontal bar chart: one row per category (channel, rule, reason), its name on
    the left (shortened when long; the full name is in the bar's <title> and the data table) and the
    value at the end of the bar. Suits long names, which a vertical chart's axis cannot hold."""
    chart_id = next(_ids)
    headers = [category_label or "", x_label]
    rows = [[cat, _fmt(values[i], unit)] for i, cat in enumerate(categories)]
    if not categories:
        return Chart(svg=mark_safe(""), headers=headers, rows=rows, title=title, empty=True)
    label_w, bar_h, gap, top_pad = 210, 18, 8, 8
    plot_w = WIDTH - label_w - RIGHT - 48
    height = top_pad + len(categories) * (bar_h + gap) + 34
    top = _nice_max(max(values) if values else 0)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="chart{chart_id}-title chart{chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart{chart_id}-title">{escape(title)}</title>',
        f'<desc id="chart{chart_id}-desc">{escape(description)}</desc>',
    ]
    axis_y = top_pad + len(categories) * (bar_h + gap)
    for step in range(5):
        v = top * step / 4
        x = label_w + plot_w * v / top
        parts.append(f'<line x1="{x:.1f}" y1="{top_pad - 4}" x2="{x:.1f}" y2="{axis_y}" stroke="#d0d7de" />')
        parts.append(f'<text x="{x:.1f}" y="{axis_y + 14}" text-anchor="middle">{escape(_fmt(v))}</text>')
    for i, (cat, v) in enumerate(zip(categories, values, strict=False)):
        y = top_pad + i * (bar_h + gap)
        short = cat if len(cat) <= 32 else cat[:31] + "…"
        w = plot_w * (v or 0) / top
        parts.append(f'<text x="{label_w - 8}" y="{y + bar_h * 0.72:.1f}" text-anchor="end">{escape(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{COLOURS[0]}">'
                     f'<title>{escape(cat)}: {escape(_fmt(v, unit))}</title></rect>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h * 0.72:.1f}">{escape(_fmt(v, unit))}</text>')
    parts.append(f'<line x1="{label_w}" y1="{top_pad - 4}" x2="{label_w}" y2="{axis_y}" stroke="#4a5560" />')
    parts.append(f'<text x="{label_w + plot_w / 2:.1f}" y="{axis_y + 30}" text-anchor="middle">'
                 f'{escape(x_label)}</text>')
    parts.append("</svg>")
    return Chart(svg=mark_safe("".join(parts)), headers=headers, rows=rows, title=title)
