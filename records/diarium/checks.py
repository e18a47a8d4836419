"""`manage.py check`: no active series may number like the main diarium (main_diarium.series_collision).

The list of the main diarium's series is configuration and may change after a series was saved, so
the check runs at start-up too (an Error: a colliding number must not be handed out)."""

from __future__ import annotations

from django.core.checks import Error, register
from django.db import DatabaseError


@register("records")
def series_do_not_collide_with_main_diarium(app_configs=None, **kwargs) -> list[Error]:
    from records.diarium.services.main_diarium import main_diarium_series, series_collision
    from records.models import Series

    if not main_diarium_series():
        return []
    try:
        series = list(Series.objects.filter(active=True))
    except DatabaseError:  # no tables yet (before the first migrate)
        return []
    return [Error(problem, obj=f"Diarieserie {s.code}", id="uppsikt.E101")
            for s in series if (problem := series_collision(s))]
