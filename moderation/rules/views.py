"""Configuration for administrators, in the app: rules (a text change is a new version),
detectors (saving re-screens stored items), reply templates, and the channel list."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.permissions import staff_required
from moderation.models import Detector, ReplyTemplate, Rule, ScreeningRun
from moderation.rules.forms import DetectorForm, ReplyTemplateForm, RuleForm


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
    from moderation.screening.evaluation import HOLD_MIN_HITS, HOLD_PRECISION
    from moderation.screening.services import detector_stats

    detectors = list(Detector.objects.select_related("rule").prefetch_related("channels")
                     .order_by("rule__order", "name"))
    stats = detector_stats(days=30)  # one aggregate query for all rows
    empty = {"flagged": 0, "held": 0, "false_holds": 0}
    rows = [(d, stats.get(d.pk, empty)) for d in detectors]
    return render(request, "moderation/config/detector_list.html", {
        "rows": rows, "runs": ScreeningRun.objects.order_by("-started_at")[:5],
        "hold_precision": HOLD_PRECISION, "hold_min_hits": HOLD_MIN_HITS})


@staff_required("moderation.change_detector")
def detector_edit(request, pk: int | None = None):
    detector = get_object_or_404(Detector, pk=pk) if pk else None
    if detector is None and not request.user.has_perm("moderation.add_detector"):
        from accounts.permissions import deny

        deny(request, "moderation.add_detector")
    form = DetectorForm(request.POST or None, instance=detector)
    if request.method == "POST" and form.is_valid():
        from moderation.screening.services import detector_save

        try:
            # expands the words, measures precision on the corpus, refuses holding below 0.99,
            # forgets compiled matchers and re-screens stored items (after commit, as a task)
            saved = detector_save(detector=form.save(commit=False), actor=request.user, save_m2m=form.save_m2m)
        except DomainError as exc:
            form.add_error("action", exc.message)
        else:
            messages.success(request, _("Granskningen ”%(name)s” är sparad. Lagrade inlägg granskas om; nya "
                                        "träffar hamnar i kön.") % {"name": saved.name})
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


