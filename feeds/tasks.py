"""Thin Celery tasks for ingestion: load by id, call a service, return a short status."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction

from feeds import services

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=30, time_limit=60)
def poll_due_feeds() -> str:
    """Beat, every minute: claim the feeds that are due and enqueue one poll for each."""
    with transaction.atomic():
        ids = services.feeds_claim_due()
        transaction.on_commit(lambda: [poll_feed.delay(feed_id) for feed_id in ids])
    return f"claimed {len(ids)}"


# A fetch stops within about twice FEED_TIMEOUT; parsing and storing are bounded by the
# body cap. A poll stopped by the soft limit is recorded on its feed like any failure and
# polled again after its backoff; one killed by the hard limit comes back with its lease.
@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=90, time_limit=120)
def poll_feed(feed_id: int) -> str:
    outcome = services.feed_poll(feed_id=feed_id)
    log.info("feed %s: %s", feed_id, outcome)
    return str(outcome)


# Extraction is bounded per entry (linear in its length, capped), so a batch takes seconds;
# the limits stop a runaway. A batch stopped by the soft limit has recorded nothing, so its
# entries stay queued and extract_pending enqueues them again.
EXTRACT_SOFT_LIMIT = 120
EXTRACT_HARD_LIMIT = 150


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=EXTRACT_SOFT_LIMIT,
    time_limit=EXTRACT_HARD_LIMIT,
)
def extract_entries(entry_ids: list[int]) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    from feeds.extract.pipeline import entries_extract

    try:
        read, moves = entries_extract(entry_ids)
    except SoftTimeLimitExceeded:
        log.warning("extraction of %s entries hit its time limit; left queued", len(entry_ids))
        return f"timed out, {len(entry_ids)} left queued"
    return f"read {read}, moves {moves}"


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=30, time_limit=60)
def extract_pending() -> str:
    """Beat, every few minutes: entries still waiting for extraction (a lost message, a
    failed batch, entries stored before extraction existed) are enqueued again. Extraction
    is idempotent, so an entry enqueued twice costs a little time and nothing else."""
    from datetime import timedelta

    from django.utils import timezone

    from feeds.models import Entry
    from feeds.services import EXTRACTION_BATCH

    ids = list(
        Entry.objects.filter(
            extraction_status__in=[Entry.Extraction.QUEUED, Entry.Extraction.WAITING],
            fetched_at__lt=timezone.now() - timedelta(minutes=2),
        )
        .order_by("fetched_at")
        .values_list("pk", flat=True)[:2000]
    )
    for start in range(0, len(ids), EXTRACTION_BATCH):
        extract_entries.delay(ids[start : start + EXTRACTION_BATCH])
    return f"enqueued {len(ids)}"
