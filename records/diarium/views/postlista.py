"""The public postlista (/postlista/): no login, no session, nothing from other sites.

Shows what OSL 5 kap. allows the public to see of each registration: date, number, direction,
public description and sender, with secret parts and hidden private persons masked.

No number goes missing: the diarium is kept (bevaras) whatever happens to the documents, so a voided
registration is listed as "makulerad" (date, number, direction; nothing of what was wrongly
registered) and a purged one as "gallrad enligt GL-2026-001" with the register line a purge keeps
(date, number, direction, public description). A text search looks only at what the rows show: a
voided registration is found by its number, never by the description it had.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from records.diarium.forms import PostlistaSearchForm
from records.diarium.services.main_diarium import postlista_header
from records.diarium.services.search import document_search
from records.models import Document
from records.retention.services.tombstones import purge_references
from records.secrecy.services import prefetch_secrecy, public_view
from records.viewhelpers import query_without_page, url_if_exists

PAGE_SIZE = 25


@require_safe
@never_cache  # a part marked secret a minute ago must not linger in a shared cache
def postlista(request):
    form = PostlistaSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    q = data.get("q", "")
    register = Document.objects.filter(Q(voided=False) | Q(number__icontains=q.strip())) if q else Document.objects
    qs = document_search(
        public=True, q=q, number=data.get("number", ""), date_from=data.get("date_from"),
        date_to=data.get("date_to"), queryset=register.all(),
    ).select_related("case")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    documents = prefetch_secrecy(list(page.object_list))
    purged = purge_references("records.document", [d.pk for d in documents if d.purged_at])
    request_url = url_if_exists("disclosure_public_request")
    return render(request, "records/postlista.html", {
        "form": form,
        "page": page,
        "rows": [_row(d, purged) for d in documents],
        "query": query_without_page(request),
        "request_url": request_url,
        "searched": bool(request.GET),
        "header": postlista_header(),
    })


def _row(document: Document, purged: dict[str, str]) -> dict:
    """A register line as the public sees it, voided and purged ones marked as such."""
    if document.voided:
        return {"id": document.pk, "number": document.number, "date": document.date,
                "direction": document.direction, "direction_label": document.get_direction_display(),
                "sender": "", "sender_masked": False, "description": "", "masked": False,
                "status": _("Makulerad"), "requestable": False}
    row = public_view(document)
    row["requestable"] = document.purged_at is None
    row["status"] = ""
    if document.purged_at:
        reference = purged.get(str(document.pk), "")
        row["status"] = _("Gallrad enligt %(ref)s") % {"ref": reference} if reference else _("Gallrad")
        row["sender"], row["sender_masked"] = "", False
    return row
