"""`{% reporter_contact report %}`: the reporter's contact as the signed-in user may see it (masked
unless they hold moderation.view_reporter_contact)."""

from django import template

from moderation.reports.personal_data import contact_for

register = template.Library()


@register.simple_tag(takes_context=True)
def reporter_contact(context, report) -> str:
    request = context.get("request")
    return contact_for(getattr(request, "user", None), report.reporter_contact)
