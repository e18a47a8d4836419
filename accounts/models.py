"""Users, units (förvaltningar) and the append-only audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """The five roles of DESIGN.md; each is a Django group of the same name."""

    MODERATOR = "moderator", _("Moderator (kommunikatör, kontaktcenter)")
    REGISTRAR = "registrar", _("Registrator")
    ARCHIVIST = "archivist", _("Arkivarie")
    ADMINISTRATOR = "administrator", _("Systemförvaltare")
    AUDITOR = "auditor", _("Granskare (dataskyddsombud)")


class User(AbstractUser):
    title = models.CharField(_("befattning"), max_length=120, blank=True)
    # The OpenID provider's stable identifier (`sub`) once the user has signed in through it.
    oidc_subject = models.CharField(_("id hos identitetsleverantören"), max_length=255, blank=True, default="",
                                    editable=False)

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["username"]
        permissions = [
            ("use_admin", _("Får använda administrationsgränssnittet")),
            ("view_history", _("Får se ändringshistorik")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["oidc_subject"], condition=~models.Q(oidc_subject=""),
                                    name="accounts_user_oidc_subject_uniq"),
        ]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    @property
    def role_names(self) -> set[str]:
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return self._role_names

    def has_role(self, role: str) -> bool:
        return self.is_active and (self.is_superuser or role in self.role_names)

    @property
    def is_staff_member(self) -> bool:
        """Signed-in municipal staff: holds at least one role (or is a superuser)."""
        return self.is_active and (self.is_superuser or bool(self.role_names & set(Role.values)))

    def unit_ids(self) -> list[int]:
        if not hasattr(self, "_unit_ids"):
            self._unit_ids = list(self.units.values_list("pk", flat=True))
        return self._unit_ids


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Unit(models.Model):
    """A förvaltning or verksamhet: owns channels, its members moderate them."""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("namn"), max_length=200, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("överordnad enhet"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("medlemmar"), related_name="units", blank=True
    )
    active = models.BooleanField(_("aktiv"), default=True)

    objects = UnitQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Inloggning")
    LOGOUT = "logout", _("Utloggning")
    LOGIN_FAILED = "login_failed", _("Misslyckad inloggning")
    LOCKED_OUT = "locked_out", _("Spärrad efter misslyckade inloggningar")
    SESSION_EXPIRED = "session_expired", _("Sessionen gick ut")
    PASSWORD_CHANGED = "password_changed", _("Lösenord ändrat")
    PERMISSION_DENIED = "permission_denied", _("Nekad åtkomst")
    SECRET_VIEWED = "secret_viewed", _("Sekretessuppgift visad")
    EXPORT = "export", _("Export")
    DISCLOSURE = "disclosure", _("Utlämnande")
    ROLE_CHANGED = "role_changed", _("Roller ändrade")
    UNITS_CHANGED = "units_changed", _("Enheter ändrade")
    TWO_FACTOR = "two_factor", _("Tvåstegsverifiering")
    DATA_SUBJECT = "data_subject", _("Registrerads rättigheter")
    PURGE = "purge", _("Gallring")
    PERMISSIONS_CHANGED = "permissions_changed", _("Behörigheter ändrade")
    ACCOUNT_CHANGED = "account_changed", _("Användarkonto ändrat")
    ON_CALL_CHANGED = "on_call_changed", _("Jour ändrad")
    CASE_OPENED = "case_opened", _("Ärende upprättat")
    CASE_CLOSED = "case_closed", _("Ärende avslutat")
    CASE_REOPENED = "case_reopened", _("Ärende återöppnat")
    DOCUMENT_REGISTERED = "document_registered", _("Handling diarieförd")
    DOCUMENT_VOIDED = "document_voided", _("Handling makulerad")
    DOCUMENT_CHANGED = "document_changed", _("Handlingens beskrivning ändrad")
    PROPOSAL_DECLINED = "proposal_declined", _("Förslag till diarieföring avböjt")
    SECRECY_MARKED = "secrecy_marked", _("Sekretess markerad")
    SECRECY_LIFTED = "secrecy_lifted", _("Sekretess hävd")
    SECRECY_EXTENDED = "secrecy_extended", _("Sekretess utsträckt till avsändarens handlingar")
    RETENTION_CHANGED = "retention_changed", _("Gallringsklass ändrad")
    ARCHIVE_DELIVERED = "archive_delivered", _("Levererat till e-arkivet")
    SETTING_CHANGED = "setting_changed", _("Inställning ändrad")
    CONSENT = "consent", _("Samtycke")
    EVIDENCE = "evidence", _("Bevisning och bilder")
    PLATFORM = "platform", _("Kanal och plattform")
    NOTIFICATION = "notification", _("Avisering")
    OTHER = "other", _("Annat")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Granskningsloggen får inte ändras.")

    def delete(self):
        raise PermissionError("Granskningsloggen får inte raderas.")

    _raw_delete = delete


class AuditEvent(models.Model):
    """Append-only: rows are only ever inserted (the database refuses UPDATE and DELETE too)."""

    at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("utförd av"), null=True, blank=True,
        on_delete=models.DO_NOTHING, db_constraint=False, related_name="+",
    )
    actor_label = models.CharField(_("användare"), max_length=150, blank=True, db_index=True)
    action = models.CharField(_("händelse"), max_length=40, db_index=True)
    target_type = models.CharField(_("objekttyp"), max_length=100, blank=True, db_index=True)
    target_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    target_label = models.CharField(_("objekt"), max_length=255, blank=True)
    detail = models.JSONField(_("detaljer"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("granskningshändelse")
        verbose_name_plural = _("granskningslogg")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    @property
    def kind(self) -> str:
        """The event's kind: its action, or for older "other" rows the kind its detail names."""
        from accounts.audit.display import event_kind

        return event_kind(self.action, self.detail)

    @property
    def action_label(self) -> str:
        """The kind in Swedish (never the internal code)."""
        from accounts.audit.display import kind_label

        return kind_label(self.kind)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Granskningsloggen får inte ändras.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Granskningsloggen får inte raderas.")


# Sub-domain models (accounts/notifications/), re-exported so Django finds them in the accounts app.
from accounts.notifications.models import (  # noqa: E402, F401
    DeliveryKind,
    DeliveryStatus,
    EmailDelivery,
    EmailMode,
    Notification,
    NotificationKind,
    NotificationPreference,
    OnCallMembership,
)

