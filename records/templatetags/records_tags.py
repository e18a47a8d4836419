"""Template helpers for the diarium: masked values, status badges."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

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
