"""Downloading one attachment: through the guarded backend, redirects followed hop by hop (each checked),
streamed to a temporary file with its SHA-256, aborted past the size limit or the total time.

``download(url, sink=…)`` returns a ``Download`` or raises one of:
``Refused`` (not allowed: never retried), ``TooLarge`` (over the limit: the URL is kept), ``Gone`` (the
platform says it is not there, e.g. 404 or an expired CDN signature: not retried) or ``Transient``
(timeouts, refused connections, 5xx, 429: retried with back-off)."""

from __future__ import annotations

import hashlib
import ssl
import time
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urljoin

import httpcore

from moderation.media.guard import GuardedBackend, HostPolicy, Refused
from moderation.media.sniff import sniff

USER_AGENT = "Uppsikt/1.0 (arkivering av kommunens konton i sociala medier)"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
CHUNK = 64 * 1024


class TooLarge(Exception):
    def __init__(self, message: str, *, limit: int, seen: int):
        super().__init__(message)
        self.message, self.limit, self.seen = message, limit, seen


class Gone(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Transient(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Download:
    size: int
    sha256: str
    content_type: str  # sniffed from the bytes
    declared_content_type: str  # what the server said
    final_url: str
    hops: int
    connected: tuple[tuple[str, str, int], ...]


def _header(response: httpcore.Response, name: bytes) -> str:
    for key, value in response.headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


_SSL: ssl.SSLContext | None = None


def _ssl_context() -> ssl.SSLContext:
    """One verifying context per process (loading the CA bundle costs tens of milliseconds)."""
    global _SSL
    if _SSL is None:
        import httpx

        _SSL = httpx.create_ssl_context()
    return _SSL


def download(url: str, *, sink: BinaryIO, policy: HostPolicy, max_bytes: int, timeout: float,
             total_seconds: float, max_redirects: int = 5) -> Download:
    """Fetch ``url`` into ``sink`` (a writable binary file); see the module docstring for the outcomes."""
    backend = GuardedBackend(policy)
    started = time.monotonic()
    timeouts = {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
    with httpcore.ConnectionPool(ssl_context=_ssl_context(), network_backend=backend, retries=0,
                                 max_connections=2) as pool:
        for hop in range(max_redirects + 1):
            policy.check_url(url)
            try:
                with pool.stream("GET", url, headers=[(b"User-Agent", USER_AGENT.encode()), (b"Accept", b"*/*")],
                                 extensions={"timeout": timeouts}) as response:
                    status = response.status
                    if status in REDIRECTS:
                        location = _header(response, b"location")
                        if not location:
                            raise Gone(f"Omdirigering utan adress (HTTP {status}).")
                        url = urljoin(url, location)
                        continue
                    if status in RETRY_STATUSES:
                        raise Transient(f"Plattformen svarade HTTP {status}.")
                    if status != 200:
                        raise Gone(f"Plattformen svarade HTTP {status}.")
                    declared = _header(response, b"content-type").split(";")[0].strip()[:100]
                    length = _header(response, b"content-length")
                    if length.isdecimal() and int(length) > max_bytes:
                        raise TooLarge(f"Filen är {int(length)} byte, gränsen är {max_bytes} byte.",
                                       limit=max_bytes, seen=int(length))
                    size, digest, head = _copy(response, sink, max_bytes, started, total_seconds)
            except (Refused, TooLarge, Gone, Transient):
                raise
            except (httpcore.TimeoutException, httpcore.NetworkError, httpcore.RemoteProtocolError,
                    httpcore.LocalProtocolError, httpcore.ProxyError) as exc:
                raise Transient(f"{type(exc).__name__}: {exc}"[:300]) from None
            except httpcore.UnsupportedProtocol as exc:
                raise Refused(f"Protokollet stöds inte ({exc}).") from None
            return Download(size=size, sha256=digest, content_type=sniff(head), declared_content_type=declared,
                            final_url=url, hops=hop, connected=tuple(backend.connected))
    raise Gone(f"För många omdirigeringar (fler än {max_redirects}).")


def _copy(response: httpcore.Response, sink: BinaryIO, max_bytes: int, started: float,
          total_seconds: float) -> tuple[int, str, bytes]:
    hasher = hashlib.sha256()
    size = 0
    head = b""
    for chunk in response.iter_stream():
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(f"Filen är större än gränsen {max_bytes} byte.", limit=max_bytes, seen=size)
        if time.monotonic() - started > total_seconds:
            raise Transient(f"Hämtningen tog mer än {total_seconds:.0f} sekunder.")
        if len(head) < 64:
            head += chunk[: 64 - len(head)]
        hasher.update(chunk)
        sink.write(chunk)
    return size, hasher.hexdigest(), head
