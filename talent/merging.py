"""Merging people, organizations and teams, and undoing a merge.

A merge moves every row that points at the merged record onto the kept one, keeps the old
name as an alias and the old URL as a redirect, and records exactly what moved, so undoing
puts each row back where it was. Derived moves are rebuilt for everyone touched.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from talent.models import (
    Announcement,
    Correction,
    Follow,
    Merge,
    Move,
    Organization,
    OrganizationAlias,
    Person,
    PersonAlias,
    PersonLink,
    Stint,
    Team,
)
from talent.names import fold
from talent.services import moves_rebuild

MODELS = {"person": Person, "organization": Organization, "team": Team}
# Every (model, foreign key) that can point at a record of each kind.
RELATIONS: dict[str, list[tuple[type[Model], str]]] = {
    "person": [
        (Stint, "person"),
        # Moves and follows go along too: moves keep their ids (the outbox points at them)
        # and a follow of the merged record follows the surviving one, until an undo.
        (Move, "person"),
        (Follow, "person"),
        (Stint, "manager"),
        (PersonAlias, "person"),
        (PersonLink, "person"),
        (Announcement, "person"),
        (Announcement, "manager"),
        (Correction, "person"),
    ],
    "organization": [
        (Stint, "organization"),
        (OrganizationAlias, "organization"),
        (Team, "organization"),
        (Organization, "parent"),
        (Announcement, "from_org"),
        (Announcement, "to_org"),
        (Correction, "organization"),
        (Move, "from_org"),
        (Move, "to_org"),
        (Follow, "organization"),
        (Follow, "from_org"),
        (Follow, "to_org"),
    ],
    "team": [
        (Stint, "team"),
        (Team, "parent"),
        (Announcement, "team"),
        (Move, "team"),
        (Follow, "team"),
    ],
}
OWN_FIELDS = {
    "person": ["name", "slug", "bio", "created"],
    "organization": ["name", "slug", "kind", "domain", "parent_id", "description", "created"],
    "team": ["name", "slug", "organization_id", "parent_id", "description"],
}


class MergeError(ValueError):
    pass


def _people_of(kind: str, record) -> set[int]:
    if kind == "person":
        return {record.pk}
    field = "organization" if kind == "organization" else "team"
    return set(Stint.objects.filter(**{field: record}).values_list("person_id", flat=True))


@transaction.atomic
def merge(*, kind: str, source, target, user=None) -> Merge:
    """Merge ``source`` into ``target`` (both of ``kind``) and delete ``source``."""
    model = MODELS[kind]
    if source.pk == target.pk:
        raise MergeError("a record cannot be merged into itself")
    source = model.objects.select_for_update().get(pk=source.pk)
    target = model.objects.select_for_update().get(pk=target.pk)
    if kind == "team" and source.organization_id != target.organization_id:
        raise MergeError("teams can only be merged within one organization")
    people = _people_of(kind, source) | _people_of(kind, target)
    snapshot = {field: getattr(source, field) for field in OWN_FIELDS[kind]}
    snapshot = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in snapshot.items()}
    moved: dict[str, list] = {}

    # Rows that would collide with the target's own are set aside (and restored on undo).
    if kind in ("person", "organization"):
        alias_model = PersonAlias if kind == "person" else OrganizationAlias
        owner = kind if kind == "person" else "organization"
        taken = {fold(a.name) for a in alias_model.objects.filter(**{owner: target})} | {
            fold(target.name)
        }
        clashes = [
            a for a in alias_model.objects.filter(**{owner: source}) if fold(a.name) in taken
        ]
        moved["dropped_aliases"] = [a.name for a in clashes]
        alias_model.objects.filter(pk__in=[a.pk for a in clashes]).delete()
    if kind == "person":
        urls = set(target.links.values_list("url", flat=True))
        clashes = list(source.links.filter(url__in=urls))
        moved["dropped_links"] = [[link.url, link.label] for link in clashes]
        PersonLink.objects.filter(pk__in=[link.pk for link in clashes]).delete()
    if kind == "organization":
        slugs = set(target.teams.values_list("slug", flat=True))
        renamed = {}
        for team in source.teams.filter(slug__in=slugs):
            renamed[str(team.pk)] = team.slug
            team.slug = f"{team.slug}-{source.slug}"[:120]
            team.save(update_fields=["slug"])
        moved["renamed_teams"] = renamed
        if target.parent_id == source.pk:
            moved["target_parent"] = source.pk
            target.parent = None
            target.save(update_fields=["parent"])
    if kind == "team" and target.parent_id == source.pk:
        moved["target_parent"] = source.pk
        target.parent = None
        target.save(update_fields=["parent"])

    for related, field in RELATIONS[kind]:
        rows = related.objects.filter(**{field: source}).exclude(
            pk=target.pk if related is model else None
        )
        ids = list(rows.values_list("pk", flat=True))
        related.objects.filter(pk__in=ids).update(**{field: target})
        moved[f"{related._meta.label}.{field}"] = ids

    # The merged name stays findable as an alias of the kept record.
    if kind in ("person", "organization"):
        alias_model = PersonAlias if kind == "person" else OrganizationAlias
        owner = "person" if kind == "person" else "organization"
        exists = (
            alias_model.objects.filter(**{owner: target}).filter(name__iexact=source.name).exists()
        )
        if fold(source.name) != fold(target.name) and not exists:
            moved["added_alias"] = alias_model.objects.create(
                **{owner: target, "name": source.name}
            ).pk
    record = Merge.objects.create(
        kind=kind,
        source_id=source.pk,
        old_slug=source.slug,
        old_name=source.name,
        old_org_slug=source.organization.slug if kind == "team" else "",
        target_id=target.pk,
        snapshot=snapshot,
        moved=moved,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    source.delete()
    moves_rebuild(person_ids=people)
    return record


@transaction.atomic
def merge_undo(*, record: Merge) -> object:
    """Put the merged record back, with the same id and every row that moved."""
    record = Merge.objects.select_for_update().get(pk=record.pk)
    if record.undone_at:
        raise MergeError("this merge was already undone")
    kind, model = record.kind, MODELS[record.kind]
    if model.objects.filter(
        slug=record.old_slug,
        **({"organization_id": record.snapshot["organization_id"]} if kind == "team" else {}),
    ).exists():
        raise MergeError(f"the address {record.old_slug} has been taken since; rename that first")
    fields = dict(record.snapshot)
    restored = model(pk=record.source_id, **{k: v for k, v in fields.items() if k != "created"})
    if "created" in fields:
        from django.utils.dateparse import parse_datetime

        restored.created = parse_datetime(fields["created"])
    restored.save(force_insert=True)
    moved = record.moved
    alias_model = {"person": PersonAlias, "organization": OrganizationAlias}.get(kind)
    if moved.get("added_alias") and alias_model:
        alias_model.objects.filter(pk=moved["added_alias"]).delete()
    for related, field in RELATIONS[kind]:
        ids = moved.get(f"{related._meta.label}.{field}", [])
        related.objects.filter(pk__in=ids).update(**{field: restored})
    owner = "person" if kind == "person" else "organization"
    for name in moved.get("dropped_aliases", []):
        alias_model.objects.get_or_create(**{owner: restored, "name": name})
    for url, label in moved.get("dropped_links", []):
        PersonLink.objects.get_or_create(person=restored, url=url, defaults={"label": label})
    for team_id, slug in moved.get("renamed_teams", {}).items():
        Team.objects.filter(pk=int(team_id)).update(slug=slug)
    if moved.get("target_parent"):
        model.objects.filter(pk=record.target_id).update(parent=restored)
    record.undone_at = timezone.now()
    record.save(update_fields=["undone_at"])
    target = model.objects.filter(pk=record.target_id).first()
    people = _people_of(kind, restored) | (_people_of(kind, target) if target else set())
    moves_rebuild(person_ids=people)
    return restored


def redirect_target(kind: str, slug: str, org_slug: str = ""):
    """Where an old URL now points, following merges (and merges of merges)."""
    model = MODELS[kind]
    seen = set()
    query = {"kind": kind, "old_slug": slug, "undone_at__isnull": True}
    if kind == "team":
        query["old_org_slug"] = org_slug
    record = Merge.objects.filter(**query).order_by("-created").first()
    while record and record.pk not in seen:
        seen.add(record.pk)
        target = model.objects.filter(pk=record.target_id).first()
        if target:
            return target
        record = (
            Merge.objects.filter(kind=kind, source_id=record.target_id, undone_at__isnull=True)
            .order_by("-created")
            .first()
        )
    return None
