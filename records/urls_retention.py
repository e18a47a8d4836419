"""The archivist's pages under /arkiv/ (retention, purge lists, log, holds, GDPR, e-archive)."""

from django.urls import path

from records.views import gdpr, retention

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
    path("arkiv/gallringslistor/<int:pk>/verkstall/", retention.list_execute, name="purge_list_execute"),
    path("arkiv/gallringslistor/rad/<int:pk>/undanta/", retention.line_exclude, name="purge_line_exclude"),
    path("arkiv/gallringslistor/rad/<int:pk>/klass/", retention.line_change_class, name="purge_line_change_class"),
    path("arkiv/gallringslogg/", retention.purge_log, name="purge_log"),
    path("arkiv/gallringslogg/<int:pk>.csv", retention.purge_log_csv, name="purge_log_csv"),
    path("arkiv/gallringslogg/<int:pk>.pdf", retention.purge_log_pdf, name="purge_log_pdf"),
    path("arkiv/sparrar/", retention.hold_list, name="legal_hold_list"),
    path("arkiv/sparrar/<int:pk>/hav/", retention.hold_release, name="legal_hold_release"),
    path("arkiv/leverans/", retention.delivery, name="archive_delivery"),
    path("arkiv/export/<int:pk>/", retention.case_export_view, name="case_export"),
    path("arkiv/registrerade/", gdpr.request_list, name="subject_request_list"),
    path("arkiv/registrerade/ny/", gdpr.request_create, name="subject_request_create"),
    path("arkiv/registrerade/<int:pk>/", gdpr.request_detail, name="subject_request_detail"),
    path("arkiv/registrerade/<int:pk>/sok/", gdpr.request_search, name="subject_request_search"),
    path("arkiv/registrerade/<int:pk>/utdrag/", gdpr.request_extract, name="subject_request_extract"),
    path("arkiv/registrerade/<int:pk>/foresla-radering/", gdpr.request_propose, name="subject_request_propose"),
    path("arkiv/registrerade/<int:pk>/godkann-radering/", gdpr.request_approve, name="subject_request_approve"),
    path("arkiv/brev/<int:pk>/", gdpr.letter_download, name="subject_letter_download"),
]
