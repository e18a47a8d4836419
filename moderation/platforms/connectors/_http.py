"""What the three API clients share: an httpx client, transport errors as ``TransientError``,
and access tokens kept out of exception messages and log lines."""

from __future__ import annotations

import logging
import re
from typing import Self

import httpx

from .errors import PlatformError, TransientError

_TOKEN_IN_URL = re.compile(r"(access_token=)[^&\s\"'>]+")


class _RedactAccessTokens(logging.Filter):
    """httpx logs every request URL at INFO; Graph API GETs carry ``access_token`` in the query."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _TOKEN_IN_URL.sub(r"\1***", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


_httpx_logger = logging.getLogger("httpx")
if not any(type(f).__name__ == _RedactAccessTokens.__name__ for f in _httpx_logger.filters):
    _httpx_logger.addFilter(_RedactAccessTokens())


class HttpConnector:
    platform = "unknown"

    def __init__(
        self,
        base_url: str,
        access_token: str,
        *,
        timeout: float,
        transport: httpx.BaseTransport | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self._token = access_token
        self.timeout = timeout
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout),
            transport=transport,
            headers=headers or {},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _send(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        """Send a request; timeouts and connection failures become ``TransientError``.

        The error is raised outside the ``except`` blocks so the httpx exception, whose request carries the
        URL (with the Graph token) and the headers, is neither its cause nor its context."""
        try:
            return self._http.request(method, path, **kwargs)
        except httpx.TimeoutException:
            error = TransientError(
                f"{self.platform}: no answer within {self.timeout}s to {method} {path}",
                platform=self.platform,
            )
        except httpx.TransportError as exc:
            error = TransientError(f"{self.platform}: {type(exc).__name__} on {method} {path}", platform=self.platform)
        raise self._scrub(error)

    @staticmethod
    def _json(response: httpx.Response) -> object:
        try:
            return response.json()
        except ValueError:
            return None

    def _scrub(self, error: PlatformError) -> PlatformError:
        if self._token and self._token in error.message:
            error.with_message(error.message.replace(self._token, "***"))
        return error

    def _unreadable(self, method: str, path: str, response: httpx.Response) -> PlatformError:
        return self._scrub(
            TransientError(
                f"{self.platform}: unreadable answer (HTTP {response.status_code}) to {method} {path}",
                http_status=response.status_code,
                platform=self.platform,
            )
        )
