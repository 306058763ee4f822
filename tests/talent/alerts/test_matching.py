"""Which follows a move concerns: companies, teams, people, and directions exactly."""

from __future__ import annotations

import pytest

from talent.alerts.models import Follow
from talent.models import Move
from tests import factories as f
from tests.talent.alerts.conftest import follower, follows

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    openai, anthropic, google = f.org("OpenAI"), f.org("Anthropic"), f.org("Google")
    safety = f.team(anthropic, "Alignment")
    return {"openai": openai, "anthropic": anthropic, "google": google, "safety": safety}


def _moves(world):
    """One of each shape, keyed by what it is."""
    o, a, g = world["openai"], world["anthropic"], world["google"]
    jan = f.person("Jan Leike")
    f.stint(jan, o, "2021-01", "2024-05")
    f.stint(jan, a, "2024-05", "present", team=world["safety"])  # OpenAI → Anthropic
    ilya = f.person("Ilya Sutskever")
    f.stint(ilya, o, "2015-12", "2024-05")  # left OpenAI, destination unknown
    mira = f.person("Mira Murati")
    f.stint(mira, o, "2018-06", "2024-09")
    f.stint(mira, f.org("Thinking Machines"), "2025-02", "present", is_founder=True)
    durk = f.person("Durk Kingma")
    f.stint(durk, g, "2018", "2024-09")
    f.stint(durk, a, "2024-10", "present")  # Google → Anthropic
    new = f.person("New Hire")
    f.stint(new, a, "2025-01", "present")  # joined Anthropic, origin unknown
    chris = f.person("Chris Olah")
    f.stint(chris, a, "2021", "2023", title="Researcher")
    f.stint(chris, a, "2023", "present", title="Co-founder")  # new role inside Anthropic
    by = {}
    for move in Move.objects.select_related("person", "from_stint"):
        move.from_team_id = move.from_stint.team_id if move.from_stint_id else None
        by[(move.person.name, move.kind, move.to_org_id and move.to_org.name)] = move
    return by


def _matched(move, follow) -> bool:
    return Follow.objects.matching(move).filter(pk=follow.pk).exists()


def _who(world, moves, follow) -> set[str]:
    return {f"{name}:{kind}" for (name, kind, _), m in moves.items() if _matched(m, follow)}


def test_direction_follows_match_exactly_the_right_moves(world):
    moves = _moves(world)
    reader = follower()
    o, a = world["openai"], world["anthropic"]
    openai_to_anthropic = follows(reader, from_org=o, to_org=a)
    leaving_openai = follows(reader, from_org=o)
    joining_anthropic = follows(reader, to_org=a)
    joins_to_anthropic = follows(reader, to_org=a, kinds="joins")
    foundings_from_openai = follows(reader, from_org=o, kinds="foundings")
    departures_from_openai = follows(reader, from_org=o, kinds="departures")

    assert _who(world, moves, openai_to_anthropic) == {"Jan Leike:join"}
    assert _who(world, moves, leaving_openai) == {
        "Jan Leike:join",
        "Ilya Sutskever:depart",
        "Mira Murati:founding",
    }
    # Chris Olah's first stint there is a join; his new role inside Anthropic is not.
    assert _who(world, moves, joining_anthropic) == {
        "Jan Leike:join",
        "Durk Kingma:join",
        "New Hire:join",
        "Chris Olah:join",
    }
    assert _who(world, moves, joins_to_anthropic) == _who(world, moves, joining_anthropic)
    assert _who(world, moves, foundings_from_openai) == {"Mira Murati:founding"}
    # Leaving counts whether the destination is known or not.
    assert _who(world, moves, departures_from_openai) == _who(world, moves, leaving_openai)


def test_company_team_and_person_follows(world):
    moves = _moves(world)
    reader = follower()
    company = follows(reader, organization=world["anthropic"])
    departures = follows(reader, organization=world["openai"], kinds="departures")
    team = follows(reader, team=world["safety"])
    person = follows(reader, person=moves[("Jan Leike", "join", "Anthropic")].person)
    assert _who(world, moves, company) == {
        "Jan Leike:join",
        "Durk Kingma:join",
        "New Hire:join",
        "Chris Olah:join",
        "Chris Olah:promotion",
    }
    assert _who(world, moves, departures) == {
        "Jan Leike:join",
        "Ilya Sutskever:depart",
        "Mira Murati:founding",
    }
    assert _who(world, moves, team) == {"Jan Leike:join"}
    assert _who(world, moves, person) == {"Jan Leike:join"}


def test_stopped_and_pending_follows_match_nothing(world):
    moves = _moves(world)
    reader = follower()
    stopped = follows(reader, organization=world["anthropic"])
    stopped.state = "stopped"
    stopped.save()
    pending = Follow.objects.create(
        subscriber=reader, target="company", organization=world["anthropic"]
    )
    assert not _who(world, moves, stopped) and not _who(world, moves, pending)
