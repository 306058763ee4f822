"""Cached page sections: a page read again costs a few queries, and any write to what it
shows (whoever makes it: a service, the admin, raw SQL) is on the page at once."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talent.models import DataVersion, Person
from tests import factories as f

pytestmark = pytest.mark.django_db

PAGES = {
    "home": "/",
    "search": "/search/?q=ada",
    "person": "/people/ada-example/",
    "company": "/companies/hub-lab/",
    "company-at": "/companies/hub-lab/at/?date=2020-06-30",
    "flows": "/companies/hub-lab/flows/?start=2015-01&end=2020-12&by=year",
    "moves": "/moves/?company=hub-lab",
    "matrix": "/flows/?start=2015-01&end=2020-12",
    "api-moves": "/api/moves/?company=hub-lab",
    "api-person": "/api/people/ada-example/",
}


def _world():
    hub, rival = f.org("Hub Lab"), f.org("Rival Lab")
    ada = f.person("Ada Example")
    f.stint(ada, rival, "2015", "2018-03")
    f.stint(ada, hub, "2018-03", "present", title="Researcher")
    return ada, hub


def _get(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(url).content.decode()
    # Each answer masks its CSRF token anew; the rest must be the same.
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "TOKEN", body), len(ctx.captured_queries)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_cached_page_costs_a_few_queries_until_a_write(client, page):
    ada, hub = _world()
    url = PAGES[page]
    first, uncached = _get(client, url)
    again, cached = _get(client, url)
    # The record (and for flows whether it has units), the version, little else.
    assert again == first and cached <= 4 and cached < uncached
    markers = ("Ada Renamed", "Renamed Role", "Hub Renamed")
    assert not any(marker in first for marker in markers)

    # Writes anywhere in what the pages show, even ones no Python code saw: raw SQL.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE talent_person SET name = 'Ada Renamed' WHERE id = %s", [ada.pk])
        cursor.execute(
            "UPDATE talent_stint SET title = 'Renamed Role' WHERE person_id = %s", [ada.pk]
        )
        cursor.execute(
            "UPDATE talent_organization SET name = 'Hub Renamed' WHERE id = %s", [hub.pk]
        )
    after, recount = _get(client, url)
    assert recount == uncached  # built again, not served from the cache
    if page != "api-moves":  # moves in the API name people by slug
        assert any(marker in after for marker in markers)


def test_a_move_approved_is_on_the_company_page_at_once(client, curator):
    from talent.resolve import Gazetteer
    from talent.services import MoveInput, SourceInput, announcement_apply, announcement_record

    _world()
    before, _ = _get(client, "/companies/hub-lab/")
    assert "Grace Example" not in before
    announcement, _ = announcement_record(
        move=MoveInput(kind="join", person="Grace Example", to_org="Hub Lab"),
        source=SourceInput(url="https://news.example.org/grace", evidence="Grace joins."),
        gazetteer=Gazetteer.load(),
    )
    announcement_apply(announcement=announcement, user=curator)
    after, _ = _get(client, "/companies/hub-lab/")
    assert "Grace Example" in after


def test_the_version_never_repeats_and_only_grows():
    start = DataVersion.current()
    Person.objects.create(name="One", slug="one")
    middle = DataVersion.current()
    Person.objects.filter(slug="one").update(name="Uno")
    assert start < middle < DataVersion.current()


def test_a_reader_gets_the_cached_page_with_a_token_of_their_own(client):
    from django.test import Client

    ada, hub = _world()
    first = client.get("/people/ada-example/")
    with CaptureQueriesContext(connection) as ctx:
        again = client.get("/people/ada-example/")
    assert len(ctx.captured_queries) == 1  # the data version, nothing else
    assert again.content != first.content  # each answer masks its token anew
    assert _get(Client(), "/people/ada-example/")[0] == _get(client, "/people/ada-example/")[0]

    # The token in a page served from the cache is the visitor's own: their POST passes.
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/people/ada-example/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    posted = visitor.post(
        "/people/ada-example/corrections/",
        {"message": "The start date is wrong.", "csrfmiddlewaretoken": token},
    )
    assert posted.status_code in (200, 302)


def test_signed_in_users_and_pending_messages_never_get_the_shared_page(client, curator):
    from django.test import Client

    _world()
    client.get("/")  # cached for readers who are not signed in
    client.force_login(curator)
    assert 'href="/review/"' in client.get("/").content.decode()

    # A reader who just sent a correction sees the thanks on the page they come back to,
    # though that page is in the cache for everyone else.
    reader = Client()
    reader.get("/people/ada-example/")
    response = reader.post(
        "/people/ada-example/corrections/", {"message": "The start date is wrong."}
    )
    assert response.status_code == 302
    back = reader.get(response["Location"]).content.decode()
    assert "Thank you: a curator will look at your correction." in back


def test_downloads_are_not_served_from_the_page_cache(client):
    _world()
    for _ in range(2):
        response = client.get("/people/ada-example/?format=csv")
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]


def test_readers_not_signed_in_may_see_a_page_a_grace_period_behind_a_write(
    client, curator, settings, monkeypatch
):
    """With a grace period, a page built before a write is served to anonymous readers
    until it is that old, then built again; signed-in users never see it."""
    from django.test import Client

    import talent.pagecache

    settings.PAGE_CACHE_GRACE = 30
    clock = [1_000_000.0]
    monkeypatch.setattr(talent.pagecache, "_now", lambda: clock[0])
    ada, _ = _world()
    _get(client, "/people/ada-example/")
    Person.objects.filter(pk=ada.pk).update(name="Ada Renamed")

    clock[0] += 29
    stale = client.get("/people/ada-example/")
    assert "Ada Renamed" not in stale.content.decode() and stale["Age"] == "29"
    signed_in = Client()
    signed_in.force_login(curator)
    assert "Ada Renamed" in signed_in.get("/people/ada-example/").content.decode()

    clock[0] += 1
    fresh, recount = _get(client, "/people/ada-example/")
    assert "Ada Renamed" in fresh and recount > 1  # built (from the sections just cached)
    again, cached = _get(client, "/people/ada-example/")
    assert again == fresh and cached == 1  # the new page, cached anew


def test_a_page_built_from_newer_data_than_a_restored_database_is_not_served(client, settings):
    """A version that went backwards (a restored dump) never serves the later page."""
    settings.PAGE_CACHE_GRACE = 30
    ada, _ = _world()
    _get(client, "/people/ada-example/")
    DataVersion.objects.update(version=1)  # as a dump taken long ago, restored
    again, count = _get(client, "/people/ada-example/")
    assert count > 1
