"""`{% notifications_unread as n %}`: the signed-in staff member's unread count (one indexed COUNT)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_unread(context) -> int | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_staff_member:
        return None
    from accounts.notifications.services import unread_count

    return unread_count(user)
