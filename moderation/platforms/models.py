"""Traffic with the platforms: the outbox of actions, the raw webhook inbox, events waiting for
their item, and re-screening runs. Operational tables: no history except where noted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.channels.models import Platform


def default_max_attempts() -> int:
    return settings.UPPSIKT_PLATFORM_MAX_ATTEMPTS


class PlatformActionKind(models.TextChoices):
    HIDE = "hide", _("Dölj")
    UNHIDE = "unhide", _("Visa igen")
    DELETE = "delete", _("Ta bort")
    BLOCK = "block", _("Blockera")
    UNBLOCK = "unblock", _("Häv blockering")
    REPLY = "reply", _("Svara")


class PlatformActionStatus(models.TextChoices):
    PENDING = "pending", _("Väntar")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Utförd")
    FAILED = "failed", _("Misslyckad (försöks igen)")
    DEAD = "dead", _("Misslyckad (ger upp)")
    CANCELLED = "cancelled", _("Avbruten")


class PlatformActionQuerySet(models.QuerySet):
    def due(self, at=None):
        """Actions the worker should run now (served by moderation_pa_due_idx)."""
        at = at or timezone.now()
        return self.filter(
            status__in=[PlatformActionStatus.PENDING, PlatformActionStatus.FAILED], next_attempt_at__lte=at
        ).order_by("next_attempt_at", "id")

    def visible_to(self, user):
        from moderation.channels.models import moderator_unit_ids, sees_all_channels

        if sees_all_channels(user):
            return self
        return self.filter(channel__unit_id__in=moderator_unit_ids(user))


class PlatformAction(models.Model):
    """One call that carries a decision out on a platform, through an outbox with retries.
    (The stored item is the record; this only tracks the call, so it has no history.)"""

    item = models.ForeignKey("moderation.Item", verbose_name=_("inlägg"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="platform_actions")
    channel = models.ForeignKey("moderation.Channel", verbose_name=_("kanal"), on_delete=models.PROTECT,
                                related_name="platform_actions")
    decision = models.ForeignKey("moderation.Decision", verbose_name=_("beslut"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="platform_actions")
    sanction = models.ForeignKey("moderation.Sanction", verbose_name=_("åtgärd mot konto"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="platform_actions")
    kind = models.CharField(_("åtgärd"), max_length=10, choices=PlatformActionKind.choices)
    payload = models.JSONField(_("data"), default=dict, blank=True,
                               help_text=_('T.ex. {"message": …} för svar, id:n för blockering.'))
    status = models.CharField(_("status"), max_length=10, choices=PlatformActionStatus.choices,
                              default=PlatformActionStatus.PENDING)
    attempts = models.PositiveIntegerField(_("försök"), default=0)
    max_attempts = models.PositiveIntegerField(_("högst antal försök"), default=default_max_attempts)
    # Empty: the action waits for something other than time (credentials fixed on the channel).
    next_attempt_at = models.DateTimeField(_("nästa försök"), default=timezone.now, null=True, blank=True,
                                           db_index=True)
    last_error = models.CharField(_("senaste fel"), max_length=500, blank=True,
                                  help_text=_("Kort felbeskrivning, aldrig token."))
    last_error_code = models.CharField(_("felkod"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    result = models.JSONField(_("resultat"), default=dict, blank=True)

    objects = PlatformActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("utförande på plattform")
        verbose_name_plural = _("utföranden på plattformar")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="moderation_pa_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def audit_label(self) -> str:
        return f"Utförande {self.pk} ({self.kind})"


class WebhookStatus(models.TextChoices):
    RECEIVED = "received", _("Mottagen")
    PROCESSED = "processed", _("Behandlad")
    # Some changes were stored, others are in the dead-letter list (WebhookChangeFailure rows).
    PARTIAL = "partial", _("Delvis behandlad")
    DEAD = "dead", _("Misslyckad")
    IGNORED = "ignored", _("Ignorerad")


class DeliverySource(models.TextChoices):
    WEBHOOK = "webhook", _("Webhook")
    # A polled object that could not be processed (e.g. a YouTube thread without its top-level comment),
    # kept raw in the dead-letter list so it can be replayed after a fix.
    POLL = "poll", _("Hämtning")


class WebhookDelivery(models.Model):
    """The raw inbox for Meta webhooks: the exact bytes are kept so the signature can be re-checked
    and a delivery re-processed after a bug fix."""

    channel = models.ForeignKey("moderation.Channel", verbose_name=_("kanal"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="webhook_deliveries")
    platform = models.CharField(_("plattform"), max_length=20, choices=Platform.choices)
    received_at = models.DateTimeField(_("mottagen"), default=timezone.now)
    body = models.BinaryField(_("innehåll"), blank=True, default=b"")
    # Only the relevant headers (signature, content type, delivery id); never tokens or cookies.
    headers = models.JSONField(_("huvuden"), default=dict, blank=True)
    signature_valid = models.BooleanField(_("giltig signatur"), default=False)
    source = models.CharField(_("källa"), max_length=10, choices=DeliverySource.choices,
                              default=DeliverySource.WEBHOOK)
    status = models.CharField(_("status"), max_length=10, choices=WebhookStatus.choices,
                              default=WebhookStatus.RECEIVED)
    attempts = models.PositiveIntegerField(_("försök"), default=0)
    error = models.CharField(_("fel"), max_length=500, blank=True)
    processed_at = models.DateTimeField(_("behandlad"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook-leverans")
        verbose_name_plural = _("webhook-leveranser")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "received_at"], name="moderation_webhook_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.received_at:%Y-%m-%d %H:%M:%S}"

    @property
    def audit_label(self) -> str:
        return f"Webhook-leverans {self.pk}"


class WebhookRejectionQuerySet(models.QuerySet):
    def from_source_since(self, source: str, since):
        return self.filter(source=source, received_at__gte=since)


class WebhookRejection(models.Model):
    """A webhook call refused for its signature (missing or wrong): kept briefly as evidence, never
    processed. Bounded and expiring: at most UPPSIKT_WEBHOOK_REJECTIONS_MAX_ROWS rows, each deleted
    after UPPSIKT_WEBHOOK_REJECTIONS_DAYS days (the scheduler's `webhook_rejections_prune`), so a flood
    of forged calls cannot fill the database. It also counts failures per source address for the
    rate limit (429 after UPPSIKT_WEBHOOK_FAILURES_PER_MINUTE a minute)."""

    channel = models.ForeignKey("moderation.Channel", verbose_name=_("kanal"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="webhook_rejections")
    source = models.CharField(_("avsändaradress"), max_length=45, blank=True)
    received_at = models.DateTimeField(_("mottagen"), default=timezone.now)
    reason = models.CharField(_("skäl"), max_length=200)
    body_size = models.PositiveIntegerField(_("storlek (byte)"), default=0)
    body_prefix = models.BinaryField(_("innehållets början"), blank=True, default=b"")
    headers = models.JSONField(_("huvuden"), default=dict, blank=True)

    objects = WebhookRejectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("avvisat webhook-anrop")
        verbose_name_plural = _("avvisade webhook-anrop")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["source", "received_at"], name="moderation_rejection_src_idx"),
            models.Index(fields=["received_at"], name="moderation_rejection_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source or '?'} {self.received_at:%Y-%m-%d %H:%M:%S}"


class WebhookChangeFailure(models.Model):
    """One change of a delivery that could not be processed (a per-change dead letter).

    The rest of the delivery is applied; a replay retries only the changes that still have an open row
    here (``resolved_at`` empty), so nothing is applied twice."""

    delivery = models.ForeignKey(WebhookDelivery, verbose_name=_("leverans"), on_delete=models.CASCADE,
                                 related_name="failed_changes")
    # Where in the delivery: "entry[0].changes[2]", "entry[1].messaging[0]", "thread".
    where = models.CharField(_("plats i leveransen"), max_length=100)
    reason = models.CharField(_("orsak"), max_length=500)
    attempts = models.PositiveIntegerField(_("försök"), default=1)
    failed_at = models.DateTimeField(_("misslyckades"), default=timezone.now)
    resolved_at = models.DateTimeField(_("behandlad vid omkörning"), null=True, blank=True)

    class Meta:
        verbose_name = _("misslyckad ändring")
        verbose_name_plural = _("misslyckade ändringar")
        ordering = ["delivery", "id"]
        constraints = [models.UniqueConstraint(fields=["delivery", "where"], name="moderation_webhook_change_uniq")]
        indexes = [models.Index(fields=["resolved_at", "delivery"], name="moderation_whchange_open_idx")]

    def __str__(self) -> str:
        return f"{self.where}: {self.reason[:60]}"

    @property
    def audit_label(self) -> str:
        return f"Misslyckad ändring {self.pk} i leverans {self.delivery_id}"


class PendingEvent(models.Model):
    """An event waiting for an item: an edit/removal/hide that arrived before the item it concerns (applied
    when the add arrives), or (verb "parent") a stored child waiting for its parent, to be linked.

    Rows that never resolve are expired after ``UPPSIKT_PENDING_EVENT_TTL_HOURS`` (moderation.platforms.pending):
    the missing item is fetched from the platform when possible, otherwise the event is kept as an item without
    a parent. ``item`` is the stored item the row concerns (the child, or the item made from the event): the row
    is deleted with that item's content when it is purged."""

    channel = models.ForeignKey("moderation.Channel", verbose_name=_("kanal"), on_delete=models.CASCADE,
                                related_name="pending_events")
    external_id = models.CharField(_("plattformens id"), max_length=200)
    verb = models.CharField(_("händelse"), max_length=10)  # PlatformEvent.verb
    event = models.JSONField(_("händelsedata"), default=dict)
    received_at = models.DateTimeField(_("mottagen"), default=timezone.now)
    applied_at = models.DateTimeField(_("tillämpad"), null=True, blank=True)
    item = models.ForeignKey("moderation.Item", verbose_name=_("inlägg"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    expired_at = models.DateTimeField(_("gick ut"), null=True, blank=True)
    outcome = models.CharField(_("utfall"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("väntande händelse")
        verbose_name_plural = _("väntande händelser")
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["channel", "external_id"], name="moderation_pending_ext_idx"),
                   models.Index(fields=["applied_at", "expired_at", "received_at"], name="moderation_pending_open_idx")]

    def __str__(self) -> str:
        return f"{self.verb} {self.external_id}"

    @property
    def audit_label(self) -> str:
        return f"Väntande händelse {self.pk}"


