from __future__ import annotations

import datetime as dt

import pytest

from talent.models import Precision, Stint
from talent.resolve import Gazetteer
from talent.services import MoveInput, SourceInput, announcement_record
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_changes_made_by_a_curator_are_recorded_with_who_and_can_be_reverted(client, curator):
    who = f.person("Mark Chen")
    f.org("OpenAI")
    announcement, _ = announcement_record(
        move=MoveInput(
            kind="join",
            person="Mark Chen",
            to_org="OpenAI",
            title="Researcher",
            date=dt.date(2018, 6, 1),
            date_precision=Precision.MONTH,
        ),
        source=SourceInput(url="https://news.example.org/chen", evidence="Chen joins OpenAI."),
        gazetteer=Gazetteer.load(),
    )
    client.force_login(curator)
    client.post(f"/review/{announcement.pk}/approve/")
    stint = Stint.objects.get(person=who)
    created = stint.history.earliest()
    assert created.history_type == "+" and created.history_user == curator

    # A curator edits the title in the admin; the history shows both versions.
    stint.title = "Chief research officer"
    stint._change_reason = "promotion"
    stint.save()
    assert stint.history.count() == 2
    page = client.get(f"/admin/talent/stint/{stint.pk}/history/")
    assert page.status_code == 200
    assert b"promotion" in page.content and b"curator" in page.content

    # Reverting to the first version through the admin brings the old title back.
    revert = client.post(
        f"/admin/talent/stint/{stint.pk}/history/{created.history_id}/",
        {
            "person": who.pk,
            "organization": stint.organization_id,
            "title": "Researcher",
            "start_date": "2018-06-01",
            "start_precision": "month",
            "end_precision": "present",
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
            "Stint_sources-TOTAL_FORMS": "0",
            "Stint_sources-INITIAL_FORMS": "0",
        },
    )
    assert revert.status_code in (200, 302)
    stint.refresh_from_db()
    assert stint.title == "Researcher"
    assert announcement.history.filter(state="approved", history_user=curator).exists()
