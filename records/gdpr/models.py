"""Data-subject requests: register extract (GDPR art. 15) and erasure (art. 17).

Art. 17.3 b: public records and archiving obligations prevail, so a hit in a registered document
is answered with that ground (outcome refused_registered), not erased; a hit under a legal hold
is refused for as long as the hold lasts. Erasure is approved by a second person.
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
    REFUSED_HOLD = "refused_hold", _("Ej raderad: spärr mot gallring")
    KEPT = "kept", _("Behålls")


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

    class Meta:
        verbose_name = _("träff")
        verbose_name_plural = _("träffar")
        ordering = ["request_id", "target_type", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "target_type", "target_id"], name="records_hit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.target_type} {self.label or self.target_id}"

    @property
    def audit_label(self) -> str:
        return f"Träff {self.target_type}:{self.target_id}"
