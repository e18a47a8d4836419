"""Where the OpenID provider's endpoints are: from OIDC_OP_DISCOVERY (fetched on first use,
cached for an hour) or from the OIDC_OP_*_ENDPOINT settings, which win where both are given."""

from __future__ import annotations

import logging
import threading
import time

import requests
from django.conf import settings

log = logging.getLogger("uppsikt.signin")

DISCOVERY_TTL = 3600.0
RETRY_AFTER_FAILURE = 30.0
_SETTINGS = {
    "authorization": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "token": "OIDC_OP_TOKEN_ENDPOINT",
    "userinfo": "OIDC_OP_USER_ENDPOINT",
    "jwks": "OIDC_OP_JWKS_ENDPOINT",
    "end_session": "OIDC_OP_LOGOUT_ENDPOINT",
}
_DISCOVERY_KEYS = {
    "authorization": "authorization_endpoint",
    "token": "token_endpoint",
    "userinfo": "userinfo_endpoint",
    "jwks": "jwks_uri",
    "end_session": "end_session_endpoint",
    "issuer": "issuer",
}


class ProviderUnavailable(Exception):
    """The discovery document could not be read (the provider is down or misconfigured)."""


_lock = threading.Lock()
_cache: dict[str, object] = {"url": "", "at": 0.0, "doc": None, "failed_at": 0.0}


def oidc_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def discovery_url() -> str:
    url = settings.OIDC_OP_DISCOVERY.strip()
    if url and not url.rstrip("/").endswith("/.well-known/openid-configuration"):
        url = url.rstrip("/") + "/.well-known/openid-configuration"
    return url


def _fetch(url: str) -> dict[str, str]:
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT, verify=getattr(settings, "OIDC_VERIFY_SSL", True))
        response.raise_for_status()
        doc = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"discovery {url}: {exc}") from exc
    if not isinstance(doc, dict) or not doc.get("issuer") or not doc.get("authorization_endpoint"):
        raise ProviderUnavailable(f"discovery {url}: not an OpenID configuration")
    return {ours: str(doc[theirs]) for ours, theirs in _DISCOVERY_KEYS.items() if doc.get(theirs)}


def _discovered(*, allow_fetch: bool) -> dict[str, str]:
    url = discovery_url()
    if not url:
        return {}
    with _lock:
        now = time.monotonic()
        fresh = _cache["url"] == url and _cache["doc"] is not None and now - float(_cache["at"]) < DISCOVERY_TTL
        if fresh or not allow_fetch:
            return dict(_cache["doc"] or {}) if _cache["url"] == url else {}
        if _cache["url"] == url and now - float(_cache["failed_at"]) < RETRY_AFTER_FAILURE:
            raise ProviderUnavailable(f"discovery {url}: failed recently")
        try:
            doc = _fetch(url)
        except ProviderUnavailable:
            _cache.update(url=url, failed_at=now)
            raise
        _cache.update(url=url, at=now, doc=doc, failed_at=0.0)
        return dict(doc)


def provider_endpoints() -> dict[str, str]:
    """All endpoints, reading the discovery document if needed (raises ProviderUnavailable)."""
    explicit = {key: getattr(settings, name, "") for key, name in _SETTINGS.items()}
    needed = [k for k in ("authorization", "token", "jwks") if not explicit[k]]
    discovered = _discovered(allow_fetch=True) if needed or not explicit["end_session"] else {}
    merged = {**discovered, **{k: v for k, v in explicit.items() if v}}
    missing = [k for k in ("authorization", "token", "jwks") if not merged.get(k)]
    if missing:
        raise ProviderUnavailable(f"no endpoint for {', '.join(missing)}")
    return merged


def provider_endpoints_if_known() -> dict[str, str]:
    """What is known without a network call: settings, the cached discovery document and the
    discovery URL's own origin (providers serve their endpoints from the issuer's origin)."""
    known = {key: getattr(settings, name, "") for key, name in _SETTINGS.items()}
    known = {k: v for k, v in known.items() if v}
    cached = _discovered(allow_fetch=False)
    merged = {**cached, **known}
    if discovery_url():
        merged["discovery"] = discovery_url()
    return merged


def reset_cache() -> None:
    """Forget the discovery document (tests, or after the provider changed its keys)."""
    with _lock:
        _cache.update(url="", at=0.0, doc=None, failed_at=0.0)
