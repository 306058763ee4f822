"""A scriptable HTTP server on loopback for feed tests: each path answers as a test says.
A POST is answered the same way, and its body is kept (the language-model endpoint's tests)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from feeds.demo_server import not_modified


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""
    last_modified: str = ""
    delay: float = 0.0  # seconds before the status line
    trickle: float = 0.0  # seconds between pieces of the body
    piece: int = 1024  # bytes in each trickled piece
    hang: float = 0.0  # seconds to wait after the headers, before any of the body
    content_length: int | None = None  # a Content-Length to claim instead of the true one
    endless: bool = False  # a chunked body that never ends (until the client hangs up)
    pause_event: threading.Event | None = None  # set when the request arrives
    hold: threading.Event | None = None  # body waits until this is set


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: bytes = b""


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route | Callable[[], Route]] = {}
        self.requests: list[Seen] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # as real web servers do: no 40 ms delayed-ACK stalls

            def do_GET(self) -> None:  # noqa: N802
                self._answer(b"")

            def do_POST(self) -> None:  # noqa: N802
                self._answer(self.rfile.read(int(self.headers.get("Content-Length", 0))))

            def _answer(self, received: bytes) -> None:
                owner.requests.append(Seen(self.path, dict(self.headers.items()), received))
                route = owner.routes.get(self.path)
                if callable(route):
                    route = route()
                if route is None:
                    route = Route(status=404, body=b"no such test route")
                if route.pause_event:
                    route.pause_event.set()
                if route.delay:
                    time.sleep(route.delay)
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                if route.last_modified:
                    headers["Last-Modified"] = route.last_modified
                if (route.etag or route.last_modified) and not_modified(
                    self.headers, route.etag, route.last_modified
                ):
                    self._start(304, headers, 0)
                    return
                body = route.body if route.status not in (204, 304) else b""
                if route.endless:
                    self._endless(route, headers)
                    return
                claimed = len(body) if route.content_length is None else route.content_length
                self._start(route.status, headers, claimed)
                try:
                    if route.hang:
                        time.sleep(route.hang)
                    if route.hold:
                        self.wfile.write(body[:1024])
                        self.wfile.flush()
                        route.hold.wait(30)
                        body = body[1024:]
                    if route.trickle:
                        for start in range(0, len(body), route.piece):
                            self.wfile.write(body[start : start + route.piece])
                            self.wfile.flush()
                            time.sleep(route.trickle)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                if route.content_length is not None and route.content_length > len(body):
                    self.close_connection = True  # as a liar does: hang up short of its claim

            def _endless(self, route: Route, headers: dict[str, str]) -> None:
                self.send_response(route.status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                piece = b"<item><title>" + b"x" * 4000 + b"</title></item>\n"
                chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
                deadline = time.monotonic() + 60  # bounded, whatever the client does
                try:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(route.body), route.body))
                    while time.monotonic() < deadline:
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

            def _start(self, status: int, headers: dict[str, str], length: int) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if "Content-Type" not in headers and status == 200:
                    self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(length))
                self.end_headers()

            def log_message(self, format, *args) -> None:  # noqa: A002
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, route: Route | Callable[[], Route] | None = None, **fields) -> str:
        self.routes[path] = route if route is not None else Route(**fields)
        return self.url(path)

    def hits(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def rss(items: list[dict], *, title: str = "Test feed", encoding: str = "utf-8") -> bytes:
    """An RSS 2.0 document; each item dict may carry title, link, guid, description, pubDate."""
    parts = [
        f'<?xml version="1.0" encoding="{encoding}"?>',
        '<rss version="2.0"><channel>',
        f"<title>{title}</title><link>https://news.example.org/</link><description>t</description>",
    ]
    for item in items:
        parts.append("<item>")
        for key in ("title", "link", "guid", "description", "pubDate"):
            if key in item:
                parts.append(f"<{key}>{item[key]}</{key}>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode(encoding, "xmlcharrefreplace")


def items(count: int, *, prefix: str = "story", start_day: int = 1) -> list[dict]:
    return [
        {
            "title": f"Story {prefix} {i}",
            "link": f"https://news.example.org/{prefix}/{i}",
            "guid": f"{prefix}-{i}",
            "description": f"Body of {prefix} {i}.",
            "pubDate": f"{(start_day + i) % 28 + 1:02d} Mar 2026 10:{i % 60:02d}:00 GMT",
        }
        for i in range(count)
    ]
