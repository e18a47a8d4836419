"""Stored attachments of item versions, and evidence sheets.

An ``Attachment`` belongs to the ``ItemVersion`` it arrived with: an edit that changes the pictures adds
new rows to the new version, the old rows stay with the old version. The row is also the outbox row of
its download (status pending + ``next_attempt_at``): written in the ingest transaction, fetched by the
worker after commit, retried with back-off. Files are content-addressed (``media/sha256/ab/abcd…``), so
the same picture sent a thousand times is stored once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Bild")
    VIDEO = "video", _("Video")
    STICKER = "sticker", _("Klistermärke")
    LINK_PREVIEW = "link_preview", _("Länkförhandsvisning")
    ANIMATED_GIF = "animated_gif", _("Animerad gif")
    FILE = "file", _("Fil")


class FetchStatus(models.TextChoices):
    """Where a download stands; the allowed transitions are in moderation/media/workflow.py."""

    PENDING = "pending", _("Väntar på hämtning")
    FETCHING = "fetching", _("Hämtas")
    STORED = "stored", _("Sparad")
    RETRYING = "retrying", _("Kunde inte hämtas, försöker igen")
    FAILED = "failed", _("Kunde inte hämtas")
    REFUSED = "refused", _("Adressen är inte tillåten")
    TOO_LARGE = "too_large", _("För stor för att sparas")


# Statuses in which the worker still works on the download.
OPEN_FETCH_STATUSES = (FetchStatus.PENDING, FetchStatus.FETCHING, FetchStatus.RETRYING)
# Statuses in which it has given up: only staff can send it through again.
GIVEN_UP_STATUSES = (FetchStatus.FAILED, FetchStatus.REFUSED, FetchStatus.TOO_LARGE)


class AttachmentQuerySet(models.QuerySet):
    def due(self, at=None):
        """Downloads the worker should run now (served by moderation_attachment_due_idx)."""
        at = at or timezone.now()
        return self.filter(status__in=[FetchStatus.PENDING, FetchStatus.RETRYING],
                           next_attempt_at__lte=at).order_by("next_attempt_at", "id")

    def stored(self):
        return self.filter(status=FetchStatus.STORED)


class Attachment(models.Model):
    """One picture, video, sticker, link-preview image, animated GIF or file of an item version.

    Operational state (status, attempts) changes without history; the stored copy's identity (sha256,
    size, content type) is written once, when it is stored, and never changed."""

    item = models.ForeignKey("moderation.Item", verbose_name=_("inlägg"), on_delete=models.CASCADE,
                             related_name="stored_attachments")
    version = models.ForeignKey("moderation.ItemVersion", verbose_name=_("version"), on_delete=models.CASCADE,
                                related_name="stored_attachments")
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    kind = models.CharField(_("slag"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.PHOTO)
    platform_url = models.TextField(_("adress på plattformen"))
    platform_id = models.CharField(_("plattformens id"), max_length=200, blank=True)
    declared_content_type = models.CharField(_("angiven filtyp"), max_length=100, blank=True,
                                             help_text=_("Vad plattformen säger; den sparade typen läses ur filen."))
    # The stored copy (empty until stored).
    file = models.FileField(_("fil"), max_length=300, blank=True)
    content_type = models.CharField(_("filtyp"), max_length=100, blank=True)
    size = models.BigIntegerField(_("storlek (byte)"), null=True, blank=True)
    sha256 = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64, blank=True, db_index=True)
    width = models.PositiveIntegerField(_("bredd"), null=True, blank=True)
    height = models.PositiveIntegerField(_("höjd"), null=True, blank=True)
    # The download (the outbox).
    status = models.CharField(_("status"), max_length=12, choices=FetchStatus.choices, default=FetchStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), null=True, blank=True, default=timezone.now)
    last_error = models.CharField(_("senaste fel"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    stored_at = models.DateTimeField(_("sparad"), null=True, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["item", "version", "position", "id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="moderation_attachment_due_idx"),
            models.Index(fields=["item", "status"], name="moderation_attachment_item_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def audit_label(self) -> str:
        return f"Bilaga {self.pk} till inlägg {self.item_id}"

    @property
    def is_stored(self) -> bool:
        return self.status == FetchStatus.STORED

    @property
    def is_image(self) -> bool:
        return self.is_stored and self.content_type.startswith("image/")


class EvidenceReason(models.TextChoices):
    REMOVAL = "removal", _("Vid borttagning")
    ON_DEMAND = "on_demand", _("På begäran")


class EvidenceStatus(models.TextChoices):
    PENDING = "pending", _("Skapas")
    RENDERED = "rendered", _("Skapat")
    RETRYING = "retrying", _("Kunde inte skapas, försöker igen")
    FAILED = "failed", _("Kunde inte skapas")


class EvidenceSheet(models.Model):
    """What the public saw: the item with its thread, author, times, text, pictures and platform address,
    rendered from the stored data (no network) to PDF/A-2b and PNG, both hashed. Belongs to the item
    version it shows; attached to the document registered from the item."""

    item = models.ForeignKey("moderation.Item", verbose_name=_("inlägg"), on_delete=models.CASCADE,
                             related_name="evidence_sheets")
    version = models.ForeignKey("moderation.ItemVersion", verbose_name=_("version"), on_delete=models.CASCADE,
                                related_name="evidence_sheets")
    decision = models.ForeignKey("moderation.Decision", verbose_name=_("beslut"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="evidence_sheets")
    reason = models.CharField(_("anledning"), max_length=12, choices=EvidenceReason.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("begärt av"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("begärt"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=EvidenceStatus.choices,
                              default=EvidenceStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), null=True, blank=True, default=timezone.now)
    last_error = models.CharField(_("senaste fel"), max_length=500, blank=True)
    pdf = models.FileField(_("PDF/A"), max_length=300, blank=True)
    pdf_sha256 = models.CharField(_("PDF:ens SHA-256"), max_length=64, blank=True)
    pdf_size = models.BigIntegerField(_("PDF:ens storlek"), null=True, blank=True)
    png = models.FileField(_("PNG"), max_length=300, blank=True)
    png_sha256 = models.CharField(_("PNG:ens SHA-256"), max_length=64, blank=True)
    png_size = models.BigIntegerField(_("PNG:ens storlek"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("sidor"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("skapat"), null=True, blank=True)
    render_ms = models.PositiveIntegerField(_("tid att skapa (ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("bevisblad")
        verbose_name_plural = _("bevisblad")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="moderation_evidence_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Bevisblad {self.pk}"

    @property
    def audit_label(self) -> str:
        return f"Bevisblad {self.pk} för inlägg {self.item_id}"
