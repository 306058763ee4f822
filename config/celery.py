from __future__ import annotations

import logging
import os

from celery import Celery
from celery.schedules import crontab
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
log = logging.getLogger(__name__)

app = Celery("talent_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Work is split by kind so each kind can be scaled on its own (more extraction workers,
# one mail worker): feed polls, extraction and mail have queues of their own; beat's other
# sweeps, rebuilds and the heartbeat use the default queue. A worker started without -Q
# consumes all four; `-Q talent.extract` makes one that only extracts.
KIND_OF_TASK = {
    "feeds.tasks.poll_due_feeds": "poll",
    "feeds.tasks.poll_feed": "poll",
    "feeds.tasks.extract_entries": "extract",
    "feeds.tasks.extract_pending": "extract",
    "talent.alerts.tasks.send_due": "mail",
    "talent.alerts.tasks.send_confirmation": "mail",
}
KINDS = ("poll", "extract", "mail")


def queue_names(base: str | None = None) -> list[str]:
    base = base or app.conf.task_default_queue
    return [base, *(f"{base}.{kind}" for kind in KINDS)]


def route_task(name, args, kwargs, options, task=None, **extra):
    """Read at every send, so a process that changes its default queue (the tests give
    themselves one) routes into its own family of queues."""
    kind = KIND_OF_TASK.get(name)
    return {"queue": f"{app.conf.task_default_queue}.{kind}"} if kind else None


app.conf.task_routes = (route_task,)
app.conf.task_queues = [Queue(name) for name in queue_names()]

# How often beat sweeps for due feeds and sends a heartbeat (seconds). Tests shorten it.
SWEEP_SECONDS = float(os.environ.get("BEAT_SWEEP_SECONDS", "60"))

app.conf.beat_schedule = {
    # Feed schedules live in Postgres (next_poll_at); beat only sweeps for due feeds.
    "feeds-poll-due": {
        "task": "feeds.tasks.poll_due_feeds",
        "schedule": SWEEP_SECONDS,
    },
    # Moves are a derived table; a nightly sweep rebuilds any person whose moves drifted
    # from their stints (for example after a bulk edit that bypassed the services).
    # Entries whose extraction message was lost (or that predate extraction) are retried
    # from the database, not from broker countdowns.
    "feeds-extract-pending": {
        "task": "feeds.tasks.extract_pending",
        "schedule": 300.0,
    },
    "moves-reconcile": {
        "task": "talent.tasks.moves_reconcile",
        "schedule": crontab(hour=3, minute=17),
    },
    # The alerts' outbox: retries and digests wait in Postgres (due_at); beat only sweeps.
    "alerts-send-due": {
        "task": "talent.alerts.tasks.send_due",
        "schedule": SWEEP_SECONDS,
    },
    "healthcheck-heartbeat": {
        "task": "talent.tasks.heartbeat",
        "schedule": SWEEP_SECONDS,
    },
}


def enqueue_on_commit(task, *args) -> None:
    """Send ``task`` once the current transaction commits (at once outside one).

    Only for work that is also recorded in PostgreSQL and swept by beat (a due feed, an
    entry queued for extraction, an outbox row): when the broker is down the message is
    lost but not the work, so the error is logged, never raised into a page or a poll.
    """
    from django.db import transaction

    def send() -> None:
        try:
            task.delay(*args)
        except Exception as exc:  # noqa: BLE001 - the broker's errors vary by transport
            log.warning("could not enqueue %s%r (the sweep will): %s", task.name, args, exc)

    transaction.on_commit(send)
