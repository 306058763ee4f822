"""A small HTTP server for the demo feeds (and the tests' and benchmark's feed servers).

Serves files with ETag and Last-Modified and answers conditional requests with 304, as a
well-behaved publisher does, so the demo exercises the same code paths as real feeds.
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CONTENT_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
}
DEMO_DIR = Path(__file__).with_name("demo")


def validators(body: bytes, mtime: float) -> tuple[str, str]:
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return etag, email.utils.formatdate(mtime, usegmt=True)


def not_modified(headers, etag: str, last_modified: str) -> bool:
    """True when the request's validators match (If-None-Match wins over If-Modified-Since)."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
    since = headers.get("If-Modified-Since")
    if since and last_modified:
        try:
            return email.utils.parsedate_to_datetime(since) >= email.utils.parsedate_to_datetime(
                last_modified
            )
        except (TypeError, ValueError):
            return False
    return False


class DemoFeedHandler(BaseHTTPRequestHandler):
    directory: Path = DEMO_DIR
    server_version = "TalentTrackerDemoFeeds/1"
    disable_nagle_algorithm = True

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        name = self.path.split("?", 1)[0].lstrip("/")
        path = (self.directory / name).resolve()
        if not name or path.parent != self.directory.resolve() or not path.is_file():
            self._send(404, b"not found\n", "text/plain")
            return
        body = path.read_bytes()
        etag, last_modified = validators(body, path.stat().st_mtime)
        headers = {"ETag": etag, "Last-Modified": last_modified, "Cache-Control": "max-age=60"}
        if not_modified(self.headers, etag, last_modified):
            self._send(304, b"", None, headers)
            return
        self._send(
            200,
            body,
            CONTENT_TYPES.get(path.suffix, "application/xml") + "; charset=utf-8",
            headers,
        )

    def _send(
        self, status: int, body: bytes, content_type: str | None, headers: dict | None = None
    ) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass


def serve(
    host: str, port: int, directory: Path = DEMO_DIR, *, background: bool = False
) -> ThreadingHTTPServer:
    handler = type("Handler", (DemoFeedHandler,), {"directory": directory})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    if background:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
