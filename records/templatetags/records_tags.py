"""Template helpers for the diarium: masked values, status badges."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

register = template.Library()


@register.simple_tag
def masked(value, empty: str = "—"):
    """The value, or a visible "[sekretess]" marker (text, not colour alone) when it was masked (None)."""
    if value is None:
        return format_html('<span class="masked">{}</span>', _("[sekretess]"))
    if value == "":
        return empty
    return value


@register.simple_tag
def direction_badge(direction: str, label: str):
    arrow = "↘" if direction == "incoming" else "↗"
    return format_html('<span class="badge"><span aria-hidden="true">{} </span>{}</span>', arrow, label)


@register.filter
def user_label(user, empty: str = "—") -> str:
    """A user's full name or username; "—" when there is none."""
    if user is None:
        return empty
    return user.get_full_name() or user.get_username()


@register.filter
def source_label(obj) -> str:
    """What a proposal or document came from, for people: "Inlägg/kommentar 77" rather than the
    internal source type; the type itself when no adapter is registered for it."""
    from records import registry

    source_type, source_id = getattr(obj, "source_type", ""), getattr(obj, "source_id", "")
    try:
        label = registry.source(source_type).label
    except LookupError:
        label = source_type
    return f"{label} {source_id}".strip()


@register.filter
def target_type_label(target_type: str) -> str:
    """The Swedish name of a kind of object the plan covers ("Inlägg/kommentar" for
    "moderation.item"); the type itself when nothing registered it."""
    from records.gdpr.services import _type_label
    from records.retention.services.plan import all_targets

    for target in all_targets():
        if target.type == target_type:
            return target.label
    return _type_label(target_type)


_IDENTIFIER_LABELS = {
    "platform_account": _lazy("Plattformskonto"), "name": _lazy("Namn"), "email": _lazy("E-post"),
    "phone": _lazy("Telefonnummer"), "personnummer": _lazy("Personnummer"),
}


@register.filter
def identifier_label(key: str) -> str:
    """The Swedish label of a data-subject search key ("email" → "E-post")."""
    return str(_IDENTIFIER_LABELS.get(key, key))
