"""Flows among organizations: the matrix of moves between the top organizations of a
range (and its Sankey-style diagram), and where a company's alumni are now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection

from talent.flows.periods import last_full_year_start
from talent.models import Organization


def range_sql(start: dt.date, end: dt.date, alias: str = "m") -> tuple[str, list]:
    """``filters.surely_within`` in SQL, for the queries written by hand."""
    return (
        f"{alias}.date >= %s AND {alias}.date <= %s "
        f"AND ({alias}.date_precision <> 'year' OR {alias}.date <= %s)",
        [start, end, last_full_year_start(end)],
    )


# Both read the monthly flow summary (talent.models.FlowMonth): a move known only to the
# year counts when its whole year lies in the range, as everywhere.
SUMMARY_WITHIN = """
    f.count <> 0 AND f.month >= %s
    AND ((NOT f.year_only AND f.month <= %s) OR (f.year_only AND f.month <= %s))
"""

TOP_SQL = """
SELECT f.organization_id, sum(f.count)::int AS n
FROM talent_flowmonth f
JOIN talent_organization o ON o.id = f.organization_id {kind}
WHERE {within}
GROUP BY f.organization_id
ORDER BY n DESC, f.organization_id
LIMIT %s
"""

CELLS_SQL = """
SELECT f.organization_id, f.counterpart_id, sum(f.count)::int
FROM talent_flowmonth f
WHERE f.organization_id = ANY(%s) AND f.counterpart_id = ANY(%s) AND NOT f.incoming
  AND f.organization_id <> f.counterpart_id AND {within}
GROUP BY 1, 2
"""


def summary_within(start: dt.date, end: dt.date) -> tuple[str, list]:
    return SUMMARY_WITHIN, [start, end, last_full_year_start(end)]


@dataclass(frozen=True)
class Link:
    source: Organization
    target: Organization
    count: int
    path: str = ""
    thickness: float = 0.0


@dataclass(frozen=True)
class Node:
    organization: Organization
    x: float
    y: float
    height: float
    total: int


@dataclass
class Matrix:
    start: dt.date
    end: dt.date
    kind: str
    organizations: list[Organization]
    activity: dict[int, int]
    cells: dict[tuple[int, int], int]
    left: list[Node] = field(default_factory=list)
    right: list[Node] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    height: int = 0

    def cell(self, source: int, target: int) -> int:
        return self.cells.get((source, target), 0)

    @property
    def rows(self) -> list[tuple[Organization, list[tuple[Organization, int]], int]]:
        out = []
        for a in self.organizations:
            row = [(b, self.cell(a.pk, b.pk)) for b in self.organizations]
            out.append((a, row, sum(n for _, n in row)))
        return out

    @property
    def gains(self) -> list[tuple[Organization, Organization, int, int, int]]:
        """(gainer, from whom, net, moves in, moves out), largest net first."""
        pairs = []
        orgs = self.organizations
        for i, a in enumerate(orgs):
            for b in orgs[i + 1 :]:
                into_a, into_b = self.cell(b.pk, a.pk), self.cell(a.pk, b.pk)
                if into_a == into_b:
                    continue
                gainer, loser = (a, b) if into_a > into_b else (b, a)
                gained, lost = max(into_a, into_b), min(into_a, into_b)
                pairs.append((gainer, loser, gained - lost, gained, lost))
        return sorted(pairs, key=lambda p: (-p[2], p[0].name, p[1].name))[:20]


def flow_matrix(start: dt.date, end: dt.date, *, kind: str = "", top: int = 10) -> Matrix:
    """Moves between the ``top`` organizations (of ``kind``, if given) with the most moves
    in and out over the range. Two queries."""
    within, params = summary_within(start, end)
    kind_sql = "AND o.kind = %s" if kind else ""
    with connection.cursor() as cursor:
        cursor.execute(
            TOP_SQL.format(within=within, kind=kind_sql),
            [*([kind] if kind else []), *params, top],
        )
        activity = dict(cursor.fetchall())
        ids = list(activity)
        cells: dict[tuple[int, int], int] = {}
        if ids:
            cursor.execute(CELLS_SQL.format(within=within), [ids, ids, *params])
            cells = {(a, b): n for a, b, n in cursor.fetchall()}
    by_id = Organization.objects.in_bulk(ids)
    matrix = Matrix(
        start=start,
        end=end,
        kind=kind,
        organizations=[by_id[i] for i in ids if i in by_id],
        activity=activity,
        cells=cells,
    )
    _layout_sankey(matrix)
    return matrix


WIDTH, NODE_WIDTH, GAP = 720, 14, 8
LEFT_X, RIGHT_X = 150.0, WIDTH - 150.0 - NODE_WIDTH


def _layout_sankey(matrix: Matrix, *, height: int = 420) -> None:
    """Sources on the left, destinations on the right, each as tall as its moves; a band
    per pair as thick as its count, on one scale of pixels per move for all."""
    outs = {
        a.pk: sum(matrix.cell(a.pk, b.pk) for b in matrix.organizations)
        for a in matrix.organizations
    }
    ins = {
        b.pk: sum(matrix.cell(a.pk, b.pk) for a in matrix.organizations)
        for b in matrix.organizations
    }
    total = sum(outs.values())
    if not total:
        matrix.height = 60
        return
    senders = [o for o in matrix.organizations if outs[o.pk]]
    receivers = [o for o in matrix.organizations if ins[o.pk]]
    usable = height - GAP * (max(len(senders), len(receivers)) - 1) - 20
    per_move = usable / total
    matrix.height = height

    def column(orgs, totals, x) -> dict[int, Node]:
        y, nodes = 10.0, {}
        for org in sorted(orgs, key=lambda o: (-totals[o.pk], o.name)):
            h = round(totals[org.pk] * per_move, 2)
            nodes[org.pk] = Node(org, x, round(y, 2), h, totals[org.pk])
            y += h + GAP
        return nodes

    left, right = column(senders, outs, LEFT_X), column(receivers, ins, RIGHT_X)
    matrix.left, matrix.right = list(left.values()), list(right.values())
    out_cursor = {pk: node.y for pk, node in left.items()}
    in_cursor = {pk: node.y for pk, node in right.items()}
    pairs = sorted(
        ((a, b) for (a, b) in matrix.cells if a in left and b in right),
        key=lambda p: (left[p[0]].y, right[p[1]].y),
    )
    x0, x1 = LEFT_X + NODE_WIDTH, RIGHT_X
    middle = (x0 + x1) / 2
    for a, b in pairs:
        n = matrix.cells[(a, b)]
        thickness = n * per_move
        y0 = out_cursor[a] + thickness / 2
        y1 = in_cursor[b] + thickness / 2
        out_cursor[a] += thickness
        in_cursor[b] += thickness
        path = f"M{x0},{y0:.2f} C{middle:.1f},{y0:.2f} {middle:.1f},{y1:.2f} {x1},{y1:.2f}"
        matrix.links.append(
            Link(
                left[a].organization, right[b].organization, n, path, round(max(thickness, 0.8), 2)
            )
        )


# -- alumni -----------------------------------------------------------------------------------

# Current jobs of everyone who ever had a stint at the organizations, per organization;
# the grand-total row (organization NULL) counts the people with any current job.
ALUMNI_SQL = """
SELECT c.organization_id, count(DISTINCT c.person_id)
FROM talent_stint c
WHERE c.end_precision = 'present'
  AND c.person_id IN (SELECT person_id FROM talent_stint WHERE organization_id = ANY(%s))
GROUP BY GROUPING SETS ((c.organization_id), ())
ORDER BY 2 DESC, 1
"""


@dataclass
class Alumni:
    organization: Organization
    orgs: list[int]
    total: int
    still_here: int
    nowhere: int
    elsewhere: list[tuple[Organization, int]]
    more: int  # organizations beyond the ones listed


def alumni(organization: Organization, orgs: list[int], *, top: int = 25) -> Alumni:
    """Everyone who ever had a stint at the organizations, by where they are now: still
    here, at another organization (someone with two current jobs counts at each), or with
    no current job recorded."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT person_id) FROM talent_stint WHERE organization_id = ANY(%s)",
            [orgs],
        )
        total = cursor.fetchone()[0]
        cursor.execute(ALUMNI_SQL, [orgs])
        counts = cursor.fetchall()
    employed = sum(n for org, n in counts if org is None)
    nowhere = total - employed
    # Still here: people with a current job at any of the organizations (once each).
    still = _still_here(orgs) if len(orgs) > 1 else sum(n for org, n in counts if org in orgs)
    others = [(org, n) for org, n in counts if org is not None and org not in orgs]
    shown = others[:top]
    by_id = Organization.objects.in_bulk([org for org, _ in shown])
    return Alumni(
        organization=organization,
        orgs=orgs,
        total=total,
        still_here=still,
        nowhere=nowhere,
        elsewhere=[(by_id[org], n) for org, n in shown if org in by_id],
        more=max(0, len(others) - top),
    )


def _still_here(orgs: list[int]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT person_id) FROM talent_stint "
            "WHERE organization_id = ANY(%s) AND end_precision = 'present'",
            [orgs],
        )
        return cursor.fetchone()[0]


def alumni_people(orgs: list[int], now: str, *, after: int = 0, limit: int = 50):
    """The people behind one alumni number: those who were at ``orgs`` and are now at the
    organization ``now`` (an id as text, "here" or "none"), paged by person id."""
    from django.db.models import Exists, OuterRef, Prefetch

    from talent.models import Person, Source, Stint

    was_here = Stint.objects.filter(person=OuterRef("pk"), organization__in=orgs)
    current = Stint.objects.filter(person=OuterRef("pk"), end_precision="present")
    people = Person.objects.filter(Exists(was_here), pk__gt=after)
    if now == "none":
        people = people.filter(~Exists(current))
    elif now == "here":
        people = people.filter(Exists(current.filter(organization__in=orgs)))
    else:
        people = people.filter(Exists(current.filter(organization=int(now))))
    rows = list(
        people.order_by("pk").prefetch_related(
            Prefetch(
                "stints",
                queryset=Stint.objects.filter(end_precision="present")
                .select_related("organization")
                .prefetch_related(
                    Prefetch("sources", queryset=Source.objects.order_by("-published_on", "id"))
                ),
                to_attr="now",
            )
        )[: limit + 1]
    )
    return rows[:limit], (rows[limit - 1].pk if len(rows) > limit else None)
