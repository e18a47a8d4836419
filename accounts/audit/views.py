"""The audit log page and its CSV export (read-only; the export is itself an audit event)."""

from __future__ import annotations

import csv
import io

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit.display import audit_rows, choice_maps
from accounts.filters import AuditEventFilter
from accounts.models import AuditAction, AuditEvent
from accounts.permissions import staff_required
from accounts.services import audit_record

EXPORT_CHUNK = 2000


def _filtered(request) -> AuditEventFilter:
    return AuditEventFilter(request.GET, queryset=AuditEvent.objects.select_related("actor"))


@staff_required("accounts.view_auditevent")
def audit_list(request):
    f = _filtered(request)
    page = Paginator(f.qs.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/audit_list.html", {
        "filter": f, "page": page, "rows": audit_rows(page.object_list, request.user), "query": query.urlencode(),
    })


def _csv_lines(queryset):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def flush() -> str:
        data = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return data

    writer.writerow([_("Tidpunkt (svensk tid)"), _("Användare"), _("Händelse"), _("Objekttyp"), _("Objekt"),
                     _("Objekt-id"), _("Detaljer"), _("IP-adress")])
    yield "\ufeff" + flush()
    last = None
    maps = choice_maps()
    while True:
        chunk = queryset
        if last is not None:
            chunk = chunk.filter(id__lt=last)
        events = list(chunk.order_by("-id")[:EXPORT_CHUNK])
        if not events:
            return
        for row in audit_rows(events, maps=maps):
            e = row.event
            writer.writerow([row.at_local, row.who, row.kind_label, row.object_type, row.object_label,
                             e.target_id, row.detail_text, e.ip_address or ""])
        yield flush()
        last = events[-1].id


@staff_required("accounts.view_auditevent")
def audit_export_csv(request):
    """The filtered log as CSV (semicolon-separated, UTF-8 with BOM for Excel), newest first."""
    f = _filtered(request)
    queryset = f.qs
    filters = {k: v for k, v in request.GET.items() if v and k != "page"}
    audit_record(actor=request.user, action=AuditAction.EXPORT, target=None, request=request,
                 detail={"event": "audit_export", "filters": filters})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(_csv_lines(queryset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="granskningslogg-{stamp}.csv"'
    return response
