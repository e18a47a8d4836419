"""gunicorn's logs as JSON lines (used by gunicorn.conf.py as `logger_class`).

The access log line carries the request id the application put in the `X-Request-ID` response
header, so it can be joined with the application's own log lines and the proxy's log.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode

from gunicorn import glogging

from config.operations.logs import JsonFormatter

# Query parameters whose values are credentials (the OpenID callback's code, tokens): never logged.
_SECRET_PARAMS = {"code", "state", "token", "id_token_hint", "session_state", "access_token"}


def redact_query(query: str) -> str:
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, "…" if k.lower() in _SECRET_PARAMS else v) for k, v in pairs])


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class JsonLogger(glogging.Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "request_id": atoms.get("{x-request-id}o") or atoms.get("{x-request-id}i") or None,
            "remote": atoms.get("h"),
            "forwarded_for": atoms.get("{x-forwarded-for}i"),
            "method": atoms.get("m"),
            "path": atoms.get("U"),
            "query": redact_query(atoms.get("q") or ""),
            "status": _int(atoms.get("s")),
            "bytes": _int(atoms.get("B")),
            "duration_ms": round(atoms.get("D", 0) / 1000, 3),
            "referer": atoms.get("f"),
            "user_agent": atoms.get("a"),
            "process": _int(atoms.get("p", "").strip("<>")),
        }
        try:
            self.access_log.info(json.dumps(entry, ensure_ascii=False))
        except Exception:  # noqa: BLE001 - gunicorn's own behaviour: a bad line never breaks a response
            self.exception("access log line failed")
