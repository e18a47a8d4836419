"""The channels: the public list of the municipality's accounts (/konton/) and the administrators' list."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from accounts.permissions import staff_required
from moderation.models import Channel, Platform, Rule
from moderation.viewhelpers import NO_CSRF


def accounts_page(request):
    """/konton/: active channels grouped by unit, and the published rules in force."""
    channels = Channel.objects.active().select_related("unit").order_by("unit__name", "platform", "name")
    units: dict = {}
    for channel in channels:
        units.setdefault(channel.unit, []).append(channel)
    rules = Rule.objects.published().order_by("order", "code")
    return render(request, "moderation/public/accounts.html", {
        "units": list(units.items()),
        "violations": [r for r in rules if r.is_violation],
        "routed": [r for r in rules if not r.is_violation],
        **reporting_context(channels),
        **NO_CSRF,
    })


# Platforms whose accounts take private messages from the public (Ludvika: "via meddelande (PM), där sådan
# möjlighet finns").
MESSAGE_PLATFORMS = (Platform.FACEBOOK, Platform.INSTAGRAM)


def reporting_context(channels) -> dict:
    """How the public reports and where else they turn: the report address, the accounts that take private
    messages, and the municipality's pages for politicians and for synpunkter/felanmälan (settings)."""
    return {
        "report_address": settings.UPPSIKT_REPORT_ADDRESS,
        "message_channels": [c for c in channels if c.platform in MESSAGE_PLATFORMS],
        "politicians_url": settings.UPPSIKT_POLITICIANS_URL,
        "eservice_url": settings.UPPSIKT_ESERVICE_URL,
    }



@staff_required("moderation.change_channel")
def channel_list(request):
    channels = Channel.objects.select_related("unit").order_by("unit__name", "name")
    return render(request, "moderation/config/channel_list.html", {"channels": channels})

