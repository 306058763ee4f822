"""Every page at a phone's width (390 px) and a desktop's (1280 px): nothing scrolls
sideways. The pages are listed in tests/browser/pages.py."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401 - the browser fixture's flags
from tests.browser.pages import curator_pages, extra_world, public_pages, token_pages

pytestmark = pytest.mark.browser

# What sticks out past the right edge, to say which element makes a page scroll.
OVERFLOW = """(width) => {
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1) {
      wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}` +
                ` right=${Math.round(box.right)}`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 5)};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways(browser, live_server, demo_world, curator, log_in, width):
    world = extra_world(curator)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    problems = []

    def check(path: str) -> None:
        response = page.goto(path)
        assert response is not None and response.status < 500, path
        found = page.evaluate(OVERFLOW, width)
        if found["scroll"] > width:
            problems.append(f"{path}: {found['scroll']} px wide; {found['wide']}")

    for path in public_pages() + token_pages(world):
        check(path)
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(curator)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    for path in curator_pages(world):
        check(path)
    context.close()
    assert not problems, "\n".join(problems)
