from __future__ import annotations

import datetime as dt

import pytest

from feeds.parse import canonical_url, clean_html, parse_feed, plain_text
from feeds.safety import UnsafeURL, check_url, is_public_address
from tests.feeds.server import rss

NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


def test_feed_html_loses_scripts_handlers_styles_and_htmx_attributes():
    dirty = (
        '<p onclick="steal()" style="color:red" class="x" hx-get="/admin/" data-hx-post="/x">'
        'Hello <a href="javascript:alert(1)">bad</a> <a href="https://ok.example/" hx-boost="true" '
        'target="_top">good</a><script>alert(1)</script><iframe src="https://evil.example"></iframe>'
        '<img src="https://track.example/pixel.gif"></p>'
    )
    clean = clean_html(dirty)
    for forbidden in (
        "onclick",
        "style",
        "class",
        "hx-",
        "script",
        "iframe",
        "img",
        "javascript:",
        "target",
    ):
        assert forbidden not in clean, forbidden
    assert '<a href="https://ok.example/" rel="noopener noreferrer nofollow">good</a>' in clean
    assert clean.startswith("<p>Hello")


def test_titles_become_plain_text():
    assert plain_text("<b>Lab</b> hires &amp; <i>promotes</i>\n  P") == "Lab hires & promotes P"
    assert plain_text("<script>x()</script>Title") == "Title"


@pytest.mark.parametrize(
    ("link", "canonical"),
    [
        (
            "https://News.Example.org/a/b/?utm_source=rss&utm_medium=feed#comments",
            "https://news.example.org/a/b",
        ),
        ("https://news.example.org:443/a?b=2&a=1&fbclid=xyz", "https://news.example.org/a?a=1&b=2"),
        ("http://news.example.org:8080/a", "http://news.example.org:8080/a"),
        ("", ""),
    ],
)
def test_canonical_urls_drop_tracking_fragments_and_default_ports(link, canonical):
    assert canonical_url(link) == canonical


def test_odd_unicode_survives_parsing():
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Ünïcödé ☃</title>'
        "<item><title>Zhang Wei 张伟 joins 🤖 lab\u200b</title><guid>u1</guid>"
        "<description>Right-to-left \u202etext\u202c and an emoji 🧠</description></item>"
        "</channel></rss>"
    ).encode()
    parsed = parse_feed(body, {}, fetched_at=NOW)
    assert parsed.title == "Ünïcödé ☃"
    assert "张伟" in parsed.entries[0].title


def test_entries_with_nothing_to_store_are_skipped_with_a_reason():
    body = (
        b'<rss version="2.0"><channel><title>t</title><item><guid>x</guid></item></channel></rss>'
    )
    parsed = parse_feed(body, {}, fetched_at=NOW)
    assert parsed.entries == []
    assert parsed.skipped == ["entry 1: no title, text or link"]


def test_non_http_entry_links_are_dropped():
    body = (
        b'<rss version="2.0"><channel><title>t</title><item><title>a</title>'
        b"<link>javascript:alert(1)</link></item></channel></rss>"
    )
    assert parse_feed(body, {}, fetched_at=NOW).entries[0].link == ""


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        (
            "https://evil.example/story?x=&lt;script&gt;",
            "https://evil.example/story?x=%3Cscript%3E",
        ),
        ('https://news.example/a b?q="x"', "https://news.example/a%20b?q=%22x%22"),
        ("https://bücher.example/ä", "https://xn--bcher-kva.example/%C3%A4"),
    ],
)
def test_entry_links_are_stored_percent_encoded(written, stored):
    body = (
        '<rss version="2.0"><channel><title>t</title><item><title>a</title>'
        f"<link>{written}</link></item></channel></rss>"
    ).encode()
    assert parse_feed(body, {}, fetched_at=NOW).entries[0].link == stored


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "ff02::1",
        "2002:7f00:1::",  # 6to4 carrying 127.0.0.1
        "2002:a00:1::1",  # 6to4 carrying 10.0.0.1
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo whose client is 10.0.0.1
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    ],
)
def test_private_loopback_link_local_multicast_and_reserved_addresses_are_not_public(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_public(address):
    assert is_public_address(address)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/feed", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("http://", "no host"),
        ("http://user:pw@example.org/feed", "credentials"),
        ("http://127.0.0.1/feed", "127.0.0.1"),
        ("http://localhost:8000/feed", "localhost resolves to"),
        ("http://[::1]/feed", "::1"),
        ("http://0x7f000001/feed", "127.0.0.1"),
        ("http://2130706433/feed", "127.0.0.1"),  # decimal
        ("http://0177.0.0.1/feed", "127.0.0.1"),  # octal
        ("http://127.1/feed", "127.0.0.1"),  # short form
        ("http://[::ffff:127.0.0.1]/feed", "::ffff:127.0.0.1"),
        ("http://[::ffff:7f00:1]/feed", "::ffff:127.0.0.1"),
        ("http://[2002:7f00:1::]/feed", "2002:7f00:1::"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::]/feed", "::"),
        ("http://example.org:99999/feed", "not a valid URL"),
        ("https://" + "a" * 2100 + ".org/", "longer than 2000"),
    ],
)
def test_unsafe_urls_are_refused_with_a_reason(url, reason, settings):
    settings.FEED_ALLOW_PRIVATE_HOSTS = []
    with pytest.raises(UnsafeURL, match=reason.replace("[", r"\[")):
        check_url(url)


def test_an_allowed_host_is_allowed_only_on_its_port(settings):
    settings.FEED_ALLOW_PRIVATE_HOSTS = ["127.0.0.1:8001"]
    assert check_url("http://127.0.0.1:8001/feed.rss")
    with pytest.raises(UnsafeURL):
        check_url("http://127.0.0.1:8002/feed.rss")


def test_relative_links_in_entries_become_absolute_against_the_entry_page():
    body = (
        b'<rss version="2.0"><channel><title>t</title><link>https://news.example.org/</link>'
        b"<item><title>a</title><link>/2026/05/story</link>"
        b'<description>&lt;a href="../about"&gt;about&lt;/a&gt; &lt;a href="//cdn.example.org/x"'
        b"&gt;cdn&lt;/a&gt;</description></item></channel></rss>"
    )
    entry = parse_feed(
        body, {}, fetched_at=NOW, base_url="https://news.example.org/feed.xml"
    ).entries[0]
    assert entry.link == "https://news.example.org/2026/05/story"
    assert 'href="https://news.example.org/2026/about"' in entry.summary
    assert 'href="https://cdn.example.org/x"' in entry.summary


def test_titles_and_authors_lose_hidden_bidi_and_zero_width_formatting():
    body = rss([{"title": "Lab hires Mallory&#x202E;yrollam&#x200B; Evilson", "guid": "b"}])
    [entry] = parse_feed(body, {}, fetched_at=NOW).entries
    assert entry.title == "Lab hires Malloryyrollam Evilson"
