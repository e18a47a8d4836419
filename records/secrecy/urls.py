"""Secrecy markings on documents (OSL): marking and lifting, per part."""

from django.urls import path

from records.secrecy import views

urlpatterns = [
    path("diarium/handlingar/<int:pk>/sekretess/", views.secrecy_mark, name="records_secrecy_mark"),
    path("diarium/sekretess/<int:pk>/hav/", views.secrecy_lift, name="records_secrecy_lift"),
    path("diarium/handlingar/<int:pk>/sekretess/samma-avsandare/", views.secrecy_extend,
         name="records_secrecy_extend"),
]
