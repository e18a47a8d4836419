"""E-archive delivery (FGS 2.0 / E-ARK SIP) under /arkiv/."""

from django.urls import path

from records.archive import views

urlpatterns = [
    path("arkiv/leverans/", views.delivery, name="archive_delivery"),
    path("arkiv/export/<int:pk>/", views.case_export_view, name="case_export"),
    path("arkiv/leverans/<int:pk>/kvittens/", views.delivery_receipt, name="archive_delivery_receipt"),
    path("arkiv/arkivbeskrivning.pdf", views.archive_description, name="archive_description"),
    path("arkiv/arkivforteckning.pdf", views.archive_inventory, name="archive_inventory"),
]
