"""feeds/starter.opml: the curated starter subscriptions a deployment imports with
`python manage.py importopml feeds/starter.opml`. Nothing here touches the network."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from feeds import safety
from feeds.models import Feed
from feeds.opml import opml_feeds

ROOT = Path(__file__).resolve().parents[2]
STARTER = ROOT / "feeds" / "starter.opml"
CATEGORIES = {"labs", "lab-mirrors", "research", "tech-press", "newsletters", "news-search"}


def _outlines() -> list[tuple[ET.Element, ET.Element]]:
    """(folder, feed outline) pairs, read with ElementTree so duplicates stay visible
    (listparser merges outlines that share a URL)."""
    body = ET.parse(STARTER).getroot().find("body")
    assert body is not None
    pairs = []
    for folder in body.findall("outline"):
        assert folder.get("xmlUrl") is None, "feeds sit inside a category folder"
        pairs.extend((folder, outline) for outline in folder.findall("outline"))
    return pairs


def test_the_project_reader_finds_every_feed():
    feeds = opml_feeds(STARTER.read_bytes())
    assert 40 <= len(feeds) <= 70
    assert [url for url, _ in feeds] == [outline.get("xmlUrl") for _, outline in _outlines()]


def test_head_names_the_list_and_its_owner():
    head = ET.parse(STARTER).getroot().find("head")
    assert head is not None
    assert head.findtext("title", "").strip()
    assert head.findtext("dateCreated", "").strip()
    assert head.findtext("ownerName") == "Talent Tracker"


def test_every_feed_is_safe_titled_and_categorised():
    seen_categories = set()
    for folder, outline in _outlines():
        url = outline.get("xmlUrl", "")
        title = (outline.get("title") or "").strip()
        assert outline.get("type") == "rss", url
        assert title and outline.get("text") == title, url
        assert urlsplit(url).scheme == "https", url
        assert safety.check_url(url, resolve_host=False) == url
        assert urlsplit(outline.get("htmlUrl", "")).scheme in ("http", "https"), url
        assert outline.get("category") in CATEGORIES, url
        assert outline.get("category") == folder.get("category"), url
        seen_categories.add(outline.get("category"))
    assert seen_categories == CATEGORIES


def test_no_feed_url_appears_twice():
    urls = [outline.get("xmlUrl", "").lower() for _, outline in _outlines()]
    duplicates = sorted({url for url in urls if urls.count(url) > 1})
    assert duplicates == []


def test_news_searches_are_well_formed_google_news_queries():
    searches = [o.get("xmlUrl", "") for _, o in _outlines() if o.get("category") == "news-search"]
    assert len(searches) >= 10
    for url in searches:
        parts = urlsplit(url)
        assert (parts.netloc, parts.path) == ("news.google.com", "/rss/search"), url
        params = parse_qs(parts.query, strict_parsing=True)
        assert {key: values for key, values in params.items() if key != "q"} == {
            "hl": ["en-US"],
            "gl": ["US"],
            "ceid": ["US:en"],
        }, url
        (query,) = params["q"]
        assert " OR " in query and '"' not in url and " " not in url, url


@pytest.mark.django_db
def test_importopml_subscribes_to_all_once(monkeypatch, settings):
    # Importing fetches nothing. Hosts that do not resolve from here (this machine has no
    # DNS) are subscribed all the same: every poll checks the addresses it connects to.
    settings.FEED_DNS_TIMEOUT = 0.5  # a resolver that never answers costs half a second
    monkeypatch.chdir(ROOT)
    expected = dict(opml_feeds(STARTER.read_bytes()))

    def run() -> str:
        out = StringIO()
        call_command("importopml", "feeds/starter.opml", stdout=out, stderr=out)
        return out.getvalue()

    first = run()
    assert f"added {len(expected)}, already subscribed 0, skipped 0" in first
    assert dict(Feed.objects.values_list("url", "title")) == expected

    second = run()
    assert f"added 0, already subscribed {len(expected)}, skipped 0" in second
    assert Feed.objects.count() == len(expected)
