"""Consent pages: the unit's consents, recording one (with the signed form), the outgoing items with pictures
and no recorded consent, a consent's page (its posts; after withdrawal, the posts to take down), and the
item page's consent forms. Views check input and call moderation/consent/services.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import DomainError
from accounts.models import Unit
from accounts.permissions import staff_required
from moderation.channels.models import moderator_unit_ids, sees_all_channels
from moderation.consent import services
from moderation.consent.forms import ConsentForm, ConsentLinkForm, NotNeededForm, WithdrawForm
from moderation.consent.models import Consent
from moderation.models import Item
from records.diarium.views.files import file_response

PAGE_SIZE = 50


def _units(user):
    if sees_all_channels(user):
        return Unit.objects.active().order_by("name")
    return Unit.objects.filter(pk__in=moderator_unit_ids(user)).order_by("name")


def _unit_filter(request) -> int | None:
    value = request.GET.get("enhet") or ""
    return int(value) if value.isdecimal() else None


@staff_required("moderation.view_consent")
def consent_list(request):
    consents = Consent.objects.visible_to(request.user).select_related("unit").order_by("-given_at", "-id")
    unit_id = _unit_filter(request)
    if unit_id:
        consents = consents.filter(unit_id=unit_id)
    page = Paginator(consents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/consent/list.html", {
        "page": page, "units": _units(request.user), "unit_id": unit_id,
        "can_add": request.user.has_perm("moderation.add_consent"), "today": timezone.localdate(),
    })


@staff_required("moderation.add_consent")
def consent_create(request):
    units = _units(request.user)
    item = None
    if (request.GET.get("item") or request.POST.get("item") or "").isdecimal():
        item = get_object_or_404(Item.objects.visible_to(request.user), pk=int(request.GET.get("item")
                                                                                or request.POST.get("item")))
    if request.method == "POST":
        form = ConsentForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                consent = services.consent_record(
                    unit=data["unit"], person_name=data["person_name"], given_by=data["given_by"],
                    given_at=data["given_at"], method=data["method"], scope=data["scope"],
                    valid_until=data["valid_until"], form=data["form"], actor=request.user, request=request)
                if item is not None:
                    services.item_consent_link(item=item, consent=consent, actor=request.user, request=request)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Samtycket är registrerat."))
                return redirect("item_detail", pk=item.pk) if item else redirect("consent_detail", pk=consent.pk)
        status = 400
    else:
        initial = {"unit": item.channel.unit_id if item else (units[0].pk if len(units) == 1 else None)}
        form = ConsentForm(units=units, initial=initial)
        status = 200
    return render(request, "moderation/consent/form.html", {"form": form, "item": item}, status=status)


@staff_required("moderation.view_consent")
def consent_detail(request, pk: int):
    consent = get_object_or_404(Consent.objects.visible_to(request.user).select_related("unit", "recorded_by"), pk=pk)
    items = list(Item.objects.visible_to(request.user).filter(consent_links__consent=consent)
                 .select_related("channel").order_by("received_at"))
    return render(request, "moderation/consent/detail.html", {
        "consent": consent, "items": items, "takedown": list(services.takedown_items(consent)),
        "withdraw_form": WithdrawForm(), "can_change": request.user.has_perm("moderation.change_consent"),
    })


@require_POST
@staff_required("moderation.change_consent")
def consent_withdraw_view(request, pk: int):
    consent = get_object_or_404(Consent.objects.visible_to(request.user), pk=pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            items = services.consent_withdraw(consent=consent, actor=request.user, note=form.cleaned_data["note"],
                                              request=request)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.warning(request, _("Samtycket är återkallat. %(n)s inlägg ska tas ned.") % {"n": len(items)})
    return redirect("consent_detail", pk=consent.pk)


@staff_required("moderation.view_consent")
def consent_form_download(request, pk: int):
    consent = get_object_or_404(Consent.objects.visible_to(request.user), pk=pk)
    if not consent.form:
        raise Http404
    return file_response(consent.form.storage.open(consent.form.name, "rb"), content_type=consent.form_content_type,
                         filename=f"samtycke-{consent.pk}-blankett{consent.form.name[-4:]}", inline=False)


@staff_required("moderation.view_consent")
def consent_missing(request):
    unit_id = _unit_filter(request)
    items = services.items_missing_consent(user=request.user, unit_id=unit_id)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/consent/missing.html", {
        "page": page, "units": _units(request.user), "unit_id": unit_id})


def _item(request, pk: int) -> Item:
    return get_object_or_404(Item.objects.visible_to(request.user).select_related("channel"), pk=pk)


def _after(request, item: Item, call, success: str):
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("item_detail", pk=item.pk)


@require_POST
@staff_required("moderation.add_consent")
def item_consent_link_view(request, pk: int):
    item = _item(request, pk)
    form = ConsentLinkForm(request.POST, consents=Consent.objects.visible_to(request.user))
    if not form.is_valid():
        messages.error(request, _("Välj ett samtycke."))
        return redirect("item_detail", pk=item.pk)
    consent = form.cleaned_data["consent"]
    return _after(request, item, lambda: services.item_consent_link(item=item, consent=consent, actor=request.user,
                                                                     request=request),
                  _("Inlägget är kopplat till samtycket."))


@require_POST
@staff_required("moderation.add_consent")
def item_consent_not_needed_view(request, pk: int):
    item = _item(request, pk)
    form = NotNeededForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv varför inget samtycke behövs."))
        return redirect("item_detail", pk=item.pk)
    return _after(request, item, lambda: services.item_consent_not_needed(
        item=item, reason=form.cleaned_data["reason"], actor=request.user, request=request),
        _("Det är registrerat att inget samtycke behövs."))


@require_POST
@staff_required("moderation.change_consent")
def item_consent_unlink_view(request, pk: int, consent_pk: int):
    item = _item(request, pk)
    consent = get_object_or_404(Consent.objects.visible_to(request.user), pk=consent_pk)
    return _after(request, item, lambda: services.item_consent_unlink(item=item, consent=consent, actor=request.user,
                                                                       request=request),
                  _("Kopplingen till samtycket är borttagen."))
