"""What the item page shows of consent: for the municipality's own items, the consents they rest on and
the forms to record one."""

from __future__ import annotations

from moderation.consent.forms import ConsentLinkForm, NotNeededForm
from moderation.consent.models import Consent
from moderation.models import Direction


def item_consent_context(item, user) -> dict:
    if item.direction != Direction.OUTGOING:
        return {"consent": None}
    can_edit = user.has_perm("moderation.add_consent") and user.has_perm("moderation.moderate_item")
    in_force = Consent.objects.in_force().filter(unit_id=item.channel.unit_id).exclude(links__item=item)
    return {"consent": {
        "links": list(item.consent_links.select_related("consent", "added_by").order_by("added_at")),
        "can_edit": can_edit and item.purged_at is None,
        "link_form": ConsentLinkForm(consents=in_force) if can_edit else None,
        "has_choices": can_edit and in_force.exists(),
        "not_needed_form": NotNeededForm() if can_edit else None,
    }}
