"""The archivist's pages under /arkiv/ (the retention plan, purge lists, the purge log, legal holds)."""

from django.urls import path

from records.retention import views as retention

urlpatterns = [
    path("arkiv/", retention.overview, name="retention_overview"),
    path("arkiv/plan/", retention.class_list, name="retention_class_list"),
    path("arkiv/plan/ny/", retention.class_edit, name="retention_class_create"),
    path("arkiv/plan/<int:pk>/", retention.class_edit, name="retention_class_edit"),
    path("arkiv/forfallet/", retention.due, name="retention_due"),
    path("arkiv/klass/<str:target_type>/<str:target_id>/", retention.reassign, name="retention_reassign"),
    path("arkiv/gallringslistor/", retention.list_index, name="purge_list_index"),
    path("arkiv/gallringslistor/ny/", retention.list_draft, name="purge_list_draft"),
    path("arkiv/gallringslistor/<int:pk>/", retention.list_detail, name="purge_list_detail"),
    path("arkiv/gallringslistor/<int:pk>/forlopp/", retention.list_progress, name="purge_list_progress"),
    path("arkiv/gallringslistor/<int:pk>/foresla/", retention.list_propose, name="purge_list_propose"),
    path("arkiv/gallringslistor/<int:pk>/godkann/", retention.list_approve, name="purge_list_approve"),
    path("arkiv/gallringslistor/<int:pk>/avbryt/", retention.list_cancel, name="purge_list_cancel"),
    path("arkiv/gallringslistor/<int:pk>/tillbaka/", retention.list_return, name="purge_list_return"),
    path("arkiv/gallringslistor/<int:pk>/verkstall/", retention.list_execute, name="purge_list_execute"),
    path("arkiv/gallringslistor/rad/<int:pk>/undanta/", retention.line_exclude, name="purge_line_exclude"),
    path("arkiv/gallringslistor/rad/<int:pk>/klass/", retention.line_change_class, name="purge_line_change_class"),
    path("arkiv/gallringslogg/", retention.purge_log, name="purge_log"),
    path("arkiv/gallringslogg/<int:pk>.csv", retention.purge_log_csv, name="purge_log_csv"),
    path("arkiv/gallringslogg/<int:pk>.pdf", retention.purge_log_pdf, name="purge_log_pdf"),
    path("arkiv/sparrar/", retention.hold_list, name="legal_hold_list"),
    path("arkiv/sparrar/<int:pk>/hav/", retention.hold_release, name="legal_hold_release"),
]
