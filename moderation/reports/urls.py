"""Reports of inappropriate content: the public form (/anmal/) and the staff list."""

from django.urls import path

from moderation.reports import public
from moderation.reports import views as reports

urlpatterns = [
    path("granskning/anmalningar/", reports.report_list, name="report_list"),
    path("granskning/anmalningar/<int:pk>/hantera/", reports.report_triage, name="report_triage"),
    path("granskning/anmalningar/<int:pk>/e-post/", reports.report_source_download, name="report_source_download"),
    path("granskning/inlagg/<int:item_pk>/anmalan/", reports.report_from_message, name="report_from_message"),
    path("anmal/", public.report_form, name="public_report"),
    path("anmal/tack/", public.report_thanks, name="public_report_thanks"),
]
