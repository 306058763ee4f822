"""Daily and weekly digests: at the reader's hour in the reader's time zone, one message
grouped by company. The clock is frozen (talent.alerts.clock)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from talent.alerts import clock, outbox, services, tokens
from talent.alerts.models import Delivery
from tests import factories as f
from tests.talent.alerts.conftest import approve, follower, follows

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def send_at(moment: dt.datetime) -> outbox.SendReport:
    with clock.frozen(moment):
        return outbox.deliveries_send(budget_seconds=30)


def test_daily_digests_go_out_at_the_readers_hour_in_two_time_zones_grouped_by_company():
    anthropic, openai = f.org("Anthropic"), f.org("OpenAI")
    paris = follower("paris@example.org", timezone="Europe/Paris", digest_hour=8)
    la = follower("la@example.org", timezone="America/Los_Angeles", digest_hour=8)
    for reader in (paris, la):
        follows(reader, organization=anthropic, frequency="daily")
        follows(reader, organization=openai, frequency="daily")
    # Tuesday 10 March 2026, 12:00 UTC: 13:00 in Paris (CET), 05:00 in Los Angeles (PDT
    # since 8 March).
    with clock.frozen(at(2026, 3, 10, 12)):
        approve("join", "Ada Lovelace", to_org="Anthropic", date=dt.date(2026, 3, 2))
        approve("join", "Grace Hopper", to_org="OpenAI", date=dt.date(2026, 3, 3))
        approve("join", "Alan Turing", to_org="Anthropic", date=dt.date(2026, 3, 4))
    due = dict(Delivery.objects.values_list("subscriber__email", "due_at").distinct())
    assert due == {"la@example.org": at(2026, 3, 10, 15), "paris@example.org": at(2026, 3, 11, 7)}

    assert send_at(at(2026, 3, 10, 14, 59)).sent == 0
    assert send_at(at(2026, 3, 10, 15, 0)).sent == 1
    (digest,) = mail.outbox
    assert digest.to == ["la@example.org"]
    assert digest.subject == "Your daily Talent Tracker digest: 3 moves"
    body = digest.body
    assert body.index("== Anthropic ==") < body.index("== OpenAI ==")
    anthropic_part = body[body.index("== Anthropic ==") : body.index("== OpenAI ==")]
    # Newest first within a company.
    assert anthropic_part.index("Alan Turing") < anthropic_part.index("Ada Lovelace")
    assert "Grace Hopper" in body[body.index("== OpenAI ==") :]
    assert Delivery.objects.filter(subscriber=la, state="sent").count() == 3
    assert len(set(Delivery.objects.filter(subscriber=la).values_list("message_id"))) == 1

    assert send_at(at(2026, 3, 11, 6, 59)).sent == 0
    assert send_at(at(2026, 3, 11, 7, 0)).sent == 1
    assert mail.outbox[1].to == ["paris@example.org"]
    assert send_at(at(2026, 3, 12, 7, 0)).sent == 0


def test_weekly_digests_wait_for_the_chosen_weekday_and_an_instant_follow_wins():
    lab = f.org("Anthropic")
    tokyo = follower("tokyo@example.org", timezone="Asia/Tokyo", digest_hour=9, digest_weekday=1)
    follows(tokyo, organization=lab, frequency="weekly")
    both = follower("both@example.org")
    follows(both, organization=lab, frequency="weekly")
    follows(both, person=f.person("Ada Lovelace"), frequency="instant")
    # Wednesday 11 March 2026, 00:00 UTC = 09:00 in Tokyo, Wednesday.
    with clock.frozen(at(2026, 3, 11, 0)):
        approve("join", "Ada Lovelace", to_org="Anthropic")
    tokyo_row = Delivery.objects.get(subscriber=tokyo)
    # Next Monday 09:00 in Tokyo = Monday 16 March, 00:00 UTC.
    assert tokyo_row.due_at == at(2026, 3, 16, 0)
    assert Delivery.objects.get(subscriber=both).frequency == "instant"
    assert send_at(at(2026, 3, 11, 0, 1)).sent == 1  # the instant one
    assert send_at(at(2026, 3, 15, 23, 59)).sent == 0
    assert send_at(at(2026, 3, 16, 0)).sent == 1
    assert "weekly" in mail.outbox[-1].subject


def test_changing_the_hour_or_frequency_reschedules_what_is_waiting():
    lab = f.org("Anthropic")
    reader = follower("r@example.org", timezone="UTC", digest_hour=8)
    follow = follows(reader, organization=lab, frequency="daily")
    with clock.frozen(at(2026, 3, 10, 12)):
        approve("join", "Ada Lovelace", to_org="Anthropic")
        assert Delivery.objects.get().due_at == at(2026, 3, 11, 8)
        services.subscriber_set_schedule(
            subscriber=reader, timezone="Asia/Kolkata", digest_hour=20, digest_weekday=1
        )
        # 20:00 in Kolkata (UTC+5:30) = 14:30 UTC, still today.
        assert Delivery.objects.get().due_at == at(2026, 3, 10, 14, 30)
        services.follow_set_frequency(follow=follow, frequency="instant")
        assert Delivery.objects.get().due_at == at(2026, 3, 10, 12)
    assert tokens.manage_token(reader)
