"""Turning feed bytes into clean entries: feedparser for the formats, nh3 for the HTML."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser
import nh3
from w3lib.url import canonicalize_url, safe_url_string, url_query_cleaner

from talent.text import plain_line, strip_controls

# A narrow allowlist: text structure and links. No classes, styles, ids, data-* or hx-*
# attributes survive, so nothing from a feed can drive htmx or scripts on our pages.
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "cite",
    "code",
    "em",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "strong",
    "sub",
    "sup",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "q": {"cite"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

TRACKING_PARAMETERS = [
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "utm_id",
    "utm_name",
    "utm_brand",
    "utm_social",
    "utm_social-type",
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "yclid",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "ocid",
    "cmpid",
    "sr_share",
    "ref_src",
    "ref_url",
    "rss",
    "at_medium",
    "at_campaign",
]
MAX_URL = 2000
MAX_TEXT = 200_000  # characters kept of one entry's content
_SPACE = re.compile(r"\s+")


_URL_ATTRIBUTES = {"href", "cite"}


def clean_html(value: str, *, base_url: str = "") -> str:
    """Sanitize feed HTML; relative links are made absolute against ``base_url`` (the entry's
    page) so they never point into our own site."""
    if not value:
        return ""

    def absolute(tag: str, attribute: str, url: str) -> str | None:
        if attribute not in _URL_ATTRIBUTES:
            return url
        joined = urljoin(base_url, url.strip()) if base_url else url.strip()
        return joined if urlsplit(joined).scheme.lower() in ALLOWED_SCHEMES else None

    cleaned = nh3.clean(
        value[:MAX_TEXT],
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=absolute,
    )
    return strip_controls(cleaned).strip()


def plain_text(value: str) -> str:
    """Text with every tag removed and entities decoded; the templates escape it on output."""
    if not value:
        return ""
    text = html.unescape(nh3.clean(value[:MAX_TEXT], tags=set()))
    return _SPACE.sub(" ", plain_line(text)).strip()


def safe_link(value: str | None) -> str:
    value = strip_controls(value or "").strip()
    if not value or len(value) > MAX_URL:
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    # Stored as a URL is written on the wire: "<", quotes, spaces and non-ASCII
    # percent-encoded (the host in punycode), so no page or message shows their raw form.
    try:
        value = safe_url_string(value)
    except ValueError:
        return ""
    return value if len(value) <= MAX_URL else ""


def canonical_url(link: str) -> str:
    """The link without tracking parameters, fragment or default port, with sorted query:
    the same article reached through several feeds gets the same canonical URL."""
    if not link:
        return ""
    cleaned = url_query_cleaner(link, TRACKING_PARAMETERS, remove=True, keep_fragments=False)
    canonical = canonicalize_url(cleaned, keep_fragments=False)
    parts = urlsplit(canonical)
    netloc = parts.hostname or ""
    if parts.port and parts.port != (443 if parts.scheme == "https" else 80):
        netloc = f"{netloc}:{parts.port}"
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, netloc, path, parts.query, ""))[:MAX_URL]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class ParsedEntry:
    guid: str
    link: str
    canonical_url: str
    title: str
    summary: str
    content: str
    author: str
    published_at: dt.datetime
    published_guessed: bool
    content_hash: str
    dedupe_key: str


@dataclass
class ParsedFeed:
    title: str
    site_url: str
    version: str
    fetched_at: dt.datetime
    entries: list[ParsedEntry] = field(default_factory=list)
    problem: str = ""  # what a malformed feed got wrong; empty when it parsed cleanly
    skipped: list[str] = field(default_factory=list)

    @property
    def is_feed(self) -> bool:
        return bool(self.version) or bool(self.entries)


def _timestamp(entry, fetched_at: dt.datetime) -> tuple[dt.datetime, bool]:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                when = dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)
            except (OverflowError, ValueError, OSError):
                continue
            # A date far in the future or before the web is a broken clock, not news.
            if dt.datetime(1995, 1, 1, tzinfo=dt.UTC) <= when <= fetched_at + dt.timedelta(days=2):
                return when, False
    return fetched_at, True


def _entry(raw, fetched_at: dt.datetime, base_url: str) -> ParsedEntry:
    title = plain_text(raw.get("title", ""))[:2000]
    link = safe_link(urljoin(base_url, raw.get("link") or "") if raw.get("link") else "")
    summary = clean_html(raw.get("summary", ""), base_url=link or base_url)
    content = ""
    for part in raw.get("content") or []:
        if part.get("value"):
            content = clean_html(part["value"], base_url=link or base_url)
            break
    if content == summary:
        content = ""
    guid = strip_controls(raw.get("id") or "").strip()[:MAX_URL]
    author = plain_text(raw.get("author", ""))[:500]
    published_at, guessed = _timestamp(raw, fetched_at)
    content_hash = sha256(f"{title}\n{content or summary}")
    if guid:
        key = sha256(f"guid:{guid}")
    elif link:
        key = sha256(f"link:{link}")
    else:
        key = sha256(f"hash:{content_hash}")
    return ParsedEntry(
        guid=guid,
        link=link,
        canonical_url=canonical_url(link),
        title=title,
        summary=summary,
        content=content,
        author=author,
        published_at=published_at,
        published_guessed=guessed,
        content_hash=content_hash,
        dedupe_key=key,
    )


class ParseCrash(Exception):
    """feedparser raised on the document, and neither repairing the bytes nor reading the
    entries one by one recovered anything. ``reason`` is recorded on the feed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _feedparser(body: bytes, headers: dict[str, str]):
    return feedparser.parse(
        body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )


def _describe(exc: BaseException) -> str:
    return f"{exc.__class__.__name__}: {exc}"[:300]


# What makes feedparser itself raise on real documents (it should set bozo, and does not):
# numeric character references outside Unicode or XML (chr() fails, or a surrogate fails to
# encode), control characters, and DOCTYPE internal subsets whose entity values its rewrite
# feeds to re.sub as a template (a backslash there is "bad escape").
_CHARREF = re.compile(rb"&#(?:[xX]([0-9A-Fa-f]{1,16})|([0-9]{1,20}));?")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.DOTALL | re.IGNORECASE)
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def _xml_char(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def repair_feed_bytes(body: bytes) -> tuple[bytes, list[str]]:
    """Drop what no XML document may contain and what crashes feedparser; say what was
    dropped. Text that survives is unchanged, so entries keep their guids and links."""
    notes: list[str] = []
    dropped = 0

    def charref(match: re.Match) -> bytes:
        nonlocal dropped
        hex_digits, decimal = match.groups()
        code = int(hex_digits, 16) if hex_digits else int(decimal)
        if _xml_char(code):
            return match.group(0)
        dropped += 1
        return b""

    repaired = _CHARREF.sub(charref, body)
    if dropped:
        notes.append(f"dropped {dropped} invalid character reference{'s' * (dropped > 1)}")
    # Raw control bytes are only safe to drop in byte-oriented encodings; UTF-16 and UTF-32
    # are full of zero bytes that belong to the text.
    if not repaired.startswith(_WIDE_BOMS) and b"\x00<" not in repaired[:4]:
        repaired, count = _CONTROL_BYTES.subn(b"", repaired)
        if count:
            notes.append(f"dropped {count} control character{'s' * (count > 1)}")
    repaired, count = _DOCTYPE_SUBSET.subn(b"", repaired)
    if count:
        notes.append("dropped the DOCTYPE's entity declarations")
    return repaired, notes


_ENTRY_ELEMENT = re.compile(rb"<(item|entry)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_ROOT_ELEMENT = re.compile(rb"<(rss|feed|rdf:RDF)\b[^>]*>", re.IGNORECASE)


def _wrappers(body: bytes, first: re.Match, last: re.Match) -> list[tuple[bytes, bytes]]:
    """Documents to put one entry in: the feed's own head and tail, then a bare root
    element (keeping its namespace declarations) in case the head is what crashes."""
    wrappers = [(body[: first.start()], body[last.end() :])]
    root = _ROOT_ELEMENT.search(body, 0, first.start())
    if root:
        name = root.group(1).decode("ascii")
        if name.lower() == "rss":
            wrappers.append((root.group(0) + b"<channel>", b"</channel></rss>"))
        else:
            wrappers.append((root.group(0), f"</{name}>".encode("ascii")))
    return wrappers


def _parse_entry_by_entry(body: bytes, headers: dict[str, str]):
    """Parse each <item>/<entry> in a document of its own; keep those that parse.
    Returns (a parse of the channel with the surviving entries, notes) or None."""
    spans = list(_ENTRY_ELEMENT.finditer(body))
    if not spans:
        return None
    for head, tail in _wrappers(body, spans[0], spans[-1]):
        try:
            channel = _feedparser(head + tail, headers)
        except Exception:  # noqa: BLE001 - this head crashes too; try a bare one
            continue
        entries, notes = [], []
        for position, span in enumerate(spans, start=1):
            try:
                single = _feedparser(head + span.group(0) + tail, headers)
            except Exception as exc:  # noqa: BLE001 - feedparser raises anything
                notes.append(f"entry {position}: the parser crashed on it ({_describe(exc)})")
                continue
            entries.extend(single.get("entries", []))
        if entries:
            channel["entries"] = entries
            return channel, notes
    return None


def _parse_resiliently(body: bytes, headers: dict[str, str]):
    """feedparser on the bytes; when it raises, once more on repaired bytes, then entry by
    entry. Returns (result, warning, skipped) or raises ParseCrash."""
    try:
        return _feedparser(body, headers), "", []
    except Exception as exc:  # noqa: BLE001 - feedparser raises anything on odd documents
        crash = _describe(exc)
    repaired, notes = repair_feed_bytes(body)
    repairs = f" ({'; '.join(notes)})" if notes else ""
    if notes:
        try:
            parsed = _feedparser(repaired, headers)
            return parsed, f"the parser crashed ({crash}); read after repair{repairs}", []
        except Exception:  # noqa: BLE001
            pass
    salvaged = _parse_entry_by_entry(repaired, headers)
    if salvaged is None:
        raise ParseCrash(f"the parser crashed ({crash}); nothing could be read{repairs}")
    parsed, skipped = salvaged
    warning = f"the parser crashed ({crash}); read entry by entry{repairs}"
    return parsed, warning, skipped


def parse_feed(
    body: bytes, headers: dict[str, str], *, fetched_at: dt.datetime, base_url: str = ""
) -> ParsedFeed:
    """Parse bytes with the response headers (for the declared charset). Keeps what parses
    from a malformed feed and says what was wrong; skips entries with nothing to store.
    When feedparser itself raises, retries on repaired bytes and then entry by entry, and
    raises ParseCrash only when nothing can be read.

    feedparser's own sanitizer and URI resolver are off: nh3 does both, faster and with a
    narrower allowlist (they were half of the parse time).
    """
    parsed, crash_warning, skipped = _parse_resiliently(body, headers)
    info = parsed.get("feed", {})
    problems = [crash_warning] if crash_warning else []
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        problems.append(f"{exc.__class__.__name__}: {exc}" if exc else "malformed feed")
    result = ParsedFeed(
        title=plain_text(info.get("title", ""))[:500],
        site_url=safe_link(info.get("link")),
        version=parsed.get("version", "") or "",
        fetched_at=fetched_at,
        problem="; ".join(problems)[:1000],
        skipped=list(skipped),
    )
    seen: set[str] = set()
    for position, raw in enumerate(parsed.get("entries", []), start=1):
        entry = _entry(raw, fetched_at, base_url)
        if not (entry.title or entry.summary or entry.content or entry.link):
            result.skipped.append(f"entry {position}: no title, text or link")
            continue
        if entry.dedupe_key in seen:  # the same guid twice in one document
            result.skipped.append(f"entry {position}: repeats an earlier entry's id")
            continue
        seen.add(entry.dedupe_key)
        result.entries.append(entry)
    return result
