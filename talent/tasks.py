"""Thin Celery tasks: load by id, call a service, return a short status."""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.conf import settings

from talent import services

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "talent:worker-heartbeat"


@shared_task(acks_late=True)
def moves_rebuild_for_person(person_id: int) -> str:
    count = services.moves_rebuild(person_ids=[person_id])
    log.info("moves rebuilt for person %s: %s", person_id, count)
    return f"moves {count}"


@shared_task(acks_late=True)
def moves_reconcile() -> str:
    stale = services.moves_out_of_sync()
    if stale:
        services.moves_rebuild(person_ids=stale)
    log.info("moves reconciled: %s people rebuilt", len(stale))
    return f"rebuilt {len(stale)}"


@shared_task(ignore_result=True)
def heartbeat() -> str:
    """Beat sends this every minute; /healthz reports how long ago a worker ran it."""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)
    client.set(HEARTBEAT_KEY, f"{time.time():.0f}", ex=3600)
    return "ok"


# The alerts' tasks live beside their code; importing them here registers them with Celery.
from talent.alerts.tasks import send_confirmation, send_due  # noqa: E402, F401
