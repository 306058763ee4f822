from __future__ import annotations

import pytest

from talent.merging import MergeError, merge, merge_undo
from talent.models import (
    Announcement,
    Merge,
    Move,
    Organization,
    OrganizationAlias,
    Person,
    PersonAlias,
    PersonLink,
    Source,
    Stint,
    Team,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def _rows(queryset, *fields) -> list[tuple]:
    return sorted(queryset.values_list(*fields), key=repr)


def _snapshot() -> dict:
    return {
        "stints": _rows(
            Stint.objects, "pk", "person_id", "organization_id", "team_id", "manager_id"
        ),
        "sources": _rows(Source.stints.through.objects, "source_id", "stint_id"),
        "people": _rows(Person.objects, "pk", "slug", "name"),
        "orgs": _rows(Organization.objects, "pk", "slug", "name", "parent_id"),
        "teams": _rows(Team.objects, "pk", "slug", "organization_id"),
        "person_aliases": _rows(PersonAlias.objects, "person_id", "name"),
        "org_aliases": _rows(OrganizationAlias.objects, "organization_id", "name"),
        "links": _rows(PersonLink.objects, "person_id", "url"),
        "announcements": _rows(Announcement.objects, "pk", "person_id", "to_org_id"),
        "moves": _rows(Move.objects, "person_id", "kind", "from_org_id", "to_org_id", "date"),
    }


def test_merging_people_moves_everything_keeps_the_name_and_redirects(client, curator):
    kept, dup = f.person("Durk Kingma"), f.person("Diederik Kingma")
    PersonAlias.objects.create(person=dup, name="D. P. Kingma")
    PersonLink.objects.create(person=dup, url="https://dpkingma.com")
    openai, google = f.org("OpenAI"), f.org("Google")
    f.stint(kept, google, "2018", "present")
    early = f.stint(dup, openai, "2015", "2018")
    report = f.person("Someone Reporting")
    f.stint(report, google, "2019", "present", manager=dup)
    note = Announcement.objects.create(
        kind="join", person=dup, person_name=dup.name, to_org_name="X"
    )

    record = merge(kind="person", source=dup, target=kept, user=curator)

    assert not Person.objects.filter(slug="diederik-kingma").exists()
    early.refresh_from_db()
    assert early.person == kept and early.sources.exists()
    assert set(kept.aliases.values_list("name", flat=True)) == {"Diederik Kingma", "D. P. Kingma"}
    assert kept.links.filter(url="https://dpkingma.com").exists()
    assert Stint.objects.get(person=report).manager == kept
    note.refresh_from_db()
    assert note.person == kept
    assert Move.objects.filter(person=kept, to_org=google, from_org=openai).exists()
    response = client.get("/people/diederik-kingma/")
    assert response.status_code == 301 and response["Location"] == "/people/durk-kingma/"
    assert record.created_by == curator


def test_undoing_a_merge_restores_everything_exactly(client):
    kept, dup = f.person("Durk Kingma"), f.person("Diederik Kingma")
    PersonAlias.objects.create(person=dup, name="Durk Kingma Jr")
    PersonAlias.objects.create(person=kept, name="durk kingma jr")  # collides on merge
    PersonLink.objects.create(person=dup, url="https://dpkingma.com")
    PersonLink.objects.create(person=kept, url="https://dpkingma.com")  # collides too
    f.stint(kept, f.org("Google"), "2018", "present")
    f.stint(dup, f.org("OpenAI"), "2015", "2018", manager=kept)
    before = _snapshot()
    record = merge(kind="person", source=dup, target=kept)
    assert _snapshot() != before
    restored = merge_undo(record=record)
    assert restored.pk == dup.pk and restored.slug == "diederik-kingma"
    assert _snapshot() == before
    assert client.get("/people/diederik-kingma/").status_code == 200
    with pytest.raises(MergeError, match="already undone"):
        merge_undo(record=record)


def test_merging_organizations_moves_teams_children_and_stints(client):
    deepmind, gdm = f.org("DeepMind"), f.org("Google DeepMind")
    f.team(deepmind, "Gemini"), f.team(gdm, "Gemini")
    alpha = f.team(deepmind, "AlphaFold")
    child = f.org("DeepMind Health", parent=deepmind)
    who = f.person("Demis Hassabis")
    f.stint(who, deepmind, "2010", "present", team=alpha)
    before = _snapshot()
    record = merge(kind="organization", source=deepmind, target=gdm)
    child.refresh_from_db(), alpha.refresh_from_db()
    assert child.parent == gdm and alpha.organization == gdm
    assert gdm.teams.filter(slug="gemini-deepmind").exists()  # renamed, not lost
    assert gdm.aliases.filter(name="DeepMind").exists()
    assert who.stints.get().organization == gdm
    old_team_page = client.get("/companies/deepmind/teams/alphafold/")
    assert old_team_page.status_code == 301
    assert old_team_page["Location"] == "/companies/google-deepmind/teams/alphafold/"
    assert client.get("/companies/deepmind/at/?date=2020-01-01")["Location"] == (
        "/companies/google-deepmind/at/?date=2020-01-01"
    )
    merge_undo(record=record)
    assert _snapshot() == before


def test_merging_teams_within_an_organization(client):
    lab = f.org("Anthropic")
    pre, pretraining = f.team(lab, "Pretraining"), f.team(lab, "Pre-training")
    who = f.person("Nick Joseph")
    f.stint(who, lab, "2021", "present", team=pre)
    merge(kind="team", source=pre, target=pretraining)
    assert who.stints.get().team == pretraining
    assert (
        client.get(f"/companies/anthropic/teams/{pre.slug}/")["Location"]
        == pretraining.get_absolute_url()
    )
    with pytest.raises(MergeError):
        merge(kind="team", source=pretraining, target=f.team(f.org("Other"), "X"))


def test_a_record_cannot_swallow_itself():
    who = f.person("Solo Person")
    with pytest.raises(MergeError):
        merge(kind="person", source=who, target=who)
    assert Merge.objects.count() == 0


def test_curators_merge_and_undo_in_the_admin(client, curator):
    kept, dup = f.person("Durk Kingma"), f.person("Diederik Kingma")
    client.force_login(curator)
    changelist = "/admin/talent/person/"
    confirm = client.post(
        changelist, {"action": "merge_selected", "_selected_action": [kept.pk, dup.pk]}
    )
    assert confirm.status_code == 200 and b"Keep which one?" in confirm.content
    client.post(
        changelist,
        {
            "action": "merge_selected",
            "_selected_action": [kept.pk, dup.pk],
            "merge_target": kept.pk,
            "confirm": "yes",
        },
    )
    assert not Person.objects.filter(pk=dup.pk).exists()
    record = Merge.objects.get()
    client.post(
        "/admin/talent/merge/", {"action": "undo_selected", "_selected_action": [record.pk]}
    )
    assert Person.objects.filter(pk=dup.pk, slug="diederik-kingma").exists()
