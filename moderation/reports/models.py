"""Reports of inappropriate content from the public (/anmal/, e-mail, private message) or staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from moderation.channels.models import moderator_unit_ids, sees_all_channels


class ReportVia(models.TextChoices):
    FORM = "form", _("Formulär (/anmal/)")
    EMAIL = "email", _("E-post")
    PRIVATE_MESSAGE = "private_message", _("Privat meddelande")
    STAFF = "staff", _("Inlagd av personal")


class ReportStatus(models.TextChoices):
    NEW = "new", _("Ny")
    MATCHED = "matched", _("Kopplad till inlägg")
    TRIAGED = "triaged", _("Hanterad")
    DISMISSED = "dismissed", _("Avfärdad")


class PublicReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_all_channels(user):
            return self
        units = moderator_unit_ids(user)
        if not units:
            return self.none()
        # A report not yet matched to a channel is for every moderator to triage.
        return self.filter(Q(channel__isnull=True) | Q(channel__unit_id__in=units))

    def open(self):
        return self.filter(status__in=[ReportStatus.NEW, ReportStatus.MATCHED])


class PublicReport(models.Model):
    """A report of inappropriate content from the public (the /anmal/ form, e-mail, a private
    message) or entered by staff. The reporter's contact details are personal data."""

    channel = models.ForeignKey("moderation.Channel", verbose_name=_("kanal"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="public_reports")
    item = models.ForeignKey("moderation.Item", verbose_name=_("inlägg"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="public_reports")
    url = models.URLField(_("adress"), max_length=1000, blank=True)
    text = models.TextField(_("anmält innehåll"), blank=True)
    rule = models.ForeignKey("moderation.Rule", verbose_name=_("regel"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    reporter_contact = models.CharField(_("anmälarens kontaktuppgift"), max_length=300, blank=True)
    reporter_message = models.TextField(_("anmälarens meddelande"), blank=True)
    via = models.CharField(_("inkom via"), max_length=20, choices=ReportVia.choices, default=ReportVia.FORM)
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW,
                              db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registrerad av"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("inkom"), default=timezone.now, db_index=True)
    # SHA-256 of the address and a server secret, for rate limiting the public form; never the raw IP.
    ip_hash = models.CharField(_("adress (hash)"), max_length=64, blank=True, db_index=True, editable=False)
    # A report a moderator made from a private message (an item of kind "message"): that message.
    source_item = models.OneToOneField("moderation.Item", verbose_name=_("meddelande"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="report_made")

    retention_class_code = models.CharField(_("gallringsklass"), max_length=40, blank=True, db_index=True)
    retention_due = models.DateField(_("gallras tidigast"), null=True, blank=True, db_index=True)

    objects = PublicReportQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["ip_hash"])

    class Meta:
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_reporter_contact", _("Får se anmälarens kontaktuppgift och e-postmeddelande")),
        ]

    def __str__(self) -> str:
        return f"Anmälan {self.pk}"

    @property
    def audit_label(self) -> str:
        return f"Anmälan {self.pk}"



def report_email_path(instance: ReportEmail, filename: str) -> str:
    return f"anmalningar/e-post/{timezone.now():%Y/%m}/{instance.message_key}.eml"


class ReportEmail(models.Model):
    """The e-mail a report came in (the report's source): the raw message as received (.eml, in Django's
    storage, served only through a permission-checked view) and what was read from its headers.

    `message_key` (SHA-256 of the Message-ID, or of the raw bytes when it has none) makes the intake
    idempotent. The sender's address and name are personal data: masked for roles without
    `view_reporter_contact`, found by the data-subject search, scrubbed with the report."""

    report = models.OneToOneField(PublicReport, verbose_name=_("anmälan"), on_delete=models.CASCADE,
                                  related_name="email")
    message_key = models.CharField(_("meddelandenyckel"), max_length=64, unique=True, editable=False)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    sender_address = models.CharField(_("avsändarens adress"), max_length=320, blank=True, db_index=True)
    sender_name = models.CharField(_("avsändarens namn"), max_length=200, blank=True)
    subject = models.CharField(_("ämne"), max_length=998, blank=True)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)
    received_at = models.DateTimeField(_("hämtat"), default=timezone.now)
    mailbox = models.CharField(_("brevlåda"), max_length=200, blank=True)
    uid = models.CharField(_("UID i brevlådan"), max_length=40, blank=True)
    eml = models.FileField(_("e-postmeddelandet"), upload_to=report_email_path, max_length=255, blank=True)
    size = models.PositiveIntegerField(_("storlek (byte)"), default=0)
    sha256 = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64, blank=True)
    scrubbed_at = models.DateTimeField(_("gallrad"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-post till anmälan")
        verbose_name_plural = _("e-post till anmälningar")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"E-post till anmälan {self.report_id}"

    @property
    def audit_label(self) -> str:
        return f"E-post till anmälan {self.report_id}"
