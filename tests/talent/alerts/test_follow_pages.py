"""Following without an account: double opt-in by a signed, expiring link; managing by a
signed link; one-click unsubscribe (RFC 8058); rate limits; bounces."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client

from talent.alerts import clock, services, tokens
from talent.alerts.models import Delivery, Follow, Subscriber
from tests import factories as f
from tests.talent.alerts.conftest import approve, follower, follows

pytestmark = pytest.mark.django_db


def _follow(client, org, email="reader@example.org", ip="10.0.0.1", **extra):
    return client.post(
        "/alerts/follow/",
        {
            "email": email,
            "target": "company",
            "slug": org.slug,
            "frequency": "instant",
            "kinds": "all",
            **extra,
        },
        REMOTE_ADDR=ip,
    )


def _link(message, name: str) -> str:
    return re.search(rf"https?://\S+/alerts/{name}/\S+/", message.body).group(0)


def test_following_sends_one_confirmation_and_nothing_starts_until_confirmed(
    client, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        lab = f.org("Anthropic")
        with django_capture_on_commit_callbacks(execute=True):
            response = _follow(client, lab)
        assert response.status_code == 302 and response["Location"] == "/companies/anthropic/"
        (message,) = mail.outbox
        assert message.subject == "Confirm your Talent Tracker alerts"
        assert "Anthropic (as it happens)" in message.body
        follow = Follow.objects.get()
        assert follow.state == "pending"

        # A move approved now reaches nobody: the address is not confirmed.
        approve("join", "Ada Lovelace", to_org="Anthropic")
        assert Delivery.objects.count() == 0

        link = _link(message, "confirm")
        path = link.split("127.0.0.1:8000")[1]
        # Opening the link (as a mail scanner does) only shows a button.
        page = client.get(path)
        assert page.status_code == 200 and b"Confirm" in page.content
        assert Follow.objects.get().state == "pending"
        response = client.post(path)
        assert response.status_code == 302 and "/alerts/manage/" in response["Location"]
        assert Follow.objects.get().state == "active"
        assert Subscriber.objects.get().is_confirmed
    finally:
        app.conf.task_always_eager = False


def test_a_confirmation_goes_out_at_most_once_an_hour_per_address():
    lab, other = f.org("Anthropic"), f.org("OpenAI")
    target = services.FollowTarget(organization=lab)
    start = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    with clock.frozen(start):
        first = services.follow_request(email="Reader@Example.org ", target=target)
        again = services.follow_request(
            email="reader@example.org", target=services.FollowTarget(organization=other)
        )
    with clock.frozen(start + dt.timedelta(minutes=59)):
        third = services.follow_request(email="reader@example.org", target=target)
    with clock.frozen(start + dt.timedelta(minutes=61)):
        later = services.follow_request(email="reader@example.org", target=target)
    assert [first.outcome, again.outcome, third.outcome, later.outcome] == [
        "confirmation-sent",
        "confirmation-recent",
        "confirmation-recent",
        "confirmation-sent",
    ]
    assert Subscriber.objects.get().email == "reader@example.org"
    assert Follow.objects.count() == 2  # the same request twice is one follow


def test_expired_and_tampered_links_are_refused(client):
    reader = follower("reader@example.org", confirmed=False)
    Follow.objects.create(subscriber=reader, target="company", organization=f.org("Anthropic"))
    token = tokens.confirm_token(reader)
    tampered = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    assert client.post(f"/alerts/confirm/{tampered}/").status_code == 400
    forged = signing.TimestampSigner(salt="talent.alerts.manage").sign(str(reader.pk))
    assert client.post(f"/alerts/confirm/{forged}/").status_code == 400  # a manage link
    for path in (f"/alerts/manage/{tampered}/", f"/alerts/unsubscribe/{tampered}/"):
        assert client.get(path).status_code == 400
    later = dt.datetime.now(dt.UTC).timestamp() + 3 * 86400 + 60
    import time as time_module

    real_time = time_module.time
    try:
        time_module.time = lambda: later
        response = client.post(f"/alerts/confirm/{token}/")
    finally:
        time_module.time = real_time
    assert response.status_code == 400 and b"expired" in response.content
    reader.refresh_from_db()
    assert not reader.is_confirmed and Follow.objects.get().state == "pending"
    # Within three days it works.
    assert client.post(f"/alerts/confirm/{token}/").status_code == 302


def test_one_click_unsubscribe_works_with_no_session_or_csrf_and_answers_200():
    reader = follower("reader@example.org")
    lab = f.org("Anthropic")
    kept = follows(reader, organization=f.org("OpenAI"))
    stopped = follows(reader, organization=lab)
    token = tokens.unsubscribe_token(reader, [stopped.pk])
    client = Client(enforce_csrf_checks=True)

    # A GET (a scanner prefetching) changes nothing.
    page = client.get(f"/alerts/unsubscribe/{token}/")
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    assert Follow.objects.get(pk=stopped.pk).state == "active"

    # A mail client's POST: a fresh client with no cookies at all, CSRF checks on.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/alerts/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200 and "Location" not in response
    assert Follow.objects.get(pk=stopped.pk).state == "stopped"
    assert Follow.objects.get(pk=kept.pk).state == "active"
    # Again: still 200, still stopped.
    assert client.post(f"/alerts/unsubscribe/{token}/").status_code == 200


def test_the_manage_page_changes_frequency_stops_one_and_stops_all(client):
    reader = follower("reader@example.org")
    one = follows(reader, organization=f.org("Anthropic"))
    two = follows(reader, person=f.person("Ada Lovelace"))
    path = f"/alerts/manage/{tokens.manage_token(reader)}/"
    page = client.get(path)
    assert page.status_code == 200 and b"Anthropic" in page.content
    client.post(path, {"action": "frequency", "follow": one.pk, "frequency": "weekly"})
    assert Follow.objects.get(pk=one.pk).frequency == "weekly"
    client.post(path, {"action": "stop", "follow": two.pk})
    assert Follow.objects.get(pk=two.pk).state == "stopped"
    assert Follow.objects.get(pk=one.pk).state == "active"
    client.post(path, {"action": "stop-all"})
    assert set(Follow.objects.values_list("state", flat=True)) == {"stopped"}
    # Another reader's follow cannot be touched through this link.
    stranger = follows(follower("other@example.org"), organization=f.org("OpenAI"))
    client.post(path, {"action": "stop", "follow": stranger.pk})
    assert Follow.objects.get(pk=stranger.pk).state == "active"


def test_signed_in_readers_see_and_stop_only_their_own_follows(client, stranger):
    reader = follower("stranger@example.org")
    reader.user = stranger
    reader.save()
    mine = follows(reader, organization=f.org("Anthropic"))
    theirs = follows(follower("else@example.org"), organization=f.org("OpenAI"))
    assert client.get("/alerts/mine/").status_code == 302  # sign in first
    client.force_login(stranger)
    page = client.get("/alerts/mine/")
    assert b"Anthropic" in page.content and b"OpenAI" not in page.content
    assert client.post("/alerts/mine/", {"follow": theirs.pk}).status_code == 404
    client.post("/alerts/mine/", {"follow": mine.pk})
    assert Follow.objects.get(pk=mine.pk).state == "stopped"
    assert Follow.objects.get(pk=theirs.pk).state == "active"


def test_follow_requests_are_rate_limited_per_client_and_per_address(client, settings):
    lab = f.org("Anthropic")
    # Per address: the sixth request for one address within the hour is refused.
    codes = [_follow(client, lab, ip=f"10.1.0.{i}").status_code for i in range(6)]
    assert codes == [302] * 5 + [429]
    # Per client: one machine asking for many addresses.
    codes = [
        _follow(client, lab, email=f"r{i}@example.org", ip="10.2.0.1").status_code
        for i in range(21)
    ]
    assert codes[:20] == [302] * 20 and codes[20] == 429


def test_a_bad_follow_request_gets_a_clear_error_not_a_500(client):
    lab = f.org("Anthropic")
    response = _follow(client, lab, email="not-an-address")
    assert response.status_code == 422 and b"valid email" in response.content
    response = _follow(client, lab, website="http://spam.example")
    assert response.status_code == 422
    assert (
        client.post(
            "/alerts/follow/",
            {
                "email": "a@example.org",
                "target": "company",
                "slug": "no-such-lab",
                "frequency": "instant",
                "kinds": "all",
            },
        ).status_code
        == 404
    )
    assert Follow.objects.count() == 0


def test_hard_bounces_and_complaints_stop_mail_by_command_and_webhook(client, settings):
    lab = f.org("Anthropic")
    bounced, complained, soft = (follower(f"{n}@example.org") for n in ("b", "c", "s"))
    for reader in (bounced, complained, soft):
        follows(reader, organization=lab)
    call_command("alerts_suppress", "B@example.org", "--reason", "hard bounce")

    settings.ALERTS_WEBHOOK_SECRET = "s3cret"
    url = "/alerts/webhooks/bounce/"
    body = {"email": "c@example.org", "type": "complaint"}
    assert client.post(url, body, content_type="application/json").status_code == 403
    wrong = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer nope"
    )
    assert wrong.status_code == 403
    ok = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer s3cret")
    assert ok.status_code == 200 and ok.json() == {"suppressed": True}
    softly = client.post(
        url,
        {"email": "s@example.org", "type": "soft-bounce"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer s3cret",
    )
    assert softly.json() == {"suppressed": False}
    garbage = client.post(
        url, "{", content_type="application/json", HTTP_AUTHORIZATION="Bearer s3cret"
    )
    assert garbage.status_code == 400

    approve("join", "Ada Lovelace", to_org="Anthropic")
    from talent.alerts import outbox

    outbox.deliveries_send(budget_seconds=10)
    assert [m.to for m in mail.outbox] == [["s@example.org"]]
    # A suppressed address asking to follow again gets no confirmation either.
    assert (
        services.follow_request(
            email="b@example.org", target=services.FollowTarget(organization=f.org("X"))
        ).outcome
        == "suppressed"
    )


def test_the_follow_form_is_on_company_team_and_person_pages_and_keeps_answers_on_error(
    client, stranger
):
    lab = f.org("Anthropic")
    f.team(lab, "Alignment")
    f.person("Jan Leike")
    for page in (
        "/companies/anthropic/",
        "/companies/anthropic/teams/alignment/",
        "/people/jan-leike/",
    ):
        html = client.get(page).content.decode()
        assert 'action="/alerts/follow/"' in html and 'name="email"' in html, page
    response = client.post(
        "/alerts/follow/",
        {
            "email": "bad",
            "target": "company",
            "slug": "anthropic",
            "frequency": "weekly",
            "kinds": "joins",
        },
        HTTP_HX_REQUEST="true",
        HTTP_HX_REQUEST_TYPE="partial",
    )
    html = response.content.decode()
    assert response.status_code == 422 and '<div class="follow" id="follow">' in html
    assert '<option value="weekly" selected>' in html and '<option value="joins" selected>' in html
    client.force_login(stranger)
    assert 'value="stranger@example.org"' in client.get("/companies/anthropic/").content.decode()


def test_the_answer_to_a_follow_request_says_nothing_about_the_address(client):
    lab = f.org("Anthropic")
    follows(follower("known@example.org"), organization=lab)
    gone = follower("gone@example.org")
    gone.suppressed_at = gone.confirmed_at
    gone.save()
    answers = set()
    for address in ("known@example.org", "gone@example.org", "new@example.org"):
        response = client.post(
            "/alerts/follow/",
            {
                "email": address,
                "target": "company",
                "slug": lab.slug,
                "frequency": "instant",
                "kinds": "all",
            },
            HTTP_HX_REQUEST="true",
            HTTP_HX_REQUEST_TYPE="partial",
        )
        answers.add((response.status_code, response.content.decode().split('role="status">')[1]))
    assert len(answers) == 1
