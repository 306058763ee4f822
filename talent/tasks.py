"""Thin Celery tasks: load by id, call a service, return a short status."""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.conf import settings

from talent import services

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "talent:worker-heartbeat"


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def moves_rebuild_for_person(person_id: int) -> str:
    count = services.moves_rebuild(person_ids=[person_id])
    log.info("moves rebuilt for person %s: %s", person_id, count)
    return f"moves {count}"


# A million stints take a couple of minutes in batches of 2,000 people; a run that hangs
# must not hold a worker for ever.
@shared_task(acks_late=True, soft_time_limit=3600, time_limit=3700)
def moves_reconcile() -> str:
    rebuilt = services.moves_reconcile()
    log.info("moves reconciled: %s people rebuilt", rebuilt)
    return f"rebuilt {rebuilt}"


@shared_task(ignore_result=True, soft_time_limit=10, time_limit=20)
def heartbeat() -> str:
    """Beat sends this every minute; /healthz reports how long ago a worker ran it."""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)
    client.set(HEARTBEAT_KEY, f"{time.time():.0f}", ex=3600)
    return "ok"


# The alerts' tasks live beside their code; importing them here registers them with Celery.
from talent.alerts.tasks import send_confirmation, send_due  # noqa: E402, F401
