"""Channels (the municipality's accounts on each platform) and the authors who write to them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from moderation.platforms import crypto

# Roles that work across all units: only moderators are limited to their own units' channels
# (departments run their own accounts, Linköping's policy).
ALL_CHANNEL_ROLES = ("administrator", "registrar", "archivist", "auditor")


def sees_all_channels(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or bool(user.role_names & set(ALL_CHANNEL_ROLES))


def moderator_unit_ids(user) -> list[int]:
    """The units whose channels a moderator works; empty for anyone else without an all-units role."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.has_role("moderator"):
        return []
    return user.unit_ids()


class Platform(models.TextChoices):
    FACEBOOK = "facebook", _("Facebook")
    INSTAGRAM = "instagram", _("Instagram")
    YOUTUBE = "youtube", _("YouTube")
    LINKEDIN = "linkedin", _("LinkedIn")
    OTHER = "other", _("Annan")


class CredentialsStatus(models.TextChoices):
    OK = "ok", _("Fungerar")
    MISSING = "missing", _("Saknas")
    INVALID = "invalid", _("Ogiltiga")
    PERMISSION_MISSING = "permission_missing", _("Behörighet saknas")


class ChannelQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def visible_to(self, user):
        if sees_all_channels(user):
            return self
        return self.filter(unit_id__in=moderator_unit_ids(user))

    def for_platform_account(self, platform: str, external_id: str):
        """The channel a connector event belongs to (PlatformEvent.platform / .account_id)."""
        return self.filter(platform=platform, external_id=external_id)


class Channel(models.Model):
    """One account on one platform, owned by a unit."""

    SECRET_NAMES = ("app_secret", "access_token", "verify_token", "refresh_token", "client_secret")
    # The secrets an OAuth refresh needs (YouTube/Google and LinkedIn): see moderation.platforms.tokens.
    OAUTH_SECRET_NAMES = ("refresh_token", "client_secret")

    platform = models.CharField(_("plattform"), max_length=20, choices=Platform.choices)
    external_id = models.CharField(
        _("plattformens id"), max_length=200, blank=True,
        help_text=_("Sid-id (Facebook), konto-id (Instagram), kanal-id (YouTube) eller organisations-URN (LinkedIn)."),
    )
    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn"), max_length=80, unique=True, help_text=_("T.ex. exempelstad-facebook."))
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="channels"
    )
    url = models.URLField(_("adress"), max_length=500, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    description = models.TextField(_("beskrivning"), blank=True)

    # Credentials, Fernet-encrypted (moderation.platforms.crypto); never shown, logged or kept in history.
    encrypted_app_secret = models.TextField(_("app-hemlighet (krypterad)"), blank=True, editable=False)
    encrypted_access_token = models.TextField(_("åtkomsttoken (krypterad)"), blank=True, editable=False)
    encrypted_verify_token = models.TextField(_("verifieringstoken (krypterad)"), blank=True, editable=False)
    encrypted_refresh_token = models.TextField(_("förnyelsetoken (krypterad)"), blank=True, editable=False)
    encrypted_client_secret = models.TextField(_("klienthemlighet (krypterad)"), blank=True, editable=False)
    oauth_client_id = models.CharField(
        _("OAuth-klient-id"), max_length=300, blank=True,
        help_text=_("Klient-id för OAuth-appen (YouTube/Google, LinkedIn); inte hemligt."),
    )
    access_token_expires_at = models.DateTimeField(_("åtkomsttoken går ut"), null=True, blank=True, editable=False)
    refresh_token_expires_at = models.DateTimeField(_("förnyelsetoken går ut"), null=True, blank=True,
                                                    editable=False)
    credentials_status = models.CharField(
        _("inloggningsuppgifter"), max_length=20, choices=CredentialsStatus.choices, default=CredentialsStatus.MISSING
    )
    credentials_checked_at = models.DateTimeField(_("uppgifterna kontrollerade"), null=True, blank=True)
    credentials_error = models.CharField(
        _("fel vid kontroll"), max_length=300, blank=True, help_text=_("Kort felbeskrivning, aldrig hemligheter.")
    )

    # Polling state: connector cursors (since-timestamps, page tokens) per stream.
    poll_state = models.JSONField(_("hämtningsläge"), default=dict, blank=True)
    last_event_at = models.DateTimeField(_("senaste händelse"), null=True, blank=True)

    created_at = models.DateTimeField(_("skapad"), default=timezone.now, editable=False)

    objects = ChannelQuerySet.as_manager()
    # The secrets never reach the history tables. Polling cursors change on every poll and say
    # nothing an auditor needs; services write them (and last_event_at) with QuerySet.update() so
    # no history row is made at all.
    history = HistoricalRecords(
        excluded_fields=["encrypted_app_secret", "encrypted_access_token", "encrypted_verify_token",
                         "encrypted_refresh_token", "encrypted_client_secret", "access_token_expires_at",
                         "refresh_token_expires_at", "poll_state", "last_event_at"]
    )

    class Meta:
        verbose_name = _("kanal")
        verbose_name_plural = _("kanaler")
        ordering = ["unit__name", "name"]
        constraints = [
            # One row per platform account, so incoming events map to exactly one channel.
            models.UniqueConstraint(
                fields=["platform", "external_id"], condition=~Q(external_id=""),
                name="moderation_channel_platform_account_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_platform_display()})"

    @property
    def audit_label(self) -> str:
        return f"Kanal {self.slug}"

    # --- secrets ---------------------------------------------------------------------------

    def _secret_field(self, name: str) -> str:
        if name not in self.SECRET_NAMES:
            raise ValueError(f"Okänd hemlighet: {name}")
        return f"encrypted_{name}"

    def set_secret(self, name: str, value: str) -> None:
        """Encrypt and set a secret (not saved: the caller saves). An empty value clears it."""
        setattr(self, self._secret_field(name), crypto.encrypt(value or ""))

    def get_secret(self, name: str) -> str:
        """The decrypted secret, "" if unset; raises crypto.DecryptionError if it cannot be read."""
        return crypto.decrypt(getattr(self, self._secret_field(name)))

    def has_secret(self, name: str) -> bool:
        return bool(getattr(self, self._secret_field(name)))


class AuthorQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_all_channels(user):
            return self
        return self.filter(channel__unit_id__in=moderator_unit_ids(user))

    def blocked(self):
        return self.filter(is_blocked=True)


class Author(models.Model):
    """The platform account that wrote an item. Personal data: retention and data-subject requests apply."""

    channel = models.ForeignKey(Channel, verbose_name=_("kanal"), on_delete=models.PROTECT, related_name="authors")
    external_id = models.CharField(_("plattformens id"), max_length=200)
    display_name = models.CharField(_("namn"), max_length=300, blank=True)
    username = models.CharField(_("användarnamn"), max_length=300, blank=True)
    profile_url = models.URLField(_("profil"), max_length=500, blank=True)
    staff_notes = models.TextField(_("interna anteckningar"), blank=True)
    # Denormalised from the sanctions so the queue can show it without a query per row.
    is_blocked = models.BooleanField(_("blockerad"), default=False, db_index=True)
    blocked_at = models.DateTimeField(_("blockerad den"), null=True, blank=True)
    created_at = models.DateTimeField(_("först sedd"), default=timezone.now, editable=False)

    # Set by the retention engineer's services (records.RetentionClass.code; no FK across apps yet).
    retention_class_code = models.CharField(_("gallringsklass"), max_length=40, blank=True, db_index=True)
    retention_due = models.DateField(_("gallras tidigast"), null=True, blank=True, db_index=True)

    objects = AuthorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avsändare")
        verbose_name_plural = _("avsändare")
        ordering = ["channel", "display_name"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="moderation_author_channel_ext_uniq"),
        ]

    def __str__(self) -> str:
        # A sender marked secret on a document registered from one of the account's items is
        # masked by default, wherever the account is printed; a view that has checked the user's
        # right unmasks its instance (moderation/queue/secrecy.py: author_reveal).
        if self.pk is not None and self.sender_secret and not self.__dict__.get("_revealed"):
            from moderation.queue.secrecy import MASK_SENDER

            return MASK_SENDER
        return self.display_name or self.username or self.external_id

    @property
    def sender_secret(self) -> bool:
        if "_sender_secret" not in self.__dict__:
            from moderation.queue.secrecy import authors_load_secrecy

            authors_load_secrecy([self])
        return bool(self.__dict__.get("_sender_secret"))

    def history_hidden_fields(self, user) -> set[str]:
        from moderation.queue.secrecy import AUTHOR_IDENTITY_FIELDS, may_view_secret_items

        if self.sender_secret and not may_view_secret_items(user):
            return set(AUTHOR_IDENTITY_FIELDS)
        return set()

    def history_delivered_secret(self, user) -> set[str]:
        from moderation.queue.secrecy import may_view_secret_items

        return {"sender"} if self.sender_secret and may_view_secret_items(user) else set()

    @property
    def audit_label(self) -> str:
        return f"Avsändare {self.pk} på {self.channel.slug}"
