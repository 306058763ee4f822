"""Fetching feed bytes ourselves, politely and safely.

feedparser never sees a URL: we fetch with httpx (conditional GET, a total deadline, a
redirect limit, a size cap counted after decompression, and an address check inside the
connection itself), then hand it the bytes and the response headers.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from django.conf import settings

from feeds.safety import UnsafeURL, check_url, checked_addresses

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
PERMANENT_REDIRECTS = {301, 308}
MAX_RETRY_AFTER = dt.timedelta(hours=24)


class FetchError(Exception):
    """The fetch failed before we had a usable response; ``reason`` is recorded on the feed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class FetchResult:
    status: int
    url: str
    headers: dict[str, str]
    body: bytes = b""
    permanent_url: str | None = None  # set when every redirect on the way was permanent
    redirects: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def retry_after(self) -> dt.timedelta | None:
        return parse_retry_after(self.headers.get("retry-after"))

    @property
    def max_age(self) -> dt.timedelta | None:
        for directive in self.headers.get("cache-control", "").split(","):
            name, _, value = directive.strip().partition("=")
            if name.lower() == "max-age" and value.strip().isdigit():
                return dt.timedelta(seconds=int(value))
        return None


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> dt.timedelta | None:
    """Retry-After as seconds or an HTTP date, capped at 24 hours."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        delay = dt.timedelta(seconds=int(value))
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        delay = when - (now or dt.datetime.now(dt.UTC))
    return max(dt.timedelta(0), min(delay, MAX_RETRY_AFTER))


class GuardedBackend(httpcore.SyncBackend):
    """Connects only to addresses that passed the check, resolved once per connection, so the
    address checked is the address used."""

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        last_error: Exception | None = None
        for address in checked_addresses(host, port):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        raise last_error or httpcore.ConnectError(f"no address for {host}")


# httpcore's errors as the httpx errors callers catch (the public exception types of both).
_ERRORS: list[tuple[type[Exception], type[httpx.HTTPError]]] = [
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.TimeoutException, httpx.TimeoutException),
]


@contextmanager
def _as_httpx_errors(request: httpx.Request) -> Iterator[None]:
    try:
        yield
    except httpcore.UnsupportedProtocol as exc:
        raise httpx.UnsupportedProtocol(str(exc), request=request) from exc
    except Exception as exc:
        for core, mapped in _ERRORS:
            if isinstance(exc, core):
                raise mapped(str(exc), request=request) from exc
        raise


class _Body(httpx.SyncByteStream):
    def __init__(self, stream, request: httpx.Request) -> None:
        self._stream, self._request = stream, request

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors(self._request):
            yield from self._stream

    def close(self) -> None:
        if hasattr(self._stream, "close"):
            self._stream.close()


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport over an httpcore connection pool that connects through
    GuardedBackend: public APIs of both libraries, no patched internals."""

    def __init__(self) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=20,
            max_keepalive_connections=10,
            keepalive_expiry=5.0,
            retries=0,
            network_backend=GuardedBackend(),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors(request):
            response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(response.stream, request),
            extensions=response.extensions,
        )

    def close_idle(self, url: str) -> None:
        """Close the idle connections to ``url``'s origin. After a body, the connection is
        not reused: a server that sent more than its Content-Length left bytes on it that
        the next request would read as its own response."""
        parts = httpx.URL(url)
        origin = httpcore.Origin(
            scheme=parts.raw_scheme,
            host=parts.raw_host,
            port=parts.port or (443 if parts.scheme == "https" else 80),
        )
        for connection in self._pool.connections:
            if connection.is_idle() and connection.can_handle_request(origin):
                connection.close()

    def close(self) -> None:
        self._pool.close()


_transport: GuardedTransport | None = None
_client: httpx.Client | None = None


def client() -> httpx.Client:
    """One client per process: keep-alive connections to hosts serving several feeds."""
    global _client, _transport
    if _client is None:
        _transport = GuardedTransport()
        _client = httpx.Client(
            transport=_transport,
            follow_redirects=False,
            trust_env=False,  # a proxy from the environment would bypass the address check
            headers={
                "User-Agent": settings.FEED_USER_AGENT,
                "Accept": "application/atom+xml, application/rss+xml, application/rdf+xml, "
                "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
                "Accept-Encoding": "gzip, deflate",
            },
        )
    return _client


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):g} MiB"
    return f"{count / 1024:g} KiB"


class _Decoder:
    """Content-Encoding decoding with a hard cap on the decoded size (no gzip bombs)."""

    def __init__(self, encoding: str, cap: int) -> None:
        self.cap = cap
        self.size = 0
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._zlib = None
        elif encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib or raw, auto-detected
        else:
            raise FetchError(f"unsupported Content-Encoding {encoding!r}")

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.cap:
            raise FetchError(f"body larger than {_size(self.cap)}")
        return data

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        if self._zlib is None:
            yield self._count(chunk)
            return
        data = chunk
        try:
            while data:
                # Never ask zlib for more than the cap allows: a bomb stops at the cap.
                yield self._count(self._zlib.decompress(data, self.cap - self.size + 1))
                data = self._zlib.unconsumed_tail
        except zlib.error as exc:
            raise FetchError(f"corrupt compressed body: {exc}") from None

    def flush(self) -> bytes:
        return self._count(self._zlib.flush()) if self._zlib is not None else b""


def _read_body(response: httpx.Response, deadline: float, cap: int) -> bytes:
    decoder = _Decoder(response.headers.get("content-encoding", ""), cap)
    parts: list[bytes] = []
    # No chunk size: httpx would gather 64 KiB before yielding, and a server trickling a byte
    # a second would never reach the deadline check below.
    for chunk in response.iter_raw():
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {settings.FEED_TIMEOUT:g} s")
        parts.extend(decoder.feed(chunk))
    parts.append(decoder.flush())
    return b"".join(parts)


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> FetchResult:
    """GET a feed, following up to FEED_MAX_REDIRECTS redirects.

    Returns the final response (any status; 304 has no body). Raises FetchError for what
    leaves no response to judge: refused addresses, timeouts, oversized bodies, redirect
    loops, connection failures.
    """
    started = time.monotonic()
    deadline = started + settings.FEED_TIMEOUT
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    seen = [url]
    all_permanent = True
    for _ in range(settings.FEED_MAX_REDIRECTS + 1):
        try:
            check_url(current, resolve_host=False)
        except UnsafeURL as exc:
            raise FetchError(str(exc)) from None
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"timed out after {settings.FEED_TIMEOUT:g} s")
        timeout = httpx.Timeout(
            min(remaining, settings.FEED_TIMEOUT),
            connect=min(remaining, settings.FEED_CONNECT_TIMEOUT),
        )
        request = client().build_request("GET", current, headers=headers, timeout=timeout)
        try:
            response = client().send(request, stream=True)
        except UnsafeURL as exc:
            raise FetchError(str(exc)) from None
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {settings.FEED_TIMEOUT:g} s") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{exc.__class__.__name__}: {exc}".rstrip(": ")) from None
        try:
            if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                target = urljoin(current, response.headers["location"].strip())
                if urlsplit(target).scheme not in ("http", "https"):
                    raise FetchError(f"redirect to a non-http URL: {target[:200]}")
                if target in seen:
                    raise FetchError(f"redirect loop at {target[:200]}")
                all_permanent = all_permanent and response.status_code in PERMANENT_REDIRECTS
                seen.append(target)
                current = target
                continue
            body = b""
            if response.status_code == 200:
                try:
                    body = _read_body(response, deadline, settings.FEED_MAX_BYTES)
                finally:
                    response.close()
                    _transport.close_idle(current)
            return FetchResult(
                status=response.status_code,
                url=current,
                headers={k.lower(): v for k, v in response.headers.items()},
                body=body,
                permanent_url=current if len(seen) > 1 and all_permanent else None,
                redirects=seen[1:],
                elapsed=time.monotonic() - started,
            )
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {settings.FEED_TIMEOUT:g} s") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{exc.__class__.__name__}: {exc}") from None
        finally:
            response.close()
    raise FetchError(f"more than {settings.FEED_MAX_REDIRECTS} redirects")
