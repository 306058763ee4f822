from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_database_url() -> str:
    """The URL of the database the tests run on, so a subprocess sees the same rows."""
    s = connection.settings_dict
    auth = s["USER"] or "postgres"
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


test_database_url.__test__ = False  # not a test, despite its name


@dataclass
class Worker:
    queue: str
    process: subprocess.Popen
    output: list[str] = field(default_factory=list)

    def log(self) -> str:
        return "".join(self.output[-60:])


def start_worker(queue: str, *extra: str, env: dict[str, str] | None = None) -> Worker:
    """A real Celery worker process on the real Redis, consuming only ``queue``."""
    full_env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "CELERY_QUEUE": queue,
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel",
            "INFO",
            # No -Q: the worker consumes its queue and the poll, extract and mail queues
            # named after it (config/celery.py), as a deployment's workers do.
            "--hostname",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            *extra,
        ],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    worker = Worker(queue=queue, process=process)
    ready = threading.Event()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            worker.output.append(line)
            if " ready." in line:
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(45):
        process.kill()
        raise RuntimeError(f"worker did not start within 45 s:\n{worker.log()}")
    return worker


def stop_worker(worker: Worker) -> None:
    if worker.process.poll() is None:
        worker.process.terminate()
        try:
            worker.process.wait(15)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait(5)


@pytest.fixture
def worker_queue() -> str:
    """The test session's own queue (tests/conftest.py), emptied of earlier tests' messages,
    so a developer's running `make run` worker never takes these tasks and vice versa."""
    from config.celery import app, queue_names

    queue = app.conf.task_default_queue
    with app.connection_for_write() as conn:
        for name in queue_names(queue):
            conn.default_channel.queue_purge(name)
    return queue


@pytest.fixture
def celery_worker(transactional_db, worker_queue) -> Iterator[Worker]:
    worker = start_worker(worker_queue, "--concurrency", "1")
    try:
        yield worker
    finally:
        stop_worker(worker)


def wait_until(predicate, *, timeout: float = 30.0, interval: float = 0.1, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {message or predicate}")
