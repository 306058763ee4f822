from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _rows(page) -> list[str]:
    return page.locator("#periods-table tbody th").all_inner_texts()


def test_range_and_grouping_swap_chart_and_table_in_place_and_the_url_reloads(page, demo_world):
    page.goto("/companies/openai/flows/?start=2015-01&end=2024-12&by=year")
    expect(page.get_by_role("heading", name="Talent flows: OpenAI")).to_be_visible()
    expect(page.locator("#flow-chart")).to_be_visible()
    assert _rows(page)[:2] == ["2015", "2016"]
    page.evaluate("window.__marker = 'same page'")

    # Grouping by quarter: the table and chart are swapped in, the page is not reloaded.
    page.get_by_label("By").select_option("quarter")
    expect(page.locator("#periods-table tbody th").first).to_have_text("Q1 2015")
    expect(page).to_have_url(re.compile(r"by=quarter"))
    bars = page.locator("#flow-chart rect.bar-in")
    expect(bars).to_have_count(40)  # ten years of quarters
    assert page.evaluate("window.__marker") == "same page"

    # A shorter range.
    page.get_by_label("From").fill("2019-01")
    page.get_by_label("From").dispatch_event("change")
    expect(page.locator("#periods-table tbody th").first).to_have_text("Q1 2019")
    expect(bars).to_have_count(24)
    expect(page).to_have_url(re.compile(r"start=2019-01"))
    assert page.evaluate("window.__marker") == "same page"
    before = _rows(page)
    joins_before = page.locator("#periods-table tbody td:first-of-type").all_inner_texts()

    # Reloading the address shows the same view.
    page.reload()
    expect(page.get_by_label("By")).to_have_value("quarter")
    expect(page.get_by_label("From")).to_have_value("2019-01")
    assert _rows(page) == before
    assert page.locator("#periods-table tbody td:first-of-type").all_inner_texts() == joins_before
    assert page.evaluate("window.__marker") is None


def test_a_bar_stands_on_the_gridline_of_its_value(page, demo_world):
    page.goto("/companies/openai/flows/?start=2015-01&end=2024-12&by=year")
    tallest = page.evaluate(
        """() => {
          const bars = [...document.querySelectorAll('#flow-chart rect.bar-in')];
          const top = bars.reduce((a, b) => (+a.dataset.value >= +b.dataset.value ? a : b));
          const line = document.querySelector(
            `#flow-chart line.gridline[data-value="${top.dataset.value}"]`);
          const zero = document.querySelector('#flow-chart line.gridline[data-value="0"]');
          const b = top.getBoundingClientRect();
          return {value: +top.dataset.value, barTop: b.top, barBottom: b.bottom,
                  line: line ? line.getBoundingClientRect().top : null,
                  zero: zero.getBoundingClientRect().top};
        }"""
    )
    assert tallest["value"] > 0
    if tallest["line"] is not None:  # the scale has a gridline at exactly that value
        assert abs(tallest["barTop"] - tallest["line"]) < 1.5
    assert abs(tallest["barBottom"] - tallest["zero"]) < 1.5


def test_the_flows_page_fits_a_phone(browser, live_server, demo_world):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, device_scale_factor=2
    )
    page = context.new_page()
    page.goto("/companies/openai/flows/?start=2015-01&end=2024-12&by=year")
    expect(page.locator("#flow-chart")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width}px"
    chart = page.locator("#flow-chart").bounding_box()
    assert chart["width"] <= 390 and chart["width"] > 300
    context.close()
