"""Consents and the outgoing items that rest on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Undertecknad blankett")
    EMAIL = "email", _("E-post")
    ORAL = "oral", _("Muntligt (antecknat)")
    OTHER = "other", _("På annat sätt")


class ConsentQuerySet(models.QuerySet):
    def visible_to(self, user):
        from moderation.channels.models import moderator_unit_ids, sees_all_channels

        if sees_all_channels(user):
            return self
        return self.filter(unit_id__in=moderator_unit_ids(user))

    def in_force(self, on=None):
        on = on or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True).filter(models.Q(valid_until__isnull=True)
                                                             | models.Q(valid_until__gte=on))


class Consent(models.Model):
    """A person's consent to appear (picture or name) in what a unit publishes. Personal data: shown to
    staff of the unit, every change in history."""

    unit = models.ForeignKey("accounts.Unit", verbose_name=_("enhet"), on_delete=models.PROTECT,
                             related_name="consents")
    person_name = models.CharField(_("vem samtycket gäller"), max_length=200,
                                   help_text=_("Personen som syns eller nämns."))
    given_by = models.CharField(_("lämnat av"), max_length=200, blank=True,
                                help_text=_("Om någon annan lämnade samtycket, t.ex. en vårdnadshavare."))
    given_at = models.DateField(_("lämnat den"))
    method = models.CharField(_("hur det lämnades"), max_length=20, choices=ConsentMethod.choices,
                              default=ConsentMethod.SIGNED_FORM)
    scope = models.TextField(_("vad samtycket omfattar"),
                             help_text=_("T.ex. ”bilder från skolavslutningen 2026 i kommunens sociala medier”."))
    valid_until = models.DateField(_("gäller till och med"), null=True, blank=True)
    form = models.FileField(_("undertecknad blankett"), max_length=300, blank=True)
    form_content_type = models.CharField(_("blankettens filtyp"), max_length=100, blank=True)
    form_size = models.BigIntegerField(_("blankettens storlek"), null=True, blank=True)
    form_sha256 = models.CharField(_("blankettens SHA-256"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registrerat av"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("registrerat"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("återkallat"), null=True, blank=True)
    withdrawal_note = models.TextField(_("om återkallelsen"), blank=True)
    withdrawal_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("återkallelsen registrerad av"),
                                               null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    items = models.ManyToManyField("moderation.Item", verbose_name=_("inlägg"), through="ConsentItem",
                                   related_name="consents", blank=True)

    objects = ConsentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["form"])

    class Meta:
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["unit", "withdrawn_at"], name="moderation_consent_unit_idx")]

    def __str__(self) -> str:
        return f"Samtycke {self.pk}"

    @property
    def audit_label(self) -> str:
        return f"Samtycke {self.pk}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def summary(self) -> str:
        """One line for the item (Item.consent_basis): who, when, how, scope."""
        who = self.person_name + (f" (lämnat av {self.given_by})" if self.given_by else "")
        return (f"Samtycke {self.pk}: {who}, {self.get_method_display().lower()} {self.given_at:%Y-%m-%d}; "
                f"{self.scope}")[:300]


class ConsentItem(models.Model):
    """That an outgoing item rests on a consent: who linked them and when."""

    consent = models.ForeignKey(Consent, verbose_name=_("samtycke"), on_delete=models.CASCADE, related_name="links")
    item = models.ForeignKey("moderation.Item", verbose_name=_("inlägg"), on_delete=models.CASCADE,
                             related_name="consent_links")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("kopplat av"), null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(_("kopplat"), default=timezone.now)

    class Meta:
        verbose_name = _("inlägg med samtycke")
        verbose_name_plural = _("inlägg med samtycke")
        constraints = [models.UniqueConstraint(fields=["consent", "item"], name="moderation_consentitem_once")]

    def __str__(self) -> str:
        return f"{self.consent_id} → {self.item_id}"
