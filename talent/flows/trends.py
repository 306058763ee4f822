"""Trends that annual talent reports publish once a year, live: rolling net flow per
company, each organization's share of the tracked people, flows between countries and
between kinds of organization, and how long news takes to report a move."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import DateField, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import Coalesce

from talent.flows.matrix import summary_within
from talent.flows.periods import Range, add_months
from talent.models import Organization, Source


@dataclass
class Series:
    organization: Organization
    values: list[int | float]


ROLLING_SQL = """
SELECT organization_id, month, sum(CASE WHEN incoming THEN count ELSE -count END)::int
FROM talent_flowmonth
WHERE organization_id = ANY(%s) AND NOT year_only AND month >= %s AND month <= %s
GROUP BY 1, 2
"""

YEAR_ONLY_SQL = """
SELECT count(*) FROM talent_move m
WHERE m.kind <> 'promotion' AND (m.to_org_id = ANY(%s) OR m.from_org_id = ANY(%s))
  AND m.date_precision = 'year' AND m.date >= %s AND m.date <= %s
"""


def rolling_net(orgs: list[Organization], rng: Range) -> tuple[list[Series], list[str], int]:
    """Net flow (joins minus departures, each organization on its own) over the twelve
    months ending at each period's end. Moves known only to the year cannot be placed in
    a twelve-month window that is not a calendar year: left out, and counted."""
    ids = [o.pk for o in orgs]
    first = add_months(rng.periods[0].end.replace(day=1), -11)
    with connection.cursor() as cursor:
        cursor.execute(ROLLING_SQL, [ids, first, rng.end])
        monthly: dict[tuple[int, dt.date], int] = {(o, m): n for o, m, n in cursor.fetchall()}
        cursor.execute(YEAR_ONLY_SQL, [ids, ids, dt.date(first.year, 1, 1), rng.end])
        unplaced = cursor.fetchone()[0]
    series = []
    for org in orgs:
        values = []
        for period in rng.periods:
            end_month = period.end.replace(day=1)
            values.append(
                sum(monthly.get((org.pk, add_months(end_month, -k)), 0) for k in range(12))
            )
        series.append(Series(org, values))
    return series, [p.label for p in rng.periods], unplaced


def headcount_share(
    orgs: list[Organization], rng: Range
) -> tuple[list[Series], list[int], list[str]]:
    """Each organization's share (percent) of everyone tracked at each period's end, and
    the total tracked, from the monthly headcount summary."""
    days = [p.end for p in rng.periods]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT month, sum(delta) FROM talent_headcountmonth WHERE month <= %s "
            "GROUP BY month ORDER BY month",
            [max(days)],
        )
        overall = cursor.fetchall()
        cursor.execute(
            "SELECT organization_id, month, delta FROM talent_headcountmonth "
            "WHERE organization_id = ANY(%s) AND month <= %s ORDER BY month",
            [[o.pk for o in orgs], max(days)],
        )
        own = cursor.fetchall()

    def running(changes, day):
        return sum(n for month, n in changes if month <= day)

    totals = [running(overall, day) for day in days]
    series = []
    for org in orgs:
        changes = [(month, n) for o, month, n in own if o == org.pk]
        values = []
        for day, total in zip(days, totals, strict=True):
            here = running(changes, day)
            values.append(round(100.0 * here / total, 2) if total else 0.0)
        series.append(Series(org, values))
    return series, totals, [p.label for p in rng.periods]


BETWEEN_SQL = """
SELECT a.{field}, b.{field}, sum(f.count)::int
FROM talent_flowmonth f
JOIN talent_organization a ON a.id = f.organization_id
JOIN talent_organization b ON b.id = f.counterpart_id
WHERE NOT f.incoming AND {within}
GROUP BY 1, 2
ORDER BY 3 DESC
LIMIT 400
"""


def flows_between(field: str, start: dt.date, end: dt.date) -> dict[tuple[str, str], int]:
    """Moves between countries (``country``) or kinds of organization (``kind``) in the
    range: only moves whose origin and destination are both known."""
    assert field in ("country", "kind")
    within, params = summary_within(start, end)
    with connection.cursor() as cursor:
        cursor.execute(BETWEEN_SQL.format(field=field, within=within), params)
        return {(a or "", b or ""): n for a, b, n in cursor.fetchall()}


# -- news lag -----------------------------------------------------------------------------------

# Sources of a move's stint published this long before the move still report it (news of
# a move often comes first); older ones report something earlier (the join, for a
# departure) and are not counted.
REPORT_WINDOW = dt.timedelta(days=90)

LAG_SQL = """
WITH reports AS (
    SELECT m.id AS move_id, s.publisher,
           min(s.published_on) - m.date AS published_after,
           min(s.first_seen::date) - m.date AS seen_after
    FROM talent_move m
    JOIN talent_source_stints ss ON ss.stint_id = coalesce(m.to_stint_id, m.from_stint_id)
    JOIN talent_source s ON s.id = ss.source_id
    WHERE m.date_precision = 'day' AND m.date >= %s AND m.date <= %s
      AND s.published_on >= m.date - %s
    GROUP BY m.id, s.publisher, m.date
)
SELECT publisher, count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY published_after),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seen_after),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY published_after)
FROM (
    SELECT publisher, published_after, seen_after FROM reports
    UNION ALL
    SELECT NULL, min(published_after), min(seen_after) FROM reports GROUP BY move_id
) AS rows
GROUP BY publisher
ORDER BY publisher IS NOT NULL, 2 DESC, 1
LIMIT 41
"""


@dataclass(frozen=True)
class Lag:
    publisher: str | None  # None: any outlet (the first report of each move)
    moves: int
    median_published: float
    median_seen: float
    p90_published: float


def news_lag(start: dt.date, end: dt.date) -> list[Lag]:
    """Days from a move (dated to the day) to its first report and to when we first saw
    that report, per outlet and for the first report by anyone. Moves dated only to the
    month or year are left out (a month is too coarse to measure days of lag)."""
    with connection.cursor() as cursor:
        cursor.execute(LAG_SQL, [start, end, REPORT_WINDOW])
        return [
            Lag(p, n, round(float(a), 1), round(float(b), 1), round(float(c), 1))
            for p, n, a, b, c in cursor.fetchall()
        ]


def reported_by(publisher: str) -> Q:
    """Moves dated to the day that ``publisher`` reported (a source of the move's stint
    published at most REPORT_WINDOW before the move): the list behind news_lag's rows."""
    stint = Coalesce(OuterRef("to_stint"), OuterRef("from_stint"))
    earliest = ExpressionWrapper(OuterRef("date") - REPORT_WINDOW, output_field=DateField())
    sources = Source.objects.filter(stints=stint, publisher=publisher, published_on__gte=earliest)
    return Q(date_precision="day") & Q(Exists(sources))


__all__ = ["Lag", "Series", "flows_between", "headcount_share", "news_lag", "rolling_net"]
