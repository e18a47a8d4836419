"""Encryption at rest for platform credentials (app secrets, access tokens, verify tokens).

Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`. The key is
``settings.UPPSIKT_FIELD_ENCRYPTION_KEY``: one or more comma-separated Fernet keys (urlsafe
base64 of 32 bytes); the first encrypts, all of them decrypt, so a key can be rotated by putting
the new one first and re-saving the secrets. If the setting is empty the key is derived from
``SECRET_KEY`` (SHA-256 of it, urlsafe base64): convenient for development and the demo, but then
changing SECRET_KEY makes every stored secret unreadable (the channels fall back to
"credentials missing/invalid" and must be re-entered). Production should set its own key.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class DecryptionError(Exception):
    """A stored secret could not be decrypted (wrong key or damaged value). Carries no secret."""


def derived_key(secret_key: str) -> bytes:
    """The Fernet key used when UPPSIKT_FIELD_ENCRYPTION_KEY is empty: urlsafe_b64(SHA-256(SECRET_KEY))."""
    return base64.urlsafe_b64encode(hashlib.sha256(secret_key.encode("utf-8")).digest())


def _keys() -> list[bytes]:
    configured = getattr(settings, "UPPSIKT_FIELD_ENCRYPTION_KEY", "") or ""
    keys = [k.strip().encode("ascii") for k in configured.split(",") if k.strip()]
    return keys or [derived_key(settings.SECRET_KEY)]


def _fernet() -> MultiFernet:
    # Built per call (cheap) so that a changed setting (tests, key rotation) takes effect at once.
    return MultiFernet([Fernet(k) for k in _keys()])


def encrypt(value: str) -> str:
    """Encrypt a non-empty string; the empty string stays empty (meaning "not set")."""
    if not value:
        return ""
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt what `encrypt` produced; the empty string stays empty."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise DecryptionError("Den lagrade hemligheten kunde inte dekrypteras (fel nyckel?).") from exc
