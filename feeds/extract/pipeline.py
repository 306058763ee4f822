"""From a stored entry to announcements: extract, resolve, record with the entry as source."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from feeds.extract.base import Extractor, Item, get_extractor
from feeds.models import Entry
from talent.resolve import Gazetteer
from talent.services import SourceInput, announcement_record

log = logging.getLogger(__name__)


def entry_item(entry: Entry) -> Item:
    return Item(
        id=str(entry.pk),
        title=entry.title,
        summary=entry.content or entry.summary,
        published=entry.published_at,
    )


def entry_extract(*, entry: Entry, gazetteer: Gazetteer, extractor: Extractor | None = None) -> int:
    """Read one entry for moves and record them. Returns how many moves it reported.

    Idempotent: extracting the same entry again finds the same announcements and the same
    sources, and adds nothing.
    """
    extraction = (extractor or get_extractor()).extract(entry_item(entry), gazetteer=gazetteer)
    url = entry.link or entry.canonical_url or entry.feed.site_url or entry.feed.url
    with transaction.atomic():
        found = []
        for claim in extraction.moves:
            announcement, _ = announcement_record(
                move=claim,
                source=SourceInput(
                    url=url,
                    title=entry.title,
                    publisher=entry.feed.title,
                    published_on=entry.published_at.date(),
                    evidence=claim.evidence,
                ),
                gazetteer=gazetteer,
            )
            found.append(announcement)
        entry.announcements.add(*found)
        Entry.objects.filter(pk=entry.pk).update(
            extraction_status=Entry.Extraction.DONE,
            extracted_at=timezone.now(),
            extraction_error="",
            moves_found=len(found),
        )
    return len(found)


def entries_extract(entry_ids: list[int]) -> tuple[int, int]:
    """Extract a batch; an entry that fails is marked failed with the reason and the rest
    go on. Returns (entries read, moves found)."""
    gazetteer = Gazetteer.load()
    extractor = get_extractor()
    entries = Entry.objects.select_related("feed").filter(
        pk__in=entry_ids,
        extraction_status__in=[
            Entry.Extraction.QUEUED,
            Entry.Extraction.WAITING,
            Entry.Extraction.FAILED,
        ],
    )
    read = moves = 0
    for entry in entries:
        try:
            moves += entry_extract(entry=entry, gazetteer=gazetteer, extractor=extractor)
        except Exception as exc:  # noqa: BLE001 - one bad entry must not stop the batch
            log.exception("extraction failed for entry %s", entry.pk)
            Entry.objects.filter(pk=entry.pk).update(
                extraction_status=Entry.Extraction.FAILED,
                extraction_error=f"{exc.__class__.__name__}: {exc}"[:2000],
            )
        read += 1
    return read, moves
