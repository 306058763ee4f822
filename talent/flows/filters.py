"""Which moves a number counts, written once as Q objects.

The flows pages count with these predicates and every number links to the moves list
filtered by the same ones (``MoveFilter``), so a figure and the list behind it cannot
disagree. Dates are compared at their precision: a move is *in* a range only when the
whole period its date stands for lies inside it (a move known only to 2024 is inside
2024, not inside March 2024).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q, Value

from talent.flows.periods import RangeError, last_full_year_start, month_end, parse_month
from talent.models import (
    Move,
    Normalized,
    Organization,
    OrganizationAlias,
    Person,
    PersonAlias,
    Precision,
    Team,
)

DIRECTIONS = ("in", "out", "both")
MAX_SLUG = 200  # longer than any slug we make: refused with a message, never queried
NOWHERE = "none"  # ?from=none: joins with no recorded origin; ?to=none: destination unknown
PRECISIONS = (Precision.DAY, Precision.MONTH, Precision.YEAR, Precision.UNKNOWN)
# Kinds of move as the filter names them, in plain words.
KIND_LABELS = {
    "join": "joins",
    "depart": "departures",
    "promotion": "new roles",
    "founding": "foundings",
    "return": "returns",
}


def joins_into(orgs: Sequence[int]) -> Q:
    """Arrivals from outside the group (a promotion, or a move between two of its units,
    is not a join)."""
    return Q(to_org__in=orgs) & ~Q(kind=Move.Kind.PROMOTION) & ~Q(from_org__in=orgs)


def departures_from(orgs: Sequence[int]) -> Q:
    """Leaving the group: for another organization, or for somewhere unknown."""
    return Q(from_org__in=orgs) & ~Q(kind=Move.Kind.PROMOTION) & ~Q(to_org__in=orgs)


def touching(orgs: Sequence[int]) -> Q:
    return Q(to_org__in=orgs) | Q(from_org__in=orgs)


def surely_within(start: dt.date | None, end: dt.date | None) -> Q:
    """Moves whose whole date period lies in [start, end]; undated moves never do."""
    q = Q(date__isnull=False)
    if start:
        q &= Q(date__gte=start)
    if end:
        q &= Q(date__lte=end) & (
            ~Q(date_precision=Precision.YEAR) | Q(date__lte=last_full_year_start(end))
        )
    return q


def team_flow(team_id: int, direction: str) -> Q:
    """Moves into or out of a team: arriving at a stint on it from elsewhere (another
    team, or none), or leaving a stint on it for elsewhere."""
    arrives = Q(to_stint__isnull=False, team=team_id)
    arriving = arrives & ~Q(from_team=team_id)
    leaving = Q(from_team=team_id) & ~arrives
    return {"in": arriving, "out": leaving}.get(direction, arriving | leaving)


@dataclass
class MoveFilter:
    """The filters of /moves/ and /api/moves/. ``orgs`` is the company and, with
    ``units``, the organizations under it."""

    company: Organization | None = None
    units: bool = False
    orgs: list[int] = field(default_factory=list)
    direction: str = ""
    source: Organization | None = None
    destination: Organization | None = None
    from_nowhere: bool = False
    to_nowhere: bool = False
    from_kind: str = ""
    to_kind: str = ""
    from_country: str = ""
    to_country: str = ""
    reported_by: str = ""  # a publisher: dated moves it reported (see flows.trends.news_lag)
    kind: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    precision: str = ""
    team: Team | None = None
    person: Person | None = None
    updated_since: dt.datetime | None = None
    unknown: list[str] = field(default_factory=list)  # slugs that matched nothing

    @property
    def matches_nothing(self) -> bool:
        return bool(self.unknown)

    def q(self) -> Q:
        q = Q()
        if self.orgs and self.team:
            # A team's flows: moves touching its organization that enter or leave the team
            # (a change of team inside the organization counts for both teams).
            q &= touching(self.orgs[:1])
        elif self.orgs:
            q &= {
                "in": joins_into(self.orgs),
                "out": departures_from(self.orgs),
                "both": joins_into(self.orgs) | departures_from(self.orgs),
            }.get(self.direction, touching(self.orgs))
        if self.source:
            q &= Q(from_org=self.source)
        if self.destination:
            q &= Q(to_org=self.destination)
        if self.from_nowhere:
            q &= Q(from_org__isnull=True)
        if self.to_nowhere:
            q &= Q(to_org__isnull=True)
        if self.from_kind or self.to_kind or self.from_country or self.to_country:
            q &= ~Q(kind=Move.Kind.PROMOTION)
        if self.from_kind:
            q &= Q(from_org__kind=self.from_kind)
        if self.to_kind:
            q &= Q(to_org__kind=self.to_kind)
        if self.from_country:
            q &= Q(from_org__country=self.from_country)
        if self.to_country:
            q &= Q(to_org__country=self.to_country)
        if self.reported_by:
            from talent.flows.trends import reported_by

            q &= reported_by(self.reported_by)
        if self.kind:
            q &= Q(kind=self.kind)
        if self.start or self.end:
            q &= surely_within(self.start, self.end)
        if self.precision:
            q &= Q(date_precision=self.precision)
        if self.team:
            q &= team_flow(self.team.pk, self.direction)
        if self.person:
            q &= Q(person=self.person)
        if self.updated_since:
            q &= Q(updated__gte=self.updated_since)
        return q

    def branches(self) -> list[Q]:
        """The filter as a union of parts each served by one index in the moves' order
        (an OR across to_org and from_org would make PostgreSQL sort every match)."""
        full = self.q()
        if self.orgs:
            orgs = self.orgs[:1] if self.team else self.orgs
            direction = "" if self.team else self.direction
            sides = []
            if direction in ("in", "both", ""):
                sides += [Q(to_org=o) for o in orgs]
            if direction in ("out", "both", ""):
                sides += [Q(from_org=o) for o in orgs]
            return [side & full for side in sides]
        return [full]

    def params(self) -> dict[str, str]:
        params = {
            "company": self.company.slug if self.company else "",
            "units": "include" if self.units and self.company else "",
            "direction": self.direction,
            "from": self.source.slug if self.source else (NOWHERE if self.from_nowhere else ""),
            "to": self.destination.slug
            if self.destination
            else (NOWHERE if self.to_nowhere else ""),
            "kind": self.kind,
            "start": f"{self.start:%Y-%m}" if self.start else "",
            "end": f"{self.end:%Y-%m}" if self.end else "",
            "precision": self.precision,
            "team": self.team.slug if self.team else "",
            "person": self.person.slug if self.person else "",
            "from_kind": self.from_kind,
            "to_kind": self.to_kind,
            "from_country": self.from_country,
            "to_country": self.to_country,
            "reported_by": self.reported_by,
        }
        return {k: v for k, v in params.items() if v}

    def describe(self) -> list[str]:
        """The filter in plain words, for the line above a filtered list."""
        org_kinds = dict(Organization.Kind.choices)
        words = []
        if self.company:
            side = {"in": "joining", "out": "leaving", "both": "joining or leaving"}.get(
                self.direction, "at"
            )
            words.append(f"{side} {self.company.name}" + (" and its units" if self.units else ""))
        if self.team:
            words.append(f"in or out of the team {self.team.name}")
        if self.person:
            words.append(f"of {self.person.name}")
        if self.source:
            words.append(f"from {self.source.name}")
        if self.from_nowhere:
            words.append("with no earlier job recorded")
        if self.destination:
            words.append(f"to {self.destination.name}")
        if self.to_nowhere:
            words.append("to somewhere not recorded")
        if self.from_kind:
            words.append(f"from {org_kinds.get(self.from_kind, self.from_kind)} organizations")
        if self.to_kind:
            words.append(f"to {org_kinds.get(self.to_kind, self.to_kind)} organizations")
        if self.from_country:
            words.append(f"from organizations in {self.from_country}")
        if self.to_country:
            words.append(f"to organizations in {self.to_country}")
        if self.kind:
            words.append(f"{KIND_LABELS.get(self.kind, self.kind)} only")
        if self.start or self.end:
            start = f"{self.start:%b %Y}" if self.start else "the start"
            end = f"{self.end:%b %Y}" if self.end else "now"
            words.append(f"dated {start} to {end}")
        if self.precision:
            words.append(
                f"dated to the {self.precision}" if self.precision != "unknown" else "undated"
            )
        if self.reported_by:
            words.append(f"reported by {self.reported_by}")
        return words

    def query(self, **extra: str) -> str:
        return urlencode({**self.params(), **{k: v for k, v in extra.items() if v}})


def org_group(organization: Organization, *, units: bool) -> list[int]:
    """The organization's id, and with ``units`` those of the organizations under it (two
    levels down, which is as deep as any tree we track)."""
    if not units:
        return [organization.pk]
    children = list(
        Organization.objects.filter(
            Q(parent=organization) | Q(parent__parent=organization)
        ).values_list("pk", flat=True)
    )
    return [organization.pk, *sorted(children)]


def parse_move_filter(params: Mapping[str, str]) -> MoveFilter:
    """Read the filters from a query string; slugs that name nothing make a filter that
    matches nothing (said on the page), malformed dates raise RangeError."""
    f = MoveFilter()
    slugs = {
        key: (params.get(key) or "").strip() for key in ("company", "from", "to", "team", "person")
    }
    for key, value in slugs.items():
        if len(value) > MAX_SLUG:
            raise RangeError(f"The {key} filter is too long (at most {MAX_SLUG} characters).")
    f.from_nowhere = slugs["from"] == NOWHERE
    f.to_nowhere = slugs["to"] == NOWHERE
    slugs["from"] = "" if f.from_nowhere else slugs["from"]
    slugs["to"] = "" if f.to_nowhere else slugs["to"]
    wanted = {slugs[k] for k in ("company", "from", "to") if slugs[k]}
    found = {o.slug: o for o in Organization.objects.filter(slug__in=wanted)} if wanted else {}
    # The form's autocomplete sends names ("Google DeepMind"); links send slugs.
    found.update(_named(Organization, OrganizationAlias, "organization", wanted - set(found)))
    for key, attr in (("company", "company"), ("from", "source"), ("to", "destination")):
        if slugs[key]:
            if slugs[key] in found:
                setattr(f, attr, found[slugs[key]])
            else:
                f.unknown.append(slugs[key])
    f.units = params.get("units") == "include"
    if f.company:
        f.orgs = org_group(f.company, units=f.units)
    direction = params.get("direction", "")
    f.direction = direction if direction in DIRECTIONS else ""
    kind = params.get("kind", "")
    f.kind = kind if kind in Move.Kind.values else ""
    precision = params.get("precision", "")
    f.precision = precision if precision in PRECISIONS else ""
    for key in ("from_kind", "to_kind"):
        value = params.get(key, "")
        setattr(f, key, value if value in Organization.Kind.values else "")
    for key in ("from_country", "to_country"):
        value = (params.get(key) or "").strip().upper()
        setattr(f, key, value if len(value) == 2 and value.isalpha() else "")
    f.reported_by = (params.get("reported_by") or "").strip()[:200]
    if params.get("start"):
        f.start = parse_month(params["start"], "the start")
    if params.get("end"):
        f.end = month_end(parse_month(params["end"], "the end"))
    if f.start and f.end and f.start > f.end:
        raise RangeError("The start must not be after the end.")
    if slugs["team"]:
        team = (
            Team.objects.filter(organization=f.company, slug=slugs["team"]).first()
            if f.company
            else None
        )
        if team is None:
            team = _team_named(slugs["team"], f.company)
            if team is not None and f.company is None:
                # A team named alone brings its organization, as the team's links do.
                f.company, f.orgs = team.organization, [team.organization_id]
        if team is None:
            f.unknown.append(slugs["team"])
        f.team = team
    if slugs["person"]:
        f.person = Person.objects.filter(slug=slugs["person"]).first()
        if f.person is None:
            f.person = _named(Person, PersonAlias, "person", {slugs["person"]}).get(slugs["person"])
        if f.person is None:
            f.unknown.append(slugs["person"])
    since = (params.get("updated_since") or "").strip()
    if since:
        from django.utils.dateparse import parse_date, parse_datetime

        moment = parse_datetime(since)
        if moment is None and parse_date(since):
            moment = dt.datetime.combine(parse_date(since), dt.time())
        if moment is None:
            raise RangeError("Give updated_since as an ISO date or date-time.")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        f.updated_since = moment
    return f


def _normalized(names: set[str]) -> dict[str, str]:
    """Each name as the database normalizes it (lower case, no accents): tt_normalize."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT n, tt_normalize(n) FROM unnest(%s::text[]) AS n", [list(names)])
        return dict(cursor.fetchall())


def _named(model, alias_model, link: str, names: set[str]) -> dict:
    """The records called exactly each of ``names`` (ignoring case and accents), by name or
    alias; a name that several records share names none of them. Nothing is queried when
    every value was a slug."""
    names = {n for n in names if n}
    if not names:
        return {}
    normal = _normalized(names)
    rows = list(
        model.objects.annotate(normalized=Normalized("name")).filter(
            normalized__in=set(normal.values())
        )
    )
    aliases = list(
        alias_model.objects.annotate(normalized=Normalized("name"))
        .filter(normalized__in=set(normal.values()))
        .select_related(link)
    )
    found = {}
    for name, key in normal.items():
        records = {r.pk: r for r in rows if r.normalized == key}
        records |= {
            getattr(a, f"{link}_id"): getattr(a, link) for a in aliases if a.normalized == key
        }
        if len(records) == 1:
            found[name] = next(iter(records.values()))
    return found


def _team_named(name: str, organization: Organization | None) -> Team | None:
    """The one team called ``name`` (at ``organization`` when one is given)."""
    teams = Team.objects.annotate(normalized=Normalized("name")).filter(
        normalized=Normalized(Value(name))
    )
    if organization is not None:
        teams = teams.filter(organization=organization)
    found = list(teams.select_related("organization")[:2])
    return found[0] if len(found) == 1 else None


# -- keyset pages ------------------------------------------------------------------------------


def encode_cursor(move: Move) -> str:
    return f"{move.date.isoformat() if move.date else 'none'}.{move.pk}"


def decode_cursor(text: str | None) -> tuple[dt.date | None, int] | None:
    if not text:
        return None
    try:
        day, _, pk = text.partition(".")
        return (None if day == "none" else dt.date.fromisoformat(day), int(pk))
    except ValueError:
        raise RangeError("That page link is malformed; start from the first page.") from None


def _after(cursor: tuple[dt.date | None, int] | None) -> list[Q]:
    """What comes after the cursor in (date DESC NULLS LAST, id DESC), as parts PostgreSQL
    reads as index ranges: dated moves up to the cursor's date, then the undated ones."""
    if cursor is None:
        return [Q()]
    day, pk = cursor
    if day is None:
        return [Q(date__isnull=True, pk__lt=pk)]
    return [Q(date__lte=day) & ~Q(date=day, pk__gte=pk), Q(date__isnull=True)]


def _sort_key(row: tuple) -> tuple:
    pk, day = row
    return (day is not None, day or dt.date.min, pk)


def moves_page(
    move_filter: MoveFilter, *, after: str | None = None, limit: int = 50, queryset=None
) -> tuple[list[Move], str | None]:
    """One page of moves, newest first, and the cursor of the next page (None at the end).

    A fixed number of queries: ids by index range (one union per part of the keyset),
    then the rows with their people, organizations and sources."""
    from talent.queries import moves_with_sources

    if move_filter.matches_nothing:
        return [], None
    cursor = decode_cursor(after)
    picked: list[tuple] = []
    for part in _after(cursor):
        queries = [
            Move.objects.filter(branch & part).values_list("pk", "date")[: limit + 1]
            for branch in move_filter.branches()
        ]
        first, rest = queries[0], queries[1:]
        rows = list(first.union(*rest)) if rest else list(first)
        picked += sorted(set(rows), key=_sort_key, reverse=True)[: limit + 1 - len(picked)]
        if len(picked) > limit:
            break
    ids = [pk for pk, _ in picked[:limit]]
    base = queryset if queryset is not None else moves_with_sources(Move.objects.all())
    by_id = {m.pk: m for m in base.filter(pk__in=ids)} if ids else {}
    page = [by_id[pk] for pk in ids if pk in by_id]
    following = encode_cursor(page[-1]) if len(picked) > limit and page else None
    return page, following
