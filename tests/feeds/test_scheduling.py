from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections, transaction
from django.utils import timezone

from feeds import services
from feeds.models import Feed
from feeds.tasks import poll_due_feeds

pytestmark = pytest.mark.django_db(transaction=True)


def _feeds(count: int, *, due: bool = True, active: bool = True) -> list[Feed]:
    when = (
        timezone.now() - dt.timedelta(minutes=1) if due else timezone.now() + dt.timedelta(hours=1)
    )
    return [
        Feed.objects.create(
            url=f"https://news.example.org/{due}-{active}-{i}.xml", next_poll_at=when, active=active
        )
        for i in range(count)
    ]


def test_the_sweep_claims_only_due_active_feeds_and_leases_them():
    due = _feeds(3)
    _feeds(2, due=False)
    _feeds(2, active=False)
    claimed = services.feeds_claim_due()
    assert sorted(claimed) == sorted(f.pk for f in due)
    for feed in Feed.objects.filter(pk__in=claimed):
        assert feed.next_poll_at > timezone.now() + dt.timedelta(minutes=4)  # the lease
    assert services.feeds_claim_due() == []  # claimed feeds are not handed out twice


def test_two_sweeps_at_once_never_claim_the_same_feed():
    _feeds(6)
    second: list[int] = []

    def other_sweep() -> None:
        second.extend(services.feeds_claim_due())
        connections["default"].close()

    with transaction.atomic():
        first = services.feeds_claim_due(limit=3)
        # The first sweep still holds its rows; a sweep on another connection skips them
        # instead of waiting or claiming them again.
        thread = threading.Thread(target=other_sweep)
        thread.start()
        thread.join(10)
    assert len(first) == 3 and len(second) == 3 and not set(first) & set(second)


def test_the_beat_task_claims_each_due_feed_once():
    _feeds(4)
    assert poll_due_feeds() == "claimed 4"
    assert poll_due_feeds() == "claimed 0"
