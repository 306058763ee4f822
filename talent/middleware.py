"""Request hygiene applied once, before any view: no field or parameter carries control
characters into a query (PostgreSQL refuses NUL in text; the rest are never wanted)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from talent.http import error_response
from talent.text import has_controls

REFUSED = (
    "The request contained control characters (such as NUL), which no field accepts. "
    "Remove them and try again."
)


def _carries_controls(data) -> bool:
    return any(
        has_controls(key) or any(has_controls(value) for value in values)
        for key, values in data.lists()
    )


class RefuseControlCharacters:
    """Answers 400 with a clear message when a query parameter or form field holds a
    control character, and drops cookies that do (a browser cannot be asked to fix those;
    a session key with NUL would otherwise reach the database)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in [n for n, v in request.COOKIES.items() if has_controls(n) or has_controls(v)]:
            del request.COOKIES[name]
        if _carries_controls(request.GET) or (
            request.method == "POST" and _carries_controls(request.POST)
        ):
            return error_response(request, 400, REFUSED, title="Not accepted")
        return self.get_response(request)


def _client_address(remote: str, forwarded: str, trusted: list) -> str:
    """The first address, from the right of X-Forwarded-For, that is not one of our own
    proxies: proxies append, so everything left of it may have been written by anyone."""
    if not forwarded or not _in(remote, trusted):
        return remote
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if not _in(hop, trusted):
            return hop
    return remote


def _in(address: str, networks: list) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


class RealClientAddress:
    """Behind the reverse proxies named in TRUSTED_PROXIES, REMOTE_ADDR becomes the client's
    address from X-Forwarded-For, so rate limits count clients, not the proxy. From any
    other peer the header is ignored: a client cannot pick its own address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = [ipaddress.ip_network(n, strict=False) for n in settings.TRUSTED_PROXIES]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.trusted:
            request.META["REMOTE_ADDR"] = _client_address(
                request.META.get("REMOTE_ADDR", ""),
                request.META.get("HTTP_X_FORWARDED_FOR", ""),
                self.trusted,
            )
        return self.get_response(request)


class PermissionsPolicy:
    """Pages use no camera, microphone, location or the like: say so to the browser."""

    POLICY = (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
        "interest-cohort=(), browsing-topics=()"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.POLICY)
        return response


class ReadsFromReplica:
    """GET and HEAD of public pages and the API read from the replica (config/db.py);
    curators' pages, the admin and alerts' management read what they just wrote."""

    PRIMARY_ONLY = ("/admin/", "/review/", "/feeds/", "/alerts/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = "replica" in settings.DATABASES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            self.enabled
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(self.PRIMARY_ONLY)
        ):
            from config.db import reading_from_replica

            with reading_from_replica():
                return self.get_response(request)
        return self.get_response(request)
