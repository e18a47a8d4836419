"""API conventions shared by every app: permissions, pagination, errors."""

import logging

from rest_framework import pagination, permissions, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.errors import DomainError

log = logging.getLogger("uppsikt.api")


class StaffModelPermissions(permissions.DjangoModelPermissions):
    """Authenticated staff holding the model permission; reading needs the view permission."""

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active and getattr(user, "is_staff_member", False)):
            return False
        if request.method.upper() not in {m.upper() for m in view.allowed_methods}:
            return True  # let the view answer 405 rather than a misleading 403
        return super().has_permission(request, view)


class IsStaffMember(permissions.BasePermission):
    """Signed-in staff: a user holding at least one role (the API schema and its documentation)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_staff_member", False))


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DomainError):
        request = context.get("request")
        log.info("domain error %s on %s: %s", exc.code, getattr(request, "path", "?"), exc.message)
        return Response({"detail": exc.message, "code": exc.code}, status=exc.status_code)
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code >= 400:
        request = context.get("request")
        log.info("api %s on %s: %s", response.status_code, getattr(request, "path", "?"), type(exc).__name__)
    return response


def require_perm(request, perm: str) -> None:
    """An action-level permission check for API actions beyond the model permissions."""
    if not request.user.has_perm(perm):
        raise PermissionDenied("Du saknar behörighet för den här åtgärden.")


# The 4xx answers every operation can give, documented once in the schema (drf-spectacular lists only
# the success answer). Bodies: {"detail": …} from DRF and from domain errors (with "code"), or
# {field: [messages]} for invalid input.
ERROR_RESPONSES = {
    "400": "Ogiltig begäran: fält med fel (fältnamn → meddelanden) eller en regel som vägrar (detail, code).",
    "401": "Inte inloggad: sessionen eller API-nyckeln saknas eller är ogiltig.",
    "403": "Ingen behörighet för åtgärden eller objektet.",
    "404": "Objektet finns inte, eller syns inte för användaren (också en sida bortom sista sidan).",
    "405": "Metoden stöds inte för adressen.",
    "409": "Åtgärden går inte i objektets nuvarande status.",
    "415": "Innehållstypen stöds inte.",
    "429": "För många förfrågningar; försök igen senare.",
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the shared error responses to every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "description": "Felsvar: detail (och code) eller fält med listor av meddelanden.",
        "additionalProperties": True,
    }
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                responses.setdefault(code, {"description": description, "content": body})
    return result


MAX_ID = 2**63 - 1  # BigAutoField; a larger number overflows the database driver (a 500, not a 400)


def id_field(**kwargs) -> serializers.IntegerField:
    """An object id in a request body: a positive integer the database can hold."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)
