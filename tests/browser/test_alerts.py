"""A reader follows a company in Chromium, confirms through the mailed link, gets the alert
for a newly approved move, and unsubscribes with one click."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from talent.alerts.models import Follow
from tests import factories as f
from tests.talent.alerts.conftest import approve, parsed

pytestmark = pytest.mark.browser


@pytest.fixture
def tasks_inline():
    """Tasks run where they are enqueued (no worker in this test), so mail lands in
    Django's test outbox."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _link(body: str, name: str) -> str:
    return re.search(rf"https?://\S+/alerts/{name}/\S+/", body).group(0)


@pytest.fixture
def page(browser, live_server):
    """A page in a browser set to Paris time."""
    context = browser.new_context(base_url=live_server.url, timezone_id="Europe/Paris")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_follow_confirm_receive_and_unsubscribe_in_one_click(
    page, live_server, transactional_db, tasks_inline, settings
):
    settings.SITE_URL = live_server.url
    openai, _ = f.org("OpenAI"), f.org("Anthropic")
    jan = f.person("Jan Leike")
    f.stint(jan, openai, "2021-01", "present")

    page.goto("/companies/anthropic/")
    form = page.locator("#follow")
    form.get_by_label("E-mail").fill("reader@example.org")
    form.get_by_role("button", name="Follow").click()
    expect(page.locator("#follow")).to_contain_text("Check your inbox")

    from talent.alerts.models import Subscriber

    # Digests come at the reader's hour: the browser's time zone came with the request.
    assert Subscriber.objects.get().timezone == "Europe/Paris"
    (confirmation,) = mail.outbox
    assert confirmation.to == ["reader@example.org"]
    page.goto(_link(confirmation.body, "confirm"))
    expect(page.locator("main")).to_contain_text("Anthropic")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".messages")).to_contain_text("Confirmed: 1 follow started")
    expect(page.locator("table.alerts")).to_contain_text("Anthropic")

    approve(
        "join",
        "Jan Leike",
        from_org="OpenAI",
        to_org="Anthropic",
        evidence="Jan Leike joins Anthropic from OpenAI.",
    )
    alerts = [m for m in mail.outbox if m is not confirmation]
    (alert,) = alerts
    assert alert.subject.startswith("Jan Leike joined Anthropic from OpenAI")
    assert "Jan Leike joins Anthropic from OpenAI." in alert.body
    header = str(parsed(alert)["List-Unsubscribe"]).strip()
    one_click = re.match(r"<([^>]+)>", header).group(1)
    assert one_click.startswith(live_server.url)

    page.goto(one_click)
    expect(page.locator("h1")).to_have_text("Stop these alerts?")
    assert Follow.objects.get().state == "active"  # opening the link changed nothing
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.locator("h1")).to_have_text("Unsubscribed")
    assert Follow.objects.get().state == "stopped"

    approve("join", "Someone Else", to_org="Anthropic")
    assert len(mail.outbox) == 2  # nothing more
