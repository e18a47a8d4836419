"""Fit with the municipality's main diarium (Public 360°, W3D3, Ciceron, Evolution …).

Uppsikt keeps its own diarium for what comes in and goes out on the social media accounts; the
municipality's other documents are registered in its main diarium. Two rules keep them apart:

- A number of ours must never look like one of the main diarium's: the part of a case number before
  the year (the series identifier: "KS" in "KS 2026/12", "SM-KS" in "SM-KS 2026/12") must not be one
  of the main diarium's series codes (settings.UPPSIKT_MAIN_DIARIUM_SERIES), compared without case,
  spaces or separators. A colliding series is refused when it is saved (admin, API) and reported by
  `manage.py check` when the list changes afterwards.
- The postlista says which diarium it lists, and names the main diarium and its public list.
"""

from __future__ import annotations

import re

from django.conf import settings

from records.models import Series

SAMPLE_YEAR = 2026
_SEPARATORS = re.compile(r"[\s\-/.:_]+")


def _normalise(code: str) -> str:
    return _SEPARATORS.sub("", code or "").upper()


def main_diarium_series() -> set[str]:
    """The main diarium's series codes, normalised (e.g. {"KS", "BUN"})."""
    return {_normalise(c) for c in getattr(settings, "UPPSIKT_MAIN_DIARIUM_SERIES", []) if _normalise(c)}


def number_identifier(series: Series) -> str:
    """The series identifier of the series' case numbers: what stands before the year."""
    sample = series.format_case_number(SAMPLE_YEAR, 1)
    head = sample.split(str(SAMPLE_YEAR), 1)[0]
    return _normalise(head)


def series_collision(series: Series) -> str | None:
    """A Swedish explanation when the series' numbers could be taken for the main diarium's, else None."""
    main = main_diarium_series()
    if not main:
        return None
    try:
        identifier = number_identifier(series)
    except (KeyError, IndexError, ValueError):
        return None  # the format itself is refused by Series.clean
    if identifier and identifier in main:
        sample = series.format_case_number(SAMPLE_YEAR, 12)
        system = getattr(settings, "UPPSIKT_MAIN_DIARIUM_SYSTEM", "") or "huvuddiariet"
        return (f"Numret {sample} kan förväxlas med ett nummer i kommunens huvuddiarium ({system}), som har "
                f"serien {series.code}. Ge serien ett eget prefix i nummerformatet, t.ex. "
                f"\"SM-{{series}} {{year}}/{{number}}\".")
    return None


def postlista_header() -> dict:
    """What the postlista says about the diarium it lists and the main diarium."""
    return {
        "diarium_name": settings.UPPSIKT_DIARIUM_NAME,
        "main_system": getattr(settings, "UPPSIKT_MAIN_DIARIUM_SYSTEM", ""),
        "main_url": getattr(settings, "UPPSIKT_MAIN_DIARIUM_URL", ""),
        "series": list(Series.objects.filter(active=True).order_by("code").values_list("code", "name")),
    }
