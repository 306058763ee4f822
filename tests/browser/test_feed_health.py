from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feeds.models import Feed

pytestmark = pytest.mark.browser


def test_a_curator_sees_a_broken_feed_and_retries_it_in_place(
    page, live_server, log_in, transactional_db, curator
):
    broken = Feed.objects.create(
        url="https://news.example.org/broken.xml",
        title="Broken Wire",
        consecutive_errors=4,
        last_status=Feed.Status.ERROR,
        last_error="HTTP 503",
        last_error_at=timezone.now(),
        next_poll_at=timezone.now() + timezone.timedelta(hours=6),
    )
    Feed.objects.create(url="https://news.example.org/fine.xml", title="Fine Wire")
    log_in(curator)

    page.goto("/feeds/")
    row = page.locator(f"#feed-{broken.pk}")
    expect(row).to_contain_text("4 errors in a row: HTTP 503")
    expect(page.locator("tbody tr").first).to_contain_text("Broken Wire")  # failing first
    page.evaluate("window.__marker = 'same page'")

    row.get_by_role("button", name="Retry now").click()
    expect(page.locator(f"#feed-{broken.pk}")).to_contain_text("due now")
    # Swapped in place by htmx: no navigation happened.
    assert page.evaluate("window.__marker") == "same page"
    broken.refresh_from_db()
    assert broken.next_poll_at <= timezone.now()


def test_adding_a_private_address_shows_the_reason(
    page, live_server, log_in, transactional_db, curator
):
    log_in(curator)
    page.goto("/feeds/")
    page.get_by_label("Add a feed").fill("http://169.254.169.254/latest/")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("alert")).to_contain_text("169.254.169.254")
    assert not Feed.objects.exists()
