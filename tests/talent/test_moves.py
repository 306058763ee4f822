from __future__ import annotations

import datetime as dt

import pytest

from talent import services
from talent.models import Move, Stint
from tests import factories as f

pytestmark = pytest.mark.django_db


def _moves(person) -> list[tuple]:
    return [
        (
            m.kind,
            m.from_org.slug if m.from_org else None,
            m.to_org.slug if m.to_org else None,
            str(m.when),
        )
        for m in Move.objects.filter(person=person)
        .select_related("from_org", "to_org")
        .order_by("date", "id")
    ]


def test_a_career_becomes_joins_a_return_and_a_founding():
    who = f.person("Andrej Karpathy")
    openai, tesla, eureka = f.org("OpenAI"), f.org("Tesla"), f.org("Eureka Labs")
    anthropic = f.org("Anthropic")
    f.stint(who, openai, "2015-12", "2017-06", is_founder=True)
    f.stint(who, tesla, "2017-06", "2022-07")
    f.stint(who, openai, "2023-02", "2024-02")
    f.stint(who, eureka, "2024-07", "2026-05", is_founder=True)
    f.stint(who, anthropic, "2026-05-19", "present")
    assert _moves(who) == [
        ("founding", None, "openai", "Dec 2015"),
        ("join", "openai", "tesla", "Jun 2017"),
        ("return", "tesla", "openai", "Feb 2023"),
        ("founding", "openai", "eureka-labs", "Jul 2024"),
        ("join", "eureka-labs", "anthropic", "19 May 2026"),
    ]


def test_a_new_role_at_the_same_organization_is_a_promotion_not_a_departure():
    who, lab = f.person(), f.org()
    f.stint(who, lab, "2018", "2020", title="Researcher")
    f.stint(who, lab, "2020", "present", title="Head of research")
    assert [m[0] for m in _moves(who)] == ["join", "promotion"]


def test_leaving_with_no_known_destination_is_a_departure():
    who, lab = f.person(), f.org("Inflection AI")
    f.stint(who, lab, "2022-03", "2024-03")
    assert _moves(who) == [
        ("join", None, "inflection-ai", "Mar 2022"),
        ("depart", "inflection-ai", None, "Mar 2024"),
    ]


def test_a_departure_at_an_unknown_date_is_still_a_departure():
    who, lab = f.person(), f.org()
    f.stint(who, lab, "2010", "unknown")
    assert [m[0] for m in _moves(who)] == ["join", "depart"]
    assert Move.objects.get(person=who, kind="depart").date is None


def test_a_role_held_alongside_another_is_not_a_move_out_of_it():
    who, university, lab = f.person(), f.org("University"), f.org("Lab")
    f.stint(who, university, "2010", "present", title="Professor")
    f.stint(who, lab, "2016", "2019")
    # Joining the lab while staying a professor does not make the lab's join "from" it.
    assert _moves(who) == [
        ("join", None, "university", "2010"),
        ("join", None, "lab", "2016"),
        ("depart", "lab", None, "2019"),
    ]


def test_rebuilding_twice_changes_nothing():
    who = f.person()
    f.stint(who, f.org(), "2015", "2017")
    f.stint(who, f.org(), "2017", "present")
    before = list(
        Move.objects.filter(person=who)
        .order_by("date", "kind")
        .values_list("kind", "from_org", "to_org", "date")
    )
    services.moves_rebuild(person_ids=[who.pk])
    services.moves_rebuild(person_ids=[who.pk])
    after = list(
        Move.objects.filter(person=who)
        .order_by("date", "kind")
        .values_list("kind", "from_org", "to_org", "date")
    )
    assert before == after and len(after) == 2


def test_the_sweep_finds_people_whose_moves_drifted_and_fixes_them():
    who = f.person()
    first = f.stint(who, f.org(), "2015", "2017")
    f.stint(who, f.org(), "2017", "present")
    assert services.moves_out_of_sync() == []
    # An edit that bypassed the services (a bulk update) leaves moves stale.
    Stint.objects.filter(pk=first.pk).update(start_date=dt.date(2014, 1, 1))
    assert services.moves_out_of_sync() == [who.pk]
    from talent.tasks import moves_reconcile

    assert moves_reconcile() == "rebuilt 1"
    assert services.moves_out_of_sync() == []
