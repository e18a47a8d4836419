"""Files frozen with a registered document: the pictures and other attachments of the source, copied at
registration (their SHA-256 is listed in the content, so ``Document.content_sha256`` covers them), and
evidence sheets added afterwards (``added_later``).

The document owns its copies: they outlive the source (a purged item) and are deleted only when the
document itself is purged. Files are part of the document's CONTENT: where the content is secret, they
are shown only to those who may see secret content."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentFile(models.Model):
    document = models.ForeignKey("records.Document", verbose_name=_("handling"), on_delete=models.PROTECT,
                                 related_name="files")
    source_key = models.CharField(_("källans nyckel"), max_length=80)
    kind = models.CharField(_("slag"), max_length=30, help_text=_("photo, video, evidence_pdf …"))
    label = models.CharField(_("beskrivning"), max_length=200)
    content_type = models.CharField(_("filtyp"), max_length=100)
    size = models.BigIntegerField(_("storlek (byte)"))
    sha256 = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)
    file = models.FileField(_("fil"), max_length=300)
    source_version = models.PositiveIntegerField(_("källans version"), null=True, blank=True)
    added_later = models.BooleanField(_("tillagd efter registreringen"), default=False,
                                      help_text=_("T.ex. ett bevisblad; omfattas inte av innehållets kontrollsumma."))
    added_at = models.DateTimeField(_("tillagd"), default=timezone.now)

    class Meta:
        verbose_name = _("fil till handling")
        verbose_name_plural = _("filer till handlingar")
        ordering = ["document", "added_later", "id"]
        constraints = [models.UniqueConstraint(fields=["document", "source_key"], name="records_docfile_once")]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.label}"

    @property
    def audit_label(self) -> str:
        return f"Fil {self.pk} till handling {self.document_id}"

    @property
    def is_image(self) -> bool:
        return self.content_type in ("image/jpeg", "image/png", "image/gif", "image/webp")
