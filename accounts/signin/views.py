"""Sign-in pages: the login page (the municipality's sign-in and/or a password), the code step
of two-factor, enrolment, sign-out and the OpenID Connect redirect and callback."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts.forms import LoginForm
from accounts.models import AuditAction
from accounts.services import audit_record
from accounts.signin import twofactor
from accounts.signin.forms import OTPTokenForm
from accounts.signin.oidc import REFUSED_CONFLICT, REFUSED_NO_ROLE, provider_logout_url
from accounts.signin.provider import ProviderUnavailable, oidc_enabled, provider_endpoints

log = logging.getLogger("uppsikt.signin")


def local_form_shown(request) -> bool:
    """The password form: always when local passwords are on (or no provider is configured), else
    only at ?lokal=1, for the superusers' break-glass sign-in."""
    return (settings.UPPSIKT_LOCAL_LOGIN or not oidc_enabled() or request.GET.get("lokal") == "1"
            or request.method == "POST")


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(oidc_enabled=oidc_enabled(), local_form=local_form_shown(self.request),
                       break_glass=not settings.UPPSIKT_LOCAL_LOGIN)
        return context

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.confirmed_device(user) is not None:
            twofactor.pending_set(self.request, user=user, next_url=self.get_success_url())
            return HttpResponseRedirect(reverse("login_code"))
        return super().form_valid(form)


@sensitive_post_parameters("otp_token")
@never_cache
def login_code(request):
    """Second step: the code from the user's authenticator app."""
    user, backend, next_url = twofactor.pending_get(request)
    if user is None:
        messages.info(request, _("Logga in med ditt lösenord igen."))
        return redirect("login")
    device = twofactor.confirmed_device(user)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and device is not None:
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["otp_token"]):
            twofactor.pending_clear(request)
            auth_login(request, user, backend=backend)
            otp_login(request, device)
            return HttpResponseRedirect(next_url or reverse(settings.LOGIN_REDIRECT_URL))
        audit_record(actor=None, action=AuditAction.LOGIN_FAILED, request=request, actor_label=user.get_username(),
                     target=user, detail={"step": "otp"})
        form.add_error("otp_token", _("Fel kod, eller för många försök: vänta en stund och försök igen.")
                       if not allowed else _("Fel kod. Kontrollera klockan i telefonen och försök igen."))
    return render(request, "registration/login_code.html", {"form": form})


@require_POST
def logout(request):
    """Sign out here and, for a provider sign-in, at the provider (RP-initiated logout)."""
    target = reverse(settings.LOGOUT_REDIRECT_URL)
    from_provider = request.session.get("oidc_id_token") and not twofactor.signed_in_locally(request)
    if from_provider and oidc_enabled():
        target = provider_logout_url(request)
    auth_logout(request)
    return HttpResponseRedirect(target)


# --- two-factor enrolment ----------------------------------------------------------------------


@login_required
@sensitive_post_parameters("otp_token")
@never_cache
def two_factor(request):
    """Turn on, check or turn off TOTP for the signed-in local user."""
    user = request.user
    if not user.has_usable_password():
        raise Http404  # provider sign-in: the provider does the second factor
    device = twofactor.confirmed_device(user)
    action = request.POST.get("action", "")
    form = OTPTokenForm(request.POST if request.method == "POST" else None)
    if device is None:
        return _enrol(request, form)
    if request.method == "POST" and form.is_valid():
        if not device.verify_token(form.cleaned_data["otp_token"]):
            form.add_error("otp_token", _("Fel kod. Försök igen."))
        elif action == "remove" and not settings.UPPSIKT_REQUIRE_2FA:
            twofactor.totp_device_remove(user=user, actor=user, request=request)
            messages.success(request, _("Tvåstegsverifieringen är avstängd."))
            return redirect("two_factor")
        else:
            otp_login(request, device)
            messages.success(request, _("Koden stämde."))
            return redirect(_next(request) or "dashboard")
    return render(request, "registration/two_factor.html", {
        "form": form, "enrolled": True, "verified": user.is_verified(), "required": settings.UPPSIKT_REQUIRE_2FA,
    })


def _enrol(request, form):
    user = request.user
    device = twofactor.totp_device_start(user=user)
    if request.method == "POST" and form.is_valid():
        if twofactor.totp_device_confirm(user=user, device=device, token=form.cleaned_data["otp_token"],
                                         request=request):
            otp_login(request, device)
            messages.success(request, _("Tvåstegsverifieringen är påslagen. Nästa gång du loggar in frågar "
                                        "Uppsikt efter en kod från appen."))
            return redirect(_next(request) or "dashboard")
        form.add_error("otp_token", _("Fel kod. Kontrollera att du skannade koden och att telefonens klocka går rätt."))
    return render(request, "registration/two_factor.html", {
        "form": form, "enrolled": False, "required": settings.UPPSIKT_REQUIRE_2FA,
        "qr_svg": twofactor.qr_svg(device.config_url), "secret": twofactor.secret_base32(device),
    })


def _next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if ok else ""


# --- OpenID Connect ----------------------------------------------------------------------------


class OIDCStartView(OIDCAuthenticationRequestView):
    """Redirect to the provider's authorization endpoint (404 when no provider is configured)."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_endpoints()["authorization"]
        except ProviderUnavailable:
            log.exception("oidc: provider unavailable")
            messages.error(request, _("Kommunens inloggning svarar inte just nu. Försök igen om en stund."))
            return redirect("login")
        return super().get(request)


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer; a refused sign-in gets a Swedish message on the login page."""

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        return super().get(request)

    def login_failure(self):
        reason = getattr(self.request, "uppsikt_oidc_refusal", "")
        if reason == REFUSED_NO_ROLE:
            text = _("Du har ingen roll i Uppsikt. Be systemförvaltaren lägga till dig i rätt grupp.")
        elif reason == REFUSED_CONFLICT:
            text = _("Det finns redan ett konto med ditt användarnamn. Kontakta systemförvaltaren.")
        else:
            text = _("Inloggningen via kommunens inloggning misslyckades. Försök igen.")
        messages.error(self.request, text)
        return redirect("login")
