"""Search across cases and documents for staff (/diarium/sok/)."""

from __future__ import annotations

from django.shortcuts import render

from accounts.permissions import staff_required
from records.diarium.forms import DocumentSearchForm
from records.diarium.services.search import case_search, document_search
from records.secrecy import services as secrecy_services

LIMIT = 50


@staff_required("records.view_document")
def search(request):
    form = DocumentSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    q = data.get("q", "")
    searched = any(data.get(k) for k in ("q", "number", "date_from", "date_to", "direction"))
    cases, documents = [], []
    if searched:
        if q or data.get("number"):
            cases = list(case_search(user=request.user, q=q or data.get("number", ""))[:LIMIT])
        qs = document_search(user=request.user, q=q, number=data.get("number", ""),
                             date_from=data.get("date_from"), date_to=data.get("date_to"),
                             direction=data.get("direction", "")).select_related("case", "registered_by")
        documents = secrecy_services.documents_for_list(list(qs[:LIMIT]), request.user, audit_request=request,
                                                surface="search")
    return render(request, "records/search.html", {
        "form": form, "cases": cases, "rows": documents, "searched": searched, "limit": LIMIT,
    })
