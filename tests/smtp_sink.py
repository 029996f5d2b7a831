"""An SMTP server on 127.0.0.1 that keeps what it receives (aiosmtpd), for the notification tests."""

from __future__ import annotations

import email
import socket
import time
from contextlib import contextmanager
from email.message import EmailMessage


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Keep:
    def __init__(self):
        self.messages: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        parsed = email.message_from_bytes(envelope.content, _class=EmailMessage, policy=email.policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"


@contextmanager
def smtp_sink():
    """``(port, messages)``: messages received, each ``(mail_from, rcpt_tos, EmailMessage)``."""
    import email.policy  # noqa: F401  (used by _Keep)

    from aiosmtpd.controller import Controller

    handler = _Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller.port, handler.messages
    finally:
        controller.stop()


def wait_for_messages(messages: list, predicate, timeout: float = 120) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [message for message in list(messages) if predicate(message[2])]
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"no matching mail within {timeout:.0f} s; received: {[m[2]['Subject'] for m in messages]}")
