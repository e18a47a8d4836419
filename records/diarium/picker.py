"""The case picker: choose a case by searching (htmx) instead of typing its number.

The field renders a search box and a group of radio buttons: the running case for the registration
reason first (or "opened now" when this year's is not open yet), the case already chosen, the cases
that match the search (GET /diarium/arenden/valj/, swapped in by htmx), else the latest open cases.
Radio buttons keep it a plain form: keyboard and screen readers work as for any radio group, and
nothing but htmx (and static/js/case-picker.js, which keeps Enter in the search box from submitting
the form) runs in the page.
"""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from records.diarium.services.cases import running_case_current
from records.diarium.services.search import case_search
from records.models import Case, CaseStatus, RegistrationSetting

RUNNING = "running"
LIMIT = 15


def case_choices(*, user, q: str = "", reason: str = "", selected: str = "") -> dict:
    """What the picker lists: {"running": (value, label) | None, "cases": [Case], "selected": str}."""
    running = None
    if reason:
        setting = RegistrationSetting.objects.filter(reason=reason).first()
        current = running_case_current(reason)
        if current is not None:
            running = (str(current.pk), f"{current.number} {current.display_title}", True)
        elif setting is not None and setting.running_case_title and setting.default_series_id:
            running = (RUNNING, str(_("Årets löpande ärende för skälet öppnas: ”%(t)s”")
                                    % {"t": setting.running_title(_this_year())}), False)
    cases = list(case_search(user=user, q=q, status=CaseStatus.OPEN).select_related("series")[:LIMIT])
    if selected.isdecimal() and all(str(c.pk) != selected for c in cases):
        chosen = Case.objects.visible_to(user).filter(pk=int(selected), status=CaseStatus.OPEN).first()
        if chosen is not None:
            cases.insert(0, chosen)
    if running is not None:
        cases = [c for c in cases if str(c.pk) != running[0]]
    return {"running": running, "cases": cases, "selected": selected, "q": q}


def _this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


class CasePickerWidget(forms.Widget):
    template_name = "records/widgets/case_picker.html"

    def __init__(self, *args, reason: str = "", user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason, self.user = reason, user

    def id_for_label(self, id_):
        return f"{id_}_search" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = "" if value is None else str(value.pk if isinstance(value, Case) else value)
        context["picker"] = {
            "url": reverse("records_case_picker"), "reason": self.reason, "name": name,
            "id": context["widget"]["attrs"].get("id", f"id_{name}"),
            **case_choices(user=self.user, reason=self.reason, selected=selected),
        }
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine (the sub-domain template folders), not the form renderer's.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")


class CasePickerField(forms.Field):
    """Cleans to an open Case, to RUNNING (the reason's running case, to be opened), or None."""

    widget = CasePickerWidget
    default_error_messages = {"invalid": _("Välj ett öppet ärende i listan."), "required": _("Välj ett ärende.")}

    def __init__(self, *args, reason: str = "", user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.reason, self.widget.user = reason, user

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in (None, ""):
            return None
        if isinstance(value, Case):
            return value
        if value == RUNNING:
            return RUNNING
        if not str(value).isdecimal():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        case = Case.objects.filter(pk=int(value)).first()
        if case is None or case.status != CaseStatus.OPEN:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return case
