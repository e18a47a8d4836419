"""Data-subject requests (GDPR art. 15, 17) under /arkiv/registrerade/."""

from django.urls import path

from records.gdpr import views as gdpr

urlpatterns = [
    path("arkiv/registrerade/", gdpr.request_list, name="subject_request_list"),
    path("arkiv/registrerade/ny/", gdpr.request_create, name="subject_request_create"),
    path("arkiv/registrerade/<int:pk>/", gdpr.request_detail, name="subject_request_detail"),
    path("arkiv/registrerade/<int:pk>/sok/", gdpr.request_search, name="subject_request_search"),
    path("arkiv/registrerade/<int:pk>/utdrag/", gdpr.request_extract, name="subject_request_extract"),
    path("arkiv/registrerade/<int:pk>/foresla-radering/", gdpr.request_propose, name="subject_request_propose"),
    path("arkiv/registrerade/<int:pk>/godkann-radering/", gdpr.request_approve, name="subject_request_approve"),
    path("arkiv/registrerade/<int:pk>/forlang/", gdpr.request_extend, name="subject_request_extend"),
    path("arkiv/registrerade/<int:pk>/avsluta/", gdpr.request_close, name="subject_request_close"),
    path("arkiv/brev/<int:pk>/", gdpr.letter_download, name="subject_letter_download"),
]
