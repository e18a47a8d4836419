"""The statistics for the annual report."""

from django.urls import path

from moderation.statistics import views

urlpatterns = [
    path("statistik/", views.statistics_page, name="statistics"),
    path("statistik/statistik.csv", views.statistics_csv, name="statistics_csv"),
    path("statistik/statistik.pdf", views.statistics_pdf, name="statistics_pdf"),
]
