"""Passwords kept by Uppsikt."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LocalPasswordBackend(ModelBackend):
    """Django's password check. With UPPSIKT_LOCAL_LOGIN=0 (staff sign in through the identity
    provider) only superusers may use a password: the break-glass account for when the provider
    is down, which should have two-factor enrolled."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not settings.UPPSIKT_LOCAL_LOGIN and not user.is_superuser:
            return None
        return user


def axes_lockout_parameters(request_or_attempt, credentials=None):
    """django-axes counts failures per username and address. A refused OpenID sign-in has no
    username (its credentials are the nonce and PKCE verifier, and the code came from the provider,
    so there is nothing to guess): counting it per address alone would lock out a whole office
    behind one NAT address. Returning ["username"] with no username makes axes record nothing."""
    if credentials is not None and "username" not in credentials:
        return ["username"]
    return [["username", "ip_address"]]
