from __future__ import annotations

import datetime as dt
import email
import email.policy
import itertools

import pytest
from django.core import mail
from django.core.cache import cache

from talent.alerts import services
from talent.alerts.models import Follow, Subscriber
from talent.models import Announcement, Precision
from talent.resolve import Gazetteer
from talent.services import MoveInput, SourceInput, announcement_apply, announcement_record

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _one_connection(settings):
    # These tests run inside a transaction the sender's threads could not see: send inline.
    settings.ALERTS_SMTP_CONNECTIONS = 1


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the shared Redis cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


def follower(email: str | None = None, *, confirmed: bool = True, **schedule) -> Subscriber:
    """A reader's address; confirmed unless told otherwise."""
    subscriber = Subscriber.objects.create(
        email=email or f"reader{next(_seq)}@example.org",
        confirmed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) if confirmed else None,
        **schedule,
    )
    return subscriber


def follows(subscriber: Subscriber, **fields) -> Follow:
    """An active follow (``organization=``, ``team=``, ``person=``, ``from_org=``/``to_org=``)."""
    target = services.FollowTarget(
        **{
            k: fields.pop(k)
            for k in ("organization", "team", "person", "from_org", "to_org")
            if k in fields
        }
    )
    return Follow.objects.create(
        subscriber=subscriber, **target.fields(), state=Follow.State.ACTIVE, **fields
    )


def approve(
    kind: str,
    person: str,
    *,
    to_org: str | None = None,
    from_org: str | None = None,
    team: str | None = None,
    date: dt.date | None = dt.date(2026, 3, 1),
    url: str | None = None,
    evidence: str = "",
) -> Announcement:
    """Record a report of a move and approve it, as a curator does."""
    announcement, _ = announcement_record(
        move=MoveInput(
            kind=kind,
            person=person,
            from_org=from_org,
            to_org=to_org,
            team=team,
            date=date,
            date_precision=Precision.DAY if date else Precision.UNKNOWN,
            confidence=0.9,
        ),
        source=SourceInput(
            url=url or f"https://news.example.org/{next(_seq)}",
            title="A report",
            publisher="Example News",
            evidence=evidence or f"{person} is moving, the company said.",
        ),
        gazetteer=Gazetteer.load(),
    )
    return announcement_apply(announcement=announcement, force=True)


def parsed(message) -> email.message.EmailMessage:
    """A sent message as a receiver parses it."""
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


def text_of(message) -> str:
    return message.body


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]
