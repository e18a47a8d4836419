"""Data-subject requests: register extract (GDPR art. 15) and erasure (art. 17).

Every item, report, document and request is an allmän handling from the moment it arrives (TF 2 kap.
4 §), registered or kept in order (OSL 5 kap. 1 §); arkivlagen (1990:782) 10 § allows destroying it
only under a gallringsbeslut (the retention class). So GDPR art. 17.3 b answers an erasure request
on a public record whose class does not yet allow purging: refused, with the ground per hit
(outcome refused_registered or refused_record), and possibly scheduled to be purged on its due
date (outcome scheduled, then purged by the daily purge list). A hit under a legal hold is refused
for as long as the hold lasts. Only what is not a public record, or is already due, is erased.
Erasure is approved by a second person. The one-month deadline (art. 12.3) can be extended once by
two months, with a reason the person is told.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from records.common import RetentionFields, user_fk, visible_if_permitted


class SubjectRequestKind(models.TextChoices):
    ACCESS = "access", _("Registerutdrag (art. 15)")
    ERASURE = "erasure", _("Radering (art. 17)")
    BOTH = "both", _("Registerutdrag och radering")


class SubjectRequestStatus(models.TextChoices):
    RECEIVED = "received", _("Inkommen")
    SEARCHING = "searching", _("Sökning pågår")
    ANSWERED = "answered", _("Besvarad")
    ERASURE_PROPOSED = "erasure_proposed", _("Radering föreslagen")
    ERASURE_APPROVED = "erasure_approved", _("Radering godkänd")
    CLOSED = "closed", _("Avslutad")


class SubjectRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_if_permitted(self, user, "view_subjectrequest")

    def open(self):
        return self.exclude(status=SubjectRequestStatus.CLOSED)


class SubjectRequest(RetentionFields):
    """A data subject's request. `identifiers` ({platform_account, name, email, phone,
    personnummer}) is personal data: it is only shown to the archivist role, never logged, and
    scrubbed (history included) when the request is purged."""

    IDENTIFIER_KEYS = ("platform_account", "name", "email", "phone", "personnummer")

    reference = models.CharField(_("referens"), max_length=30, unique=True, help_text=_("T.ex. DSR-2026-001"))
    kind = models.CharField(_("slag"), max_length=10, choices=SubjectRequestKind.choices,
                            default=SubjectRequestKind.ACCESS)
    received_at = models.DateTimeField(_("inkom"), default=timezone.now)
    deadline = models.DateField(_("ska besvaras senast"), null=True, blank=True,
                                help_text=_("En månad från ankomst (art. 12.3)."))
    requester_name = models.CharField(_("den registrerades namn"), max_length=200, blank=True)
    requester_contact = models.CharField(_("kontaktuppgift"), max_length=300, blank=True)
    identifiers = models.JSONField(_("sökuppgifter"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=SubjectRequestStatus.choices,
                              default=SubjectRequestStatus.RECEIVED, db_index=True)
    handled_by = user_fk(_("handläggare"))
    answered_at = models.DateTimeField(_("besvarad"), null=True, blank=True)
    approved_by = user_fk(_("radering godkänd av"))
    approved_at = models.DateTimeField(_("radering godkänd"), null=True, blank=True)
    erasure_refused_count = models.PositiveIntegerField(_("antal ej raderade träffar"), default=0)
    erasure_schedule = models.BooleanField(
        _("gallra vägrade träffar på förfallodagen"), default=False,
        help_text=_("Allmänna handlingar som inte får raderas nu gallras den dag gallringsklassen tillåter."))
    extended_at = models.DateTimeField(_("tidsfristen förlängd"), null=True, blank=True)
    extended_by = user_fk(_("förlängd av"))
    extension_reason = models.TextField(_("skäl för förlängd tidsfrist"), blank=True)
    note = models.TextField(_("anteckning"), blank=True)

    objects = SubjectRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("begäran enligt dataskyddsförordningen")
        verbose_name_plural = _("begäranden enligt dataskyddsförordningen")
        ordering = ["-received_at", "-id"]
        permissions = [("approve_subjectrequest", _("Får godkänna radering"))]
        constraints = [
            # Four eyes: whoever handled the request does not approve its erasure.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | Q(handled_by__isnull=True) | ~Q(approved_by=F("handled_by")),
                name="records_subjectrequest_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_label(self) -> str:
        return f"Begäran {self.reference}"

    @property
    def wants_erasure(self) -> bool:
        return self.kind in (SubjectRequestKind.ERASURE, SubjectRequestKind.BOTH)


class HitOutcome(models.TextChoices):
    PENDING = "pending", _("Ej avgjord")
    ERASED = "erased", _("Raderad")
    REFUSED_REGISTERED = "refused_registered", _("Ej raderad: allmän handling som diarieförts (art. 17.3 b)")
    REFUSED_RECORD = "refused_record", _("Ej raderad: allmän handling som hålls ordnad (art. 17.3 b)")
    REFUSED_HOLD = "refused_hold", _("Ej raderad: spärr mot gallring")
    SCHEDULED = "scheduled", _("Ej raderad nu: gallras på förfallodagen (art. 17.3 b)")
    PURGED = "purged", _("Gallrad enligt informationshanteringsplanen")
    GONE = "gone", _("Fanns inte längre (redan gallrad)")
    KEPT = "kept", _("Behålls")


REFUSED_OUTCOMES = (HitOutcome.REFUSED_REGISTERED, HitOutcome.REFUSED_RECORD, HitOutcome.REFUSED_HOLD,
                    HitOutcome.SCHEDULED)


class SubjectRequestHit(models.Model):
    """One place the subject's data was found (no history: rebuilt by each search, many rows).
    `label` is a number or reference, not the personal data found."""

    request = models.ForeignKey(SubjectRequest, verbose_name=_("begäran"), on_delete=models.CASCADE,
                                related_name="hits")
    target_type = models.CharField(_("objekttyp"), max_length=60)
    target_id = models.CharField(_("objekt-id"), max_length=64)
    label = models.CharField(_("beteckning"), max_length=200, blank=True)
    why = models.CharField(_("träff på"), max_length=200, blank=True)
    registered = models.BooleanField(_("diarieförd"), default=False)
    held = models.BooleanField(_("spärrad"), default=False)
    held_until = models.DateField(_("spärrad till och med"), null=True, blank=True)
    selected_for_erasure = models.BooleanField(_("vald för radering"), default=False)
    outcome = models.CharField(_("utfall"), max_length=20, choices=HitOutcome.choices, default=HitOutcome.PENDING)
    public_record = models.BooleanField(_("allmän handling"), default=True)
    # The record whose class and holds decide (an item version follows its item, a warning the account).
    record_type = models.CharField(_("handlingens objekttyp"), max_length=60, blank=True)
    record_id = models.CharField(_("handlingens id"), max_length=64, blank=True)
    retention_class_code = models.CharField(_("gallringsklass"), max_length=20, blank=True)
    due = models.DateField(_("gallras tidigast"), null=True, blank=True)
    number = models.CharField(_("diarienummer"), max_length=70, blank=True)
    ground = models.TextField(_("skäl"), blank=True, help_text=_("Varför träffen inte raderades, med lagrum."))
    scheduled_for = models.DateField(_("gallras den"), null=True, blank=True)
    purge_reference = models.CharField(_("gallrad enligt"), max_length=30, blank=True)
    decided_at = models.DateTimeField(_("avgjord"), null=True, blank=True)

    class Meta:
        verbose_name = _("träff")
        verbose_name_plural = _("träffar")
        ordering = ["request_id", "target_type", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "target_type", "target_id"], name="records_hit_once"),
        ]
        indexes = [
            # The purge marks scheduled hits purged when their record goes (one UPDATE per batch).
            models.Index(fields=["record_type", "record_id"], condition=Q(outcome="scheduled"),
                         name="records_hit_scheduled_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.target_type} {self.label or self.target_id}"

    @property
    def audit_label(self) -> str:
        return f"Träff {self.target_type}:{self.target_id}"
