"""The channels: the public list of the municipality's accounts (/konton/) and the administrators' list."""

from __future__ import annotations

from django.shortcuts import render

from accounts.permissions import staff_required
from moderation.models import Channel, Rule
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
        **NO_CSRF,
    })



@staff_required("moderation.change_channel")
def channel_list(request):
    channels = Channel.objects.select_related("unit").order_by("unit__name", "name")
    return render(request, "moderation/config/channel_list.html", {"channels": channels})

