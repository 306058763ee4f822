"""Every action that changes something asks for a right, not just "is staff": a staff member
with view-only rights may look at everything and change nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from feeds.models import Feed
from talent.models import Announcement, Merge, Move, Person
from talent.permissions import CURATORS
from tests import factories as f

pytestmark = pytest.mark.django_db

# Each admin action, where it lives, and the right it needs.
ACTIONS = [
    ("/admin/talent/person/", "merge_selected", "merge_records"),
    ("/admin/talent/organization/", "merge_selected", "merge_records"),
    ("/admin/talent/team/", "merge_selected", "merge_records"),
    ("/admin/talent/merge/", "undo_selected", "merge_records"),
    ("/admin/talent/stint/", "rebuild_moves", "rebuild_moves"),
    ("/admin/talent/announcement/", "approve_selected", "review_announcement"),
    ("/admin/talent/announcement/", "reject_selected", "review_announcement"),
    ("/admin/feeds/feed/", "poll_now", "operate_feed"),
    ("/admin/feeds/feed/", "pause", "operate_feed"),
    ("/admin/feeds/feed/", "resume", "operate_feed"),
]


def _offered(client, changelist: str) -> set[str]:
    response = client.get(changelist)
    assert response.status_code == 200, changelist
    form = response.context["action_form"]  # None when no action is offered at all
    return {name for name, _ in form.fields["action"].choices} if form else set()


def test_the_curators_group_holds_every_curation_right():
    rights = set(Group.objects.get(name=CURATORS).permissions.values_list("codename", flat=True))
    assert {right for _, _, right in ACTIONS} <= rights
    assert {"view_feed", "add_feed", "change_person", "view_announcement"} <= rights
    assert not {"delete_person", "delete_organization", "delete_feed"} & rights


@pytest.mark.parametrize(("changelist", "action", "right"), ACTIONS)
def test_view_only_staff_are_not_offered_actions(client, viewer, changelist, action, right):
    client.force_login(viewer)
    assert action not in _offered(client, changelist)


@pytest.mark.parametrize(("changelist", "action", "right"), ACTIONS)
def test_curators_are_offered_each_action(client, curator, changelist, action, right):
    client.force_login(curator)
    assert action in _offered(client, changelist)


@pytest.mark.parametrize(("changelist", "action", "right"), ACTIONS)
def test_each_action_needs_its_own_right(client, changelist, action, right):
    # A staff member holding every right but this one.
    user = get_user_model().objects.create_user("almost", is_staff=True)
    user.groups.add(Group.objects.get(name=CURATORS))
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    group = Group.objects.create(name="Curators but one")
    group.permissions.set(Group.objects.get(name=CURATORS).permissions.exclude(codename=right))
    user.groups.set([group])
    client.force_login(user)
    assert action not in _offered(client, changelist)


def test_a_posted_action_without_the_right_changes_nothing(client, viewer):
    kept, dup = f.person("Durk Kingma"), f.person("Diederik Kingma")
    feed = Feed.objects.create(url="https://wire.example.org/feed")
    pending = Announcement.objects.create(
        kind="join", person_name="Ada Example", to_org_name="Anthropic", evidence="x"
    )
    stint = f.stint(kept, f.org("Anthropic"), "2020", "present")
    Move.objects.all().delete()
    client.force_login(viewer)
    posts = [
        ("/admin/talent/person/", "merge_selected", [kept.pk, dup.pk]),
        ("/admin/talent/announcement/", "approve_selected", [pending.pk]),
        ("/admin/talent/announcement/", "reject_selected", [pending.pk]),
        ("/admin/talent/stint/", "rebuild_moves", [stint.pk]),
        ("/admin/feeds/feed/", "pause", [feed.pk]),
    ]
    for changelist, action, ids in posts:
        client.post(
            changelist,
            {"action": action, "_selected_action": ids, "merge_target": kept.pk, "confirm": "1"},
        )
    assert Person.objects.filter(pk=dup.pk).exists() and not Merge.objects.exists()
    assert Announcement.objects.get(pk=pending.pk).state == Announcement.State.PENDING
    assert not Move.objects.exists()
    assert Feed.objects.get(pk=feed.pk).active


def test_the_demo_curator_is_a_curator_not_a_superuser(settings):
    from django.core.management import call_command

    settings.DEMO = True
    call_command("democurator", verbosity=0)
    user = get_user_model().objects.get(username="curator")
    assert user.is_staff and not user.is_superuser
    assert user.has_perms(["talent.review_announcement", "talent.merge_records"])
