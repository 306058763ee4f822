"""Reads of public pages and the API from a read replica, when there is one.

With DATABASE_REPLICA_URL set, a GET or HEAD of a public page or of /api/ reads the
domain's tables (people, organizations, moves, flows...) from the replica; every write,
and everything a curator or the admin does, uses the primary. A replica lags its primary
by a moment: a public page may show a just-approved move a second later.
"""

from __future__ import annotations

from contextvars import ContextVar

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)
# Only the domain's own tables: sessions, users and messages always come from the primary.
_REPLICATED_APPS = {"talent", "feeds"}


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_from_replica.get() and model._meta.app_label in _REPLICATED_APPS:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two connections to it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica follows the primary; it is never migrated


class reading_from_replica:  # noqa: N801 - used like a function: with reading_from_replica():
    def __enter__(self):
        self.token = _reading_from_replica.set(True)

    def __exit__(self, *exc):
        _reading_from_replica.reset(self.token)
