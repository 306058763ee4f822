"""Small request helpers shared by the views of both apps."""

from __future__ import annotations

from django.http import HttpRequest


def wants_fragment(request: HttpRequest) -> bool:
    """True for an htmx request that swaps part of a page. Boosted navigation and history
    restores ask for the whole page (HX-Request-Type: full), and so do plain browsers."""
    return (
        bool(getattr(request, "htmx", False))
        and request.headers.get("HX-Request-Type") == "partial"
    )
