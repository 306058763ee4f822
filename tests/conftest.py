from __future__ import annotations

import os
import uuid

import pytest
from django.contrib.auth import get_user_model

TEST_QUEUE = f"tests-{uuid.uuid4().hex[:8]}"


def pytest_configure(config) -> None:
    # Tasks the tests enqueue go to a queue of their own, never to a developer's running
    # worker; workers started by tests are told the same name (CELERY_QUEUE).
    from config.celery import app

    app.conf.task_default_queue = TEST_QUEUE
    os.environ["CELERY_QUEUE"] = TEST_QUEUE


@pytest.fixture
def curator(db):
    """Staff member who reviews and edits records."""
    return get_user_model().objects.create_user(
        "curator", "curator@example.org", "curator-pass-123", is_staff=True, is_superuser=True
    )


@pytest.fixture
def stranger(db):
    """Signed-in user with no staff rights."""
    return get_user_model().objects.create_user(
        "stranger", "stranger@example.org", "stranger-pass-123"
    )


@pytest.fixture(scope="session", autouse=True)
def _purge_test_queue():
    yield
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(TEST_QUEUE)
