"""Record logins, logouts and failed logins in the audit log."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.models import AuditAction
from accounts.services import audit_record


@receiver(user_logged_in, dispatch_uid="uppsikt_login")
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action=AuditAction.LOGIN, target=user, request=request)


@receiver(user_logged_out, dispatch_uid="uppsikt_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="uppsikt_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))[:150]
    audit_record(
        actor=None, action=AuditAction.LOGIN_FAILED, request=request, actor_label=username,
        target=("accounts.user", "", username),
    )


@receiver(user_locked_out, dispatch_uid="uppsikt_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        actor=None, action=AuditAction.LOCKED_OUT, request=request, actor_label=str(username or "")[:150],
        target=("accounts.user", "", str(username or "")),
    )
