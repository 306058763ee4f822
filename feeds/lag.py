"""News lag per feed: how long after a move our feeds carried its report, and when we
fetched it. The per-outlet figures live in talent (talent.flows.trends.news_lag); this
part needs feeds' entries, and feeds may import talent, not the other way round."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from talent.flows.export import csv_response
from talent.flows.periods import RangeError, parse_range

# A move is reported by an entry when the entry's announcement opened the stint the move
# arrives at, or closed the stint a departure leaves. First entry per feed and move.
FEED_LAG_SQL = """
WITH firsts AS (
    SELECT e.feed_id, m.id AS move_id,
           min(e.published_at)::date - m.date AS published_after,
           min(e.fetched_at)::date - m.date AS fetched_after
    FROM feeds_entry e
    JOIN feeds_entry_announcements ea ON ea.entry_id = e.id
    JOIN talent_announcement a ON a.id = ea.announcement_id
    JOIN talent_move m
      ON (m.to_stint_id IS NOT NULL AND m.to_stint_id = a.opened_stint_id)
      OR (m.to_stint_id IS NULL AND m.from_stint_id = a.closed_stint_id)
    WHERE m.date_precision = 'day' AND m.date >= %s AND m.date <= %s
    GROUP BY e.feed_id, m.id, m.date
)
SELECT f.id, f.title, f.url, count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY published_after),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY fetched_after)
FROM firsts JOIN feeds_feed f ON f.id = firsts.feed_id
GROUP BY f.id, f.title, f.url
ORDER BY count(*) DESC, f.id
LIMIT 100
"""


@dataclass(frozen=True)
class FeedLag:
    feed_id: int
    title: str
    url: str
    moves: int
    median_published: float
    median_fetched: float


def feed_lag(start: dt.date, end: dt.date) -> list[FeedLag]:
    """Days from moves dated to the day to the first entry about them in each feed (its
    publication date, and when we fetched it)."""
    with connection.cursor() as cursor:
        cursor.execute(FEED_LAG_SQL, [start, end])
        return [
            FeedLag(i, t or u, u, n, round(float(p), 1), round(float(f), 1))
            for i, t, u, n, p, f in cursor.fetchall()
        ]


@require_GET
def lag(request: HttpRequest) -> HttpResponse:
    try:
        rng = parse_range(
            request.GET.get("start"),
            request.GET.get("end"),
            "month",
            today=timezone.localdate(),
            default_months=24,
            periods=False,
        )
    except RangeError as exc:
        return render(request, "feeds/lag.html", {"error": str(exc)}, status=400)
    rows = feed_lag(rng.start, rng.end)
    if request.GET.get("format") == "csv":
        return csv_response(
            "news-lag-by-feed",
            ["feed", "url", "moves", "median_days_to_published", "median_days_to_fetched"],
            [[r.title, r.url, r.moves, r.median_published, r.median_fetched] for r in rows],
        )
    return render(request, "feeds/lag.html", {"rows": rows, "range": rng, "query": rng.query()})
