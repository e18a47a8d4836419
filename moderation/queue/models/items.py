"""Items (posts, comments, replies, private messages) and the versions a platform edit leaves behind.

`Item` is the review queue's table and grows to millions of rows: every field the queue page
shows is stored on the row (no per-row queries, nothing computed on read), and the queue's sort
order has its own index.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from moderation.channels.models import moderator_unit_ids, sees_all_channels


class ItemKind(models.TextChoices):
    POST = "post", _("Inlägg")
    COMMENT = "comment", _("Kommentar")
    REPLY = "reply", _("Svar")
    MESSAGE = "message", _("Meddelande")


class Direction(models.TextChoices):
    INCOMING = "incoming", _("Inkommen")
    OUTGOING = "outgoing", _("Upprättad")


class ItemState(models.TextChoices):
    """The queue states; the allowed transitions are in moderation/workflow.py."""

    NEW = "new", _("Ny")
    IN_REVIEW = "in_review", _("Under granskning")
    HELD = "held", _("Vilande (dold i väntan på granskning)")
    ESCALATED = "escalated", _("Eskalerad")
    DECIDED = "decided", _("Beslutad")
    REOPENED = "reopened", _("Återöppnad")


# States whose items wait for a moderator.
QUEUE_STATES = (ItemState.NEW, ItemState.IN_REVIEW, ItemState.HELD, ItemState.ESCALATED, ItemState.REOPENED)


class Priority(models.IntegerChoices):
    """Lower is more urgent; the queue sorts on it first."""

    URGENT = 0, _("Brådskande (hot, sekretess, personnummer)")
    REPORTED = 1, _("Anmäld")
    FLAGGED = 2, _("Flaggad")
    NONE = 9, _("Ingen flagga")


class ItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_all_channels(user):
            return self
        return self.filter(channel__unit_id__in=moderator_unit_ids(user))

    def in_queue(self):
        """Items waiting for a decision, most urgent first (served by moderation_item_queue_idx)."""
        return self.filter(state__in=QUEUE_STATES, purged_at__isnull=True).order_by("priority", "received_at", "id")

    def incoming(self):
        return self.filter(direction=Direction.INCOMING)

    def outgoing(self):
        return self.filter(direction=Direction.OUTGOING)

    def not_purged(self):
        return self.filter(purged_at__isnull=True)


class Item(models.Model):
    """One post, comment, reply or private message: an allmän handling from the moment it arrives."""

    CONTENT_FIELDS = ("text", "links", "attachments", "raw", "search_text", "url")

    channel = models.ForeignKey("moderation.Channel", verbose_name=_("kanal"), on_delete=models.PROTECT,
                                related_name="items")
    external_id = models.CharField(_("plattformens id"), max_length=200)
    kind = models.CharField(_("typ"), max_length=10, choices=ItemKind.choices, default=ItemKind.COMMENT)
    direction = models.CharField(_("riktning"), max_length=10, choices=Direction.choices, default=Direction.INCOMING)
    # SET_NULL rather than PROTECT/CASCADE: purging a post must neither fail nor take its thread with it.
    parent = models.ForeignKey("self", verbose_name=_("svar på"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="replies")
    root_post = models.ForeignKey("self", verbose_name=_("tråd (ursprungsinlägg)"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    author = models.ForeignKey("moderation.Author", verbose_name=_("avsändare"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="items")

    # Content. `text` is the latest text; every text ever received is in ItemVersion.
    text = models.TextField(_("text"), blank=True)
    links = models.JSONField(_("länkar"), default=list, blank=True)
    attachments = models.JSONField(_("bilagor"), default=list, blank=True, help_text=_("[{type, url, alt}]"))
    url = models.URLField(_("adress på plattformen"), max_length=1000, blank=True)
    raw = models.JSONField(_("mottagen data"), default=dict, blank=True)
    search_text = models.TextField(_("söktext"), blank=True, editable=False,
                                   help_text=_("Normaliserad kopia av texten för sökning."))

    platform_created_at = models.DateTimeField(_("skapad på plattformen"), null=True, blank=True)
    received_at = models.DateTimeField(_("mottagen"), default=timezone.now)

    # Queue state.
    state = models.CharField(_("status"), max_length=12, choices=ItemState.choices, default=ItemState.NEW)
    priority = models.SmallIntegerField(_("prioritet"), choices=Priority.choices, default=Priority.NONE)
    flag_count = models.PositiveIntegerField(_("antal flaggor"), default=0)
    report_count = models.PositiveIntegerField(_("antal anmälningar"), default=0)
    secret = models.BooleanField(_("sekretessmarkerad"), default=False)
    harmless = models.BooleanField(_("markerad som ofarlig"), default=False,
                                   help_text=_("Nya anmälningar lägger inte tillbaka inlägget i kön."))
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("granskas av"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    claim_expires_at = models.DateTimeField(_("granskning reserverad till"), null=True, blank=True)
    # Optimistic locking: a decision carries the version it was made on; services bump it on every change.
    version = models.PositiveIntegerField(_("version"), default=1)
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)

    # On the platform.
    hidden_on_platform = models.BooleanField(_("dold på plattformen"), default=False)
    first_removed_at = models.DateTimeField(_("först borttagen"), null=True, blank=True,
                                            help_text=_("För mätning av tid till borttagning."))
    removed_on_platform_at = models.DateTimeField(_("borttagen på plattformen"), null=True, blank=True)
    removed_by_author_at = models.DateTimeField(
        _("borttagen av avsändaren"), null=True, blank=True,
        help_text=_("Avsändaren tog bort den på plattformen; vår kopia finns kvar."),
    )

    # Linköping's policy: an outgoing item records the consent its pictures or names rest on.
    consent_basis = models.CharField(_("samtycke"), max_length=300, blank=True)

    # Retention (records.RetentionClass.code; no FK across apps yet) and the purge tombstone.
    # Indexed only while not purged (moderation_item_due_idx): purging a million items then writes no
    # entry into it, and the daily draft finds what is due through it.
    retention_class_code = models.CharField(_("gallringsklass"), max_length=40, blank=True)
    retention_due = models.DateField(_("gallras tidigast"), null=True, blank=True)
    purged_at = models.DateTimeField(_("gallrad"), null=True, blank=True)

    objects = ItemQuerySet.as_manager()
    # raw and search_text duplicate text and can be large; their history would only repeat it.
    history = HistoricalRecords(excluded_fields=["raw", "search_text"])

    class Meta:
        verbose_name = _("inlägg")
        verbose_name_plural = _("inlägg")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="moderation_item_channel_ext_uniq"),
        ]
        indexes = [
            models.Index(fields=["state", "priority", "received_at"], name="moderation_item_queue_idx"),
            # A channel's tab in queue order (the queue's channel filter); also serves (channel, state).
            models.Index(fields=["channel", "state", "priority", "received_at"], name="moderation_item_chan_queue_idx"),
            # The decided tab: latest decisions first.
            models.Index(fields=["state", "decided_at", "id"], name="moderation_item_decided_idx"),
            models.Index(fields=["author", "received_at"], name="moderation_item_author_idx"),
            models.Index(fields=["received_at"], name="moderation_item_received_idx"),
            models.Index(fields=["secret"], name="moderation_item_secret_idx"),
            models.Index(fields=["retention_due"], condition=models.Q(purged_at__isnull=True),
                         name="moderation_item_due_idx"),
        ]
        # Full-text search on PostgreSQL: a GIN index on SearchVector("text", config="swedish"),
        # created in migration 0002 only on PostgreSQL (SQLite searches search_text with LIKE).
        permissions = [
            ("moderate_item", _("Får moderera inlägg")),
            ("register_item", _("Får föreslå/registrera inlägg")),
            ("view_secret_item", _("Får se sekretessmarkerat innehåll")),
            ("view_statistics", _("Får se statistik för årsredovisningen")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk or self.external_id}"

    @property
    def audit_label(self) -> str:
        return f"{self.get_kind_display()} {self.pk} på {self.channel.slug}"

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None

    @property
    def content_secret(self) -> bool:
        """Its own secret flag, or a marking on the content of a document registered from it
        (moderation/queue/secrecy.py: the marking follows the information back to its source)."""
        if self.secret:
            return True
        from moderation.queue.secrecy import items_load_secrecy

        items_load_secrecy([self])
        return "content" in self.__dict__.get("_source_parts", ())

    def content_visible_to(self, user) -> bool:
        """Secret content is shown only to those who may see secret information (registrars), and
        every view of it is audited by the view that shows it."""
        from moderation.queue.secrecy import may_view_secret_items

        return not self.content_secret or may_view_secret_items(user)

    def history_hidden_fields(self, user) -> set[str]:
        # accounts.history masks these in the diff view for users who may not see secret content.
        from moderation.queue.secrecy import SENDER_ITEM_FIELDS, item_masked_parts

        masked = item_masked_parts(self, user)
        hidden = set(self.CONTENT_FIELDS) if "content" in masked else set()
        if "sender" in masked:
            hidden |= {*SENDER_ITEM_FIELDS, "author"}
        return hidden

    def history_delivered_secret(self, user) -> set[str]:
        """The secret parts the history view shows this user (it audits them)."""
        from moderation.queue.secrecy import item_masked_parts, item_secret_parts

        return set() if item_masked_parts(self, user) else item_secret_parts(self)


class ItemVersion(models.Model):
    """One text an item has had on the platform (number 1 = the original). Never changed, never
    overwritten: this table IS the history of platform edits, so it has no HistoricalRecords."""

    item = models.ForeignKey(Item, verbose_name=_("inlägg"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("nummer"))
    text = models.TextField(_("text"), blank=True)
    links = models.JSONField(_("länkar"), default=list, blank=True)
    attachments = models.JSONField(_("bilagor"), default=list, blank=True)
    raw = models.JSONField(_("mottagen data"), default=dict, blank=True)
    platform_edited_at = models.DateTimeField(_("ändrad på plattformen"), null=True, blank=True)
    received_at = models.DateTimeField(_("mottagen"), default=timezone.now)

    class Meta:
        verbose_name = _("inläggsversion")
        verbose_name_plural = _("inläggsversioner")
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="moderation_itemversion_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"

    @property
    def audit_label(self) -> str:
        return f"Version {self.number} av inlägg {self.item_id}"
