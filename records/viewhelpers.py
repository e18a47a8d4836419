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


def stored_file_response(request, stored, *, filename: str, target, content_type: str = "application/pdf"):
    """Deliver a stored file (config/storage.py: files have no URL) to a user the calling view has
    already checked: as an attachment, never cached, the download audited. A file missing on disk
    is a 404 (logged), not a 500."""
    import logging

    from django.http import FileResponse, Http404

    from accounts.models import AuditAction
    from accounts.services import audit_record

    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        logging.getLogger("uppsikt").error("Lagrad fil saknas: %s (%s)", getattr(stored, "name", "?"), target)
        raise Http404 from exc
    audit_record(actor=request.user, action=AuditAction.EXPORT, target=target, request=request,
                 detail={"operation": "file_download", "filename": filename})
    response = FileResponse(handle, content_type=content_type, as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response
