from django.conf import settings

from config.navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    current = getattr(getattr(request, "resolver_match", None), "url_name", None)
    return {
        "nav_items": items_for(user) if user is not None else [],
        "nav_current": current,
        "organisation_name": settings.UPPSIKT_ORGANISATION_NAME,
    }
