"""TOTP two-factor for local passwords (django-otp): enrolment with a QR code drawn here as SVG
(nothing is fetched from elsewhere), the code step after the password, and the requirement
(UPPSIKT_REQUIRE_2FA) for every local sign-in."""

from __future__ import annotations

import base64
import time

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditAction, User
from accounts.services import audit_record

DEVICE_NAME = "Uppsikt"
PENDING_KEY = "uppsikt_otp_pending"
PENDING_SECONDS = 300
OIDC_BACKEND = "accounts.signin.oidc.OIDCBackend"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def signed_in_locally(request) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) != OIDC_BACKEND


def needs_second_factor(request) -> bool:
    """With UPPSIKT_REQUIRE_2FA, a local session that has not shown a code yet. (Users who enrolled
    of their own choice show it at sign-in, before the session exists: no query per request.)"""
    if not settings.UPPSIKT_REQUIRE_2FA:
        return False
    user = request.user
    return user.is_authenticated and signed_in_locally(request) and not user.is_verified()


def qr_svg(url: str) -> str:
    """The otpauth:// URL as an inline SVG (path only, no style attributes)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")


def secret_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The user's unconfirmed device (a new key), created once and reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str, request=None) -> bool:
    """Confirm the device when the code is right; other devices of the user are removed, and the
    enrolment is an audit event. Wrong codes are throttled by django-otp."""
    if device.user_id != user.pk or not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action=AuditAction.TWO_FACTOR, target=user, detail={"change": "enrolled"},
                 request=request)
    return True


@transaction.atomic
def totp_device_remove(*, user: User, actor: User, request=None) -> int:
    """Remove the user's devices (their own choice, or an administrator's reset); audited."""
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    if count:
        audit_record(actor=actor, action=AuditAction.TWO_FACTOR, target=user, detail={"change": "removed"},
                     request=request)
    return count


def pending_set(request, *, user: User, next_url: str) -> None:
    request.session[PENDING_KEY] = {"user": user.pk, "backend": user.backend, "at": time.time(), "next": next_url}


def pending_get(request) -> tuple[User | None, str, str]:
    """The user waiting for the code step, with backend and next URL (None when none or expired)."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict) or time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        return None, "", ""
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    return user, str(data.get("backend", "")), str(data.get("next", ""))


def pending_clear(request) -> None:
    request.session.pop(PENDING_KEY, None)
