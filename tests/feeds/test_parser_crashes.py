"""Documents on which feedparser itself raises (instead of setting bozo): each is read as far
as it can be, recorded on its feed, and never stops the feeds polled after it."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from feeds.models import Feed
from feeds.parse import parse_feed, repair_feed_bytes
from tests.feeds.server import items, rss

pytestmark = pytest.mark.django_db

GEO = 'xmlns:georss="http://www.georss.org/georss" xmlns:gml="http://www.opengis.net/gml"'
# A GML point whose EPSG code is not a number: feedparser's int() raises on it.
BAD_POINT = (
    '<georss:where><gml:Point srsName="urn:ogc:def:crs:EPSG:north">'
    "<gml:pos>52.5 13.4</gml:pos></gml:Point></georss:where>"
)


def _with_title(body: bytes, old: str, new: str) -> bytes:
    return body.replace(old.encode(), new.encode(), 1)


def _out_of_range_reference() -> bytes:
    # &#99999999; is beyond Unicode: feedparser's chr() raises ValueError.
    return _with_title(rss(items(3, prefix="ref")), "Story ref 1", "Story ref 1 &#99999999; !")


def _surrogate_reference() -> bytes:
    # A surrogate gets past chr() and fails when feedparser encodes it.
    return _with_title(rss(items(2, prefix="sur")), "Story sur 0", "Story sur 0 &#xD800;")


def _doctype_with_backslash() -> bytes:
    # feedparser rewrites entity declarations through re.sub, which reads "\\d" as an escape.
    body = rss(items(2, prefix="dtd"), title="Saved in &where;")
    return body.replace(
        b'<rss version="2.0">',
        b'<!DOCTYPE rss [\n<!ENTITY where "C:\\data">\n]>\n<rss version="2.0">',
        1,
    )


def _one_entry_crashes() -> bytes:
    body = rss(items(3, prefix="geo")).replace(b'<rss version="2.0">', f"<rss {GEO}>".encode())
    return body.replace(b"<guid>geo-1</guid>", b"<guid>geo-1</guid>" + BAD_POINT.encode(), 1)


def _nothing_readable() -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0" {GEO}><channel><title>Geo</title>'
        f"{BAD_POINT}</channel></rss>"
    ).encode()


CRASHING = {
    "/reference.rss": _out_of_range_reference,
    "/surrogate.rss": _surrogate_reference,
    "/doctype.rss": _doctype_with_backslash,
    "/one-bad-entry.rss": _one_entry_crashes,
    "/hopeless.rss": _nothing_readable,
}


@pytest.mark.parametrize("path", sorted(CRASHING))
def test_feedparser_really_raises_on_each_document(path):
    # The premise of this module: if feedparser stops raising, these tests test nothing.
    import feedparser

    with pytest.raises(Exception):  # noqa: B017 - any exception is the point
        feedparser.parse(CRASHING[path](), sanitize_html=False, resolve_relative_uris=False)


def _poll_all() -> str:
    out = StringIO()
    call_command("pollfeeds", "--now", stdout=out, stderr=out)
    return out.getvalue()


def test_a_crashing_feed_is_recorded_and_the_run_goes_on(feed_server):
    healthy_before = Feed.objects.create(
        url=feed_server.add("/a.rss", body=rss(items(2, prefix="a")))
    )
    for path, document in CRASHING.items():
        Feed.objects.create(url=feed_server.add(path, body=document()))
    healthy_after = Feed.objects.create(
        url=feed_server.add("/z.rss", body=rss(items(4, prefix="z")))
    )

    output = _poll_all()

    assert output.splitlines()[-1] == f"polled {len(CRASHING) + 2} feeds, 1 with errors"
    assert healthy_before.entries.count() == 2 and healthy_after.entries.count() == 4

    def feed(path: str) -> Feed:
        return Feed.objects.get(url=feed_server.url(path))

    # Repaired bytes: every entry read, a warning says what was dropped.
    recovered = feed("/reference.rss")
    assert recovered.last_status == Feed.Status.OK and recovered.entries.count() == 3
    assert recovered.entries.get(guid="ref-1").title == "Story ref 1 !"
    assert "parser crashed (ValueError" in recovered.parse_warning
    assert "dropped 1 invalid character reference" in recovered.parse_warning
    assert feed("/surrogate.rss").entries.count() == 2
    assert "entity declarations" in feed("/doctype.rss").parse_warning
    assert feed("/doctype.rss").entries.count() == 2

    # Entry by entry: the one that crashes is skipped with its reason, the others kept.
    partial = feed("/one-bad-entry.rss")
    assert set(partial.entries.values_list("guid", flat=True)) == {"geo-0", "geo-2"}
    assert "entry 2: the parser crashed on it" in partial.parse_warning

    # Nothing readable: an error on the feed, with a backoff, shown on the feed.
    hopeless = feed("/hopeless.rss")
    assert hopeless.last_status == Feed.Status.ERROR and hopeless.consecutive_errors == 1
    assert hopeless.last_error.startswith("the parser crashed (ValueError")
    assert hopeless.next_poll_at > timezone.now() + dt.timedelta(minutes=4)
    assert "the parser crashed" in output

    # A second run (every feed due again) stores nothing more.
    counts = {f.pk: f.entries.count() for f in Feed.objects.all()}
    Feed.objects.update(next_poll_at=timezone.now())
    _poll_all()
    assert {f.pk: f.entries.count() for f in Feed.objects.all()} == counts
    assert feed("/hopeless.rss").consecutive_errors == 2


def test_the_failing_feed_shows_its_error_on_the_health_page(feed_server, client, curator):
    Feed.objects.create(url=feed_server.add("/hopeless.rss", body=_nothing_readable()))
    _poll_all()
    client.force_login(curator)
    page = client.get("/feeds/").content.decode()
    assert "1 error in a row: the parser crashed (ValueError" in page


def test_repair_keeps_valid_references_and_wide_encodings():
    body = b"<t>&#233; &#x1F600; &#0; &#x110000; &#9;</t>\x01"
    repaired, notes = repair_feed_bytes(body)
    assert repaired == b"<t>&#233; &#x1F600;   &#9;</t>"
    assert notes == ["dropped 2 invalid character references", "dropped 1 control character"]
    utf16 = '<?xml version="1.0" encoding="utf-16"?><rss/>'.encode("utf-16")
    assert repair_feed_bytes(utf16) == (utf16, [])


def test_control_characters_never_reach_stored_text():
    body = _with_title(
        rss(items(1, prefix="c")), "<guid>c-0</guid>", "<guid>c-0&#0;&#7;</guid>"
    ).replace(b"Story c 0", b"Story &#1; c 0")
    parsed = parse_feed(body, {}, fetched_at=timezone.now())
    [entry] = parsed.entries
    assert entry.guid == "c-0" and entry.title == "Story c 0"
