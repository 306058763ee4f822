"""Polling against a real HTTP server on loopback: every answer a publisher can give ends
with the feed's state recorded and nothing already stored lost."""

from __future__ import annotations

import datetime as dt
import gzip
import threading
import time

import pytest
from django.utils import timezone

from feeds import services
from feeds.models import Entry, Feed
from tests.feeds.server import Route, items, rss

pytestmark = pytest.mark.django_db

LAST_MODIFIED = "Tue, 19 May 2026 17:05:00 GMT"


def _feed(url: str, **fields) -> Feed:
    return Feed.objects.create(url=url, **fields)


def _poll(feed: Feed) -> str:
    outcome = str(services.feed_poll(feed_id=feed.pk))
    feed.refresh_from_db()
    return outcome


def _stored_then(feed_server, path: str, route: Route) -> tuple[Feed, list[int]]:
    """A feed that stored three entries on a good poll, before the server starts to misbehave."""
    feed = _feed(feed_server.add(path, body=rss(items(3, prefix=path.strip("/")))))
    assert _poll(feed) == "stored 3"
    before = list(feed.entries.order_by("pk").values_list("pk", flat=True))
    feed_server.add(path, route)
    return feed, before


def test_a_good_feed_is_stored_with_its_metadata(feed_server, django_capture_on_commit_callbacks):
    feed = _feed(feed_server.add("/ok", body=rss(items(5), title="Wire &amp; Co")))
    with django_capture_on_commit_callbacks() as callbacks:
        assert _poll(feed) == "stored 5"
    assert len(callbacks) == 1  # extraction is enqueued once the entries are committed
    assert feed.title == "Wire & Co" and feed.site_url == "https://news.example.org/"
    assert feed.last_status == Feed.Status.OK and feed.consecutive_errors == 0
    assert feed.entries_stored == 5 and feed.polls == 1
    assert feed.next_poll_at > timezone.now()
    entry = feed.entries.get(guid="story-0")
    assert entry.link == "https://news.example.org/story/0"
    assert entry.published_at == dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    assert entry.extraction_status == Entry.Extraction.QUEUED


def test_a_second_poll_with_no_change_stores_nothing(feed_server):
    feed = _feed(feed_server.add("/same", body=rss(items(4))))
    assert _poll(feed) == "stored 4"
    assert _poll(feed) == "stored 0"
    assert feed.entries.count() == 4 and feed.entries_seen == 8


@pytest.mark.parametrize(
    ("validators", "sent"),
    [({"etag": '"v1"'}, "If-None-Match"), ({"last_modified": LAST_MODIFIED}, "If-Modified-Since")],
)
def test_an_unchanged_feed_answers_304_and_nothing_is_parsed(feed_server, validators, sent):
    feed = _feed(feed_server.add("/cond", Route(body=rss(items(2)), **validators)))
    assert _poll(feed) == "stored 2"
    assert _poll(feed) == "not-modified"
    second = feed_server.hits("/cond")[-1]
    assert sent in second.headers
    assert feed.last_status == Feed.Status.NOT_MODIFIED and feed.entries.count() == 2
    assert feed.last_success_at is not None and feed.consecutive_errors == 0


def test_a_permanent_redirect_chain_updates_the_stored_url(feed_server):
    target = feed_server.add("/new-home", body=rss(items(2)))
    feed_server.add("/hop2", status=308, headers={"Location": "/new-home"})
    old = feed_server.add("/hop1", status=301, headers={"Location": feed_server.url("/hop2")})
    feed = _feed(old)
    assert _poll(feed) == "stored 2"
    assert feed.url == target


def test_a_temporary_redirect_keeps_the_stored_url(feed_server):
    feed_server.add("/today", body=rss(items(1)))
    old = feed_server.add("/usual", status=302, headers={"Location": "/today"})
    feed = _feed(old)
    assert _poll(feed) == "stored 1"
    assert feed.url == old


def test_a_redirect_loop_is_an_error_and_keeps_entries(feed_server):
    feed, before = _stored_then(
        feed_server, "/loop-a", Route(status=301, headers={"Location": "/loop-b"})
    )
    feed_server.add("/loop-b", status=301, headers={"Location": "/loop-a"})
    assert _poll(feed).startswith("error: redirect loop")
    assert feed.consecutive_errors == 1 and "redirect loop" in feed.last_error
    assert list(feed.entries.values_list("pk", flat=True).order_by("pk")) == before


def test_more_than_ten_redirects_is_an_error(feed_server):
    for i in range(12):
        feed_server.add(f"/r{i}", status=302, headers={"Location": f"/r{i + 1}"})
    feed = _feed(feed_server.url("/r0"))
    assert _poll(feed) == "error: more than 10 redirects"


@pytest.mark.parametrize(
    ("status", "expected"), [(404, "error: HTTP 404"), (500, "error: HTTP 500")]
)
def test_http_errors_back_off_and_keep_entries(feed_server, status, expected):
    feed, before = _stored_then(feed_server, f"/e{status}", Route(status=status, body=b"oops"))
    first_error = timezone.now()
    assert _poll(feed) == expected
    assert feed.active and feed.last_status == Feed.Status.ERROR
    assert feed.last_error == f"HTTP {status}" and feed.last_error_at >= first_error
    delay_1 = feed.next_poll_at - feed.last_error_at
    assert _poll(feed) == expected
    delay_2 = feed.next_poll_at - feed.last_error_at
    assert feed.consecutive_errors == 2 and delay_2 > delay_1 * 1.5  # exponential
    assert list(feed.entries.order_by("pk").values_list("pk", flat=True)) == before


def test_backoff_is_capped_at_a_day(feed_server):
    feed = _feed(feed_server.add("/down", status=500), consecutive_errors=30)
    _poll(feed)
    assert feed.next_poll_at - feed.last_error_at <= dt.timedelta(hours=24, minutes=1)


def test_410_deactivates_the_feed_and_keeps_entries(feed_server):
    feed, before = _stored_then(feed_server, "/gone", Route(status=410))
    assert _poll(feed) == "gone: 410"
    assert not feed.active and feed.last_status == Feed.Status.GONE
    assert feed.entries.count() == len(before)
    assert str(services.feed_poll(feed_id=feed.pk)) == "inactive"


@pytest.mark.parametrize(
    ("status", "retry_after", "expected"),
    [(429, "120", dt.timedelta(seconds=120)), (503, "999999", dt.timedelta(hours=24))],
)
def test_429_and_503_honour_retry_after_capped_at_a_day(feed_server, status, retry_after, expected):
    feed = _feed(feed_server.add("/busy", status=status, headers={"Retry-After": retry_after}))
    assert _poll(feed) == f"error: HTTP {status}"
    delay = feed.next_poll_at - feed.last_error_at
    assert abs(delay - expected) < dt.timedelta(seconds=2)


def test_a_server_slower_than_the_timeout_is_an_error(feed_server, settings):
    settings.FEED_TIMEOUT = 0.5
    feed = _feed(feed_server.add("/slow", delay=2.0, body=rss(items(1))))
    assert _poll(feed) == "error: timed out after 0.5 s"
    assert feed.entries.count() == 0 and feed.consecutive_errors == 1


def test_a_trickling_server_is_cut_at_the_total_deadline(feed_server, settings):
    settings.FEED_TIMEOUT = 1.0
    feed = _feed(feed_server.add("/trickle", body=rss(items(40)), trickle=0.2))
    assert _poll(feed) == "error: timed out after 1 s"


def test_a_server_that_hangs_after_the_headers_is_cut_at_the_deadline(feed_server, settings):
    settings.FEED_TIMEOUT = 1.0
    feed, before = _stored_then(feed_server, "/hang", Route(body=rss(items(2)), hang=5.0))
    started = time.monotonic()
    assert _poll(feed) == "error: timed out after 1 s"
    assert time.monotonic() - started < 3
    assert feed.entries.count() == len(before) and feed.consecutive_errors == 1


def test_a_server_trickling_a_byte_a_second_is_cut_at_the_deadline(feed_server, settings):
    settings.FEED_TIMEOUT = 1.5
    route = Route(body=rss(items(3)), trickle=1.0, piece=1)
    started = time.monotonic()
    feed = _feed(feed_server.add("/byte", route))
    assert _poll(feed) == "error: timed out after 1.5 s"
    assert time.monotonic() - started < 4


def test_a_server_that_hangs_up_short_of_its_content_length_loses_nothing(feed_server):
    route = Route(body=rss(items(3)), content_length=100_000)
    feed, before = _stored_then(feed_server, "/liar", route)
    assert _poll(feed).startswith(
        "error: RemoteProtocolError: peer closed connection without sending complete message "
        "body (received 772 bytes, expected 100000)"
    )
    assert feed.entries.count() == len(before) and feed.consecutive_errors == 1


def test_a_content_length_shorter_than_the_body_poisons_no_other_poll(feed_server):
    liar = _feed(feed_server.add("/short", Route(body=rss(items(3)), content_length=40)))
    honest = _feed(feed_server.add("/honest", body=rss(items(2, prefix="honest"))))
    assert _poll(liar) == "error: not a feed"  # 40 bytes of a feed are not a feed
    # The rest of its body was left on a kept-alive connection to the same host: the next
    # poll must not read it as its own response.
    assert _poll(honest) == "stored 2"


def test_an_endless_body_stops_at_the_size_cap(feed_server, settings):
    settings.FEED_MAX_BYTES = 256 * 1024
    feed, before = _stored_then(feed_server, "/endless", Route(body=b"<rss>", endless=True))
    started = time.monotonic()
    assert _poll(feed) == "error: body larger than 256 KiB"
    assert time.monotonic() - started < 5
    assert feed.entries.count() == len(before) and feed.consecutive_errors == 1


def test_a_body_over_the_cap_is_refused(feed_server, settings):
    settings.FEED_MAX_BYTES = 64 * 1024
    feed, before = _stored_then(feed_server, "/big", Route(body=rss(items(1)) + b" " * 200_000))
    assert _poll(feed) == "error: body larger than 64 KiB"
    assert feed.entries.count() == len(before)


def test_a_gzip_bomb_stops_at_the_cap_after_decompression(feed_server, settings):
    settings.FEED_MAX_BYTES = 1024 * 1024
    bomb = gzip.compress(b"<rss>" + b"\0" * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 200_000
    feed = _feed(feed_server.add("/bomb", body=bomb, headers={"Content-Encoding": "gzip"}))
    assert _poll(feed) == "error: body larger than 1 MiB"


def test_a_gzipped_feed_is_decoded(feed_server):
    body = gzip.compress(rss(items(3)))
    feed = _feed(feed_server.add("/gz", body=body, headers={"Content-Encoding": "gzip"}))
    assert _poll(feed) == "stored 3"


@pytest.mark.parametrize(
    "location",
    [
        "http://10.255.255.1/feed.xml",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9/x",
    ],
)
def test_a_redirect_to_a_private_address_is_refused_before_connecting(feed_server, location):
    feed = _feed(feed_server.add("/sneaky", status=302, headers={"Location": location}))
    outcome = _poll(feed)
    assert outcome.startswith("error: ") and "private" in outcome
    assert feed.consecutive_errors == 1


def test_a_name_that_resolves_to_loopback_is_refused(feed_server):
    # The allowance names 127.0.0.1:<port>; "localhost" on the same port is not allowed.
    feed_server.add("/feed", body=rss(items(1)))
    feed = _feed(f"http://localhost:{feed_server.port}/feed")
    outcome = _poll(feed)
    assert "localhost resolves to 127.0.0.1" in outcome
    assert not feed_server.hits("/feed")


def test_entity_expansion_is_not_expanded(feed_server):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "ha">'
        + b"".join(
            b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10)
            for i in range(9)
        )
        + b']><rss version="2.0"><channel><title>&j;</title>'
        b"<item><title>Real story</title><guid>1</guid></item></channel></rss>"
    )
    feed = _feed(feed_server.add("/laughs", body=laughs))
    outcome = _poll(feed)
    # Either refused outright or kept small: never a billion laughs in the database.
    assert outcome in ("stored 1", "stored 0", "error: not a feed")
    assert len(feed.title) < 10_000
    assert all(len(e.title) < 10_000 for e in feed.entries.all())


def test_a_wrongly_declared_encoding_keeps_the_text(feed_server):
    body = rss(
        [{"title": "Karén Simonyan joins Microsoft AI", "guid": "k1"}], encoding="windows-1252"
    )
    body = body.replace(b'encoding="windows-1252"', b'encoding="utf-8"')  # the publisher lies
    feed = _feed(
        feed_server.add("/cp1252", body=body, headers={"Content-Type": "text/xml; charset=utf-8"})
    )
    outcome = _poll(feed)
    assert outcome == "stored 1"
    assert feed.entries.get().title.startswith("Kar")
    assert feed.parse_warning  # the mismatch is recorded


def test_a_legacy_encoding_declared_correctly_is_decoded(feed_server):
    body = rss([{"title": "Éric Schmidt à Paris", "guid": "e1"}], encoding="iso-8859-1")
    feed = _feed(
        feed_server.add("/latin1", body=body, headers={"Content-Type": "application/rss+xml"})
    )
    assert _poll(feed) == "stored 1"
    assert feed.entries.get().title == "Éric Schmidt à Paris"


def test_an_empty_feed_is_a_success_with_nothing_stored(feed_server):
    feed = _feed(feed_server.add("/empty", body=rss([])))
    assert _poll(feed) == "stored 0"
    assert feed.last_status == Feed.Status.OK and feed.consecutive_errors == 0


def test_html_instead_of_a_feed_is_an_error_that_says_so(feed_server):
    page = b"<!doctype html><html><head><title>Blog</title></head><body><p>Hi</p></body></html>"
    feed, before = _stored_then(
        feed_server, "/html", Route(body=page, headers={"Content-Type": "text/html"})
    )
    assert _poll(feed) == "error: not a feed"
    assert feed.last_error.startswith("not a feed (text/html)")
    assert feed.entries.count() == len(before)


def test_a_malformed_feed_keeps_what_parses_and_records_the_problem(feed_server):
    body = rss(items(2)).replace(b"</channel></rss>", b"<item><title>Broken & unescaped</title>")
    feed = _feed(feed_server.add("/bozo", body=body))
    outcome = _poll(feed)
    assert outcome.startswith("stored ")
    assert feed.entries.filter(guid__in=["story-0", "story-1"]).count() == 2
    assert feed.parse_warning


def test_the_same_article_in_two_feeds_is_extracted_once(feed_server):
    story = {
        "title": "Lab hires researcher",
        "description": "A move.",
        "guid": "a-1",
        "link": "https://news.example.org/lab-hires?utm_source=rss#top",
    }
    other = dict(story, guid="b-7", link="https://NEWS.example.org:443/lab-hires/?utm_medium=feed")
    one = _feed(feed_server.add("/one", body=rss([story])))
    two = _feed(feed_server.add("/two", body=rss([other])))
    assert _poll(one) == "stored 1" and _poll(two) == "stored 1"
    first, second = one.entries.get(), two.entries.get()
    assert first.canonical_url == second.canonical_url == "https://news.example.org/lab-hires"
    assert second.extraction_status == Entry.Extraction.DUPLICATE and second.duplicate_of == first
    assert first.extraction_status == Entry.Extraction.QUEUED


def test_entries_without_guid_are_stored_once_by_link_then_by_content(feed_server):
    by_link = {"title": "No guid", "link": "https://news.example.org/no-guid"}
    by_hash = {"title": "Nothing but a title", "description": "and a body"}
    feed = _feed(feed_server.add("/noguid", body=rss([by_link, by_hash])))
    assert _poll(feed) == "stored 2"
    assert _poll(feed) == "stored 0"


def test_an_unreadable_date_falls_back_to_the_fetch_time_and_is_flagged(feed_server):
    feed = _feed(
        feed_server.add(
            "/dates",
            body=rss(
                [
                    {"title": "Bad date", "guid": "d1", "pubDate": "the day after tomorrow"},
                    {
                        "title": "Offset date",
                        "guid": "d2",
                        "pubDate": "Tue, 19 May 2026 12:00:00 -0500",
                    },
                ]
            ),
        )
    )
    before = timezone.now()
    assert _poll(feed) == "stored 2"
    bad, offset = feed.entries.get(guid="d1"), feed.entries.get(guid="d2")
    assert bad.published_guessed and bad.published_at >= before
    assert not offset.published_guessed
    assert offset.published_at == dt.datetime(2026, 5, 19, 17, 0, tzinfo=dt.UTC)


@pytest.mark.django_db(transaction=True)
def test_a_busy_feed_is_not_polled_twice_at_once(feed_server):
    arrived, release = threading.Event(), threading.Event()
    feed = _feed(
        feed_server.add("/held", Route(body=rss(items(3)), pause_event=arrived, hold=release))
    )
    outcomes: list[str] = []

    def first_poll() -> None:
        from django.db import connection

        outcomes.append(str(services.feed_poll(feed_id=feed.pk)))
        connection.close()

    thread = threading.Thread(target=first_poll)
    thread.start()
    assert arrived.wait(10)
    assert str(services.feed_poll(feed_id=feed.pk)) == "busy: another worker is polling this feed"
    release.set()
    thread.join(20)
    assert outcomes == ["stored 3"]


def test_the_interval_adapts_to_how_often_a_feed_publishes(feed_server, settings):
    settings.FEED_MIN_INTERVAL, settings.FEED_MAX_INTERVAL = 15, 24 * 60
    hourly = [
        {"title": f"h{i}", "guid": f"h{i}", "pubDate": f"Tue, 19 May 2026 {i:02d}:00:00 GMT"}
        for i in range(10)
    ]
    daily = [
        {"title": f"d{i}", "guid": f"d{i}", "pubDate": f"{i + 1:02d} May 2026 09:00:00 GMT"}
        for i in range(10)
    ]
    busy = _feed(feed_server.add("/hourly", body=rss(hourly)))
    quiet = _feed(feed_server.add("/daily", body=rss(daily)))
    _poll(busy), _poll(quiet)
    assert busy.poll_interval == dt.timedelta(minutes=30)
    assert quiet.poll_interval == dt.timedelta(hours=12)
    # Cache-Control: max-age asks us to wait longer: we do.
    feed_server.add("/hourly", body=rss(hourly), headers={"Cache-Control": "max-age=7200"})
    _poll(busy)
    assert busy.poll_interval == dt.timedelta(hours=2)
