"""Requests for public documents (begäran om allmän handling, TF 2 kap.).

The law the models carry (the rules are in `records.disclosure.services` and `records.workflow`):

- Anyone may ask; no name or purpose is needed (TF 2 kap. 18 §): name and contact may be empty.
  The request is handled promptly ("skyndsamt", TF 2 kap. 15–16 §§); `deadline_at` is the
  municipality's working-day target for that.
- Any public record may be asked for, registered or kept in order (hållen ordnad): a request names
  *targets* (`DisclosureItem`): a registered document, an item (post/comment/message), an item
  version, a public report — anything `records.registry` lists as a disclosure source.
- Every target is reviewed on its own (sekretessprövning): released, released with masking (a
  partial refusal: `masked_parts` names each withheld part and its OSL ground) or refused
  (TF 2 kap. 15 § 2 st: what cannot be released in full is released in its other parts).
- An official's refusal, whole or partial, is told to the requester with the offer of the
  authority's written decision (OSL 6 kap. 3 §); the requester may ask for it at any time. Only
  that decision can be appealed (TF 2 kap. 19 §, OSL 6 kap. 7–8 §§), to the kammarrätt, within
  three weeks from the day the requester received it (förvaltningslagen 44 §).
- The targets are held against purging from the moment the request names them until the request
  is closed and no appeal is possible (JO 3434-2016).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.storage import UnguessableName
from records.common import RetentionFields, user_fk, visible_if_permitted


class DisclosureStatus(models.TextChoices):
    """Where a request stands in law; the transitions are in records/workflow.py."""

    RECEIVED = "received", _("Inkommen")
    IN_REVIEW = "in_review", _("Under prövning")
    DECIDED = "decided", _("Prövad, besked ej lämnat")
    ANSWERED = "answered", _("Besked lämnat")
    DECISION_REQUESTED = "decision_requested", _("Myndighetens beslut begärt")
    DECISION_ISSUED = "decision_issued", _("Myndighetens beslut fattat")
    APPEAL_WINDOW = "appeal_window", _("Överklagandetid löper")
    CLOSED = "closed", _("Avslutad")


class DisclosureChannel(models.TextChoices):
    POSTLISTA = "postlista", _("Via postlistan")
    EMAIL = "email", _("E-post")
    PHONE = "phone", _("Telefon")
    COUNTER = "counter", _("Besök")
    LETTER = "letter", _("Brev")
    STAFF = "staff", _("Via medarbetare")


class AnswerMeans(models.TextChoices):
    """How the requester was told the outcome (and, after a refusal, offered the authority's decision)."""

    COPIES = "copies", _("Kopior skickade med följebrev")
    EMAIL = "email", _("E-post")
    LETTER = "letter", _("Brev")
    PHONE = "phone", _("Telefon")
    ON_SITE = "on_site", _("På plats hos myndigheten")


class CloseReason(models.TextChoices):
    """Why a request was closed; always with a written explanation (`close_note`)."""

    COMPLETED = "completed", _("Handlagd: besked lämnat")
    WITHDRAWN = "withdrawn", _("Återkallad av sökanden")
    DUPLICATE = "duplicate", _("Dubblett av en annan begäran")
    OTHER = "other", _("Annat skäl")


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
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("enhet"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+",
                             help_text=_("Avgör vilken beslutsinstans och delegation som gäller."))
    case = models.ForeignKey("records.Case", verbose_name=_("ärende"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+",
                             help_text=_("Ärendet där myndighetens beslut diarieförs."))
    handled_by = user_fk(_("handläggare"))
    deadline_at = models.DateTimeField(_("ska vara hanterad senast"), null=True, blank=True)
    decided_at = models.DateTimeField(_("prövad"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("kopior utlämnade"), null=True, blank=True)
    answered_at = models.DateTimeField(_("besked lämnat"), null=True, blank=True)
    answer_means = models.CharField(_("besked lämnat genom"), max_length=20, choices=AnswerMeans.choices, blank=True)
    refusal_notified_at = models.DateTimeField(
        _("avslag meddelat med erbjudande om myndighetens beslut"), null=True, blank=True,
        help_text=_("OSL 6 kap. 3 §: sökanden ska få veta att myndighetens skriftliga beslut kan begäras."),
    )
    decision_requested_on = models.DateField(_("myndighetens beslut begärt"), null=True, blank=True)
    decision_issued_at = models.DateTimeField(_("myndighetens beslut fattat"), null=True, blank=True)
    decision_notified_on = models.DateField(
        _("sökanden fick del av beslutet"), null=True, blank=True,
        help_text=_("Överklagandetiden (tre veckor, förvaltningslagen 44 §) räknas från denna dag."),
    )
    appeal_received_at = models.DateTimeField(_("överklagande inkom"), null=True, blank=True)
    appeal_status = models.CharField(_("överklagande"), max_length=20, choices=AppealStatus.choices, blank=True,
                                     default=AppealStatus.NONE)
    closed_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    close_reason = models.CharField(_("skäl för avslut"), max_length=20, choices=CloseReason.choices, blank=True)
    close_note = models.TextField(_("motivering för avslut"), blank=True)

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
    RELEASE_MASKED = "release_masked", _("Lämnas ut med maskering (delvis avslag)")
    REFUSE = "refuse", _("Lämnas inte ut (avslag)")


class DisclosureItem(models.Model):
    """One record asked for (a target) and the secrecy review (sekretessprövning) of it.

    The target is `target_type`/`target_id` (the registry's type strings: "records.document",
    "moderation.item", "moderation.itemversion", "moderation.publicreport"); a document target also
    sets `document`, which protects it from deletion and lets lists join it. `label` is a frozen,
    non-personal name for lists ("KS 2026/12-3", "Kommentar 812 på exempelstad-facebook"). Until a
    target is identified only `description` says what was asked for.

    `masked_parts` is the whole truth of a partial refusal: a list of
    ``{"part": "content", "start": 10, "end": 24, "legal_ground": "OSL 26 kap. 1 §"}`` (a span of
    the content, code-point offsets) or ``{"part": "sender"|"description"|"content", ...}`` (a whole
    part) or ``{"part": "attachment", "index": 0, ...}``; `mask_spans` repeats the content spans for
    records.pdf.apply_masks. `released_secret_parts` names parts marked secret at review time that
    the registrar released on a stated reasoning (a marking is a note, the review decides).
    """

    request = models.ForeignKey(DisclosureRequest, verbose_name=_("begäran"), on_delete=models.CASCADE,
                                related_name="items")
    target_type = models.CharField(_("slag av handling"), max_length=60, blank=True)
    target_id = models.CharField(_("id"), max_length=64, blank=True)
    label = models.CharField(_("handling"), max_length=200, blank=True)
    document = models.ForeignKey("records.Document", verbose_name=_("diarieförd handling"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="disclosure_items")
    description = models.CharField(_("vad som begärs"), max_length=500, blank=True)
    outcome = models.CharField(_("utfall"), max_length=20, choices=DisclosureOutcome.choices,
                               default=DisclosureOutcome.PENDING)
    legal_ground = models.ForeignKey("records.LegalGround", verbose_name=_("lagrum"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    masked_parts = models.JSONField(_("maskerade delar"), default=list, blank=True)
    mask_spans = models.JSONField(_("maskerade avsnitt i innehållet"), default=list, blank=True)
    released_secret_parts = models.JSONField(_("sekretessmarkerade delar som prövats och lämnas ut"),
                                             default=list, blank=True)
    reasoning = models.TextField(_("motivering"), blank=True,
                                 help_text=_("Skälen för utfallet; återges i myndighetens beslut (FL 32 §)."))
    reviewed_by = user_fk(_("prövad av"))
    reviewed_at = models.DateTimeField(_("prövad"), null=True, blank=True)
    note = models.TextField(_("intern anteckning"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("begärd handling")
        verbose_name_plural = _("begärda handlingar")
        ordering = ["request_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "target_type", "target_id"], condition=~Q(target_id=""),
                                    name="records_disclosureitem_target_once"),
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="records_disclitem_target_idx")]

    def __str__(self) -> str:
        return f"{self.label or self.description[:60]} – {self.get_outcome_display()}"

    @property
    def audit_label(self) -> str:
        return f"Begärd handling {self.pk}"

    @property
    def is_refusal(self) -> bool:
        """Whole or partial refusal (a masked release withholds parts: OSL 6 kap. 3 § applies)."""
        return self.outcome in (DisclosureOutcome.REFUSE, DisclosureOutcome.RELEASE_MASKED)


class LetterKind(models.TextChoices):
    RELEASE = "release", _("Följebrev vid utlämnande")
    MASKED_RELEASE = "masked_release", _("Utlämnande med maskering")
    REFUSAL_NOTICE = "refusal_notice", _("Besked om avslag med upplysning om myndighetens beslut")
    REFUSAL_DECISION = "refusal_decision", _("Myndighetens beslut")
    GDPR_ACCESS = "gdpr_access", _("Registerutdrag")
    GDPR_REFUSAL = "gdpr_refusal", _("Beslut om avslag på radering")
    GDPR_EXTENSION = "gdpr_extension", _("Besked om förlängd tidsfrist (art. 12.3)")


class DisclosureDecisionLetter(models.Model):
    """A generated letter or decision (PDF) as sent; immutable, so without history.

    Belongs to a disclosure request, or (for the GDPR kinds) to a data-subject request.
    `sha256` is the hash of the PDF bytes, so a copy can be checked against what was sent. The
    authority's decision is registered in the diarium as an outgoing document (`document`).
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
    document = models.ForeignKey("records.Document", verbose_name=_("diarieförd som"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

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


class DisclosureDecisionSetting(models.Model):
    """Who decides for the authority, per unit (the row without a unit is the default).

    The authority's decision names the deciding body and the delegation it acts under
    (e.g. "Kommunstyrelsen", "delegationsordning punkt 1.3", "registrator") and is registered in
    the diarium: in a case of its own per request, opened in `series`, or in one configured
    collection case (`case`).
    """

    unit = models.OneToOneField("accounts.Unit", verbose_name=_("enhet"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="disclosure_setting",
                                help_text=_("Tomt = gäller alla enheter som saknar en egen inställning."))
    deciding_body = models.CharField(_("beslutsinstans"), max_length=200, help_text=_("T.ex. Kommunstyrelsen"))
    delegation = models.CharField(_("delegation"), max_length=300, blank=True,
                                  help_text=_("T.ex. delegationsordning punkt 1.3"))
    delegate_title = models.CharField(_("delegatens befattning"), max_length=120, default="registrator",
                                      help_text=_("T.ex. registrator eller kommunsekreterare"))
    appeal_court = models.CharField(_("kammarrätt"), max_length=120, default="kammarrätten",
                                    help_text=_("T.ex. Kammarrätten i Sundsvall"))
    series = models.ForeignKey("records.Series", verbose_name=_("diarieserie för ärenden om utlämnande"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text=_("Varje begäran som får ett beslut får ett eget ärende i serien."))
    case = models.ForeignKey("records.Case", verbose_name=_("samlingsärende"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+",
                             help_text=_("Om satt diarieförs alla beslut i detta ärende i stället."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beslutsinstans för utlämnande")
        verbose_name_plural = _("beslutsinstanser för utlämnande")
        ordering = ["unit__name"]
        constraints = [
            # One row per unit and one default (unit NULL): NULLs are distinct in a plain unique index.
            models.UniqueConstraint(Coalesce("unit", Value(0)), name="records_disclsetting_one_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.deciding_body} ({self.unit or _('standard')})"

    @property
    def audit_label(self) -> str:
        return f"Beslutsinstans för utlämnande {self.pk}"
