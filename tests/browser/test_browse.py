from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_visitor_searches_as_they_type_and_reads_a_career(page, demo_world):
    page.goto("/")
    expect(page.get_by_role("heading", name="Who moves where in AI")).to_be_visible()
    expect(page.locator(".moves .move").first).to_be_visible()

    # Live search: results appear while typing, without leaving the page.
    box = page.get_by_label("Search people, companies and teams")
    box.press_sequentially("karpa", delay=40)
    result = page.locator("#search-results").get_by_role("link", name="Andrej Karpathy")
    expect(result).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))  # still on the home page

    result.click()
    expect(page).to_have_url("/people/andrej-karpathy/")
    expect(page.get_by_role("heading", name="Andrej Karpathy", level=1)).to_be_visible()
    timeline = page.locator(".timeline")
    for org in ["OpenAI", "Tesla", "Eureka Labs", "Anthropic"]:
        expect(timeline.get_by_role("link", name=org, exact=True).first).to_be_visible()
    # One bar per stint, the Anthropic one still open.
    expect(timeline.locator(".bar")).to_have_count(5)
    expect(timeline.locator(".bar.open")).to_have_count(1)
    anthropic = page.locator(".stint.current")
    expect(anthropic).to_contain_text("Anthropic")
    expect(anthropic).to_contain_text("Pre-training")
    expect(anthropic).to_contain_text("Nick Joseph")
    expect(anthropic).to_contain_text("19 May 2026")
    expect(anthropic.locator(".evidence a").first).to_have_attribute(
        "href", re.compile(r"^https://")
    )

    anthropic.get_by_role("link", name="Anthropic", exact=True).click()
    expect(page).to_have_url("/companies/anthropic/")
    expect(page.get_by_role("heading", name="Anthropic", level=1)).to_be_visible()
    joins = page.locator("section", has=page.get_by_role("heading", name="Recent joins"))
    karpathy = joins.locator(".move", has_text="Andrej Karpathy")
    expect(karpathy).to_contain_text("Eureka Labs")  # where he came from
    expect(karpathy.locator(".source").first).to_have_attribute("href", re.compile(r"^https://"))
    now = page.locator("section", has=page.get_by_role("heading", name="People here now"))
    expect(now).to_contain_text("Nick Joseph")
    expect(page.get_by_role("link", name="Pre-training").first).to_be_visible()


def test_search_works_with_javascript_off(browser, live_server, demo_world):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Search people, companies and teams").fill("karen simonyan")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url("/search/?q=karen+simonyan")
    expect(page.get_by_role("link", name="Karén Simonyan")).to_be_visible()
    context.close()
