"""E-archive delivery: cases ready for delivery and the export of one case as an FGS 2.0 package."""

from __future__ import annotations

import io
import logging
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.errors import DomainError, NotPermitted
from accounts.models import AuditAction
from accounts.permissions import staff_required
from accounts.services import audit_record
from records.archive.forms import DeliveryReceiptForm
from records.archive.model import SchemasNotFoundError
from records.archive.reports import archive_description_pdf, archive_inventory_pdf
from records.archive.services import (
    archive_delivery_confirm,
    case_export,
    case_export_blocked_by_secrecy,
    cases_ready_for_delivery,
)
from records.models import ArchiveDelivery, Case

log = logging.getLogger(__name__)


@staff_required("records.change_case", "records.add_purgelist", any_of=True)
def delivery(request):
    cases = cases_ready_for_delivery()
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    delivered = Case.objects.filter(status="delivered").order_by("-delivered_at")[:20]
    awaiting = ArchiveDelivery.objects.awaiting_receipt().select_related("case", "exported_by").order_by("exported_at")
    return render(request, "records/archive/delivery.html", {
        "page": page, "delivered": delivered, "awaiting": awaiting[:100],
        "can_report": request.user.has_perm("records.view_retentionclass"),
    })


@require_POST
@staff_required("records.change_archivedelivery")
def delivery_receipt(request, pk: int):
    """Record the archive's receipt of a package (the case becomes delivered)."""
    delivery = get_object_or_404(ArchiveDelivery.objects.select_related("case"), pk=pk)
    form = DeliveryReceiptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange datum och arkivets referens för kvittensen."))
        return redirect("records_case_detail", pk=delivery.case_id)
    try:
        archive_delivery_confirm(delivery=delivery, actor=request.user, received_on=form.cleaned_data["received_on"],
                                 archive_reference=form.cleaned_data["archive_reference"],
                                 note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Kvittensen är registrerad; ärendet är levererat till e-arkivet."))
    return redirect("records_case_detail", pk=delivery.case_id)


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.pdf"'
    return response


@require_safe
@staff_required("records.view_retentionclass")
def archive_description(request):
    return _pdf(archive_description_pdf(actor=request.user), "arkivbeskrivning")


@require_safe
@staff_required("records.view_retentionclass")
def archive_inventory(request):
    return _pdf(archive_inventory_pdf(actor=request.user), "arkivforteckning")


@staff_required("records.change_case", "records.add_purgelist", any_of=True)
def case_export_view(request, pk: int):
    case = get_object_or_404(Case.objects.select_related("retention_class", "series"), pk=pk)
    context = {"case": case, "secret_blocked": case_export_blocked_by_secrecy(case=case, actor=request.user)}
    if request.method != "POST":
        return render(request, "records/archive/export_confirm.html", context)
    work = Path(tempfile.mkdtemp(prefix="uppsikt-export-"))
    try:
        try:
            package = case_export(case=case, out_dir=work, actor=request.user)
        except NotPermitted as exc:
            audit_record(actor=request.user, action=AuditAction.PERMISSION_DENIED, target=case, request=request,
                         detail={"reason": "export_with_secret_content"})
            messages.error(request, exc.message)
            return render(request, "records/archive/export_confirm.html", context, status=403)
        except DomainError as exc:
            messages.error(request, exc.message)
            return render(request, "records/archive/export_confirm.html", context)
        except SchemasNotFoundError:
            # An installation problem, not the user's: say so instead of a server error.
            log.error("e-archive schemas missing: set UPPSIKT_SCHEMAS_DIR", exc_info=True)
            messages.error(request, _("E-arkivets scheman (FGS/E-ARK) saknas på servern, så paketet kan inte "
                                      "valideras. Be systemförvaltaren sätta UPPSIKT_SCHEMAS_DIR."))
            return render(request, "records/archive/export_confirm.html", context, status=503)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(package.rglob("*")):
                if path.is_file():
                    archive.write(path, f"{package.name}/{path.relative_to(package).as_posix()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    safe = case.number.replace(" ", "_").replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="e-arkiv-{safe}.zip"'
    return response

