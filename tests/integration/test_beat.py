"""Beat, worker and web together: beat's sweep finds a due feed, the worker polls it, and the
worker's heartbeat shows on /healthz."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import redis
from django.conf import settings

from feeds.models import Entry, Feed
from talent.tasks import HEARTBEAT_KEY
from tests.feeds.server import FeedServer, items, rss
from tests.integration.conftest import (
    ROOT,
    start_worker,
    stop_worker,
    test_database_url,
    wait_until,
)

pytestmark = pytest.mark.integration


def test_beat_sweeps_due_feeds_into_polls_and_the_worker_reports_in(
    transactional_db, worker_queue, tmp_path, client
):
    server = FeedServer()
    redis.Redis.from_url(settings.REDIS_URL).delete(HEARTBEAT_KEY)
    feed = Feed.objects.create(url=server.add("/feed", body=rss(items(4))))
    env = {
        "FEED_ALLOW_PRIVATE_HOSTS": f"127.0.0.1:{server.port}",
        "BEAT_SWEEP_SECONDS": "1",
    }
    worker = start_worker(worker_queue, "--concurrency", "1", env=env)
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(tmp_path / "beat-schedule"),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": test_database_url(),
            "CELERY_QUEUE": worker_queue,
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(
            lambda: Entry.objects.filter(feed=feed).count() == 4, timeout=60, message=worker.log()
        )
        wait_until(lambda: "claimed 1" in worker.log(), message=worker.log())
        wait_until(
            lambda: (
                client.get("/healthz").json()["worker"]["last_heartbeat_seconds_ago"] is not None
            ),
            timeout=30,
            message="a heartbeat",
        )
    finally:
        beat.terminate()
        beat.wait(15)
        stop_worker(worker)
        server.close()
    feed.refresh_from_db()
    assert feed.polls == 1 and feed.last_status == Feed.Status.OK
    assert client.get("/healthz").json()["worker"]["last_heartbeat_seconds_ago"] < 60
