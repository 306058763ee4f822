"""Writes that touch several models. Keyword-only, typed, one transaction each."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from talent.alerts import services as alerts
from talent.models import (
    Announcement,
    Move,
    Organization,
    PartialDate,
    Person,
    Precision,
    Presence,
    Report,
    Source,
    Stint,
    Team,
    format_partial,
)
from talent.moves import derive_moves, derive_presence
from talent.names import org_key, person_key
from talent.resolve import Gazetteer
from talent.text import plain_line

# Every field of a move that its stints decide: the rebuild and the reconcile compare all
# of them, so an edit to a stint's organization, team, title or dates never goes unseen.
MOVE_FIELDS = (
    "kind",
    "from_org_id",
    "to_org_id",
    "from_stint_id",
    "to_stint_id",
    "team_id",
    "from_team_id",
    "title",
    "date",
    "date_precision",
)


def _derived_key(move) -> tuple[str, int]:
    """A move's identity: the stint it arrives at, or for a departure the stint it leaves
    (database constraints move_once_per_arrival and move_once_per_departure)."""
    if move.to_stint_id is not None:
        return ("to", move.to_stint_id)
    return ("from", move.from_stint_id)


def _move_values(move) -> tuple:
    return tuple(getattr(move, name) for name in MOVE_FIELDS)


@transaction.atomic
def moves_rebuild(*, person_ids: Iterable[int]) -> int:
    """Make the derived moves of these people say what their stints say now.

    Called in the transaction that changes the stints, so moves are never stale once it
    commits. Moves that did not change are kept as they are (same id, same ``updated``);
    changed ones are updated, vanished ones deleted. Idempotent: a second rebuild changes
    nothing. Returns how many moves exist for these people afterwards.
    """
    ids = sorted(set(person_ids))
    if not ids:
        return 0
    # Lock the people so two rebuilds of one person cannot interleave.
    list(Person.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    by_person: dict[int, list[Stint]] = {pk: [] for pk in ids}
    for stint in Stint.objects.filter(person_id__in=ids).order_by():
        by_person[stint.person_id].append(stint)
    derived: dict[tuple[str, int], Move] = {}
    for stints in by_person.values():
        for move in derive_moves(stints):
            derived[_derived_key(move)] = move
    now = timezone.now()
    stale, changed = [], []
    for stored in Move.objects.filter(person_id__in=ids).order_by("pk"):
        fresh = derived.pop(_derived_key(stored), None)
        if fresh is None:
            stale.append(stored.pk)
        elif _move_values(fresh) != _move_values(stored) or fresh.person_id != stored.person_id:
            for name in MOVE_FIELDS:
                setattr(stored, name, getattr(fresh, name))
            stored.person_id, stored.updated = fresh.person_id, now
            changed.append(stored)
    if stale:
        Move.objects.filter(pk__in=stale).delete()
    if changed:
        Move.objects.bulk_update(changed, [*MOVE_FIELDS, "person_id", "updated"], batch_size=500)
        # Readers already alerted to a move that changed get a short correction.
        alerts.deliveries_correct(moves=changed)
    for move in derived.values():
        move.updated = now
    Move.objects.bulk_create(list(derived.values()), batch_size=1000)
    _presence_rebuild(ids, by_person)
    return Move.objects.filter(person_id__in=ids).count()


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _presence_rebuild(ids: list[int], by_person: dict[int, list]) -> None:
    """Replace these people's spells with what their stints say now. The monthly
    headcount summary follows by trigger (migration 0015)."""
    fresh: dict[tuple, int] = {}
    for stints in by_person.values():
        for spell in derive_presence(stints):
            fresh[spell] = fresh.get(spell, 0) + 1
    stored: dict[tuple, list[int]] = {}
    for pk, *spell in Presence.objects.filter(person_id__in=ids).values_list(
        "pk", "person_id", "organization_id", "start", "leave"
    ):
        stored.setdefault(tuple(spell), []).append(pk)
    gone: list[int] = []
    for spell, pks in stored.items():
        keep = min(len(pks), fresh.get(spell, 0))
        gone += pks[keep:]
        fresh[spell] = fresh.get(spell, 0) - keep
    new = [spell for spell, n in fresh.items() for _ in range(n)]
    if gone:
        Presence.objects.filter(pk__in=gone).delete()
    if new:
        Presence.objects.bulk_create(
            [Presence(person_id=p, organization_id=o, start=s, leave=lv) for p, o, s, lv in new]
        )


PRESENCE_SUMMARY_SQL = """
INSERT INTO talent_headcountmonth (organization_id, month, delta)
SELECT organization_id, month, sum(d)::int FROM (
    SELECT organization_id, date_trunc('month', start)::date AS month, 1 AS d
    FROM talent_presence
    UNION ALL
    SELECT organization_id, date_trunc('month', leave)::date, -1
    FROM talent_presence WHERE leave IS NOT NULL
) AS changes
GROUP BY organization_id, month
HAVING sum(d) <> 0
"""

PRESENCE_SUMMARY_DRIFT_SQL = """
SELECT count(*) FROM (
    SELECT organization_id, month, sum(d)::int AS delta FROM (
        SELECT organization_id, date_trunc('month', start)::date AS month, 1 AS d
        FROM talent_presence
        UNION ALL
        SELECT organization_id, date_trunc('month', leave)::date, -1
        FROM talent_presence WHERE leave IS NOT NULL
    ) AS changes
    GROUP BY organization_id, month
    HAVING sum(d) <> 0
) AS derived
FULL JOIN (SELECT * FROM talent_headcountmonth WHERE delta <> 0) AS stored
    USING (organization_id, month)
WHERE derived.delta IS DISTINCT FROM stored.delta
"""


FLOWS_DERIVED_SQL = """
SELECT org AS organization_id, month, year_only, counterpart AS counterpart_id, incoming,
       is_return, count(*)::int AS count
FROM (
    SELECT to_org_id AS org, from_org_id AS counterpart, true AS incoming,
           kind = 'return' AS is_return, date, date_precision
    FROM talent_move WHERE kind <> 'promotion' AND to_org_id IS NOT NULL
    UNION ALL
    SELECT from_org_id, to_org_id, false, false, date, date_precision
    FROM talent_move WHERE kind <> 'promotion' AND from_org_id IS NOT NULL
) AS sides
CROSS JOIN LATERAL (
    SELECT coalesce(
               CASE WHEN date_precision = 'year' THEN date_trunc('year', date)
                    ELSE date_trunc('month', date) END::date,
               '0001-01-01'::date
           ) AS month,
           coalesce(date_precision = 'year' AND date IS NOT NULL, false) AS year_only
) AS bucket
GROUP BY 1, 2, 3, 4, 5, 6
"""


@transaction.atomic
def presence_summary_refresh() -> int:
    """Rebuild the monthly summaries (headcount from the spells, flows from the moves),
    set-based in PostgreSQL. Returns how many rows they hold."""
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE talent_headcountmonth, talent_flowmonth IN EXCLUSIVE MODE")
        cursor.execute("DELETE FROM talent_headcountmonth")
        cursor.execute(PRESENCE_SUMMARY_SQL)
        rows = cursor.rowcount
        cursor.execute("DELETE FROM talent_flowmonth")
        cursor.execute(
            "INSERT INTO talent_flowmonth (organization_id, month, year_only, counterpart_id, "
            f"incoming, is_return, count) {FLOWS_DERIVED_SQL}"
        )
        return rows + cursor.rowcount


def presence_summary_drift() -> int:
    """How many rows of the monthly summaries disagree with the spells and moves."""
    with connection.cursor() as cursor:
        cursor.execute(PRESENCE_SUMMARY_DRIFT_SQL)
        drift = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT count(*) FROM ({FLOWS_DERIVED_SQL}) AS d "
            "FULL JOIN (SELECT * FROM talent_flowmonth WHERE count <> 0) AS s "
            "ON d.organization_id = s.organization_id AND d.month = s.month "
            "AND d.year_only = s.year_only AND d.incoming = s.incoming "
            "AND d.is_return = s.is_return "
            "AND d.counterpart_id IS NOT DISTINCT FROM s.counterpart_id "
            "WHERE d.count IS DISTINCT FROM s.count"
        )
        return drift + cursor.fetchone()[0]


@dataclass(frozen=True)
class _StintRow:
    """The fields derive_moves reads, without a model instance's cost (the reconcile
    derives every career in the database)."""

    id: int
    person_id: int
    organization_id: int
    team_id: int | None
    title: str
    is_founder: bool
    start_date: dt.date | None
    start_precision: str
    end_date: dt.date | None
    end_precision: str


_STINT_FIELDS = [f.name for f in _StintRow.__dataclass_fields__.values()]


def moves_out_of_sync(*, batch_size: int = 2000) -> list[int]:
    """People whose stored moves differ, in any field, from what their stints derive."""
    return [pk for batch in moves_stale_batches(batch_size=batch_size) for pk in batch]


def moves_stale_batches(*, batch_size: int = 2000):
    """Walks people by id in batches (keyset), so memory stays bounded by the batch whatever
    the size of the data. Yields lists of stale person ids, one per batch that has any.
    """
    last = 0
    while True:
        people = list(
            Person.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not people:
            return
        last = people[-1]
        low, high = people[0], people[-1]
        stints: dict[int, list[_StintRow]] = {}
        for row in (
            Stint.objects.filter(person_id__gte=low, person_id__lte=high)
            .order_by()
            .values_list(*_STINT_FIELDS)
        ):
            stint = _StintRow(*row)
            stints.setdefault(stint.person_id, []).append(stint)
        stored: dict[int, set[tuple]] = {}
        for row in (
            Move.objects.filter(person_id__gte=low, person_id__lte=high)
            .order_by()
            .values_list("person_id", *MOVE_FIELDS)
        ):
            stored.setdefault(row[0], set()).add(row[1:])
        spells: dict[int, list[tuple]] = {}
        for row in (
            Presence.objects.filter(person_id__gte=low, person_id__lte=high)
            .order_by()
            .values_list("person_id", "organization_id", "start", "leave")
        ):
            spells.setdefault(row[0], []).append(row)
        stale = [
            person_id
            for person_id in sorted(set(stints) | set(stored) | set(spells))
            if {_move_values(m) for m in derive_moves(stints.get(person_id, []))}
            != stored.get(person_id, set())
            or derive_presence(stints.get(person_id, []))
            != sorted(spells.get(person_id, []), key=lambda s: (s[1], s[2]))
        ]
        if stale:
            yield stale


def moves_reconcile(*, batch_size: int = 2000) -> int:
    """Rebuild the moves of everyone whose moves drifted from their stints (an edit that
    bypassed the services, a bulk update); one transaction per batch. Returns how many
    people were rebuilt."""
    rebuilt = 0
    for stale in moves_stale_batches(batch_size=batch_size):
        moves_rebuild(person_ids=stale)
        rebuilt += len(stale)
    if presence_summary_drift():
        presence_summary_refresh()
    return rebuilt


@dataclass(frozen=True)
class SourceInput:
    url: str
    title: str = ""
    publisher: str = ""
    published_on: dt.date | None = None
    evidence: str = ""

    def cleaned(self) -> SourceInput:
        return _replaced(self, ("title", "publisher", "evidence"))


@dataclass(frozen=True)
class MoveInput:
    """A move as read from a source; names are text until resolved here. The extractors in
    feeds/ produce these (feeds.extract.base.MoveClaim is this class)."""

    kind: str
    person: str
    status: str = "reported"
    from_org: str | None = None
    to_org: str | None = None
    team: str | None = None
    title: str | None = None
    manager: str | None = None
    date: dt.date | None = None
    date_precision: str = Precision.UNKNOWN
    confidence: float = 0.5
    evidence: str = ""

    def cleaned(self) -> MoveInput:
        """Names and the evidence as clean lines (no controls, no hidden bidi or zero-width
        formatting): they become people, organizations and pages."""
        return _replaced(
            self, ("person", "from_org", "to_org", "team", "title", "manager", "evidence")
        )


def _replaced(value, fields: tuple[str, ...]):
    """The dataclass value with those text fields as plain lines; the value itself when they
    are already (as nearly all are: a copy per report is most of what cleaning costs)."""
    changes = {
        name: clean
        for name in fields
        if (text := getattr(value, name)) and (clean := plain_line(text)) != text
    }
    return dataclasses.replace(value, **changes) if changes else value


# Reports of one move by several outlets rarely agree to the day.
SAME_MOVE_WINDOW = dt.timedelta(days=60)


def _move_key(move: MoveInput, person_id: int | None, org_id: int | None) -> str:
    org_name = move.from_org if move.kind == Announcement.Kind.DEPART else move.to_org
    person = f"p{person_id}" if person_id else person_key(move.person)
    org = f"o{org_id}" if org_id else org_key(org_name or "")
    return f"{move.kind}|{person}|{org}"


def _same_move(move: MoveInput, person_id: int | None, org_id: int | None):
    """Announcements that report this move: same kind, same person, same organization
    (joined, or left for a departure), dated within a couple of months."""
    query = Announcement.objects.filter(kind=move.kind)
    query = (
        query.filter(person_id=person_id)
        if person_id
        else query.filter(person__isnull=True, person_name__iexact=move.person)
    )
    depart = move.kind == Announcement.Kind.DEPART
    org_name = (move.from_org if depart else move.to_org) or ""
    if org_id:
        query = query.filter(**{"from_org_id" if depart else "to_org_id": org_id})
    else:
        query = query.filter(
            **{"from_org_name__iexact" if depart else "to_org_name__iexact": org_name}
        )
    if move.date:
        query = query.filter(
            Q(date__isnull=True)
            | Q(date__range=(move.date - SAME_MOVE_WINDOW, move.date + SAME_MOVE_WINDOW))
        )
    return query.order_by("pk")


@transaction.atomic
def announcement_record(
    *, move: MoveInput, source: SourceInput, gazetteer: Gazetteer
) -> tuple[Announcement, bool]:
    """Record what a source says about a move: a new Announcement, or one more source for the
    announcement already reporting it. Returns (announcement, created).

    Idempotent: recording the same move from the same source twice changes nothing. Names
    are resolved against the gazetteer; those that match nothing stay as text.
    """
    move, source = move.cleaned(), source.cleaned()
    person = gazetteer.resolve_person(move.person)
    from_org = gazetteer.resolve_org(move.from_org)
    to_org = gazetteer.resolve_org(move.to_org)
    manager = gazetteer.resolve_person(move.manager)
    team_org = to_org if move.kind != Announcement.Kind.DEPART else from_org
    team = gazetteer.resolve_team(team_org.id if team_org else None, move.team)
    key_org = from_org if move.kind == Announcement.Kind.DEPART else to_org
    # Serialize writers of the same move so two outlets' reports cannot both create it.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [_move_key(move, person.id if person else None, key_org.id if key_org else None)],
        )
    announcement = _same_move(
        move, person.id if person else None, key_org.id if key_org else None
    ).first()
    created = announcement is None
    if created:
        announcement = Announcement.objects.create(
            kind=move.kind,
            status=move.status,
            person_id=person.id if person else None,
            person_name=(person.name if person else move.person)[:200],
            from_org_id=from_org.id if from_org else None,
            from_org_name=((from_org.name if from_org else move.from_org) or "")[:200],
            to_org_id=to_org.id if to_org else None,
            to_org_name=((to_org.name if to_org else move.to_org) or "")[:200],
            team_id=team.id if team else None,
            team_name=((team.name if team else move.team) or "")[:200],
            title=(move.title or "")[:200],
            manager_id=manager.id if manager else None,
            manager_name=((manager.name if manager else move.manager) or "")[:200],
            date=move.date,
            date_precision=move.date_precision,
            confidence=max(0.0, min(1.0, move.confidence)),
            evidence=source.evidence,
        )
    else:
        # Another outlet's report fills what the first left out; it never overwrites.
        changed = []
        for field_name, value in (
            ("title", (move.title or "")[:200]),
            ("team_name", (move.team or "")[:200]),
            ("manager_name", (move.manager or "")[:200]),
            ("from_org_name", (move.from_org or "")[:200]),
        ):
            if value and not getattr(announcement, field_name):
                setattr(announcement, field_name, value)
                changed.append(field_name)
        if from_org and not announcement.from_org_id:
            announcement.from_org_id = from_org.id
            changed.append("from_org")
        if manager and not announcement.manager_id:
            announcement.manager_id = manager.id
            changed.append("manager")
        if move.status == Announcement.Status.REPORTED and announcement.status != move.status:
            announcement.status = move.status  # a confirmed report outranks a rumor
            changed.append("status")
        if move.confidence > announcement.confidence:
            announcement.confidence = min(1.0, move.confidence)
            changed.append("confidence")
        if changed:
            announcement.save(update_fields=[*changed, "updated"])
    stored, _ = Source.objects.get_or_create(
        url=source.url[:1000],
        evidence=source.evidence,
        defaults={
            "title": source.title[:500],
            "publisher": source.publisher[:200],
            "published_on": source.published_on,
        },
    )
    announcement.sources.add(stored)
    Report.objects.get_or_create(
        announcement=announcement,
        source=stored,
        defaults={
            "team_name": (move.team or "")[:200],
            "title": (move.title or "")[:200],
            "from_org_name": (move.from_org or "")[:200],
            "manager_name": (move.manager or "")[:200],
            "date": move.date,
            "date_precision": move.date_precision if move.date else Precision.UNKNOWN,
        },
    )
    if created:
        _auto_approve(announcement)
    return announcement, created


@dataclass
class _Resolved:
    move: MoveInput
    source: SourceInput
    person: object
    from_org: object
    to_org: object
    manager: object
    team: object
    key_org: object
    key: str


class _CachedNames:
    """A gazetteer's resolve_* answers for one batch, each name looked up once (fuzzy
    matching a name against every record costs about a millisecond), and what a move's
    names resolve to, worked out once for each set of names (outlets in one batch report
    the same moves, and name the same people, often)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.people: dict[str | None, object] = {}
        self.orgs: dict[str | None, object] = {}
        self.moves: dict[tuple, tuple] = {}

    def resolve_person(self, name: str | None):
        if name not in self.people:
            self.people[name] = self.gazetteer.resolve_person(name)
        return self.people[name]

    def resolve_org(self, name: str | None):
        if name not in self.orgs:
            self.orgs[name] = self.gazetteer.resolve_org(name)
        return self.orgs[name]

    def resolve_team(self, org_id: int | None, name: str | None):
        return self.gazetteer.resolve_team(org_id, name)

    def move_names(self, move: MoveInput) -> tuple:
        """(person, from_org, to_org, manager, team, key_org, key) of a cleaned move: they
        depend on its kind and names only."""
        names = (move.kind, move.person, move.from_org, move.to_org, move.team, move.manager)
        if names not in self.moves:
            person = self.resolve_person(move.person)
            from_org = self.resolve_org(move.from_org)
            to_org = self.resolve_org(move.to_org)
            # The organization that identifies the move (the one left, for a departure)
            # is also the one its team belongs to.
            key_org = from_org if move.kind == Announcement.Kind.DEPART else to_org
            self.moves[names] = (
                person,
                from_org,
                to_org,
                self.resolve_person(move.manager),
                self.resolve_team(key_org.id if key_org else None, move.team),
                key_org,
                _move_key(move, person.id if person else None, key_org.id if key_org else None),
            )
        return self.moves[names]


def _resolve(move: MoveInput, source: SourceInput, names: _CachedNames) -> _Resolved:
    move, source = move.cleaned(), source.cleaned()
    person, from_org, to_org, manager, team, key_org, key = names.move_names(move)
    return _Resolved(
        move=move,
        source=source,
        person=person,
        from_org=from_org,
        to_org=to_org,
        manager=manager,
        team=team,
        key_org=key_org,
        key=key,
    )


def _reports_same_move(a: Announcement, r: _Resolved) -> bool:
    """The test _same_move makes in SQL, on an announcement already loaded."""
    move = r.move
    if a.kind != move.kind:
        return False
    if r.person:
        if a.person_id != r.person.id:
            return False
    elif a.person_id is not None or a.person_name.lower() != move.person.lower():
        return False
    depart = move.kind == Announcement.Kind.DEPART
    if r.key_org:
        if (a.from_org_id if depart else a.to_org_id) != r.key_org.id:
            return False
    else:
        name = (move.from_org if depart else move.to_org) or ""
        if (a.from_org_name if depart else a.to_org_name).lower() != name.lower():
            return False
    if move.date and a.date:
        return abs(a.date - move.date) <= SAME_MOVE_WINDOW
    return True


def _claimant(kind: str, person_id: int | None, person_name: str) -> tuple:
    """Which announcements _reports_same_move can match at all: the same kind, and the same
    person record or, for a person that is not a record, the same name."""
    return (kind, person_id) if person_id is not None else (kind, person_name.lower())


_REPORT_COLUMNS = (
    "announcement_id, source_id, team_name, title, from_org_name, manager_name, date, "
    "date_precision"
)


# Inside a caller's transaction (the pipeline records a batch in one) no savepoint of its
# own: two round trips a batch, and a failure here fails the caller's transaction anyway.
@transaction.atomic(savepoint=False)
def announcements_record(
    *, reports: list[tuple[MoveInput, SourceInput]], gazetteer: Gazetteer
) -> list[tuple[Announcement, bool]]:
    """announcement_record for a batch of (move, source) pairs, in a number of queries that
    does not grow with the batch: one lock statement, one look-up of the announcements that
    may already report these moves, a bulk insert of the new ones, one look-up and one insert
    of their sources, and one statement for the links to the sources and the reports.
    Returns (announcement, created) for each pair, in order.

    Idempotent like announcement_record, and serialized with it by the same advisory locks.
    Called inside a transaction, an error leaves that transaction to be rolled back whole
    (no savepoint to go back to).
    """
    if not reports:
        return []
    names = _CachedNames(gazetteer)
    resolved = [_resolve(move, source, names) for move, source in reports]
    with connection.cursor() as cursor:
        # Sorted, so two batches sharing moves take their locks in the same order.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) "
            "FROM (SELECT DISTINCT k FROM unnest(%s::text[]) AS k ORDER BY k) AS keys",
            [[r.key for r in resolved]],
        )
    person_ids = {r.person.id for r in resolved if r.person}
    person_names = {r.move.person.lower() for r in resolved if not r.person}
    # The announcements each report may match, oldest first (the first that matches is the
    # one it reports, as _same_move's order_by("pk") has it), by kind and person. Written
    # out in SQL: building it as an ORM query cost more than running it.
    candidates: dict[tuple, list[Announcement]] = {}
    for a in Announcement.objects.raw(
        f"SELECT * FROM {Announcement._meta.db_table} WHERE kind = ANY(%s) AND "
        "(person_id = ANY(%s) OR (person_id IS NULL AND lower(person_name) = ANY(%s))) "
        "ORDER BY id",
        [sorted({r.move.kind for r in resolved}), sorted(person_ids), sorted(person_names)],
    ):
        candidates.setdefault(_claimant(a.kind, a.person_id, a.person_name), []).append(a)
    chosen: list[Announcement] = []
    created_here: list[Announcement] = []
    for r in resolved:
        person_id = r.person.id if r.person else None
        same = candidates.setdefault(_claimant(r.move.kind, person_id, r.move.person), [])
        found = next((a for a in same if _reports_same_move(a, r)), None)
        if found is None:
            found = _announcement_new(r)
            same.append(found)
            created_here.append(found)
        elif found.pk is not None:
            _announcement_fill(found, r)
        chosen.append(found)
    Announcement.objects.bulk_create(created_here)
    sources = _sources_stored([r.source for r in resolved])
    moves = [r.move for r in resolved]
    # What each source said of its announcement (one report per announcement and source:
    # the first, as get_or_create keeps it), and the links between them, each stored once as
    # bulk_create(ignore_conflicts=True) would, in one round trip.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH reports AS (
                SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[],
                    %s::text[], %s::text[], %s::date[], %s::text[])
                    AS r ({_REPORT_COLUMNS})
            ), links AS (
                INSERT INTO {Announcement.sources.through._meta.db_table}
                    (announcement_id, source_id)
                SELECT announcement_id, source_id FROM reports
                ON CONFLICT DO NOTHING
            )
            INSERT INTO {Report._meta.db_table} ({_REPORT_COLUMNS})
            SELECT * FROM reports
            ON CONFLICT DO NOTHING
            """,
            [
                [a.pk for a in chosen],
                [sources[_source_key(r.source)] for r in resolved],
                [(m.team or "")[:200] for m in moves],
                [(m.title or "")[:200] for m in moves],
                [(m.from_org or "")[:200] for m in moves],
                [(m.manager or "")[:200] for m in moves],
                [m.date for m in moves],
                [m.date_precision if m.date else Precision.UNKNOWN for m in moves],
            ],
        )
    new, seen, result = {id(a) for a in created_here}, set(), []
    for a in chosen:
        result.append((a, id(a) in new and id(a) not in seen))
        seen.add(id(a))
    for a in created_here:
        _auto_approve(a)
    return result


def _announcement_new(r: _Resolved) -> Announcement:
    move, source = r.move, r.source
    return Announcement(
        kind=move.kind,
        status=move.status,
        person_id=r.person.id if r.person else None,
        person_name=(r.person.name if r.person else move.person)[:200],
        from_org_id=r.from_org.id if r.from_org else None,
        from_org_name=((r.from_org.name if r.from_org else move.from_org) or "")[:200],
        to_org_id=r.to_org.id if r.to_org else None,
        to_org_name=((r.to_org.name if r.to_org else move.to_org) or "")[:200],
        team_id=r.team.id if r.team else None,
        team_name=((r.team.name if r.team else move.team) or "")[:200],
        title=(move.title or "")[:200],
        manager_id=r.manager.id if r.manager else None,
        manager_name=((r.manager.name if r.manager else move.manager) or "")[:200],
        date=move.date,
        date_precision=move.date_precision,
        confidence=max(0.0, min(1.0, move.confidence)),
        evidence=source.evidence,
    )


def _announcement_fill(announcement: Announcement, r: _Resolved) -> None:
    """Another outlet's report fills what the first left out; it never overwrites."""
    move, changed = r.move, []
    for field_name, value in (
        ("title", (move.title or "")[:200]),
        ("team_name", (move.team or "")[:200]),
        ("manager_name", (move.manager or "")[:200]),
        ("from_org_name", (move.from_org or "")[:200]),
    ):
        if value and not getattr(announcement, field_name):
            setattr(announcement, field_name, value)
            changed.append(field_name)
    if r.from_org and not announcement.from_org_id:
        announcement.from_org_id = r.from_org.id
        changed.append("from_org")
    if r.manager and not announcement.manager_id:
        announcement.manager_id = r.manager.id
        changed.append("manager")
    if move.status == Announcement.Status.REPORTED and announcement.status != move.status:
        announcement.status = move.status
        changed.append("status")
    if move.confidence > announcement.confidence:
        announcement.confidence = min(1.0, move.confidence)
        changed.append("confidence")
    if changed:
        announcement.save(update_fields=[*changed, "updated"])


def _source_key(source: SourceInput) -> tuple[str, str]:
    return source.url[:1000], source.evidence


class _SourceRow(NamedTuple):
    """A source to store, as its columns (cut to their lengths)."""

    url: str
    evidence: str
    title: str
    publisher: str
    published_on: dt.date | None


def _sources_stored(inputs: list[SourceInput]) -> dict[tuple[str, str], int]:
    """The stored Source id of each (url, evidence), inserting those not stored yet."""
    wanted = {_source_key(s): s for s in inputs}

    def stored() -> dict[tuple[str, str], int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, url, evidence FROM {Source._meta.db_table} WHERE url = ANY(%s)",
                [sorted({url for url, _ in wanted})],
            )
            rows = cursor.fetchall()
        return {(url, evidence): pk for pk, url, evidence in rows if (url, evidence) in wanted}

    found = stored()
    missing = [
        _SourceRow(url, evidence, s.title[:500], s.publisher[:200], s.published_on)
        for (url, evidence), s in wanted.items()
        if (url, evidence) not in found
    ]
    if missing:
        inserted = _sources_inserted(missing)
        if len(inserted) < len(missing):
            found = stored()  # another batch stored some of them meanwhile: read what it stored
        else:
            found.update(inserted)
    return found


def _sources_inserted(sources: list[_SourceRow]) -> dict[tuple[str, str], int]:
    """Source.objects.bulk_create(sources, ignore_conflicts=True), with the id of each
    source inserted (RETURNING, which Django does not ask for when it ignores conflicts):
    most batches then need no second look-up. Returns the id of each (url, evidence)
    inserted."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Source._meta.db_table} "
            "(url, evidence, title, publisher, published_on, first_seen) "
            "SELECT *, %s FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::date[]) "
            "ON CONFLICT DO NOTHING RETURNING id, url, evidence",
            [timezone.now(), *(list(column) for column in zip(*sources, strict=True))],
        )
        return {(url, evidence): pk for pk, url, evidence in cursor.fetchall()}


def _auto_approve(announcement: Announcement) -> None:
    """Apply a confident report whose people and organizations are all known records,
    when the operator opted in (AUTO_APPROVE_CONFIDENCE). Anything doubtful waits."""
    threshold = settings.AUTO_APPROVE_CONFIDENCE
    a = announcement
    resolved = not a.unresolved
    if threshold is None or a.status != Announcement.Status.REPORTED or not resolved:
        return
    if a.confidence < threshold:
        return
    try:
        with transaction.atomic():
            announcement_apply(announcement=a, state=Announcement.State.AUTO_APPROVED)
    except ConflictError:
        return  # stays pending, with its conflicts shown to a curator
    a.refresh_from_db()


# -- curation ---------------------------------------------------------------------------------


class ConflictError(Exception):
    """Applying would contradict what the records say; a curator must choose."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def unique_slug(model, name: str) -> str:
    base = slugify(name)[:100] or "unnamed"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _person_named(name: str) -> Person:
    """The one person with this name or alias, or a new one; never a second copy."""
    matches = list(
        Person.objects.filter(Q(name__iexact=name) | Q(aliases__name__iexact=name)).distinct()[:2]
    )
    if len(matches) > 1:
        raise ConflictError([f"several people are called {name}: link the right one first"])
    if matches:
        return matches[0]
    return Person.objects.create(name=name, slug=unique_slug(Person, name))


def _organization_named(name: str) -> Organization:
    gazetteer_match = Gazetteer.load_organizations().resolve_org(name)
    if gazetteer_match:
        return Organization.objects.get(pk=gazetteer_match.id)
    return Organization.objects.create(name=name, slug=unique_slug(Organization, name))


def _team_named(organization: Organization, name: str) -> Team:
    team = organization.teams.filter(name__iexact=name).first()
    if team:
        return team
    slug = slugify(name)[:100] or "team"
    n, candidate = 1, slug
    while organization.teams.filter(slug=candidate).exists():
        n += 1
        candidate = f"{slug}-{n}"
    return Team.objects.create(organization=organization, name=name, slug=candidate)


def announcement_conflicts(announcement: Announcement) -> list[str]:
    """What applying this announcement would contradict, in words a curator can judge."""
    if announcement.person_id is None:
        return []
    current = list(announcement.person.stints.current().select_related("organization"))
    others = list(
        Announcement.objects.filter(
            person_id=announcement.person_id,
            kind=announcement.kind,
            state=Announcement.State.PENDING,
        ).exclude(pk=announcement.pk)[:3]
    )
    return conflicts_among(announcement, current, others)


def conflicts_among(
    announcement: Announcement, current: list[Stint], others: list[Announcement]
) -> list[str]:
    """The conflict rules, on stints and announcements already loaded (the review queue loads
    them for a whole page at once): a departure from somewhere the person is not, a join
    dated before the current stint began, a join to where they already are, and other
    reports of the same kind of move that disagree on where or when."""
    problems: list[str] = []
    person = announcement.person
    if person is None:
        return problems
    # Dates compare at the coarser of their precisions everywhere: a start known to the month
    # does not contradict a day inside that month.
    when = announcement.when
    if announcement.kind == Announcement.Kind.DEPART:
        org = announcement.from_org
        if org and not any(s.organization_id == org.pk for s in current):
            problems.append(f"{person.name} is not recorded at {org.name} now")
    else:
        for stint in current:
            same_org = stint.organization_id == announcement.to_org_id
            if same_org and when.overlaps(stint.start):
                continue  # the move is already recorded: approving only adds the sources
            if same_org and announcement.kind != Announcement.Kind.PROMOTION:
                problems.append(
                    f"{person.name} is already at {stint.organization.name} since {stint.start}"
                )
            left_here = announcement.from_org_id in (None, stint.organization_id)
            if when.before(stint.start) and left_here:
                problems.append(
                    f"dated {when}, before the current stint at {stint.organization.name} "
                    f"began ({stint.start})"
                )
    problems += disagreements(list(announcement.reports.all()))
    for other in others:
        if other.pk == announcement.pk or other.kind != announcement.kind:
            continue
        same_date = other.when.overlaps(when) or (other.date is None and when.date is None)
        if other.to_org_id == announcement.to_org_id and same_date:
            continue
        problems.append(
            f"another report says {other.to_org_name or other.from_org_name or '?'}"
            f" on {format_partial(other.date, other.date_precision)}"
        )
    return problems


def disagreements(reports: list[Report]) -> list[str]:
    """Where the outlets behind one announcement disagree, each version with who said it.
    Dates a few days apart are one date (outlets publish a day or two apart)."""
    problems = []
    dated = [r for r in reports if r.date]
    periods = [PartialDate(r.date, r.date_precision) for r in dated]
    if any(a.days_apart(b) > 14 for a in periods for b in periods):
        said = "; ".join(
            f"{format_partial(r.date, r.date_precision)} ({r.source.publisher or 'a source'})"
            for r in sorted(dated, key=lambda r: r.date)
        )
        problems.append(f"outlets disagree on the date: {said}")
    for field, label in (("team_name", "the team"), ("title", "the title")):
        versions: dict[str, list[str]] = {}
        for report in reports:
            value = getattr(report, field).strip()
            if value:
                versions.setdefault(value.lower(), []).append(report.source.publisher or "a source")
        if len(versions) > 1:
            said = "; ".join(f"{v} ({', '.join(who)})" for v, who in versions.items())
            problems.append(f"outlets disagree on {label}: {said}")
    return problems


def _stint_for_start(person: Person, organization: Organization, when: PartialDate):
    """The stint at ``organization`` that a move dated ``when`` already records: one that
    began on that date at the coarser precision of the two (or both undated). A more
    precise date sharpens the stint's start ("May 2024" becomes "28 May 2024")."""
    for stint in person.stints.filter(organization=organization).order_by("pk"):
        if stint.start.overlaps(when):
            ends_after = stint.end_date is None or stint.end_date >= when.date
            if when.finer_than(stint.start) and ends_after:
                stint.start_date, stint.start_precision = when.date, when.precision
                stint.save(update_fields=["start_date", "start_precision", "updated"])
            return stint
        if stint.start_date is None and when.date is None:
            return stint
    return None


@transaction.atomic
def announcement_apply(
    *,
    announcement: Announcement,
    user=None,
    state: str = Announcement.State.APPROVED,
    force: bool = False,
) -> Announcement:
    """Turn an announcement into the person's employment history, in one transaction: open
    the new stint, close the stint at the organization left, create the people,
    organizations and teams that did not exist, attach every source, record who decided.

    Idempotent: applying an applied announcement changes nothing. Raises ConflictError
    when the records disagree, unless ``force``.

    The returned announcement carries ``changes``: what applying it did, in words for the
    curator ("opened a stint at Anthropic", "added the source to the existing stint at
    Anthropic", "closed the stint at Google"); ``["nothing: it was already applied"]`` the
    second time. Not stored.
    """
    a = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if a.opened_stint_id or a.closed_stint_id:
        a.changes = ["nothing: it was already applied"]
        return a
    changes: list[str] = []
    if a.state not in (Announcement.State.PENDING, Announcement.State.CONFIRMED):
        raise ConflictError([f"this announcement was already {a.get_state_display()}"])
    problems = announcement_conflicts(a)
    if problems and not force:
        raise ConflictError(problems)
    person = a.person or _person_named(a.person_name)
    to_org = a.to_org or (_organization_named(a.to_org_name) if a.to_org_name else None)
    from_org = a.from_org or (_organization_named(a.from_org_name) if a.from_org_name else None)
    team = a.team or (_team_named(to_org, a.team_name) if a.team_name and to_org else None)
    manager = a.manager or (_person_named(a.manager_name) if a.manager_name else None)
    sources = list(a.sources.all())
    when = a.when

    leaving = to_org if a.kind == Announcement.Kind.PROMOTION else from_org
    end_precision = when.precision if when.date else Precision.UNKNOWN
    closed = None
    if leaving:
        closed = (
            person.stints.filter(organization=leaving)
            .current()
            .order_by(F("start_date").desc(nulls_last=True))
            .first()
        )
        if closed:
            closed.end_date, closed.end_precision = when.date, end_precision
            try:
                with transaction.atomic():
                    closed.save(update_fields=["end_date", "end_precision", "updated"])
            except IntegrityError:
                raise ConflictError(
                    [f"{person.name}'s stint at {leaving.name} began after {when}"]
                ) from None
            changes.append(f"closed the stint at {leaving.name} ({closed.start} – {when})")
        elif a.kind == Announcement.Kind.DEPART and not force:
            raise ConflictError([f"{person.name} has no open stint at {leaving} to close"])
        elif a.kind != Announcement.Kind.PROMOTION:
            # "Moves from A to B" with no record at A yet: the source says they were at A
            # until now, so keep that as a stint (start unknown) the move can start from.
            closed = Stint.objects.create(
                person=person,
                organization=leaving,
                end_date=when.date,
                end_precision=end_precision,
            )
            changes.append(f"recorded the earlier stint at {leaving.name}, ended {when}")
        if closed:
            closed.sources.add(*sources)
    elif a.kind == Announcement.Kind.DEPART and not force:
        raise ConflictError([f"{person.name} has no open stint at ? to close"])
    opened = None
    if a.kind != Announcement.Kind.DEPART and to_org:
        opened = _stint_for_start(person, to_org, when)
        if opened is not None:
            changes.append(
                f"added the source to the existing stint at {to_org.name} (since {opened.start})"
            )
        else:
            opened = Stint.objects.create(
                person=person,
                organization=to_org,
                start_date=when.date,
                start_precision=when.precision if when.date else Precision.UNKNOWN,
                team=team,
                title=a.title,
                manager=manager,
                is_founder=a.kind == Announcement.Kind.FOUNDING,
                end_precision=Precision.PRESENT,
            )
            changes.append(f"opened a stint at {to_org.name} (since {opened.start})")
        opened.sources.add(*sources)
    a.person, a.to_org, a.from_org, a.team, a.manager = person, to_org, from_org, team, manager
    a.opened_stint, a.closed_stint = opened, closed
    a.state = state
    a.decided_by = user if getattr(user, "is_authenticated", False) else None
    a.decided_at = timezone.now()
    a.save()
    moves_rebuild(person_ids=[person.pk])
    # The outbox rows commit with the approval, or not at all.
    alerts.announcement_fan_out(announcement=a)
    a.changes = changes or ["nothing changed in the records"]
    return a


@transaction.atomic
def announcement_reject(*, announcement: Announcement, user, reason: str) -> Announcement:
    reason = reason.strip()
    if not reason:
        raise ValueError("say why it is rejected")
    a = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if a.state != Announcement.State.PENDING:
        return a
    a.state, a.reason = Announcement.State.REJECTED, reason[:2000]
    a.decided_by, a.decided_at = user, timezone.now()
    a.save(update_fields=["state", "reason", "decided_by", "decided_at", "updated"])
    return a


@transaction.atomic
def announcement_mark_duplicate(
    *, announcement: Announcement, original: Announcement, user
) -> Announcement:
    """The same move as ``original``: its sources join the original's, so they count as
    corroboration, and it is never proposed again."""
    if original.pk == announcement.pk:
        raise ValueError("an announcement cannot duplicate itself")
    a = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if a.state != Announcement.State.PENDING:
        return a
    original.sources.add(*a.sources.all())
    a.state, a.duplicate_of = Announcement.State.DUPLICATE, original
    a.decided_by, a.decided_at = user, timezone.now()
    a.save(update_fields=["state", "duplicate_of", "decided_by", "decided_at", "updated"])
    return a


@transaction.atomic
def rumor_settle(
    *, announcement: Announcement, user, confirmed: bool, reason: str = ""
) -> Announcement:
    """A rumor later confirmed is applied like a report; one retracted is kept, with why."""
    a = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if a.status != Announcement.Status.RUMOR:
        raise ValueError("only rumors are confirmed or retracted")
    if confirmed:
        a.status = Announcement.Status.REPORTED
        a.state = Announcement.State.CONFIRMED
        a.save(update_fields=["status", "state", "updated"])
        return announcement_apply(announcement=a, user=user, state=Announcement.State.CONFIRMED)
    a.state, a.reason = Announcement.State.RETRACTED, (reason or "retracted")[:2000]
    a.decided_by, a.decided_at = user, timezone.now()
    a.save(update_fields=["state", "reason", "decided_by", "decided_at", "updated"])
    return a
