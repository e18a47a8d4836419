"""Why an item is in the queue (flags, public reports), what was decided, and what followed
for the author (sanctions, police reports)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from moderation.channels.models import moderator_unit_ids, sees_all_channels

# --- public reports -----------------------------------------------------------------------------


# --- flags --------------------------------------------------------------------------------------


class FlagSource(models.TextChoices):
    DETECTOR = "detector", _("Automatisk granskning")
    REPORT = "report", _("Anmälan")
    STAFF = "staff", _("Personal")
    PLATFORM = "platform", _("Plattformen")  # e.g. YouTube's likelySpam / heldForReview


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class Flag(models.Model):
    """Why an item is in the queue. Services require `detail`: there is never an unexplained flag."""

    item = models.ForeignKey("moderation.Item", verbose_name=_("inlägg"), on_delete=models.CASCADE,
                             related_name="flags")
    source = models.CharField(_("källa"), max_length=10, choices=FlagSource.choices)
    rule = models.ForeignKey("moderation.Rule", verbose_name=_("regel"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="flags")
    detector = models.ForeignKey("moderation.Detector", verbose_name=_("automatisk granskning"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="flags")
    report = models.ForeignKey("moderation.PublicReport", verbose_name=_("anmälan"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="flags")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("flaggad av"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    detail = models.CharField(_("förklaring"), max_length=500)
    spans = models.JSONField(_("träffar i texten"), default=list, blank=True, help_text=_("[{start, end, term}]"))
    matched_terms = models.JSONField(_("träffade termer"), default=list, blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    resolved_at = models.DateTimeField(_("avgjord"), null=True, blank=True)
    resolved_by_decision = models.ForeignKey("moderation.Decision", verbose_name=_("avgjord genom beslut"),
                                             null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # This flag's detector held the item (hid it before review); kept by a moderator = a false hold.
    held = models.BooleanField(_("dolde inlägget"), default=False)

    objects = FlagQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("flagga")
        verbose_name_plural = _("flaggor")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["item", "resolved_at"], name="moderation_flag_item_open_idx"),
            # The queue's rule and flag-source filters (EXISTS … WHERE rule/source = … AND item = …).
            models.Index(fields=["rule", "item"], name="moderation_flag_rule_idx"),
            models.Index(fields=["source", "item"], name="moderation_flag_source_idx"),
            # The detector page's 30-day counts per detector.
            models.Index(fields=["detector", "created_at"], name="moderation_flag_detector_idx"),
        ]

    # What a flag says about the text (the words it matched, where): secret when the item's content is.
    CONTENT_FIELDS = ("detail", "spans", "matched_terms")

    def __str__(self) -> str:
        # Not the explanation: it names the words matched, which are secret when the content is.
        return f"{self.get_source_display()} {self.pk or ''}".strip()

    @property
    def audit_label(self) -> str:
        return f"Flagga {self.pk} på inlägg {self.item_id}"

    def history_hidden_fields(self, user) -> set[str]:
        return set() if self.item.content_visible_to(user) else set(self.CONTENT_FIELDS)

    def history_delivered_secret(self, user) -> set[str]:
        return {"content"} if self.item.content_secret and self.item.content_visible_to(user) else set()


# --- decisions ----------------------------------------------------------------------------------


class DecisionAction(models.TextChoices):
    KEEP = "keep", _("Behåll")
    HIDE = "hide", _("Dölj")
    REMOVE = "remove", _("Ta bort")
    ESCALATE = "escalate", _("Eskalera")
    REPLY = "reply", _("Svara")
    REFER = "refer", _("Hänvisa")
    UNHIDE = "unhide", _("Visa igen")
    RESTORE = "restore", _("Återställ (upphäver tidigare beslut)")


class ReferTarget(models.TextChoices):
    PARTIES = "parties", _("De politiska partierna")
    E_SERVICE = "e_service", _("E-tjänsten")
    SWITCHBOARD = "switchboard", _("Växeln")


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_all_channels(user):
            return self
        return self.filter(item__channel__unit_id__in=moderator_unit_ids(user))


class Decision(models.Model):
    """A moderator's decision on an item. Never edited (there is no change permission and save()
    refuses updates): a reversal is a new decision that `reverses` the old one."""

    item = models.ForeignKey("moderation.Item", verbose_name=_("inlägg"), on_delete=models.CASCADE,
                             related_name="decisions")
    action = models.CharField(_("beslut"), max_length=10, choices=DecisionAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("beslutad av"), on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField(_("beslutad"), default=timezone.now, db_index=True)
    rules = models.ManyToManyField("moderation.Rule", verbose_name=_("regler"), through="moderation.DecisionRule",
                                   blank=True, related_name="decisions")
    note = models.TextField(_("motivering"), blank=True)
    mark_harmless = models.BooleanField(_("markera som ofarlig"), default=False)
    escalate_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("eskalerad till"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    escalate_to_role = models.CharField(_("eskalerad till roll"), max_length=20, blank=True)
    reply_text = models.TextField(_("svar"), blank=True)
    reply_template = models.ForeignKey("moderation.ReplyTemplate", verbose_name=_("svarsmall"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="+")
    refer_target = models.CharField(_("hänvisning till"), max_length=12, choices=ReferTarget.choices, blank=True)
    platform_action_needed = models.CharField(_("åtgärd på plattformen"), max_length=20, blank=True)
    # RESTRICT, not PROTECT: both decisions go together when their item is purged.
    reverses = models.ForeignKey("self", verbose_name=_("upphäver"), null=True, blank=True,
                                 on_delete=models.RESTRICT, related_name="reversed_by")
    item_version = models.PositiveIntegerField(_("inläggets version"), default=1)
    time_to_decision = models.DurationField(_("tid till beslut"), null=True, blank=True)

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["-created_at", "-id"]
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.item_id})"

    @property
    def audit_label(self) -> str:
        return f"Beslut {self.pk} om inlägg {self.item_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Ett beslut ändras aldrig: fatta ett nytt beslut som upphäver det.")
        super().save(*args, **kwargs)


class DecisionRule(models.Model):
    """A rule a decision relied on, with the rule's text as it was in force at the time."""

    decision = models.ForeignKey(Decision, verbose_name=_("beslut"), on_delete=models.CASCADE,
                                 related_name="decision_rules")
    rule = models.ForeignKey("moderation.Rule", verbose_name=_("regel"), on_delete=models.PROTECT,
                             related_name="decision_rules")
    rule_version = models.PositiveIntegerField(_("regelns version"))
    rule_title_sv = models.CharField(_("regelns rubrik"), max_length=300)
    rule_text_sv = models.TextField(_("regelns text"), blank=True)

    class Meta:
        verbose_name = _("beslutsregel")
        verbose_name_plural = _("beslutsregler")
        constraints = [models.UniqueConstraint(fields=["decision", "rule"], name="moderation_decisionrule_uniq")]

    def __str__(self) -> str:
        return f"{self.rule_title_sv} (v{self.rule_version})"

    @classmethod
    def snapshot(cls, decision: Decision, rule) -> DecisionRule:
        """An unsaved row copying the rule's current text (services bulk_create them)."""
        return cls(decision=decision, rule=rule, rule_version=rule.version, rule_title_sv=rule.title_sv,
                   rule_text_sv=rule.description_sv)


# --- sanctions and police reports ---------------------------------------------------------------


class SanctionKind(models.TextChoices):
    WARNING = "warning", _("Varning")
    STRIKE = "strike", _("Prick")
    BLOCK = "block", _("Blockering")
    UNBLOCK = "unblock", _("Hävd blockering")
    POLICE_REPORT = "police_report", _("Polisanmälan")
    # Everything new from the author is hidden until `expires_at` (and waits in "Dolda").
    SUSPENSION = "suspension", _("Avstängning")
    # Everything new from the author is held for review before it is shown (until lifted).
    PREMODERATION = "premoderation", _("Förhandsgranskning")


class SanctionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_all_channels(user):
            return self
        return self.filter(channel__unit_id__in=moderator_unit_ids(user))

    def strikes(self, at=None):
        """Strikes still counting toward a block."""
        at = at or timezone.now()
        return self.filter(counts_as_strike=True, proposed=False).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=at)
        )

    def proposals(self):
        return self.filter(proposed=True, confirmed_at__isnull=True)

    def restrictions(self, at=None):
        """Suspensions and pre-moderations in force (not expired, not lifted)."""
        at = at or timezone.now()
        return self.filter(kind__in=[SanctionKind.SUSPENSION, SanctionKind.PREMODERATION]).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=at))


class Sanction(models.Model):
    """A measure against an author's account (DESIGN: repeated violations lead to a block)."""

    author = models.ForeignKey("moderation.Author", verbose_name=_("avsändare"), on_delete=models.CASCADE,
                               related_name="sanctions")
    channel = models.ForeignKey("moderation.Channel", verbose_name=_("kanal"), on_delete=models.PROTECT,
                                related_name="sanctions")
    kind = models.CharField(_("typ"), max_length=14, choices=SanctionKind.choices)
    decision = models.ForeignKey(Decision, verbose_name=_("beslut"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="sanctions")
    item = models.ForeignKey("moderation.Item", verbose_name=_("inlägg"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="sanctions")
    police_report = models.ForeignKey("moderation.PoliceReport", verbose_name=_("polisanmälan"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="sanctions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("utförd av"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("skäl"), blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, db_index=True)
    counts_as_strike = models.BooleanField(_("räknas som prick"), default=True,
                                           help_text=_("En varning utan prick räknas inte mot blockering."))
    expires_at = models.DateTimeField(_("upphör"), null=True, blank=True)
    # A block the system (or a colleague) proposes and a moderator confirms.
    proposed = models.BooleanField(_("förslag"), default=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("bekräftad av"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)

    objects = SanctionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("åtgärd mot konto")
        verbose_name_plural = _("åtgärder mot konton")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "kind", "created_at"], name="moderation_sanction_author_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.author_id})"

    @property
    def audit_label(self) -> str:
        return f"{self.get_kind_display()} {self.pk} mot avsändare {self.author_id}"


class PoliceReportStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Anmäld")
    CLOSED = "closed", _("Avslutad")


class PoliceReport(models.Model):
    """A police report of threats or other crimes (the policies: "Hot och andra brott polisanmäls")."""

    reported_at = models.DateField(_("anmäld den"), null=True, blank=True)
    police_reference = models.CharField(_("polisens diarienummer"), max_length=100, blank=True)
    items = models.ManyToManyField("moderation.Item", verbose_name=_("inlägg"), blank=True,
                                   related_name="police_reports")
    author = models.ForeignKey("moderation.Author", verbose_name=_("avsändare"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="police_reports")
    status = models.CharField(_("status"), max_length=10, choices=PoliceReportStatus.choices,
                              default=PoliceReportStatus.DRAFT)
    note = models.TextField(_("anteckning"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("upprättad av"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    # The information management plan (moderation/retention_hooks.py: PA-1, or the class of the
    # document it was registered as); set by the retention service.
    retention_class_code = models.CharField(_("gallringsklass"), max_length=40, blank=True, db_index=True)
    retention_due = models.DateField(_("gallras tidigast"), null=True, blank=True, db_index=True)
    purged_at = models.DateTimeField(_("gallrad"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[items])

    class Meta:
        verbose_name = _("polisanmälan")
        verbose_name_plural = _("polisanmälningar")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Polisanmälan {self.police_reference or self.pk}"

    @property
    def audit_label(self) -> str:
        return f"Polisanmälan {self.pk}"
