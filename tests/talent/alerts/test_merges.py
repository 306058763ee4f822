"""A follow of a merged record follows the surviving one, and comes back on undo."""

from __future__ import annotations

import pytest
from django.core import mail

from talent.alerts import outbox
from talent.alerts.models import Delivery, Follow
from talent.merging import merge, merge_undo
from tests import factories as f
from tests.talent.alerts.conftest import approve, follower, follows

pytestmark = pytest.mark.django_db


def test_follows_move_to_the_survivor_and_back_on_undo():
    kept, dup = f.org("Google DeepMind"), f.org("DeepMind")
    other = f.org("OpenAI")
    reader = follower("reader@example.org")
    company = follows(reader, organization=dup)
    direction = follows(reader, from_org=dup, to_org=other)
    who = f.person("Demis Hassabis")
    person_dup = f.person("D. Hassabis")
    person_follow = follows(reader, person=person_dup)

    record = merge(kind="organization", source=dup, target=kept)
    assert Follow.objects.get(pk=company.pk).organization == kept
    assert Follow.objects.get(pk=direction.pk).from_org == kept
    person_record = merge(kind="person", source=person_dup, target=who)
    assert Follow.objects.get(pk=person_follow.pk).person == who

    # A move at the survivor reaches the follower of the merged record, once.
    approve("join", "Someone", to_org="Google DeepMind")
    outbox.deliveries_send(budget_seconds=10)
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    assert "you follow Google DeepMind" in mail.outbox[0].body

    merge_undo(record=record)
    merge_undo(record=person_record)
    assert Follow.objects.get(pk=company.pk).organization_id == dup.pk
    assert Follow.objects.get(pk=direction.pk).from_org_id == dup.pk
    assert Follow.objects.get(pk=person_follow.pk).person_id == person_dup.pk


def test_a_queued_alert_survives_a_merge_of_the_person_it_is_about():
    lab = f.org("Anthropic")
    reader = follower("reader@example.org")
    follows(reader, organization=lab)
    applied = approve("join", "Ada Lovelace", to_org="Anthropic")
    kept = f.person("Augusta Ada King")
    merge(kind="person", source=applied.person, target=kept)
    assert Delivery.objects.get().move.person == kept
    assert outbox.deliveries_send(budget_seconds=10).sent == 1
    assert mail.outbox[0].subject.startswith("Augusta Ada King joined Anthropic")
