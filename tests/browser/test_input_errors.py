"""In Chromium: what the live search does with input the server refuses or cannot take."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from talent.middleware import REFUSED

pytestmark = pytest.mark.browser


def _type_into(page, selector: str, value: str) -> None:
    # Set the value as a paste would (past maxlength, control characters included), then
    # let htmx see the input event.
    page.locator(selector).evaluate(
        """(box, value) => {
            box.removeAttribute("maxlength");
            box.value = value;
            box.dispatchEvent(new Event("input", {bubbles: true}));
        }""",
        value,
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("karpa\u0000thy", REFUSED),
        ("k" * 5000, "Search for at most 100 characters (this has 5000)."),
        # Past the server's request-line limit: its raw "URI too long" page never shows.
        ("k" * 70_000, "That is too long. Shorten it and try again."),
    ],
    ids=["nul", "over-the-field-limit", "over-the-server-limit"],
)
def test_live_search_shows_a_message_never_an_error_page(page, demo_world, value, message):
    page.goto("/")
    expect(page.locator("#home-q")).to_have_attribute("maxlength", "100")
    _type_into(page, "#home-q", value)
    results = page.locator("#search-results")
    expect(results.locator(".error-message")).to_have_text(message)
    expect(results.locator("h1, html, title, pre")).to_have_count(0)
    assert "Error response" not in results.inner_html()

    # The box still works afterwards.
    _type_into(page, "#home-q", "karpa")
    expect(results.get_by_role("link", name="Andrej Karpathy")).to_be_visible()
