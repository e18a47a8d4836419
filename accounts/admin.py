from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import AuditEvent, Unit, User

# django-otp's own admin shows each device's secret key and QR code: no one needs to see another
# person's key. A lost phone is handled by the user admin's reset action below.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Tjänst"), {"fields": ("title",)}),
    )
    list_display = ("username", "first_name", "last_name", "email", "is_active", "roles")
    list_filter = ("is_active", "groups", "units")
    actions = ["reset_two_factor"]

    @admin.action(description=_("Återställ tvåstegsverifiering (användaren registrerar appen på nytt)"),
                  permissions=["change"])
    def reset_two_factor(self, request, queryset):
        from accounts.signin.twofactor import totp_device_remove

        count = sum(1 for user in queryset if totp_device_remove(user=user, actor=request.user, request=request))
        self.message_user(request, ngettext("Tvåstegsverifieringen återställdes för %(n)d användare.",
                                           "Tvåstegsverifieringen återställdes för %(n)d användare.", count)
                          % {"n": count}, messages.SUCCESS)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roller"))
    def roles(self, obj):
        return ", ".join(sorted(g.name for g in obj.groups.all()))


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "parent", "active")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    filter_horizontal = ("members",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log can be searched here but never changed."""

    list_display = ("at", "actor_label", "action", "target_type", "target_id", "target_label")
    list_filter = ("action", "target_type")
    search_fields = ("actor_label", "target_label", "target_id")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

from accounts.notifications import admin as _notifications_admin  # noqa: E402, F401  (registers its models)
