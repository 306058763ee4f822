"""`make bench`: throughput figures, each next to a baseline measured in the same run.

Prints `name: value unit` lines. BENCH_SCALE (default 1) shrinks every data set for a quick
run, e.g. BENCH_SCALE=0.05. Uses its own database (<name>_bench) so the demo data is left
alone, and serves feeds from a separate process on loopback so the server does not share
the measuring process's interpreter lock.

The page section seeds <name>_bench_pages with `seedbench` (1,000,000 stints at full
scale; kept between runs when the seed and size match), serves the app with gunicorn on
loopback and times BENCH_REQUESTS (200) requests to each page, alternating with as many to
a minimal page (the base layout around one indexed query), so a busy moment of the machine
weighs on both: `page_p50_ms_<name>`, `page_p99_ms_<name>`, `page_p99_ms_minimal` and
`page_p99_ratio_<name>` (against the minimal page's p99 over the same requests).
`python -m tests.bench pages` runs only that section (the others: `ingestion`,
`extraction`, `alerts`, `load`).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
FEEDS = max(2, round(1000 * SCALE))
ENTRIES_PER_FEED = 50


def say(name: str, value: float, unit: str) -> None:
    print(f"{name}: {value:.4g} {unit}", flush=True)


def feed_document(index: int) -> bytes:
    """An RSS 2.0 document shaped like a news site's: 50 items with HTML descriptions."""
    items = []
    for i in range(ENTRIES_PER_FEED):
        items.append(
            f"<item><title>Lab {index} story {i}: researcher moves to a new team</title>"
            f"<link>https://news{index}.example.org/{2026}/{i}/story-{i}?utm_source=rss</link>"
            f'<guid isPermaLink="false">feed-{index}-item-{i}</guid>'
            f"<pubDate>{(i % 28) + 1:02d} Oct 2026 {i % 24:02d}:{(i * 7) % 60:02d}:00 GMT</pubDate>"
            "<description><![CDATA[<p>The lab said on Tuesday that the researcher, who previously "
            "led work on <em>large-scale pre-training</em>, will join its new team under the head "
            f'of research. <a href="https://news{index}.example.org/more/{i}">Read more</a></p>'
            "<p>She said the move was about getting back to hands-on research, and that the "
            "team would publish its first results within the year.</p>]]></description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Bench feed {index}</title><link>https://news{index}.example.org/</link>"
        f"<description>Benchmark feed</description>{''.join(items)}</channel></rss>"
    ).encode()


def serve(port_queue) -> None:
    documents = {f"/feed/{i}.xml": feed_document(i) for i in range(FEEDS)}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # as real web servers do: no 40 ms delayed-ACK stalls

        def do_GET(self) -> None:  # noqa: N802
            body = documents.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = f'"{self.path}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_queue.put(server.server_address[1])
    server.serve_forever()


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/talent")
    parts = urlsplit(url)
    bench_url = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_bench"))
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CELERY_QUEUE"] = "bench"
    from scripts.devenv import ensure_database

    ensure_database(bench_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bench_ingestion() -> None:
    import feedparser
    import httpx
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from config.celery import app
    from feeds import services
    from feeds.models import Feed

    port_queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(port_queue,), daemon=True)
    server.start()
    port = port_queue.get(timeout=60)
    base = f"http://127.0.0.1:{port}"
    settings.FEED_ALLOW_PRIVATE_HOSTS = [f"127.0.0.1:{port}"]
    urls = [f"{base}/feed/{i}.xml" for i in range(FEEDS)]
    total = FEEDS * ENTRIES_PER_FEED
    print(f"# ingestion: {FEEDS} feeds x {ENTRIES_PER_FEED} entries (BENCH_SCALE={SCALE:g})")

    # Baseline: feedparser alone on the same documents, already in memory.
    documents = [feed_document(i) for i in range(FEEDS)]
    started = time.perf_counter()
    parsed = sum(len(feedparser.parse(doc).entries) for doc in documents)
    bare = parsed / (time.perf_counter() - started)
    say("feedparser_parse_rate", bare, "entries/s")

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE feeds_feed, feeds_entry, feeds_article RESTART IDENTITY CASCADE")
    Feed.objects.bulk_create([Feed(url=url) for url in urls])
    ids = list(Feed.objects.order_by("pk").values_list("pk", flat=True))

    started = time.perf_counter()
    stored = 0
    for done, feed_id in enumerate(ids, start=1):
        stored += services.feed_poll(feed_id=feed_id).new_entries
        if done % max(1, FEEDS // 5) == 0:
            print(f"# polled {done}/{FEEDS}", file=sys.stderr, flush=True)
    pipeline_elapsed = time.perf_counter() - started
    assert stored == total, f"stored {stored} of {total}"
    pipeline = stored / pipeline_elapsed
    say("pipeline_rate", pipeline, "entries/s")
    say("pipeline_vs_feedparser", pipeline / bare, "ratio")

    # A full cycle in which every feed answers 304, next to bare conditional GETs.
    Feed.objects.update(next_poll_at=timezone.now())
    started = time.perf_counter()
    outcomes = [services.feed_poll(feed_id=feed_id).status for feed_id in ids]
    cycle = time.perf_counter() - started
    assert set(outcomes) == {"not-modified"}, set(outcomes)
    with httpx.Client() as client:
        started = time.perf_counter()
        for i, url in enumerate(urls):
            client.get(url, headers={"If-None-Match": f'"/feed/{i}.xml"'})
        bare_cycle = time.perf_counter() - started
    say("not_modified_cycle", cycle, "s")
    say("not_modified_cycle_bare_http", bare_cycle, "s")
    say("not_modified_per_feed", cycle / FEEDS * 1000, "ms")

    server.terminate()
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("bench")


def bench_extraction() -> None:
    """Entries through extraction, resolution and recording, with 10,000 people and 2,000
    organizations known, next to feedparser's parse rate of the same entries."""
    import datetime as dt
    import html
    import json

    import feedparser
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from feeds.extract.base import Item
    from feeds.extract.pipeline import entries_extract
    from feeds.extract.rules import RuleExtractor
    from feeds.models import Entry, Feed
    from talent.models import Organization, Person
    from talent.resolve import Gazetteer

    people = max(100, round(10_000 * SCALE))
    orgs = max(20, round(2_000 * SCALE))
    corpus = [
        json.loads(line)
        for line in (ROOT / "tests" / "feeds" / "extraction_corpus.jsonl").read_text().splitlines()
    ]
    count = max(50, round(2_000 * SCALE))
    print(f"# extraction: {count} entries, {people} people and {orgs} organizations known")
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE talent_announcement, talent_move, talent_source, talent_stint, "
            "talent_personalias, talent_personlink, talent_person, talent_team, "
            "talent_organizationalias, talent_organization, feeds_feed, feeds_entry, "
            "feeds_article RESTART IDENTITY CASCADE"
        )
    call_command("loaddemo", verbosity=0)
    first = ["Ana", "Bo", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivo", "Jun"]
    Person.objects.bulk_create(
        [
            Person(slug=f"bench-person-{i}", name=f"{first[i % 10]} Benchmark{i}")
            for i in range(people)
        ],
        batch_size=2000,
    )
    Organization.objects.bulk_create(
        [Organization(slug=f"bench-org-{i}", name=f"Benchmark Org {i} Labs") for i in range(orgs)],
        batch_size=2000,
    )
    feed = Feed.objects.create(url="https://bench.example.org/feed.xml", title="Bench")
    now = timezone.now()
    rows = [corpus[i % len(corpus)] for i in range(count)]
    Entry.objects.bulk_create(
        [
            Entry(
                feed=feed,
                dedupe_key=f"bench-{i}",
                link=f"https://bench.example.org/{i}",
                title=row["title"],
                summary=row["summary"],
                published_at=now - dt.timedelta(minutes=i),
                content_hash=str(i),
                extraction_status=Entry.Extraction.QUEUED,
            )
            for i, row in enumerate(rows)
        ],
        batch_size=1000,
    )

    items = "".join(
        f"<item><title>{html.escape(row['title'])}</title><guid>b{i}</guid>"
        f"<description>{html.escape(row['summary'])}</description></item>"
        for i, row in enumerate(rows)
    )
    document = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>b</title>'
        f"{items}</channel></rss>"
    ).encode()
    # The baseline is short (a fraction of a second) and these machines are noisy: parsed
    # once to warm up, then the median of three parses.
    feedparser.parse(document)
    rates = []
    for _ in range(3):
        started = time.perf_counter()
        parsed = len(feedparser.parse(document).entries)
        rates.append(parsed / (time.perf_counter() - started))
    baseline = sorted(rates)[1]
    say("extraction_baseline_feedparser_rate", baseline, "entries/s")

    started = time.perf_counter()
    gazetteer = Gazetteer.load()
    say("gazetteer_load", time.perf_counter() - started, "s")

    extractor = RuleExtractor()
    started = time.perf_counter()
    for i, row in enumerate(rows):
        extractor.extract(Item(str(i), row["title"], row["summary"]), gazetteer=gazetteer)
    say("extractor_only_rate", count / (time.perf_counter() - started), "entries/s")

    ids = list(Entry.objects.filter(feed=feed).values_list("pk", flat=True))
    started = time.perf_counter()
    read = moves = 0
    for start in range(0, len(ids), 50):
        batch_read, batch_moves = entries_extract(ids[start : start + 50])
        read, moves = read + batch_read, moves + batch_moves
    elapsed = time.perf_counter() - started
    assert read == count, (read, count)
    say("extraction_pipeline_rate", count / elapsed, "entries/s")
    say("extraction_vs_feedparser", count / elapsed / baseline, "ratio")
    say("moves_recorded", moves, "moves")


def bench_alerts() -> None:
    """One move approved for a company with 100,000 confirmed followers: the outbox rows
    (next to a bare INSERT … SELECT of as many rows), then every message handed to an SMTP
    sink on loopback in another process (next to smtplib alone sending one prepared message
    as often over one connection)."""
    import smtplib

    from django.conf import settings
    from django.db import connection

    from config.celery import app
    from talent.alerts.models import Delivery
    from talent.models import Organization, PartialDate, Person, Stint
    from talent.resolve import Gazetteer
    from talent.services import MoveInput, SourceInput, announcement_apply, announcement_record
    from tests.smtp_sink import free_port, serve_counting

    followers = max(100, round(100_000 * SCALE))
    print(f"# alerts: one move, {followers} followers (BENCH_SCALE={SCALE:g})")
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE talent_delivery, talent_follow, talent_subscriber, talent_announcement, "
            "talent_move, talent_source, talent_stint, talent_person, talent_team, "
            "talent_organization RESTART IDENTITY CASCADE"
        )
    lab = Organization.objects.create(slug="anthropic", name="Anthropic")
    Organization.objects.create(slug="openai", name="OpenAI")
    who = Person.objects.create(slug="jan-leike", name="Jan Leike")
    start = PartialDate.parse("2021-01")
    Stint.objects.create(
        person=who,
        organization=Organization.objects.get(slug="openai"),
        start_date=start.date,
        start_precision=start.precision,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO talent_subscriber (email, timezone, digest_hour, digest_weekday, "
            "confirmed_at, suppressed_reason, created) "
            "SELECT 'reader' || g || '@bench.example.org', 'UTC', 8, 1, now(), '', now() "
            "FROM generate_series(1, %s) AS g",
            [followers],
        )
        cursor.execute(
            "INSERT INTO talent_follow (subscriber_id, target, organization_id, kinds, "
            "frequency, state, created, confirmed_at) "
            "SELECT id, 'company', %s, 'all', 'instant', 'active', now(), now() "
            "FROM talent_subscriber",
            [lab.pk],
        )
        cursor.execute("ANALYZE talent_subscriber; ANALYZE talent_follow")
        # Baseline: as many rows, written by one bare INSERT … SELECT with no matching.
        cursor.execute("CREATE TEMP TABLE bench_rows (LIKE talent_delivery INCLUDING DEFAULTS)")
        started = time.perf_counter()
        cursor.execute(
            "INSERT INTO bench_rows (id, subscriber_id, kind, frequency, state, due_at, "
            "attempts, last_error, message_id, summary, created) "
            "SELECT id, id, 'alert', 'instant', 'queued', now(), 0, '', '', '', now() "
            "FROM talent_subscriber"
        )
        say("alert_fanout_baseline_bare_insert_s", time.perf_counter() - started, "s")
        cursor.execute("DROP TABLE bench_rows")

    announcement, _ = announcement_record(
        move=MoveInput(kind="join", person="Jan Leike", from_org="OpenAI", to_org="Anthropic"),
        source=SourceInput(
            url="https://news.example.org/leike",
            publisher="Example News",
            evidence="Jan Leike has joined Anthropic from OpenAI.",
        ),
        gazetteer=Gazetteer.load(),
    )
    started = time.perf_counter()
    announcement_apply(announcement=announcement)  # the approval, fan-out included
    say("alert_fanout_rows_s", time.perf_counter() - started, "s")
    rows = Delivery.objects.count()
    assert rows == followers, (rows, followers)
    say("alert_fanout_rows", rows, "rows")

    port = free_port()
    count = multiprocessing.Value("l", 0)
    ready = multiprocessing.Event()
    sink = multiprocessing.Process(target=serve_counting, args=(port, count, ready), daemon=True)
    sink.start()
    assert ready.wait(30), "the SMTP sink did not start"

    # Baseline: smtplib alone, one prepared message, one connection.
    sample = (
        b"From: tracker@localhost\r\nTo: reader@bench.example.org\r\nSubject: x\r\n\r\n"
        + (b"x" * 70 + b"\r\n") * 40
    )
    baseline_count = max(50, followers // 10)
    with smtplib.SMTP("127.0.0.1", port) as client:
        started = time.perf_counter()
        for _ in range(baseline_count):
            client.sendmail("tracker@localhost", ["reader@bench.example.org"], sample)
        say(
            "alert_send_baseline_smtplib_rate",
            baseline_count / (time.perf_counter() - started),
            "messages/s",
        )
    with count.get_lock():
        count.value = 0

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    # As a worker with SENDERS processes does: each runs the sender, rows shared out by
    # SKIP LOCKED, each process with ALERTS_SMTP_CONNECTIONS connections.
    from django.db import connections

    connections.close_all()
    sent_total = multiprocessing.Value("l", 0)
    started = time.perf_counter()
    senders = [
        multiprocessing.Process(target=_send_all, args=(sent_total,)) for _ in range(SENDERS)
    ]
    for process in senders:
        process.start()
    for process in senders:
        process.join()
    elapsed = time.perf_counter() - started
    sent = sent_total.value
    assert sent == followers, (sent, followers)
    deadline = time.monotonic() + 10
    while count.value < followers and time.monotonic() < deadline:
        time.sleep(0.05)
    assert count.value == followers, (count.value, followers)
    say("alert_send_rate", sent / elapsed, "messages/s")
    print(f"# {SENDERS} sender processes x {settings.ALERTS_SMTP_CONNECTIONS} SMTP connections")
    sink.terminate()
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("bench")


SENDERS = int(os.environ.get("BENCH_SENDERS", "2"))


def _send_all(sent_total) -> None:
    from talent.alerts import outbox

    while True:
        report = outbox.deliveries_send(budget_seconds=3600)
        with sent_total.get_lock():
            sent_total.value += report.sent
        if not report.more:
            return


REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))

TARGETS_SCRIPT = """
import json, django
django.setup()
from django.db.models import Count
from talent.models import Organization, Person, Team
big = Organization.objects.annotate(n=Count("stints")).order_by("-n", "pk").first()
teams = Team.objects.filter(organization=big).annotate(n=Count("stints"))
team = teams.order_by("-n", "pk").first()
person = Person.objects.annotate(n=Count("stints")).order_by("-n", "pk").first()
name = Person.objects.order_by("pk").values_list("name", flat=True).first() or "a"
print(json.dumps({"org": big.slug, "team": team.slug if team else "", "person": person.slug,
                  "surname": name.split()[-1].lower()}))
"""


def _script_output(script: str, env: dict):
    """What a script run in the bench's Django environment prints, as JSON."""
    import json
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, int(-(-q * len(ordered) // 1)) - 1))]


def bench_pages(*, pages_too: bool = True, load: bool = True) -> None:
    """Page latency under gunicorn on loopback against the seeded data set, then the load
    test (bench_load) against the same server."""
    import http.client
    import socket
    import subprocess

    from scripts.devenv import ensure_database

    url = os.environ["DATABASE_URL"]  # the _bench database chosen by setup_django
    parts = urlsplit(url)
    pages_url = urlunsplit(parts._replace(path=parts.path + "_pages"))
    ensure_database(pages_url)
    env = {
        **os.environ,
        "DATABASE_URL": pages_url,
        "DJANGO_SETTINGS_MODULE": "tests.bench_settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "API_RATE": "1000000/m",
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True)
    print(f"# pages: seeding (BENCH_SCALE={SCALE:g})", file=sys.stderr, flush=True)
    subprocess.run(
        [*manage, "seedbench", "--scale", str(SCALE), "--reuse"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=sys.stderr,
    )
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, cwd=ROOT, check=True)
    targets = _script_output(TARGETS_SCRIPT, env)
    org, until = targets["org"], "2026-06"
    pages = {
        "minimal": "/bench/minimal/",
        "home": "/",
        "search": f"/search/?q={targets['surname']}",
        "person": f"/people/{targets['person']}/",
        "company": f"/companies/{org}/",
        "flows": f"/companies/{org}/flows/?start=2023-07&end={until}&by=month",
        "company_at": f"/companies/{org}/at/?date=2025-06-30",
        "team": f"/companies/{org}/teams/{targets['team']}/",
        "moves": "/moves/",
        "flows_matrix": "/flows/",
        "moves_api": "/api/moves/",
    }
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )

    def get(path: str, headers: dict | None = None) -> tuple[int, float]:
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status, (time.perf_counter() - started) * 1000

    try:
        for _ in range(300):
            try:
                if get("/bench/minimal/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        if not pages_too:
            bench_load(port, env)
            return
        print(
            f"# pages: {REQUESTS} requests each, gunicorn 2 workers; each page's requests "
            "alternate with the minimal page's, so both see the same moments of the machine",
            flush=True,
        )
        p99: dict[str, float] = {}
        floors: dict[str, float] = {}
        everything_minimal: list[float] = []
        for name, path in pages.items():
            if name == "minimal":
                continue
            for _ in range(10):  # warm both workers' connections and caches
                status, _ = get(path)
                assert status == 200, (name, path, status)
            samples, minimal = [], []
            for _ in range(REQUESTS):
                minimal.append(get(pages["minimal"])[1])
                samples.append(get(path)[1])
            everything_minimal += minimal
            p99[name] = _percentile(samples, 0.99)
            floors[name] = _percentile(minimal, 0.99)
            say(f"page_p50_ms_{name}", _percentile(samples, 0.5), "ms")
            say(f"page_p99_ms_{name}", p99[name], "ms")
        say("page_p50_ms_minimal", _percentile(everything_minimal, 0.5), "ms")
        say("page_p99_ms_minimal", _percentile(everything_minimal, 0.99), "ms")
        for name in p99:
            # Against the minimal page's p99 over the same stretch of the run.
            say(f"page_p99_ratio_{name}", p99[name] / floors[name], "ratio")
        slowest = max(p99, key=p99.get)
        print(f"# slowest page: {slowest} ({pages[slowest]})", flush=True)
        uncached(pages, get, pages_url)
        if load:
            bench_load(port, env)
    finally:
        server.terminate()
        server.wait(30)


def uncached(pages: dict, get, database_url: str) -> None:
    """What the figures above owe to the page cache: each page right after a write (the
    data version bumped before every request, as a curator's approval would), asked for as
    a reader with a pending message is served (never the shared page, which may lag a write
    by PAGE_CACHE_GRACE), so it is built whole, its cached sections included."""
    import psycopg

    rounds = max(5, REQUESTS // 20)
    print(f"# pages uncached: {rounds} requests each, each after a write", flush=True)
    with psycopg.connect(database_url, autocommit=True) as conn:

        def after_a_write(path: str) -> float:
            conn.execute("UPDATE talent_dataversion SET version = version + 1")
            status, ms = get(path, {"Cookie": "messages=none"})
            assert status == 200, (path, status)
            return ms

        minimal = [after_a_write(pages["minimal"]) for _ in range(rounds)]
        say("page_p50_ms_uncached_minimal", _percentile(minimal, 0.5), "ms")
        for name, path in pages.items():
            if name != "minimal":
                samples = [after_a_write(path) for _ in range(rounds)]
                say(f"page_p50_ms_uncached_{name}", _percentile(samples, 0.5), "ms")


CLEAR_CACHE_SCRIPT = """
import django
django.setup()
from django.core.cache import caches
caches["template_fragments"].clear()
print("null")
"""

LOAD_TARGETS_SCRIPT = """
import json, django
django.setup()
from django.db.models import Count
from talent.models import Organization, Person, Team
orgs = list(Organization.objects.annotate(n=Count("stints")).order_by("-n", "pk")
            .values_list("slug", flat=True)[:60])
teams = [(t.organization.slug, t.slug) for t in Team.objects.select_related("organization")
         .filter(organization__slug__in=orgs[:20]).order_by("pk")[:40]]
people = list(Person.objects.order_by("?").values_list("slug", "name")[:400])
print(json.dumps({"orgs": orgs, "teams": teams, "people": people}))
"""


def bench_load(port: int, env: dict) -> None:
    """Many clients at once on the seeded data set, as readers use the tracker: mostly
    person and company pages (a few popular, a long tail), some flows, teams, moves and
    API calls, and live-search bursts (a name typed letter by letter, each a request);
    then the same clients on the minimal page, for the same time, in the same run."""
    import http.client
    import random
    import threading

    import psycopg

    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", str(max(10.0, 40 * SCALE))))
    warm = seconds / 2
    clients = int(os.environ.get("BENCH_LOAD_CLIENTS", "8"))
    cap = 50_000  # requests, whatever the machine: the test is bounded in time and count
    targets = _script_output(LOAD_TARGETS_SCRIPT, env)
    orgs, teams, people = targets["orgs"], targets["teams"], targets["people"]

    def popular(items: list, rng: random.Random):
        # A few items get most of the traffic, as on any site (weights 1, 1/2, 1/3, ...).
        return rng.choices(items, weights=[1 / (i + 1) for i in range(len(items))])[0]

    partial = {"HX-Request": "true", "HX-Request-Type": "partial"}

    def visit(rng: random.Random) -> list[tuple[str, dict, str]]:
        roll = rng.random()
        if roll < 0.35:
            return [(f"/people/{popular(people, rng)[0]}/", {}, "person")]
        if roll < 0.60:
            return [(f"/companies/{popular(orgs, rng)}/", {}, "company")]
        if roll < 0.72:  # a live-search burst: the box sends after each pause in typing
            word = rng.choice(people)[1].split()[-1].lower()
            stops = sorted({min(len(word), n) for n in (3, 4, 6, len(word))})
            return [(f"/search/?q={word[:n]}", partial, "search") for n in stops]
        if roll < 0.78:
            return [(f"/companies/{popular(orgs, rng)}/flows/", {}, "flows")]
        if roll < 0.84 and teams:
            org, team = popular(teams, rng)
            return [(f"/companies/{org}/teams/{team}/", {}, "team")]
        if roll < 0.90:
            return [(f"/moves/?company={popular(orgs, rng)}", {}, "moves")]
        if roll < 0.95:
            return [("/", {}, "home")]
        return [(f"/api/moves/?company={popular(orgs, rng)}", {}, "api")]

    def run(plan, seconds=seconds, report=True) -> tuple[float, list[float], int]:
        deadline = time.monotonic() + seconds
        latencies: list[float] = []
        by_kind: dict[str, list[float]] = {}
        errors = [0]
        lock = threading.Lock()

        def client(seed: int) -> None:
            rng = random.Random(seed)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine: list[float] = []
            kinds: list[str] = []
            failed = 0
            while time.monotonic() < deadline and len(latencies) + len(mine) < cap:
                for path, headers, kind in plan(rng):
                    started = time.perf_counter()
                    try:
                        connection.request("GET", path, headers=headers)
                        response = connection.getresponse()
                        response.read()
                        if response.status >= 400:
                            failed += 1
                    except (OSError, http.client.HTTPException):
                        failed += 1
                        connection.close()
                        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    mine.append((time.perf_counter() - started) * 1000)
                    kinds.append(kind)
            connection.close()
            with lock:
                latencies.extend(mine)
                for kind, ms in zip(kinds, mine, strict=True):
                    by_kind.setdefault(kind, []).append(ms)
                errors[0] += failed

        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for kind, samples in sorted(by_kind.items()) if report else ():
            print(
                f"# load {kind}: {len(samples)} requests, p50 {_percentile(samples, 0.5):.0f} ms,"
                f" p99 {_percentile(samples, 0.99):.0f} ms",
                flush=True,
            )
        return time.monotonic() - started, latencies, errors[0]

    print(
        f"# load: {clients} clients, {warm:g} s to warm up, then {seconds:g} s measured "
        "(person 35 %, company 25 %, live-search bursts 12 %, flows, teams, moves, home, API), "
        "then the minimal page",
        flush=True,
    )
    # A site in service is warm: its popular pages are cached. Start from an empty cache
    # (whatever earlier runs left), warm up as readers would, unmeasured, then measure.
    _script_output(CLEAR_CACHE_SCRIPT, env)
    run(visit, seconds=warm, report=False)
    elapsed_mix, latencies, errors = run(visit)
    say("load_rps", len(latencies) / elapsed_mix, "requests/s")
    say("load_p99_ms", _percentile(latencies, 0.99), "ms")
    say("load_p50_ms", _percentile(latencies, 0.5), "ms")
    say("load_errors", errors, "requests")
    elapsed, minimal, _ = run(lambda rng: [("/bench/minimal/", {}, "minimal")])
    say("load_rps_minimal", len(minimal) / elapsed, "requests/s")
    say("load_p99_ms_minimal", _percentile(minimal, 0.99), "ms")
    say("load_rps_ratio", (len(latencies) / elapsed_mix) / (len(minimal) / elapsed), "ratio")

    # The cache's worst case: the same mix while curators write (one data version for all
    # pages, so every write makes every cached page stale).
    every = float(os.environ.get("BENCH_LOAD_WRITE_EVERY", "5"))
    print(f"# load with writes: the same mix, a write every {every:g} s", flush=True)
    stop = threading.Event()

    def writer() -> None:
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            while not stop.wait(every):
                conn.execute("UPDATE talent_dataversion SET version = version + 1")

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        elapsed_writes, with_writes, errors_writes = run(visit, report=False)
    finally:
        stop.set()
        thread.join()
    say("load_rps_with_writes", len(with_writes) / elapsed_writes, "requests/s")
    say("load_p99_ms_with_writes", _percentile(with_writes, 0.99), "ms")
    say("load_errors_with_writes", errors_writes, "requests")


SECTIONS = {
    "ingestion": bench_ingestion,
    "extraction": bench_extraction,
    "alerts": bench_alerts,
    "pages": bench_pages,
    "load": lambda: bench_pages(pages_too=False),  # the load test alone
}


def main() -> None:
    # Every section by default; "load" alone is for running the load test without the
    # pages' section, which ends with it anyway.
    everything = [name for name in SECTIONS if name != "load"]
    wanted = sys.argv[1:] or os.environ.get("BENCH_ONLY", "").split() or everything
    unknown = set(wanted) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"unknown sections {sorted(unknown)}; choose from {sorted(SECTIONS)}")
    setup_django()
    for name in wanted:
        SECTIONS[name]()


if __name__ == "__main__":
    main()
