from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from talent.models import (
    Organization,
    OrganizationAlias,
    PartialDate,
    Person,
    PersonAlias,
    Precision,
    Source,
    Stint,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def _stint(**fields) -> Stint:
    return Stint(person=f.person(), organization=f.org(), **fields)


def test_it_rejects_a_stint_that_ends_before_it_starts():
    row = _stint(
        start_date=dt.date(2020, 5, 1),
        start_precision=Precision.MONTH,
        end_date=dt.date(2019, 1, 1),
        end_precision=Precision.YEAR,
    )
    with pytest.raises(IntegrityError, match="stint_ends_after_start"):
        row.save()


def test_it_compares_partial_dates_at_the_ends_precision():
    # Started 20 June 2017, ended "2017": consistent, although 2017-01-01 < 2017-06-20.
    row = _stint(
        start_date=dt.date(2017, 6, 20),
        start_precision=Precision.DAY,
        end_date=dt.date(2017, 1, 1),
        end_precision=Precision.YEAR,
    )
    row.save()
    assert row.pk


def test_it_rejects_a_month_end_before_a_day_start_in_an_earlier_month():
    row = _stint(
        start_date=dt.date(2017, 6, 20),
        start_precision=Precision.DAY,
        end_date=dt.date(2017, 5, 1),
        end_precision=Precision.MONTH,
    )
    with pytest.raises(IntegrityError):
        row.save()


def test_it_requires_a_date_exactly_when_the_precision_says_it_is_known():
    with transaction.atomic(), pytest.raises(IntegrityError, match="start_date_matches"):
        _stint(start_date=None, start_precision=Precision.YEAR).save()
    with transaction.atomic(), pytest.raises(IntegrityError, match="end_date_matches"):
        _stint(end_date=dt.date(2020, 1, 1), end_precision=Precision.PRESENT).save()
    with pytest.raises(IntegrityError, match="stint_start"):
        _stint(start_precision=Precision.PRESENT).save()


def test_it_keeps_an_open_end_distinct_from_an_unknown_end():
    still_there = f.stint(f.person(), f.org(), "2020", "present")
    left_sometime = f.stint(f.person(), f.org(), "2020", "unknown")
    assert list(Stint.objects.current()) == [still_there]
    assert left_sometime.end.precision == Precision.UNKNOWN and not left_sometime.is_current


def test_it_requires_unique_slugs():
    f.org("Anthropic")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Organization.objects.create(name="Anthropic PBC", slug="anthropic")
    f.person("Nick Joseph")
    with pytest.raises(IntegrityError):
        Person.objects.create(name="Nick Joseph", slug="nick-joseph")


def test_it_rejects_an_alias_repeated_with_other_case_or_accents():
    who = f.person("Karén Simonyan")
    PersonAlias.objects.create(person=who, name="Karen Simonyan")
    with transaction.atomic(), pytest.raises(IntegrityError):
        PersonAlias.objects.create(person=who, name="KARÉN SIMONYAN")
    lab = f.org("DeepMind Technologies")
    OrganizationAlias.objects.create(organization=lab, name="DeepMind")
    with pytest.raises(IntegrityError):
        OrganizationAlias.objects.create(organization=lab, name="deepmind")


def test_an_organization_cannot_be_its_own_parent():
    lab = f.org()
    lab.parent = lab
    with pytest.raises(IntegrityError):
        lab.save()


def test_the_same_sentence_from_the_same_page_is_one_source():
    Source.objects.create(url="https://example.org/a", evidence="X joined Y.")
    Source.objects.create(url="https://example.org/a", evidence="X led Z.")
    with pytest.raises(IntegrityError):
        Source.objects.create(url="https://example.org/a", evidence="X joined Y.")


@pytest.mark.parametrize(
    ("text", "date", "precision", "upper"),
    [
        ("2017", dt.date(2017, 1, 1), Precision.YEAR, dt.date(2017, 12, 31)),
        ("2024-02", dt.date(2024, 2, 1), Precision.MONTH, dt.date(2024, 2, 29)),
        ("2026-05-19", dt.date(2026, 5, 19), Precision.DAY, dt.date(2026, 5, 19)),
        ("unknown", None, Precision.UNKNOWN, None),
    ],
)
def test_partial_dates_parse_with_their_precision(text, date, precision, upper):
    value = PartialDate.parse(text)
    assert (value.date, value.precision, value.upper) == (date, precision, upper)


@pytest.mark.parametrize("text", ["2017-13", "20x7", "2017-06-20-1", "present"])
def test_partial_dates_refuse_what_they_cannot_read(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_stints_on_a_day_include_those_that_could_have_covered_it():
    lab = f.org()
    known = f.stint(f.person(), lab, "2019-03-01", "2021-06-30")
    yearly = f.stint(f.person(), lab, "2018", "2020")
    f.stint(f.person(), lab, "2022", "present")
    f.stint(f.person(), lab, "2015", "2019-12")
    on_day = set(Stint.objects.filter(organization=lab).on(dt.date(2020, 7, 1)))
    assert on_day == {known, yearly}
