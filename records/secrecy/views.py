"""Marking and lifting secrecy on a document's parts (sender, description, content)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import deny, staff_required
from records.diarium.forms import (
    ReasonForm,
)
from records.models import Document, SecrecyMarking
from records.secrecy import services as secrecy_services
from records.secrecy.forms import SecrecyMarkForm, SenderExtendForm
from records.viewhelpers import document_action


@require_POST
@staff_required("records.register_document", "records.add_secrecymarking")
def secrecy_mark(request, pk: int):
    document = get_object_or_404(Document, pk=pk)
    response = document_action(
        request, SecrecyMarkForm(request.POST),
        lambda data: secrecy_services.secrecy_mark(document=document, actor=request.user, **data),
        success=_("Sekretessmarkeringen är sparad."), invalid=_("Välj del och lagrum."), document_id=pk)
    if request.POST.get("part") == "sender" and secrecy_services.sender_relatives(
            document=Document.objects.with_secrecy().get(pk=pk)):
        # The same sender elsewhere: the page lists it for the registrar to extend the marking.
        return redirect(reverse("records_document_detail", args=[pk]) + "#same-sender")
    return response


@require_POST
@staff_required("records.register_document", "records.add_secrecymarking")
def secrecy_extend(request, pk: int):
    """Extend the secret-sender marking to the other documents and items with the same sender."""
    if not secrecy_services.may_view_secret(request.user):
        deny(request, "sekretess")
    document = get_object_or_404(Document.objects.with_secrecy(), pk=pk)
    relatives = secrecy_services.sender_relatives(document=document)
    form = SenderExtendForm(request.POST, relatives=relatives)

    def extend(data):
        result = secrecy_services.secrecy_extend_to_sender(
            document=document, actor=request.user, documents=data["documents"], sources=data["sources"])
        return result

    return document_action(
        request, form, extend,
        success=_("Avsändaren är sekretessmarkerad även i de valda handlingarna och inläggen."),
        invalid=_("Välj minst en handling eller ett inlägg."), document_id=pk)


@require_POST
@staff_required("records.register_document", "records.change_secrecymarking")
def secrecy_lift(request, pk: int):
    marking = get_object_or_404(SecrecyMarking, pk=pk)
    return document_action(
        request, ReasonForm(request.POST),
        lambda data: secrecy_services.secrecy_lift(marking=marking, actor=request.user, reason=data["reason"]),
        success=_("Sekretessmarkeringen är hävd."), invalid=_("Ange skäl för att häva sekretessen."),
        document_id=marking.document_id)

