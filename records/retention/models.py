"""Retention (gallring): the information management plan, purge lists, tombstones, legal holds.

Arkivlagen (1990:782) and the municipality's gallringsbeslut: nothing is purged unless a retention
class allows it, every purge is logged, and legal holds stop purges.

The purge log (gallringslogg) is not a separate table: it is the executed `PurgeLine` rows of
approved `PurgeList`s joined with the `Tombstone` each purged target leaves (target type and id,
number or reference, retention class, original date, when, under which list). Neither holds
personal data, so the log can be kept for ever and shown to auditors.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from records.common import user_fk, visible_if_permitted


class RetentionAction(models.TextChoices):
    KEEP = "keep", _("Bevaras")
    PURGE = "purge", _("Gallras")


class RetentionTrigger(models.TextChoices):
    """From which event the retention period runs."""

    ARRIVAL = "arrival", _("Från ankomst/upprättande")
    DECISION = "decision", _("Från beslut")
    CASE_CLOSED = "case_closed", _("Från ärendets avslut")
    LAST_ACTIVITY = "last_activity", _("Från senaste aktivitet")
    MANUAL = "manual", _("När inaktuell (bedöms manuellt)")


class RetentionClassQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_type(self, target_type: str):
        """Active classes that may be applied to a target type ("moderation.item").

        Filtered in Python: JSON containment differs between SQLite and PostgreSQL, and the plan
        has a handful of rows.
        """
        return [c for c in self.active() if target_type in (c.applies_to or [])]


class RetentionClass(models.Model):
    """One line of the information management plan (informationshanteringsplan)."""

    code = models.CharField(_("kod"), max_length=20, unique=True, help_text=_("T.ex. SM-1"))
    name = models.CharField(_("benämning"), max_length=200)
    covers = models.TextField(_("omfattar"), blank=True)
    action = models.CharField(_("bevaras/gallras"), max_length=10, choices=RetentionAction.choices)
    period_days = models.PositiveIntegerField(_("gallringsfrist (dagar)"), null=True, blank=True)
    trigger = models.CharField(_("räknas från"), max_length=20, choices=RetentionTrigger.choices,
                               default=RetentionTrigger.ARRIVAL)
    decision_body = models.CharField(_("beslutande organ"), max_length=200, blank=True)
    decision_date = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decision_reference = models.CharField(_("beslutets diarienummer"), max_length=60, blank=True)
    applies_to = models.JSONField(
        _("gäller för"), default=list, blank=True,
        help_text=_('Objekttyper, t.ex. ["moderation.item", "records.document"].'),
    )
    active = models.BooleanField(_("aktiv"), default=True)
    order = models.PositiveIntegerField(_("ordning"), default=100)

    objects = RetentionClassQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gallringsklass")
        verbose_name_plural = _("gallringsklasser")
        ordering = ["order", "code"]
        permissions = [("assign_retention", _("Får ändra gallringsklass på enskilda objekt"))]
        constraints = [
            # Kept records have no period; purged ones have one unless judged manually.
            models.CheckConstraint(
                condition=Q(action="keep", period_days__isnull=True)
                | Q(action="purge", trigger="manual")
                | Q(action="purge", period_days__isnull=False),
                name="records_retentionclass_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def audit_label(self) -> str:
        return f"Gallringsklass {self.code}"

    @property
    def is_purge(self) -> bool:
        return self.action == RetentionAction.PURGE

    def due_date(self, start: date | None) -> date | None:
        """The first day the object may be purged, counted from the trigger event's date."""
        if not self.is_purge or self.period_days is None or start is None:
            return None
        return start + timedelta(days=self.period_days)

    def clean(self):
        if self.action == RetentionAction.KEEP and self.period_days is not None:
            raise ValidationError({"period_days": _("Handlingar som bevaras har ingen gallringsfrist.")})
        if (self.action == RetentionAction.PURGE and self.trigger != RetentionTrigger.MANUAL
                and self.period_days is None):
            raise ValidationError({"period_days": _("Ange gallringsfristen.")})
        if not isinstance(self.applies_to, list) or not all(isinstance(t, str) for t in self.applies_to):
            raise ValidationError({"applies_to": _("Ange en lista med objekttyper.")})


class PurgeListStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PROPOSED = "proposed", _("Föreslagen")
    APPROVED = "approved", _("Godkänd")
    EXECUTING = "executing", _("Verkställs")
    EXECUTED = "executed", _("Verkställd")
    CANCELLED = "cancelled", _("Avbruten")


class PurgeListQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_if_permitted(self, user, "view_purgelist")


class PurgeList(models.Model):
    """A gallringslista: drafted (by the daily task or an archivist), proposed, approved by a
    second person (four eyes, enforced in the database too), executed and kept as the log."""

    reference = models.CharField(_("referens"), max_length=30, unique=True, help_text=_("T.ex. GL-2026-001"))
    status = models.CharField(_("status"), max_length=20, choices=PurgeListStatus.choices,
                              default=PurgeListStatus.DRAFT, db_index=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    drafted_by = user_fk(_("upprättad av"), help_text=_("Tomt när listan togs fram av den dagliga körningen."))
    proposed_by = user_fk(_("föreslagen av"))
    proposed_at = models.DateTimeField(_("föreslagen"), null=True, blank=True)
    approved_by = user_fk(_("godkänd av"))
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    executed_by = user_fk(_("verkställd av"))
    executed_at = models.DateTimeField(_("verkställd"), null=True, blank=True)
    contains_secret = models.BooleanField(_("innehåller sekretessbelagda handlingar"), default=False)
    cutoff_date = models.DateField(_("gallringsdatum"), help_text=_("Objekt som förfallit senast denna dag."))
    note = models.TextField(_("anteckning"), blank=True)
    line_count = models.PositiveIntegerField(_("antal rader"), default=0)

    objects = PurgeListQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gallringslista")
        verbose_name_plural = _("gallringslistor")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("approve_purgelist", _("Får godkänna gallringslista")),
            ("execute_purgelist", _("Får verkställa gallringslista")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | Q(proposed_by__isnull=True) | ~Q(approved_by=F("proposed_by")),
                name="records_purgelist_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_label(self) -> str:
        return f"Gallringslista {self.reference}"


class PurgeLineStatus(models.TextChoices):
    PENDING = "pending", _("Väntar")
    DONE = "done", _("Gallrad")
    REFUSED = "refused", _("Vägrad (ändrad eller spärrad)")
    SKIPPED = "skipped", _("Undantagen")


class PurgeLine(models.Model):
    """One target on a purge list (no history: a list may hold a million lines; the list's own
    history and the tombstones are the log). `label` is a number or reference, never personal.

    `fingerprint` is taken at approval; execution refuses a target whose fingerprint changed.
    An archivist can exclude a line or move it to another class before approval.
    """

    # No separate index on purge_list: the unique (purge_list, target_type, target_id) index serves it;
    # every index on this table costs a write per line when a million lines are executed.
    purge_list = models.ForeignKey(PurgeList, verbose_name=_("gallringslista"), on_delete=models.CASCADE,
                                   related_name="lines", db_index=False)
    target_type = models.CharField(_("objekttyp"), max_length=60)
    target_id = models.CharField(_("objekt-id"), max_length=64)
    label = models.CharField(_("beteckning"), max_length=200, blank=True)
    retention_class = models.ForeignKey(RetentionClass, verbose_name=_("gallringsklass"), on_delete=models.PROTECT,
                                        related_name="+", db_index=False)
    due_date = models.DateField(_("gallras tidigast"))
    fingerprint = models.CharField(_("fingeravtryck"), max_length=64, blank=True)
    excluded = models.BooleanField(_("undantagen"), default=False)
    exclude_reason = models.TextField(_("skäl för undantag"), blank=True)
    changed_class_to = models.ForeignKey(RetentionClass, verbose_name=_("ny gallringsklass"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+", db_index=False)
    change_reason = models.TextField(_("skäl för ändrad klass"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PurgeLineStatus.choices,
                              default=PurgeLineStatus.PENDING)
    executed_at = models.DateTimeField(_("verkställd"), null=True, blank=True)
    error = models.TextField(_("fel"), blank=True)
    # Which committed batch purged or refused the line (no constraint: written a million times).
    batch = models.ForeignKey("records.PurgeBatch", verbose_name=_("omgång"), null=True, blank=True,
                              on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")

    class Meta:
        verbose_name = _("rad i gallringslista")
        verbose_name_plural = _("rader i gallringslistor")
        ordering = ["purge_list_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["purge_list", "target_type", "target_id"], name="records_purgeline_once"),
        ]
        # Partial indexes: a line leaves them when it is done, so executing a line writes no entry
        # into them. The workers claim pending lines in id order (SKIP LOCKED); the draft asks
        # whether a target is pending on an open list; the counts ask for skipped lines.
        indexes = [
            models.Index(fields=["purge_list", "id"], condition=Q(status="pending"),
                         name="records_purgeline_claim_idx"),
            models.Index(fields=["target_type", "target_id"], condition=Q(status="pending"),
                         name="records_purgeline_pending_idx"),
            models.Index(fields=["purge_list"], condition=Q(status="skipped"), name="records_purgeline_skip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.target_type} {self.label or self.target_id}"

    @property
    def audit_label(self) -> str:
        return f"Gallringsrad {self.target_type}:{self.target_id}"


class PurgeBatch(models.Model):
    """One committed batch of an executing purge list: the execution log (gallringslogg) per batch.

    Written in the same transaction as the lines it purged or refused, so a batch exists exactly when
    its lines are done: a worker killed mid-batch leaves neither (its lines are pending again and
    another worker takes them). The sums of `done` and `refused` are the list's progress.
    """

    purge_list = models.ForeignKey(PurgeList, verbose_name=_("gallringslista"), on_delete=models.PROTECT,
                                   related_name="batches")
    worker = models.CharField(_("arbetsprocess"), max_length=120, help_text=_("Värd och process-id."))
    started_at = models.DateTimeField(_("påbörjad"))
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    lines = models.PositiveIntegerField(_("rader"), default=0)
    done = models.PositiveIntegerField(_("gallrade"), default=0)
    refused = models.PositiveIntegerField(_("vägrade"), default=0)
    first_line_id = models.BigIntegerField(_("första rad"), null=True, blank=True)
    last_line_id = models.BigIntegerField(_("sista rad"), null=True, blank=True)

    class Meta:
        verbose_name = _("omgång i gallring")
        verbose_name_plural = _("omgångar i gallring")
        ordering = ["purge_list_id", "id"]

    def __str__(self) -> str:
        return f"{self.purge_list_id}:{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"Gallringsomgång {self.pk}"


class TombstoneReason(models.TextChoices):
    PURGE = "purge", _("Gallring")
    ERASURE = "erasure", _("Radering (GDPR art. 17)")


class Tombstone(models.Model):
    """What remains of a purged or erased object: that it existed and on what authority.

    No personal data and no content, ever: only type, id, number/reference, class and dates
    (no history: it is written once). `basis_reference` keeps the purge list's or the request's
    reference readable even after that request itself has been purged.
    """

    target_type = models.CharField(_("objekttyp"), max_length=60)
    target_id = models.CharField(_("objekt-id"), max_length=64)
    number_or_reference = models.CharField(_("diarienummer/referens"), max_length=70, blank=True)
    retention_class_code = models.CharField(_("gallringsklass"), max_length=20, blank=True)
    created_date = models.DateField(_("ursprungligt datum"), null=True, blank=True)
    purged_at = models.DateTimeField(_("gallrad"), default=timezone.now)
    purge_list = models.ForeignKey(PurgeList, verbose_name=_("gallringslista"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="tombstones")
    subject_request = models.ForeignKey("records.SubjectRequest", verbose_name=_("begäran enligt GDPR"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="tombstones",
                                        db_index=False)
    basis_reference = models.CharField(_("beslut"), max_length=30, blank=True,
                                       help_text=_("Gallringslistans eller begärans referens."))
    reason = models.CharField(_("orsak"), max_length=10, choices=TombstoneReason.choices,
                              default=TombstoneReason.PURGE)

    class Meta:
        verbose_name = _("gallringsnotering")
        verbose_name_plural = _("gallringsnoteringar")
        ordering = ["-purged_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id"], name="records_tombstone_once"),
        ]
        indexes = [
            models.Index(fields=["subject_request"], condition=Q(subject_request__isnull=False),
                         name="records_tombstone_sr_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.target_type} {self.number_or_reference or self.target_id}"

    @property
    def audit_label(self) -> str:
        return f"Gallrad {self.target_type}:{self.target_id}"


class LegalHoldTarget(models.TextChoices):
    """What a hold covers; the values are the registry's type strings, as in PurgeLine.target_type.

    A hold on an author or a channel covers all their items (RetentionTarget.held_q says what each
    hold covers; records.retention.services.holds).
    """

    CASE = "records.case", _("Ärende")
    DOCUMENT = "records.document", _("Handling")
    ITEM = "moderation.item", _("Inlägg/kommentar")
    AUTHOR = "moderation.author", _("Konto (avsändare)")
    CHANNEL = "moderation.channel", _("Kanal")
    REPORT = "moderation.publicreport", _("Anmälan")


class LegalHoldSource(models.TextChoices):
    MANUAL = "manual", _("Manuell")
    DISCLOSURE_REQUEST = "disclosure_request", _("Begäran om allmän handling")
    DISCLOSURE_REFUSAL = "disclosure_refusal", _("Avslag på begäran om allmän handling")
    APPEAL = "appeal", _("Överklagande")
    SUBJECT_REQUEST = "subject_request", _("Begäran enligt GDPR")


class LegalHoldQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_if_permitted(self, user, "view_legalhold")

    def active(self, on: date | None = None):
        """Holds in force on `on` (today): not released, and `ends_on` (inclusive) not passed."""
        on = on or timezone.localdate()
        return self.filter(released_at__isnull=True).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def for_target(self, target_type: str, target_id):
        return self.filter(target_type=target_type, target_id=str(target_id))


class LegalHold(models.Model):
    """A spärr mot gallring: while active, the target is neither purged nor erased.

    A refused disclosure request holds what was refused until the appeal time has passed (the
    decision can be appealed; the documents must exist for the court).
    """

    target_type = models.CharField(_("objekttyp"), max_length=60, choices=LegalHoldTarget.choices)
    target_id = models.CharField(_("objekt-id"), max_length=64)
    reason = models.TextField(_("skäl"))
    created_by = user_fk(_("skapad av"))
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    ends_on = models.DateField(_("gäller till och med"), null=True, blank=True)
    released_at = models.DateTimeField(_("hävd"), null=True, blank=True)
    released_by = user_fk(_("hävd av"))
    release_reason = models.TextField(_("skäl för hävning"), blank=True)
    source = models.CharField(_("upphov"), max_length=30, choices=LegalHoldSource.choices,
                              default=LegalHoldSource.MANUAL)
    disclosure_request = models.ForeignKey("records.DisclosureRequest", verbose_name=_("begäran om allmän handling"),
                                           null=True, blank=True, on_delete=models.SET_NULL, related_name="holds")
    subject_request = models.ForeignKey("records.SubjectRequest", verbose_name=_("begäran enligt GDPR"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="holds")

    objects = LegalHoldQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spärr mot gallring")
        verbose_name_plural = _("spärrar mot gallring")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="records_hold_target_idx")]

    def __str__(self) -> str:
        return f"{self.get_target_type_display()} {self.target_id}"

    @property
    def audit_label(self) -> str:
        return f"Spärr {self.pk} ({self.target_type}:{self.target_id})"

    def is_active(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.released_at is None and (self.ends_on is None or self.ends_on >= on)
