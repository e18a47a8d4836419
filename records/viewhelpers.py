"""Helpers shared by the records views and forms."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from accounts.errors import DomainError

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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

def document_action(request, form, call, *, success: str, invalid: str, document_id: int):
    """A POST action on a document page: validate the form, call the service, say how it went, go back."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
            messages.success(request, success)
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, invalid)
    return redirect("records_document_detail", pk=document_id)
