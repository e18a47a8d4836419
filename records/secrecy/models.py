"""Secrecy (sekretess): legal grounds and markings per part of a document (OSL 5 kap. 2 §)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from records.common import user_fk


class LegalGroundQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class LegalGround(models.Model):
    """A provision of OSL (2009:400) that secrecy can rest on; administrators keep the list."""

    code = models.CharField(_("lagrum"), max_length=60, unique=True, help_text=_("T.ex. OSL 26 kap. 1 §"))
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    active = models.BooleanField(_("aktiv"), default=True)

    objects = LegalGroundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lagrum")
        verbose_name_plural = _("lagrum")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.title})"

    @property
    def audit_label(self) -> str:
        return f"Lagrum {self.code}"


class SecrecyPart(models.TextChoices):
    SENDER = "sender", _("Avsändare/mottagare")
    DESCRIPTION = "description", _("Beskrivning")
    CONTENT = "content", _("Innehåll")


class SecrecyMarkingQuerySet(models.QuerySet):
    def active(self, on: date | None = None):
        """Markings in force on `on` (today): not lifted and not yet expired."""
        on = on or timezone.localdate()
        return self.filter(lifted_at__isnull=True).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=on))


class SecrecyMarking(models.Model):
    """One part of one document under secrecy, with its legal ground.

    `expires_on` is the day secrecy ceases (OSL 5 kap. 5 §: the marking states how long secrecy
    lasts where the law sets a limit): the marking is in force up to the day before. Lifting is a
    new state (lifted_at/by/reason), never a deletion; at most one marking per part is unlifted.
    """

    document = models.ForeignKey("records.Document", verbose_name=_("handling"), on_delete=models.PROTECT,
                                 related_name="secrecy_markings")
    part = models.CharField(_("del"), max_length=20, choices=SecrecyPart.choices)
    legal_ground = models.ForeignKey(LegalGround, verbose_name=_("lagrum"), on_delete=models.PROTECT,
                                     related_name="markings")
    marked_by = user_fk(_("markerad av"))
    marked_at = models.DateTimeField(_("markerad"), default=timezone.now)
    expires_on = models.DateField(_("sekretessen upphör"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("hävd"), null=True, blank=True)
    lifted_by = user_fk(_("hävd av"))
    lift_reason = models.TextField(_("skäl för hävning"), blank=True)

    objects = SecrecyMarkingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sekretessmarkering")
        verbose_name_plural = _("sekretessmarkeringar")
        ordering = ["document_id", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "part"], condition=Q(lifted_at__isnull=True), name="records_secrecy_one_active",
            ),
        ]
        indexes = [
            # "Which sources have a secret sender?" (moderation masks those accounts everywhere).
            models.Index(fields=["part", "document"], condition=Q(lifted_at__isnull=True),
                         name="records_secrecy_part_idx"),
        ]

    def __str__(self) -> str:
        ground = self.legal_ground.code if self.legal_ground_id else "–"
        return f"{self.get_part_display()}: {ground}"

    @property
    def audit_label(self) -> str:
        return f"Sekretessmarkering {self.pk} ({self.part})"

    def is_active(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.lifted_at is None and (self.expires_on is None or self.expires_on > on)
