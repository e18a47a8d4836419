"""The records models in the Django admin (for administrators: configuration).

Configuration (series, legal grounds, registration settings, retention classes) is edited here.
Records themselves (cases, documents, markings, requests, purge lists, holds) are shown read-only:
every write to them goes through the sub-domains' services, which checks the workflow and writes the
audit log. The Document admin never shows a secret part to a user without records.view_secret,
not in the list, the change page, the history, nor through search.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from records.models import (
    SECRET_PART_FIELDS,
    Case,
    DisclosureDecisionLetter,
    DisclosureDecisionSetting,
    DisclosureItem,
    DisclosureRequest,
    Document,
    LegalGround,
    LegalHold,
    NumberCounter,
    PurgeLine,
    PurgeList,
    RegistrationProposal,
    RegistrationSetting,
    RetentionClass,
    SecrecyMarking,
    Series,
    SubjectRequest,
    SubjectRequestHit,
    Tombstone,
)

HIDDEN = _("[sekretess]")
ALL_SECRET_FIELDS = frozenset().union(*SECRET_PART_FIELDS.values())


class ReadOnlyMixin:
    """View only: the rows are written by services (with their checks and audit)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- configuration ------------------------------------------------------------------------------


@admin.register(Series)
class SeriesAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "body", "unit", "number_format", "active")
    list_filter = ("active",)
    search_fields = ("code", "name", "body")


@admin.register(LegalGround)
class LegalGroundAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "active")
    list_filter = ("active",)
    search_fields = ("code", "title")


@admin.register(RegistrationSetting)
class RegistrationSettingAdmin(SimpleHistoryAdmin):
    list_display = ("reason", "auto_register", "default_series", "running_case_title", "running_case")
    list_editable = ("auto_register", "default_series", "running_case_title")
    raw_id_fields = ("running_case",)

    def has_add_permission(self, request):
        return False  # one row per reason, created by the migration

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionClass)
class RetentionClassAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "action", "period_days", "trigger", "decision_reference", "active", "order")
    list_filter = ("action", "trigger", "active")
    search_fields = ("code", "name", "covers")


@admin.register(NumberCounter)
class NumberCounterAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("series", "year", "scope", "last_value")
    list_filter = ("series", "year")


# --- the diarium --------------------------------------------------------------------------------


@admin.register(Case)
class CaseAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("number", "display_title", "unit", "status", "opened_at", "closed_at")
    list_filter = ("status", "series", "year")
    search_fields = ("number", "title", "public_title")
    list_select_related = ("unit",)


def _can_see_secrets(request) -> bool:
    return request.user.has_perm("records.view_secret")


@admin.register(Document)
class DocumentAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Secret parts are left out for users without records.view_secret (OSL 5 kap. 2 §)."""

    list_filter = ("direction", "reason", "voided")
    list_select_related = ("case",)
    fields = (
        "number", "case", "sequence", "direction", "date", "sender", "sender_is_private_person", "description",
        "public_description", "reason", "source_type", "source_id", "content", "content_meta", "content_sha256",
        "registered_by", "registered_at", "voided", "voided_at", "voided_by", "void_reason", "retention_class",
        "retention_due", "purged_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_secrecy()

    def _hidden(self, request, obj) -> set[str]:
        if _can_see_secrets(request):
            return set()
        if obj is None:
            return set(ALL_SECRET_FIELDS)
        return obj.hidden_fields_for(request.user)

    def get_fields(self, request, obj=None):
        hidden = self._hidden(request, obj)
        return [f for f in super().get_fields(request, obj) if f not in hidden]

    def get_list_display(self, request):
        if _can_see_secrets(request):
            return ("number", "date", "direction", "sender", "description", "reason", "secret_parts_display", "voided")
        return ("number", "date", "direction", "masked_sender", "masked_description", "reason",
                "secret_parts_display", "voided")

    def get_search_fields(self, request):
        # Searching a secret part would reveal it by which rows match.
        if _can_see_secrets(request):
            return ("number", "case__number", "sender", "description")
        return ("number", "case__number")

    @admin.display(description=_("avsändare/mottagare"))
    def masked_sender(self, obj):
        return HIDDEN if "sender" in obj.secret_parts() else obj.sender

    @admin.display(description=_("beskrivning"))
    def masked_description(self, obj):
        return obj.display_description

    @admin.display(description=_("sekretess"))
    def secret_parts_display(self, obj):
        return ", ".join(sorted(obj.secret_parts())) or "—"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        hidden = self._hidden(request, obj)
        # Belt and braces: the form must not carry a hidden field, even if get_fields is bypassed.
        form = context.get("adminform").form if context.get("adminform") else None
        if form is not None and hidden & set(form.fields):
            raise PermissionDenied
        context["masked_parts"] = sorted(obj.secret_parts()) if (obj is not None and hidden) else []
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # The admin's history list shows old → new values: leave the secret parts out of the diff.
        hidden = set(ALL_SECRET_FIELDS) if not _can_see_secrets(request) else set()
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(current, excluded_fields=hidden,
                                              foreign_keys_are_objs=foreign_keys_are_objs)
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current


@admin.register(SecrecyMarking)
class SecrecyMarkingAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("document", "part", "legal_ground", "marked_at", "expires_on", "lifted_at")
    list_filter = ("part", "legal_ground")
    search_fields = ("document__number",)
    list_select_related = ("document", "legal_ground")


@admin.register(RegistrationProposal)
class RegistrationProposalAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("proposed_at", "source_type", "source_id", "reason", "secret", "status", "document")
    list_filter = ("status", "reason", "secret")
    search_fields = ("source_id",)


# --- disclosure ---------------------------------------------------------------------------------


@admin.register(DisclosureRequest)
class DisclosureRequestAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("reference", "received_at", "channel_in", "status", "deadline_at", "decided_at")
    list_filter = ("status", "channel_in", "appeal_status")
    search_fields = ("reference",)


@admin.register(DisclosureItem)
class DisclosureItemAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("request", "label", "target_type", "outcome", "legal_ground", "reviewed_at")
    list_filter = ("outcome", "target_type")
    search_fields = ("request__reference", "label")


@admin.register(DisclosureDecisionSetting)
class DisclosureDecisionSettingAdmin(SimpleHistoryAdmin):
    """The deciding body and delegation per unit (also at /diarium/begaran/beslutsinstans/)."""

    list_display = ("deciding_body", "unit", "delegation", "delegate_title", "appeal_court", "series", "case")
    list_select_related = ("unit", "series", "case")

    def save_model(self, request, obj, form, change):
        from records.disclosure.services import disclosure_setting_save
        from records.disclosure.services.settings import FIELDS

        saved = disclosure_setting_save(setting=obj if change else None, actor=request.user,
                                        **{f: form.cleaned_data.get(f) for f in FIELDS if f in form.cleaned_data})
        obj.pk = saved.pk


@admin.register(DisclosureDecisionLetter)
class DisclosureDecisionLetterAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("kind", "request", "subject_request", "created_at", "sha256")
    list_filter = ("kind",)
    # Stored files have no URL (config/storage.py): the link goes to the request's download view,
    # which checks the permission of the request the letter belongs to.
    exclude = ("pdf",)
    readonly_fields = ("download",)

    @admin.display(description=_("PDF"))
    def download(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        if obj is None or obj.pk is None:
            return "—"
        if obj.request_id:
            url = reverse("disclosure_letter", args=[obj.request_id, obj.pk])
        else:
            url = reverse("subject_letter_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Ladda ned"))


# --- retention ----------------------------------------------------------------------------------


@admin.register(PurgeList)
class PurgeListAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("reference", "status", "cutoff_date", "proposed_by", "approved_by", "executed_at")
    list_filter = ("status", "contains_secret")
    search_fields = ("reference",)


@admin.register(PurgeLine)
class PurgeLineAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("purge_list", "target_type", "label", "retention_class", "due_date", "excluded", "status")
    list_filter = ("status", "target_type", "excluded")
    search_fields = ("purge_list__reference", "label", "target_id")
    list_select_related = ("purge_list", "retention_class")


@admin.register(Tombstone)
class TombstoneAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("target_type", "number_or_reference", "retention_class_code", "created_date", "purged_at",
                    "reason", "basis_reference")
    list_filter = ("reason", "target_type")
    search_fields = ("number_or_reference", "target_id", "basis_reference")


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("target_type", "target_id", "source", "created_at", "ends_on", "released_at")
    list_filter = ("target_type", "source")
    search_fields = ("target_id",)


# --- data-subject requests ----------------------------------------------------------------------


@admin.register(SubjectRequest)
class SubjectRequestAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("reference", "kind", "received_at", "deadline", "status")
    list_filter = ("kind", "status")
    search_fields = ("reference",)


@admin.register(SubjectRequestHit)
class SubjectRequestHitAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("request", "target_type", "label", "registered", "held", "selected_for_erasure", "outcome")
    list_filter = ("outcome", "registered", "held")
