import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record

_KEY = "uppsikt_last_seen"
# Background polls (htmx: the header's notification count) send this header: they are not activity,
# so they neither keep a session alive nor get a login page swapped into the page (286 stops the poll).
POLL_HEADER = "X-Uppsikt-Poll"


class IdleTimeoutMiddleware:
    """Sign a user out after SESSION_IDLE_TIMEOUT seconds without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            poll = request.headers.get(POLL_HEADER) == "1"
            now = int(time.time())
            last = request.session.get(_KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_TIMEOUT:
                audit_record(actor=user, action=AuditAction.SESSION_EXPIRED, target=user, request=request)
                logout(request)
                if poll:
                    return HttpResponse(status=286)
                if not request.path.startswith("/api/"):
                    messages.info(request, _("Du har loggats ut efter en tids inaktivitet. Logga in igen."))
                    return redirect(f"{reverse('login')}?next={request.path}")
            elif not poll and (last is None or now - int(last) > 30):
                # Writing at most every 30 s keeps the session table quiet.
                request.session[_KEY] = now
        return self.get_response(request)
