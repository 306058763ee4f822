"""Load the demo world (``world.yaml`` beside this file): real, public AI-industry careers.

Idempotent: records are matched by slug (people, organizations, teams), stints by
(person, organization, team, start), sources by (url, evidence); running it again
updates in place and creates nothing new. Records a curator added are never removed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from talent import services
from talent.models import (
    Organization,
    OrganizationAlias,
    PartialDate,
    Person,
    PersonAlias,
    PersonLink,
    Source,
    Stint,
    Team,
)

WORLD = Path(__file__).with_name("world.yaml")


class DemoDataError(ValueError):
    pass


@dataclass
class LoadReport:
    organizations: int = 0
    teams: int = 0
    people: int = 0
    stints: int = 0
    sources: int = 0
    moves: int = 0


def read_world(path: Path = WORLD) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict) or not {"organizations", "people"} <= data.keys():
        raise DemoDataError(f"{path}: expected top-level 'organizations' and 'people'")
    return data


def _load_organizations(
    rows: list[dict], report: LoadReport
) -> tuple[dict[str, Organization], dict[tuple[str, str], Team]]:
    orgs: dict[str, Organization] = {}
    for row in rows:
        org, _ = Organization.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "kind": row.get("kind") or Organization.Kind.OTHER,
                "domain": row.get("domain") or "",
                "country": (row.get("country") or "").upper(),
            },
        )
        orgs[org.slug] = org
        for alias in row.get("aliases") or []:
            if not org.aliases.filter(name__iexact=alias).exists():
                OrganizationAlias.objects.create(organization=org, name=alias)
    teams: dict[tuple[str, str], Team] = {}
    for row in rows:
        org = orgs[row["slug"]]
        parent_slug = row.get("parent")
        if parent_slug:
            if parent_slug not in orgs:
                raise DemoDataError(f"organization {org.slug}: unknown parent {parent_slug!r}")
            if org.parent_id != orgs[parent_slug].pk:
                org.parent = orgs[parent_slug]
                org.save(update_fields=["parent"])
        for team_row in row.get("teams") or []:
            team, _ = Team.objects.update_or_create(
                organization=org, slug=team_row["slug"], defaults={"name": team_row["name"]}
            )
            teams[(org.slug, team.slug)] = team
    for row in rows:
        for team_row in row.get("teams") or []:
            if team_row.get("parent"):
                team = teams[(row["slug"], team_row["slug"])]
                parent = teams.get((row["slug"], team_row["parent"]))
                if parent is None:
                    raise DemoDataError(f"team {team.slug}: unknown parent {team_row['parent']!r}")
                if team.parent_id != parent.pk:
                    team.parent = parent
                    team.save(update_fields=["parent"])
    report.organizations = len(orgs)
    report.teams = len(teams)
    return orgs, teams


def _load_stint(person: Person, row: dict, orgs, teams, people, report: LoadReport) -> None:
    org_slug = row["org"]
    if org_slug not in orgs:
        raise DemoDataError(f"{person.slug}: unknown organization {org_slug!r}")
    team = None
    if row.get("team"):
        team = teams.get((org_slug, row["team"]))
        if team is None:
            raise DemoDataError(f"{person.slug}: unknown team {row['team']!r} at {org_slug}")
    manager = None
    if row.get("manager"):
        manager = people.get(row["manager"])
        if manager is None:
            raise DemoDataError(f"{person.slug}: unknown manager {row['manager']!r}")
    start = PartialDate.parse(str(row.get("start") or "unknown"))
    end = PartialDate.parse(str(row.get("end") or "present"), allow_present=True)
    stint, _ = Stint.objects.update_or_create(
        person=person,
        organization=orgs[org_slug],
        team=team,
        start_date=start.date,
        start_precision=start.precision,
        defaults={
            "title": row.get("title") or "",
            "manager": manager,
            "is_founder": bool(row.get("founder")),
            "end_date": end.date,
            "end_precision": end.precision,
        },
    )
    report.stints += 1
    sources = row.get("sources") or []
    if not sources:
        raise DemoDataError(f"{person.slug} at {org_slug}: every stint needs a source")
    for source_row in sources:
        published = source_row.get("published")
        source, _ = Source.objects.get_or_create(
            url=source_row["url"],
            evidence=(source_row.get("evidence") or "").strip(),
            defaults={
                "title": source_row.get("title") or "",
                "publisher": source_row.get("publisher") or "",
                "published_on": PartialDate.parse(str(published)).date if published else None,
            },
        )
        source.stints.add(stint)
        report.sources += 1


@transaction.atomic
def demo_world_load(
    *, path: Path = WORLD, progress: Callable[[int, int, str], None] | None = None
) -> LoadReport:
    """Create or update the demo world in one transaction; returns what it touched."""
    data = read_world(path)
    report = LoadReport()
    orgs, teams = _load_organizations(data["organizations"], report)

    # People first (managers refer to each other), then their stints.
    people: dict[str, Person] = {}
    for row in data["people"]:
        person, _ = Person.objects.update_or_create(
            slug=row["slug"], defaults={"name": row["name"]}
        )
        people[person.slug] = person
        for alias in row.get("aliases") or []:
            if not person.aliases.filter(name__iexact=alias).exists():
                PersonAlias.objects.create(person=person, name=alias)
        for url in row.get("links") or []:
            PersonLink.objects.get_or_create(person=person, url=url)
    total = len(data["people"])
    for done, row in enumerate(data["people"], start=1):
        person = people[row["slug"]]
        for stint_row in row.get("stints") or []:
            _load_stint(person, stint_row, orgs, teams, people, report)
        if progress:
            progress(done, total, person.name)
    report.people = len(people)
    report.moves = services.moves_rebuild(person_ids=[p.pk for p in people.values()])
    return report
