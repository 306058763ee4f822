from __future__ import annotations

import datetime as dt

import pytest

from talent.models import Announcement, Move, Organization, Person, Precision, Source, Stint, Team
from talent.resolve import Gazetteer
from talent.services import (
    ConflictError,
    MoveInput,
    SourceInput,
    announcement_apply,
    announcement_mark_duplicate,
    announcement_record,
    announcement_reject,
    rumor_settle,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

SOURCE = SourceInput(
    url="https://news.example.org/move", publisher="Example News", evidence="The move, in words."
)


def _announce(source: SourceInput = SOURCE, **move) -> Announcement:
    move.setdefault("date", dt.date(2026, 5, 19))
    move.setdefault("date_precision", Precision.DAY)
    announcement, _ = announcement_record(
        move=MoveInput(**move), source=source, gazetteer=Gazetteer.load()
    )
    return announcement


def _career(person: Person) -> list[tuple]:
    return [
        (s.organization.slug, str(s.start), str(s.end), s.title, s.team.slug if s.team else None)
        for s in person.stints.select_related("organization", "team").order_by("start_date", "id")
    ]


def test_applying_a_join_of_a_new_person_creates_them_and_their_stint(curator):
    lab = f.org("Anthropic")
    a = _announce(
        kind="join",
        person="Ada Example",
        to_org="Anthropic",
        team="Pre-training",
        title="Member of technical staff",
        manager="Nick Joseph",
    )
    applied = announcement_apply(announcement=a, user=curator)
    ada = Person.objects.get(name="Ada Example")
    assert _career(ada) == [
        ("anthropic", "19 May 2026", "present", "Member of technical staff", "pre-training")
    ]
    stint = ada.stints.get()
    assert stint.manager.name == "Nick Joseph"  # a manager the records did not know, created
    assert Team.objects.get(organization=lab, slug="pre-training")
    assert list(stint.sources.values_list("url", flat=True)) == [SOURCE.url]
    assert applied.state == Announcement.State.APPROVED and applied.decided_by == curator
    assert applied.opened_stint == stint and applied.person == ada
    assert Move.objects.get(person=ada).kind == Move.Kind.JOIN


def test_a_known_person_moving_closes_the_stint_they_left(curator):
    who, openai, anthropic = f.person("John Schulman"), f.org("OpenAI"), f.org("Anthropic")
    old = f.stint(who, openai, "2015-12", "present")
    a = _announce(
        kind="join",
        person="John Schulman",
        from_org="OpenAI",
        to_org="Anthropic",
        date=dt.date(2024, 8, 5),
    )
    announcement_apply(announcement=a, user=curator)
    old.refresh_from_db()
    assert (old.end_date, old.end_precision) == (dt.date(2024, 8, 5), Precision.DAY)
    assert old.sources.filter(url=SOURCE.url).exists()  # the end is sourced too
    move = Move.objects.get(person=who, to_org=anthropic)
    assert move.from_org == openai and move.kind == Move.Kind.JOIN
    assert Person.objects.filter(name="John Schulman").count() == 1


def test_a_departure_with_no_destination_only_closes_a_stint(curator):
    who, openai = f.person("Ilya Sutskever"), f.org("OpenAI")
    f.stint(who, openai, "2015", "present")
    a = _announce(
        kind="depart", person="Ilya Sutskever", from_org="OpenAI", date=dt.date(2024, 5, 14)
    )
    announcement_apply(announcement=a, user=curator)
    assert _career(who) == [("openai", "2015", "14 May 2024", "", None)]
    assert Move.objects.filter(person=who, kind=Move.Kind.DEPART, to_org=None).exists()


def test_a_departure_from_somewhere_the_person_is_not_is_a_conflict(curator):
    f.person("Jan Leike"), f.org("OpenAI")
    a = _announce(kind="depart", person="Jan Leike", from_org="OpenAI")
    with pytest.raises(ConflictError, match="not recorded at OpenAI"):
        announcement_apply(announcement=a, user=curator)
    a.refresh_from_db()
    assert a.state == Announcement.State.PENDING and not Stint.objects.exists()


def test_a_join_dated_before_the_current_stint_began_is_a_conflict(curator):
    who = f.person("Mira Murati")
    f.stint(who, f.org("OpenAI"), "2018-06", "present")
    a = _announce(
        kind="join",
        person="Mira Murati",
        from_org="OpenAI",
        to_org="Tesla",
        date=dt.date(2013, 1, 1),
    )
    with pytest.raises(ConflictError, match="before the current stint"):
        announcement_apply(announcement=a, user=curator)


def test_a_promotion_closes_the_old_role_and_opens_the_new_one_at_the_same_place(curator):
    who, openai = f.person("Mark Chen"), f.org("OpenAI")
    f.stint(who, openai, "2018", "present", title="Researcher")
    a = _announce(
        kind="promotion",
        person="Mark Chen",
        to_org="OpenAI",
        title="Chief research officer",
        date=dt.date(2025, 3, 24),
    )
    announcement_apply(announcement=a, user=curator)
    assert [s[3] for s in _career(who)] == ["Researcher", "Chief research officer"]
    assert Move.objects.get(person=who, date=dt.date(2025, 3, 24)).kind == Move.Kind.PROMOTION


def test_a_founding_opens_a_founder_stint_at_a_new_organization(curator):
    who = f.person("Mira Murati")
    f.stint(who, f.org("OpenAI"), "2018-06", "2024-09")
    a = _announce(
        kind="founding",
        person="Mira Murati",
        to_org="Thinking Machines Lab",
        date=dt.date(2025, 2, 18),
    )
    announcement_apply(announcement=a, user=curator)
    lab = Organization.objects.get(name="Thinking Machines Lab")
    assert who.stints.get(organization=lab).is_founder
    assert Move.objects.get(person=who, to_org=lab).kind == Move.Kind.FOUNDING


def test_a_return_is_a_return(curator):
    who, google = f.person("Noam Shazeer"), f.org("Google")
    f.stint(who, google, "2000", "2021")
    f.stint(who, f.org("Character.AI"), "2021", "present")
    a = _announce(
        kind="return",
        person="Noam Shazeer",
        from_org="Character.AI",
        to_org="Google",
        date=dt.date(2024, 8, 2),
    )
    announcement_apply(announcement=a, user=curator)
    assert (
        Move.objects.get(person=who, to_org=google, date=dt.date(2024, 8, 2)).kind
        == Move.Kind.RETURN
    )


def test_applying_twice_changes_nothing_and_a_second_source_only_adds_a_source(curator):
    f.person("Andrej Karpathy"), f.org("Anthropic")
    a = _announce(kind="join", person="Andrej Karpathy", to_org="Anthropic")
    announcement_apply(announcement=a, user=curator)
    announcement_apply(announcement=a, user=curator)
    assert Stint.objects.count() == 1 and Move.objects.count() == 1
    again = _announce(
        SourceInput(url="https://other.example.org/k", publisher="Other", evidence="He joined."),
        kind="join",
        person="Andrej Karpathy",
        to_org="Anthropic",
    )
    assert again.pk == a.pk and again.sources.count() == 2
    assert Stint.objects.count() == 1


def test_a_rumor_confirmed_later_is_applied_and_one_retracted_is_kept_with_why(curator):
    f.person("Alexandr Wang"), f.org("Meta"), f.person("Nat Friedman")
    confirmed = _announce(kind="join", status="rumor", person="Alexandr Wang", to_org="Meta")
    retracted = _announce(kind="join", status="rumor", person="Nat Friedman", to_org="Meta")
    rumor_settle(announcement=confirmed, user=curator, confirmed=True)
    rumor_settle(announcement=retracted, user=curator, confirmed=False, reason="He stayed put.")
    confirmed.refresh_from_db(), retracted.refresh_from_db()
    assert confirmed.state == Announcement.State.CONFIRMED and confirmed.opened_stint
    assert retracted.state == Announcement.State.RETRACTED and retracted.reason == "He stayed put."
    assert not Stint.objects.filter(person__name="Nat Friedman").exists()


def test_rejecting_needs_a_reason_and_is_never_proposed_again(curator):
    a = _announce(kind="join", person="Someone Else", to_org="Nowhere Labs")
    with pytest.raises(ValueError):
        announcement_reject(announcement=a, user=curator, reason="  ")
    announcement_reject(announcement=a, user=curator, reason="Misread headline")
    again = _announce(kind="join", person="Someone Else", to_org="Nowhere Labs")
    assert again.pk == a.pk and again.state == Announcement.State.REJECTED


def test_a_duplicate_hands_its_sources_to_the_original(curator):
    original = _announce(kind="join", person="Jan Leike", to_org="Anthropic")
    copy = _announce(
        SourceInput(url="https://b.example.org/x", publisher="B", evidence="Leike joins."),
        kind="join",
        person="J. Leike",
        to_org="Anthropic",
    )
    assert copy.pk != original.pk
    announcement_mark_duplicate(announcement=copy, original=original, user=curator)
    copy.refresh_from_db()
    assert copy.state == Announcement.State.DUPLICATE and copy.duplicate_of == original
    assert original.sources.count() == 2


def test_confident_resolved_reports_are_auto_approved_when_the_operator_opts_in(settings):
    settings.AUTO_APPROVE_CONFIDENCE = 0.8
    f.person("Durk Kingma"), f.org("Anthropic")
    sure = _announce(kind="join", person="Durk Kingma", to_org="Anthropic", confidence=0.9)
    unsure = _announce(
        kind="join",
        person="Durk Kingma",
        to_org="Anthropic",
        confidence=0.5,
        date=dt.date(2020, 1, 1),
    )
    unknown = _announce(kind="join", person="Nobody Known", to_org="Anthropic", confidence=0.99)
    assert sure.state == Announcement.State.AUTO_APPROVED and sure.opened_stint
    assert Announcement.objects.get(pk=unsure.pk).state == Announcement.State.PENDING
    assert Announcement.objects.get(pk=unknown.pk).state == Announcement.State.PENDING
    assert Source.objects.filter(stints__isnull=False).exists()


def test_approving_a_move_already_recorded_only_adds_its_sources(curator):
    who, lab = f.person("Andrej Karpathy"), f.org("Anthropic")
    stint = f.stint(who, lab, "2026-05-19", "present")
    a = _announce(
        kind="join", person="Andrej Karpathy", to_org="Anthropic", date=dt.date(2026, 5, 19)
    )
    announcement_apply(announcement=a, user=curator)
    assert Stint.objects.filter(person=who).count() == 1
    assert stint.sources.filter(url=SOURCE.url).exists()


def test_outlets_disagreeing_on_the_date_or_team_are_shown_side_by_side(curator):
    from talent.services import announcement_conflicts

    f.person("Ruoming Pang"), f.org("Meta")
    a = _announce(
        SourceInput(
            url="https://a.example.org/1", publisher="Outlet A", evidence="Pang joins Meta."
        ),
        kind="join",
        person="Ruoming Pang",
        to_org="Meta",
        team="superintelligence",
        date=dt.date(2025, 7, 7),
    )
    _announce(
        SourceInput(url="https://b.example.org/2", publisher="Outlet B", evidence="Pang to Meta."),
        kind="join",
        person="Ruoming Pang",
        to_org="Meta",
        team="foundation models",
        date=dt.date(2025, 7, 9),
    )
    problems = announcement_conflicts(a)
    assert any(
        "disagree on the team" in p and "Outlet A" in p and "Outlet B" in p for p in problems
    )
    assert not any("the date" in p for p in problems)  # two days apart is one date


# -- the origin of a move, and dates at their precision ---------------------------------------


def test_a_move_from_somewhere_not_yet_on_record_keeps_its_origin(client, curator):
    """Moves from A to B, the person unknown at A: A is kept as a stint that ends on the
    move's date (start unknown), sourced by the same article, so the move reads "from A"."""
    a = _announce(
        kind="join",
        person="Ada Example",
        from_org="Rival Lab",
        to_org="Anthropic",
        date=dt.date(2024, 5, 28),
    )
    announcement_apply(announcement=a, user=curator)
    ada = Person.objects.get(name="Ada Example")
    assert _career(ada) == [
        ("anthropic", "28 May 2024", "present", "", None),
        ("rival-lab", "unknown", "28 May 2024", "", None),
    ]
    origin = ada.stints.get(organization__slug="rival-lab")
    assert list(origin.sources.values_list("url", flat=True)) == [SOURCE.url]
    move = Move.objects.get(person=ada, date=dt.date(2024, 5, 28))
    assert (move.kind, move.from_org.slug, move.to_org.slug) == ("join", "rival-lab", "anthropic")
    assert not Move.objects.filter(person=ada, kind=Move.Kind.DEPART).exists()
    # Both companies' pages tell it: a join from Rival Lab, a departure to Anthropic.
    assert "Rival Lab" in client.get("/companies/anthropic/").content.decode()
    assert "Anthropic" in client.get("/companies/rival-lab/").content.decode()
    assert "Rival Lab" in client.get(f"/people/{ada.slug}/").content.decode()


def test_a_forced_departure_from_somewhere_not_on_record_keeps_the_stint(curator):
    a = _announce(kind="depart", person="Ada Example", from_org="Rival Lab")
    with pytest.raises(ConflictError, match="no open stint at Rival Lab"):
        announcement_apply(announcement=a, user=curator)
    announcement_apply(announcement=a, user=curator, force=True)
    ada = Person.objects.get(name="Ada Example")
    assert _career(ada) == [("rival-lab", "unknown", "19 May 2026", "", None)]
    departure = Move.objects.get(person=ada, kind=Move.Kind.DEPART)
    assert (departure.from_org.slug, departure.date) == ("rival-lab", dt.date(2026, 5, 19))


def test_a_day_inside_a_known_month_is_no_conflict_and_sharpens_the_start(curator):
    who, lab = f.person("Jan Leike"), f.org("Anthropic")
    stint = f.stint(who, lab, "2024-05", "present")
    a = _announce(kind="join", person="Jan Leike", to_org="Anthropic", date=dt.date(2024, 5, 28))
    from talent.services import announcement_conflicts

    assert announcement_conflicts(a) == []  # not "already at Anthropic since May 2024"
    announcement_apply(announcement=a, user=curator)
    assert _career(who) == [("anthropic", "28 May 2024", "present", "", None)]
    assert who.stints.get().pk == stint.pk
    assert SOURCE.url in stint.sources.values_list("url", flat=True)


@pytest.mark.parametrize(
    ("start", "date", "precision", "expected"),
    [
        ("2024", dt.date(2024, 11, 3), Precision.DAY, []),  # inside the year: the same start
        ("2024-05-28", dt.date(2024, 5, 1), Precision.MONTH, []),  # the month holds that day
        ("2024-05", dt.date(2024, 1, 1), Precision.YEAR, []),  # "2024" is not before May 2024
        (
            "2024-05",
            dt.date(2023, 1, 1),
            Precision.YEAR,
            ["dated 2023, before the current stint at Anthropic began (May 2024)"],
        ),
    ],
)
def test_conflicts_compare_dates_at_the_coarser_precision(start, date, precision, expected):
    from talent.services import announcement_conflicts

    who, lab, other = f.person("Jan Leike"), f.org("Anthropic"), f.org("Elsewhere")
    f.stint(who, lab, start, "present")
    a = _announce(
        kind="join", person="Jan Leike", to_org="Elsewhere", date=date, date_precision=precision
    )
    assert announcement_conflicts(a) == expected
    assert other  # the join is to elsewhere: only the "before" rule can fire


def test_outlets_agree_when_one_gives_the_month_and_another_a_day_in_it():
    from talent.services import disagreements

    for date, precision in ((dt.date(2024, 5, 1), Precision.MONTH), (dt.date(2024, 5, 28), "day")):
        a = _announce(
            source=SourceInput(url=f"https://news.example.org/{precision}", publisher=precision),
            kind="join",
            person="Ada Example",
            to_org="Anthropic",
            date=date,
            date_precision=precision,
        )
    assert disagreements(list(a.reports.select_related("source"))) == []
    _announce(
        source=SourceInput(url="https://news.example.org/late", publisher="Late"),
        kind="join",
        person="Ada Example",
        to_org="Anthropic",
        date=dt.date(2024, 6, 20),
    )
    [problem] = disagreements(list(a.reports.select_related("source")))
    assert problem.startswith("outlets disagree on the date")


def test_names_lose_hidden_bidi_and_zero_width_formatting_before_they_become_records():
    a = _announce(
        source=SourceInput(url="https://news.example.org/x", evidence="Evil hires\ufeff Mallory."),
        kind="join",
        person="Mallory\u202e yrollam\u200b Evilson",
        to_org="Evil\u2066 Corp\u2069",
    )
    assert a.person_name == "Mallory yrollam Evilson"
    assert a.to_org_name == "Evil Corp" and a.evidence == "Evil hires Mallory."


def test_applying_says_what_it_changed(curator):
    who, google, anthropic = f.person("Durk Kingma"), f.org("Google"), f.org("Anthropic")
    f.stint(who, google, "2021", "present")
    moving = _announce(
        kind="join",
        person="Durk Kingma",
        from_org="Google",
        to_org="Anthropic",
        date=dt.date(2024, 10, 1),
        date_precision=Precision.MONTH,
    )
    applied = announcement_apply(announcement=moving, user=curator)
    assert applied.changes == [
        "closed the stint at Google (2021 – Oct 2024)",
        "opened a stint at Anthropic (since Oct 2024)",
    ]
    assert announcement_apply(announcement=moving, user=curator).changes == [
        "nothing: it was already applied"
    ]
    other = f.person("Andrej Karpathy")
    f.stint(other, anthropic, "2026-05", "present")
    known = _announce(kind="join", person="Andrej Karpathy", to_org="Anthropic")
    assert announcement_apply(announcement=known, user=curator).changes == [
        "added the source to the existing stint at Anthropic (since 19 May 2026)"
    ]
