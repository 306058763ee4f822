"""Thin Celery tasks for ingestion: load by id, call a service, return a short status."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction

from feeds import services

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def poll_due_feeds() -> str:
    """Beat, every minute: claim the feeds that are due and enqueue one poll for each."""
    with transaction.atomic():
        ids = services.feeds_claim_due()
        transaction.on_commit(lambda: [poll_feed.delay(feed_id) for feed_id in ids])
    return f"claimed {len(ids)}"


@shared_task(acks_late=True, reject_on_worker_lost=True)
def poll_feed(feed_id: int) -> str:
    outcome = services.feed_poll(feed_id=feed_id)
    log.info("feed %s: %s", feed_id, outcome)
    return str(outcome)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def extract_entries(entry_ids: list[int]) -> str:
    from feeds.extract.pipeline import entries_extract

    read, moves = entries_extract(entry_ids)
    return f"read {read}, moves {moves}"
