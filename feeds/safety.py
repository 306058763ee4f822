"""Which hosts a feed URL may reach. Checked when a feed is added and again at connect time
on every request and redirect, so a name that later resolves elsewhere (DNS rebinding) is
caught where it matters: at the socket."""

from __future__ import annotations

import ipaddress
import socket
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from urllib.parse import urlsplit

from django.conf import settings

ALLOWED_SCHEMES = ("http", "https")


class UnsafeURL(ValueError):
    """A URL we refuse to fetch; the message says why in words an operator understands."""


class Unresolvable(UnsafeURL):
    """The host does not resolve from here now: not unsafe in itself (the address is checked
    again at every connect), just not checkable yet."""


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def private_host_allowed(host: str, port: int) -> bool:
    """True when FEED_ALLOW_PRIVATE_HOSTS names this host (any port) or host:port."""
    host = host.lower().strip("[]")
    for entry in settings.FEED_ALLOW_PRIVATE_HOSTS:
        entry = entry.lower()
        if entry == host or entry == f"{host}:{port}" or entry == f"[{host}]:{port}":
            return True
    return False


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6:
        # IPv6 forms that carry an IPv4 address are judged by it: ::ffff:127.0.0.1 is
        # loopback, 6to4's 2002:7f00:1:: reaches 127.0.0.1, Teredo carries its client.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public_address(str(embedded)):
            return False
        if embedded is not None and ip.ipv4_mapped:
            ip = embedded
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


# getaddrinfo has no timeout of its own and a dead resolver holds it for seconds per name;
# lookups run here so the caller can stop waiting (the thread ends when the resolver does).
_resolver = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dns")


def resolve(host: str, port: int) -> list[str]:
    lookup = _resolver.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = lookup.result(timeout=settings.FEED_DNS_TIMEOUT)
    except FutureTimeout:
        raise Unresolvable(
            f"cannot resolve {host}: no answer within {settings.FEED_DNS_TIMEOUT:g} s"
        ) from None
    except socket.gaierror as exc:
        raise Unresolvable(f"cannot resolve {host}: {exc.strerror}") from None
    addresses: list[str] = []
    for *_, sockaddr in infos:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    return addresses


def checked_addresses(host: str, port: int) -> list[str]:
    """The addresses we may connect to for host:port, or UnsafeURL.

    Every address a name resolves to must be public: a name answering with one public and
    one private address is refused rather than trusted half-way.
    """
    addresses = resolve(host, port)
    if private_host_allowed(host, port):
        return addresses
    for address in addresses:
        if not is_public_address(address):
            raise UnsafeURL(
                f"{host} resolves to {address}, a loopback, private, link-local or reserved "
                "address (allow it with FEED_ALLOW_PRIVATE_HOSTS)"
            )
    return addresses


def check_url(url: str, *, resolve_host: bool = True) -> str:
    """Validate a user-supplied feed URL: http(s), a host, and (optionally) public addresses."""
    if len(url) > 2000:
        raise UnsafeURL("the URL is longer than 2000 characters")
    try:
        parts = urlsplit(url.strip())
        port = parts.port or _default_port(parts.scheme)
    except ValueError as exc:
        raise UnsafeURL(f"not a valid URL: {exc}") from None
    if not parts.scheme:
        shown = url.strip()[:80]
        hint = f" (did you mean https://{shown}?)" if "." in shown and " " not in shown else ""
        raise UnsafeURL(
            f"“{shown}” is not a web address: a feed's address starts with https:// or "
            f"http://{hint}"
        )
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeURL(f"only http and https feeds are supported, not {parts.scheme}:")
    if not parts.hostname:
        raise UnsafeURL("the URL has no host")
    if parts.username or parts.password:
        raise UnsafeURL("URLs with credentials are not accepted")
    if resolve_host:
        checked_addresses(parts.hostname, port)
    return parts.geturl()
