"""The moderation pages (included at "" by config/urls.py)."""

from django.urls import path

from moderation.views import authors, config, item, public, queue, reports

urlpatterns = [
    # The review queue and the item page.
    path("granskning/", queue.queue, name="queue"),
    path("granskning/massatgard/", queue.queue_bulk, name="queue_bulk"),
    path("granskning/inlagg/<int:pk>/", item.item_detail, name="item_detail"),
    path("granskning/inlagg/<int:pk>/reservera/", item.item_claim, name="item_claim"),
    path("granskning/inlagg/<int:pk>/slapp/", item.item_release, name="item_release"),
    path("granskning/inlagg/<int:pk>/beslut/", item.item_decide, name="item_decide"),
    path("granskning/beslut/<int:pk>/angra/", item.decision_reverse, name="decision_reverse"),
    path("granskning/atgard/<int:pk>/bekrafta/", item.block_confirm, name="block_confirm"),
    # Authors.
    path("granskning/konto/<int:pk>/", authors.author_detail, name="author_detail"),
    path("granskning/konto/<int:pk>/<str:action>/", authors.author_action, name="author_action"),
    # Reports and police reports.
    path("granskning/anmalningar/", reports.report_list, name="report_list"),
    path("granskning/anmalningar/<int:pk>/hantera/", reports.report_triage, name="report_triage"),
    path("granskning/polisanmalningar/", reports.police_list, name="police_list"),
    path("granskning/polisanmalningar/ny/", reports.police_create, name="police_create"),
    path("granskning/polisanmalningar/<int:pk>/", reports.police_detail, name="police_detail"),
    # Configuration for administrators.
    path("konfiguration/regler/", config.rule_list, name="config_rules"),
    path("konfiguration/regler/ny/", config.rule_edit, name="config_rule_new"),
    path("konfiguration/regler/<int:pk>/", config.rule_edit, name="config_rule"),
    path("konfiguration/detektorer/", config.detector_list, name="config_detectors"),
    path("konfiguration/detektorer/ny/", config.detector_edit, name="config_detector_new"),
    path("konfiguration/detektorer/<int:pk>/", config.detector_edit, name="config_detector"),
    path("konfiguration/svarsmallar/", config.template_list, name="config_templates"),
    path("konfiguration/svarsmallar/ny/", config.template_edit, name="config_template_new"),
    path("konfiguration/svarsmallar/<int:pk>/", config.template_edit, name="config_template"),
    path("konfiguration/kanaler/", config.channel_list, name="config_channels"),
    # Public pages (no login).
    path("konton/", public.accounts_page, name="public_accounts"),
    path("anmal/", public.report_form, name="public_report"),
    path("anmal/tack/", public.report_thanks, name="public_report_thanks"),
]
