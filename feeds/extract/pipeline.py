"""From stored entries to announcements: extract, resolve (stage 5), record with the entry as
source. A batch of entries is read first and recorded in one transaction, with a number of
queries that does not grow with the batch (talent.services.announcements_record)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import NamedTuple

from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection, transaction
from django.utils import timezone

from feeds.extract.base import Extraction, Extractor, Item, get_extractor
from feeds.models import Entry
from talent.resolve import Gazetteer
from talent.services import MoveInput, SourceInput, announcements_record

log = logging.getLogger(__name__)


# Loading every name the database knows takes a quarter of a second with 10,000 people: once
# a minute per worker process, not once a batch. The cache is keyed by how many rows each
# name table has and their highest id, so a name added or merged away is seen at once; a
# rename waits at most GAZETTEER_TTL seconds (until then the name stays text, as unknown
# names do, and a curator links it).
GAZETTEER_TTL = 60.0
_VERSION_SQL = " UNION ALL ".join(
    f"SELECT '{table}', count(*), coalesce(max(id), 0) FROM {table}"
    for table in (
        "talent_person",
        "talent_personalias",
        "talent_organization",
        "talent_organizationalias",
        "talent_team",
    )
)
_cached: dict[str, object] = {}


def gazetteer_current() -> Gazetteer:
    """The database's names, reloaded when they changed or are older than GAZETTEER_TTL."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        version = (connection.settings_dict["NAME"], tuple(cursor.fetchall()))
    now = time.monotonic()
    if _cached.get("version") != version or now - _cached.get("at", 0.0) > GAZETTEER_TTL:
        _cached.update(version=version, at=now, gazetteer=Gazetteer.load())
    return _cached["gazetteer"]


class _Read(NamedTuple):
    """What extracting and recording an entry read of it. A batch loads these as plain
    values: building a model instance of each entry and of its feed cost more than the rest
    of loading them."""

    pk: int
    title: str
    summary: str
    content: str
    published_at: dt.datetime
    link: str
    canonical_url: str
    feed_site_url: str
    feed_url: str
    feed_title: str

    @classmethod
    def of(cls, entry: Entry) -> _Read:
        feed = entry.feed
        return cls(
            entry.pk,
            entry.title,
            entry.summary,
            entry.content,
            entry.published_at,
            entry.link,
            entry.canonical_url,
            feed.site_url,
            feed.url,
            feed.title,
        )


# The columns of _Read, in its order.
_READ_FIELDS = (
    "pk",
    "title",
    "summary",
    "content",
    "published_at",
    "link",
    "canonical_url",
    "feed__site_url",
    "feed__url",
    "feed__title",
)


def entry_item(entry: Entry | _Read) -> Item:
    return Item(
        id=str(entry.pk),
        title=entry.title,
        summary=entry.content or entry.summary,
        published=entry.published_at,
    )


def _reports(entry: _Read, extraction: Extraction) -> list[tuple[MoveInput, SourceInput]]:
    url = entry.link or entry.canonical_url or entry.feed_site_url or entry.feed_url
    return [
        (
            claim,
            SourceInput(
                url=url,
                title=entry.title,
                publisher=entry.feed_title,
                published_on=entry.published_at.date(),
                evidence=claim.evidence,
            ),
        )
        for claim in extraction.moves
    ]


@transaction.atomic
def _record(read: list[tuple[_Read, Extraction]], gazetteer: Gazetteer) -> int:
    """Record what a batch of entries said and mark them done, all or nothing."""
    reports, owners = [], []
    for entry, extraction in read:
        for report in _reports(entry, extraction):
            reports.append(report)
            owners.append(entry.pk)
    recorded = announcements_record(reports=reports, gazetteer=gazetteer)
    links = sorted({(owner, a.pk) for owner, (a, _) in zip(owners, recorded, strict=True)})
    found = [len(extraction.moves) for _, extraction in read]
    # One round trip for both: the links from each entry to what it reported (stored once,
    # as bulk_create(ignore_conflicts=True) would), and every entry marked done with its count.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH links AS (
                INSERT INTO {Entry.announcements.through._meta.db_table} (entry_id, announcement_id)
                SELECT * FROM unnest(%s::bigint[], %s::bigint[])
                ON CONFLICT DO NOTHING
            )
            UPDATE {Entry._meta.db_table} AS entry
            SET extraction_status = %s, extracted_at = %s, extraction_error = '',
                moves_found = done.found
            FROM unnest(%s::bigint[], %s::integer[]) AS done (id, found)
            WHERE entry.id = done.id
            """,
            [
                [e for e, _ in links],
                [a for _, a in links],
                Entry.Extraction.DONE,
                timezone.now(),
                [entry.pk for entry, _ in read],
                found,
            ],
        )
    return len(reports)


def entry_extract(*, entry: Entry, gazetteer: Gazetteer, extractor: Extractor | None = None) -> int:
    """Read one entry for moves and record them. Returns how many moves it reported.

    Idempotent: extracting the same entry again finds the same announcements and the same
    sources, and adds nothing.
    """
    extraction = (extractor or get_extractor()).extract(entry_item(entry), gazetteer=gazetteer)
    return _record([(_Read.of(entry), extraction)], gazetteer)


def _failed(entry: _Read, exc: Exception) -> None:
    log.exception("extraction failed for entry %s", entry.pk)
    Entry.objects.filter(pk=entry.pk).update(
        extraction_status=Entry.Extraction.FAILED,
        extraction_error=f"{exc.__class__.__name__}: {exc}"[:2000],
    )


def entries_extract(entry_ids: list[int]) -> tuple[int, int]:
    """Extract a batch; an entry that fails is marked failed with the reason and the rest
    go on. Returns (entries read, moves found).

    A soft time limit (SoftTimeLimitExceeded) is let through untouched: nothing of the batch
    is recorded yet, so its entries stay queued and the periodic sweep enqueues them again.
    """
    gazetteer = gazetteer_current()
    extractor = get_extractor()
    entries = Entry.objects.filter(
        pk__in=entry_ids,
        extraction_status__in=[
            Entry.Extraction.QUEUED,
            Entry.Extraction.WAITING,
            Entry.Extraction.FAILED,
        ],
    ).values_list(*_READ_FIELDS)
    read: list[tuple[_Read, Extraction]] = []
    total = 0
    for entry in map(_Read._make, entries):
        total += 1
        try:
            read.append((entry, extractor.extract(entry_item(entry), gazetteer=gazetteer)))
        except SoftTimeLimitExceeded:
            raise
        except Exception as exc:  # noqa: BLE001 - one bad entry must not stop the batch
            _failed(entry, exc)
    try:
        moves = _record(read, gazetteer)
    except SoftTimeLimitExceeded:
        raise
    except Exception:  # noqa: BLE001 - find the entry that cannot be recorded, keep the rest
        log.warning("recording a batch of %s entries failed; recording one by one", len(read))
        moves = 0
        for entry, extraction in read:
            try:
                moves += _record([(entry, extraction)], gazetteer)
            except SoftTimeLimitExceeded:
                raise
            except Exception as exc:  # noqa: BLE001
                _failed(entry, exc)
    return total, moves
