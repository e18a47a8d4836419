from django.contrib import admin

from config.scheduling.models import ScheduledJob


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """Read only: the rows belong to the schedulers (`run_scheduled --list` shows the same)."""

    list_display = ("name", "next_run_at", "last_started_at", "last_finished_at", "runs", "leased_by", "last_error")
    readonly_fields = [f.name for f in ScheduledJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
