"""Polling through a real Celery worker on the real Redis, against a loopback feed server."""

from __future__ import annotations

import os
import signal
import subprocess
import threading

import pytest

from feeds.models import Entry, Feed
from feeds.tasks import poll_feed
from tests.feeds.server import FeedServer, Route, items, rss
from tests.integration.conftest import start_worker, stop_worker, wait_until

pytestmark = pytest.mark.integration


@pytest.fixture
def server():
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def feed_worker(transactional_db, worker_queue, server):
    """A worker allowed to reach the test's loopback feed server, with two pool processes."""
    worker = start_worker(
        worker_queue,
        "--concurrency",
        "2",
        env={"FEED_ALLOW_PRIVATE_HOSTS": f"127.0.0.1:{server.port}"},
    )
    yield worker
    stop_worker(worker)


def _feed(url: str) -> Feed:
    return Feed.objects.create(url=url)


def _polls_done(worker, count: int):
    return lambda: worker.log().count("feeds.tasks.poll_feed[") >= count * 2  # received + result


def test_two_polls_of_one_feed_at_once_store_each_entry_once(feed_worker, server):
    arrived, release = threading.Event(), threading.Event()
    feed = _feed(server.add("/feed", Route(body=rss(items(20)), pause_event=arrived, hold=release)))

    poll_feed.delay(feed.pk)
    assert arrived.wait(30), feed_worker.log()
    poll_feed.delay(feed.pk)  # lands on the second pool process while the first is mid-fetch
    wait_until(lambda: "busy" in feed_worker.log(), message=f"a busy poll\n{feed_worker.log()}")
    release.set()
    wait_until(lambda: "stored 20" in feed_worker.log(), message=f"the poll\n{feed_worker.log()}")

    feed.refresh_from_db()
    assert feed.entries.count() == 20 and feed.entries_stored == 20 and feed.polls == 1
    assert Entry.objects.filter(feed=feed).values("dedupe_key").distinct().count() == 20


def test_polling_again_after_no_change_parses_and_stores_nothing(feed_worker, server):
    feed = _feed(server.add("/feed", etag='"same"', body=rss(items(5))))
    poll_feed.delay(feed.pk)
    wait_until(lambda: "stored 5" in feed_worker.log(), message=feed_worker.log())
    poll_feed.delay(feed.pk)
    wait_until(lambda: "not-modified" in feed_worker.log(), message=feed_worker.log())
    feed.refresh_from_db()
    assert feed.entries.count() == 5 and feed.polls == 2
    assert feed.last_status == Feed.Status.NOT_MODIFIED
    assert server.hits("/feed")[-1].headers.get("If-None-Match") == '"same"'
    # The new entries' extraction ran on the worker too.
    wait_until(
        lambda: not feed.entries.filter(extraction_status=Entry.Extraction.QUEUED).exists(),
        message="extraction tasks to run",
    )


def _pool_children(worker) -> list[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(worker.process.pid)], capture_output=True, text=True
    ).stdout.split()
    return [int(pid) for pid in found]


def test_a_worker_killed_mid_poll_loses_nothing_and_ends_as_one_clean_poll(
    transactional_db, worker_queue, server
):
    arrived, release = threading.Event(), threading.Event()
    first_attempt = True

    def route() -> Route:
        nonlocal first_attempt
        if first_attempt:  # the first attempt hangs mid-body until the worker is killed
            first_attempt = False
            return Route(body=rss(items(12)), pause_event=arrived, hold=release)
        return Route(body=rss(items(12)))

    feed = _feed(server.add("/feed", route))
    worker = start_worker(
        worker_queue,
        "--concurrency",
        "1",
        env={"FEED_ALLOW_PRIVATE_HOSTS": f"127.0.0.1:{server.port}"},
    )
    try:
        poll_feed.delay(feed.pk)
        assert arrived.wait(30), worker.log()
        children = _pool_children(worker)
        assert children, worker.log()
        for pid in children:
            os.kill(pid, signal.SIGKILL)
        release.set()
        # The message was not acknowledged: it comes back and a fresh process polls again.
        wait_until(lambda: "stored 12" in worker.log(), timeout=60, message=worker.log())
    finally:
        stop_worker(worker)
    assert "WorkerLostError" in worker.log() or "SIGKILL" in worker.log()
    feed.refresh_from_db()
    assert feed.entries.count() == 12 and feed.entries_stored == 12
    assert feed.polls == 1 and feed.consecutive_errors == 0 and feed.last_status == Feed.Status.OK
    assert len(server.hits("/feed")) == 2


def test_a_demo_feed_entry_becomes_a_resolved_announcement_through_the_worker(feed_worker, server):
    from pathlib import Path

    from django.core.management import call_command

    from talent.models import Announcement

    call_command("loaddemo", verbosity=0)
    document = (
        Path(__file__).resolve().parents[2] / "feeds" / "demo" / "lab-dispatch.atom"
    ).read_bytes()
    feed = _feed(
        server.add(
            "/lab-dispatch.atom", body=document, headers={"Content-Type": "application/atom+xml"}
        )
    )
    poll_feed.delay(feed.pk)
    wait_until(
        lambda: (
            not Entry.objects.filter(feed=feed)
            .exclude(extraction_status=Entry.Extraction.DONE)
            .exists()
            and Entry.objects.filter(feed=feed).exists()
        ),
        timeout=60,
        message=f"the entries to be extracted\n{feed_worker.log()}",
    )
    announcement = Announcement.objects.get(person__slug="andrej-karpathy", kind="join")
    assert announcement.to_org.slug == "anthropic"
    assert announcement.manager.slug == "nick-joseph"
    assert announcement.sources.filter(publisher="Lab Dispatch").exists()
    assert not Entry.objects.filter(feed=feed, extraction_status=Entry.Extraction.FAILED).exists()


def test_entries_left_waiting_are_swept_into_extraction(feed_worker):
    import datetime as dt

    from django.utils import timezone

    from feeds.tasks import extract_pending
    from talent.models import Announcement

    feed = Feed.objects.create(url="https://wire.example.org/feed", title="Wire")
    Entry.objects.create(
        feed=feed,
        dedupe_key="old",
        link="https://wire.example.org/old",
        title="Anthropic hires Jan Leike",
        published_at=timezone.now() - dt.timedelta(days=1),
        fetched_at=timezone.now() - dt.timedelta(hours=1),
        content_hash="old",
        extraction_status=Entry.Extraction.WAITING,
    )
    assert extract_pending() == "enqueued 1"
    wait_until(
        lambda: Announcement.objects.filter(person_name="Jan Leike").exists(),
        message=feed_worker.log(),
    )
    assert Entry.objects.get(dedupe_key="old").extraction_status == Entry.Extraction.DONE


def test_a_feed_that_crashes_the_parser_is_recorded_by_the_worker(feed_worker, server):
    from tests.feeds.test_parser_crashes import _nothing_readable

    feed = _feed(server.add("/hopeless.rss", body=_nothing_readable()))
    poll_feed.delay(feed.pk)
    wait_until(
        lambda: Feed.objects.get(pk=feed.pk).consecutive_errors == 1,
        message=f"the error on the feed\n{feed_worker.log()}",
    )
    feed.refresh_from_db()
    assert feed.last_error.startswith("the parser crashed")
    assert "raised unexpected" not in feed_worker.log()  # the task itself did not fail
    assert f"feed {feed.pk}: the parser crashed" in feed_worker.log()
