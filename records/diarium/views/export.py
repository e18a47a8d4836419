"""Registrations exported for the main diarium, downloaded as a ZIP (the registrar's page)."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.errors import DomainError, NotPermitted
from accounts.permissions import staff_required
from records.diarium.forms import RegistrationsExportForm
from records.diarium.services.export import registrations_export, registrations_for_export


def zip_export(*, date_from, date_to, actor) -> tuple[FileResponse, int]:
    """Build the export in a temporary folder and answer it as a ZIP; the folder is removed at once and
    the ZIP file when the response is closed."""
    work = Path(tempfile.mkdtemp(prefix="uppsikt-registreringar-"))
    try:
        result = registrations_export(date_from=date_from, date_to=date_to, out_dir=work, actor=actor)
        archive = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (and so removes) it
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(result.folder.rglob("*")):
                if path.is_file():
                    zf.write(path, f"{result.folder.name}/{path.relative_to(result.folder).as_posix()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    archive.seek(0)
    response = FileResponse(archive, as_attachment=True, filename=f"{result.folder.name}.zip",
                            content_type="application/zip")
    return response, result.count


@staff_required("records.register_document", "records.view_secret")
def registrations_export_view(request):
    today = timezone.localdate()
    form = RegistrationsExportForm(request.POST or None, initial={"date_from": today.replace(day=1), "date_to": today})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                response, _count = zip_export(date_from=data["date_from"], date_to=data["date_to"], actor=request.user)
                return response
            except NotPermitted as exc:
                messages.error(request, exc.message)
                status = 403
            except DomainError as exc:
                messages.error(request, exc.message)
                status = exc.status_code
        else:
            status = 400
    preview = None
    if form.is_bound and form.is_valid():
        preview = registrations_for_export(date_from=form.cleaned_data["date_from"],
                                           date_to=form.cleaned_data["date_to"]).count()
    return render(request, "records/registrations_export.html", {"form": form, "preview": preview}, status=status)
