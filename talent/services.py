"""Writes that touch several models. Keyword-only, typed, one transaction each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q

from talent.models import Announcement, Move, Person, Precision, Source, Stint
from talent.moves import derive_moves
from talent.names import org_key, person_key
from talent.resolve import Gazetteer


@transaction.atomic
def moves_rebuild(*, person_ids: Iterable[int]) -> int:
    """Replace the derived moves of these people with what their stints say now.

    Idempotent: rebuilding twice leaves the same rows. Returns how many moves exist
    for these people afterwards.
    """
    ids = sorted(set(person_ids))
    if not ids:
        return 0
    # Lock the people so two rebuilds of one person cannot interleave their delete/insert.
    list(Person.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    by_person: dict[int, list[Stint]] = {pk: [] for pk in ids}
    for stint in Stint.objects.filter(person_id__in=ids).order_by():
        by_person[stint.person_id].append(stint)
    moves: list[Move] = []
    for stints in by_person.values():
        moves.extend(derive_moves(stints))
    Move.objects.filter(person_id__in=ids).delete()
    Move.objects.bulk_create(moves, batch_size=1000)
    return len(moves)


def moves_out_of_sync() -> list[int]:
    """People whose stored moves differ from what their stints derive (for the nightly sweep)."""
    stale: list[int] = []
    stints_by_person: dict[int, list[Stint]] = {}
    for stint in Stint.objects.order_by().iterator(chunk_size=2000):
        stints_by_person.setdefault(stint.person_id, []).append(stint)
    stored: dict[int, set[tuple]] = {}
    for row in Move.objects.order_by().values_list(
        "person_id", "kind", "from_stint_id", "to_stint_id", "date", "date_precision"
    ):
        stored.setdefault(row[0], set()).add(row[1:])
    for person_id in set(stints_by_person) | set(stored):
        derived = {
            (m.kind, m.from_stint_id, m.to_stint_id, m.date, m.date_precision)
            for m in derive_moves(stints_by_person.get(person_id, []))
        }
        if derived != stored.get(person_id, set()):
            stale.append(person_id)
    return sorted(stale)


@dataclass(frozen=True)
class SourceInput:
    url: str
    title: str = ""
    publisher: str = ""
    published_on: dt.date | None = None
    evidence: str = ""


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
    return announcement, created
