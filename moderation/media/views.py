"""Pictures, files and evidence sheets of an item, served only through these views: the user must see the
item (its channel's unit) and, for a secret item, secret content (every such view is audited). Never a
public /media/ URL."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import DomainError
from accounts.models import AuditAction
from accounts.permissions import deny, staff_required
from accounts.services import audit_record
from moderation.media.evidence import evidence_sheet_create
from moderation.media.models import Attachment, EvidenceSheet, EvidenceStatus, FetchStatus
from moderation.media.services import attachment_refetch
from moderation.media.sniff import INLINE_IMAGE_TYPES, extension
from moderation.models import Item
from records.diarium.views.files import file_response


def _item_content(request, pk: int, *, surface: str) -> Item:
    """The item if the user may see its content: 404 outside the user's units or when purged, 403 (logged)
    for secret content without the permission; a permitted view of secret content is audited."""
    item = get_object_or_404(Item.objects.visible_to(request.user).select_related("channel"), pk=pk)
    if item.purged_at is not None:
        raise Http404
    if not item.content_visible_to(request.user):
        deny(request, "sekretessmarkerad bilaga")
    if item.secret:
        audit_record(actor=request.user, action=AuditAction.SECRET_VIEWED, target=item, request=request,
                     detail={"page": surface})
    return item


@staff_required("moderation.view_item")
def attachment_download(request, pk: int, attachment_pk: int):
    item = _item_content(request, pk, surface="attachment")
    row = get_object_or_404(Attachment, pk=attachment_pk, item=item, status=FetchStatus.STORED)
    inline = row.content_type in INLINE_IMAGE_TYPES and request.GET.get("download") != "1"
    return file_response(row.file.storage.open(row.file.name, "rb"), content_type=row.content_type,
                         filename=f"inlagg-{item.pk}-{row.get_kind_display().lower()}-{row.pk}"
                                  f"{extension(row.content_type)}", inline=inline)


@staff_required("moderation.view_item")
def evidence_download(request, pk: int, sheet_pk: int, fmt: str):
    item = _item_content(request, pk, surface="evidence_sheet")
    sheet = get_object_or_404(EvidenceSheet, pk=sheet_pk, item=item, status=EvidenceStatus.RENDERED)
    if fmt == "pdf":
        field, content_type = sheet.pdf, "application/pdf"
    elif fmt == "png":
        field, content_type = sheet.png, "image/png"
    else:
        raise Http404
    return file_response(field.storage.open(field.name, "rb"), content_type=content_type,
                         filename=f"bevisblad-inlagg-{item.pk}-{sheet.pk}.{fmt}",
                         inline=fmt == "png" and request.GET.get("download") != "1")


@require_POST
@staff_required("moderation.moderate_item")
def evidence_create(request, pk: int):
    item = _item_content(request, pk, surface="evidence_sheet_create")
    try:
        sheet = evidence_sheet_create(item=item, actor=request.user, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Bevisbladet är skapat (%(ms)s ms).") % {"ms": sheet.render_ms})
    return redirect("item_detail", pk=item.pk)


@require_POST
@staff_required("moderation.moderate_item")
def attachment_refetch_view(request, pk: int, attachment_pk: int):
    item = _item_content(request, pk, surface="attachment_refetch")
    row = get_object_or_404(Attachment, pk=attachment_pk, item=item)
    try:
        attachment_refetch(attachment=row, actor=request.user, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Bilagan hämtas igen."))
    return redirect("item_detail", pk=item.pk)
