"""Who the client is behind a proxy, log-in brute force, CSRF on every write, headers."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _correct(client: Client, slug: str, **headers) -> int:
    return client.post(
        f"/people/{slug}/corrections/", {"message": "The date is wrong."}, **headers
    ).status_code


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, settings):
    settings.CORRECTIONS_RATE = "2/h"
    who = f.person("Ada Example")
    # A client cannot escape its limit by claiming other addresses.
    codes = [_correct(client, who.slug, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}") for i in range(3)]
    assert codes[:2] != [429, 429] and codes[2] == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(settings):
    settings.CORRECTIONS_RATE = "2/h"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    who = f.person("Ada Example")
    proxy = Client(REMOTE_ADDR="10.0.0.5")
    first = [_correct(proxy, who.slug, HTTP_X_FORWARDED_FOR="203.0.113.7") for _ in range(3)]
    assert first[2] == 429
    # Another client through the same proxy is not limited by the first one's attempts;
    # what a client writes left of the proxy's own entry is not believed.
    other = _correct(proxy, who.slug, HTTP_X_FORWARDED_FOR="203.0.113.7, 203.0.113.8")
    assert other != 429
    spoof = [
        _correct(proxy, who.slug, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.7")
        for i in range(2)
    ]
    assert spoof == [429, 429]  # still 203.0.113.7, whatever it put in front


def test_log_in_attempts_are_limited_per_address_even_with_the_right_password(settings):
    from django.contrib.auth import get_user_model

    settings.LOGIN_RATE_CLIENT = "3/h"  # hourly: no window boundary within the test
    get_user_model().objects.create_user("ops", "ops@example.org", "right-pass-123", is_staff=True)
    client = Client()
    url = reverse("login")
    for _ in range(3):
        response = client.post(url, {"username": "ops", "password": "wrong"})
        assert response.status_code == 200  # the form, with its error
    limited = client.post(url, {"username": "ops", "password": "right-pass-123"})
    assert limited.status_code == 429
    assert b"Too many log-in attempts" in limited.content
    assert "_auth_user_id" not in client.session


def test_log_in_attempts_at_one_account_are_limited_from_anywhere(settings):
    settings.LOGIN_RATE_ACCOUNT = "2/h"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    url = reverse("login")
    codes = [
        Client(REMOTE_ADDR="10.0.0.1")
        .post(url, {"username": "ops", "password": "x"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
        .status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]


# Every endpoint that changes something, with what it needs to get past its own checks.
STATE_CHANGING = [
    "/review/{pending}/approve/",
    "/review/{pending}/reject/",
    "/review/{pending}/duplicate/",
    "/review/{pending}/skip/",
    "/review/{pending}/edit/",
    "/review/bulk-approve/",
    "/feeds/add/",
    "/feeds/{feed}/retry/",
    "/people/{person}/corrections/",
    "/companies/{company}/corrections/",
    "/alerts/follow/",
]


def test_every_state_changing_request_needs_the_csrf_token(curator):
    from feeds.models import Feed
    from talent.models import Announcement

    who, lab = f.person("Ada Example"), f.org("Anthropic")
    pending = Announcement.objects.create(
        kind="join", person_name="Ada Example", to_org_name="Anthropic", evidence="x"
    )
    feed = Feed.objects.create(url="https://wire.example.org/feed")
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    for pattern in STATE_CHANGING:
        url = pattern.format(pending=pending.pk, feed=feed.pk, person=who.slug, company=lab.slug)
        response = client.post(url, {"reason": "x", "url": "https://example.org/feed"})
        assert response.status_code == 403, url
    pending.refresh_from_db()
    assert pending.state == Announcement.State.PENDING


def test_pages_carry_the_security_headers(client):
    response = client.get("/")
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
