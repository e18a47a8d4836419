"""Configuration for administrators, in the app: rules (a text change is a new version),
detectors (saving re-screens stored items), reply templates, and the channel list."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import staff_required
from moderation.models import Detector, ReplyTemplate, Rule, ScreeningRun
from moderation.rules.forms import DetectorForm, ReplyTemplateForm, RuleForm
from moderation.screening.services import detector_changed


@staff_required("moderation.change_rule")
def rule_list(request):
    return render(request, "moderation/config/rule_list.html", {"rules": Rule.objects.order_by("order", "code")})


@staff_required("moderation.change_rule")
def rule_edit(request, pk: int | None = None):
    rule = get_object_or_404(Rule, pk=pk) if pk else None
    if rule is None and not request.user.has_perm("moderation.add_rule"):
        from accounts.permissions import deny

        deny(request, "moderation.add_rule")
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        saved = form.save(actor=request.user)
        messages.success(request, _("Regeln %(code)s är sparad (version %(v)d).") % {"code": saved.code,
                                                                                     "v": saved.version})
        return redirect("config_rules")
    return render(request, "moderation/config/edit.html", {
        "form": form, "object": rule, "title": _("Regel") if rule else _("Ny regel"),
        "back": "config_rules"})


@staff_required("moderation.change_detector")
def detector_list(request):
    detectors = Detector.objects.select_related("rule").prefetch_related("channels").order_by("rule__order", "name")
    return render(request, "moderation/config/detector_list.html", {
        "detectors": detectors, "runs": ScreeningRun.objects.order_by("-started_at")[:5]})


@staff_required("moderation.change_detector")
def detector_edit(request, pk: int | None = None):
    detector = get_object_or_404(Detector, pk=pk) if pk else None
    if detector is None and not request.user.has_perm("moderation.add_detector"):
        from accounts.permissions import deny

        deny(request, "moderation.add_detector")
    form = DetectorForm(request.POST or None, instance=detector)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            # Forget compiled matchers and re-screen stored items (after commit, as a task).
            detector_changed(detector=saved, actor=request.user)
        messages.success(request, _("Granskningen ”%(name)s” är sparad. Lagrade inlägg granskas om; nya träffar "
                                    "hamnar i kön.") % {"name": saved.name})
        return redirect("config_detectors")
    return render(request, "moderation/config/edit.html", {
        "form": form, "object": detector,
        "title": _("Automatisk granskning") if detector else _("Ny automatisk granskning"),
        "back": "config_detectors"})


@staff_required("moderation.change_replytemplate")
def template_list(request):
    return render(request, "moderation/config/template_list.html",
                  {"templates": ReplyTemplate.objects.order_by("purpose", "name")})


@staff_required("moderation.change_replytemplate")
def template_edit(request, pk: int | None = None):
    template = get_object_or_404(ReplyTemplate, pk=pk) if pk else None
    form = ReplyTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Svarsmallen ”%(name)s” är sparad.") % {"name": saved.name})
        return redirect("config_templates")
    return render(request, "moderation/config/edit.html", {
        "form": form, "object": template, "title": _("Svarsmall") if template else _("Ny svarsmall"),
        "back": "config_templates"})


