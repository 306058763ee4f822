"""Small request helpers shared by the views of both apps: fragments, and error answers that
fit wherever they land (a whole page, or a message in the part of a page htmx swaps)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

# Marks an error answer whose body is a fragment made to be swapped in place (static/js/site.js
# swaps those as they are and turns any other error body into a short message).
ERROR_FRAGMENT_HEADER = "X-Error-Fragment"


def wants_fragment(request: HttpRequest) -> bool:
    """True for an htmx request that swaps part of a page. Boosted navigation and history
    restores ask for the whole page (HX-Request-Type: full), and so do plain browsers."""
    # Read from the headers, not request.htmx, so middleware that answers before
    # django-htmx's has run (talent.middleware) can tell too.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Request-Type") == "partial"
    )


def as_error_fragment(response: HttpResponse) -> HttpResponse:
    response[ERROR_FRAGMENT_HEADER] = "1"
    return response


def error_response(
    request: HttpRequest, status: int, message: str, *, title: str = "That did not work"
) -> HttpResponse:
    """Our own error answer: a page, or for htmx a one-line message to swap in place.
    Renders without the database, so it also serves when the database is down."""
    if wants_fragment(request):
        body = render_to_string("partials/error_message.html", {"message": message})
        return as_error_fragment(HttpResponse(body, status=status))
    body = render_to_string(
        "error.html", {"title": title, "message": message, "status": status}, request=request
    )
    return HttpResponse(body, status=status)


def setting_rate(name: str):
    """A django-ratelimit rate read from settings when each request is counted, not when
    the view's module is imported (so an operator's or a test's value applies)."""
    from django.conf import settings

    def rate(group, request) -> str:
        return getattr(settings, name)

    return rate
