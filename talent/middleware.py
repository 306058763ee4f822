"""Request hygiene applied once, before any view: no field or parameter carries control
characters into a query (PostgreSQL refuses NUL in text; the rest are never wanted)."""

from __future__ import annotations

from collections.abc import Callable

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
