"""Feed ingestion services: adding feeds, claiming due ones, polling one, storing entries."""

from __future__ import annotations

import datetime as dt
import logging
import random
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from config.celery import enqueue_on_commit
from feeds.fetch import FetchError, FetchResult, fetch
from feeds.models import Article, Entry, Feed
from feeds.parse import ParseCrash, ParsedFeed, parse_feed, sha256
from feeds.safety import check_url

log = logging.getLogger(__name__)

ADVISORY_NAMESPACE = 7401  # first key of pg_try_advisory_lock(int, int): "feed polls"
ERROR_BACKOFF_BASE = dt.timedelta(minutes=5)
MAX_BACKOFF = dt.timedelta(hours=24)


@dataclass
class PollOutcome:
    status: str  # ok, not-modified, gone, error, busy, inactive
    new_entries: int = 0
    detail: str = ""
    elapsed: float | None = None  # seconds spent fetching, when a fetch happened

    def __str__(self) -> str:
        if self.status == "ok":
            return f"stored {self.new_entries}"
        return f"{self.status}: {self.detail}" if self.detail else self.status


def _minutes(value: int) -> dt.timedelta:
    return dt.timedelta(minutes=value)


def _jitter(delay: dt.timedelta) -> dt.timedelta:
    # Spread polls of feeds added together so they do not stay in lockstep.
    return delay * random.uniform(0.9, 1.1)


def feed_add(*, url: str, title: str = "", resolve_host: bool = True) -> tuple[Feed, bool]:
    """Subscribe to a feed URL (http/https, public host unless allowed). Returns (feed, created).

    Raises feeds.safety.UnsafeURL with a reason a person can act on (Unresolvable when the
    host has no address from here now). Without ``resolve_host`` only the URL's shape is
    checked here; every connect still checks the addresses it reaches.
    """
    url = check_url(url, resolve_host=resolve_host)
    feed, created = Feed.objects.get_or_create(
        url=url,
        defaults={
            "title": title[:500],
            "poll_interval": _minutes(settings.FEED_DEFAULT_INTERVAL),
            "next_poll_at": timezone.now(),
        },
    )
    return feed, created


def feeds_claim_due(*, limit: int = 500, now: dt.datetime | None = None) -> list[int]:
    """Claim due feeds for polling: their next poll moves a lease ahead, in one statement that
    skips rows another sweep holds. A claimed feed whose poll is lost comes due again when the
    lease runs out."""
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE feeds_feed SET next_poll_at = %s
            WHERE id IN (
                SELECT id FROM feeds_feed
                WHERE active AND next_poll_at <= %s
                ORDER BY next_poll_at
                LIMIT %s
                FOR UPDATE SKIP LOCKED
            )
            RETURNING id
            """,
            [now + dt.timedelta(seconds=settings.FEED_CLAIM_LEASE_SECONDS), now, limit],
        )
        return [row[0] for row in cursor.fetchall()]


@contextmanager
def _poll_lock(feed_id: int):
    """A session-level advisory lock: two workers never poll one feed at once, and a worker
    killed mid-poll releases it with its connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [ADVISORY_NAMESPACE, feed_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_NAMESPACE, feed_id])


def _adapted_interval(
    feed: Feed, *, new_entries: int, max_age: dt.timedelta | None
) -> dt.timedelta:
    """Poll about twice per typical gap between the feed's recent entries, within the
    operator's bounds; quiet polls stretch the interval gently; Cache-Control max-age is a
    floor (the server asked us not to come back sooner)."""
    low, high = _minutes(settings.FEED_MIN_INTERVAL), _minutes(settings.FEED_MAX_INTERVAL)
    if new_entries == 0:
        # Nothing new: the publishing rhythm is what it was; wait a little longer each time.
        interval = feed.poll_interval * 1.25
    else:
        recent = list(
            feed.entries.filter(published_guessed=False)
            .order_by("-published_at")
            .values_list("published_at", flat=True)[:20]
        )
        if len(recent) >= 2:
            interval = (recent[0] - recent[-1]) / (len(recent) - 1) / 2
        else:
            interval = _minutes(settings.FEED_DEFAULT_INTERVAL)
    if max_age:
        interval = max(interval, max_age)
    return max(low, min(high, interval))


def _record_error(
    feed: Feed, reason: str, *, retry_after: dt.timedelta | None = None, deactivate: bool = False
) -> None:
    now = timezone.now()
    feed.consecutive_errors += 1
    feed.last_error = reason[:2000]
    feed.last_error_at = now
    feed.last_polled_at = now
    feed.polls += 1
    if deactivate:
        feed.active = False
        feed.last_status = Feed.Status.GONE
    else:
        feed.last_status = Feed.Status.ERROR
    if retry_after is not None:
        delay = retry_after  # the server said when; already capped at 24 h
    else:
        exponent = min(feed.consecutive_errors - 1, 20)
        delay = min(MAX_BACKOFF, _jitter(ERROR_BACKOFF_BASE * 2**exponent))
    feed.next_poll_at = now + delay
    feed.save()


def _record_success(feed: Feed, result: FetchResult, *, status: str, new_entries: int) -> None:
    now = timezone.now()
    feed.last_status = status
    feed.last_polled_at = now
    feed.last_success_at = now
    feed.consecutive_errors = 0
    feed.polls += 1
    feed.etag = result.headers.get("etag", feed.etag)[:500]
    feed.last_modified = result.headers.get("last-modified", feed.last_modified)[:100]
    feed.poll_interval = _adapted_interval(feed, new_entries=new_entries, max_age=result.max_age)
    high = _minutes(settings.FEED_MAX_INTERVAL)
    feed.next_poll_at = now + min(high, _jitter(feed.poll_interval))
    feed.save()


def _follow_permanent_redirect(feed: Feed, result: FetchResult) -> None:
    if not result.permanent_url or result.permanent_url == feed.url:
        return
    if Feed.objects.filter(url=result.permanent_url).exclude(pk=feed.pk).exists():
        feed.parse_warning = f"moved permanently to {result.permanent_url}, already subscribed"
        return
    log.info("feed %s moved permanently to %s", feed.pk, result.permanent_url)
    feed.url = result.permanent_url


def _claim_articles(with_url: dict[str, Entry]) -> list[Entry]:
    """Claim each article for its entry; return the entries that lost to an earlier claim,
    marked as duplicates. One INSERT … ON CONFLICT DO NOTHING RETURNING tells who won, so the
    usual case (no duplicates) costs a single statement."""
    now = timezone.now()
    rows = [(h, e.canonical_url, e.pk, now) for h, e in with_url.items()]
    placeholders = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO feeds_article (url_hash, canonical_url, first_entry_id, created) "
            f"VALUES {placeholders} ON CONFLICT (url_hash) DO NOTHING RETURNING url_hash",
            [value for row in rows for value in row],
        )
        won = {row[0] for row in cursor.fetchall()}
    lost = [h for h in with_url if h not in won]
    if not lost:
        return []
    owners = dict(
        Article.objects.filter(url_hash__in=lost).values_list("url_hash", "first_entry_id")
    )
    duplicates = []
    for url_hash in lost:
        entry = with_url[url_hash]
        entry.extraction_status = Entry.Extraction.DUPLICATE
        entry.duplicate_of_id = owners[url_hash]
        duplicates.append(entry)
    return duplicates


def entries_store(*, feed: Feed, parsed: ParsedFeed, fetched_at: dt.datetime) -> list[Entry]:
    """Store the entries this feed has not stored before; return the new ones.

    Runs inside the poll's transaction. An article already claimed by another feed's entry
    (same canonical URL) is stored but marked a duplicate, so it is extracted once.
    """
    keys = [p.dedupe_key for p in parsed.entries]
    known = set(
        Entry.objects.filter(feed=feed, dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )
    fresh = [
        Entry(
            feed=feed,
            dedupe_key=p.dedupe_key,
            guid=p.guid,
            link=p.link,
            canonical_url=p.canonical_url,
            title=p.title,
            summary=p.summary,
            content=p.content,
            author=p.author,
            published_at=p.published_at,
            published_guessed=p.published_guessed,
            fetched_at=fetched_at,
            content_hash=p.content_hash,
            extraction_status=Entry.Extraction.QUEUED,
        )
        for p in parsed.entries
        if p.dedupe_key not in known
    ]
    if not fresh:
        return []
    Entry.objects.bulk_create(fresh, batch_size=500)
    with_url = {sha256(e.canonical_url): e for e in fresh if e.canonical_url}
    if with_url:
        duplicates = _claim_articles(with_url)
        if duplicates:
            Entry.objects.bulk_update(duplicates, ["extraction_status", "duplicate_of"])
    return fresh


EXTRACTION_BATCH = 50


def _enqueue_extraction(entry_ids: list[int]) -> None:
    # One message per batch, not per entry: publishing is ~1 ms a message, as much as
    # parsing an entry. Each entry's extraction is idempotent, so a redelivered batch is safe.
    from feeds.tasks import extract_entries

    for start in range(0, len(entry_ids), EXTRACTION_BATCH):
        enqueue_on_commit(extract_entries, entry_ids[start : start + EXTRACTION_BATCH])


def feed_poll(*, feed_id: int) -> PollOutcome:
    """Fetch, parse and store one feed, then schedule its next poll.

    Idempotent: the entries, the validators (ETag, Last-Modified) and the schedule are
    written in one transaction after the fetch, so a poll killed before it commits leaves
    nothing half-done, and a second poll stores only what the first did not.

    Whatever goes wrong with this feed (the parser raising, an entry the database refuses, a
    bug) is recorded on the feed with its backoff and logged with the feed's id; it never
    reaches the caller, so a run over many feeds goes on.
    """
    with _poll_lock(feed_id) as acquired:
        if not acquired:
            return PollOutcome("busy", detail="another worker is polling this feed")
        try:
            feed = Feed.objects.get(pk=feed_id)
        except Feed.DoesNotExist:
            return PollOutcome("gone", detail="feed deleted")
        if not feed.active:
            return PollOutcome("inactive")
        try:
            return _poll(feed)
        except Exception as exc:  # noqa: BLE001 - one feed's failure must not stop the run
            log.exception("feed %s: poll failed", feed_id)
            reason = f"{exc.__class__.__name__}: {exc}"
            feed.refresh_from_db()
            _record_error(feed, f"unexpected error while polling: {reason}")
            return PollOutcome("error", detail=reason[:300])


def _poll(feed: Feed) -> PollOutcome:
    fetched_at = timezone.now()
    reason = ""
    try:
        result = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    except FetchError as exc:
        result, reason = None, exc.reason
    parsed = None
    if result is not None and result.status == 200:
        try:
            parsed = parse_feed(
                result.body, result.headers, fetched_at=fetched_at, base_url=result.url
            )
        except ParseCrash as exc:
            log.warning("feed %s: %s", feed.pk, exc.reason)
            result, reason = None, exc.reason
    try:
        with transaction.atomic():
            # Everything a poll writes can be fetched again: if the database crashed
            # before flushing this commit, the validators roll back with the entries and
            # the next poll stores them again. So the commit need not wait for the disk.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            if result is None:
                _record_error(feed, reason)
                return PollOutcome("error", detail=reason)
            outcome = _handle_response(feed, result, parsed)
    except IntegrityError as exc:
        # A writer outside the poll lock (an operator's import, say) raced us. Nothing of
        # this poll was kept; the next poll stores what is missing.
        feed.refresh_from_db()
        _record_error(feed, f"could not store entries: {exc}"[:2000])
        return PollOutcome("error", detail="store conflict")
    outcome.elapsed = result.elapsed
    return outcome


def _handle_response(feed: Feed, result: FetchResult, parsed: ParsedFeed | None) -> PollOutcome:
    if result.status == 304:
        _follow_permanent_redirect(feed, result)
        _record_success(feed, result, status=Feed.Status.NOT_MODIFIED, new_entries=0)
        return PollOutcome("not-modified")
    if result.status == 410:
        _record_error(feed, "410 Gone: the publisher removed this feed", deactivate=True)
        return PollOutcome("gone", detail="410")
    if result.status in (429, 503):
        _record_error(feed, f"HTTP {result.status}", retry_after=result.retry_after)
        return PollOutcome("error", detail=f"HTTP {result.status}")
    if result.status != 200 or parsed is None:
        _record_error(feed, f"HTTP {result.status}")
        return PollOutcome("error", detail=f"HTTP {result.status}")
    if not parsed.is_feed:
        kind = result.headers.get("content-type", "unknown type").split(";")[0]
        reason = f"not a feed ({kind}): {parsed.problem or 'no RSS or Atom found'}"
        _record_error(feed, reason[:2000])
        return PollOutcome("error", detail="not a feed")

    new = entries_store(feed=feed, parsed=parsed, fetched_at=parsed.fetched_at)
    feed.title = feed.title or parsed.title
    feed.site_url = feed.site_url or parsed.site_url
    notes = [parsed.problem] if parsed.problem else []
    notes += parsed.skipped[:20]
    feed.parse_warning = "; ".join(notes)[:2000]
    feed.entries_seen += len(parsed.entries)
    feed.entries_stored += len(new)
    _follow_permanent_redirect(feed, result)
    _record_success(feed, result, status=Feed.Status.OK, new_entries=len(new))
    to_extract = [e.pk for e in new if e.extraction_status == Entry.Extraction.QUEUED]
    if to_extract:
        _enqueue_extraction(to_extract)
    return PollOutcome("ok", new_entries=len(new))


def feed_retry_now(*, feed: Feed) -> None:
    """Make a feed due now (and active again); the beat sweep or a direct poll picks it up."""
    Feed.objects.filter(pk=feed.pk).update(next_poll_at=timezone.now(), active=True)
