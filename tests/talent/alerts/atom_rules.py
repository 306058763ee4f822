"""The rules of RFC 4287 (Atom 1.0) a feed reader relies on, checked on a parsed document.

No schema validator is installed offline, so the schema's constraints are spelled out here:
element cardinalities, IRIs for ids, RFC 3339 dates, link attributes, authors.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _one(parent: ET.Element, name: str, where: str) -> ET.Element:
    found = parent.findall(f"{ATOM}{name}")
    assert len(found) == 1, f"{where} must have exactly one atom:{name}, has {len(found)}"
    return found[0]


def _iri(text: str | None, where: str) -> None:
    assert text and text == text.strip(), f"{where}: empty id"
    assert urlsplit(text).scheme, f"{where}: id {text!r} is not an absolute IRI"


def _date(element: ET.Element, where: str) -> None:
    assert RFC3339.match(element.text or ""), f"{where}: {element.text!r} is not RFC 3339"


def _links(parent: ET.Element, where: str) -> list[ET.Element]:
    links = parent.findall(f"{ATOM}link")
    seen = set()
    for link in links:
        assert link.get("href"), f"{where}: a link without href"
        key = (link.get("rel", "alternate"), link.get("type"), link.get("hreflang"))
        if key[0] == "alternate":
            assert key not in seen, f"{where}: two alternate links of one type and language"
            seen.add(key)
    return links


def validate(document: bytes) -> ET.Element:
    """Parse and check; returns the feed element. Raises AssertionError naming the rule."""
    feed = ET.fromstring(document)
    assert feed.tag == f"{ATOM}feed", "the root must be atom:feed"
    _iri(_one(feed, "id", "feed").text, "feed")
    assert (_one(feed, "title", "feed").text or "").strip(), "feed: empty title"
    _date(_one(feed, "updated", "feed"), "feed")
    links = _links(feed, "feed")
    assert any(link.get("rel") == "self" for link in links), "feed: no rel=self link"
    feed_has_author = bool(feed.findall(f"{ATOM}author"))
    ids = set()
    for index, entry in enumerate(feed.findall(f"{ATOM}entry")):
        where = f"entry {index}"
        entry_id = _one(entry, "id", where).text
        _iri(entry_id, where)
        assert entry_id not in ids, f"{where}: id {entry_id} repeats"
        ids.add(entry_id)
        _one(entry, "title", where)
        _date(_one(entry, "updated", where), where)
        for published in entry.findall(f"{ATOM}published"):
            _date(published, where)
        entry_links = _links(entry, where)
        has_content = bool(entry.findall(f"{ATOM}content"))
        assert has_content or any(
            link.get("rel", "alternate") == "alternate" for link in entry_links
        ), f"{where}: no content and no alternate link"
        assert len(entry.findall(f"{ATOM}summary")) <= 1, f"{where}: several summaries"
        assert feed_has_author or entry.findall(f"{ATOM}author"), f"{where}: no author"
        for author in entry.findall(f"{ATOM}author") + feed.findall(f"{ATOM}author"):
            _one(author, "name", f"{where} author")
    return feed
