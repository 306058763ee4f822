"""The outbox: rows created when a move is approved, sent once, checked again before sending."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from talent import services as talent_services
from talent.alerts import outbox
from talent.alerts.models import Delivery
from talent.models import Announcement, Move, Stint
from tests import factories as f
from tests.talent.alerts.conftest import approve, follower, follows, parsed, sent_to

pytestmark = pytest.mark.django_db


def send() -> outbox.SendReport:
    return outbox.deliveries_send(budget_seconds=30)


def test_an_approved_move_reaches_each_follower_once_whatever_they_follow():
    openai, anthropic = f.org("OpenAI"), f.org("Anthropic")
    jan = f.person("Jan Leike")
    f.stint(jan, openai, "2021-01", "present")
    both = follower("both@example.org")
    follows(both, organization=openai)
    follows(both, organization=anthropic)
    follows(both, person=jan)
    follows(both, from_org=openai, to_org=anthropic)
    only_person = follower("person@example.org")
    follows(only_person, person=jan)

    approve("join", "Jan Leike", from_org="OpenAI", to_org="Anthropic")

    assert Delivery.objects.count() == 2
    report = send()
    assert report.sent == 2
    assert len(sent_to("both@example.org")) == 1
    assert len(sent_to("person@example.org")) == 1
    # Sending again, or a retry of the whole task, sends nothing more.
    assert send().sent == 0
    assert len(mail.outbox) == 2


def test_the_message_has_the_move_evidence_sources_links_why_and_list_headers():
    openai, anthropic = f.org("OpenAI"), f.org("Anthropic")
    jan = f.person("Jan Leike")
    f.stint(jan, openai, "2021-01", "present")
    reader = follower("reader@example.org")
    follows(reader, from_org=openai, to_org=anthropic)
    approve(
        "join",
        "Jan Leike",
        from_org="OpenAI",
        to_org="Anthropic",
        url="https://news.example.org/leike",
        evidence="Jan Leike has joined Anthropic after leaving OpenAI.",
    )
    send()
    (message,) = mail.outbox
    assert message.subject == "Jan Leike joined Anthropic from OpenAI, 1 Mar 2026"
    text = message.body
    assert "Jan Leike has joined Anthropic after leaving OpenAI." in text
    assert "https://news.example.org/leike" in text
    assert "/people/jan-leike/" in text and "/companies/anthropic/" in text
    assert "you follow OpenAI → Anthropic" in text
    html, mime = message.alternatives[0]
    assert mime == "text/html" and "you follow <strong>OpenAI → Anthropic</strong>" in html
    headers = parsed(message)
    unsubscribe = str(headers["List-Unsubscribe"]).strip()  # folded: it is long
    assert unsubscribe.startswith("<http") and "/alerts/unsubscribe/" in unsubscribe
    assert "<mailto:" in unsubscribe
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Id"].endswith(".alerts.127.0.0.1>")
    assert headers["Auto-Submitted"] == "auto-generated"
    delivery = Delivery.objects.get()
    assert headers["Message-ID"] == delivery.message_id == f"<alert.{delivery.pk}@127.0.0.1>"
    assert delivery.state == Delivery.State.SENT and delivery.summary == message.subject


def test_unconfirmed_and_suppressed_addresses_get_no_alerts():
    lab = f.org("Anthropic")
    follows(follower("new@example.org", confirmed=False), organization=lab)
    gone = follower("gone@example.org")
    follows(gone, organization=lab)
    gone.suppressed_at = gone.confirmed_at
    gone.save()
    approve("join", "Someone New", to_org="Anthropic")
    assert Delivery.objects.count() == 0
    send()
    assert mail.outbox == []


def test_a_move_rejected_or_withdrawn_before_sending_is_not_sent():
    lab = f.org("Anthropic")
    reader = follower("reader@example.org")
    follows(reader, organization=lab)
    # A pending report that a curator rejects never makes a row.
    pending, _ = talent_services.announcement_record(
        move=talent_services.MoveInput(kind="join", person="Not Real", to_org="Anthropic"),
        source=talent_services.SourceInput(url="https://x.example.org/1", evidence="Rumour."),
        gazetteer=__import__("talent.resolve").resolve.Gazetteer.load(),
    )
    talent_services.announcement_reject(announcement=pending, user=None, reason="not a move")
    assert Delivery.objects.count() == 0

    # Approved, then set to rejected (an admin's change of mind) before the sender ran.
    approved = approve("join", "Ada Lovelace", to_org="Anthropic")
    Announcement.objects.filter(pk=approved.pk).update(state=Announcement.State.REJECTED)
    # Approved, then its stint deleted as wrong before the sender ran.
    wrong = approve("join", "Grace Hopper", to_org="Anthropic")
    Stint.objects.filter(pk=wrong.opened_stint_id).delete()
    talent_services.moves_rebuild(person_ids=[wrong.person_id])

    report = send()
    assert report.sent == 0 and report.cancelled == 2
    assert mail.outbox == []
    assert set(Delivery.objects.values_list("state", flat=True)) == {"cancelled"}


def test_a_follow_stopped_before_sending_is_not_sent():
    lab = f.org("Anthropic")
    reader = follower()
    follow = follows(reader, organization=lab)
    approve("join", "Ada Lovelace", to_org="Anthropic")
    follow.state = "stopped"
    follow.save()
    assert send().cancelled == 1
    assert mail.outbox == []


def test_a_move_corrected_after_sending_gets_a_short_correction_once():
    lab = f.org("Anthropic")
    reader = follower("reader@example.org")
    follows(reader, organization=lab)
    applied = approve("join", "Ada Lovelace", to_org="Anthropic", date=dt.date(2026, 3, 1))
    send()
    assert len(mail.outbox) == 1
    Stint.objects.filter(pk=applied.opened_stint_id).update(start_date=dt.date(2026, 2, 1))
    talent_services.moves_rebuild(person_ids=[applied.person_id])
    talent_services.moves_rebuild(person_ids=[applied.person_id])  # nothing more changes
    send()
    assert len(mail.outbox) == 2
    correction = mail.outbox[1]
    assert correction.subject == "Correction: Ada Lovelace joined Anthropic, 1 Feb 2026"
    assert "We said:  Ada Lovelace joined Anthropic, 1 Mar 2026" in correction.body
    assert parsed(correction)["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The move kept its id through the rebuild: the outbox still points at it.
    assert Delivery.objects.filter(move__isnull=False).count() == 2
    assert Move.objects.filter(person_id=applied.person_id).count() == 1


def test_temporary_failures_wait_in_the_database_with_backoff(settings):
    settings.EMAIL_BACKEND = "tests.talent.alerts.failing.TemporaryFailure"
    lab = f.org("Anthropic")
    follows(follower("reader@example.org"), organization=lab)
    approve("join", "Ada Lovelace", to_org="Anthropic")
    report = send()
    assert report.retried == 1 and report.sent == 0
    row = Delivery.objects.get()
    assert row.state == "queued" and row.attempts == 1 and "421" in row.last_error
    assert row.due_at > row.created + dt.timedelta(seconds=50)
    # Not due yet: a second run sends nothing, and makes no second attempt.
    assert send().retried == 0
    assert Delivery.objects.get().attempts == 1


def test_a_permanent_refusal_fails_the_row_and_stops_the_address(settings):
    settings.EMAIL_BACKEND = "tests.talent.alerts.failing.UnknownUser"
    lab = f.org("Anthropic")
    reader = follower("nobody@example.org")
    follows(reader, organization=lab)
    approve("join", "Ada Lovelace", to_org="Anthropic")
    assert send().failed == 1
    reader.refresh_from_db()
    assert reader.is_suppressed and "550" in reader.suppressed_reason


def test_rows_claimed_by_a_killed_sender_come_back_after_their_lease_and_go_out_once(settings):
    from talent.alerts import clock

    settings.ALERTS_SEND_LEASE_SECONDS = 60
    lab = f.org("Anthropic")
    for i in range(3):
        follows(follower(f"r{i}@example.org"), organization=lab)
    start = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    with clock.frozen(start):
        approve("join", "Ada Lovelace", to_org="Anthropic")
        # A sender claims the rows and dies before sending any of them.
        claimed = outbox._claim_instant(clock.now(), 10)
    assert len(claimed) == 3
    with clock.frozen(start + dt.timedelta(seconds=59)):
        assert send().sent == 0  # still leased to the dead sender
    with clock.frozen(start + dt.timedelta(seconds=61)):
        assert send().sent == 3
    with clock.frozen(start + dt.timedelta(hours=1)):
        assert send().sent == 0
    assert sorted(m.to[0] for m in mail.outbox) == [f"r{i}@example.org" for i in range(3)]


def test_one_message_that_cannot_be_written_stops_no_other(monkeypatch):
    from talent.alerts import messages

    lab = f.org("Anthropic")
    follows(follower("a@example.org"), organization=lab)
    follows(follower("b@example.org"), organization=lab)
    approve("join", "Ada Lovelace", to_org="Anthropic")
    real = messages.alert

    def broken_for_a(delivery, *args, **kwargs):
        if delivery.subscriber.email == "a@example.org":
            raise RuntimeError("template exploded")
        return real(delivery, *args, **kwargs)

    monkeypatch.setattr(messages, "alert", broken_for_a)
    report = send()
    assert report.sent == 1 and report.retried == 1
    assert [m.to for m in mail.outbox] == [["b@example.org"]]
    assert Delivery.objects.get(subscriber__email="a@example.org").state == "queued"


def test_auto_approved_moves_fan_out_too(settings):
    from talent.resolve import Gazetteer

    settings.AUTO_APPROVE_CONFIDENCE = 0.9
    lab = f.org("Anthropic")
    f.person("Ada Lovelace")
    follows(follower("reader@example.org"), organization=lab)
    announcement, _ = talent_services.announcement_record(
        move=talent_services.MoveInput(
            kind="join", person="Ada Lovelace", to_org="Anthropic", confidence=0.95
        ),
        source=talent_services.SourceInput(
            url="https://news.example.org/ada", evidence="Ada Lovelace joins Anthropic."
        ),
        gazetteer=Gazetteer.load(),
    )
    announcement.refresh_from_db()
    assert announcement.state == Announcement.State.AUTO_APPROVED
    assert send().sent == 1


def test_a_move_merged_away_before_sending_is_not_sent():
    from talent.merging import merge

    deepmind, google = f.org("DeepMind"), f.org("Google")
    who = f.person("Demis Hassabis")
    f.stint(who, deepmind, "2010", "present")
    reader = follower("reader@example.org")
    follows(reader, from_org=deepmind, to_org=google)
    approve("join", "Demis Hassabis", from_org="DeepMind", to_org="Google")
    assert Delivery.objects.count() == 1
    # The two were one company all along: the move is now a new role inside it.
    merge(kind="organization", source=deepmind, target=google)
    report = send()
    assert report.sent == 0 and report.cancelled == 1
    assert mail.outbox == []


def test_the_sender_task_ends_before_its_lease_does():
    from django.conf import settings as live

    from talent.alerts import tasks

    lease = live.ALERTS_SEND_LEASE_SECONDS
    assert tasks.SEND_BUDGET < tasks.send_due.soft_time_limit < tasks.send_due.time_limit < lease
    assert tasks.send_due.acks_late and tasks.send_due.reject_on_worker_lost
