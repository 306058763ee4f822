"""Deriving moves from stints: a pure function, so the rules can be read and tested alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from talent.models import Move, PartialDate, Precision

# How far a new stint may start before the previous one ended and still count as the
# move out of it: announcements often precede the last day at the old job.
OVERLAP_TOLERANCE = dt.timedelta(days=92)


class StintLike(Protocol):
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


def _ended(stint: StintLike) -> bool:
    return stint.end_precision != Precision.PRESENT


def _predecessor(stint: StintLike, earlier: Sequence[StintLike]) -> StintLike | None:
    """The stint this one moved out of: the latest-ending stint that started before it and
    had ended by (about) the time it began. A stint still running is a concurrent role,
    not a move out of it."""
    if stint.start_date is None:
        return None
    start_upper = PartialDate(stint.start_date, stint.start_precision).upper
    assert start_upper is not None
    best: StintLike | None = None
    best_key: tuple[int, dt.date] | None = None
    for other in earlier:
        # A stint known only by its end (the origin of "moves from A to B", start unknown)
        # can be left; one with neither a start nor an end says nothing about when.
        if not _ended(other) or (other.start_date is None and other.end_date is None):
            continue
        if other.end_date is not None and other.end_date > start_upper + OVERLAP_TOLERANCE:
            continue
        # A known end beats an unknown one; among known ends, the latest wins.
        key = (1, other.end_date) if other.end_date else (0, other.start_date)
        if best_key is None or key > best_key:
            best, best_key = other, key
    return best


def derive_moves(stints: Sequence[StintLike]) -> list[Move]:
    """The moves of one person's career, from their stints, oldest first."""
    ordered = sorted(
        stints, key=lambda s: (s.start_date is not None, s.start_date or dt.date.min, s.id)
    )
    moves: list[Move] = []
    consumed: set[int] = set()
    for index, stint in enumerate(ordered):
        earlier = [s for s in ordered[:index] if s.start_date or s.end_date]
        previous = _predecessor(stint, earlier)
        if previous is not None and previous.organization_id == stint.organization_id:
            kind = Move.Kind.PROMOTION
        elif stint.is_founder:
            kind = Move.Kind.FOUNDING
        elif any(s.organization_id == stint.organization_id and _ended(s) for s in earlier):
            kind = Move.Kind.RETURN
        else:
            kind = Move.Kind.JOIN
        if previous is not None:
            consumed.add(previous.id)
        moves.append(
            Move(
                person_id=stint.person_id,
                kind=kind,
                from_org_id=previous.organization_id if previous else None,
                from_stint_id=previous.id if previous else None,
                to_org_id=stint.organization_id,
                to_stint_id=stint.id,
                team_id=stint.team_id,
                from_team_id=previous.team_id if previous else None,
                title=stint.title,
                date=stint.start_date,
                date_precision=stint.start_precision,
            )
        )
    for stint in ordered:
        if _ended(stint) and stint.id not in consumed:
            moves.append(
                Move(
                    person_id=stint.person_id,
                    kind=Move.Kind.DEPART,
                    from_org_id=stint.organization_id,
                    from_stint_id=stint.id,
                    team_id=stint.team_id,
                    from_team_id=stint.team_id,
                    title=stint.title,
                    date=stint.end_date,
                    date_precision=stint.end_precision,
                )
            )
    return moves


def leave_day(stint: StintLike) -> dt.date | None:
    """The first day a stint no longer covers, at its end's precision (None: still there)."""
    if stint.end_precision == Precision.PRESENT:
        return None
    upper = PartialDate(stint.end_date, stint.end_precision).upper
    assert upper is not None
    return upper + dt.timedelta(days=1)


def derive_presence(stints: Sequence[StintLike]) -> list[tuple[int, int, dt.date, dt.date | None]]:
    """A person's spells at each organization: (person, organization, start, leave), their
    stints there merged where they overlap or touch. Stints with an unknown start or end
    make no spell: "who was here on a date" counts them on no day."""
    spans: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    person = None
    for stint in stints:
        person = stint.person_id
        if stint.start_date is None or stint.end_precision == Precision.UNKNOWN:
            continue
        spans.setdefault(stint.organization_id, []).append((stint.start_date, leave_day(stint)))
    spells = []
    for org, items in spans.items():
        items.sort(key=lambda s: (s[0], s[1] or dt.date.max))
        start, leave = items[0]
        for lo, hi in items[1:]:
            if leave is None or lo <= leave:
                leave = None if leave is None or hi is None else max(leave, hi)
            else:
                spells.append((person, org, start, leave))
                start, leave = lo, hi
        spells.append((person, org, start, leave))
    return sorted(spells, key=lambda s: (s[1], s[2]))
