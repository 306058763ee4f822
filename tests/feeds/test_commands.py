from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from feeds.models import Feed
from tests.feeds.server import items, rss

pytestmark = pytest.mark.django_db


def _run(*args, **kwargs) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=out, **kwargs)
    return out.getvalue()


def test_addfeed_subscribes_once(feed_server):
    url = feed_server.add("/a", body=rss(items(1)))
    assert _run("addfeed", url).startswith("added: feed")
    assert _run("addfeed", url).startswith("already subscribed")
    assert Feed.objects.filter(url=url).count() == 1


def test_addfeed_refuses_unsafe_urls_with_the_reason():
    with pytest.raises(CommandError, match="resolves to 127.0.0.1"):
        _run("addfeed", "http://localhost/feed")
    with pytest.raises(CommandError, match="only http and https"):
        _run("addfeed", "gopher://example.org/")
    assert not Feed.objects.exists()


def test_pollfeeds_now_prints_one_line_per_feed(feed_server):
    good = feed_server.add("/good", body=rss(items(3)))
    bad = feed_server.add("/bad", status=500)
    _run("addfeed", good), _run("addfeed", bad)
    output = _run("pollfeeds", "--now")
    lines = output.splitlines()
    assert any(line.startswith("ok") and "3 new" in line and good in line for line in lines)
    assert any(line.startswith("error") and bad in line for line in lines)
    assert "HTTP 500" in output
    assert lines[-1] == "polled 2 feeds, 1 with errors"


def test_pollfeeds_url_polls_only_that_feed(feed_server):
    one = feed_server.add("/one", body=rss(items(2)))
    two = feed_server.add("/two", body=rss(items(2)))
    _run("addfeed", one), _run("addfeed", two)
    assert "polled 1 feeds" in _run("pollfeeds", "--now", "--url", two)
    assert Feed.objects.get(url=one).polls == 0
    with pytest.raises(CommandError, match="no feed with URL"):
        _run("pollfeeds", "--now", "--url", "https://example.org/unknown")


def test_pollfeeds_without_now_enqueues(feed_server, django_capture_on_commit_callbacks):
    _run("addfeed", feed_server.add("/q", body=rss(items(1))))
    with django_capture_on_commit_callbacks() as callbacks:
        assert _run("pollfeeds").strip() == "enqueued 1 polls"
    assert len(callbacks) == 1


def test_opml_round_trip_with_progress_and_reasons(tmp_path, feed_server):
    good = feed_server.add("/good", body=rss(items(1)))
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        f'<outline text="Good" type="rss" xmlUrl="{good}"/>'
        '<outline text="Folder"><outline text="Local" type="rss" xmlUrl="http://127.0.0.1:9/x"/>'
        '<outline text="FTP" type="rss" xmlUrl="ftp://example.org/feed"/></outline>'
        "</body></opml>"
    )
    output = _run("importopml", str(opml))
    assert "importing 3/3" in output
    assert "added 1, already subscribed 0, skipped 2" in output
    assert "skipped http://127.0.0.1:9/x:" in output and "only http and https" in output
    assert "added 0, already subscribed 1, skipped 2" in _run("importopml", str(opml))
    exported = _run("exportopml")
    assert exported.startswith("<?xml") and f'xmlUrl="{good}"' in exported


def test_importopml_rejects_what_is_not_opml(tmp_path):
    junk = tmp_path / "junk.opml"
    junk.write_bytes(b"\x00\x01 not xml at all <<<")
    with pytest.raises(CommandError):
        _run("importopml", str(junk))
    with pytest.raises(CommandError, match="cannot read"):
        _run("importopml", str(tmp_path / "missing.opml"))


def test_loaddemofeeds_registers_the_demo_feeds_once(settings):
    settings.FEED_ALLOW_PRIVATE_HOSTS = ["127.0.0.1:8001"]
    _run("loaddemofeeds", "http://127.0.0.1:8001/")
    output = _run("loaddemofeeds", "http://127.0.0.1:8001")
    assert output.count("kept demo feed") == 3 and Feed.objects.count() == 3


def test_importopml_subscribes_unresolvable_hosts_and_still_refuses_private_ones(tmp_path):
    opml = tmp_path / "list.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        '<outline type="rss" text="Nowhere" xmlUrl="https://feeds.nowhere.invalid/rss"/>'
        '<outline type="rss" text="Loop" xmlUrl="http://localhost:9/feed"/>'
        "</body></opml>"
    )
    output = _run("importopml", str(opml))
    assert "added 1, already subscribed 0, skipped 1" in output
    assert "1 hosts do not resolve from here now" in output
    assert "localhost" in output and "resolves to 127.0.0.1" in output
    assert list(Feed.objects.values_list("url", flat=True)) == ["https://feeds.nowhere.invalid/rss"]
    with pytest.raises(CommandError, match="cannot resolve feeds.nowhere.invalid"):
        _run("addfeed", "https://feeds.nowhere.invalid/other")
