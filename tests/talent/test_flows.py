"""The flows pages against a small history worked out by hand.

Acme (a lab) has a unit, Acme Research. Over 2023:

- Alice left Rival for Acme in Feb 2023 (joined team Core);
- Bob, at Acme since 2018, left on 15 May 2023 to found Startup;
- Carol moved from Acme Research to Acme in Jun 2023 (inside the group);
- Dan, who left Acme for Rival in 2019, came back in 2023 (known only to the year);
- Eve, a professor at Uni throughout, joined Acme on 10 Mar 2023 and left in Sep 2023
  for nowhere recorded;
- Frank was at Acme at unknown dates (joined and left: two undated moves);
- Gina, at Acme since Jan 2021, took a second, overlapping role there in Jun 2022;
- Hank was at Acme Research from Nov 2022 to Feb 2024.
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest

from talent.models import Organization
from tests import factories as f

pytestmark = pytest.mark.django_db

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


@pytest.fixture
def world():
    acme = f.org("Acme", country="US")
    unit = f.org("Acme Research", parent=acme, country="GB")
    rival = f.org("Rival", country="US")
    uni = f.org("Uni", kind=Organization.Kind.ACADEMIA, country="CA")
    startup = f.org("Startup", kind=Organization.Kind.STARTUP, country="FR")
    core = f.team(acme, "Core")
    people = {
        name: f.person(name)
        for name in ["Alice", "Bob", "Carol", "Dan", "Eve", "Frank", "Gina", "Hank"]
    }
    p = people
    f.stint(p["Alice"], rival, "2019-03", "2023-02")
    f.stint(p["Alice"], acme, "2023-02", "present", team=core)
    f.stint(p["Bob"], acme, "2018", "2023-05-15")
    f.stint(p["Bob"], startup, "2023-05-15", "present", is_founder=True)
    f.stint(p["Carol"], unit, "2020-01", "2023-06")
    f.stint(p["Carol"], acme, "2023-06", "present")
    f.stint(p["Dan"], acme, "2015", "2019")
    f.stint(p["Dan"], rival, "2019", "2023")
    f.stint(p["Dan"], acme, "2023", "present")
    f.stint(p["Eve"], uni, "2010", "present", title="Professor")
    f.stint(p["Eve"], acme, "2023-03-10", "2023-09")
    f.stint(p["Frank"], acme, "unknown", "unknown")
    f.stint(p["Gina"], acme, "2021-01", "present")
    f.stint(p["Gina"], acme, "2022-06", "present", title="Lead", team=core)
    f.stint(p["Hank"], unit, "2022-11", "2024-02")
    return {"acme": acme, "unit": unit, "rival": rival, "startup": startup, "people": p}


def _csv(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def _periods(client, query: str) -> dict[str, tuple[int, int, str]]:
    rows = _csv(client, f"/companies/acme/flows/?{query}&format=csv&table=periods")
    return {
        r["period"]: (int(r["joins"]), int(r["departures"]), r["headcount_at_end"]) for r in rows
    }


def _listed(client, url: str) -> int:
    """How many moves (or people) the page behind a number lists."""
    body = client.get(url, headers=PARTIAL).content.decode()
    if "/moves/" in url:
        return body.count('<li class="move move-')
    return int(re.search(r'class="headcount">(\d+)<', body).group(1))


def _numbers_and_links(body: str) -> list[tuple[str, int]]:
    return [
        (unescape(href), int(n))
        for href, n in re.findall(
            r'<a href="(/(?:moves|companies/[\w-]+/at)/\?[^"]+)">(-?\d+)</a>', body
        )
    ]


def test_monthly_figures_with_units_included(client, world):
    periods = _periods(client, "start=2023-01&end=2023-12&by=month")
    joins = {k: v[0] for k, v in periods.items() if v[0]}
    departures = {k: v[1] for k, v in periods.items() if v[1]}
    # Carol's move from the unit to the parent is inside the group: not a join.
    assert joins == {"Feb 2023": 1, "Mar 2023": 1, "2023, month unknown": 1}
    assert departures == {"May 2023": 1, "Sep 2023": 1}
    headcount = [int(periods[m][2]) for m in periods if m.endswith("2023") and "unknown" not in m]
    # Acme: Bob, Dan, Gina (once, despite two roles), + Alice, + Eve, - Bob, + Carol, - Eve.
    # Acme Research: Carol and Hank, then Hank alone from July. Summed over the group.
    assert headcount == [5, 6, 7, 7, 6, 7, 6, 6, 6, 5, 5, 5]


def test_the_page_says_what_a_month_cannot_hold(client, world):
    body = client.get("/companies/acme/flows/?start=2023-01&end=2023-12").content.decode()
    assert "Known only to the year, so not drawn in any month" in body
    note = body.split("Known only to the year")[1].split("</p>")[0]
    assert re.search(r">1 join<", note) and re.search(r">0 departures<", note)
    # The totals count it: the whole year lies in the range.
    stats = body.split('<dl class="stats">')[1].split("</dl>")[0]
    assert [int(n) for n in re.findall(r">(-?\d+)</a>", stats)] == [3, 2, 1, 1]


def test_units_apart_count_moves_between_them(client, world):
    periods = _periods(client, "start=2023-01&end=2023-12&by=month&units=apart")
    assert periods["Jun 2023"][0] == 1  # Carol joins Acme from its unit
    assert [int(periods[m][2]) for m in ("May 2023", "Jun 2023", "Oct 2023")] == [4, 5, 4]
    units = _csv(client, "/companies/acme/flows/?start=2023-01&end=2023-12&format=csv&table=units")
    assert {u["organization"]: (u["joins"], u["departures"]) for u in units} == {
        "Acme": ("4", "2"),  # Alice, Eve, Carol, Dan in; Bob, Eve out
        "Acme Research": ("0", "1"),  # Carol out (Hank leaves in 2024)
    }


def test_quarters_and_years(client, world):
    quarters = _periods(client, "start=2023-02&end=2023-11&by=quarter")
    assert {k: v[:2] for k, v in quarters.items()} == {
        "Q1 2023": (2, 0),
        "Q2 2023": (0, 1),
        "Q3 2023": (0, 1),
        "Q4 2023": (0, 0),
        "2023, month unknown": (1, 0),
    }
    years = _periods(client, "start=2023-01&end=2023-12&by=year")
    assert years == {"2023": (3, 2, "5")}


def test_a_range_covering_part_of_a_year_does_not_count_its_year_only_moves(client, world):
    periods = _periods(client, "start=2023-06&end=2024-05&by=month")
    assert periods["2023, month unknown (may be outside)"][:2] == (1, 0)
    flows = client.get("/api/flows/acme/?start=2023-06&end=2024-05").json()
    # Eve (Sep 2023) and Hank (Feb 2024) leave; Dan's return may be before June: not counted.
    assert flows["totals"] == {"joins": 0, "departures": 2, "boomerangs": 0, "net": -2}


def test_sources_destinations_boomerangs_and_undated(client, world):
    query = "start=2023-01&end=2023-12"
    sources = _csv(client, f"/companies/acme/flows/?{query}&format=csv&table=sources")
    assert {(s["organization"], s["joins"]) for s in sources} == {
        ("Rival", "2"),
        ("(none recorded)", "1"),
    }
    destinations = _csv(client, f"/companies/acme/flows/?{query}&format=csv&table=destinations")
    assert {(d["organization"], d["departures"]) for d in destinations} == {
        ("Startup", "1"),
        ("(none recorded)", "1"),
    }
    body = client.get(f"/companies/acme/flows/?{query}").content.decode()
    assert "Dan" in body.split("<h2>Boomerangs</h2>")[1]
    assert "2 moves with no known date" in body  # Frank's join and departure


def test_team_flows_count_changes_of_team_inside_the_company(client, world):
    teams = _csv(client, "/companies/acme/flows/?start=2022-01&end=2023-12&format=csv&table=teams")
    # Gina moving into Core in 2022 (a new role at Acme) and Alice joining it in 2023.
    assert teams == [
        {"team_slug": "core", "team": "Core", "joins": "2", "departures": "0", "net": "2"}
    ]


def test_every_number_opens_exactly_the_moves_or_people_behind_it(client, world):
    for query in (
        "start=2023-01&end=2023-12",
        "start=2023-01&end=2023-12&units=apart",
        "start=2022-01&end=2024-12&by=quarter",
        "start=2023-06&end=2024-05",
    ):
        body = client.get(f"/companies/acme/flows/?{query}").content.decode()
        pairs = _numbers_and_links(body)
        assert len(pairs) > 20, query
        for url, number in pairs:
            if "direction=both" in url and "precision" not in url and number < 0:
                continue  # a negative net opens the joins and departures it nets
            expected = abs(number) if "direction=both" not in url else None
            listed = _listed(client, url)
            if expected is not None:
                assert listed == expected, (query, url, number, listed)


def test_html_csv_and_json_agree(client, world):
    query = "start=2023-01&end=2023-12&by=month"
    api = client.get(f"/api/flows/acme/?{query}").json()
    rows = _csv(client, f"/companies/acme/flows/?{query}&format=csv&table=periods")
    body = client.get(f"/companies/acme/flows/?{query}").content.decode()
    table = body.split('id="periods-table"')[1].split("</table>")[0]
    html_rows = re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table)
    for period, csv_row, (label, cells) in zip(api["periods"], rows, html_rows, strict=False):
        numbers = [int(n) for n in re.findall(r">(-?\d+)<", cells)]
        assert label == csv_row["period"] == period["label"]
        assert numbers[:3] == [period["joins"], period["departures"], period["net"]]
        assert int(csv_row["joins"]) == period["joins"]
        assert int(csv_row["headcount_at_end"]) == period["headcount"] == numbers[-1]
    assert api["year_only"] == [{"year": 2023, "joins": 1, "departures": 0, "inside": True}]


def test_the_chart_is_drawn_on_the_scale_of_its_labels(client, world):
    body = client.get("/companies/acme/flows/?start=2023-01&end=2023-12").content.decode()
    svg = body.split('id="flow-chart"')[1].split("</svg>")[0]
    gridline = r'class="gridline" x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)" y2="[\d.]+"'
    ticks = {int(v): float(y) for y, v in re.findall(gridline + r' data-value="(-?\d+)"', svg)}
    assert 1 in ticks and -1 in ticks and 0 in ticks
    bar = r'<rect class="bar-in" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"'
    bars = re.findall(bar + ' data-value="1"', svg)
    assert bars and all(abs(float(y) - ticks[1]) < 0.01 for y, _ in bars)
    assert all(abs(float(y) + float(h) - ticks[0]) < 0.01 for y, h in bars)


def test_a_bad_range_gets_a_clear_error(client, world):
    response = client.get("/companies/acme/flows/?start=2023-13&end=2023-12")
    assert response.status_code == 400 and b"Give the start as YYYY-MM" in response.content
    response = client.get("/companies/acme/flows/?start=2024-01&end=2023-12")
    assert response.status_code == 400 and b"must not be after" in response.content
    fragment = client.get("/companies/acme/flows/?by=decade", headers=PARTIAL)
    assert fragment.status_code == 200 and b"<html" not in fragment.content


def test_the_matrix_and_who_gained_from_whom(client, world):
    rows = _csv(client, "/flows/?start=2023-01&end=2023-12&format=csv&table=matrix")
    cells = {
        (r["from"], name): int(r[slug])
        for r in rows
        for slug, name in (("acme", "Acme"), ("rival", "Rival"), ("startup", "Startup"))
        if slug in r
    }
    assert cells[("Rival", "Acme")] == 2 and cells[("Acme", "Startup")] == 1
    assert cells[("Acme", "Rival")] == 0
    gains = _csv(client, "/flows/?start=2023-01&end=2023-12&format=csv&table=gains")
    assert {(g["gainer"], g["from"], g["net"]) for g in gains} >= {
        ("Acme", "Rival", "2"),
        ("Startup", "Acme", "1"),
        ("Acme", "Acme Research", "1"),
    }
    body = client.get("/flows/?start=2023-01&end=2023-12").content.decode()
    assert 'id="sankey"' in body and "Rival → Acme: 2" in body
    for url, number in _numbers_and_links(body):
        assert _listed(client, url) == number, url
    labs = _csv(client, "/flows/?start=2023-01&end=2023-12&kind=startup&format=csv&table=matrix")
    assert [r["from"] for r in labs] == ["Startup"]


def test_alumni_are_where_they_are_now(client, world):
    rows = _csv(client, "/companies/acme/alumni/?format=csv")
    counts = {r["organization"] or r["organization_slug"]: int(r["people"]) for r in rows}
    # Ever at Acme: Alice, Bob, Carol, Dan, Eve, Frank, Gina. Now: Alice, Carol, Dan, Gina
    # at Acme; Bob at Startup; Eve at Uni; Frank nowhere recorded.
    assert counts == {"(still here)": 4, "Startup": 1, "Uni": 1, "(no current job recorded)": 1}
    body = client.get("/companies/acme/alumni/?now=none").content.decode()
    assert "Frank" in body and "Alice" not in body
    unit = _csv(client, "/companies/acme/alumni/?units=include&format=csv")
    assert {r["organization"] or r["organization_slug"]: int(r["people"]) for r in unit}[
        "(no current job recorded)"
    ] == 2  # and Hank, who left the unit


def test_news_lag_per_outlet(client, world):
    from talent.models import Source, Stint

    bob_founding = Stint.objects.get(person=world["people"]["Bob"], is_founder=True)
    eve = Stint.objects.get(person=world["people"]["Eve"], organization=world["acme"])
    import datetime as dt

    Source.objects.filter(stints=bob_founding).update(
        publisher="Wire", published_on=dt.date(2023, 5, 19)
    )
    Source.objects.filter(stints=eve).update(publisher="Wire", published_on=dt.date(2023, 3, 20))
    later = Source.objects.create(
        url="https://b.example/eve", publisher="Daily", published_on=dt.date(2023, 3, 30)
    )
    later.stints.add(eve)
    rows = _csv(client, "/flows/lag/?start=2023-01&end=2023-12&format=csv")
    by_outlet = {r["outlet"]: r for r in rows}
    # Day-dated moves: Bob's founding (15 May, reported 19 May) and Eve's join (10 Mar,
    # reported on the 20th by Wire and the 30th by Daily). Eve's departure is month-dated.
    assert by_outlet["Wire"]["moves"] == "2" and by_outlet["Wire"]["median_days_to_report"] == "7.0"
    assert by_outlet["Daily"]["median_days_to_report"] == "20.0"
    first = by_outlet["(first report, any outlet)"]
    assert first["moves"] == "2" and first["median_days_to_report"] == "7.0"
    body = client.get("/flows/lag/?start=2023-01&end=2023-12").content.decode()
    for url, number in _numbers_and_links(body):
        assert _listed(client, url) == number, url


def test_trends_tables(client, world):
    countries = _csv(
        client, "/flows/trends/?start=2023-01&end=2023-12&by=year&format=csv&table=countries"
    )
    matrix = {r["from"]: r for r in countries}
    assert matrix["US"]["US"] == "2"  # Alice and Dan, Rival to Acme
    assert matrix["US"]["FR"] == "1"  # Bob to Startup
    assert matrix["GB"]["US"] == "1"  # Carol, from the unit
    sectors = _csv(
        client, "/flows/trends/?start=2023-01&end=2023-12&by=year&format=csv&table=sectors"
    )
    assert {r["from"]: r for r in sectors}["AI lab"]["Startup"] == "1"
    rolling = _csv(
        client, "/flows/trends/?start=2023-01&end=2023-12&by=year&format=csv&table=rolling"
    )
    acme = next(r for r in rolling if r["organization"] == "Acme")
    # Twelve months to Dec 2023, Acme alone: Alice, Eve, Carol in; Bob, Eve out (Dan's
    # year-only return is left out of rolling windows).
    assert acme["2023"] == "1"
    share = _csv(client, "/flows/trends/?start=2023-01&end=2023-12&by=year&format=csv&table=share")
    tracked = next(r for r in share if r["organization"] == "(tracked)")
    # On 31 Dec 2023: Acme 4, Acme Research 1 (Hank), Startup 1 (Bob), Uni 1 (Eve), and
    # Rival 1: Dan's stint there ended "2023", which could have been on that day.
    assert tracked["2023"] == "8"
    assert next(r for r in share if r["organization"] == "Acme")["2023"] == "50.0"
