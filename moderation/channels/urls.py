"""The channels: the public list (/konton/) and the administrators' list."""

from django.urls import path

from moderation.channels import views as channels

urlpatterns = [
    path("konfiguration/kanaler/", channels.channel_list, name="config_channels"),
    path("konton/", channels.accounts_page, name="public_accounts"),
]
