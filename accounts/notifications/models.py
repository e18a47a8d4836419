"""Notifications: what a user is told (the in-app list), how they want to be told (per kind), and the
e-mail outbox (one row per message to send, written in the transaction that caused it).

A notification never carries the text of an item or a document: titles and bodies name numbers,
channels and rules only (the emitting modules build them; see accounts.notifications.services).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    ITEM_URGENT = "item_urgent", _("Brådskande inlägg i dina enheter (hot, personnummer, vilande)")
    ESCALATION = "escalation", _("Eskalering till dig eller din roll")
    DISCLOSURE_NEW = "disclosure_new", _("Ny begäran om allmän handling")
    DISCLOSURE_OVERDUE = "disclosure_overdue", _("Försenad begäran om allmän handling")
    SUBJECT_REQUEST_NEW = "subject_request_new", _("Ny begäran enligt dataskyddsförordningen")
    SUBJECT_REQUEST_DEADLINE = "subject_request_deadline", _("Dataskyddsbegäran nära eller efter tidsfristen")
    PURGE_APPROVAL = "purge_approval", _("Gallringslista väntar på ditt godkännande")
    APPEAL_WINDOW = "appeal_window", _("Överklagandetiden för ett beslut löper ut")
    CHANNEL_FAILURE = "channel_failure", _("Fel på ett konto hos plattformen (behörighet, token)")
    DELIVERY_DEAD = "delivery_dead", _("Leverans från plattformen som inte kunde behandlas")


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Direkt")
    DIGEST = "digest", _("I den dagliga sammanfattningen")
    OFF = "off", _("Ingen e-post")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One thing one user is told. Shown in their list (always); e-mailed as their preference says."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("mottagare"), on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("slag"), max_length=40, choices=NotificationKind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("länk"), max_length=500, blank=True, help_text=_("Sökväg i Uppsikt."))
    target_type = models.CharField(_("objekttyp"), max_length=100, blank=True)
    target_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)
    email_mode = models.CharField(_("e-post"), max_length=10, choices=EmailMode.choices, default=EmailMode.OFF)
    # Waiting for the next daily digest (set at emission, cleared when the digest is written).
    digest_pending = models.BooleanField(_("väntar på sammanfattning"), default=False)
    digest_delivery = models.ForeignKey("accounts.EmailDelivery", verbose_name=_("sammanfattning"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="digest_notifications")
    # Emitters that may run twice (scheduled checks) pass a key: one notification per recipient and key.
    dedupe_key = models.CharField(_("nyckel"), max_length=200, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("avisering")
        verbose_name_plural = _("aviseringar")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient", "created_at"], name="notification_list_idx"),
            models.Index(fields=["recipient"], condition=Q(digest_pending=True), name="notification_digest_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], condition=~Q(dedupe_key=""),
                                    name="notification_dedupe_uniq"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return f"Avisering {self.pk}"


class NotificationPreference(models.Model):
    """A user's choice for one kind (missing row = the kind's default, see services.KIND_SPECS)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("användare"), on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("slag"), max_length=40, choices=NotificationKind.choices)
    email_mode = models.CharField(_("e-post"), max_length=10, choices=EmailMode.choices)

    class Meta:
        verbose_name = _("val för aviseringar")
        verbose_name_plural = _("val för aviseringar")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_uniq")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.email_mode}"


class OnCallMembership(models.Model):
    """Membership of the on-call group (jour): outside office hours its members still get urgent e-mail
    at once. Set by administrators (admin), shown to the user on their settings page."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("användare"), on_delete=models.CASCADE,
                                related_name="on_call")
    note = models.CharField(_("anteckning"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("tillagd"), default=timezone.now)

    class Meta:
        verbose_name = _("jourmedlem")
        verbose_name_plural = _("jourgruppen")

    def __str__(self) -> str:
        return str(self.user)


class DeliveryStatus(models.TextChoices):
    """The outbox row's states; transitions in accounts/notifications/workflow.py."""

    PENDING = "pending", _("Väntar")
    SENDING = "sending", _("Skickas")
    SENT = "sent", _("Skickat")
    FAILED = "failed", _("Misslyckades, nytt försök")
    DEAD = "dead", _("Gav upp")
    CANCELLED = "cancelled", _("Stoppad")


class DeliveryKind(models.TextChoices):
    IMMEDIATE = "immediate", _("Avisering")
    DIGEST = "digest", _("Daglig sammanfattning")


class EmailDeliveryQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
                           next_attempt_at__lte=now).order_by("next_attempt_at", "id")


class EmailDelivery(models.Model):
    """One e-mail in the outbox: written with what caused it, sent by a task after commit, retried with
    back-off. `key` makes writing it idempotent; the fixed Message-ID lets a receiver drop a resend."""

    key = models.CharField(_("nyckel"), max_length=200, unique=True)
    kind = models.CharField(_("slag"), max_length=10, choices=DeliveryKind.choices, default=DeliveryKind.IMMEDIATE)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("mottagare"), on_delete=models.CASCADE,
                                  related_name="email_deliveries")
    notification = models.ForeignKey(Notification, verbose_name=_("avisering"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="email_deliveries")
    to_address = models.EmailField(_("adress"), max_length=320)
    subject = models.CharField(_("ämne"), max_length=300)
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), null=True, blank=True)
    last_error = models.CharField(_("senaste fel"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)

    objects = EmailDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-postutskick")
        verbose_name_plural = _("e-postutskick")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="email_delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address}"

    @property
    def audit_label(self) -> str:
        return f"E-postutskick {self.pk}"

    @property
    def message_id(self) -> str:
        domain = (settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "uppsikt.invalid").strip(">")
        return f"<uppsikt-{self.key.replace(':', '-')}@{domain}>"
