"""Pictures, files and evidence sheets of items (permission-checked downloads)."""

from django.urls import path

from moderation.media import views

urlpatterns = [
    path("granskning/inlagg/<int:pk>/bilagor/<int:attachment_pk>/", views.attachment_download,
         name="attachment_download"),
    path("granskning/inlagg/<int:pk>/bilagor/<int:attachment_pk>/hamta-igen/", views.attachment_refetch_view,
         name="attachment_refetch"),
    path("granskning/inlagg/<int:pk>/bevisblad/", views.evidence_create, name="evidence_create"),
    path("granskning/inlagg/<int:pk>/bevisblad/<int:sheet_pk>.<str:fmt>", views.evidence_download,
         name="evidence_download"),
]
