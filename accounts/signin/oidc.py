"""Sign-in through the municipality's OpenID provider (authorization code flow with PKCE),
built on mozilla-django-oidc.

- The user is found by the provider's `sub`; on the first sign-in an account is created (username
  from UPPSIKT_OIDC_USERNAME_CLAIM, no usable password) or, if an account with that username exists
  that has never signed in through the provider and is not a superuser, linked to it.
- At every sign-in the groups claim decides the roles and units (accounts.signin.services); a user
  whose groups give no role is refused (and loses the roles they had).
- The ID token's issuer and audience are checked (mozilla-django-oidc checks only the signature
  and nonce); tokens come from the token endpoint over the back channel.
- Signing out ends the provider's session too (RP-initiated logout with id_token_hint).
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.signin.provider import ProviderUnavailable, oidc_enabled, provider_endpoints, provider_endpoints_if_known
from accounts.signin.services import access_for_groups, groups_from_claims, user_sync_from_provider

log = logging.getLogger("uppsikt.signin")

# Why a sign-in was refused, for the message on the login page (set on the request).
REFUSED_NO_ROLE = "no_role"
REFUSED_CONFLICT = "conflict"
REFUSED_CLAIMS = "claims"


class Refused(SuspiciousOperation):
    """mozilla-django-oidc turns a SuspiciousOperation from user lookup into a failed sign-in."""


class OIDCBackend(OIDCAuthenticationBackend):
    """Endpoints are read when used (discovery may not have happened yet), not at construction:
    Django builds a backend for every request that has a session."""

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    # The attributes mozilla-django-oidc's methods read.
    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802
        return provider_endpoints()["token"]

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:  # noqa: N802
        return provider_endpoints().get("userinfo", "")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:  # noqa: N802
        return provider_endpoints()["jwks"]

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:  # noqa: N802
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:  # noqa: N802
        return settings.OIDC_RP_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:  # noqa: N802
        return settings.OIDC_RP_SIGN_ALGO

    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        if not oidc_enabled() or request is None:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except ProviderUnavailable:
            log.exception("oidc: provider unavailable during sign-in")
            return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token is not for this client (aud).")
        issuer = provider_endpoints().get("issuer")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("ID token is from another issuer (iss).")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the userinfo endpoint where there is one (some
        providers put groups only in the ID token, others only in userinfo)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if info.get("sub") not in (None, payload.get("sub")):
                raise SuspiciousOperation("userinfo is about another subject")
            claims.update(info)
        return claims

    def verify_claims(self, claims) -> bool:
        if not claims.get("sub") or not claims.get(settings.UPPSIKT_OIDC_USERNAME_CLAIM):
            self._refuse(REFUSED_CLAIMS, "sub or username claim missing")
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(oidc_subject=str(claims["sub"]))

    def create_user(self, claims):
        access = access_for_groups(groups_from_claims(claims))
        username = str(claims[settings.UPPSIKT_OIDC_USERNAME_CLAIM])[:150]
        user = self.UserModel.objects.filter(username__iexact=username).first()
        if user is not None and (user.oidc_subject or user.is_superuser):
            self._refuse(REFUSED_CONFLICT, f"username {username!r} belongs to another account")
        if not access.roles:
            if user is not None:
                self._sync(user, claims, access)  # a linked account loses what it had
            self._refuse(REFUSED_NO_ROLE, f"no role for groups of new user {username!r}")
        linked = user is not None
        if user is None:
            user = self.UserModel(username=username)
            user.set_unusable_password()
        user.oidc_subject = str(claims["sub"])
        self._copy_profile(user, claims)
        user.save()
        log.info("oidc: %s user %s", "linked" if linked else "created", username)
        return self._sync(user, claims, access)

    def update_user(self, user, claims):
        access = access_for_groups(groups_from_claims(claims))
        self._copy_profile(user, claims)
        user.save(update_fields=["email", "first_name", "last_name"])
        self._sync(user, claims, access)  # committed even when the sign-in is refused below
        if not access.roles:
            self._refuse(REFUSED_NO_ROLE, f"groups of {user.username!r} give no role any more")
        return user

    # --- helpers ----------------------------------------------------------------------------

    def _sync(self, user, claims, access):
        return user_sync_from_provider(user=user, access=access, request=self.request)

    @staticmethod
    def _copy_profile(user, claims) -> None:
        user.email = str(claims.get("email", "") or user.email)[:254]
        user.first_name = str(claims.get("given_name", "") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name", "") or user.last_name)[:150]

    def _refuse(self, reason: str, message: str):
        request = getattr(self, "request", None)
        if request is not None:
            request.uppsikt_oidc_refusal = reason
        raise Refused(message)


def provider_logout_url(request) -> str:
    """Where sign-out sends the browser: the provider's end_session endpoint with the ID token as
    hint and the login page as the way back; the login page when the provider has none."""
    back = request.build_absolute_uri(reverse("login"))
    try:
        end_session = provider_endpoints().get("end_session")
    except ProviderUnavailable:
        end_session = provider_endpoints_if_known().get("end_session")
    if not end_session:
        return back
    params = {"post_logout_redirect_uri": back, "client_id": settings.OIDC_RP_CLIENT_ID}
    id_token = request.session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    separator = "&" if "?" in end_session else "?"
    return f"{end_session}{separator}{urlencode(params)}"
