from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from talent.models import Move, Organization, Person, Precision, Source, Stint

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Person, Organization, Stint, Source, Move, Source.stints.through)
    }


def test_loaddemo_builds_a_world_of_real_careers_with_sources():
    out = StringIO()
    call_command("loaddemo", stdout=out)
    assert "loading demo people" in out.getvalue()  # progress
    assert Person.objects.count() >= 40
    assert Organization.objects.count() >= 15
    assert not Stint.objects.filter(sources__isnull=True).exists(), "every stint has a source"
    assert Move.objects.exclude(from_org=None).exclude(to_org=None).count() >= 20


def test_loaddemo_tells_the_karpathy_story_at_the_precision_of_the_record():
    call_command("loaddemo", verbosity=0)
    career = list(
        Stint.objects.filter(person__slug="andrej-karpathy")
        .select_related("organization", "team", "manager")
        .order_by("start_date")
    )
    assert [s.organization.slug for s in career] == [
        "openai",
        "tesla",
        "openai",
        "eureka-labs",
        "anthropic",
    ]
    anthropic = career[-1]
    assert anthropic.team.slug == "pre-training"
    assert anthropic.manager.slug == "nick-joseph"
    assert anthropic.is_current
    assert (anthropic.start_date, anthropic.start_precision) == (
        dt.date(2026, 5, 19),
        Precision.DAY,
    )
    assert career[1].team is not None and "autopilot" in career[1].team.slug
    move = Move.objects.get(person__slug="andrej-karpathy", to_org__slug="anthropic")
    assert move.kind == Move.Kind.JOIN and move.from_org.slug == "eureka-labs"


def test_loaddemo_twice_changes_nothing():
    call_command("loaddemo", verbosity=0)
    first = _counts()
    stint_ids = set(Stint.objects.values_list("pk", flat=True))
    call_command("loaddemo", verbosity=0)
    assert _counts() == first
    assert set(Stint.objects.values_list("pk", flat=True)) == stint_ids


def test_loaddemo_keeps_what_curators_added():
    call_command("loaddemo", verbosity=0)
    karpathy = Person.objects.get(slug="andrej-karpathy")
    extra = Stint.objects.create(
        person=karpathy,
        organization=Organization.objects.get(slug="stanford-university"),
        start_date=dt.date(2011, 1, 1),
        start_precision=Precision.YEAR,
        end_date=dt.date(2015, 1, 1),
        end_precision=Precision.YEAR,
        title="PhD student",
    )
    call_command("loaddemo", verbosity=0)
    assert Stint.objects.filter(pk=extra.pk).exists()


def test_a_broken_world_file_changes_nothing(tmp_path):
    call_command("loaddemo", verbosity=0)
    before = _counts()
    broken = tmp_path / "world.yaml"
    broken.write_text(
        "organizations:\n  - {slug: new-lab, name: New Lab, kind: lab}\n"
        "people:\n  - slug: someone\n    name: Someone\n    stints:\n"
        "      - {org: nowhere, start: '2020', sources: [{url: 'https://example.org'}]}\n"
    )
    with pytest.raises(CommandError, match="unknown organization 'nowhere'"):
        call_command("loaddemo", file=broken, verbosity=0)
    assert _counts() == before
    assert not Organization.objects.filter(slug="new-lab").exists()


def test_the_demo_curator_exists_only_in_a_demo(settings):
    from django.contrib.auth import get_user_model

    settings.DEMO = True
    call_command("democurator", stdout=StringIO())
    user = get_user_model().objects.get(username="curator")
    assert user.is_staff and user.check_password("curator")
    settings.DEMO, settings.DEBUG = False, True  # DEBUG alone is not a demo
    with pytest.raises(CommandError, match="set DEMO=1"):
        call_command("democurator", username="other", stdout=StringIO())
