"""Writes that touch several models. Keyword-only, typed, one transaction each."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from talent.models import Move, Person, Stint
from talent.moves import derive_moves


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
