"""The files frozen with a document (pictures, evidence sheets): served only through this view, which
checks that the user may see the document and, where its content is secret, secret content."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from accounts.models import AuditAction
from accounts.permissions import deny, staff_required
from accounts.services import audit_record
from records.models import Document, DocumentFile
from records.secrecy.services import may_view_secret

INLINE = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


def file_response(handle, *, content_type: str, filename: str, inline: bool) -> FileResponse:
    """A download that cannot run script in our origin: sniffed type, nosniff, a sandboxing CSP, and
    anything but a plain picture offered as an attachment."""
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@staff_required("records.view_document")
def document_file(request, pk: int, file_pk: int):
    document = get_object_or_404(Document.objects.visible_to(request.user).with_secrecy(), pk=pk)
    if document.purged_at:
        raise Http404
    stored = get_object_or_404(DocumentFile, pk=file_pk, document=document)
    secret = "content" in document.secret_parts()
    if secret:
        if not may_view_secret(request.user):
            deny(request, "fil till sekretessmarkerad handling")
        audit_record(actor=request.user, action=AuditAction.SECRET_VIEWED, target=document, request=request,
                     detail={"parts": ["content"], "surface": "document_file", "file": stored.pk})
    name = f"{document.number}-{stored.pk}".replace(" ", "_").replace("/", "-")
    handle = stored.file.storage.open(stored.file.name, "rb")
    return file_response(handle, content_type=stored.content_type, filename=name,
                         inline=stored.content_type in INLINE and request.GET.get("download") != "1")
