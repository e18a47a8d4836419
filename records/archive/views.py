"""E-archive delivery: cases ready for delivery and the export of one case as an FGS 2.0 package."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.errors import DomainError, NotPermitted
from accounts.models import AuditAction
from accounts.permissions import staff_required
from accounts.services import audit_record
from records.archive.services import case_export, case_export_blocked_by_secrecy, cases_ready_for_delivery
from records.models import (
    Case,
)


@staff_required("records.change_case", "records.add_purgelist", any_of=True)
def delivery(request):
    cases = cases_ready_for_delivery()
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    delivered = Case.objects.filter(status="delivered").order_by("-delivered_at")[:20]
    return render(request, "records/archive/delivery.html", {"page": page, "delivered": delivered})


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

