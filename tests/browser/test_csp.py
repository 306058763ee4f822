"""The Content-Security-Policy allows only our own scripts and styles, and every page,
the admin included, works under it (the page fixture fails on any violation)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_pages_send_a_policy_without_inline_script_or_style(client, db):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_the_admin_works_under_the_policy(page, log_in, demo_world, curator):
    log_in(curator)
    page.goto("/admin/")
    expect(page.get_by_role("link", name="People")).to_be_visible()
    page.goto("/admin/talent/person/?q=karpathy")
    page.get_by_role("link", name="Andrej Karpathy").click()
    expect(page.get_by_label("Name:")).to_have_value("Andrej Karpathy")
    page.goto("/admin/talent/announcement/")
    expect(page.get_by_role("heading", name="Select announcement to change")).to_be_visible()


def test_htmx_swaps_work_under_the_policy(page, demo_world):
    page.goto("/")
    page.locator("#home-q").press_sequentially("karpa", delay=30)
    expect(
        page.locator("#search-results").get_by_role("link", name="Andrej Karpathy")
    ).to_be_visible()
