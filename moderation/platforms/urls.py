"""URLs of the platform connectors (included at "" by config/urls.py)."""

from django.urls import path

from moderation.platforms import views as platform
from moderation.platforms import webhooks

urlpatterns = [
    path("hooks/meta/<slug:slug>/", webhooks.meta_webhook, name="meta_webhook"),
    path("kanaler/dodsbrev/", platform.dead_letters, name="dead_letters"),
    path("kanaler/dodsbrev/<int:pk>/kor-om/", platform.dead_letter_replay, name="dead_letter_replay"),
    path("kanaler/<slug:slug>/halsa/", platform.channel_health, name="channel_health"),
    path("kanaler/<slug:slug>/uppgifter/", platform.channel_credentials, name="channel_credentials"),
]
