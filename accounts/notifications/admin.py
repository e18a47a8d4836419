"""Admin for the notification outbox (read-only, with retry/stop) and the on-call group (jour)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.errors import DomainError
from accounts.notifications.models import EmailDelivery, OnCallMembership
from accounts.notifications.services import email_delivery_act, on_call_set


@admin.register(OnCallMembership)
class OnCallMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "note", "created_at")
    autocomplete_fields = ("user",)
    fields = ("user", "note")

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        on_call_set(user=obj.user, on_call=True, actor=request.user, note=obj.note)
        saved = OnCallMembership.objects.get(user=obj.user)
        obj.pk, obj.created_at = saved.pk, saved.created_at

    def delete_model(self, request, obj):
        on_call_set(user=obj.user, on_call=False, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("user"):
            on_call_set(user=obj.user, on_call=False, actor=request.user)


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "to_address", "subject", "kind", "status", "attempts", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("to_address", "subject")
    date_hierarchy = "created_at"
    actions = ["retry", "cancel"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _act(self, request, queryset, action: str):
        done = 0
        for row in queryset:
            try:
                email_delivery_act(delivery=row, action=action, actor=request.user)
                done += 1
            except DomainError as exc:
                messages.warning(request, f"{row}: {exc.message}")
        if done:
            messages.success(request, _("%(n)s utskick ändrade.") % {"n": done})

    @admin.action(description=_("Försök skicka igen"), permissions=["view"])
    def retry(self, request, queryset):
        self._act(request, queryset, "retry")

    @admin.action(description=_("Stoppa utskicket"), permissions=["view"])
    def cancel(self, request, queryset):
        self._act(request, queryset, "cancel")
