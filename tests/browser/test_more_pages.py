from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from talent.models import Correction

pytestmark = pytest.mark.browser


def test_team_page_date_page_and_move_filters(page, demo_world):
    page.goto("/companies/anthropic/teams/pre-training/")
    expect(page.get_by_role("heading", name="Pre-training", level=1)).to_be_visible()
    members = page.locator(".timeline")
    expect(members.get_by_role("link", name="Andrej Karpathy", exact=True)).to_be_visible()
    expect(members.get_by_role("link", name="Nick Joseph", exact=True)).to_be_visible()

    # Who was at Tesla in mid-2020: the list updates in place as the date changes.
    page.goto("/companies/tesla/at/?date=2020-06-30")
    people = page.locator("#people-on")
    expect(people).to_contain_text("Andrej Karpathy")
    page.evaluate("window.__marker = 'same page'")
    page.locator("#at-date").fill("2024-01-15")
    page.locator("#at-date").dispatch_event("change")
    expect(people).not_to_contain_text("Andrej Karpathy")
    expect(page).to_have_url(re.compile(r"date=2024-01-15"))
    assert page.evaluate("window.__marker") == "same page"

    # Moves filtered by kind, swapped in place.
    page.goto("/moves/")
    page.get_by_label("Kind").select_option("founding")
    expect(page.locator("#move-list .move").first).to_contain_text("founded")
    expect(page.locator("#move-list .move-join")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"kind=founding"))


def test_a_reader_suggests_a_correction_in_place(page, demo_world):
    from django.core.cache import cache

    cache.clear()  # rate-limit counters from earlier runs must not block this reader
    page.goto("/people/andrej-karpathy/")
    page.get_by_text("Suggest a correction").click()
    page.get_by_label("What is wrong, and what is right?").fill(
        "He started at Anthropic on 19 May 2026."
    )
    page.get_by_role("button", name="Send correction").click()
    expect(page.get_by_role("status")).to_contain_text("a curator will look at your correction")
    assert Correction.objects.get().person.slug == "andrej-karpathy"
