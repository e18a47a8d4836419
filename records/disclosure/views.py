"""Requests for public documents: the public intake form and the request list.

The registrars' workbench (detail, review, actions, settings) is in `workbench.py`. Views
validate input and call records.disclosure.services; domain errors are shown with messages.error.
The public form sets no cookie beyond CSRF and loads nothing from other sites.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.errors import DomainError
from accounts.permissions import staff_required
from records.disclosure import services as svc
from records.disclosure.forms import DisclosureRequestFilter, PublicDisclosureForm, started_token
from records.models import DisclosureChannel, DisclosureRequest, DisclosureStatus
from records.viewhelpers import query_without_page, url_if_exists

VIEW = "records.view_disclosurerequest"
ADD = "records.add_disclosurerequest"
CHANGE = "records.change_disclosurerequest"
RECEIPT_SALT = "uppsikt.disclosure.receipt"


# --- the public form ----------------------------------------------------------------------------------


def _rate_key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return "disclosure-public:" + salted_hmac("uppsikt.disclosure.rate", address).hexdigest()


def _rate_limited(request) -> bool:
    limit = int(getattr(settings, "UPPSIKT_DISCLOSURE_PUBLIC_LIMIT", 5))
    return (cache.get(_rate_key(request)) or 0) >= limit


def _count_submission(request) -> None:
    key = _rate_key(request)
    cache.add(key, 0, timeout=60 * 60)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=60 * 60)


@never_cache
@require_http_methods(["GET", "POST"])
def public_request(request):
    """/postlista/begar/: anyone may ask for documents; no name or purpose needed (TF 2 kap. 18 §)."""
    if request.method == "POST":
        form = PublicDisclosureForm(request.POST)
        if _rate_limited(request):
            form.is_valid()
            form.add_error(None, _("Du har skickat många begäranden på kort tid. Försök igen om en timme eller "
                                   "kontakta oss per e-post eller telefon."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                created = svc.disclosure_request_create(
                    request_text=data["full_text"], channel_in=DisclosureChannel.POSTLISTA,
                    requester_name=data["requester_name"], requester_contact=data["requester_contact"],
                    documents=data["found_documents"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                _count_submission(request)
                token = signing.dumps({"r": created.reference}, salt=RECEIPT_SALT)
                return redirect("disclosure_public_receipt", token=token)
    else:
        form = PublicDisclosureForm(initial={"documents": request.GET.get("document", "")[:2000],
                                             "started": started_token()})
    return render(request, "records/disclosure/public_form.html",
                  {"form": form, "postlista_url": url_if_exists("postlista")})


@never_cache
@require_safe
def public_receipt(request, token: str):
    try:
        reference = signing.loads(token, salt=RECEIPT_SALT, max_age=7 * 24 * 3600)["r"]
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise Http404 from exc
    req = get_object_or_404(DisclosureRequest, reference=reference)
    return render(request, "records/disclosure/public_receipt.html",
                  {"req": req, "postlista_url": url_if_exists("postlista")})


# --- staff: list and intake ----------------------------------------------------------------------------


@staff_required(VIEW)
def request_list(request):
    base = DisclosureRequest.objects.visible_to(request.user)
    f = DisclosureRequestFilter(request.GET, queryset=base.annotate(n_items=Count("items")))
    page = Paginator(f.qs.order_by("-received_at", "-id"), 50).get_page(request.GET.get("page"))
    now = timezone.now()
    counts = base.aggregate(
        new=Count("pk", filter=Q(status=DisclosureStatus.RECEIVED)),
        in_review=Count("pk", filter=Q(status=DisclosureStatus.IN_REVIEW)),
        decided=Count("pk", filter=Q(status=DisclosureStatus.DECIDED)),
        decision_requested=Count("pk", filter=Q(status=DisclosureStatus.DECISION_REQUESTED)),
        appeal_window=Count("pk", filter=Q(status=DisclosureStatus.APPEAL_WINDOW)),
    )
    counts["overdue"] = svc.disclosure_overdue(base, now).count()
    rows = [{"req": r, "overdue": svc.disclosure_is_overdue(r, now)} for r in page]
    return render(request, "records/disclosure/list.html", {
        "filter": f, "page": page, "rows": rows, "counts": counts, "query": query_without_page(request),
        "nav_current": "disclosure_list",
    })


