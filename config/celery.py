from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("talent_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

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
