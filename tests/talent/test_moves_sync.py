from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import F

from talent import services
from talent.models import Move, Stint
from tests import factories as f

pytestmark = pytest.mark.django_db


def _career():
    who = f.person()
    old, new = f.org(), f.org()
    first = f.stint(who, old, "2015", "2017-03")
    second = f.stint(who, new, "2017-03", "present", title="Researcher")
    return who, first, second, old, new


def test_a_rebuild_keeps_unchanged_moves_as_they_were():
    who, *_ = _career()
    before = {m.pk: m.updated for m in Move.objects.filter(person=who)}
    services.moves_rebuild(person_ids=[who.pk])
    after = {m.pk: m.updated for m in Move.objects.filter(person=who)}
    assert before == after and len(after) == 2


def test_a_rebuild_updates_only_the_move_that_changed():
    who, first, second, old, new = _career()
    untouched = Move.objects.get(to_stint=first)
    Stint.objects.filter(pk=second.pk).update(title="Head of research")
    services.moves_rebuild(person_ids=[who.pk])
    moved = Move.objects.get(to_stint=second)
    assert moved.title == "Head of research" and moved.updated > untouched.updated
    assert Move.objects.get(pk=untouched.pk).updated == untouched.updated


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Chief scientist"},
        {"start_date": dt.date(2017, 4, 1)},
        {"start_precision": "year", "start_date": dt.date(2017, 1, 1)},
        {"organization": "other"},
        {"team": "new-team"},
    ],
)
def test_the_reconcile_sees_every_field_that_can_drift(change):
    who, first, second, old, new = _career()
    if change.get("organization"):
        change = {"organization": f.org("Third Lab")}
    if change.get("team"):
        change = {"team": f.team(new, "Pre-training")}
    Stint.objects.filter(pk=second.pk).update(**change)  # bypasses the services
    assert services.moves_out_of_sync() == [who.pk]
    assert services.moves_reconcile(batch_size=1) == 1
    assert services.moves_out_of_sync() == []


def test_the_reconcile_walks_people_in_batches():
    people = [_career()[0] for _ in range(5)]
    for who in people[1::2]:
        Stint.objects.filter(person=who, end_precision="present").update(title="Changed")
    batches = list(services.moves_stale_batches(batch_size=2))
    assert [pk for batch in batches for pk in batch] == [p.pk for p in people[1::2]]
    assert all(len(batch) <= 2 for batch in batches)


def test_an_admin_edit_updates_moves_before_the_transaction_commits(admin_client):
    who, first, second, old, new = _career()
    other = f.org("Elsewhere")
    data = {
        "person": who.pk,
        "organization": other.pk,
        "title": "Researcher",
        "start_date": "2017-03-01",
        "start_precision": "month",
        "end_precision": "present",
        "talent_source_stints-TOTAL_FORMS": "0",
        "talent_source_stints-INITIAL_FORMS": "0",
        "Source_stints-TOTAL_FORMS": "0",
        "Source_stints-INITIAL_FORMS": "0",
    }
    committed = []
    transaction.get_connection().run_on_commit = []  # the test's own transaction never commits
    response = admin_client.post(f"/admin/talent/stint/{second.pk}/change/", data)
    assert response.status_code == 302, response.content[:800]
    # Nothing was left for after a commit (the test transaction never commits): the moves
    # changed inside the admin's transaction.
    assert transaction.get_connection().run_on_commit == committed
    assert Move.objects.get(to_stint=second).to_org == other
    assert services.moves_out_of_sync() == []


def test_the_monthly_summaries_follow_every_rebuild_exactly():
    who, first, second, old, new = _career()
    other = f.person()
    f.stint(other, new, "2016", "2019")
    f.stint(other, old, "2019-05-02", "present")
    assert services.presence_summary_drift() == 0
    # Edits of every kind, each through a rebuild.
    Stint.objects.filter(pk=second.pk).update(
        start_date=dt.date(2017, 1, 1), start_precision="year"
    )
    Stint.objects.filter(pk=first.pk).update(end_precision="unknown", end_date=None)
    services.moves_rebuild(person_ids=[who.pk])
    assert services.presence_summary_drift() == 0
    Stint.objects.filter(pk=first.pk).delete()
    services.moves_rebuild(person_ids=[who.pk, other.pk])
    assert services.presence_summary_drift() == 0


def test_the_reconcile_repairs_a_summary_that_drifted():
    from talent.models import FlowMonth, HeadcountMonth

    _career()
    FlowMonth.objects.update(count=F("count") + 1)
    HeadcountMonth.objects.filter(pk=HeadcountMonth.objects.first().pk).update(delta=99)
    assert services.presence_summary_drift() > 0
    services.moves_reconcile()
    assert services.presence_summary_drift() == 0
