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
    """Staff member in the Curators group (made by a migration): reviews, merges, runs feeds.
    Not a superuser, so every check of a right is exercised."""
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        "curator", "curator@example.org", "curator-pass-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.fixture
def viewer(db):
    """Staff member given view-only rights in the admin: may look, may not act."""
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user(
        "viewer", "viewer@example.org", "viewer-pass-123", is_staff=True
    )
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    return user


@pytest.fixture
def stranger(db):
    """Signed-in user with no staff rights."""
    return get_user_model().objects.create_user(
        "stranger", "stranger@example.org", "stranger-pass-123"
    )


@pytest.fixture(scope="session", autouse=True)
def _purge_test_queue():
    yield
    from config.celery import app, queue_names

    with app.connection_for_write() as conn:
        for name in queue_names(TEST_QUEUE):
            conn.default_channel.queue_purge(name)


@pytest.fixture(autouse=True)
def _fresh_page_sections():
    """Each test starts with no cached page sections, so what it measures (queries, pages)
    is the page's own work; versions never repeat, so nothing stale could be served anyway."""
    from django.core.cache import caches

    caches["template_fragments"].clear()
