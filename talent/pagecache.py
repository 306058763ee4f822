"""Cached page sections: what a public page shows is rendered once per version of the data
and served from the cache until a write changes it.

Templates wrap their costly part in Django's ``{% cache %}`` with ``data_version`` (and
``cache_day``: "last twelve months" and "still there" move with the calendar) among the
keys; views hand them lazy values, so a cached section costs neither its queries nor its
rendering. The version is bumped by triggers in every writing transaction (DataVersion),
so a section is never stale. Forms (which carry a visitor's CSRF token) stay outside.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

# How long an unchanged section stays cached: the version makes it exact; this only
# bounds the memory an idle page holds.
SECTION_SECONDS = 6 * 3600


def lazy(build: Callable[[], Any]) -> Any:
    """A value computed the first time a template uses it, and never if the section that
    uses it comes from the cache."""
    return SimpleLazyObject(build)


def context(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the keys every cached section varies on."""
    from talent.models import DataVersion

    return {
        "data_version": lazy(DataVersion.current),
        "cache_day": timezone.localdate().isoformat(),
        "section_seconds": SECTION_SECONDS,
    }
