"""The alerts' one clock. Tests freeze it (``frozen``) to check digest times in several time
zones without sleeping; everything in talent.alerts asks ``now()`` instead of timezone.now()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen or timezone.now()


@contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    global _frozen
    if timezone.is_naive(at):
        raise ValueError("freeze the clock at an aware datetime")
    previous, _frozen = _frozen, at
    try:
        yield
    finally:
        _frozen = previous
