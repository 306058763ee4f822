"""A company's flows over a range: joins, departures, net, headcount, where joiners came
from and leavers went, boomerangs, teams and units. Aggregated in PostgreSQL; a fixed
number of queries whatever the size of the data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, DateField, Q
from django.db.models.functions import Trunc

from talent.flows.filters import (
    MoveFilter,
    departures_from,
    joins_into,
    org_group,
    surely_within,
)
from talent.flows.periods import Period, Range
from talent.models import Move, Organization, Precision

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


def _placed_rows(orgs: list[int], rng: Range) -> tuple[list[PeriodRow], list[YearOnly]]:
    joins, departures = joins_into(orgs), departures_from(orgs)
    year_start = dt.date(rng.start.year, 1, 1)
    grouped = (
        Move.objects.filter(joins | departures)
        .filter(date__gte=year_start, date__lte=rng.end)
        .annotate(bucket=Trunc("date", rng.by, output_field=DateField()))
        .values("bucket", "date_precision")
        .annotate(
            joins=Count("pk", filter=joins),
            departures=Count("pk", filter=departures),
            boomerangs=Count("pk", filter=joins & Q(kind=Move.Kind.RETURN)),
        )
        .order_by()
    )
    rows = {p.start: PeriodRow(p) for p in rng.periods}
    years: dict[int, YearOnly] = {}
    for g in grouped:
        if g["date_precision"] == Precision.YEAR and rng.by != "year":
            year = g["bucket"].year
            note = years.setdefault(year, YearOnly(year, inside=rng.covers_year(year)))
            note.joins += g["joins"]
            note.departures += g["departures"]
            continue
        row = rows.get(g["bucket"])
        if row is None:
            continue  # before the range (read only for the year-only moves)
        row.joins += g["joins"]
        row.departures += g["departures"]
        row.boomerangs += g["boomerangs"]
    return list(rows.values()), [years[y] for y in sorted(years)]


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


def _top(queryset, field_name: str) -> list[OrgCount]:
    counts = list(
        queryset.values(field_name).annotate(n=Count("pk")).order_by("-n", field_name)[:TOP]
    )
    ids = [c[field_name] for c in counts if c[field_name]]
    orgs = Organization.objects.in_bulk(ids) if ids else {}
    return [OrgCount(orgs.get(c[field_name]), c["n"]) for c in counts]


TEAM_SQL = """
SELECT t.id, t.slug, t.name,
       count(*) FILTER (WHERE ts.team_id = t.id AND fs.team_id IS DISTINCT FROM t.id),
       count(*) FILTER (WHERE fs.team_id = t.id AND ts.team_id IS DISTINCT FROM t.id)
FROM talent_move m
LEFT JOIN talent_stint ts ON ts.id = m.to_stint_id
LEFT JOIN talent_stint fs ON fs.id = m.from_stint_id
JOIN talent_team t ON (t.id = ts.team_id OR t.id = fs.team_id) AND t.organization_id = %s
WHERE m.id IN ({moves})
GROUP BY t.id, t.slug, t.name
HAVING count(*) FILTER (WHERE ts.team_id = t.id AND fs.team_id IS DISTINCT FROM t.id)
     + count(*) FILTER (WHERE fs.team_id = t.id AND ts.team_id IS DISTINCT FROM t.id) > 0
ORDER BY 4 + 5 DESC, t.name
LIMIT 20
"""


def _teams(organization: Organization, within: Q) -> list[TeamRow]:
    """Moves into and out of each team of the organization itself (a change of team
    inside it counts for both teams)."""
    moves = Move.objects.filter(within, touching_one(organization.pk)).values("pk")
    sql, params = moves.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(TEAM_SQL.format(moves=sql), [organization.pk, *params])
        return [TeamRow(*row) for row in cursor.fetchall()]


def touching_one(org_id: int) -> Q:
    return Q(to_org=org_id) | Q(from_org=org_id)


def _units(orgs: list[int], within: Q) -> list[UnitRow]:
    """Each organization of the group on its own (moves between units count here)."""
    own = ~Q(kind=Move.Kind.PROMOTION)
    arrivals = (
        Move.objects.filter(within & own, to_org__in=orgs)
        .values("to_org")
        .annotate(n=Count("pk"))
        .order_by()
    )
    leavings = (
        Move.objects.filter(within & own, from_org__in=orgs)
        .values("from_org")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_id = {o.pk: UnitRow(o) for o in Organization.objects.filter(pk__in=orgs)}
    for row in arrivals:
        by_id[row["to_org"]].joins = row["n"]
    for row in leavings:
        by_id[row["from_org"]].departures = row["n"]
    return sorted(by_id.values(), key=lambda u: (u.organization.pk != orgs[0], u.organization.name))


def company_flows(organization: Organization, rng: Range, *, units: bool = True) -> CompanyFlows:
    """Everything the flows page shows, for ``organization`` (with the organizations under
    it when ``units``) over ``rng``."""
    orgs = org_group(organization, units=True)
    has_units = len(orgs) > 1
    if not units:
        orgs = [organization.pk]
    rows, year_only = _placed_rows(orgs, rng)
    counts = headcounts(orgs, [row.period.end for row in rows])
    for row in rows:
        row.headcount = counts.get(row.period.end, 0)
    within = surely_within(rng.start, rng.end)
    joins, departures = joins_into(orgs), departures_from(orgs)
    boomerangs = list(
        Move.objects.filter(within & joins, kind=Move.Kind.RETURN).select_related(
            "person", "from_org", "to_org"
        )[:TOP]
    )
    undated = Move.objects.filter((joins | departures) & Q(date__isnull=True)).count()
    inside = [y for y in year_only if y.inside]
    totals = {
        "joins": sum(r.joins for r in rows) + sum(y.joins for y in inside),
        "departures": sum(r.departures for r in rows) + sum(y.departures for y in inside),
        # Year-only returns are not in any monthly row, so the total is counted apart.
        "boomerangs": Move.objects.filter(within & joins, kind=Move.Kind.RETURN).count(),
    }
    totals["net"] = totals["joins"] - totals["departures"]
    return CompanyFlows(
        organization=organization,
        range=rng,
        units=units,
        orgs=orgs,
        rows=rows,
        year_only=year_only,
        sources=_top(Move.objects.filter(within & joins), "from_org"),
        destinations=_top(Move.objects.filter(within & departures), "to_org"),
        boomerangs=boomerangs,
        teams=_teams(organization, within),
        unit_rows=_units(org_group(organization, units=True), within) if has_units else [],
        undated=undated,
        has_units=has_units,
        totals=totals,
    )
