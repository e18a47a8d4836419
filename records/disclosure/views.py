"""Requests for public documents: the public intake form and the registrars' request workbench.

Views validate input and call records.disclosure.services; domain errors are shown with
messages.error. The public form sets no cookie beyond CSRF and loads nothing from other sites.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.errors import DomainError
from accounts.permissions import staff_required
from records.disclosure import services as svc
from records.disclosure.forms import (
    AppealCloseForm,
    AppealForm,
    DeliverForm,
    DisclosureIntakeForm,
    DisclosureRequestFilter,
    ItemAddForm,
    PublicDisclosureForm,
    ReviewForm,
    spans_to_brackets,
    started_token,
)
from records.models import (
    AppealStatus,
    DisclosureChannel,
    DisclosureItem,
    DisclosureOutcome,
    DisclosureRequest,
    DisclosureStatus,
    Document,
    LetterKind,
)
from records.pdf import apply_masks
from records.secrecy.services import document_view
from records.viewhelpers import query_without_page, stored_file_response, url_if_exists

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
    )
    counts["overdue"] = svc.disclosure_overdue(base, now).count()
    rows = [{"req": r, "overdue": svc.disclosure_is_overdue(r, now)} for r in page]
    return render(request, "records/disclosure/list.html", {
        "filter": f, "page": page, "rows": rows, "counts": counts, "query": query_without_page(request),
        "nav_current": "disclosure_list",
    })


@staff_required(ADD)
@require_http_methods(["GET", "POST"])
def request_create(request):
    if request.method == "POST":
        form = DisclosureIntakeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = svc.disclosure_request_create(
                    request_text=data["request_text"], channel_in=data["channel_in"],
                    requester_name=data["requester_name"], requester_contact=data["requester_contact"],
                    documents=data["found_documents"], received_at=data["received_at"], actor=request.user,
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Begäran %(ref)s är registrerad.") % {"ref": created.reference})
                return redirect("disclosure_detail", pk=created.pk)
    else:
        form = DisclosureIntakeForm(initial={"received_at": timezone.localtime().replace(second=0, microsecond=0)})
    return render(request, "records/disclosure/create.html", {"form": form, "nav_current": "disclosure_list"})


# --- staff: the workbench -------------------------------------------------------------------------------


def _get(request, pk: int) -> DisclosureRequest:
    return get_object_or_404(DisclosureRequest.objects.visible_to(request.user).select_related("handled_by"), pk=pk)


def _workbench(request, req: DisclosureRequest, *, status: int = 200, **extra):
    items = list(req.items.select_related("document__case", "legal_ground", "reviewed_by")
                 .prefetch_related("document__secrecy_markings__legal_ground"))
    may_act = request.user.has_perm(CHANGE)
    open_review = req.status in svc.REVIEWABLE
    letters = list(req.letters.all())
    decision = next((lt for lt in letters if lt.kind == LetterKind.REFUSAL_DECISION), None)
    released = [i for i in items if i.outcome in (DisclosureOutcome.RELEASE, DisclosureOutcome.RELEASE_MASKED)]
    refused = [i for i in items if i.outcome in svc.REFUSED_OUTCOMES]
    context = {
        "req": req,
        "items": items,
        "overdue": svc.disclosure_is_overdue(req),
        "may_act": may_act,
        "open_review": open_review,
        "can_decide": may_act and open_review and items and all(i.outcome != "pending" for i in items),
        "can_deliver": may_act and req.status in (DisclosureStatus.DECIDED, DisclosureStatus.DELIVERED)
        and bool(released),
        "can_authority_decision": may_act and decision is None and bool(refused)
        and req.status in (DisclosureStatus.DECIDED, DisclosureStatus.DELIVERED),
        "can_appeal": may_act and decision is not None and req.appeal_status != AppealStatus.PENDING
        and req.status != DisclosureStatus.CLOSED,
        "can_close_appeal": may_act and req.appeal_status == AppealStatus.PENDING,
        "can_close": may_act and req.status in (DisclosureStatus.DECIDED, DisclosureStatus.DELIVERED,
                                                DisclosureStatus.RECEIVED)
        and req.appeal_status != AppealStatus.PENDING,
        "decision": decision,
        "appeal_window_end": svc.disclosure_appeal_window_end(decision) if decision else None,
        "letters": letters,
        "holds": list(req.holds.all()),
        "notice": svc.disclosure_refusal_notice(req) if req.status not in svc.REVIEWABLE else "",
        "add_form": extra.pop("add_form", None) or ItemAddForm(),
        "appeal_form": AppealForm(initial={"received_at": timezone.localtime().replace(second=0, microsecond=0)}),
        "appeal_close_form": AppealCloseForm(),
        "document_url_name": "records_document_detail" if url_if_exists("records_document_detail", 1) else None,
        "nav_current": "disclosure_list",
    }
    context.update(extra)
    return render(request, "records/disclosure/detail.html", context, status=status)


@staff_required(VIEW)
@require_safe
def request_detail(request, pk: int):
    return _workbench(request, _get(request, pk))


def _act(request, pk: int, action, success: str):
    req = _get(request, pk)
    try:
        action(req)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("disclosure_detail", pk=req.pk)


@staff_required(CHANGE)
@require_POST
def item_add(request, pk: int):
    req = _get(request, pk)
    form = ItemAddForm(request.POST)
    if not form.is_valid():
        return _workbench(request, req, add_form=form, status=400)
    number = form.cleaned_data["number"].strip()
    document_id = request.POST.get("document")
    qs = Document.objects.public()
    if document_id:
        candidates = list(qs.filter(pk=document_id)[:1])
    else:
        exact = list(qs.filter(number=number)[:1])
        candidates = exact or list(qs.filter(number__icontains=number).order_by("number")[:11])
    if len(candidates) == 1:
        try:
            svc.disclosure_item_add(request=req, document=candidates[0], actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Handlingen %(n)s är tillagd.") % {"n": candidates[0].number})
        return redirect("disclosure_detail", pk=req.pk)
    if not candidates:
        messages.error(request, _("Ingen handling i diariet matchar ”%(q)s”.") % {"q": number})
        return redirect("disclosure_detail", pk=req.pk)
    return _workbench(request, req, add_form=form, candidates=candidates[:10], more_candidates=len(candidates) > 10)


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
def item_review(request, pk: int, item_pk: int):
    """The secrecy review of one document, with the masking editor and a preview of the released text."""
    req = _get(request, pk)
    item = get_object_or_404(DisclosureItem.objects.select_related("document__case", "legal_ground"),
                             pk=item_pk, request=req)
    if item.document is None:
        raise Http404
    view = document_view(item.document, request.user, audit_request=request, surface="disclosure_review")
    content = view["content"]
    preview = None
    if request.method == "POST":
        form = ReviewForm(request.POST, content=content)
        if form.is_valid():
            data = form.cleaned_data
            spans = data["mask_spans"] if data["outcome"] == DisclosureOutcome.RELEASE_MASKED else []
            if "preview" in request.POST:
                try:
                    preview = apply_masks(content or "", [tuple(s) for s in data["mask_spans"]])
                except ValueError:
                    form.add_error("spans", _("Ett avsnitt ligger utanför texten."))
            else:
                try:
                    svc.disclosure_review(item=item, outcome=data["outcome"], actor=request.user,
                                          legal_ground=data["legal_ground"], mask_spans=spans, note=data["note"])
                except DomainError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, _("Prövningen av %(n)s är sparad.") % {"n": item.document.number})
                    return redirect("disclosure_detail", pk=req.pk)
    else:
        form = ReviewForm(content=content, initial={
            "outcome": item.outcome if item.outcome != DisclosureOutcome.PENDING else None,
            "legal_ground": item.legal_ground_id or next(
                (m.legal_ground_id for m in item.document.active_markings() if m.part == "content"), None),
            "marked_text": spans_to_brackets(content or "", item.mask_spans),
            "note": item.note,
        })
        if item.outcome == DisclosureOutcome.RELEASE_MASKED and content is not None:
            preview = apply_masks(content, [tuple(s) for s in item.mask_spans])
    return render(request, "records/disclosure/review.html", {
        "req": req, "item": item, "doc": view, "form": form, "preview": preview,
        "editable": req.status in svc.REVIEWABLE, "content_length": len(content or ""),
        "nav_current": "disclosure_list",
    })


@staff_required(CHANGE)
@require_POST
def request_decide(request, pk: int):
    return _act(request, pk, lambda r: svc.disclosure_decide(request=r, actor=request.user),
                _("Begäran är avgjord."))


@staff_required(CHANGE)
@require_POST
def authority_decision(request, pk: int):
    return _act(request, pk, lambda r: svc.disclosure_authority_decision(request=r, actor=request.user),
                _("Myndighetens beslut är fattat. Ladda ned beslutet och skicka det till sökanden."))


@staff_required(CHANGE)
@require_POST
def appeal_register(request, pk: int):
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange när överklagandet kom in."))
        return redirect("disclosure_detail", pk=pk)
    return _act(request, pk, lambda r: svc.disclosure_appeal_register(
        request=r, received_at=form.cleaned_data["received_at"], actor=request.user),
        _("Överklagandet är registrerat; handlingarna är spärrade mot gallring."))


@staff_required(CHANGE)
@require_POST
def appeal_close(request, pk: int):
    form = AppealCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj domstolens avgörande."))
        return redirect("disclosure_detail", pk=pk)
    return _act(request, pk, lambda r: svc.disclosure_appeal_close(
        request=r, outcome=form.cleaned_data["outcome"], actor=request.user), _("Överklagandet är avgjort."))


@staff_required(CHANGE)
@require_POST
def request_close(request, pk: int):
    return _act(request, pk, lambda r: svc.disclosure_close(request=r, actor=request.user),
                _("Begäran är avslutad."))


@staff_required(CHANGE)
@require_POST
def deliver(request, pk: int):
    """The released copies as a download (PDF or ZIP); marks the request delivered."""
    req = _get(request, pk)
    form = DeliverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj PDF eller ZIP."))
        return redirect("disclosure_detail", pk=req.pk)
    fmt = form.cleaned_data["format"]
    try:
        data = svc.disclosure_deliver(request=req, actor=request.user, format=fmt)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("disclosure_detail", pk=req.pk)
    response = HttpResponse(data, content_type="application/pdf" if fmt == "pdf" else "application/zip")
    response["Content-Disposition"] = f'attachment; filename="{req.reference}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_required(VIEW)
@require_safe
def letter_download(request, pk: int, letter_pk: int):
    req = _get(request, pk)
    letter = get_object_or_404(req.letters.all(), pk=letter_pk)
    return stored_file_response(request, letter.pdf, filename=f"{req.reference}-{letter.kind}.pdf", target=letter)
