"""An SMTP server on loopback for tests and the bench (aiosmtpd), recording what it accepts.

A message counts as received only once the server could answer 250 to its DATA: if the
client's connection drops first (a sender killed mid-send), aiosmtpd cancels the handler and
the message is not kept, as a careful MTA does.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
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
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per command
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


class _CountingProtocol(asyncio.Protocol):
    """A minimal SMTP server for the bench: answers every command, counts each message
    whose DATA ends, keeps nothing. Far lighter than aiosmtpd, so that on a small machine
    the figure measures the sender rather than the sink."""

    def __init__(self, count) -> None:
        self.count = count
        self.buffer = b""
        self.in_data = False

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        replies = []
        while True:
            if self.in_data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    break
                self.buffer = self.buffer[end + 5 :]
                self.in_data = False
                with self.count.get_lock():
                    self.count.value += 1
                replies.append(b"250 OK queued\r\n")
                continue
            end = self.buffer.find(b"\r\n")
            if end < 0:
                break
            line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
            verb = line[:4].upper()
            if verb == b"EHLO":
                replies.append(b"250-sink\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n")
            elif verb == b"DATA":
                self.in_data = True
                replies.append(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                replies.append(b"221 bye\r\n")
                self.transport.write(b"".join(replies))
                self.transport.close()
                return
            else:
                replies.append(b"250 OK\r\n")
        if replies:
            self.transport.write(b"".join(replies))


def serve_counting(port: int, count, ready) -> None:
    """The bench's sink, in a process of its own: counts messages in ``count``."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: _CountingProtocol(count), "127.0.0.1", port)
        ready.set()
        async with server:
            await server.serve_forever()

    asyncio.run(main())
