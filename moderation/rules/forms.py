"""Forms for the administrators' configuration of rules, detectors and reply templates."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import (
    Detector,
    ReplyTemplate,
    Rule,
)


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["code", "title_sv", "title_en", "description_sv", "description_en", "consequence", "severity",
                  "is_violation", "published", "order", "active", "valid_from"]
        widgets = {"description_sv": forms.Textarea(attrs={"rows": 3}),
                   "description_en": forms.Textarea(attrs={"rows": 3, "lang": "en"}),
                   "valid_from": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                     format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]
        if self.instance.pk:
            self.fields["code"].disabled = True

    def save(self, commit=True, actor=None):
        rule = super().save(commit=False)
        if commit:
            from moderation.rules.services import rule_save

            rule_save(rule=rule, actor=actor, valid_from_set="valid_from" in self.changed_data)
        return rule


class DetectorForm(forms.ModelForm):
    class Meta:
        model = Detector
        fields = ["name", "kind", "rule", "action", "terms", "allow", "threshold", "window_minutes", "active",
                  "channels"]
        widgets = {"terms": forms.Textarea(attrs={"rows": 6}), "allow": forms.Textarea(attrs={"rows": 3}),
                   "channels": forms.CheckboxSelectMultiple}

    def clean_terms(self):
        terms = self.cleaned_data.get("terms", "")
        if self.cleaned_data.get("kind") == "words":
            from moderation.screening.terms import parse_term

            for line in terms.splitlines():
                _entries, error = parse_term(line)
                if error:
                    raise forms.ValidationError(_("Ogiltig term %(t)s: %(e)s") % {"t": line.strip(), "e": error})
        if self.cleaned_data.get("kind") == "pattern":
            import re

            for line in terms.splitlines():
                if line.strip():
                    try:
                        re.compile(line)
                    except re.error as exc:
                        raise forms.ValidationError(_("Ogiltigt mönster %(p)s: %(e)s") % {"p": line, "e": exc}) from exc
        return terms


class ReplyTemplateForm(forms.ModelForm):
    class Meta:
        model = ReplyTemplate
        fields = ["name", "purpose", "text_sv", "text_en", "active"]
        widgets = {"text_sv": forms.Textarea(attrs={"rows": 4}),
                   "text_en": forms.Textarea(attrs={"rows": 4, "lang": "en"})}
        help_texts = {"text_sv": _("Du kan skriva {namn}, {kanal}, {partier} och {e-tjänst}: när mallen väljs "
                                   "fylls de i med avsändarens namn, kanalen och kommunens länkar.")}

