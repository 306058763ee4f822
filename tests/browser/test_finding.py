"""Issue 13's acceptance in Chromium: the timeline's lines under its labels at both widths,
typo search, the moves filter by an organization's name, and the review queue paging on
with its count following each decision."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from talent.models import Announcement
from tests.browser.pages import extra_world

pytestmark = pytest.mark.browser

GEOMETRY = """() => {
  const labels = [...document.querySelectorAll('.timeline-years text')]
    .filter(t => getComputedStyle(t).display !== 'none');
  const lines = [...document.querySelectorAll('.timeline-track line.gridline')]
    .filter(l => getComputedStyle(l).display !== 'none');
  const center = el => { const b = el.getBoundingClientRect(); return b.left + b.width / 2; };
  const boxes = labels.map(t => t.getBoundingClientRect());
  return {
    labels: labels.map(t => ({year: t.dataset.year, x: center(t)})),
    lines: lines.map(l => ({year: l.dataset.year, x: l.getBoundingClientRect().left})),
    overlaps: boxes.slice(1).filter((b, i) => b.left < boxes[i].right).length,
  };
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_every_gridline_lies_under_its_year_label(browser, live_server, demo_world, width):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.goto("/people/andrej-karpathy/")
    found = page.evaluate(GEOMETRY)
    labels = {label["year"]: label["x"] for label in found["labels"]}
    assert len(labels) >= 3
    assert found["overlaps"] == 0, "year labels run together"
    years_with_lines = set()
    for line in found["lines"]:
        assert line["year"] in labels, f"a gridline for {line['year']} has no label"
        assert abs(line["x"] - labels[line["year"]]) < 1.5, line
        years_with_lines.add(line["year"])
    assert years_with_lines == set(labels)  # and every label has its line
    if width == 390:
        assert len(labels) <= 6  # thinned to fit
    # Each bar takes keyboard focus and says its dates and title.
    page.keyboard.press("Tab")
    track = page.locator(".timeline-track").first
    track.focus()
    expect(track).to_be_focused()
    expect(track.locator(".bar-tip")).to_be_visible()
    expect(track.locator(".bar-tip")).to_contain_text("Research scientist")
    expect(track).to_have_attribute("aria-label", re.compile(r"Dec 2015 – Jun 2017"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_a_typo_still_finds_the_person_and_arrow_keys_reach_the_results(page, demo_world):
    page.goto("/")
    assert page.locator("input[type=search]").count() == 1  # one search box
    box = page.get_by_label("Search people, companies and teams")
    box.press_sequentially("Karpaty", delay=30)
    result = page.locator("#search-results").get_by_role("link", name="Andrej Karpathy")
    expect(result).to_be_visible()
    expect(page.locator("#search-results")).to_contain_text("Member of Technical Staff")
    page.keyboard.press("ArrowDown")
    expect(result).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()


def test_the_moves_filter_takes_an_organizations_name(page, demo_world):
    page.goto("/moves/")
    page.evaluate("window.__marker = 'same page'")
    field = page.get_by_label("Organization")
    field.press_sequentially("Anthro", delay=30)
    expect(page.locator("#f-company-options option[value='Anthropic']")).to_have_count(1)
    field.fill("Anthropic")
    field.dispatch_event("change")
    expect(page).to_have_url(re.compile(r"company=Anthropic"))
    expect(page.locator(".filter-summary")).to_contain_text("at Anthropic")
    moves = page.locator("#move-list .move")
    expect(moves.first).to_be_visible()
    for text in moves.all_inner_texts():
        assert "Anthropic" in text
    page.get_by_label("Kind").select_option(label="foundings")
    expect(page.locator(".filter-summary")).to_contain_text("at Anthropic, foundings only")
    expect(page.locator("#move-list .move-join")).to_have_count(0)
    for text in moves.all_inner_texts():
        assert "founded" in text
    assert page.evaluate("window.__marker") == "same page"
    page.reload()  # the filters live in the address
    expect(page.get_by_label("Organization")).to_have_value("Anthropic")
    expect(page.get_by_label("Kind")).to_have_value("founding")


def test_the_review_queue_pages_on_and_its_count_follows_each_decision(
    page, live_server, demo_world, curator, log_in
):
    world = extra_world(curator)
    log_in(curator)
    total = Announcement.objects.filter(state=Announcement.State.PENDING).count()
    assert total > 20
    page.goto("/review/")
    count = page.locator("#pending-count")
    expect(count).to_have_text(str(total))
    cards = page.locator(".review-card")
    expect(cards).to_have_count(20)
    approve = page.locator(".review-card button.approve").first
    reject = page.locator(".review-card button.reject").first
    colours = [
        b.evaluate("el => getComputedStyle(el).backgroundColor + getComputedStyle(el).color")
        for b in (approve, reject)
    ]
    assert colours[0] != colours[1]

    # The conflicting card offers "apply anyway" and "edit" in place.
    conflict = page.locator(f"#ann-{world['conflict'].pk}")
    conflict.get_by_role("button", name="✓ Approve").click()
    expect(conflict).to_contain_text("Not applied")
    expect(conflict.get_by_role("button", name="Apply anyway")).to_be_visible()
    expect(conflict.get_by_role("link", name="Edit")).to_be_visible()
    expect(count).to_have_text(str(total))

    first = page.locator(".review-card:not(.has-conflicts)").first
    first_id = first.get_attribute("id")
    first.get_by_role("button", name="✓ Approve").click()
    expect(page.locator(f"#{first_id}")).to_contain_text("opened a stint at Anthropic")
    expect(count).to_have_text(str(total - 1))
    second = page.locator(".review-card:not(.decided):not(.has-conflicts)").first
    second_id = second.get_attribute("id")
    second.get_by_label("Reason to reject").fill("Not a real person")
    second.get_by_role("button", name="✕ Reject").click()
    expect(page.locator(f"#{second_id}")).to_contain_text("rejected: Not a real person")
    expect(count).to_have_text(str(total - 2))

    page.get_by_role("link", name=re.compile("Next")).click()
    expect(page).to_have_url(re.compile(r"/review/\?after=\d+"))
    later = page.locator(".review-card")
    expect(later.first).to_be_visible()
    assert later.count() == total - 2 - 18
