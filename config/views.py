"""Liveness and error pages. Error pages say nothing about what failed (no paths, no data)."""

import logging

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.template import loader

log = logging.getLogger("uppsikt")


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        log.exception("healthz: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _render(request, template: str, status: int) -> HttpResponse:
    try:
        body = loader.render_to_string(template, {"request_path": ""}, request=None)
    except Exception:  # noqa: BLE001 - an error page must never fail
        body = "<!doctype html><html lang='sv'><title>Fel</title><p>Ett fel uppstod.</p></html>"
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def bad_request(request, exception=None):
    return _render(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _render(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _render(request, "404.html", 404)


def server_error(request):
    return _render(request, "500.html", 500)


def csrf_failure(request, reason=""):
    return _render(request, "403_csrf.html", 403)
