from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

TEST_QUEUE = f"tests-{uuid.uuid4().hex[:8]}"


def pytest_configure(config) -> None:
    # Tasks the tests enqueue go to a queue of their own, never to a developer's running
    # worker; workers started by tests are told the same name (CELERY_QUEUE).
    from config.celery import app

    app.conf.task_default_queue = TEST_QUEUE
    os.environ["CELERY_QUEUE"] = TEST_QUEUE
    if config.option.reuse_db and not config.option.create_db and _kept_database_is_stale():
        # A kept test database built from other migrations (renumbered, edited, or from
        # another branch) would fail at its first CREATE TABLE; build it afresh instead.
        config.option.create_db = True


def _migrations_fingerprint() -> str:
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return "migrations:" + digest.hexdigest()


def _test_database_name() -> str:
    from django.conf import settings

    default = settings.DATABASES["default"]
    return default.get("TEST", {}).get("NAME") or "test_" + default["NAME"]


def _kept_database_is_stale() -> bool:
    """Whether the kept test database was migrated from other migration files than these.
    The fingerprint lives in the database's comment, written once its set-up succeeded."""
    import psycopg
    from django.conf import settings

    default = settings.DATABASES["default"]
    params = {"host": default["HOST"], "port": default["PORT"], "user": default["USER"]}
    params = {key: value for key, value in params.items() if value}
    if default.get("PASSWORD"):
        params["password"] = default["PASSWORD"]
    # pytest-django blocks Django's connections until the session's fixtures run.
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [_test_database_name()],
        ).fetchone()
    return row is not None and row[0] != _migrations_fingerprint()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        # A utility statement takes no parameters; the fingerprint is hex digits only.
        cursor.execute(f"COMMENT ON DATABASE {name} IS '{_migrations_fingerprint()}'")


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


@pytest.fixture(autouse=True)
def _pages_exact(settings):
    """Tests see every write on every page at once; tests/talent/test_pagecache.py checks
    the grace a production site gives readers who are not signed in."""
    settings.PAGE_CACHE_GRACE = 0
