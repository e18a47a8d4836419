"""The public postlista (/postlista/): no login, no session, nothing from other sites.

Shows what OSL 5 kap. allows the public to see of each registration: date, number, direction,
public description and sender, with secret parts and hidden private persons masked.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from records.diarium.forms import PostlistaSearchForm
from records.diarium.services.main_diarium import postlista_header
from records.diarium.services.search import document_search
from records.secrecy.services import prefetch_secrecy, public_view
from records.viewhelpers import query_without_page, url_if_exists

PAGE_SIZE = 25


@require_safe
@never_cache  # a part marked secret a minute ago must not linger in a shared cache
def postlista(request):
    form = PostlistaSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = document_search(
        public=True, q=data.get("q", ""), number=data.get("number", ""), date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    ).select_related("case")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    documents = prefetch_secrecy(list(page.object_list))
    request_url = url_if_exists("disclosure_public_request")
    return render(request, "records/postlista.html", {
        "form": form,
        "page": page,
        "rows": [public_view(d) for d in documents],
        "query": query_without_page(request),
        "request_url": request_url,
        "searched": bool(request.GET),
        "header": postlista_header(),
    })
