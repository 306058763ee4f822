"""Faults on a whole running tracker (gunicorn, worker, beat) over project-local PostgreSQL
and Redis that these tests stop and start: each ends with nothing lost and the system
working again by itself."""

from __future__ import annotations

import contextlib
import json
import signal
from pathlib import Path

import pytest

from tests.feeds.server import FeedServer, items, rss
from tests.integration.stack import Stack, wait_for

pytestmark = pytest.mark.integration

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


@pytest.fixture(scope="module")
def stack():
    stack = Stack()
    stack.manage("loaddemo")
    try:
        yield stack
    finally:
        stack.close()


def test_pages_answer_503_while_postgres_is_down_and_recover_by_themselves(stack):
    stack.web()
    try:
        assert stack.get("/people/andrej-karpathy/").status == 200
        stack.postgres_stop()

        page = stack.get("/people/andrej-karpathy/")
        assert page.status == 503 and "Temporarily unavailable" in page.body
        assert page.headers.get("Retry-After") == "30"
        assert "Traceback" not in page.body and "Server Error" not in page.body
        fragment = stack.get("/search/?q=karpathy", headers=PARTIAL)
        assert fragment.status == 503 and fragment.headers.get("X-Error-Fragment") == "1"
        assert "<html" not in fragment.body and "temporarily unavailable" in fragment.body
        health = stack.get("/healthz")
        assert health.status == 503 and json.loads(health.body)["database"]["ok"] is False

        stack.postgres_start()
        # No restart of the web workers: their connections are re-opened on the next use.
        wait_for(
            lambda: stack.get("/people/andrej-karpathy/").status == 200,
            timeout=30,
            message="pages to come back",
        )
        assert stack.get("/healthz").status == 200
    finally:
        stack.stop("web")


def test_with_redis_down_pages_serve_the_health_page_says_so_and_work_resumes(stack):
    """Redis is the broker and the cache. While it is down pages serve (the cache degrades,
    rate limits fail open), an action that enqueues work does not fail (the work is due in
    PostgreSQL), and once Redis is back the worker and beat pick it up: the feed is polled
    and its entries stored once."""
    server = FeedServer()
    stack.env["FEED_ALLOW_PRIVATE_HOSTS"] = f"127.0.0.1:{server.port}"
    stack.web()
    stack.worker()
    stack.beat()
    try:
        url = server.add("/wire.rss", body=rss(items(3, prefix="wire")))
        stack.redis_stop()

        assert stack.get("/").status == 200
        assert stack.get("/companies/anthropic/").status == 200
        assert stack.get("/api/people/?limit=5").status == 200  # rate-limited, fails open
        health = json.loads(stack.get("/healthz").body)
        assert health["database"]["ok"] is True and health["redis"]["ok"] is False
        # Adding a feed enqueues its first poll: with no broker, the feed is still saved,
        # due now, for beat to sweep.
        stack.python(
            "from feeds.services import feed_add\n"
            "from config.celery import enqueue_on_commit\n"
            "from feeds.tasks import poll_feed\n"
            "from django.db import transaction\n"
            "with transaction.atomic():\n"
            f"    feed, _ = feed_add(url={url!r})\n"
            "    enqueue_on_commit(poll_feed, feed.pk)\n"
        )

        stack.redis_start()
        count = (
            "from feeds.models import Entry\n"
            f"print(Entry.objects.filter(feed__url={url!r}).count())"
        )
        wait_for(lambda: stack.python(count) == "3", timeout=90, message="the poll after Redis")
        polls = stack.python(
            f"from feeds.models import Feed\nprint(Feed.objects.get(url={url!r}).polls)"
        )
        assert polls == "1", stack.processes["worker"].log()
        assert json.loads(stack.get("/healthz").body)["redis"]["ok"] is True
    finally:
        for name in ("beat", "worker", "web"):
            stack.stop(name)
        server.close()


def test_beat_started_twice_polls_each_feed_once_within_its_interval(stack):
    server = FeedServer()
    stack.env["FEED_ALLOW_PRIVATE_HOSTS"] = f"127.0.0.1:{server.port}"
    urls = [server.add(f"/twice-{i}.rss", body=rss(items(2, prefix=f"t{i}"))) for i in range(5)]
    stack.python(
        "from feeds.services import feed_add\n"
        + "".join(f"feed_add(url={url!r})\n" for url in urls)
    )
    stack.worker()
    stack.beat("beat")
    stack.beat("beat-again")  # started twice by mistake
    try:
        polls = (
            "from feeds.models import Feed\n"
            f"print(sorted(Feed.objects.filter(url__in={urls!r}).values_list('polls', flat=True)))"
        )
        wait_for(lambda: stack.python(polls) == "[1, 1, 1, 1, 1]", timeout=90, message="polls")
        # Both beats keep sweeping every second; none of these feeds is due again for at
        # least FEED_MIN_INTERVAL, so nothing is polled twice.
        import time

        time.sleep(8)
        assert stack.python(polls) == "[1, 1, 1, 1, 1]"
        assert len(server.requests) == 5
    finally:
        for name in ("beat-again", "beat", "worker"):
            stack.stop(name)
        server.close()


def test_a_worker_killed_mid_poll_leaves_the_feed_to_be_polled_again_once(stack):
    import threading

    from tests.feeds.server import Route

    server = FeedServer()
    stack.env["FEED_ALLOW_PRIVATE_HOSTS"] = f"127.0.0.1:{server.port}"
    stack.env["FEED_CLAIM_LEASE_SECONDS"] = "5"
    arrived, release = threading.Event(), threading.Event()
    url = server.add(
        "/slow.rss", Route(body=rss(items(4, prefix="k")), pause_event=arrived, hold=release)
    )
    stack.python(f"from feeds.services import feed_add\nfeed_add(url={url!r})")
    stack.worker()
    stack.beat()
    try:
        assert arrived.wait(60), stack.processes["worker"].log()
        stack.stop("worker", signal.SIGKILL)  # mid-fetch: nothing of the poll committed
        release.set()
        server.routes["/slow.rss"] = Route(body=rss(items(4, prefix="k")))
        stack.worker("worker-2")
        count = (
            "from feeds.models import Entry, Feed\n"
            f"feed = Feed.objects.get(url={url!r})\n"
            "print(feed.entries.count(), feed.polls)"
        )
        wait_for(lambda: stack.python(count) == "4 1", timeout=90, message="the poll again")
    finally:
        for name in ("beat", "worker-2", "worker"):
            stack.stop(name)
        stack.env.pop("FEED_CLAIM_LEASE_SECONDS", None)
        server.close()


def test_a_poll_cut_by_a_postgres_restart_is_polled_again_and_stores_once(stack):
    import threading

    from tests.feeds.server import Route

    server = FeedServer()
    stack.env["FEED_ALLOW_PRIVATE_HOSTS"] = f"127.0.0.1:{server.port}"
    stack.env["FEED_CLAIM_LEASE_SECONDS"] = "5"
    arrived, release = threading.Event(), threading.Event()
    url = server.add(
        "/cut.rss", Route(body=rss(items(6, prefix="cut")), pause_event=arrived, hold=release)
    )
    stack.python(f"from feeds.services import feed_add\nfeed_add(url={url!r})")
    stack.worker()
    stack.beat()
    try:
        assert arrived.wait(60), stack.processes["worker"].log()
        stack.postgres_stop()  # the poll has its bytes coming, and nowhere to store them
        server.routes["/cut.rss"] = Route(body=rss(items(6, prefix="cut")))
        release.set()
        stack.postgres_start()
        count = (
            "from feeds.models import Entry, Feed\n"
            f"feed = Feed.objects.get(url={url!r})\n"
            "print(feed.entries.count(), Entry.objects.filter(feed=feed).values('guid')"
            ".distinct().count())"
        )
        wait_for(lambda: stack.python(count) == "6 6", timeout=120, message="entries, once")
    finally:
        for name in ("beat", "worker"):
            stack.stop(name)
        stack.env.pop("FEED_CLAIM_LEASE_SECONDS", None)
        server.close()


def test_an_approval_cut_by_a_postgres_restart_happened_entirely_or_not_at_all(stack):
    import subprocess
    import sys
    import time

    import psycopg

    pending = stack.python(
        "from talent.resolve import Gazetteer\n"
        "from talent.services import MoveInput, SourceInput, announcement_record\n"
        "a, _ = announcement_record(move=MoveInput(kind='join', person='Andrej Karpathy',"
        " from_org='Anthropic', to_org='Mistral AI'), source=SourceInput("
        "url='https://news.example.org/cut', evidence='A move, cut short.'),"
        " gazetteer=Gazetteer.load())\n"
        "print(a.pk, a.person_id)"
    )
    announcement_id, person_id = (int(v) for v in pending.split())
    state = (
        "from talent.models import Announcement, Stint\n"
        f"a = Announcement.objects.get(pk={announcement_id})\n"
        "print(a.state, Stint.objects.filter(person_id=a.person_id).count(),"
        " Stint.objects.filter(person_id=a.person_id, sources__url='https://news.example.org/cut')"
        ".distinct().count())"
    )
    before_state, stints_before, _ = stack.python(state).split()
    assert before_state == "pending"

    # Hold the person's row so the approval stops mid-transaction, its stints written but
    # not committed; then restart PostgreSQL under it.
    holder = psycopg.connect(stack.env["DATABASE_URL"], autocommit=False)
    holder.execute("SELECT 1 FROM talent_person WHERE id = %s FOR UPDATE", [person_id])
    approval = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import django; django.setup()\n"
            "from talent.models import Announcement\n"
            "from talent.services import announcement_apply\n"
            f"announcement_apply(announcement=Announcement.objects.get(pk={announcement_id}),"
            " force=True)\n",
        ],
        cwd=str(Path(__file__).resolve().parents[2]),
        env={**stack.env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with psycopg.connect(stack.env["DATABASE_URL"], autocommit=True) as watcher:
            wait_for(
                lambda: watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                ).fetchone()[0],
                timeout=60,
                message="the approval to wait on the person's row",
            )
        stack.postgres_stop()
        assert approval.wait(60) != 0  # the approval failed with its transaction
    finally:
        if approval.poll() is None:
            approval.kill()
        holder.close()
    stack.postgres_start()
    time.sleep(0.5)
    assert stack.python(state).split() == ["pending", stints_before, "0"]  # nothing of it

    # Approved again, it happens once, whole.
    stack.python(
        "from talent.models import Announcement\n"
        "from talent.services import announcement_apply\n"
        f"announcement_apply(announcement=Announcement.objects.get(pk={announcement_id}),"
        " force=True)\n"
    )
    after_state, stints_after, sourced = stack.python(state).split()
    assert after_state == "approved" and int(sourced) >= 1
    assert int(stints_after) in (int(stints_before) + 1, int(stints_before) + 2)


def test_a_dump_restored_into_a_fresh_database_serves_the_same_pages(stack):
    """docs/operations.md's backup and restore, as written there."""
    import re
    import subprocess

    dump = stack.base / "talent.dump"
    source = stack.env["DATABASE_URL"]
    restored = source.rsplit("/", 1)[0] + "/restored"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source],
        check=True,
        timeout=120,
    )
    subprocess.run(
        [
            "createdb",
            "--host=127.0.0.1",
            f"--port={stack.pg_port}",
            "--username=postgres",
            "restored",
        ],
        check=True,
        timeout=60,
    )
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump)],
        check=True,
        timeout=300,
    )
    pages = [
        "/",
        "/people/andrej-karpathy/",
        "/companies/anthropic/",
        "/companies/anthropic/flows/?start=2024-01&end=2026-06&by=quarter",
        "/moves/?company=openai",
        "/search/?q=karpa",
        "/api/people/andrej-karpathy/",
    ]
    render = (
        "from django.test import Client\n"
        "import json\n"
        "client = Client()\n"
        f"pages = {pages!r}\n"
        'print(json.dumps([client.get(u, HTTP_HOST="localhost").content.decode() for u in pages]))'
    )

    def bodies(url: str) -> list[str]:
        original = stack.env["DATABASE_URL"]
        stack.env["DATABASE_URL"] = url
        try:
            out = stack.python(render)
        finally:
            stack.env["DATABASE_URL"] = original
        # Per-response tokens differ by design; everything else must be the same.
        return [re.sub(r"\b[A-Za-z0-9]{64}\b", "TOKEN", body) for body in json.loads(out)]

    for url, after, before in zip(pages, bodies(restored), bodies(source), strict=True):
        if after != before:
            import difflib

            diff = "\n".join(
                difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1)
            )
            raise AssertionError(f"{url} differs after the restore:\n{diff[:3000]}")


def test_with_a_replica_public_pages_read_from_it_and_writes_go_to_the_primary(stack):
    """DATABASE_REPLICA_URL (docs/operations.md): here the replica is the restored copy
    from the test above, changed so that which database answered shows on the page."""
    import urllib.parse
    import urllib.request

    import psycopg

    source = stack.env["DATABASE_URL"]
    replica = source.rsplit("/", 1)[0] + "/restored"
    with psycopg.connect(replica, autocommit=True) as conn:
        conn.execute(
            "UPDATE talent_person SET name = 'Andrej Karpathy (from the replica)' "
            "WHERE slug = 'andrej-karpathy'"
        )
    stack.env["DATABASE_REPLICA_URL"] = replica
    stack.web()
    try:
        page = stack.get("/people/andrej-karpathy/")
        assert page.status == 200 and "Andrej Karpathy (from the replica)" in page.body
        assert "from the replica" in stack.get("/api/people/andrej-karpathy/").body
        # A reader's correction is a write: it lands in the primary, never the replica.
        import re

        cookie = page.headers.get("Set-Cookie", "").split(";")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
        request = urllib.request.Request(
            f"http://127.0.0.1:{stack.web_port}/people/andrej-karpathy/corrections/",
            data=urllib.parse.urlencode(
                {"message": "Still at Anthropic.", "csrfmiddlewaretoken": token}
            ).encode(),
            headers={"Cookie": cookie, "Referer": f"http://127.0.0.1:{stack.web_port}/"},
        )
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=30)
        count = "SELECT count(*) FROM talent_correction WHERE message = 'Still at Anthropic.'"
        with psycopg.connect(source) as primary, psycopg.connect(replica) as copy:
            assert primary.execute(count).fetchone()[0] == 1
            assert copy.execute(count).fetchone()[0] == 0
    finally:
        stack.stop("web")
        stack.env.pop("DATABASE_REPLICA_URL", None)
