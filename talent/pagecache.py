"""Cached page sections: what a public page shows is rendered once per version of the data
and served from the cache until a write changes it.

Templates wrap their costly part in Django's ``{% cache %}`` with ``data_version`` (and
``cache_day``: "last twelve months" and "still there" move with the calendar) among the
keys; views hand them lazy values, so a cached section costs neither its queries nor its
rendering. The version is bumped by triggers in every writing transaction (DataVersion),
so a section is never stale. Forms (which carry a visitor's CSRF token) stay outside.

Whole pages (``page_cache``) are kept for readers who are not signed in, and may lag a
write by at most PAGE_CACHE_GRACE seconds; signed-in users always get the page built anew.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps
from time import time as _now
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject

# How long an unchanged section stays cached: the version makes it exact; this only
# bounds the memory an idle page holds.
SECTION_SECONDS = 6 * 3600


def lazy(build: Callable[[], Any]) -> Any:
    """A value computed the first time a template uses it, and never if the section that
    uses it comes from the cache."""
    return SimpleLazyObject(build)


def data_version(request: HttpRequest) -> int:
    """The version of the data this request sees, read once per request."""
    if not hasattr(request, "_data_version"):
        from talent.models import DataVersion

        request._data_version = DataVersion.current()
    return request._data_version


def context(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the keys every cached section varies on."""
    return {
        "data_version": lazy(lambda: data_version(request)),
        "cache_day": timezone.localdate().isoformat(),
        "section_seconds": SECTION_SECONDS,
    }


# -- whole pages for readers who are not signed in ----------------------------------------

# Where a page carries its visitor's CSRF token: kept out of the cache, put back fresh.
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"x-csrftoken": ")[A-Za-z0-9]{32,64}(")')
_SENTINEL = "\x00csrf\x00"


def _personal(request: HttpRequest) -> bool:
    """A request whose page may be meant for this visitor alone: signed in, or carrying
    a session or pending messages."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def page_cache(view):
    """Serve a public page to readers who are not signed in from the cache: one query and
    one cache read instead of the page's work. A page built before the last write is
    served for at most PAGE_CACHE_GRACE seconds after it was built (0: never), so a busy
    curator does not make every reader rebuild every page after each approval; whoever is
    signed in always gets the page built for them. Each answer gets the visitor's own CSRF
    token. Errors and redirects are never cached."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "GET" or _personal(request):
            return view(request, *args, **kwargs)
        partial = request.headers.get("HX-Request") == "true" and request.headers.get(
            "HX-Request-Type"
        )
        key = "page:{}:{}:{}".format(
            timezone.localdate().isoformat(),
            partial or "full",
            hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest(),
        )
        pages = caches["template_fragments"]
        version, now = data_version(request), _now()
        cached = pages.get(key)
        if cached is not None and _usable(cached, version, now):
            _, built_at, content_type, body = cached
            token = get_token(request)
            response = HttpResponse(body.replace(_SENTINEL, token), content_type=content_type)
            response["Age"] = str(max(0, int(now - built_at)))
        else:
            response = view(request, *args, **kwargs)
            html = response.get("Content-Type", "").startswith("text/html")
            if response.status_code == 200 and html and not getattr(response, "streaming", False):
                if isinstance(response, TemplateResponse):
                    response.render()
                body = _TOKEN.sub(rf"\1{_SENTINEL}\2", response.content.decode())
                entry = (version, now, response["Content-Type"], body)
                pages.set(key, entry, SECTION_SECONDS)
        patch_vary_headers(response, ("HX-Request", "HX-Request-Type", "Cookie"))
        return response

    return wrapper


def _usable(cached: tuple, version: int, now: float) -> bool:
    """Built from this version of the data, or from an older one recently enough."""
    built_version, built_at = cached[0], cached[1]
    if built_version == version:
        return True
    return built_version < version and now - built_at < settings.PAGE_CACHE_GRACE
