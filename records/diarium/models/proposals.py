"""The registrar's inbox (proposals to register) and the per-reason settings."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from records.common import user_fk, visible_if_permitted
from records.diarium.models.documents import RegistrationReason


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Väntar")
    ACCEPTED = "accepted", _("Diarieförd")
    DECLINED = "declined", _("Avböjd")


class RegistrationProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_if_permitted(self, user, "view_registrationproposal")

    def pending(self):
        return self.filter(status=ProposalStatus.PENDING)


class RegistrationProposal(models.Model):
    """A source item someone (a moderator, a rule, the system) proposes for registration."""

    source_type = models.CharField(_("källtyp"), max_length=60)
    source_id = models.CharField(_("käll-id"), max_length=64)
    reason = models.CharField(_("skäl"), max_length=30, choices=RegistrationReason.choices)
    suggested_description = models.CharField(_("föreslagen beskrivning"), max_length=500, blank=True)
    proposed_by = user_fk(_("föreslagen av"))
    proposed_at = models.DateTimeField(_("föreslagen"), default=timezone.now)
    secret = models.BooleanField(_("ska sekretessmarkeras"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus.choices,
                              default=ProposalStatus.PENDING)
    decided_by = user_fk(_("beslutad av"))
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    decline_reason = models.TextField(_("skäl för avböjande"), blank=True)
    document = models.ForeignKey("records.Document", verbose_name=_("handling"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="proposals")

    objects = RegistrationProposalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("förslag till diarieföring")
        verbose_name_plural = _("förslag till diarieföring")
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["status", "proposed_at"], name="records_proposal_status_idx"),
            models.Index(fields=["source_type", "source_id"], name="records_proposal_source_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "reason"], condition=Q(status="pending"),
                name="records_proposal_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} – {self.source_type} {self.source_id}"

    @property
    def audit_label(self) -> str:
        return f"Förslag {self.pk} ({self.source_type}:{self.source_id})"


class RegistrationSetting(models.Model):
    """Per registration reason: whether it is registered at once, in which series, and the running case
    such registrations go to by default (e.g. the yearly "Raderade kommentarer på kommunens sociala
    medier 2026" for removed comments): `running_case_title` names it, with {year}; a new one is opened
    in `default_series` when the year turns or the previous one was closed
    (records.diarium.services.cases.running_case_for)."""

    reason = models.CharField(_("skäl"), max_length=30, choices=RegistrationReason.choices, unique=True)
    auto_register = models.BooleanField(
        _("diarieför automatiskt"), default=False,
        help_text=_("Annars hamnar förslaget i registratorns inkorg."),
    )
    default_series = models.ForeignKey("records.Series", verbose_name=_("standardserie"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    running_case_title = models.CharField(
        _("löpande ärende (ärendemening)"), max_length=300, blank=True,
        help_text=_("T.ex. \"Raderade kommentarer på kommunens sociala medier {year}\". Tomt = inget löpande ärende."),
    )
    running_case = models.ForeignKey("records.Case", verbose_name=_("löpande ärende"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inställning för diarieföring")
        verbose_name_plural = _("inställningar för diarieföring")
        ordering = ["reason"]

    def __str__(self) -> str:
        return str(self.get_reason_display())

    @property
    def audit_label(self) -> str:
        return f"Diarieföringsinställning {self.reason}"

    def running_title(self, year: int) -> str:
        return (self.running_case_title or "").replace("{year}", str(year)).strip()

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.running_case_title and self.default_series_id is None:
            raise ValidationError({"default_series": _("Ett löpande ärende öppnas i standardserien: välj en.")})
