"""A request id on every request: taken from a trusted proxy's `X-Request-ID` or made here.

It is echoed in the response header (gunicorn's access log and nginx log the same value) and put
on every log record written while the request runs, so one id ties the proxy, the access log and
the application log together.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
# nginx's $request_id is 32 hex digits; accept any short token of safe characters, nothing else
# (the value ends up in logs: no spaces, quotes or control characters).
_VALID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("uppsikt_request_id", default="")


def current_request_id() -> str:
    """The id of the request being served in this context ("" outside a request)."""
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets `request.request_id`, the logging context and the `X-Request-ID` response header.

    Put it first in MIDDLEWARE so that every other middleware logs with the id.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get(_META_KEY, "")
        request_id = incoming if _VALID.match(incoming) else new_request_id()
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (empty outside a request) so formatters can use it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = _current.get()
        return True
