"""One reusable history view: who changed what, when, as field: old → new.

A model can hide fields from a user by defining `history_hidden_fields(self, user) -> set[str]`
(records uses it for secret parts) and say which secret parts it shows a permitted user with
`history_delivered_secret(self, user) -> set[str]` (each such view is audited); a model's manager
can define `visible_to(user)` to restrict which objects a user may see at all. Hidden values are
replaced before they reach the template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.audit.display import TYPE_LABELS, local_time, type_label
from accounts.models import AuditAction
from accounts.services import audit_record

HIDDEN = "[sekretess]"
_SKIP = {"id", "history_id", "history_date", "history_change_reason", "history_type", "history_user",
         "history_relation"}


@dataclass
class Change:
    field: str
    old: str
    new: str
    lang: str = ""  # "en" for the English version of a text (rules, reply templates)


@dataclass
class HistoryRow:
    when: object
    who: str
    kind: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""


def _display(value, f: models.Field | None = None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if f is not None and f.choices:
        labels = {str(k): str(v) for k, v in f.flatchoices}
        if isinstance(value, list | tuple):
            return ", ".join(labels.get(str(v), str(v)) for v in value) or "—"
        if str(value) in labels:
            return labels[str(value)]
    if isinstance(value, dt.datetime):
        # Stored in UTC; shown, like the row's own time, in local time (Europe/Stockholm).
        return local_time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_display(v) for v in value) or "—"
    text = str(value)
    if text in TYPE_LABELS:  # an object type kept as its code (a retention class's "applies to")
        return type_label(text)
    return text if len(text) <= 300 else text[:300] + "…"


def _fields(model) -> dict[str, models.Field]:
    return {
        f.attname: f for f in model._meta.concrete_fields if f.attname not in _SKIP and f.name not in _SKIP
    }


def history_rows(obj: models.Model, user) -> list[HistoryRow]:
    hidden: set[str] = set()
    if hasattr(obj, "history_hidden_fields"):
        hidden = set(obj.history_hidden_fields(user))
    fields = _fields(type(obj))
    excluded = set(getattr(getattr(type(obj), "history", None), "excluded_fields", None) or [])
    records = list(obj.history.all().select_related("history_user").order_by("-history_date", "-history_id"))
    kinds = {"+": _("Skapad"), "~": _("Ändrad"), "-": _("Borttagen")}
    rows: list[HistoryRow] = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        changes: list[Change] = []
        for attname, f in fields.items():
            if attname in excluded or f.name in excluded:
                continue
            new_value = getattr(record, attname, None)
            old_value = getattr(older, attname, None) if older is not None else None
            if older is not None and new_value == old_value:
                continue
            if older is None and new_value in (None, "", [], {}):
                continue
            label = str(f.verbose_name)
            if f.name in hidden or attname in hidden:
                changes.append(Change(label, HIDDEN if older is not None else "—", HIDDEN))
            else:
                changes.append(Change(label, _display(old_value, f) if older is not None else "—",
                                      _display(new_value, f), lang="en" if f.name.endswith("_en") else ""))
        who = record.history_user.get_username() if record.history_user_id else _("systemet")
        rows.append(HistoryRow(when=record.history_date, who=who, kind=kinds.get(record.history_type, ""),
                               changes=changes, reason=record.history_change_reason or ""))
    return rows


def visible_object(model, pk, user):
    manager = model._default_manager
    queryset = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()
    try:
        return queryset.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def history_view(request, app_label: str, model_name: str, pk: str):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as exc:
        raise Http404 from exc
    if not hasattr(model, "history"):
        raise Http404
    perm = f"{app_label}.view_{model._meta.model_name}"
    if not (request.user.has_perm(perm) and request.user.is_staff_member):
        audit_record(actor=request.user, action=AuditAction.PERMISSION_DENIED, request=request,
                     target=(f"{app_label}.{model_name}", pk, "historik"))
        raise PermissionDenied
    obj = visible_object(model, pk, request.user)
    rows = history_rows(obj, request.user)
    # A model that shows secret parts to permitted users says which (`history_delivered_secret`):
    # every view of secret content is logged (DESIGN 3).
    delivered = obj.history_delivered_secret(request.user) if hasattr(obj, "history_delivered_secret") else set()
    if delivered:
        audit_record(actor=request.user, action=AuditAction.SECRET_VIEWED, target=obj, request=request,
                     detail={"parts": sorted(delivered), "surface": "history"})
    template = "history/history_fragment.html" if getattr(request, "htmx", False) else "history/history.html"
    return render(request, template, {"object": obj, "rows": rows, "model_name": model._meta.verbose_name})
