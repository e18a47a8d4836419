"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1 on a free port, with EMAIL_URL pointing at it.

`smtp_server` (function scope) starts it and configures Django's mail from an EMAIL_URL the way
settings.py does; `smtp_server.messages` are the parsed e-mails received (email.message.EmailMessage),
`smtp_server.wait_for(n)` waits for n of them, and `smtp_server.refuse_next(code, n)` answers the next
n DATA commands with an error (451 temporary, 550 permanent) to test retries.
"""

from __future__ import annotations

import socket
import threading
import time
from email import policy
from email.parser import BytesParser

import environ
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RecordingHandler:
    def __init__(self):
        self.messages: list = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.received_at: list[float] = []
        self._refusals: list[str] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self._lock:
            if self._refusals:
                return self._refusals.pop(0)
            self.messages.append(BytesParser(policy=policy.default).parsebytes(envelope.original_content
                                                                                or envelope.content))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.received_at.append(time.monotonic())
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, controller, handler: RecordingHandler, url: str):
        self.controller, self.handler, self.url = controller, handler, url

    @property
    def messages(self) -> list:
        return list(self.handler.messages)

    def refuse_next(self, code: int = 451, times: int = 1) -> None:
        text = "Try again later" if code < 500 else "Mailbox unavailable"
        self.handler._refusals.extend([f"{code} {text}"] * times)

    def wait_for(self, n: int, timeout: float = 30) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.handler.messages) >= n:
                return self.messages
            time.sleep(0.02)
        raise AssertionError(f"the SMTP server got {len(self.handler.messages)} messages, expected {n}")


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    url = f"smtp://127.0.0.1:{port}"
    for key, value in environ.Env.email_url_config(url).items():  # what settings.py does with EMAIL_URL
        setattr(settings, key, value)
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield SmtpServer(controller, handler, url)
    finally:
        controller.stop()
