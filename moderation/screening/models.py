"""Runs of re-screening after a detector changed (operational, no history)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScreeningRun(models.Model):
    """Progress of re-screening stored items after the detectors changed."""

    started_at = models.DateTimeField(_("startad"), default=timezone.now)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    items_total = models.PositiveIntegerField(_("inlägg totalt"), default=0)
    items_done = models.PositiveIntegerField(_("inlägg klara"), default=0)
    flags_created = models.PositiveIntegerField(_("nya flaggor"), default=0)
    triggered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("startad av"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("omgranskning")
        verbose_name_plural = _("omgranskningar")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Omgranskning {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def audit_label(self) -> str:
        return f"Omgranskning {self.pk}"

