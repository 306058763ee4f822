"""Thin tasks: load by id, call a service, return a short status. Registered through
talent.tasks (which Celery's autodiscovery imports)."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.conf import settings

from talent.alerts import outbox

log = logging.getLogger(__name__)

# The lease on claimed rows outlasts the task's hard limit, so a live sender never has its
# rows claimed by another; a killed one's rows come back when the lease runs out.
_LEASE = settings.ALERTS_SEND_LEASE_SECONDS
SEND_BUDGET = max(1.0, _LEASE * 0.25)  # then the task stops claiming and hands over
SEND_SOFT_LIMIT = max(3, int(_LEASE * 0.5))
SEND_HARD_LIMIT = max(SEND_SOFT_LIMIT + 2, int(_LEASE * 0.6))
assert SEND_HARD_LIMIT < _LEASE, "the lease must outlast the sender task"


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SEND_SOFT_LIMIT,
    time_limit=SEND_HARD_LIMIT,
)
def send_due() -> str:
    """Beat runs this every minute, and approvals enqueue it after commit. Runs several at
    once safely (rows are claimed with SKIP LOCKED)."""
    report = outbox.deliveries_send(budget_seconds=SEND_BUDGET)
    if report.more:
        send_due.delay()
    log.info("alerts: %s", report)
    return str(report)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=30,
    time_limit=45,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=300,
    max_retries=3,
)
def send_confirmation(subscriber_id: int) -> str:
    status = outbox.confirmation_send(subscriber_id=subscriber_id)
    log.info("alerts: confirmation to subscriber %s: %s", subscriber_id, status)
    return status
