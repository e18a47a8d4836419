"""The statistics page for the annual report, and its CSV and PDF exports (issue 13.7)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.permissions import staff_required
from moderation.statistics.figures import statistics_for, visible_channels
from moderation.statistics.forms import StatisticsFilterForm
from moderation.statistics.reports import charts, statistics_export, tables


def _form(request) -> StatisticsFilterForm:
    return StatisticsFilterForm(request.GET, channels=visible_channels(request.user))


def _figures(request, form: StatisticsFilterForm) -> dict:
    data = form.cleaned_data
    return statistics_for(user=request.user, year=data["year"], quarter=data["quarter"],
                          channel=data["channel"] or None, unit=data["unit"] or None)


@require_safe
@staff_required("moderation.view_statistics")
def statistics_page(request):
    form = _form(request)
    context = {"form": form, "figures": None}
    if form.is_valid():
        figures = _figures(request, form)
        context.update(figures=figures, tables=tables(figures), charts=charts(figures),
                       query=request.GET.urlencode())
    return render(request, "moderation/statistics/page.html", context, status=200 if form.is_valid() else 400)


def _export(request, fmt: str):
    form = _form(request)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
    figures = _figures(request, form)
    channel_name, unit_name = form.names()
    data = statistics_export(actor=request.user, figures=figures, fmt=fmt, channel_name=channel_name,
                             unit_name=unit_name, request=request)
    name = f"statistik-{figures['period']['slug']}"
    if fmt == "csv":
        response = HttpResponse("\ufeff" + data, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_safe
@staff_required("moderation.view_statistics")
def statistics_csv(request):
    return _export(request, "csv")


@require_safe
@staff_required("moderation.view_statistics")
def statistics_pdf(request):
    return _export(request, "pdf")
