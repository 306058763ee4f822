"""/companies/ and /people/: sortable, paged by keyset without loss or repeat."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from talent import indexes as queries
from tests import factories as f

pytestmark = pytest.mark.django_db


def _month_ago(months: int) -> str:
    day = timezone.localdate() - dt.timedelta(days=30 * months)
    return f"{day:%Y-%m}"


def _world() -> dict:
    """Organizations of several kinds and sizes; people who moved at various dates, some
    on the same day, some undated, one with no stint at all."""
    labs = [f.org(f"Lab {c}") for c in "ABCDEFG"]
    uni = f.org("Zeta University", kind="academia")
    startup = f.org("Beta Startup", kind="startup")
    orgs = [*labs, uni, startup]
    people = []
    for i in range(23):
        who = f.person(f"Person {i:02d}")
        home = orgs[i % len(orgs)]
        if i % 5 == 0:
            f.stint(who, home, "unknown", "present")  # an undated join
        elif i % 3 == 0:
            f.stint(who, home, "2019-06", "present")  # the same month as others
        else:
            f.stint(who, orgs[(i + 3) % len(orgs)], "2015", _month_ago(i % 12 + 1))
            f.stint(who, home, _month_ago(i % 12 + 1), "present")
        people.append(who)
    f.person("Nobody Yet")
    return {"orgs": orgs, "people": people}


def _walk(fetch) -> list:
    rows, after, pages = [], None, 0
    while True:
        page = fetch(after)
        rows += page.rows
        pages += 1
        assert pages < 50
        if not page.next_cursor:
            return rows
        after = page.next_cursor


@pytest.mark.parametrize("sort", sorted(queries.COMPANY_SORTS))
def test_the_company_index_pages_through_every_organization_once_in_order(sort):
    w = _world()
    every = _walk(lambda after: queries.company_index(sort=sort, after=after, limit=4))
    assert sorted(o.pk for o in every) == sorted(o.pk for o in w["orgs"])
    key = {
        "people": lambda o: (-o.people_now, o.name, o.pk),
        "joined": lambda o: (-o.joined, o.name, o.pk),
        "left": lambda o: (-o.left, o.name, o.pk),
        "kind": lambda o: (o.kind, o.name, o.pk),
        "name": lambda o: (o.name, o.pk),
    }[sort]
    assert every == sorted(every, key=key)


def test_the_company_index_counts_people_now_and_the_last_years_moves():
    w = _world()
    rows = {o.name: o for o in queries.company_index(sort="people", limit=100).rows}
    hub = w["orgs"][0]
    assert rows[hub.name].people_now == hub.stints.filter(end_precision="present").count()
    assert sum(o.joined for o in rows.values()) > 0
    assert sum(o.left for o in rows.values()) == sum(o.joined for o in rows.values())


@pytest.mark.parametrize("sort", sorted(queries.PEOPLE_SORTS))
def test_the_people_index_pages_through_everyone_once(sort):
    w = _world()
    every = _walk(lambda after: queries.people_index(sort=sort, after=after, limit=4))
    names = [p.name for p in every]
    assert len(names) == len(set(names))
    expected = {p.name for p in w["people"]} | ({"Nobody Yet"} if sort == "name" else set())
    assert set(names) == expected
    if sort == "name":
        assert names == sorted(names)
    else:
        # Latest move first: dated ones by date, then the undated.
        dates = [p.latest_move.date for p in every]
        dated = [d for d in dates if d]
        assert dated == sorted(dated, reverse=True)
        assert all(d is None for d in dates[len(dated) :])


def test_index_pages_render_and_sort_by_links(client):
    _world()
    body = client.get("/companies/?sort=kind").content.decode()
    assert "Zeta University" in body and "Academia" in body
    assert 'aria-sort="ascending"' in body
    body = client.get("/people/").content.decode()
    assert "No current role on record" not in body.split("Person 00")[0]
    assert "Latest:" in body
    assert client.get("/people/?sort=bogus&after=x.y").status_code == 200
    assert client.get("/companies/?sort=bogus&after=nope").status_code == 200
