"""Reads for the index pages, /companies/ and /people/: every organization or person, a
page at a time by keyset, each page a fixed number of queries whatever the size of the
data (asserted in tests/talent/test_pages.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from talent.models import Move, Organization, Person, Stint
from talent.queries import moves_with_sources

INDEX_PAGE = 50
COMPANY_SORTS = {
    "people": "people now",
    "joined": "joined, last 12 months",
    "left": "left, last 12 months",
    "kind": "kind",
    "name": "name",
}


@dataclass(frozen=True)
class IndexPage:
    """A page of an index, its sort, and the cursor of the next page ("" at the end)."""

    rows: list
    sort: str
    next_cursor: str


def _count_by(queryset, column: str):
    """A correlated count of ``queryset``'s rows (already filtered on the outer row), or 0."""
    # Count("*"), not the key: an index holding the filtered columns answers alone.
    counted = queryset.order_by().values(column).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _companies_with_counts(year_ago: dt.date):
    """Organizations with how many are there now and how many joined and left in the last
    year: correlated counts, each read off an index (stint_org_current, move_to_org_date,
    move_from_org_date) one organization at a time."""
    between = ~Q(kind=Move.Kind.PROMOTION) & Q(date__gte=year_ago)
    return Organization.objects.annotate(
        people_now=_count_by(
            Stint.objects.filter(organization=OuterRef("pk")).current(), "organization"
        ),
        joined=_count_by(Move.objects.filter(between, to_org=OuterRef("pk")), "to_org"),
        left=_count_by(Move.objects.filter(between, from_org=OuterRef("pk")), "from_org"),
    )


def _keyset_after(values: list[tuple[str, object, bool]]) -> Q:
    """Rows after a cursor in a lexicographic order: ``values`` is (field, cursor value,
    descending) for each key, the last one unique."""
    q = Q()
    equal = Q()
    for field, value, descending in values:
        q |= equal & Q(**{f"{field}__{'lt' if descending else 'gt'}": value})
        equal &= Q(**{field: value})
    return q


def company_index(
    *, sort: str = "people", after: str | None = None, limit: int = INDEX_PAGE
) -> IndexPage:
    """All organizations, a page at a time, sorted by people now, joins or departures in
    the last twelve months (most first), kind or name; keyset paging on (sort value, name,
    id), the cursor being the last row's id. Three queries whatever the size of the data."""
    sort = sort if sort in COMPANY_SORTS else "people"
    year_ago = timezone.localdate() - dt.timedelta(days=365)
    rows = _companies_with_counts(year_ago)
    keys = {
        "people": [("people_now", True), ("name", False), ("id", False)],
        "joined": [("joined", True), ("name", False), ("id", False)],
        "left": [("left", True), ("name", False), ("id", False)],
        "kind": [("kind", False), ("name", False), ("id", False)],
        "name": [("name", False), ("id", False)],
    }[sort]
    if after and after.isdigit():
        last = rows.filter(pk=int(after)).values(*[f for f, _ in keys]).first()
        if last:
            rows = rows.filter(_keyset_after([(f, last[f], d) for f, d in keys]))
    ordering = [F(f).desc() if d else F(f).asc() for f, d in keys]
    page = list(rows.select_related("parent").order_by(*ordering)[: limit + 1])
    following = str(page[limit - 1].pk) if len(page) > limit else ""
    return IndexPage(rows=page[:limit], sort=sort, next_cursor=following)


PEOPLE_SORTS = {"recent": "latest move", "name": "name"}


def _latest_parts(cursor: tuple[dt.date | None, int] | None) -> list[Q]:
    """Moves after ``cursor`` in (date DESC NULLS LAST, id DESC) that are their person's
    latest in that order: dated ones, then undated ones, each part an index range with an
    anti-join on the person's other moves (an index look-up each)."""
    later_dated = Move.objects.filter(person=OuterRef("person")).filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk"))
    )
    later_undated = Move.objects.filter(person=OuterRef("person")).filter(
        Q(date__isnull=False) | Q(pk__gt=OuterRef("pk"))
    )
    dated = Q(date__isnull=False) & ~Exists(later_dated)
    undated = Q(date__isnull=True) & ~Exists(later_undated)
    if cursor is None:
        return [dated, undated]
    day, pk = cursor
    if day is None:
        return [undated & Q(pk__lt=pk)]
    return [dated & Q(date__lte=day) & ~Q(date=day, pk__gte=pk), undated]


def people_index(
    *, sort: str = "recent", after: str | None = None, limit: int = INDEX_PAGE
) -> IndexPage:
    """Everyone, a page at a time: by latest move (the move list's index, walked in order
    and keeping each person's latest move only) or by name; keyset paging either way. A
    fixed number of queries whatever the size of the data."""
    from talent.flows.filters import RangeError, decode_cursor, encode_cursor

    sort = sort if sort in PEOPLE_SORTS else "recent"
    current = Prefetch(
        "stints",
        queryset=Stint.objects.current()
        .select_related("organization")
        .order_by(F("start_date").desc(nulls_last=True), "id"),
        to_attr="current_stints",
    )
    if sort == "name":
        people = Person.objects.all()
        if after and after.isdigit():
            last = Person.objects.filter(pk=int(after)).values("name", "pk").first()
            if last:
                people = people.filter(
                    _keyset_after([("name", last["name"], False), ("id", last["pk"], False)])
                )
        page = list(people.prefetch_related(current).order_by("name", "id")[: limit + 1])
        following = str(page[limit - 1].pk) if len(page) > limit else ""
        return IndexPage(rows=page[:limit], sort=sort, next_cursor=following)
    try:
        cursor = decode_cursor(after)
    except RangeError:
        cursor = None
    moves: list[Move] = []
    for part in _latest_parts(cursor):
        moves += list(
            Move.objects.filter(part).order_by(F("date").desc(nulls_last=True), "-id")[
                : limit + 1 - len(moves)
            ]
        )
        if len(moves) > limit:
            break
    following = encode_cursor(moves[limit - 1]) if len(moves) > limit else ""
    moves = moves[:limit]
    shown = moves_with_sources(Move.objects.filter(pk__in=[m.pk for m in moves])).in_bulk()
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=[m.person_id for m in moves]).prefetch_related(
            current
        )
    }
    rows = []
    for move in moves:
        person = people[move.person_id]
        person.latest_move = shown[move.pk]
        rows.append(person)
    return IndexPage(rows=rows, sort=sort, next_cursor=following)
