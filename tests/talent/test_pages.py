from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talent.models import OrganizationAlias, PersonAlias
from tests import factories as f

pytestmark = pytest.mark.django_db

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


def _world(size: int) -> dict:
    """A hub lab that ``size`` people joined from a rival, some of whom left again."""
    hub = f.org("Hub Lab", domain="hub.example")
    rival, startup = f.org("Rival Lab"), f.org("Side Startup", kind="startup")
    pretraining = f.team(hub, "Pre-training")
    lead = f.person("Team Lead")
    f.stint(lead, hub, "2019", "present", team=pretraining, title="Lead")
    for i in range(size):
        who = f.person(f"Researcher {i:03d}")
        f.stint(who, rival, "2015", "2018-03", rebuild=False)
        f.stint(
            who,
            hub,
            "2018-03",
            "present" if i % 2 else "2021-06",
            team=pretraining,
            manager=lead,
            title="Member of technical staff",
            rebuild=False,
        )
        if not i % 2:
            f.stint(who, startup, "2021-06", "present", is_founder=True)
        else:
            from talent import services

            services.moves_rebuild(person_ids=[who.pk])
    return {"hub": hub, "team": pretraining, "person": who, "lead": lead}


PAGES = {
    "home": lambda w: "/",
    "person": lambda w: f"/people/{w['person'].slug}/",
    "company": lambda w: f"/companies/{w['hub'].slug}/",
    "company-at": lambda w: f"/companies/{w['hub'].slug}/at/?date=2020-01-01",
    "team": lambda w: f"/companies/{w['hub'].slug}/teams/{w['team'].slug}/",
    "search": lambda w: "/search/?q=researcher",
    "search-typo": lambda w: "/search/?q=reseacher",
    "search-options": lambda w: "/search/?q=hub&type=organizations&format=options",
    "companies": lambda w: "/companies/",
    "companies-by-joins": lambda w: f"/companies/?sort=joined&after={w['hub'].pk}",
    "people": lambda w: "/people/",
    "people-by-name": lambda w: "/people/?sort=name",
    "moves-by-name": lambda w: "/moves/?company=Hub+Lab&person=Team+Lead&start=2015-01",
    "moves": lambda w: "/moves/?company=hub-lab",
    "moves-filtered": lambda w: "/moves/?company=hub-lab&direction=in&start=2018-01&end=2018-12",
    "moves-csv": lambda w: "/moves/?company=hub-lab&format=csv",
    "flows": lambda w: "/companies/hub-lab/flows/?start=2015-01&end=2022-12&by=year",
    "flows-by-month": lambda w: "/companies/hub-lab/flows/?start=2018-01&end=2019-12",
    "flows-csv": lambda w: "/companies/hub-lab/flows/?format=csv&table=periods",
    "flows-matrix": lambda w: "/flows/?start=2015-01&end=2022-12",
    "alumni": lambda w: "/companies/hub-lab/alumni/",
    "alumni-people": lambda w: "/companies/hub-lab/alumni/?now=here",
    "trends": lambda w: "/flows/trends/?start=2018-01&end=2022-12&by=year",
    "lag": lambda w: "/flows/lag/?start=2015-01&end=2022-12",
    "api-moves": lambda w: "/api/moves/?company=hub-lab",
    "api-stints": lambda w: "/api/stints/?organization=hub-lab",
    "api-stints-on": lambda w: "/api/stints/?organization=hub-lab&on=2020-01-01",
    "api-person": lambda w: f"/api/people/{w['person'].slug}/",
    "api-people": lambda w: "/api/people/",
    "api-flows": lambda w: "/api/flows/hub-lab/?start=2015-01&end=2022-12",
    "api-matrix": lambda w: "/api/flows/?start=2015-01&end=2022-12",
}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_page_costs_the_same_queries_at_any_size(client, page, django_db_blocker):
    from django.core.cache import cache, caches

    cache.clear()  # the API's per-client budget
    small = _world(3)
    url = PAGES[page](small)
    _queries(client, url)  # warm caches (content types, sessions) outside the count
    caches["template_fragments"].clear()  # count the page's own work, not a cached section
    few = _queries(client, url)
    # Ten times the people on the same pages.
    for i in range(27):
        who = f.person(f"Extra {i}")
        f.stint(who, small["hub"], "2019", "present", team=small["team"])
    many = _queries(client, url)
    # Fewer is fine (a prefetch with nothing to fetch is skipped); more would grow with data.
    assert many <= few, f"{page}: {few} queries with a small world, {many} with a larger one"
    # Uncached; one of them reads the data version, which spares all the others once the
    # page's sections are cached (test_a_cached_page_costs_a_few_queries_until_a_write).
    assert many <= 15


def test_the_person_page_shows_the_career_with_sources(client):
    w = _world(2)
    who = w["person"]
    PersonAlias.objects.create(person=who, name="R. Two")
    body = client.get(f"/people/{who.slug}/").content.decode()
    assert who.name in body and "Also known as R. Two" in body
    assert "Hub Lab" in body and "Rival Lab" in body
    assert "Member of technical staff" in body
    assert 'href="/companies/hub-lab/teams/pre-training/"' in body
    assert 'Under <a href="/people/team-lead/">Team Lead</a>' in body
    assert f'href="https://news.example.org/{who.slug}/' in body
    assert body.count('class="timeline-row"') == 2
    assert "Mar 2018 – present" in body


def test_the_company_page_shows_people_joins_from_where_and_departures_to_where(client):
    _world(4)
    body = client.get("/companies/hub-lab/").content.decode()
    assert "People here now" in body and "Researcher 001" in body
    assert "Researcher 000" not in body.split("People here now")[1]  # left in 2021
    joins = body.split("Recent joins")[1].split("Recent departures")[0]
    assert "Researcher 003" in joins and "Rival Lab" in joins
    departures = body.split("Recent departures")[1].split("People here now")[0]
    assert "Researcher 002" in departures and "Side Startup" in departures
    assert "Pre-training" in body


def test_who_was_there_on_a_date(client):
    _world(4)
    body = client.get("/companies/hub-lab/at/?date=2022-01-01").content.decode()
    assert "Researcher 001" in body and "Researcher 000" not in body
    fragment = client.get("/companies/hub-lab/at/?date=2020-01-01", headers=PARTIAL)
    assert b"<html" not in fragment.content and b"Researcher 000" in fragment.content


def test_a_bad_date_gets_a_clear_error(client):
    _world(1)
    response = client.get("/companies/hub-lab/at/?date=2020-13-45")
    assert response.status_code == 400
    assert b"Give a date as YYYY-MM-DD" in response.content


def test_the_team_page_shows_members_over_time(client):
    w = _world(3)
    body = client.get(f"/companies/hub-lab/teams/{w['team'].slug}/").content.decode()
    assert "Team Lead" in body and "Researcher 000" in body
    assert body.count('class="timeline-row"') == 4


def test_search_matches_names_and_aliases_ignoring_case_and_accents(client):
    who = f.person("Karén Simonyan")
    lab = f.org("Google DeepMind")
    OrganizationAlias.objects.create(organization=lab, name="DeepMind Technologies")
    f.team(lab, "Gemini")
    PersonAlias.objects.create(person=f.person("Ilya Sutskever"), name="Ilya Sutzkever")
    for query, expected in [
        ("karen", "Karén Simonyan"),
        ("SIMONYAN", "Karén Simonyan"),
        ("deepmind technologies", "Google DeepMind"),
        ("sutzkever", "Ilya Sutskever"),
        ("gemini", "Gemini"),
    ]:
        body = client.get("/search/", {"q": query}).content.decode()
        assert expected in body, query
    assert who.get_absolute_url() in client.get("/search/?q=karen").content.decode()


def test_search_survives_wildcards_and_odd_input(client):
    f.person("Percent Person")
    for query in ["%", "_", "\\", "' OR 1=1 --", "x" * 5000, "\u0000"[:0] + "🙂"]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        assert b"Percent Person" not in response.content


def test_search_answers_htmx_with_a_fragment_and_browsers_with_the_page(client):
    f.person("Nick Joseph")
    full = client.get("/search/?q=nick")
    fragment = client.get("/search/?q=nick", headers=PARTIAL)
    boosted = client.get(
        "/search/?q=nick", headers={"HX-Request": "true", "HX-Request-Type": "full"}
    )
    assert b"<html" in full.content and b"<html" in boosted.content
    assert b"<html" not in fragment.content and b"Nick Joseph" in fragment.content
    assert "HX-Request-Type" in full["Vary"]


@pytest.mark.parametrize(
    "url",
    [
        "/people/nobody/",
        "/companies/nowhere/",
        "/companies/nowhere/teams/x/",
        "/companies/nowhere/at/",
    ],
)
def test_unknown_records_get_a_proper_404_page(client, url, settings):
    settings.DEBUG = False
    response = client.get(url)
    assert response.status_code == 404
    assert b"Not found" in response.content and b"Search" in response.content


def test_the_moves_page_filters_by_kind_and_company(client):
    _world(4)
    body = client.get("/moves/?kind=founding").content.decode()
    assert "Side Startup" in body and "Rival Lab" not in body
    body = client.get("/moves/?kind=bogus&company=nowhere").content.decode()
    assert "No moves match" in body


@pytest.mark.parametrize(
    "url",
    [
        "/people/researcher-001/?format=csv",
        "/companies/hub-lab/?format=csv&table=people",
        "/companies/hub-lab/?format=csv&table=joins",
        "/companies/hub-lab/?format=csv&table=departures",
        "/companies/hub-lab/?format=csv&table=teams",
        "/companies/hub-lab/teams/pre-training/?format=csv",
        "/companies/hub-lab/at/?date=2020-01-01&format=csv",
        "/moves/?company=hub-lab&format=csv",
    ],
)
def test_every_table_a_page_shows_comes_as_csv(client, url):
    _world(4)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert len(lines) >= 2, lines  # a header and rows


def test_who_was_here_steps_through_dates_and_says_plainly_when_nobody_could_be(client):
    w = _world(2)
    founder = f.person("Founder Person")
    f.stint(founder, w["hub"], "2017-05", "present", is_founder=True)
    body = client.get("/companies/hub-lab/at/?date=2020-01-15").content.decode()
    for label, day in [
        ("← a year earlier", "2019-01-15"),
        ("← a month earlier", "2019-12-15"),
        ("a month later →", "2020-02-15"),
        ("a year later →", "2021-01-15"),
    ]:
        assert f'href="?date={day}">{label}</a>' in body
    body = client.get("/companies/hub-lab/at/?date=2016-03-31").content.decode()
    assert "Hub Lab was founded in May 2017: on 31 March 2016 it did not exist yet." in body
    body = client.get("/companies/hub-lab/at/?date=2999-01-01").content.decode()
    assert "is in the future: nobody can say yet who will be at Hub Lab then" in body
    assert "a month later" not in body


def test_the_person_page_says_when_there_is_no_current_role(client):
    who = f.person("Retired Person")
    f.stint(who, f.org("Old Lab"), "2010", "2015")
    body = client.get(f"/people/{who.slug}/").content.decode()
    assert "No current role on record." in body


def test_kinds_are_said_in_plain_words(client):
    _world(2)
    body = client.get("/flows/?kind=bigtech&start=2015-01&end=2022-12").content.decode()
    assert "Big tech organizations only" in body and "bigtech organizations" not in body
    body = client.get("/moves/?company=hub-lab").content.decode()
    assert '<option value="depart">departures</option>' in body
    assert 'badge-founding">founded</span>' in body and 'badge-founding">founding<' not in body
