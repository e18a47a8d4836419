"""Helpers shared by the moderation views."""

from __future__ import annotations

from django.contrib import messages

from accounts.errors import DomainError


def services():
    """modback's services package, imported when first used (so the pages load while it grows)."""
    from moderation import services as svc

    return svc


def call(request, fn, /, **kwargs):
    """Call a service (a function or its name in `moderation.services`); show a DomainError
    (Conflict, TransitionNotAllowed…) as a message. Returns (ok, result)."""
    if isinstance(fn, str):
        fn = getattr(services(), fn)
    try:
        return True, fn(**kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return False, None


def is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))
