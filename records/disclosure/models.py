"""Requests for public documents (begäran om allmän handling, TF 2 kap.).

The requester need not give a name or a purpose (TF 2 kap. 18 §): name and contact may be empty.
The clock runs from arrival (`received_at`); services compute `deadline_at` with
records.workdays. A refusal is a decision with its legal ground and an appeal notice; the
requester may ask for the authority's own decision (`wants_authority_decision`), which can be
appealed to the kammarrätt.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.storage import UnguessableName
from records.common import RetentionFields, user_fk, visible_if_permitted


class DisclosureStatus(models.TextChoices):
    RECEIVED = "received", _("Inkommen")
    IN_REVIEW = "in_review", _("Under sekretessprövning")
    DECIDED = "decided", _("Prövad")
    DELIVERED = "delivered", _("Utlämnad")
    CLOSED = "closed", _("Avslutad")


class DisclosureChannel(models.TextChoices):
    POSTLISTA = "postlista", _("Via postlistan")
    EMAIL = "email", _("E-post")
    PHONE = "phone", _("Telefon")
    COUNTER = "counter", _("Besök")
    LETTER = "letter", _("Brev")
    STAFF = "staff", _("Via medarbetare")


class AppealStatus(models.TextChoices):
    NONE = "", _("Inget överklagande")
    PENDING = "pending", _("Överklagat, väntar på domstol")
    UPHELD = "upheld", _("Beslutet står fast")
    OVERTURNED = "overturned", _("Beslutet ändrat")


class DisclosureRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_if_permitted(self, user, "view_disclosurerequest")

    def open(self):
        return self.exclude(status=DisclosureStatus.CLOSED)


class DisclosureRequest(RetentionFields):
    reference = models.CharField(_("referens"), max_length=30, unique=True, help_text=_("T.ex. BAH-2026-0001"))
    received_at = models.DateTimeField(_("inkom"), default=timezone.now)
    channel_in = models.CharField(_("inkom via"), max_length=20, choices=DisclosureChannel.choices,
                                  default=DisclosureChannel.EMAIL)
    requester_name = models.CharField(_("sökandens namn"), max_length=200, blank=True,
                                      help_text=_("Frivilligt: den som begär ut en handling får vara anonym."))
    requester_contact = models.CharField(_("sökandens kontaktuppgift"), max_length=300, blank=True)
    request_text = models.TextField(_("begäran"))
    status = models.CharField(_("status"), max_length=20, choices=DisclosureStatus.choices,
                              default=DisclosureStatus.RECEIVED, db_index=True)
    handled_by = user_fk(_("handläggare"))
    deadline_at = models.DateTimeField(_("ska vara hanterad senast"), null=True, blank=True)
    decided_at = models.DateTimeField(_("prövad"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("utlämnad"), null=True, blank=True)
    wants_authority_decision = models.BooleanField(
        _("begär myndighetens beslut"), default=False,
        help_text=_("Sökanden vill ha ett överklagbart beslut efter ett avslag."),
    )
    appeal_received_at = models.DateTimeField(_("överklagande inkom"), null=True, blank=True)
    appeal_status = models.CharField(_("överklagande"), max_length=20, choices=AppealStatus.choices, blank=True,
                                     default=AppealStatus.NONE)

    objects = DisclosureRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("begäran om allmän handling")
        verbose_name_plural = _("begäranden om allmän handling")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_label(self) -> str:
        return f"Begäran {self.reference}"


class DisclosureOutcome(models.TextChoices):
    PENDING = "pending", _("Ej prövad")
    RELEASE = "release", _("Lämnas ut")
    RELEASE_MASKED = "release_masked", _("Lämnas ut med maskering")
    REFUSE = "refuse", _("Lämnas inte ut")


class DisclosureItem(models.Model):
    """One document asked for, and the secrecy review (sekretessprövning) of it.

    Before the document is identified only `description` says what was asked for. `mask_spans`
    are [start, end) character offsets into `document.content` (records.pdf.apply_masks uses
    them); masked and refused outcomes need a legal ground, which services require.
    """

    request = models.ForeignKey(DisclosureRequest, verbose_name=_("begäran"), on_delete=models.CASCADE,
                                related_name="items")
    document = models.ForeignKey("records.Document", verbose_name=_("handling"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="disclosure_items")
    description = models.CharField(_("vad som begärs"), max_length=500, blank=True)
    outcome = models.CharField(_("utfall"), max_length=20, choices=DisclosureOutcome.choices,
                               default=DisclosureOutcome.PENDING)
    legal_ground = models.ForeignKey("records.LegalGround", verbose_name=_("lagrum"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    mask_spans = models.JSONField(_("maskerade avsnitt"), default=list, blank=True)
    reviewed_by = user_fk(_("prövad av"))
    reviewed_at = models.DateTimeField(_("prövad"), null=True, blank=True)
    note = models.TextField(_("anteckning"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("begärd handling")
        verbose_name_plural = _("begärda handlingar")
        ordering = ["request_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "document"], condition=Q(document__isnull=False),
                                    name="records_disclosureitem_once"),
        ]

    def __str__(self) -> str:
        what = str(self.document) if self.document_id else self.description[:60]
        return f"{what} – {self.get_outcome_display()}"

    @property
    def audit_label(self) -> str:
        return f"Begärd handling {self.pk}"


class LetterKind(models.TextChoices):
    RELEASE = "release", _("Följebrev vid utlämnande")
    MASKED_RELEASE = "masked_release", _("Utlämnande med maskering")
    REFUSAL_DECISION = "refusal_decision", _("Beslut om avslag")
    GDPR_ACCESS = "gdpr_access", _("Registerutdrag")
    GDPR_REFUSAL = "gdpr_refusal", _("Beslut om avslag på radering")
    GDPR_EXTENSION = "gdpr_extension", _("Besked om förlängd tidsfrist (art. 12.3)")


class DisclosureDecisionLetter(models.Model):
    """A generated letter or decision (PDF) as sent; immutable, so without history.

    Belongs to a disclosure request, or (for the GDPR kinds) to a data-subject request.
    `sha256` is the hash of the PDF bytes, so a copy can be checked against what was sent.
    """

    request = models.ForeignKey(DisclosureRequest, verbose_name=_("begäran"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="letters")
    subject_request = models.ForeignKey("records.SubjectRequest", verbose_name=_("begäran enligt GDPR"),
                                        null=True, blank=True, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("slag"), max_length=30, choices=LetterKind.choices)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    created_by = user_fk(_("skapad av"))
    # An unguessable name, never a URL: served only by the requests' download views (config/storage.py).
    pdf = models.FileField(_("PDF"), upload_to=UnguessableName("letters"), max_length=255)
    sha256 = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)

    class Meta:
        verbose_name = _("beslut eller brev")
        verbose_name_plural = _("beslut och brev")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(request__isnull=False, subject_request__isnull=True)
                | Q(request__isnull=True, subject_request__isnull=False),
                name="records_letter_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"

    @property
    def audit_label(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"
