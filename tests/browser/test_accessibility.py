"""An accessibility pass with axe-core (from the npm registry, node_modules/axe-core) on the
main pages in Chromium: no serious or critical violations."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.pages import curator_pages, extra_world

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

MAIN_PAGES = [
    "/",
    "/search/?q=karpaty",
    "/people/",
    "/companies/",
    "/people/andrej-karpathy/",
    "/companies/anthropic/",
    "/companies/anthropic/at/?date=2024-06-30",
    "/companies/anthropic/teams/pre-training/",
    "/companies/openai/flows/?start=2015-01&end=2025-12&by=year",
    "/companies/openai/alumni/",
    "/flows/",
    "/flows/trends/",
    "/moves/?company=Anthropic",
    "/alerts/direction/?from=openai&to=anthropic",
]


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${v.id} (${v.impact}): ${v.help} — ` +
                 v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
        }"""
    )
    return result


@pytest.mark.parametrize("width", [1280, 390])
def test_the_main_pages_have_no_serious_accessibility_violations(
    browser, live_server, demo_world, curator, width
):
    assert AXE.exists(), "axe-core is missing: make setup installs it from package.json"
    world = extra_world(curator)
    # The auditor is injected into each page: the test's own script, which the pages'
    # Content-Security-Policy (rightly) refuses; every other browser test keeps it.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    found = []
    for path in MAIN_PAGES:
        page.goto(path)
        found += [f"{path}: {v}" for v in _violations(page)]
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(curator)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    for path in curator_pages(world):
        page.goto(path)
        found += [f"{path}: {v}" for v in _violations(page)]
    context.close()
    assert not found, "\n".join(found)
