"""Marking and lifting secrecy on a document's parts (sender, description, content)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import staff_required
from records.diarium.forms import (
    ReasonForm,
)
from records.models import Document, SecrecyMarking
from records.secrecy import services as secrecy_services
from records.secrecy.forms import SecrecyMarkForm
from records.viewhelpers import document_action


@require_POST
@staff_required("records.register_document", "records.add_secrecymarking")
def secrecy_mark(request, pk: int):
    document = get_object_or_404(Document, pk=pk)
    return document_action(
        request, SecrecyMarkForm(request.POST),
        lambda data: secrecy_services.secrecy_mark(document=document, actor=request.user, **data),
        success=_("Sekretessmarkeringen är sparad."), invalid=_("Välj del och lagrum."), document_id=pk)


@require_POST
@staff_required("records.register_document", "records.change_secrecymarking")
def secrecy_lift(request, pk: int):
    marking = get_object_or_404(SecrecyMarking, pk=pk)
    return document_action(
        request, ReasonForm(request.POST),
        lambda data: secrecy_services.secrecy_lift(marking=marking, actor=request.user, reason=data["reason"]),
        success=_("Sekretessmarkeringen är hävd."), invalid=_("Ange skäl för att häva sekretessen."),
        document_id=marking.document_id)

