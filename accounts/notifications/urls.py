"""The user's notifications: list, unread count, open, mark read, settings."""

from django.urls import path

from accounts.notifications import views

urlpatterns = [
    path("aviseringar/", views.notification_list, name="notification_list"),
    path("aviseringar/antal/", views.notification_badge, name="notification_badge"),
    path("aviseringar/installningar/", views.notification_settings, name="notification_settings"),
    path("aviseringar/alla-lasta/", views.notification_read_all, name="notification_read_all"),
    path("aviseringar/<int:pk>/", views.notification_open, name="notification_open"),
    path("aviseringar/<int:pk>/last/", views.notification_read, name="notification_read"),
]
