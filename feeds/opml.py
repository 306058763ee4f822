"""OPML import and export of subscriptions."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import listparser
from django.utils import timezone

from feeds.models import Feed
from feeds.safety import Unresolvable, UnsafeURL

MAX_OPML_BYTES = 5 * 1024 * 1024


@dataclass
class ImportReport:
    added: int = 0
    existing: int = 0
    skipped: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # added, but no address from here now


def opml_feeds(document: bytes) -> list[tuple[str, str]]:
    """(url, title) pairs from an OPML document, in order. Always given bytes, so listparser
    never fetches anything itself."""
    if len(document) > MAX_OPML_BYTES:
        raise ValueError(f"OPML file larger than {MAX_OPML_BYTES // (1024 * 1024)} MiB")
    parsed = listparser.parse(document)
    if not parsed.feeds and (parsed.bozo or not parsed.version):
        reason = parsed.bozo_exception or "no <opml> document found"
        raise ValueError(f"not an OPML subscription list: {reason}")
    return [(item["url"].strip(), (item.get("title") or "").strip()) for item in parsed.feeds]


def opml_import(
    document: bytes, *, progress: Callable[[int, int, str], None] | None = None
) -> ImportReport:
    from feeds.services import feed_add

    report = ImportReport()
    entries = opml_feeds(document)
    for done, (url, title) in enumerate(entries, start=1):
        try:
            try:
                _, created = feed_add(url=url, title=title)
            except Unresolvable:
                # Not unsafe, just not checkable from here now (no DNS at import, a host
                # down): subscribe; each poll checks the addresses and shows the outcome.
                _, created = feed_add(url=url, title=title, resolve_host=False)
                report.unresolved.append(url)
        except UnsafeURL as exc:
            report.skipped.append(f"{url[:200]}: {exc}")
        else:
            if created:
                report.added += 1
            else:
                report.existing += 1
        if progress:
            progress(done, len(entries), url)
    return report


def opml_export(feeds: Iterable[Feed]) -> bytes:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "Talent Tracker subscriptions"
    ET.SubElement(head, "dateCreated").text = timezone.now().strftime("%a, %d %b %Y %H:%M:%S GMT")
    body = ET.SubElement(root, "body")
    for feed in feeds:
        attributes = {"type": "rss", "text": feed.title or feed.url, "xmlUrl": feed.url}
        if feed.title:
            attributes["title"] = feed.title
        if feed.site_url:
            attributes["htmlUrl"] = feed.site_url
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
