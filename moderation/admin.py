"""Admin registrations. The admin is for configuration (channels, rules, detectors, reply
templates); the operational tables are read-only here, their writes go through services."""

from django import forms
from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.history import HIDDEN
from moderation.models import (
    Author,
    Channel,
    Decision,
    DecisionRule,
    Detector,
    Flag,
    Item,
    ItemVersion,
    PendingEvent,
    PlatformAction,
    PoliceReport,
    PublicReport,
    ReplyTemplate,
    Rule,
    Sanction,
    ScreeningRun,
    WebhookDelivery,
    WebhookRejection,
)
from moderation.queue.secrecy import (
    AUTHOR_IDENTITY_FIELDS,
    SENDER_ITEM_FIELDS,
    content_secret_q,
    item_masked_parts,
    may_view_secret_items,
    searchable_authors,
    searchable_items,
    secret_sender_item_ids,
)


class ReadOnlyMixin:
    """View-only in the admin: rows are written by services (or, for decisions, never changed)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


# --- channels -----------------------------------------------------------------------------------

_SECRET_LABELS = {
    "app_secret": _("App-hemlighet"),
    "access_token": _("Åtkomsttoken"),
    "verify_token": _("Verifieringstoken"),
}


class ChannelAdminForm(forms.ModelForm):
    """Secrets are write-only: the form never renders a stored value; blank keeps the current one."""

    app_secret = forms.CharField(label=_SECRET_LABELS["app_secret"], required=False, strip=True,
                                 widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                                 help_text=_("Lämna tomt för att behålla nuvarande värde."))
    access_token = forms.CharField(label=_SECRET_LABELS["access_token"], required=False, strip=True,
                                   widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                                   help_text=_("Lämna tomt för att behålla nuvarande värde."))
    verify_token = forms.CharField(label=_SECRET_LABELS["verify_token"], required=False, strip=True,
                                   widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                                   help_text=_("Lämna tomt för att behålla nuvarande värde."))
    url = forms.URLField(label=_("adress"), max_length=500, required=False, assume_scheme="https")
    clear_secrets = forms.MultipleChoiceField(
        label=_("Ta bort hemligheter"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(_SECRET_LABELS.items()),
    )

    class Meta:
        model = Channel
        # The encrypted_* columns are not editable and never part of the form.
        fields = ("name", "slug", "platform", "external_id", "unit", "url", "active", "description")

    def save(self, commit=True):
        channel = super().save(commit=False)
        for name in Channel.SECRET_NAMES:
            if name in self.cleaned_data.get("clear_secrets", []):
                channel.set_secret(name, "")
            elif self.cleaned_data.get(name):
                channel.set_secret(name, self.cleaned_data[name])
        if commit:
            channel.save()
            self.save_m2m()
        return channel


def _secret_state(name):
    @admin.display(description=_SECRET_LABELS[name])
    def state(self, obj):
        return _("satt") if obj and obj.has_secret(name) else _("inte satt")

    state.__name__ = f"{name}_state"
    return state


@admin.register(Channel)
class ChannelAdmin(SimpleHistoryAdmin):
    form = ChannelAdminForm
    list_display = ("name", "slug", "platform", "unit", "active", "credentials_status", "last_event_at")
    list_filter = ("platform", "active", "credentials_status", "unit")
    search_fields = ("name", "slug", "external_id")
    list_select_related = ("unit",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("app_secret_state", "access_token_state", "verify_token_state", "credentials_status",
                       "credentials_checked_at", "credentials_error", "last_event_at", "created_at")
    fieldsets = (
        (None, {"fields": ("name", "slug", "platform", "external_id", "unit", "url", "active", "description")}),
        (_("Inloggningsuppgifter"), {"fields": (
            "app_secret_state", "app_secret", "access_token_state", "access_token", "verify_token_state",
            "verify_token", "clear_secrets", "credentials_status", "credentials_checked_at", "credentials_error",
        )}),
        (_("Hämtning"), {"fields": ("last_event_at", "created_at")}),
    )

    app_secret_state = _secret_state("app_secret")
    access_token_state = _secret_state("access_token")
    verify_token_state = _secret_state("verify_token")


def _secret_ok(request) -> bool:
    return may_view_secret_items(request.user)


def _mask_history(request, historical_records, fields) -> None:
    """The admin's history list shows old → new values: mask these fields' values."""
    labels = {str(f.verbose_name).capitalize() for f in fields}
    for record in historical_records:
        for change in getattr(record, "history_delta_changes", []) or []:
            if str(change["field"]).capitalize() in labels:
                change["old"] = change["new"] = HIDDEN


@admin.register(Author)
class AuthorAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """A sender marked secret on a document registered from one of the account's items is masked
    here too (list, search, change page, history) for users without the right to see it."""

    list_display = ("__str__", "channel", "masked_external_id", "is_blocked", "created_at")
    list_filter = ("is_blocked", "channel")
    search_fields = ("display_name", "username", "external_id")
    list_select_related = ("channel",)

    def get_queryset(self, request):
        # One EXISTS per row in the page's one query: `__str__` and the list read the flag from it.
        return super().get_queryset(request).annotate(_sender_secret=Exists(
            Item.objects.filter(author_id=OuterRef("pk"), pk__in=secret_sender_item_ids())))

    def get_list_display(self, request):
        return ("__str__", "channel", "masked_external_id", "is_blocked", "created_at")

    def get_search_results(self, request, queryset, search_term):
        # A match on a secret sender's name would confirm who it is.
        return super().get_search_results(request, searchable_authors(queryset, request.user), search_term)

    def _masked(self, request, obj) -> bool:
        return obj is not None and not _secret_ok(request) and obj.sender_secret

    @admin.display(description=_("plattformens id"))
    def masked_external_id(self, obj):
        return HIDDEN if obj.sender_secret else obj.external_id

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self._masked(request, obj):
            return [f for f in fields if f not in AUTHOR_IDENTITY_FIELDS]
        return fields

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        records = list(historical_records)
        if records and self._masked(request, records[0].instance):
            _mask_history(request, records, [Author._meta.get_field(f) for f in AUTHOR_IDENTITY_FIELDS])
    show_full_result_count = False


# --- items --------------------------------------------------------------------------------------


class ItemVersionInline(ReadOnlyMixin, admin.TabularInline):
    model = ItemVersion
    extra = 0
    fields = ("number", "text", "platform_edited_at", "received_at")


@admin.register(Item)
class ItemAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    # A million rows: no full count, FKs joined in one query, no text in the list (it may be secret).
    list_display = ("id", "kind", "direction", "channel", "state", "priority", "secret", "received_at")
    list_filter = ("state", "kind", "direction", "secret", "channel__platform")
    search_fields = ("=external_id",)
    list_select_related = ("channel",)
    show_full_result_count = False
    date_hierarchy = None
    raw_id_fields = ("channel", "parent", "root_post", "author", "claimed_by")

    def _masked(self, request, obj) -> set[str]:
        return item_masked_parts(obj, request.user) if obj is not None else set()

    def get_exclude(self, request, obj=None):
        masked = self._masked(request, obj)
        hidden = [*Item.CONTENT_FIELDS] if "content" in masked else []
        if "sender" in masked:
            hidden += [f for f in (*SENDER_ITEM_FIELDS, "author") if f not in hidden]
        return hidden

    def get_inlines(self, request, obj):
        if "content" in self._masked(request, obj):
            return []
        return [ItemVersionInline]

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        records = list(historical_records)
        if not records or _secret_ok(request):
            return
        item = records[0].instance
        masked = self._masked(request, Item.objects.filter(pk=item.pk).select_related("author").first())
        if any(r.secret for r in records):
            masked.add("content")  # once secret, every version of the content is masked
        fields = [*Item.CONTENT_FIELDS] if "content" in masked else []
        if "sender" in masked:
            fields += [*SENDER_ITEM_FIELDS, "author"]
        _mask_history(request, records, [Item._meta.get_field(f) for f in dict.fromkeys(fields)])


@admin.register(ItemVersion)
class ItemVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("item", "number", "platform_edited_at", "received_at")
    search_fields = ("=item__id",)
    raw_id_fields = ("item",)
    show_full_result_count = False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if not _secret_ok(request):
            qs = qs.filter(item__in=searchable_items(Item.objects.all(), request.user))
        return qs


# --- rules and detectors ------------------------------------------------------------------------


@admin.register(Rule)
class RuleAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title_sv", "consequence", "severity", "is_violation", "published", "active", "version",
                    "order")
    list_filter = ("consequence", "is_violation", "published", "active")
    search_fields = ("code", "title_sv", "title_en")
    readonly_fields = ("version",)

    def save_model(self, request, obj, form, change):
        from moderation.rules.services import rule_save

        rule_save(rule=obj, actor=request.user, valid_from_set="valid_from" in form.changed_data)


@admin.register(Detector)
class DetectorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "rule", "action", "active", "updated_at")
    list_filter = ("kind", "action", "active", "rule")
    search_fields = ("name",)
    list_select_related = ("rule",)
    filter_horizontal = ("channels",)

    readonly_fields = ("measured_precision", "measured_recall", "measured_hits", "measured_at")

    def save_model(self, request, obj, form, change):
        # The same service as the configuration UI: expansion, measurement, the hold rule.
        from django.core.exceptions import ValidationError

        from accounts.errors import DomainError
        from moderation.screening.services import detector_save

        try:
            detector_save(detector=obj, actor=request.user)
        except DomainError as exc:
            raise ValidationError(exc.message) from exc

    def save_related(self, request, form, formsets, change):
        # After the channels (m2m) are saved too, so the re-screen sees the whole detector.
        super().save_related(request, form, formsets, change)
        from moderation.screening.services import detector_changed

        detector_changed(detector=form.instance, actor=request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class HoldCheckedForm(form):
            def clean(self):
                data = super().clean()
                if data.get("action") == "hold":
                    from moderation.screening.services import detector_expand, detector_measure, hold_refusal

                    probe = Detector(**{k: v for k, v in data.items() if k != "channels"})
                    probe.pk = getattr(self.instance, "pk", None)
                    detector_expand(detector=probe)
                    score = detector_measure(detector=probe)
                    probe.measured_precision = score.precision if score else None
                    probe.measured_hits = score.hits if score else 0
                    reason = hold_refusal(probe)
                    if reason:
                        self.add_error("action", reason)
                return data

        return HoldCheckedForm


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("name", "purpose", "active")
    list_filter = ("purpose", "active")
    search_fields = ("name", "text_sv")


# --- flags, decisions, sanctions, reports -------------------------------------------------------


@admin.register(Flag)
class FlagAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """A flag's explanation, spans and terms name the words matched: masked where the content is."""

    list_display = ("id", "item", "source", "rule", "masked_detail", "created_at", "resolved_at")
    list_filter = ("source", "rule")
    list_select_related = ("rule",)
    raw_id_fields = ("item", "detector", "report", "resolved_by_decision")
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_content_secret=Exists(
            Item.objects.filter(pk=OuterRef("item_id")).filter(content_secret_q())))

    @admin.display(description=_("förklaring"))
    def masked_detail(self, obj):
        return HIDDEN if getattr(obj, "_content_secret", False) else obj.detail

    def get_exclude(self, request, obj=None):
        if obj is not None and not obj.item.content_visible_to(request.user):
            return list(Flag.CONTENT_FIELDS)
        return []

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        records = list(historical_records)
        if records and not Flag.objects.get(pk=records[0].instance.pk).item.content_visible_to(request.user):
            _mask_history(request, records, [Flag._meta.get_field(f) for f in Flag.CONTENT_FIELDS])


class DecisionRuleInline(ReadOnlyMixin, admin.TabularInline):
    model = DecisionRule
    extra = 0
    fields = ("rule", "rule_version", "rule_title_sv", "rule_text_sv")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("id", "item", "action", "actor", "created_at")
    list_filter = ("action",)
    list_select_related = ("actor",)
    raw_id_fields = ("item", "reverses", "escalate_to")
    inlines = [DecisionRuleInline]
    show_full_result_count = False


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("id", "kind", "author_label", "channel", "counts_as_strike", "proposed", "created_at",
                    "expires_at")
    list_filter = ("kind", "proposed", "counts_as_strike", "channel")
    list_select_related = ("author", "channel")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_author_secret=Exists(
            Item.objects.filter(author_id=OuterRef("author_id"), pk__in=secret_sender_item_ids())))

    @admin.display(description=_("avsändare"))
    def author_label(self, obj):
        if obj.author is None:
            return "—"
        obj.author._sender_secret = bool(getattr(obj, "_author_secret", True))
        return str(obj.author)


@admin.register(PoliceReport)
class PoliceReportAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "status", "reported_at", "police_reference", "created_at")
    list_filter = ("status",)
    search_fields = ("police_reference",)


@admin.register(PublicReport)
class PublicReportAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("id", "via", "status", "channel", "rule", "created_at")
    list_filter = ("status", "via", "channel")
    list_select_related = ("channel", "rule")

    def get_exclude(self, request, obj=None):
        # The reporter's address is personal data: only for those who handle reports.
        hidden = ["ip_hash"]
        if not request.user.has_perm("moderation.view_reporter_contact"):
            hidden.append("reporter_contact")
        return hidden


# --- platform traffic ---------------------------------------------------------------------------


@admin.register(PlatformAction)
class PlatformActionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("id", "kind", "channel", "status", "attempts", "next_attempt_at", "last_error_code")
    list_filter = ("status", "kind", "channel")
    list_select_related = ("channel",)
    show_full_result_count = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("id", "platform", "channel", "received_at", "signature_valid", "status", "attempts")
    list_filter = ("status", "platform", "signature_valid")
    exclude = ("body",)
    show_full_result_count = False


@admin.register(WebhookRejection)
class WebhookRejectionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("id", "channel", "source", "received_at", "reason", "body_size")
    list_filter = ("channel",)
    search_fields = ("source",)
    exclude = ("body_prefix",)
    show_full_result_count = False


@admin.register(PendingEvent)
class PendingEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("id", "channel", "external_id", "verb", "received_at", "applied_at")
    list_filter = ("verb",)


@admin.register(ScreeningRun)
class ScreeningRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("started_at", "finished_at", "items_total", "items_done", "flags_created", "triggered_by")
