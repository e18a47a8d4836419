"""Helpers shared by the moderation views."""

from __future__ import annotations

from django.contrib import messages

from accounts.errors import DomainError

# Public pages without a form set no cookie at all: base.html then leaves out the CSRF token (on
# <body> and in the language switch), whose mere rendering would set the CSRF cookie.
NO_CSRF = {"cookieless": True}


def call(request, fn, /, **kwargs):
    """Call a service; show a DomainError (Conflict, TransitionNotAllowed…) as a message.
    Returns (ok, result)."""
    try:
        return True, fn(**kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return False, None


def is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def wants_json(request) -> bool:
    """The page's script asked for JSON (keyboard decisions, undo) instead of a redirect."""
    return "application/json" in request.headers.get("Accept", "")
