"""Security headers on every response.

Django's SecurityMiddleware sets X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy, the clickjacking middleware X-Frame-Options; django-csp sets the
Content-Security-Policy (settings.CONTENT_SECURITY_POLICY, without 'unsafe-inline'). This module
adds Permissions-Policy and lets the policy's `form-action` include the municipality's OpenID
provider: signing out is a form POST answered with a redirect to the provider's end-session
endpoint, and Chromium applies `form-action` to that redirect.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` from settings.UPPSIKT_PERMISSIONS_POLICY: no camera, microphone, … ."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}=()" for feature in settings.UPPSIKT_PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.value and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.value
        return response


def _origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def provider_form_origins() -> list[str]:
    """Origins of the OpenID provider's endpoints a form submission may be redirected to."""
    from accounts.signin.provider import provider_endpoints_if_known

    endpoints = provider_endpoints_if_known()
    keys = ("authorization", "end_session", "discovery")
    origins = {_origin(endpoints.get(key, "")) for key in keys}
    return sorted(o for o in origins if o)


class UppsiktCSPMiddleware(CSPMiddleware):
    """django-csp's middleware; `form-action` also allows the configured OpenID provider."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        origins = provider_form_origins() if settings.OIDC_RP_CLIENT_ID else []
        if origins:
            update = dict(parts.update or {})
            update["form-action"] = [*(update.get("form-action") or []), *origins]
            parts.update = update
        return parts
