"""System checks for the sign-in settings (`manage.py check`)."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register("uppsikt")
def signin_settings(app_configs=None, **kwargs):
    from accounts.signin.services import group_map_problems

    issues = [Error(p, id="uppsikt.E101") for p in group_map_problems(settings.UPPSIKT_OIDC_GROUP_MAP)]
    if settings.OIDC_RP_CLIENT_ID and not (settings.OIDC_OP_DISCOVERY or settings.OIDC_OP_AUTHORIZATION_ENDPOINT):
        issues.append(Error("OIDC_RP_CLIENT_ID är satt men varken OIDC_OP_DISCOVERY eller OIDC_OP_*_ENDPOINT.",
                            id="uppsikt.E102"))
    if not settings.UPPSIKT_LOCAL_LOGIN and not settings.OIDC_RP_CLIENT_ID:
        issues.append(Warning("UPPSIKT_LOCAL_LOGIN=0 utan OpenID-leverantör: bara superanvändare kan logga in.",
                              id="uppsikt.W101"))
    if settings.OIDC_RP_CLIENT_ID and not settings.UPPSIKT_OIDC_GROUP_MAP:
        issues.append(Warning("UPPSIKT_OIDC_GROUP_MAP är tom: ingen som loggar in via leverantören får en roll.",
                              id="uppsikt.W102"))
    return issues
