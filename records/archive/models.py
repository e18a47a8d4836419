"""Deliveries to the e-archive: each exported package, and the archive's receipt when it confirms.

A case leaves the diarium for the archive in two steps: the package is built and handed over
(`case_export` records an ArchiveDelivery), and the archive confirms it has taken the package in
(the receipt: date, the archive's reference, who entered it). Only the receipt makes the case
"delivered" (records.workflow, action "deliver"): until then the municipality still holds the
case and may have to deliver again.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from records.common import user_fk


class ArchiveDeliveryQuerySet(models.QuerySet):
    def awaiting_receipt(self):
        return self.filter(receipt_recorded_at__isnull=True)


class ArchiveDelivery(models.Model):
    case = models.ForeignKey("records.Case", verbose_name=_("ärende"), on_delete=models.PROTECT,
                             related_name="archive_deliveries")
    package_id = models.CharField(_("paketets id"), max_length=64, unique=True)
    package_sha256 = models.CharField(_("kontrollsumma för METS.xml (SHA-256)"), max_length=64)
    document_count = models.PositiveIntegerField(_("antal handlingar"))
    exported_at = models.DateTimeField(_("paketet skapat"))
    exported_by = user_fk(_("skapat av"))
    received_on = models.DateField(_("mottaget av arkivet"), null=True, blank=True)
    archive_reference = models.CharField(_("arkivets referens"), max_length=200, blank=True)
    receipt_note = models.TextField(_("anteckning om kvittensen"), blank=True)
    receipt_recorded_by = user_fk(_("kvittens registrerad av"))
    receipt_recorded_at = models.DateTimeField(_("kvittens registrerad"), null=True, blank=True)

    objects = ArchiveDeliveryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leverans till e-arkiv")
        verbose_name_plural = _("leveranser till e-arkiv")
        ordering = ["-exported_at", "-id"]
        indexes = [models.Index(fields=["case", "exported_at"], name="records_delivery_case_idx")]

    def __str__(self) -> str:
        return f"Leverans {self.package_id}"

    @property
    def audit_label(self) -> str:
        return f"Leverans av ärende {self.case.number} till e-arkivet"

    @property
    def confirmed(self) -> bool:
        return self.receipt_recorded_at is not None
