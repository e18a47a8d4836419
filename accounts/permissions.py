"""View decorators: signed-in staff with a permission; denials are audited."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from accounts.models import AuditAction
from accounts.services import audit_record


def deny(request, what: str = ""):
    audit_record(actor=request.user, action=AuditAction.PERMISSION_DENIED, request=request,
                 target=("page", request.path[:64], what or request.path), detail={"path": request.path})
    raise PermissionDenied


def staff_required(*perms: str, any_of: bool = False):
    """Anonymous users go to the login page; signed-in users without the permission get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_staff_member:
                deny(request)
            if perms:
                check = any if any_of else all
                if not check(user.has_perm(p) for p in perms):
                    deny(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
