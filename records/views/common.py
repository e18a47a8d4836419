"""Helpers shared by the records views."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def url_if_exists(name: str, *args, **kwargs) -> str | None:
    """The URL of a named route when another engineer's app provides it, else None."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
