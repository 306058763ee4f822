from __future__ import annotations

import datetime as dt

import pytest

from feeds.models import Entry, Feed
from talent.models import Announcement
from tests import factories as f

pytestmark = pytest.mark.django_db


def _entry(feed, key, published, fetched, announcement):
    entry = Entry.objects.create(
        feed=feed,
        dedupe_key=key,
        title=key,
        published_at=dt.datetime.combine(published, dt.time(9), tzinfo=dt.UTC),
        fetched_at=dt.datetime.combine(fetched, dt.time(10), tzinfo=dt.UTC),
        content_hash=key,
    )
    entry.announcements.add(announcement)


def test_lag_per_feed_counts_the_first_entry_about_each_move(client):
    who, lab = f.person("Ada"), f.org("Lab")
    stint = f.stint(who, lab, "2024-03-10", "present")
    joined = Announcement.objects.create(
        kind="join",
        person=who,
        person_name=who.name,
        to_org=lab,
        opened_stint=stint,
        state=Announcement.State.APPROVED,
    )
    wire = Feed.objects.create(url="https://wire.example/feed", title="Wire")
    daily = Feed.objects.create(url="https://daily.example/feed", title="Daily")
    _entry(wire, "a", dt.date(2024, 3, 12), dt.date(2024, 3, 13), joined)
    _entry(wire, "b", dt.date(2024, 3, 20), dt.date(2024, 3, 20), joined)  # later: ignored
    _entry(daily, "c", dt.date(2024, 3, 30), dt.date(2024, 4, 2), joined)
    body = client.get("/feeds/lag/?start=2024-01&end=2024-12&format=csv").content.decode()
    lines = body.strip().splitlines()
    assert lines[0].startswith("feed,url,moves")
    rows = {line.split(",")[0]: line.split(",")[2:] for line in lines[1:]}
    assert rows == {"Wire": ["1", "2.0", "3.0"], "Daily": ["1", "20.0", "23.0"]}
    page = client.get("/feeds/lag/?start=2024-01&end=2024-12")
    assert page.status_code == 200 and b"Wire" in page.content
    assert client.get("/feeds/lag/?start=nope").status_code == 400
