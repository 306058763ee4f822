"""Every page of the site with something on it, for the layout and accessibility passes:
the demo world, plus what only curators and followers see (a queue, feeds, follows)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

FOLLOWER_EMAIL = "reader@example.org"


def extra_world(curator) -> dict:
    """Pending announcements (more than a page), feeds in every state (one failing with a
    long address and a long error), and a subscriber with follows."""
    from feeds.models import Feed
    from talent.alerts import tokens
    from talent.alerts.models import Follow, Subscriber
    from talent.models import Organization, Person, Precision
    from talent.resolve import Gazetteer
    from talent.services import MoveInput, SourceInput, announcement_record

    gazetteer = Gazetteer.load()
    pending = []
    for i in range(23):
        announcement, _ = announcement_record(
            move=MoveInput(
                kind="join",
                person=f"Queued Person {i:02d}",
                from_org="Google DeepMind",
                to_org="Anthropic",
                title="Member of technical staff",
                date=dt.date(2025, 1, 1) + dt.timedelta(days=i),
                date_precision=Precision.DAY,
                confidence=0.5 + i / 100,
            ),
            source=SourceInput(
                url=f"https://news.example.org/queued-{i}",
                publisher="Example News",
                title=f"Queued Person {i:02d} joins Anthropic from Google DeepMind",
                evidence=f"Queued Person {i:02d} has joined Anthropic from Google DeepMind.",
            ),
            gazetteer=gazetteer,
        )
        pending.append(announcement)
    conflict, _ = announcement_record(
        move=MoveInput(
            kind="depart",
            person="Andrej Karpathy",
            from_org="Tesla",
            date=dt.date(2025, 3, 1),
            date_precision=Precision.MONTH,
            confidence=0.99,
        ),
        source=SourceInput(
            url="https://news.example.org/karpathy-leaves-tesla-again",
            publisher="Example News",
            evidence="Andrej Karpathy is leaving Tesla.",
        ),
        gazetteer=gazetteer,
    )
    now = timezone.now()
    Feed.objects.create(
        url="https://news.example.org/a/very/long/path/to/a/feed/that/goes/on/and/on/"
        "and/never/seems/to/end/feed.xml?with=query&and=more-parameters-that-are-long",
        title="",
        consecutive_errors=3,
        last_status=Feed.Status.ERROR,
        last_error="HTTPStatusError: Server error '503 Service Unavailable' for url "
        "'https://news.example.org/a/very/long/path/to/a/feed/that/goes/on/and/on/feed.xml'",
        last_error_at=now,
        next_poll_at=now + dt.timedelta(hours=2),
    )
    Feed.objects.create(
        url="https://news.example.org/quiet.xml",
        title="Quiet Wire",
        last_status=Feed.Status.NOT_MODIFIED,
        last_success_at=now,
        next_poll_at=now + dt.timedelta(minutes=30),
    )
    Feed.objects.create(
        url="https://news.example.org/ok.xml",
        title="Busy Wire",
        last_status=Feed.Status.OK,
        last_success_at=now,
        next_poll_at=now + dt.timedelta(minutes=10),
    )
    subscriber = Subscriber.objects.create(email=FOLLOWER_EMAIL, user=curator)
    Follow.objects.create(
        subscriber=subscriber,
        target=Follow.Target.COMPANY,
        organization=Organization.objects.get(slug="anthropic"),
        state=Follow.State.ACTIVE,
    )
    Follow.objects.create(
        subscriber=subscriber,
        target=Follow.Target.PERSON,
        person=Person.objects.get(slug="andrej-karpathy"),
    )
    return {
        "pending": pending,
        "conflict": conflict,
        "confirm": tokens.confirm_token(subscriber),
        "manage": tokens.manage_token(subscriber),
        "unsubscribe": tokens.unsubscribe_token(subscriber),
    }


def public_pages() -> list[str]:
    return [
        "/",
        "/search/?q=karpaty",
        "/search/?q=pre",
        "/people/",
        "/people/?sort=name",
        "/companies/",
        "/companies/?sort=kind",
        "/people/andrej-karpathy/",
        "/people/ilya-sutskever/",
        "/companies/anthropic/",
        "/companies/openai/",
        "/companies/anthropic/at/?date=2024-06-30",
        "/companies/anthropic/at/?date=2010-01-01",
        "/companies/anthropic/teams/pre-training/",
        "/companies/openai/flows/",
        "/companies/openai/flows/?start=2015-01&end=2025-12&by=year",
        "/companies/google/flows/?start=2015-01&end=2025-12&by=quarter",
        "/companies/openai/alumni/",
        "/companies/openai/alumni/?now=here",
        "/flows/",
        "/flows/?start=2015-01&end=2025-12&top=20",
        "/flows/trends/",
        "/flows/trends/?start=2015-01&end=2025-12&by=year",
        "/flows/lag/",
        "/moves/",
        "/moves/?company=Anthropic&kind=join",
        "/moves/?company=openai&direction=out&start=2020-01&end=2025-12",
        "/alerts/direction/",
        "/alerts/direction/?from=openai&to=anthropic",
        "/people/nobody-at-all/",
    ]


def token_pages(world: dict) -> list[str]:
    return [
        f"/alerts/confirm/{world['confirm']}/",
        f"/alerts/manage/{world['manage']}/",
        f"/alerts/unsubscribe/{world['unsubscribe']}/",
        "/alerts/manage/not-a-token/",
    ]


def curator_pages(world: dict) -> list[str]:
    return [
        "/review/",
        f"/review/?after={world['pending'][5].pk}",
        f"/review/{world['pending'][0].pk}/edit/",
        "/feeds/",
        "/feeds/lag/",
        "/alerts/mine/",
    ]
