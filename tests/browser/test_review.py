from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from talent.models import Announcement, Precision
from talent.resolve import Gazetteer
from talent.services import MoveInput, SourceInput, announcement_record
from tests import factories as f

pytestmark = pytest.mark.browser

SOURCE_URL = "https://news.example.org/kingma-joins-anthropic"


def test_a_curator_approves_by_keyboard_and_the_move_shows_everywhere(
    page, live_server, log_in, transactional_db, curator
):
    kingma = f.person("Durk Kingma")
    google = f.org("Google")
    f.org("Anthropic")
    f.stint(kingma, google, "2021", "present", title="Research scientist")
    decoy, _ = announcement_record(
        move=MoveInput(
            kind="join", person="Someone Unrelated", to_org="Nowhere Labs", confidence=0.2
        ),
        source=SourceInput(
            url="https://news.example.org/x",
            publisher="X",
            evidence="Someone Unrelated joins Nowhere Labs.",
        ),
        gazetteer=Gazetteer.load(),
    )
    announcement, _ = announcement_record(
        move=MoveInput(
            kind="join",
            person="Durk Kingma",
            from_org="Google",
            to_org="Anthropic",
            date=dt.date(2024, 10, 1),
            date_precision=Precision.MONTH,
            confidence=0.95,
        ),
        source=SourceInput(
            url=SOURCE_URL,
            publisher="Example News",
            title="Kingma joins Anthropic",
            evidence="Durk Kingma said he is joining Anthropic after years at Google.",
        ),
        gazetteer=Gazetteer.load(),
    )
    log_in(curator)

    page.goto("/review/")
    card = page.locator(f"#ann-{announcement.pk}")
    expect(card).to_contain_text("Durk Kingma")
    expect(card.locator("mark").first).to_have_text("Durk Kingma")
    page.evaluate("window.__marker = 'same page'")

    # "e" opens the edit form in the card; saving swaps the corrected card back in.
    page.keyboard.press("j")
    page.keyboard.press("e")
    form = card.locator("form.edit-form")
    expect(form).to_be_visible()
    form.get_by_label("Title").fill("Member of technical staff")
    form.get_by_role("button", name="Save").click()
    expect(page.locator(f"#ann-{announcement.pk}")).to_contain_text("Member of technical staff")
    assert page.evaluate("window.__marker") == "same page"

    page.locator(f"#ann-{announcement.pk}").focus()
    expect(card).to_be_focused()
    expect(page.locator(f"#ann-{announcement.pk}")).to_be_focused()
    page.keyboard.press("a")
    expect(page.locator(f"#ann-{announcement.pk}")).to_contain_text("approved")
    expect(page.locator(f"#ann-{decoy.pk}")).to_be_focused()  # on to the next
    assert page.evaluate("window.__marker") == "same page"  # swapped, not reloaded

    page.keyboard.press("r")
    page.keyboard.type("Not a real company")
    page.keyboard.press("Enter")
    expect(page.locator(f"#ann-{decoy.pk}")).to_contain_text("rejected: Not a real company")
    announcement.refresh_from_db(), decoy.refresh_from_db()
    assert announcement.state == Announcement.State.APPROVED
    assert decoy.state == Announcement.State.REJECTED

    page.goto("/people/durk-kingma/")
    current = page.locator(".stint.current")
    expect(current).to_contain_text("Anthropic")
    expect(current).to_contain_text("Oct 2024 – present")
    expect(current).to_contain_text("Member of technical staff")
    expect(current.locator(f'a[href="{SOURCE_URL}"]')).to_be_visible()

    page.goto("/companies/anthropic/")
    joins = page.locator("section", has=page.get_by_role("heading", name="Recent joins"))
    expect(joins.locator(".move", has_text="Durk Kingma")).to_contain_text("Google")
    expect(joins.locator(f'a.source[href="{SOURCE_URL}"]')).to_have_count(1)

    page.goto("/companies/google/")
    departures = page.locator("section", has=page.get_by_role("heading", name="Recent departures"))
    expect(departures.locator(".move", has_text="Durk Kingma")).to_contain_text(
        re.compile("Anthropic")
    )
