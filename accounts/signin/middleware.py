from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.signin.twofactor import needs_second_factor

# Reachable before the second factor: enrolment itself, signing out, language, probes, static files.
_EXEMPT = ("/konto/tvastegsverifiering/", "/konto/logga-ut/", "/konto/logga-in/", "/i18n/", "/static/",
           "/healthz", "/readyz", "/metrics")


class TwoFactorRequiredMiddleware:
    """With UPPSIKT_REQUIRE_2FA a local session is usable only after a code: users are sent to
    enrolment (or to give the code), the API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(_EXEMPT) or not needs_second_factor(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Tvåstegsverifiering krävs: logga in med kod först.")}, status=403)
        messages.info(request, _("Kommunen kräver tvåstegsverifiering. Slå på den innan du fortsätter."))
        return redirect(f"{reverse('two_factor')}?next={request.path}")
