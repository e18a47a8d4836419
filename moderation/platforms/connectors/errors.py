"""Exceptions raised by the connectors, and the tables that classify platform errors.

The outbox worker decides by class alone:

| class               | worker                                                      | retryable |
|---------------------|-------------------------------------------------------------|-----------|
| ``RateLimited``     | wait ``retry_after`` seconds (or its own back-off), retry   | yes       |
| ``TransientError``  | retry with back-off (HTTP 5xx, timeouts, connection errors) | yes       |
| ``PolicyBlocked``   | wait long (``retry_after`` is at least one hour), retry     | yes       |
| ``TokenInvalid``    | stop; mark the channel's credentials invalid                | no        |
| ``PermissionMissing`` | stop; show the missing permission on the channel          | no        |
| ``AlreadyGone``     | treat the action as done (the object no longer exists)      | no        |
| ``InvalidRequest``  | stop; the request itself is wrong                           | no        |

Messages never contain access tokens: the clients scrub them before raising (see ``_http.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class PlatformError(Exception):
    """A call to a platform failed. ``code`` is Meta's numeric code, YouTube's reason or LinkedIn's code."""

    retryable = False

    def __init__(
        self,
        message: str,
        *,
        code: int | str | None = None,
        subcode: int | None = None,
        http_status: int | None = None,
        retry_after: float | None = None,
        platform: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.subcode = subcode
        self.http_status = http_status
        self.retry_after = retry_after
        self.platform = platform

    def with_message(self, message: str) -> PlatformError:
        """The same error with another message (used to scrub secrets)."""
        self.message = message
        self.args = (message,)
        return self


class RateLimited(PlatformError):
    retryable = True


class TransientError(PlatformError):
    retryable = True


class PolicyBlocked(PlatformError):
    retryable = True


class TokenInvalid(PlatformError):
    pass


class PermissionMissing(PlatformError):
    pass


class AlreadyGone(PlatformError):
    pass


class InvalidRequest(PlatformError):
    pass


# Meta: 4 app, 17 user, 32 page, 613 per-call, 341 application limit; 80001 Pages and 80002 Instagram
# business-use-case limits (80002 is from memory, not found in the docs consulted).
META_RATE_LIMIT_CODES = frozenset({4, 17, 32, 341, 613, 80001, 80002})
META_TOKEN_CODES = frozenset({102, 190})
META_TRANSIENT_CODES = frozenset({1, 2})  # "API Unknown" and "API Service": temporary, retry
META_POLICY_CODE = 368
META_INVALID_PARAMETER = 100

POLICY_BLOCK_BACKOFF = 3600.0  # seconds; Meta documents no duration for code 368
USAGE_SATURATED_BACKOFF = 300.0  # seconds, when a usage header is at 100 % without an estimate
RATE_LIMIT_FALLBACK = 60.0  # seconds, YouTube rateLimitExceeded without Retry-After

YOUTUBE_RATE_REASONS = frozenset({"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded"})
YOUTUBE_GONE_REASONS = frozenset({"commentNotFound"})


def _lower_keys(headers: Mapping[str, str] | None) -> dict[str, str]:
    return {key.lower(): value for key, value in (headers or {}).items()}


def _json_header(headers: Mapping[str, str], name: str) -> object:
    raw = headers.get(name)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_meta_usage(headers: Mapping[str, str] | None) -> dict:
    """The usage headers of a Graph API response as ``{"app": …, "page": …, "business_use_case": …}``."""
    lowered = _lower_keys(headers)
    usage = {}
    for key, name in (
        ("app", "x-app-usage"),
        ("page", "x-page-usage"),
        ("business_use_case", "x-business-use-case-usage"),
    ):
        value = _json_header(lowered, name)
        if value is not None:
            usage[key] = value
    return usage


def _saturated(usage: object) -> bool:
    if not isinstance(usage, Mapping):
        return False
    return any(
        _is_number(usage.get(key)) and usage[key] >= 100 for key in ("call_count", "total_cputime", "total_time")
    )


def retry_after_from_headers(headers: Mapping[str, str] | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait, the longest of: Retry-After, X-Business-Use-Case-Usage's
    ``estimated_time_to_regain_access`` (minutes), and a fixed back-off when a usage header is at ≥ 100 %."""
    lowered = _lower_keys(headers)
    waits: list[float] = []
    retry_after = lowered.get("retry-after", "").strip()
    if retry_after:
        try:
            waits.append(max(float(retry_after), 0.0))
        except ValueError:
            try:
                when = parsedate_to_datetime(retry_after)
                waits.append(max((when - (now or datetime.now(UTC))).total_seconds(), 0.0))
            except (TypeError, ValueError):
                pass
    business = _json_header(lowered, "x-business-use-case-usage")
    if isinstance(business, Mapping):
        for entries in business.values():
            for entry in entries if isinstance(entries, list) else []:
                if not isinstance(entry, Mapping):
                    continue
                minutes = entry.get("estimated_time_to_regain_access")
                if _is_number(minutes) and minutes > 0:
                    waits.append(float(minutes) * 60)
                elif _saturated(entry):
                    waits.append(USAGE_SATURATED_BACKOFF)
    for name in ("x-app-usage", "x-page-usage"):
        if _saturated(_json_header(lowered, name)):
            waits.append(USAGE_SATURATED_BACKOFF)
    return max(waits) if waits else None


def _as_int(value: object) -> int | None:
    if _is_number(value):
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdecimal():
        return int(value)
    return None


def _by_status(status: int) -> type[PlatformError]:
    if status == 429:
        return RateLimited
    if status >= 500:
        return TransientError
    if status == 401:
        return TokenInvalid
    if status == 403:
        return PermissionMissing
    return InvalidRequest


def classify_meta_error(
    status: int, body_json: object, headers: Mapping[str, str] | None = None, *, method: str = "GET"
) -> PlatformError:
    """Turn a failed Graph API response into the matching ``PlatformError``.

    ``method`` matters for code 100: on a DELETE it means the object is already gone."""
    error = body_json.get("error") if isinstance(body_json, Mapping) else None
    error = error if isinstance(error, Mapping) else {}
    code = _as_int(error.get("code"))
    subcode = _as_int(error.get("error_subcode"))
    text = error.get("message") if isinstance(error.get("message"), str) else "no error message"
    message = f"Meta API error {code} (subcode {subcode}, HTTP {status}): {text}"
    retry_after = retry_after_from_headers(headers)
    details = {"code": code, "subcode": subcode, "http_status": status, "platform": "meta"}

    if code in META_RATE_LIMIT_CODES:
        return RateLimited(message, retry_after=retry_after, **details)
    if code in META_TOKEN_CODES:
        return TokenInvalid(message, **details)
    if code == 10 or (code is not None and 200 <= code <= 299):
        return PermissionMissing(message, **details)
    if code == META_POLICY_CODE:
        return PolicyBlocked(message, retry_after=max(retry_after or 0.0, POLICY_BLOCK_BACKOFF), **details)
    if code == META_INVALID_PARAMETER and method.upper() == "DELETE":
        return AlreadyGone(message, **details)
    if code in META_TRANSIENT_CODES:
        return TransientError(message, retry_after=retry_after, **details)
    return _by_status(status)(message, retry_after=retry_after, **details)


def seconds_until_youtube_quota_reset(now: datetime | None = None) -> float:
    """YouTube's daily quota resets at midnight Pacific Time."""
    try:
        pacific: timezone | ZoneInfo = ZoneInfo("America/Los_Angeles")
    except ZoneInfoNotFoundError:
        pacific = timezone(timedelta(hours=-8))
    now = (now or datetime.now(UTC)).astimezone(UTC)
    local = now.astimezone(pacific)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max((midnight.astimezone(UTC) - now).total_seconds(), 1.0)


def classify_youtube_error(
    status: int,
    body_json: object,
    headers: Mapping[str, str] | None = None,
    *,
    method: str = "GET",
    now: datetime | None = None,
) -> PlatformError:
    """Turn a failed YouTube Data API response (``{"error": {"code", "message", "errors": [{"reason"}]}}``)
    into the matching ``PlatformError``; ``code`` is the first reason."""
    error = body_json.get("error") if isinstance(body_json, Mapping) else None
    error = error if isinstance(error, Mapping) else {}
    errors = error.get("errors") if isinstance(error.get("errors"), list) else []
    reasons = [item.get("reason") for item in errors if isinstance(item, Mapping)]
    reason = next((r for r in reasons if isinstance(r, str)), None)
    text = error.get("message") if isinstance(error.get("message"), str) else "no error message"
    message = f"YouTube API error {reason} (HTTP {status}): {text}"
    details = {"code": reason, "http_status": status, "platform": "youtube"}
    header_wait = retry_after_from_headers(headers, now=now)

    if reason == "quotaExceeded" or reason == "dailyLimitExceeded":
        return RateLimited(message, retry_after=header_wait or seconds_until_youtube_quota_reset(now), **details)
    if reason in YOUTUBE_RATE_REASONS or status == 429:
        return RateLimited(message, retry_after=header_wait or RATE_LIMIT_FALLBACK, **details)
    if reason in YOUTUBE_GONE_REASONS or (status == 404 and method.upper() != "GET"):
        return AlreadyGone(message, **details)
    return _by_status(status)(message, retry_after=header_wait, **details)


def classify_linkedin_error(
    status: int, body_json: object, headers: Mapping[str, str] | None = None, *, method: str = "GET"
) -> PlatformError:
    """Turn a failed LinkedIn REST response (``{"status", "serviceErrorCode", "code", "message"}``)
    into the matching ``PlatformError``; a 404 on a DELETE means the comment is already gone."""
    body = body_json if isinstance(body_json, Mapping) else {}
    code = body.get("code") if isinstance(body.get("code"), str) else _as_int(body.get("serviceErrorCode"))
    text = body.get("message") if isinstance(body.get("message"), str) else "no error message"
    message = f"LinkedIn API error {code} (HTTP {status}): {text}"
    details = {"code": code, "http_status": status, "platform": "linkedin"}
    if status == 404 and method.upper() == "DELETE":
        return AlreadyGone(message, **details)
    return _by_status(status)(message, retry_after=retry_after_from_headers(headers), **details)
