from __future__ import annotations

import pytest
from django.utils import timezone

from feeds.models import Feed

pytestmark = pytest.mark.django_db

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


@pytest.fixture
def broken_feed() -> Feed:
    return Feed.objects.create(
        url="https://news.example.org/broken.xml",
        title="Broken Wire",
        consecutive_errors=3,
        last_status=Feed.Status.ERROR,
        last_error="HTTP 500",
        last_error_at=timezone.now(),
        next_poll_at=timezone.now() + timezone.timedelta(hours=3),
    )


def test_the_health_page_shows_failing_feeds_first_with_their_error(client, curator, broken_feed):
    Feed.objects.create(url="https://news.example.org/fine.xml", title="Fine Wire")
    client.force_login(curator)
    body = client.get("/feeds/").content.decode()
    assert body.index("Broken Wire") < body.index("Fine Wire")
    assert "3 errors in a row: HTTP 500" in body and "1 failing" in body


@pytest.mark.parametrize(
    "method,url", [("get", "/feeds/"), ("post", "/feeds/1/retry/"), ("post", "/feeds/add/")]
)
def test_anonymous_visitors_are_sent_to_log_in_and_strangers_refused(client, stranger, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(stranger)
    assert getattr(client, method)(url).status_code == 403


def test_view_only_staff_see_the_page_but_cannot_act(client, viewer, broken_feed):
    client.force_login(viewer)
    page = client.get("/feeds/")
    assert page.status_code == 200 and "Broken Wire" in page.content.decode()
    before = Feed.objects.get(pk=broken_feed.pk).next_poll_at
    assert client.post(f"/feeds/{broken_feed.pk}/retry/").status_code == 403
    assert client.post("/feeds/add/", {"url": "https://example.org/feed"}).status_code == 403
    assert Feed.objects.get(pk=broken_feed.pk).next_poll_at == before
    assert not Feed.objects.filter(url="https://example.org/feed").exists()


def test_retry_now_makes_the_feed_due_and_returns_its_row_to_htmx(
    client, curator, broken_feed, django_capture_on_commit_callbacks
):
    client.force_login(curator)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"/feeds/{broken_feed.pk}/retry/", headers=PARTIAL)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<tr id="feed-{broken_feed.pk}"')
    assert b"due now" in response.content
    broken_feed.refresh_from_db()
    assert broken_feed.next_poll_at <= timezone.now()
    assert len(callbacks) == 1  # a poll is enqueued after commit


def test_retry_now_without_javascript_redirects_back(client, curator, broken_feed):
    client.force_login(curator)
    response = client.post(f"/feeds/{broken_feed.pk}/retry/", follow=True)
    assert response.redirect_chain[-1][0] == "/feeds/"
    assert b"Polling Broken Wire now." in response.content


def test_retry_requires_csrf(curator, broken_feed):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    assert client.post(f"/feeds/{broken_feed.pk}/retry/").status_code == 403


def test_adding_a_bad_url_says_why_and_adds_nothing(client, curator):
    client.force_login(curator)
    response = client.post("/feeds/add/", {"url": "http://127.0.0.1:5432/"})
    assert response.status_code == 303 and response["Location"] == "/feeds/#add-feed"
    page = client.get("/feeds/").content.decode()
    assert "Not added: 127.0.0.1 resolves to 127.0.0.1" in page
    assert 'value="http://127.0.0.1:5432/"' in page
    assert "Not added" not in client.get("/feeds/").content.decode()  # said once
    assert not Feed.objects.exists()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("notaurl", "“notaurl” is not a web address: a feed's address starts with https://"),
        ("example.org/feed", "(did you mean https://example.org/feed?)"),
        ("ftp://example.org/feed", "only http and https feeds are supported, not ftp:"),
        ("http://", "the URL has no host"),
    ],
)
def test_a_refused_feed_says_what_was_wrong(client, curator, url, reason):
    client.force_login(curator)
    page = client.post("/feeds/add/", {"url": url}, follow=True).content.decode()
    assert reason in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert "none:" not in page


def test_the_health_page_words_statuses_and_offers_retry_only_to_failing_feeds(
    client, curator, broken_feed
):
    quiet = Feed.objects.create(
        url="https://news.example.org/quiet.xml",
        title="Quiet Wire",
        last_status=Feed.Status.NOT_MODIFIED,
    )
    client.force_login(curator)
    body = client.get("/feeds/").content.decode()
    quiet_row = body.split(f'id="feed-{quiet.pk}"')[1].split("</tr>")[0]
    broken_row = body.split(f'id="feed-{broken_feed.pk}"')[1].split("</tr>")[0]
    assert "no new entries" in quiet_row and "not modified" not in quiet_row
    assert "Retry now" not in quiet_row and "Retry now" in broken_row


def test_adding_a_good_url_subscribes(
    client, curator, feed_server, django_capture_on_commit_callbacks
):
    client.force_login(curator)
    url = feed_server.add("/new", body=b"<rss/>")
    with django_capture_on_commit_callbacks():
        response = client.post("/feeds/add/", {"url": url}, follow=True)
    assert b"Added " in response.content and Feed.objects.filter(url=url).exists()


def test_admin_actions_poll_pause_and_resume(
    client, curator, broken_feed, django_capture_on_commit_callbacks
):
    client.force_login(curator)
    changelist = "/admin/feeds/feed/"
    assert b"Broken Wire" in client.get(changelist).content
    client.post(changelist, {"action": "pause", "_selected_action": [broken_feed.pk]})
    broken_feed.refresh_from_db()
    assert not broken_feed.active
    client.post(changelist, {"action": "resume", "_selected_action": [broken_feed.pk]})
    broken_feed.refresh_from_db()
    assert broken_feed.active and broken_feed.next_poll_at <= timezone.now()
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(changelist, {"action": "poll_now", "_selected_action": [broken_feed.pk]})
    assert len(callbacks) == 1


def test_each_feed_shows_its_yield_so_curators_can_prune(client, curator):
    import datetime as dt

    from feeds.models import Entry
    from talent.models import Announcement

    feed = Feed.objects.create(url="https://wire.example.org/feed", title="Yield Wire")
    quiet = Feed.objects.create(url="https://quiet.example.org/feed", title="Quiet Wire")
    states = ["approved", "rejected", "pending"]
    for i, state in enumerate(states):
        entry = Entry.objects.create(
            feed=feed,
            dedupe_key=f"k{i}",
            title=f"Story {i}",
            content_hash=str(i),
            moves_found=1,
            published_at=timezone.now() - dt.timedelta(hours=i),
        )
        entry.announcements.add(
            Announcement.objects.create(
                kind="join",
                person_name=f"Person {i}",
                to_org_name="Lab",
                state=state,
                reason="no" if state == "rejected" else "",
            )
        )
    client.force_login(curator)
    body = client.get("/feeds/").content.decode()
    row = body.split(f'id="feed-{feed.pk}"')[1].split("</tr>")[0]
    assert "3 found · 1 approved · 1 rejected" in row
    quiet_row = body.split(f'id="feed-{quiet.pk}"')[1].split("</tr>")[0]
    assert "0 found · 0 approved · 0 rejected" in quiet_row
    assert b"Yield Wire" in client.get("/admin/feeds/feed/?o=-10").content
