"""The diarium: numbering series, cases (ärenden) and documents (handlingar).

OSL 5 kap. 1–2 §§: a registration holds the date a document came in or was drawn up, its
diarienummer, the sender or recipient where known and a short description of its content;
information under secrecy is left out of the public entry or masked in it (see secrecy.py).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from records.common import RetentionFields, user_fk, visible_if_permitted

DEFAULT_NUMBER_FORMAT = "{series} {year}/{number}"
# Stands for the number in labels written before the number is taken at the end of the registering
# transaction (audit rows); records.diarium.services.numbering replaces it with the number.
NUMBER_PENDING = "(numreras)"


class Series(models.Model):
    """A diarieserie, e.g. "KS" for kommunstyrelsen: cases are numbered per series and year."""

    code = models.CharField(_("kod"), max_length=20, unique=True, help_text=_("T.ex. KS"))
    name = models.CharField(_("namn"), max_length=200)
    body = models.CharField(_("nämnd"), max_length=200, blank=True,
                            help_text=_("Den nämnd eller styrelse serien hör till."))
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("enhet"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="series",
    )
    number_format = models.CharField(
        _("nummerformat"), max_length=60, default=DEFAULT_NUMBER_FORMAT,
        help_text=_("Platshållare {series}, {year} och {number}, t.ex. \"{series} {year}/{number}\" eller "
                    "\"{series}/{year}/{number:04d}\"."),
    )
    document_separator = models.CharField(_("skiljetecken för handlingsnummer"), max_length=3, default="-")
    active = models.BooleanField(_("aktiv"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("diarieserie")
        verbose_name_plural = _("diarieserier")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def audit_label(self) -> str:
        return f"Diarieserie {self.code}"

    def format_case_number(self, year: int, number: int) -> str:
        return (self.number_format or DEFAULT_NUMBER_FORMAT).format(series=self.code, year=year, number=number)

    def format_document_number(self, case_number: str, sequence: int) -> str:
        return f"{case_number}{self.document_separator}{sequence}"

    def clean(self):
        # A bad format would only surface when the next number is allocated: refuse it here.
        try:
            sample = self.format_case_number(2026, 1)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValidationError({"number_format": _("Ogiltigt nummerformat: %(e)s") % {"e": exc}}) from exc
        if "1" not in sample or "2026" not in sample:
            raise ValidationError({"number_format": _("Formatet måste innehålla {year} och {number}.")})
        from records.diarium.services.main_diarium import series_collision

        if problem := series_collision(self):
            raise ValidationError({"number_format": problem})


class NumberCounter(models.Model):
    """The last number handed out in one series, year and scope (no history: it is a counter).

    scope "case" numbers cases; "doc:<case id>" numbers the documents of one case. The allocation
    (records.diarium.services.numbering) increments this row as the last step of the registering
    transaction, which locks it until commit, so numbers are unique and gap-free and a rollback gives
    the number back.
    """

    CASE_SCOPE = "case"

    series = models.ForeignKey(Series, verbose_name=_("diarieserie"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    scope = models.CharField(_("omfång"), max_length=40, default=CASE_SCOPE)
    last_value = models.PositiveIntegerField(_("senast använda nummer"), default=0)

    class Meta:
        verbose_name = _("nummerräknare")
        verbose_name_plural = _("nummerräknare")
        constraints = [
            models.UniqueConstraint(fields=["series", "year", "scope"], name="records_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.series_id}/{self.year}/{self.scope}: {self.last_value}"

    @property
    def audit_label(self) -> str:
        return f"Nummerräknare {self.year} {self.scope}"

    @staticmethod
    def document_scope(case_id: int) -> str:
        return f"doc:{case_id}"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Öppet")
    CLOSED = "closed", _("Avslutat")
    DELIVERED = "delivered", _("Levererat till e-arkiv")


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_if_permitted(self, user, "view_case")

    def open(self):
        return self.filter(status=CaseStatus.OPEN)


class Case(RetentionFields):
    """An ärende, e.g. "KS 2026/123".

    `title` is the registered title; `public_title` is what the postlista shows when the title
    itself would reveal secret or personal information (empty = the title is public).
    """

    series = models.ForeignKey(Series, verbose_name=_("diarieserie"), on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveSmallIntegerField(_("år"))
    # NULL only inside the registering transaction, until the number is taken at its end
    # (records.diarium.services.numbering): a committed case always has both.
    sequence = models.PositiveIntegerField(_("löpnummer"), null=True)
    number = models.CharField(_("diarienummer"), max_length=60, unique=True, null=True)
    title = models.CharField(_("ärendemening"), max_length=500)
    public_title = models.CharField(_("offentlig ärendemening"), max_length=500, blank=True)
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("enhet"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    responsible = user_fk(_("handläggare"))
    classification_code = models.CharField(_("klassificering"), max_length=40, blank=True,
                                           help_text=_("Kod i klassificeringsstrukturen, t.ex. 1.2.3."))
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN,
                              db_index=True)
    opened_at = models.DateField(_("öppnat"), default=timezone.localdate)
    closed_at = models.DateField(_("avslutat"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("levererat till e-arkiv"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["series", "year", "sequence"], name="records_case_series_year_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.display_title}"

    @property
    def audit_label(self) -> str:
        return f"Ärende {self.number or NUMBER_PENDING}"

    @property
    def display_title(self) -> str:
        """The title safe to show anyone who may see the case (the postlista uses it too)."""
        return self.public_title or self.title


class Direction(models.TextChoices):
    INCOMING = "incoming", _("Inkommen")
    OUTGOING = "outgoing", _("Upprättad")


class SenderKind(models.TextChoices):
    """Who the sender (or, for an outgoing document, the recipient) is: the public postlista hides a
    private person's name (UPPSIKT_HIDE_PRIVATE_SENDERS), never an organisation's or an authority's."""

    PRIVATE_PERSON = "private_person", _("Privatperson")
    ORGANISATION = "organisation", _("Företag eller organisation")
    AUTHORITY = "authority", _("Myndighet")
    UNKNOWN = "unknown", _("Okänt (kan vara en privatperson)")


# What the public postlista shows instead of the name, per kind, when names are hidden.
PUBLIC_NAME_MARKERS = {
    SenderKind.PRIVATE_PERSON: "[privatperson]",
    SenderKind.UNKNOWN: "[namnet visas inte]",
}


class RegistrationReason(models.TextChoices):
    """Why something is registered: the five grounds of the policy, plus two of general practice."""

    ADDS_TO_CASE = "adds_to_case", _("Tillför uppgifter i ett ärende")
    REQUESTED = "requested", _("Handling som myndigheten efterfrågar")
    SPECIAL_INTEREST = "special_interest", _("Av särskilt intresse")
    REMOVED_INAPPROPRIATE = "removed_inappropriate", _("Raderad till följd av olämpligt innehåll")
    CONFIDENTIAL = "confidential", _("Sekretessbelagd information")
    INDIVIDUAL_MATTER = "individual_matter", _("Enskilt ärende")
    POLICE_REPORT = "police_report", _("Polisanmälan")
    OTHER = "other", _("Annat")


# Which model fields hold each secret part (OSL 5 kap. 2 §: secret information is left out or
# masked). Used by the history view, the admin, the API and the postlista alike.
SECRET_PART_FIELDS: dict[str, frozenset[str]] = {
    "sender": frozenset({"sender"}),
    "description": frozenset({"description", "public_description"}),
    "content": frozenset({"content", "content_meta", "content_sha256"}),
}


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_if_permitted(self, user, "view_document")

    def public(self):
        """Documents that belong in the postlista: neither voided nor purged."""
        return self.filter(voided=False, purged_at__isnull=True)

    def with_secrecy(self, on: date | None = None):
        """Prefetch the markings in force (into `active_secrecy_markings`), for `secret_parts()`."""
        from records.secrecy.models import SecrecyMarking

        return self.prefetch_related(
            Prefetch(
                "secrecy_markings",
                queryset=SecrecyMarking.objects.active(on=on).select_related("legal_ground"),
                to_attr="active_secrecy_markings",
            )
        )

    def from_source(self, source_type: str, source_id):
        return self.filter(source_type=source_type, source_id=str(source_id))


class Document(RetentionFields):
    """A handling, e.g. "KS 2026/123-4": one registered item or drawn-up document.

    `content` is a frozen snapshot taken at registration (the source may later change or be
    purged); `content_sha256` is the SHA-256 of `content` in UTF-8. A registration is never deleted:
    a mistaken one is voided (makulerad) with a reason.

    History leaves out `content` and `content_meta`: they never change after registration, and
    keeping copies in the history tables would only add places a purge or erasure must reach.
    Other parts (sender, description) do reach history: the purge service scrubs the historical rows
    (`Document.history.filter(id=...)`) together with the document.
    """

    case = models.ForeignKey(Case, verbose_name=_("ärende"), on_delete=models.PROTECT, related_name="documents")
    # NULL only inside the registering transaction (see Case.sequence).
    sequence = models.PositiveIntegerField(_("löpnummer"), null=True)
    number = models.CharField(_("diarienummer"), max_length=70, unique=True, null=True)
    direction = models.CharField(_("riktning"), max_length=10, choices=Direction.choices, default=Direction.INCOMING)
    date = models.DateField(_("inkom/upprättad"), help_text=_("Dagen handlingen kom in eller upprättades."))
    sender = models.CharField(_("avsändare/mottagare"), max_length=300, blank=True)
    sender_kind = models.CharField(
        _("avsändarens/mottagarens art"), max_length=20, choices=SenderKind.choices, default=SenderKind.UNKNOWN,
        help_text=_("Privatpersoners namn visas inte i den publika postlistan; företags, organisationers och "
                    "myndigheters namn visas."),
    )
    description = models.CharField(_("beskrivning"), max_length=500)
    public_description = models.CharField(
        _("offentlig beskrivning"), max_length=500, blank=True,
        help_text=_("Visas i stället för beskrivningen när den innehåller sekretessbelagda uppgifter."),
    )
    reason = models.CharField(_("skäl för diarieföring"), max_length=30, choices=RegistrationReason.choices,
                              default=RegistrationReason.OTHER)
    source_type = models.CharField(_("källtyp"), max_length=60, blank=True)
    source_id = models.CharField(_("käll-id"), max_length=64, blank=True)
    content = models.TextField(_("innehåll"), blank=True)
    content_meta = models.JSONField(_("innehållets metadata"), default=dict, blank=True)
    content_sha256 = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64, blank=True)
    registered_by = user_fk(_("registrerad av"))
    registered_at = models.DateTimeField(_("registrerad"), default=timezone.now)
    voided = models.BooleanField(_("makulerad"), default=False)
    voided_at = models.DateTimeField(_("makulerad den"), null=True, blank=True)
    voided_by = user_fk(_("makulerad av"))
    void_reason = models.TextField(_("skäl för makulering"), blank=True)

    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["content", "content_meta"])

    class Meta:
        verbose_name = _("handling")
        verbose_name_plural = _("handlingar")
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="records_document_case_seq"),
            # One live registration per source item: a second registration (a double click, two
            # registrars at once) fails in the database instead of creating a duplicate.
            models.UniqueConstraint(
                fields=["source_type", "source_id"], condition=Q(voided=False) & ~Q(source_type=""),
                name="records_document_one_per_source",
            ),
        ]
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="records_doc_source_idx"),
            models.Index(fields=["date"], name="records_doc_date_idx"),
        ]
        permissions = [
            ("view_secret", _("Får se sekretessbelagda uppgifter")),
            ("register_document", _("Får diarieföra")),
        ]

    def __str__(self) -> str:
        # Only the number: the description or sender may be secret, and __str__ ends up in
        # select widgets, history and logs.
        return self.number or ""

    @property
    def audit_label(self) -> str:
        return f"Handling {self.number or NUMBER_PENDING}"

    def active_markings(self, on: date | None = None) -> list:
        """The secrecy markings in force, from the prefetch of `with_secrecy()` when present."""
        on = on or timezone.localdate()
        prefetched = getattr(self, "active_secrecy_markings", None)
        if prefetched is None:
            cache = getattr(self, "_prefetched_objects_cache", {})
            prefetched = cache.get("secrecy_markings")
        if prefetched is not None:
            return [m for m in prefetched if m.is_active(on)]
        if self.pk is None:
            return []
        return list(self.secrecy_markings.active(on=on).select_related("legal_ground"))

    def secret_parts(self, on: date | None = None) -> set[str]:
        """Names of the parts ("sender", "description", "content") under secrecy now."""
        return {m.part for m in self.active_markings(on)}

    def hidden_fields_for(self, user, on: date | None = None) -> set[str]:
        """Model field names the user may not see: those of the secret parts, unless they may."""
        if user is not None and getattr(user, "is_authenticated", False) and user.has_perm("records.view_secret"):
            return set()
        fields: set[str] = set()
        for part in self.secret_parts(on):
            fields |= SECRET_PART_FIELDS.get(part, frozenset())
        return fields

    def history_hidden_fields(self, user) -> set[str]:
        """Called by accounts.history: secret parts are shown as "[sekretess]" there."""
        return self.hidden_fields_for(user)

    def history_delivered_secret(self, user) -> set[str]:
        """Called by accounts.history: the secret parts it shows this user (audited there)."""
        return set() if self.hidden_fields_for(user) else self.secret_parts()

    @property
    def sender_is_private_person(self) -> bool:
        """True only for a known private person (an organisation is never one)."""
        return self.sender_kind == SenderKind.PRIVATE_PERSON

    @sender_is_private_person.setter
    def sender_is_private_person(self, value: bool) -> None:
        self.sender_kind = SenderKind.PRIVATE_PERSON if value else SenderKind.ORGANISATION

    def public_name_marker(self, hide_private: bool) -> str | None:
        """What the postlista shows instead of the sender's name, or None when the name may be shown."""
        if not hide_private or not self.sender:
            return None
        return PUBLIC_NAME_MARKERS.get(self.sender_kind)

    @property
    def is_secret(self) -> bool:
        return bool(self.secret_parts())

    @property
    def display_description(self) -> str:
        """The description for those who may not see secret parts (and for the postlista)."""
        if "description" in self.secret_parts():
            return self.public_description or str(_("[sekretess]"))
        return self.description

    # --- the content snapshot is immutable once registered -----------------------------------
    FROZEN_FIELDS = ("content", "content_meta", "content_sha256")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if all(name in field_names for name in cls.FROZEN_FIELDS):
            instance._frozen_snapshot = tuple(getattr(instance, name) for name in cls.FROZEN_FIELDS)
        return instance

    def save(self, *args, **kwargs):
        """Refuses to change the content snapshot of a registered document (only a purge may blank it)."""
        frozen = getattr(self, "_frozen_snapshot", None)
        if frozen is not None and self.purged_at is None:
            update_fields = kwargs.get("update_fields")
            touched = self.FROZEN_FIELDS if update_fields is None else [
                f for f in self.FROZEN_FIELDS if f in set(update_fields)
            ]
            for name in touched:
                if getattr(self, name) != frozen[self.FROZEN_FIELDS.index(name)]:
                    raise ValidationError(
                        {name: _("Innehållet i en diarieförd handling kan inte ändras.")}
                    )
        super().save(*args, **kwargs)
        if all(name in self.__dict__ for name in self.FROZEN_FIELDS):
            self._frozen_snapshot = tuple(getattr(self, name) for name in self.FROZEN_FIELDS)

    def clean(self):
        if self.voided and not self.void_reason:
            raise ValidationError({"void_reason": _("Ange skäl för makuleringen.")})

