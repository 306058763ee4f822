"""Small builders for test data. Each returns saved rows; names are unique per call."""

from __future__ import annotations

import itertools

from django.utils.text import slugify

from talent import services
from talent.models import Organization, PartialDate, Person, Source, Stint, Team

_seq = itertools.count(1)


def org(name: str | None = None, **fields) -> Organization:
    name = name or f"Lab {next(_seq)}"
    fields.setdefault("slug", slugify(name))
    fields.setdefault("kind", Organization.Kind.LAB)
    return Organization.objects.create(name=name, **fields)


def team(organization: Organization, name: str | None = None, **fields) -> Team:
    name = name or f"Team {next(_seq)}"
    fields.setdefault("slug", slugify(name))
    return Team.objects.create(organization=organization, name=name, **fields)


def person(name: str | None = None, **fields) -> Person:
    name = name or f"Person {next(_seq)}"
    fields.setdefault("slug", slugify(name))
    return Person.objects.create(name=name, **fields)


def stint(
    who: Person,
    where: Organization,
    start: str = "unknown",
    end: str = "present",
    *,
    source: bool = True,
    rebuild: bool = True,
    **fields,
) -> Stint:
    """A stint with dates written as in the demo file ("2017", "2017-06", "present")."""
    begin = PartialDate.parse(start)
    finish = PartialDate.parse(end, allow_present=True)
    row = Stint.objects.create(
        person=who,
        organization=where,
        start_date=begin.date,
        start_precision=begin.precision,
        end_date=finish.date,
        end_precision=finish.precision,
        **fields,
    )
    if source:
        src = Source.objects.create(
            url=f"https://news.example.org/{who.slug}/{row.pk}",
            publisher="Example News",
            evidence=f"{who.name} works at {where.name}.",
        )
        src.stints.add(row)
    if rebuild:
        services.moves_rebuild(person_ids=[who.pk])
    return row
