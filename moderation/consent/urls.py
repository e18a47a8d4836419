"""Consent pages (Linköping's policy): consents, missing consents, withdrawal, the item's consent."""

from django.urls import path

from moderation.consent import views

urlpatterns = [
    path("granskning/samtycken/", views.consent_list, name="consent_list"),
    path("granskning/samtycken/nytt/", views.consent_create, name="consent_create"),
    path("granskning/samtycken/saknas/", views.consent_missing, name="consent_missing"),
    path("granskning/samtycken/<int:pk>/", views.consent_detail, name="consent_detail"),
    path("granskning/samtycken/<int:pk>/aterkalla/", views.consent_withdraw_view, name="consent_withdraw"),
    path("granskning/samtycken/<int:pk>/blankett/", views.consent_form_download, name="consent_form"),
    path("granskning/inlagg/<int:pk>/samtycke/koppla/", views.item_consent_link_view, name="item_consent_link"),
    path("granskning/inlagg/<int:pk>/samtycke/behovs-inte/", views.item_consent_not_needed_view,
         name="item_consent_not_needed"),
    path("granskning/inlagg/<int:pk>/samtycke/<int:consent_pk>/ta-bort/", views.item_consent_unlink_view,
         name="item_consent_unlink"),
]
