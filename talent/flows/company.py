"""A company's flows over a range: joins, departures, net, headcount, where joiners came
from and leavers went, boomerangs, teams and units. Aggregated in PostgreSQL; a fixed
number of queries whatever the size of the data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from talent.flows.filters import MoveFilter, moves_page, org_group
from talent.flows.periods import Period, Range, add_months
from talent.models import FlowMonth, Move, Organization

TOP = 10


@dataclass
class PeriodRow:
    period: Period
    joins: int = 0
    departures: int = 0
    boomerangs: int = 0
    headcount: int | None = None

    @property
    def net(self) -> int:
        return self.joins - self.departures


@dataclass
class YearOnly:
    """Moves known only to a year, which a monthly or quarterly period cannot hold.
    ``inside``: the whole year lies in the range (they count in its totals); otherwise the
    range covers part of the year and they may or may not fall in it (not counted)."""

    year: int
    joins: int = 0
    departures: int = 0
    inside: bool = True


@dataclass
class OrgCount:
    organization: Organization | None  # None: nowhere recorded (first job, or unknown)
    count: int


@dataclass
class TeamRow:
    team_id: int
    slug: str
    name: str
    joins: int
    departures: int

    @property
    def net(self) -> int:
        return self.joins - self.departures


@dataclass
class UnitRow:
    organization: Organization
    joins: int = 0
    departures: int = 0

    @property
    def net(self) -> int:
        return self.joins - self.departures


@dataclass
class CompanyFlows:
    organization: Organization
    range: Range
    units: bool
    orgs: list[int]
    rows: list[PeriodRow]
    year_only: list[YearOnly]
    sources: list[OrgCount]
    destinations: list[OrgCount]
    boomerangs: list[Move]
    teams: list[TeamRow]
    unit_rows: list[UnitRow]
    undated: int
    has_units: bool
    totals: dict[str, int] = field(default_factory=dict)

    def filter(self, **changes) -> MoveFilter:
        """The moves list behind a number of this page."""
        base = MoveFilter(
            company=self.organization,
            units=self.units,
            orgs=self.orgs,
            start=self.range.start,
            end=self.range.end,
        )
        for key, value in changes.items():
            setattr(base, key, value)
        return base


# The summary rows of a group over a range, folded to one row per organization, month and
# kind of count; "external" says the counterpart is outside the group.
FLOW_ROWS_SQL = """
SELECT organization_id, month, year_only, incoming, is_return,
       (counterpart_id IS NULL OR counterpart_id <> ALL(%s)) AS external,
       sum(count)::int
FROM talent_flowmonth
WHERE organization_id = ANY(%s) AND count <> 0
  AND ((month >= %s AND month <= %s) OR month = %s)
GROUP BY 1, 2, 3, 4, 5, 6
"""

# Where joiners came from (incoming) or leavers went, outside the group, in the range.
COUNTERPARTS_SQL = """
SELECT counterpart_id, sum(count)::int AS n
FROM talent_flowmonth f
WHERE organization_id = ANY(%s) AND incoming = %s
  AND (counterpart_id IS NULL OR counterpart_id <> ALL(%s)) AND {within}
GROUP BY counterpart_id
HAVING sum(count) <> 0
ORDER BY n DESC, counterpart_id NULLS FIRST
LIMIT %s
"""


@dataclass
class _Tally:
    rows: list[PeriodRow]
    year_only: list[YearOnly]
    units: dict[int, list[int]]
    boomerangs: int
    undated: int


def _tally(group: list[int], orgs: list[int], rng: Range) -> _Tally:
    """Everything counted from the monthly flow summary, in one read: ``orgs`` is the
    group the figures are for (moves between two of them are not joins or departures),
    ``group`` the organization and all its units (for the units table)."""
    with connection.cursor() as cursor:
        cursor.execute(
            FLOW_ROWS_SQL,
            [orgs, group, dt.date(rng.start.year, 1, 1), rng.end, FlowMonth.UNDATED],
        )
        summary = cursor.fetchall()
    inside_group = set(orgs)
    periods: dict[dt.date, PeriodRow] = {}
    rows = []
    for period in rng.periods:
        row = PeriodRow(period)
        rows.append(row)
        month = period.start
        while month <= period.end:
            periods[month] = row
            month = add_months(month, 1)
    years: dict[int, YearOnly] = {}
    units = {org: [0, 0] for org in group}
    boomerangs = undated = 0
    for org, month, year_only, incoming, is_return, external, n in summary:
        external = external and org in inside_group
        if month == FlowMonth.UNDATED:
            undated += n if external else 0
            continue
        if year_only:
            inside = rng.covers_year(month.year)
            placed = periods.get(month) if rng.by == "year" else None
            if external and placed is None:
                note = years.setdefault(month.year, YearOnly(month.year, inside=inside))
                note.joins += n if incoming else 0
                note.departures += 0 if incoming else n
        else:
            placed = periods.get(month)
            inside = placed is not None
        if external and placed is not None:
            if incoming:
                placed.joins += n
                placed.boomerangs += n if is_return else 0
            else:
                placed.departures += n
        if not inside:
            continue
        units[org][0 if incoming else 1] += n
        if external and incoming and is_return:
            boomerangs += n
    return _Tally(
        rows=rows,
        year_only=[years[y] for y in sorted(years)],
        units=units,
        boomerangs=boomerangs,
        undated=undated,
    )


HEADCOUNT_SQL = """
SELECT m.month, sum(m.delta)
FROM talent_headcountmonth m
WHERE m.organization_id = ANY(%s) AND m.month <= %s
GROUP BY m.month
ORDER BY m.month
"""


def headcounts(orgs: list[int], days: list[dt.date]) -> dict[dt.date, int]:
    """People at the organizations at the end of each month in ``days`` (month ends), by
    the rule of "who was here on a date" (a stint counts when it could have covered the
    day at its dates' precision; one whose start or end is unknown counts on no day).
    Read from the monthly summary: a running sum of a few hundred rows, not the stints.
    A group's headcount is the sum of its organizations'."""
    if not days:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(HEADCOUNT_SQL, [orgs, max(days)])
        changes = cursor.fetchall()
    result, running, i = {}, 0, 0
    for day in sorted(days):
        while i < len(changes) and changes[i][0] <= day:
            running += changes[i][1]
            i += 1
        result[day] = running
    return result


def _counterparts(orgs: list[int], rng: Range, *, incoming: bool) -> list[tuple[int | None, int]]:
    from talent.flows.matrix import summary_within

    within, params = summary_within(rng.start, rng.end)
    with connection.cursor() as cursor:
        cursor.execute(COUNTERPARTS_SQL.format(within=within), [orgs, incoming, orgs, *params, TOP])
        return cursor.fetchall()


def _top(ranked: list[tuple[int | None, int]], orgs: dict[int, Organization]) -> list[OrgCount]:
    return [OrgCount(orgs.get(org) if org else None, n) for org, n in ranked]


TEAM_SQL = """
SELECT t.id, t.slug, t.name,
       coalesce(sum(f.count) FILTER (WHERE f.incoming), 0)::int,
       coalesce(sum(f.count) FILTER (WHERE NOT f.incoming), 0)::int
FROM talent_teamflowmonth f
JOIN talent_team t ON t.id = f.team_id
WHERE t.organization_id = %s AND {within}
GROUP BY t.id, t.slug, t.name
HAVING sum(f.count) <> 0
ORDER BY sum(f.count) DESC, t.name
LIMIT 20
"""


def _teams(organization: Organization, rng: Range) -> list[TeamRow]:
    """Moves into and out of each team of the organization itself (a change of team
    inside it counts for both teams), from the team flow summary."""
    from talent.flows.matrix import summary_within

    within, params = summary_within(rng.start, rng.end)
    with connection.cursor() as cursor:
        cursor.execute(TEAM_SQL.format(within=within), [organization.pk, *params])
        return [TeamRow(*row) for row in cursor.fetchall()]


def touching_one(org_id: int) -> Q:
    return Q(to_org=org_id) | Q(from_org=org_id)


def company_flows(organization: Organization, rng: Range, *, units: bool = True) -> CompanyFlows:
    """Everything the flows page shows, for ``organization`` (with the organizations under
    it when ``units``) over ``rng``."""
    group = org_group(organization, units=True)
    has_units = len(group) > 1
    orgs = group if units else [organization.pk]
    tally = _tally(group, orgs, rng)
    rows, year_only = tally.rows, tally.year_only
    counts = headcounts(orgs, [row.period.end for row in rows])
    for row in rows:
        row.headcount = counts.get(row.period.end, 0)
    boomerangs, _ = moves_page(
        MoveFilter(orgs=orgs, direction="in", kind=Move.Kind.RETURN, start=rng.start, end=rng.end),
        limit=TOP,
        queryset=Move.objects.select_related("person", "from_org", "to_org"),
    )
    inside = [y for y in year_only if y.inside]
    totals = {
        "joins": sum(r.joins for r in rows) + sum(y.joins for y in inside),
        "departures": sum(r.departures for r in rows) + sum(y.departures for y in inside),
        "boomerangs": tally.boomerangs,
    }
    totals["net"] = totals["joins"] - totals["departures"]
    sources = _counterparts(orgs, rng, incoming=True)
    destinations = _counterparts(orgs, rng, incoming=False)
    named = {org for org, _ in sources + destinations if org} | (set(group) if has_units else set())
    unit_orgs = Organization.objects.in_bulk(named) if named else {}
    unit_rows = sorted(
        (UnitRow(unit_orgs[o], *tally.units[o]) for o in group if o in unit_orgs),
        key=lambda u: (u.organization.pk != organization.pk, u.organization.name),
    )
    return CompanyFlows(
        organization=organization,
        range=rng,
        units=units,
        orgs=orgs,
        rows=rows,
        year_only=year_only,
        sources=_top(sources, unit_orgs),
        destinations=_top(destinations, unit_orgs),
        boomerangs=boomerangs,
        teams=_teams(organization, rng),
        unit_rows=unit_rows,
        undated=tally.undated,
        has_units=has_units,
        totals=totals,
    )
