"""Whatever a visitor sends — NUL bytes, control characters, over-long values — gets a clear
message, never a database error; and an htmx swap never puts an error page into a page."""

from __future__ import annotations

import pytest

from talent.middleware import REFUSED
from talent.queries import SEARCH_MAX_LENGTH
from tests import factories as f

pytestmark = pytest.mark.django_db

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/search/?q=karpa%00thy",
        "/moves/?company=%00",
        "/moves/?kind=join&company=open%01ai",
        "/companies/anthropic/at/?date=%00",
        "/?%00=1",
    ],
)
def test_control_characters_in_a_parameter_are_refused_with_a_message(client, url):
    f.org("Anthropic")
    response = client.get(url)
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert "<html" in response.content.decode()  # our own page, with the site around it


def test_an_htmx_request_gets_a_fragment_marked_for_swapping(client):
    response = client.get("/search/?q=%00", headers=PARTIAL)
    assert response.status_code == 400 and response["X-Error-Fragment"] == "1"
    body = response.content.decode()
    assert body.strip() == f'<p class="error-message" role="alert">{REFUSED}</p>'


def test_control_characters_in_a_form_are_refused(client):
    who = f.person("Ada Example")
    response = client.post(
        f"/people/{who.slug}/corrections/", {"message": "Wrong\x00date", "website": ""}
    )
    assert response.status_code == 400 and REFUSED in response.content.decode()


def test_the_admin_search_refuses_nul_too(client, curator):
    client.force_login(curator)
    response = client.get("/admin/talent/person/?q=%00")
    assert response.status_code == 400


def test_a_cookie_with_nul_is_dropped_not_sent_to_the_database(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get("/").status_code == 200


def test_an_over_long_search_says_so(client):
    long = "k" * (SEARCH_MAX_LENGTH + 1)
    for headers in ({}, PARTIAL):
        response = client.get("/search/", {"q": long}, headers=headers)
        assert response.status_code == 200
        body = response.content.decode()
        assert f"Search for at most {SEARCH_MAX_LENGTH} characters (this has 101)." in body
    page = client.get("/").content.decode()
    assert page.count(f'maxlength="{SEARCH_MAX_LENGTH}"') == 1  # one box on the home page
    other = client.get("/moves/").content.decode()
    assert other.count(f'maxlength="{SEARCH_MAX_LENGTH}"') == 1  # the header's


def test_a_search_at_the_limit_is_searched(client):
    name = "Ada " + "x" * (SEARCH_MAX_LENGTH - 4)
    f.person(name, slug="ada-x")
    response = client.get("/search/", {"q": name})
    assert name in response.content.decode() and "at most" not in response.content.decode()


@pytest.mark.parametrize(
    ("company", "message"),
    [
        ("open ai!", "Nothing here is called “open ai!”: no moves match."),
        ("a" * 201, "The company filter is too long (at most 200 characters)."),
    ],
)
def test_a_bad_company_filter_says_what_is_wrong(client, company, message):
    response = client.get("/moves/", {"company": company})
    assert response.status_code in (200, 400) and message in response.content.decode()


def test_unknown_pages_answer_htmx_with_a_line_not_a_page(client):
    response = client.get("/people/nobody-at-all/", headers=PARTIAL)
    assert response.status_code == 404 and response["X-Error-Fragment"] == "1"
    assert "<html" not in response.content.decode()
    assert "<html" in client.get("/people/nobody-at-all/").content.decode()
