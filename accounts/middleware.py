import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record

_KEY = "uppsikt_last_seen"


class IdleTimeoutMiddleware:
    """Sign a user out after SESSION_IDLE_TIMEOUT seconds without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(_KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_TIMEOUT:
                audit_record(actor=user, action=AuditAction.SESSION_EXPIRED, target=user, request=request)
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(request, _("Du har loggats ut efter en tids inaktivitet. Logga in igen."))
                    return redirect(f"{reverse('login')}?next={request.path}")
            elif last is None or now - int(last) > 30:
                # Writing at most every 30 s keeps the session table quiet.
                request.session[_KEY] = now
        return self.get_response(request)
