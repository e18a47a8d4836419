"""Public pages, no login: /konton/ (the municipality's accounts and the rules in force) and the
report form /anmal/. No cookies except the CSRF cookie the form needs; nothing from other sites.

Spam resistance without third parties: a honeypot field, a signed start time (a form sent back
faster than a person can fill it in, or after hours, is refused) and a rate limit per address
(on a salted hash of the address, never the address itself)."""

from __future__ import annotations

import logging
import time

from django.core import signing
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from accounts.errors import DomainError
from accounts.services import client_ip
from moderation.models import ReportVia
from moderation.reports.forms import PublicReportForm
from moderation.reports.services import public_report_rate_limited, public_report_submit
from moderation.viewhelpers import NO_CSRF

log = logging.getLogger("uppsikt.public")

SIGNING_SALT = "moderation.public_report.started"
MIN_FILL_SECONDS = 3
MAX_FILL_SECONDS = 4 * 3600


def started_token(at: float | None = None) -> str:
    """The signed time the form was shown (tests pass an earlier `at`)."""
    return signing.dumps(at if at is not None else time.time(), salt=SIGNING_SALT)


def _fill_seconds(token: str) -> float | None:
    try:
        started = float(signing.loads(token, salt=SIGNING_SALT, max_age=MAX_FILL_SECONDS))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return time.time() - started


def _refuse(request, form, message: str, status: int, reason: str):
    log.warning("public report refused: %s", reason)
    form.add_error(None, message)
    return render(request, "moderation/public/report_form.html",
                  {"form": form, "started": started_token()}, status=status)


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def report_form(request):
    if request.method == "GET":
        return render(request, "moderation/public/report_form.html",
                      {"form": PublicReportForm(), "started": started_token()})
    form = PublicReportForm(request.POST)
    if (request.POST.get("website") or "").strip():
        return _refuse(request, form, _("Anmälan kunde inte tas emot. Lämna fältet ”Lämna det här fältet tomt” "
                                        "tomt och försök igen."), 400, "honeypot")
    seconds = _fill_seconds(request.POST.get("started", ""))
    if seconds is None:
        return _refuse(request, form, _("Formuläret har gått ut. Fyll i det igen och skicka."), 400,
                       "bad or old timestamp")
    if seconds < MIN_FILL_SECONDS:
        return _refuse(request, form, _("Formuläret skickades för snabbt. Vänta några sekunder och skicka igen."),
                       400, "too fast")
    from moderation.reports.services import ip_hash_for

    ip = client_ip(request)
    if public_report_rate_limited(ip_hash=ip_hash_for(ip)):
        return _refuse(request, form, _("Du har skickat många anmälningar på kort tid. Vänta en stund och försök "
                                        "igen, eller mejla kommunen."), 429, "rate limited")
    if not form.is_valid():
        return render(request, "moderation/public/report_form.html",
                      {"form": form, "started": request.POST.get("started", "")}, status=400)
    data = form.cleaned_data
    try:
        public_report_submit(text=data["text"], url=data["url"], rule=data["rule"], contact=data["contact"],
                                        message=data["message"], via=ReportVia.FORM, ip=ip)
    except DomainError as exc:
        return _refuse(request, form, exc.message, 400, "domain error")
    log.info("public report received")
    return redirect("public_report_thanks")


def report_thanks(request):
    return render(request, "moderation/public/report_thanks.html", NO_CSRF)
