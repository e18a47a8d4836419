"""OAuth 2.0 refresh-token grant (RFC 6749 §6) for YouTube (Google) and LinkedIn.

Platform facts, checked with the search tool:

- Google: ``POST https://oauth2.googleapis.com/token`` (form-encoded ``client_id``, ``client_secret``,
  ``refresh_token``, ``grant_type=refresh_token``) answers ``{"access_token", "expires_in", "scope",
  "token_type"}``; no new refresh token as a rule. A revoked or expired refresh token is HTTP 400
  ``{"error": "invalid_grant", "error_description": …}``.
- LinkedIn (programmatic refresh tokens, approved Marketing Developer Platform partners):
  ``POST https://www.linkedin.com/oauth/v2/accessToken`` with the same form fields answers ``access_token``,
  ``expires_in`` (access tokens last 60 days), ``refresh_token`` and ``refresh_token_expires_in``. The refresh
  token lasts 365 days from the first authorisation and refreshing does not extend it; after that the member
  must authorise again. A rejected refresh is 400/401 ``invalid_grant`` / ``invalid_request``.

``refresh_access_token`` raises ``RefreshRejected`` (the grant will not work again: a person must act) or
``TransientError`` (try later); it never puts a token or secret in a message.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from .errors import TokenInvalid, TransientError

# Errors after which retrying the same grant is pointless (RFC 6749 §5.2).
FATAL_ERRORS = frozenset({"invalid_grant", "invalid_client", "unauthorized_client", "unsupported_grant_type",
                          "invalid_request", "invalid_scope"})


class RefreshRejected(TokenInvalid):
    """The token endpoint refused the refresh token (revoked, expired, wrong client): a person must act."""


@dataclass(frozen=True)
class TokenGrant:
    access_token: str
    expires_in: int | None
    refresh_token: str | None = None
    refresh_token_expires_in: int | None = None
    scope: str | None = None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdecimal():
        return int(value)
    return None


def refresh_access_token(
    token_url: str,
    *,
    client_id: str,
    client_secret: str,
    refresh_token: str,
    platform: str,
    timeout: float = 10.0,
    transport: httpx.BaseTransport | None = None,
) -> TokenGrant:
    """Exchange the refresh token for a new access token at ``token_url``."""
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id,
            "client_secret": client_secret}
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout), transport=transport) as client:
            response = client.post(token_url, data=form, headers={"Accept": "application/json"})
    except httpx.TimeoutException:
        error: Exception = TransientError(f"{platform}: no answer from the token endpoint within {timeout}s",
                                          platform=platform)
    except httpx.TransportError as exc:
        error = TransientError(f"{platform}: {type(exc).__name__} calling the token endpoint", platform=platform)
    else:
        return _grant(response, platform)
    raise error


def _grant(response: httpx.Response, platform: str) -> TokenGrant:
    try:
        body = response.json()
    except ValueError:
        body = None
    body = body if isinstance(body, dict) else {}
    if response.is_success and isinstance(body.get("access_token"), str) and body["access_token"]:
        refresh = body.get("refresh_token")
        return TokenGrant(
            access_token=body["access_token"],
            expires_in=_int(body.get("expires_in")),
            refresh_token=refresh if isinstance(refresh, str) and refresh else None,
            refresh_token_expires_in=_int(body.get("refresh_token_expires_in")),
            scope=body.get("scope") if isinstance(body.get("scope"), str) else None,
        )
    code = body.get("error") if isinstance(body.get("error"), str) else None
    description = body.get("error_description") if isinstance(body.get("error_description"), str) else ""
    message = f"{platform}: token refresh refused (HTTP {response.status_code}, {code or 'no error code'})"
    if description:
        message += f": {description[:200]}"
    if response.status_code >= 500 or response.status_code == 429:
        raise TransientError(message, code=code, http_status=response.status_code, platform=platform)
    if code in FATAL_ERRORS or response.status_code in (400, 401, 403):
        raise RefreshRejected(message, code=code, http_status=response.status_code, platform=platform)
    raise TransientError(message, code=code, http_status=response.status_code, platform=platform)
