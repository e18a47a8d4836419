from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from accounts.errors import NotPermitted
from accounts.models import AuditAction, AuditEvent, Unit, User
from accounts.services import (
    ACCOUNT_FLAGS,
    audit_record,
    group_set_permissions,
    unit_set_members,
    user_grant_check,
    user_set_flags,
    user_set_groups,
    user_set_permissions,
)

ADMIN_SOURCE = "admin"


class _SelfGrantMixin:
    """Refuses, as a form error, a change by which the signed-in person would grant themselves a role,
    a permission, admin access or superuser status (the services refuse it too)."""

    actor = None

    def clean(self):
        cleaned = super().clean()
        user = self.instance
        if self.actor is None or user.pk is None or self.actor.pk != user.pk:
            return cleaned
        granted = False
        if "groups" in cleaned:
            before = set(user.groups.values_list("pk", flat=True))
            granted |= bool({g.pk for g in cleaned["groups"]} - before)
        if "user_permissions" in cleaned:
            before = set(user.user_permissions.values_list("pk", flat=True))
            granted |= bool({p.pk for p in cleaned["user_permissions"]} - before)
        stored = User.objects.filter(pk=user.pk).values(*ACCOUNT_FLAGS).first() or {}
        for flag in ("is_staff", "is_superuser"):
            if flag in cleaned and cleaned[flag] and not stored.get(flag):
                granted = True
        try:
            user_grant_check(actor=self.actor, user=user, granted=granted)
        except NotPermitted as exc:
            raise forms.ValidationError(exc.message, code="self_grant") from exc
        return cleaned

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

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (_SelfGrantMixin, form), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        """Account flags go through `user_set_flags` (audited); a new account is saved as is."""
        if not change:
            super().save_model(request, obj, form, change)
            audit_record(actor=request.user, action=AuditAction.ACCOUNT_CHANGED, target=obj, request=request,
                         detail={"event": "account_created", "source": ADMIN_SOURCE})
            return None
        wanted = {f: getattr(obj, f) for f in ACCOUNT_FLAGS if f in form.cleaned_data}
        stored = User.objects.filter(pk=obj.pk).values(*wanted).first() or {}
        for name, value in stored.items():
            setattr(obj, name, value)
        super().save_model(request, obj, form, change)
        user_set_flags(user=obj, actor=request.user, source=ADMIN_SOURCE, request=request, **wanted)

    def save_related(self, request, form, formsets, change):
        """Roles and individual permissions go through their services: audited, no self-grant."""
        groups = form.cleaned_data.pop("groups", None)
        permissions = form.cleaned_data.pop("user_permissions", None)
        super().save_related(request, form, formsets, change)
        user = form.instance
        if groups is not None:
            user_set_groups(user=user, groups=list(groups), actor=request.user, source=ADMIN_SOURCE, request=request)
        if permissions is not None:
            user_set_permissions(user=user, permissions=list(permissions), actor=request.user, source=ADMIN_SOURCE,
                                 request=request)

    @admin.display(description=_("roller"))
    def roles(self, obj):
        return ", ".join(sorted(g.name for g in obj.groups.all()))


if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(BaseGroupAdmin):
    """The roles (groups): a change of a role's permissions is an audit event."""

    def save_related(self, request, form, formsets, change):
        permissions = form.cleaned_data.pop("permissions", None)
        super().save_related(request, form, formsets, change)
        if permissions is not None:
            try:
                group_set_permissions(group=form.instance, permissions=list(permissions), actor=request.user,
                                      source=ADMIN_SOURCE, request=request)
            except NotPermitted as exc:
                messages.error(request, exc.message)


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "parent", "active")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    filter_horizontal = ("members",)

    def save_related(self, request, form, formsets, change):
        """Membership decides which units' items a user sees: a change is an audit event per unit."""
        members = form.cleaned_data.pop("members", None)
        super().save_related(request, form, formsets, change)
        if members is not None:
            unit_set_members(unit=form.instance, users=list(members), actor=request.user, request=request,
                             source=ADMIN_SOURCE)


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
