from __future__ import annotations

import pytest
from django.core.cache import cache

from talent.models import Correction
from tests import factories as f

pytestmark = pytest.mark.django_db
PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # rate-limit counters live in the shared cache
    yield
    cache.clear()


def test_a_reader_suggests_a_correction_without_an_account(client):
    who = f.person("Andrej Karpathy")
    page = client.get("/people/andrej-karpathy/").content.decode()
    assert "Suggest a correction" in page
    response = client.post(
        "/people/andrej-karpathy/corrections/",
        {
            "message": "He left Tesla in July 2022.",
            "source_url": "https://example.org/x",
            "contact": "",
        },
        follow=True,
    )
    assert b"a curator will look at your correction" in response.content
    correction = Correction.objects.get()
    assert correction.person == who and correction.state == Correction.State.OPEN


def test_corrections_to_companies_answer_htmx_in_place(client):
    f.org("Anthropic")
    response = client.post(
        "/companies/anthropic/corrections/", {"message": "Wrong date."}, headers=PARTIAL
    )
    assert response.status_code == 200 and b"<html" not in response.content
    assert Correction.objects.get().organization.slug == "anthropic"


def test_bad_input_gets_a_clear_error_and_bots_are_turned_away(client):
    f.person("Andrej Karpathy")
    empty = client.post("/people/andrej-karpathy/corrections/", {"message": ""}, headers=PARTIAL)
    assert empty.status_code == 422 and b"This field is required" in empty.content
    bad_url = client.post(
        "/people/andrej-karpathy/corrections/",
        {"message": "x", "source_url": "javascript:alert(1)"},
        headers=PARTIAL,
    )
    assert bad_url.status_code == 422
    bot = client.post(
        "/people/andrej-karpathy/corrections/",
        {"message": "buy now", "website": "http://spam.example"},
        headers=PARTIAL,
    )
    assert bot.status_code == 422
    huge = client.post(
        "/people/andrej-karpathy/corrections/", {"message": "x" * 5000}, headers=PARTIAL
    )
    assert huge.status_code == 422
    assert not Correction.objects.exists()
    assert client.post("/people/nobody/corrections/", {"message": "x"}).status_code == 404


def test_corrections_are_rate_limited_per_address(client, settings):
    f.person("Andrej Karpathy")
    for _ in range(5):
        assert (
            client.post(
                "/people/andrej-karpathy/corrections/", {"message": "m"}, headers=PARTIAL
            ).status_code
            == 200
        )
    limited = client.post("/people/andrej-karpathy/corrections/", {"message": "m"}, headers=PARTIAL)
    assert limited.status_code == 429 and b"Too many suggestions" in limited.content
    assert Correction.objects.count() == 5


def test_corrections_land_in_the_review_queue(client, curator):
    who = f.person("Andrej Karpathy")
    correction = Correction.objects.create(person=who, message="He joined in May 2026.")
    client.force_login(curator)
    assert b"He joined in May 2026." in client.get("/review/").content
    client.post(f"/review/corrections/{correction.pk}/resolve/")
    correction.refresh_from_db()
    assert correction.state == Correction.State.RESOLVED and correction.decided_by == curator


def test_corrections_that_fail_validation_do_not_count_against_the_limit(client):
    f.person("Andrej Karpathy")
    url = "/people/andrej-karpathy/corrections/"
    for _ in range(8):
        bad = client.post(url, {"message": "", "contact": "not-an-address"}, headers=PARTIAL)
        assert bad.status_code == 422
    for _ in range(5):
        assert client.post(url, {"message": "m"}, headers=PARTIAL).status_code == 200
    assert client.post(url, {"message": "m"}, headers=PARTIAL).status_code == 429
