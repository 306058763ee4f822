"""An SMTP server on loopback for tests and the bench (aiosmtpd), recording what it accepts.

A message counts as received only once the server could answer 250 to its DATA: if the
client's connection drops first (a sender killed mid-send), aiosmtpd cancels the handler and
the message is not kept, as a careful MTA does.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from collections import Counter
from collections.abc import Callable

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    def __init__(self, *, delay: float = 0.0, on_data: Callable[[int], None] | None = None):
        self.delay = delay
        self.on_data = on_data
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()
        self.started = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        with self.lock:
            self.started += 1
            number = self.started
        if self.on_data:
            self.on_data(number)
        if self.delay:
            await asyncio.sleep(self.delay)
        if server.transport is None or server.transport.is_closing():
            return "451 connection gone"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def recipients(self) -> Counter:
        with self.lock:
            return Counter(str(m["To"]) for m in self.messages)


class SmtpSink:
    def __init__(self, **recorder_options) -> None:
        self.recorder = Recorder(**recorder_options)
        self.port = free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


class _Counter:
    """The bench's sink: counts messages, keeps nothing (run in a process of its own)."""

    def __init__(self, count) -> None:
        self.count = count

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        with self.count.get_lock():
            self.count.value += 1
        return "250 OK"


def serve_counting(port: int, count, ready) -> None:
    controller = Controller(_Counter(count), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    threading.Event().wait()
