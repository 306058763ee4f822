"""Atom 1.0 feeds of moves and of corrections: valid, stable ids, linked from page heads."""

from __future__ import annotations

import datetime as dt

import pytest

from talent import services as talent_services
from talent.merging import merge, merge_undo
from talent.models import Announcement, Stint
from talent.services import rumor_settle
from tests import factories as f
from tests.talent.alerts.atom_rules import ATOM, validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    openai, anthropic = f.org("OpenAI"), f.org("Anthropic")
    alignment = f.team(anthropic, "Alignment")
    jan = f.person("Jan Leike")
    f.stint(jan, openai, "2021-01", "2024-05")
    f.stint(jan, anthropic, "2024-05", "present", team=alignment)
    ilya = f.person("Ilya Sutskever")
    f.stint(ilya, openai, "2015-12", "2024-05")
    return {"openai": openai, "anthropic": anthropic, "team": alignment, "jan": jan}


def _entries(client, url) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = validate(response.content)
    return {
        e.find(f"{ATOM}id").text: e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")
    }


def test_every_moves_feed_is_valid_atom_with_the_right_entries(client, world):
    everything = _entries(client, "/moves/feed.atom")
    assert set(everything.values()) == {
        "Jan Leike joined OpenAI, Jan 2021",
        "Jan Leike joined Anthropic (Alignment) from OpenAI, May 2024",
        "Ilya Sutskever joined OpenAI, Dec 2015",
        "Ilya Sutskever left OpenAI, May 2024",
    }
    assert set(_entries(client, "/people/jan-leike/feed.atom").values()) == {
        "Jan Leike joined OpenAI, Jan 2021",
        "Jan Leike joined Anthropic (Alignment) from OpenAI, May 2024",
    }
    assert len(_entries(client, "/companies/openai/feed.atom")) == 4
    assert set(_entries(client, "/companies/anthropic/teams/alignment/feed.atom").values()) == {
        "Jan Leike joined Anthropic (Alignment) from OpenAI, May 2024"
    }
    assert set(_entries(client, "/moves/feed.atom?from=openai&to=anthropic").values()) == {
        "Jan Leike joined Anthropic (Alignment) from OpenAI, May 2024"
    }
    assert set(_entries(client, "/moves/feed.atom?from=openai").values()) == {
        "Jan Leike joined Anthropic (Alignment) from OpenAI, May 2024",
        "Ilya Sutskever left OpenAI, May 2024",
    }
    assert client.get("/moves/feed.atom?from=nowhere").status_code == 404


def test_entry_ids_stay_the_same_across_rebuilds_and_merges(client, world):
    before = _entries(client, "/moves/feed.atom")
    talent_services.moves_rebuild(person_ids=[world["jan"].pk])
    dup = f.person("J. Leike")
    merge(kind="person", source=dup, target=world["jan"])
    assert _entries(client, "/moves/feed.atom") == before
    # The date of one stint fixed: same entry, new title.
    stint = Stint.objects.get(person=world["jan"], organization=world["anthropic"])
    stint.start_date = dt.date(2024, 6, 1)
    stint.save()
    talent_services.moves_rebuild(person_ids=[world["jan"].pk])
    after = _entries(client, "/moves/feed.atom")
    assert set(after) == set(before)


def test_pages_link_their_feeds_in_the_head(client, world):
    for page, feed in (
        ("/companies/anthropic/", "/companies/anthropic/feed.atom"),
        ("/people/jan-leike/", "/people/jan-leike/feed.atom"),
        ("/companies/anthropic/teams/alignment/", "/companies/anthropic/teams/alignment/feed.atom"),
        ("/moves/", "/moves/feed.atom"),
        (
            "/alerts/direction/?from=openai&to=anthropic",
            "/moves/feed.atom?from=openai&amp;to=anthropic",
        ),
    ):
        html = client.get(page).content.decode()
        head = html[: html.index("</head>")]
        assert 'rel="alternate" type="application/atom+xml"' in head, page
        assert f'href="{feed}"' in head, page


def test_the_corrections_feed_lists_merges_undos_retractions_and_date_and_team_fixes(
    client, world, curator
):
    dup = f.org("Open AI Inc")
    record = merge(kind="organization", source=dup, target=world["openai"])
    merge_undo(record=record)
    rumor = Announcement.objects.create(
        kind="join", status="rumor", person_name="Someone", to_org_name="Anthropic"
    )
    rumor_settle(announcement=rumor, user=curator, confirmed=False, reason="denied by the lab")
    stint = Stint.objects.get(person=world["jan"], organization=world["anthropic"])
    stint.start_date = dt.date(2024, 6, 1)
    stint.team = None
    stint.save()
    titles = set(_entries(client, "/corrections/feed.atom").values())
    assert "Merged organization “Open AI Inc” into OpenAI" in titles
    assert "Undid the merge of “Open AI Inc” into OpenAI" in titles
    assert "Retracted: Someone join Anthropic" in titles
    assert (
        "Fixed Jan Leike at Anthropic: start May 2024 → Jun 2024; team Alignment → none" in titles
    )


def test_feeds_cost_a_fixed_number_of_queries_whatever_they_hold(
    client, world, django_assert_max_num_queries
):
    for i in range(12):
        who = f.person(f"Person {i}")
        f.stint(who, world["openai"], "2020", "2022")
        f.stint(who, world["anthropic"], "2022", "present")
        merge(kind="person", source=f.person(f"Dup {i}"), target=who)
        team = f.team(world["anthropic"], f"Team {i}")
        merge(kind="team", source=team, target=world["team"])
    for url in ("/moves/feed.atom", "/companies/anthropic/feed.atom", "/corrections/feed.atom"):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
