"""Reads that cross relations: timelines, company pages, search. Each costs a fixed
number of queries whatever the size of the data (asserted in tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramWordDistance, TrigramWordSimilarity
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from talent.models import (
    Move,
    Normalized,
    Organization,
    OrganizationAlias,
    PartialDate,
    Person,
    PersonAlias,
    Precision,
    Presence,
    Source,
    Stint,
    Team,
    format_partial,
)

SEARCH_MAX_LENGTH = 100

_SOURCES = Prefetch("sources", queryset=Source.objects.order_by("-published_on", "id"))


def moves_with_sources(queryset):
    """Moves ready to display: people, organizations and the sources that back each move."""
    return (
        queryset.with_related()
        .select_related("to_stint", "from_stint")
        .prefetch_related(
            Prefetch("to_stint__sources", queryset=Source.objects.order_by("-published_on", "id")),
            Prefetch(
                "from_stint__sources", queryset=Source.objects.order_by("-published_on", "id")
            ),
        )
    )


def recent_moves(limit: int = 20) -> list[Move]:
    return list(moves_with_sources(Move.objects.all())[:limit])


# Above this many rows a table's size is shown from PostgreSQL's estimate: counting a
# million moves exactly would cost more than the rest of the home page.
EXACT_BELOW = 20_000


def home_counts() -> dict[str, int | str]:
    """How many people, organizations and moves: exact for small tables, PostgreSQL's
    planner estimate (kept by ANALYZE) rounded and marked "about" for large ones."""
    from django.db import connection

    tables = {"people": Person, "organizations": Organization, "moves": Move}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)",
            [[m._meta.db_table for m in tables.values()]],
        )
        estimates = dict(cursor.fetchall())
    counts: dict[str, int | str] = {}
    for name, model in tables.items():
        estimate = estimates.get(model._meta.db_table, -1)
        if estimate < EXACT_BELOW:
            counts[name] = model.objects.count()
        else:
            counts[name] = f"about {int(round(estimate, -3)):,}"
    return counts


# -- timelines -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One stint drawn on a time axis, in percent of the axis width.

    ``fade_in``/``fade_out`` are the uncertain parts of the bar (a start known only to the
    year fades in across that year; an unknown end fades out), as percent of the bar.
    """

    stint: Stint
    label: str
    left: float
    width: float
    fade_in: float
    fade_out: float
    is_open: bool
    start_known: bool
    end_known: bool
    period: str

    @property
    def right(self) -> float:
        return round(self.left + self.width, 3)

    @property
    def solid_from(self) -> float:
        """Where the bar stops fading in, as a fraction of its width (an SVG gradient stop)."""
        return round(self.fade_in / 100, 4)

    @property
    def solid_to(self) -> float:
        return round(1 - self.fade_out / 100, 4)

    @property
    def description(self) -> str:
        """What hovering or focusing the bar says: where, as what, and the dates."""
        title = f", {self.stint.title}" if self.stint.title else ""
        return f"{self.label}{title}: {self.period}"


@dataclass(frozen=True)
class Tick:
    """A year on the axis: its label and its gridline are drawn at the same ``x`` (percent of
    the track), so a line always lies under its label. ``narrow``: still shown on a phone,
    where only every few years fit."""

    year: int
    x: float
    narrow: bool


@dataclass(frozen=True)
class Timeline:
    bars: list[Bar]
    ticks: list[Tick]
    first_year: int
    last_year: int


# How many year labels fit on the track: about 16 at a desktop's width, 5 on a phone's
# (a label is about four digits at .75rem; static/css/site.css hides the others there).
WIDE_LABELS, NARROW_LABELS = 16, 5
_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)


def _year_steps(span: int) -> tuple[int, int]:
    """Every how many years to label on a wide screen and on a narrow one; the narrow step
    is a multiple of the wide one, so a phone shows a subset of the same ticks."""
    wide = next((s for s in _STEPS if span / s <= WIDE_LABELS), _STEPS[-1])
    narrow = next((s for s in _STEPS if s % wide == 0 and span / s <= NARROW_LABELS), _STEPS[-1])
    return wide, narrow


def _fraction(day: dt.date, axis_start: dt.date, axis_days: int) -> float:
    return max(0.0, min(100.0, (day - axis_start).days * 100.0 / axis_days))


def build_timeline(
    stints: Sequence[Stint], *, label_person: bool = False, today: dt.date | None = None
) -> Timeline:
    """Lay stints out on a shared axis of whole years, from the earliest start to this year.
    Bars, gridlines and year labels all come from the one scale ``_fraction``."""
    today = today or timezone.localdate()
    known_years = [s.start_date.year for s in stints if s.start_date]
    known_years += [s.end_date.year for s in stints if s.end_date]
    first_year = min(known_years, default=today.year)
    last_year = max([today.year, *known_years])
    axis_start = dt.date(first_year, 1, 1)
    axis_end = dt.date(last_year + 1, 1, 1)
    axis_days = (axis_end - axis_start).days
    one_year = dt.timedelta(days=365)

    bars: list[Bar] = []
    for stint in stints:
        start, end = stint.start, stint.end
        # Earliest and latest the stint could have begun.
        if start.date is None:
            begin_lo = axis_start
            begin_hi = end.date or today
        else:
            begin_lo, begin_hi = start.date, start.upper or start.date
        if end.precision == Precision.PRESENT:
            finish_lo = finish_hi = today
        elif end.date is None:  # ended, date unknown: fade out over a year after it began
            finish_lo = begin_hi
            finish_hi = min(axis_end, begin_hi + one_year)
        else:
            finish_lo, finish_hi = end.date, end.upper or end.date
        finish_hi = max(finish_hi, begin_lo + dt.timedelta(days=20))  # always visible
        left = _fraction(begin_lo, axis_start, axis_days)
        right = _fraction(finish_hi, axis_start, axis_days)
        width = max(right - left, 0.6)
        fade_in = _fraction(begin_hi, axis_start, axis_days) - left
        fade_out = right - _fraction(max(finish_lo, begin_hi), axis_start, axis_days)
        label = stint.person.name if label_person else stint.organization.name
        bars.append(
            Bar(
                stint=stint,
                label=label,
                left=round(left, 3),
                width=round(width, 3),
                fade_in=round(min(100.0, fade_in * 100 / width), 2),
                fade_out=round(min(100.0, max(0.0, fade_out) * 100 / width), 2),
                is_open=end.precision == Precision.PRESENT,
                start_known=start.date is not None,
                end_known=end.date is not None or end.precision == Precision.PRESENT,
                period=f"{format_partial(start.date, start.precision)} – "
                f"{format_partial(end.date, end.precision)}",
            )
        )
    wide, narrow = _year_steps(last_year - first_year + 1)
    ticks = [
        Tick(
            year=year,
            x=round(_fraction(dt.date(year, 1, 1), axis_start, axis_days), 3),
            narrow=year % narrow == 0,
        )
        for year in range(first_year, last_year + 1)
        if year % wide == 0
    ]
    return Timeline(bars=bars, ticks=ticks, first_year=first_year, last_year=last_year)


# -- people ---------------------------------------------------------------------------------


def _stints_for_display():
    return Stint.objects.select_related(
        "organization", "team", "manager", "person"
    ).prefetch_related(_SOURCES)


def person_career(person: Person) -> list[Stint]:
    """A person's stints as the person page shows them (what person_for_page prefetches)."""
    return list(_stints_for_display().filter(person=person))


def person_for_page(slug: str) -> Person:
    return Person.objects.prefetch_related(
        "aliases",
        "links",
        Prefetch("stints", queryset=_stints_for_display(), to_attr="career"),
    ).get(slug=slug)


# -- organizations --------------------------------------------------------------------------


@dataclass(frozen=True)
class CompanyPage:
    organization: Organization
    current: StintPage
    joins: list[Move]
    departures: list[Move]
    teams: list[Team]
    joined_last_year: int
    left_last_year: int


def organization_for_page(slug: str) -> Organization:
    return (
        Organization.objects.select_related("parent")
        .prefetch_related(
            "aliases", Prefetch("children", queryset=Organization.objects.order_by("name"))
        )
        .get(slug=slug)
    )


def company_page(
    organization: Organization, *, limit: int = 15, after: str | None = None
) -> CompanyPage:
    """The company page: counts, the latest joins and departures, and the people here now
    a page at a time (latest arrivals first), whatever the size of the company."""
    today = timezone.localdate()
    year_ago = today - dt.timedelta(days=365)
    is_join = Q(to_org=organization) & ~Q(kind=Move.Kind.PROMOTION)
    is_departure = Q(from_org=organization) & ~Q(kind=Move.Kind.PROMOTION)
    last_year = Move.objects.filter(is_join | is_departure, date__gte=year_ago).aggregate(
        joined=Count("pk", filter=is_join), left=Count("pk", filter=is_departure)
    )
    here = Stint.objects.filter(organization=organization).current()
    current = _stint_page(
        _stints_for_display().filter(organization=organization).current(),
        here.count(),
        after=after,
        limit=PAGE_SIZE,
    )
    teams = list(organization.teams.select_related("parent").order_by("name")[:100])
    members_now = dict(
        Stint.objects.filter(team__in=teams)
        .current()
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values_list("team", "n")
    )
    for team in teams:
        team.members_now = members_now.get(team.pk, 0)
    # The latest joins and departures, each read in index order, then loaded together.
    join_ids = _latest_ids(is_join, to_org=organization, limit=limit)
    departure_ids = _latest_ids(is_departure, from_org=organization, limit=limit)
    latest = moves_with_sources(Move.objects.filter(pk__in=join_ids + departure_ids)).in_bulk()
    return CompanyPage(
        organization=organization,
        current=current,
        joins=[latest[pk] for pk in join_ids if pk in latest],
        departures=[latest[pk] for pk in departure_ids if pk in latest],
        teams=teams,
        joined_last_year=last_year["joined"],
        left_last_year=last_year["left"],
    )


PAGE_SIZE = 50
_LATEST_FIRST = (F("start_date").desc(nulls_last=True), F("id").desc())


@dataclass(frozen=True)
class StintPage:
    """A page of stints, latest start first, with how many there are in all and the
    cursor of the next page (keyset on start date and id, read off an index)."""

    stints: list[Stint]
    total: int
    next_cursor: str


def _stint_cursor(stint: Stint) -> str:
    return f"{stint.start_date.isoformat() if stint.start_date else 'none'}.{stint.pk}"


def _after_stint(queryset, cursor: str | None):
    """Stints after ``cursor`` in (start_date DESC NULLS LAST, id DESC); a malformed
    cursor starts from the first page."""
    if not cursor:
        return queryset
    day, _, pk = cursor.partition(".")
    try:
        pk_value = int(pk)
        if day == "none":
            return queryset.filter(start_date__isnull=True, pk__lt=pk_value)
        date = dt.date.fromisoformat(day)
    except ValueError:
        return queryset
    return queryset.filter(
        Q(start_date__lte=date) & ~Q(start_date=date, pk__gte=pk_value) | Q(start_date__isnull=True)
    )


def _stint_page(queryset, total: int, *, after: str | None, limit: int) -> StintPage:
    rows = list(_after_stint(queryset, after).order_by(*_LATEST_FIRST)[: limit + 1])
    following = _stint_cursor(rows[limit - 1]) if len(rows) > limit else ""
    return StintPage(stints=rows[:limit], total=total, next_cursor=following)


def _latest_ids(condition: Q, *, limit: int, **side) -> list[int]:
    """The latest moves on one side of an organization, read in index order."""
    return list(Move.objects.filter(condition, **side).values_list("pk", flat=True)[:limit])


def people_on(
    orgs: Sequence[int], day: dt.date, *, after: str | None = None, limit: int = PAGE_SIZE
) -> StintPage:
    """Who was at the organizations on ``day``: stints that could have covered it at their
    dates' precision. ``total`` counts people (from their spells, so a person with two
    stints there that day counts once; at a group's several organizations, once each)."""
    total = (
        Presence.objects.filter(organization__in=orgs, start__lte=day)
        .filter(Q(leave__isnull=True) | Q(leave__gt=day))
        .count()
    )
    queryset = _stints_for_display().filter(organization__in=orgs).on(day)
    return _stint_page(queryset, total, after=after, limit=limit)


@dataclass(frozen=True)
class OrganizationHistory:
    """When an organization's records begin: its first known start, and its founding (the
    earliest start of a founder's stint), either None when nothing says."""

    first_start: dt.date | None
    founded: PartialDate | None


def organization_history(orgs: Sequence[int]) -> OrganizationHistory:
    """One aggregate over the organizations' dated stints (stint_org_start)."""
    from django.db.models import Min

    first = Stint.objects.filter(organization__in=orgs, start_date__isnull=False).aggregate(
        first=Min("start_date"), founded=Min("start_date", filter=Q(is_founder=True))
    )
    founded = None
    if first["founded"]:
        precision = (
            Stint.objects.filter(
                organization__in=orgs, is_founder=True, start_date=first["founded"]
            )
            .values_list("start_precision", flat=True)
            .first()
        )
        founded = PartialDate(first["founded"], precision or Precision.DAY)
    return OrganizationHistory(first_start=first["first"], founded=founded)


def team_for_page(org_slug: str, team_slug: str) -> Team:
    # Its sub-teams are read by the page's cached section, only when it is rendered.
    return Team.objects.select_related("organization", "parent").get(
        organization__slug=org_slug, slug=team_slug
    )


def team_members(team: Team, *, after: str | None = None, limit: int = PAGE_SIZE) -> StintPage:
    """A team's members over time, latest arrivals first, a page at a time."""
    queryset = _stints_for_display().filter(team=team)
    current = Stint.objects.filter(team=team).current().count()
    page = _stint_page(queryset, current, after=after, limit=limit)
    return page


# -- search ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResults:
    query: str
    people: list[Person]
    organizations: list[Organization]
    teams: list[Team]

    @property
    def total(self) -> int:
        return len(self.people) + len(self.organizations) + len(self.teams)


def _rank(needle):
    # Exact name first, then names that start with the query, then those containing it,
    # then near misses (a typo), each group by how alike the words are, then by name.
    return Case(
        When(normalized=needle, then=Value(0)),
        When(normalized__startswith=needle, then=Value(1)),
        When(normalized__contains=needle, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def _matching(needle) -> Q:
    """A name that contains the query, or has a word very like it ("karpaty" is like
    "karpathy"): ``LIKE`` and pg_trgm's ``%>`` on the same normalized name, so both are
    answered by that name's one trigram index (an OR on one column, not across a join)."""
    return Q(normalized__contains=needle) | Q(normalized__trigram_word_similar=needle)


# How many nearest names a search ranks (people's names and aliases each): many more than
# a page of results, so every exact and prefix match of a common name is among them.
NEAREST = 60


def _nearest(queryset, field: str, needle):
    return (
        queryset.annotate(distance=TrigramWordDistance(needle, Normalized("name")))
        .order_by("distance")
        .values(field)[:NEAREST]
    )


SEARCH_KINDS = ("people", "organizations", "teams")


def search(query: str, *, limit: int = 10, only: str = "") -> SearchResults:
    """People, organizations and teams whose name or alias contains the query, or comes
    close to it (a letter missing, swapped or wrong), ignoring case and accents. Each
    person with their current roles, each organization with its kind and how many people
    are there now. A fixed number of queries whatever the data size; ``only`` limits the
    search to one of SEARCH_KINDS (autocomplete of a filter)."""
    query = " ".join(query.split())[:SEARCH_MAX_LENGTH]
    if not query:
        return SearchResults(query="", people=[], organizations=[], teams=[])
    needle = Normalized(Value(query))
    alike = TrigramWordSimilarity(needle, "normalized")
    people: list[Person] = []
    organizations: list[Organization] = []
    teams: list[Team] = []
    if only in ("", "people"):
        # Names and aliases are matched apart, each through its own trigram index, then
        # united: an OR across the join would make PostgreSQL scan every person.
        # Candidates: the names (and aliases) nearest the query, each list read in order of
        # trigram distance from its GiST index and cut short; then those that match are
        # ranked. A common name matches thousands: ranking them all was the slow part.
        person_ids = _nearest(Person.objects, "pk", needle).union(
            _nearest(PersonAlias.objects, "person_id", needle)
        )
        alias_matches = PersonAlias.objects.filter(person=OuterRef("pk")).annotate(
            normalized=Normalized("name")
        )
        people = list(
            Person.objects.filter(pk__in=person_ids)
            .annotate(normalized=Normalized("name"), rank=_rank(needle), alike=alike)
            .filter(_matching(needle) | Exists(alias_matches.filter(_matching(needle))))
            .prefetch_related(
                "aliases",
                Prefetch(
                    "stints",
                    queryset=Stint.objects.current()
                    .select_related("organization")
                    .order_by(F("start_date").desc(nulls_last=True), "id"),
                    to_attr="current_stints",
                ),
            )
            .order_by("rank", "-alike", "name")[:limit]
        )
    if only in ("", "organizations"):
        org_ids = _nearest(Organization.objects, "pk", needle).union(
            _nearest(OrganizationAlias.objects, "organization_id", needle)
        )
        org_alias_matches = OrganizationAlias.objects.filter(organization=OuterRef("pk")).annotate(
            normalized=Normalized("name")
        )
        # How many are there now: an index-only count per result (stint_org_current).
        people_now = (
            Stint.objects.filter(organization=OuterRef("pk"))
            .current()
            .order_by()
            .values("organization")
            .annotate(n=Count("pk"))
            .values("n")
        )
        organizations = list(
            Organization.objects.filter(pk__in=org_ids)
            .annotate(normalized=Normalized("name"))
            .filter(_matching(needle) | Exists(org_alias_matches.filter(_matching(needle))))
            .annotate(
                rank=_rank(needle),
                alike=alike,
                people_now=Coalesce(Subquery(people_now, output_field=IntegerField()), 0),
            )
            .prefetch_related("aliases")
            .order_by("rank", "-alike", "name")[:limit]
        )
    if only in ("", "teams"):
        teams = list(
            Team.objects.annotate(normalized=Normalized("name"))
            .filter(_matching(needle))
            .annotate(rank=_rank(needle), alike=alike)
            .select_related("organization")
            .order_by("rank", "-alike", "name")[:limit]
        )
    return SearchResults(query=query, people=people, organizations=organizations, teams=teams)


__all__ = [
    "Bar",
    "CompanyPage",
    "PartialDate",
    "SearchResults",
    "Tick",
    "Timeline",
    "build_timeline",
    "company_page",
    "organization_for_page",
    "people_on",
    "person_for_page",
    "recent_moves",
    "search",
    "team_for_page",
]


# -- review -----------------------------------------------------------------------------------


@dataclass
class ReviewCard:
    announcement: object
    conflicts: list[str]
    duplicates: list[object]  # other announcements of the same person, to mark this one a copy
    highlighted: str  # the evidence, escaped, with the names it mentions marked


def _highlight(text: str, names: list[str]) -> str:
    from django.utils.html import escape

    html = escape(text)
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        html = html.replace(escape(name), f"<mark>{escape(name)}</mark>")
    return html


@dataclass
class ReviewPage:
    cards: list[ReviewCard]
    total: int  # pending in all
    next_cursor: str  # the last card's id when more follow, else ""


def _review_after(pending, cursor: str | None, skipped: list[int]):
    """Announcements after the card ``cursor`` in the queue's order: not skipped before
    skipped, then confidence (highest first), date (latest first, undated last), id."""
    if not cursor or not cursor.isdigit():
        return pending
    from talent.models import Announcement

    last = Announcement.objects.filter(pk=int(cursor)).values("pk", "confidence", "date").first()
    if last is None:
        return pending
    was_skipped = last["pk"] in skipped
    group = Q(pk__in=skipped) if was_skipped else ~Q(pk__in=skipped)
    day = last["date"]
    later_date = Q(date__lt=day) | Q(date__isnull=True) if day else Q(pk__in=[])
    same_date = Q(date=day) if day else Q(date__isnull=True)
    same_confidence = Q(confidence=last["confidence"])
    after = group & (
        Q(confidence__lt=last["confidence"])
        | same_confidence & later_date
        | same_confidence & same_date & Q(pk__gt=last["pk"])
    )
    if not was_skipped:
        after |= Q(pk__in=skipped)  # the skipped ones come after every other
    return pending.filter(after)


def review_queue(
    *,
    skipped: list[int] = (),
    limit: int = 20,
    only: list[int] | None = None,
    after: str | None = None,
) -> ReviewPage:
    """Pending announcements, most confident and most recent first (skipped ones last), a
    page at a time (keyset on the queue's order, ``after`` the last card's id), with
    everything a curator needs to decide, in a fixed number of queries."""
    from talent.models import Announcement
    from talent.services import conflicts_among

    skipped = list(skipped)
    pending = Announcement.objects.filter(state=Announcement.State.PENDING)
    total = pending.count()
    if only is not None:
        pending = pending.filter(pk__in=only)
    pending = _review_after(pending, after, skipped)
    page = list(
        pending.select_related("person", "from_org", "to_org", "team", "manager")
        .prefetch_related(_SOURCES, "reports__source")
        .annotate(
            skipped=Case(
                When(pk__in=skipped, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("skipped", "-confidence", F("date").desc(nulls_last=True), "pk")[: limit + 1]
    )
    following = str(page[limit - 1].pk) if len(page) > limit else ""
    page = page[:limit]
    people = {a.person_id for a in page if a.person_id}
    current: dict[int, list[Stint]] = {}
    for stint in (
        Stint.objects.current().filter(person_id__in=people).select_related("organization")
    ):
        current.setdefault(stint.person_id, []).append(stint)
    related: dict[int, list] = {}
    for other in (
        Announcement.objects.filter(person_id__in=people)
        .exclude(state__in=[Announcement.State.REJECTED, Announcement.State.DUPLICATE])
        .order_by("-created")[:500]
    ):
        related.setdefault(other.person_id, []).append(other)
    cards = []
    for a in page:
        others = [o for o in related.get(a.person_id, []) if o.pk != a.pk]
        pending_others = [o for o in others if o.state == Announcement.State.PENDING]
        cards.append(
            ReviewCard(
                announcement=a,
                conflicts=conflicts_among(a, current.get(a.person_id, []), pending_others),
                duplicates=[o for o in others if o.kind == a.kind],
                highlighted=_highlight(
                    a.evidence, [a.person_name, a.from_org_name, a.to_org_name, a.manager_name]
                ),
            )
        )
    return ReviewPage(cards=cards, total=total, next_cursor=following)


def person_candidates(name: str, *, limit: int = 5) -> list[Person]:
    """People whose name looks like ``name`` (trigram similarity), for linking by hand."""
    from django.contrib.postgres.search import TrigramSimilarity

    return list(
        Person.objects.annotate(
            similarity=TrigramSimilarity(Normalized("name"), Normalized(Value(name)))
        )
        .filter(similarity__gt=0.3)
        .order_by("-similarity", "name")[:limit]
    )
