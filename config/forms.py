"""Form fields shared by the apps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from config.api import MAX_ID


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField whose ids are checked to be numbers the database can hold before the
    `pk__in` query (Django checks each id alone, but a too large one then overflows the driver)."""

    def _check_values(self, value):
        for pk in value or ():
            text = str(pk).strip()
            if not text.isdecimal() or not 1 <= int(text) <= MAX_ID:
                raise ValidationError(_("Ogiltigt val: %(pk)s finns inte."), code="invalid_pk_value",
                                      params={"pk": text[:30]})
        return super()._check_values(value)
