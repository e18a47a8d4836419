"""Configuration for administrators: rules, detectors, reply templates."""

from django.urls import path

from moderation.rules import views as config

urlpatterns = [
    path("konfiguration/regler/", config.rule_list, name="config_rules"),
    path("konfiguration/regler/ny/", config.rule_edit, name="config_rule_new"),
    path("konfiguration/regler/<int:pk>/", config.rule_edit, name="config_rule"),
    path("konfiguration/detektorer/", config.detector_list, name="config_detectors"),
    path("konfiguration/detektorer/ny/", config.detector_edit, name="config_detector_new"),
    path("konfiguration/detektorer/<int:pk>/", config.detector_edit, name="config_detector"),
    path("konfiguration/svarsmallar/", config.template_list, name="config_templates"),
    path("konfiguration/svarsmallar/ny/", config.template_edit, name="config_template_new"),
    path("konfiguration/svarsmallar/<int:pk>/", config.template_edit, name="config_template"),
]
