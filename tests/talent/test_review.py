from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from talent.models import Announcement, Precision, Stint
from talent.resolve import Gazetteer
from talent.services import MoveInput, SourceInput, announcement_record
from tests import factories as f

pytestmark = pytest.mark.django_db
PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


def _pending(person="Durk Kingma", to_org="Anthropic", **move) -> Announcement:
    move.setdefault("kind", "join")
    announcement, _ = announcement_record(
        move=MoveInput(
            person=person,
            to_org=to_org,
            date=dt.date(2024, 10, 1),
            date_precision=Precision.DAY,
            confidence=0.9,
            **move,
        ),
        source=SourceInput(
            url=f"https://news.example.org/{person}",
            publisher="Example News",
            evidence=f"{person} has joined {to_org}.",
        ),
        gazetteer=Gazetteer.load(),
    )
    return announcement


ACTIONS = ["approve", "reject", "duplicate", "skip", "edit"]


def test_the_queue_and_every_action_need_the_review_right(client, stranger, viewer):
    a = _pending()
    urls = ["/review/", "/review/bulk-approve/"] + [
        f"/review/{a.pk}/{action}/" for action in ACTIONS
    ]

    def answer(url):
        return client.post(url, {"reason": "x"}) if url != "/review/" else client.get(url)

    for url in urls:
        response = answer(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    # Signed in without the right, even as staff with every view permission: refused.
    for user in (stranger, viewer):
        client.force_login(user)
        for url in urls:
            assert answer(url).status_code == 403, (user, url)
    a.refresh_from_db()
    assert a.state == Announcement.State.PENDING


def test_a_refusal_in_the_queue_is_a_line_in_place_for_htmx(client, viewer):
    a = _pending()
    client.force_login(viewer)
    response = client.post(
        f"/review/{a.pk}/approve/", headers={"HX-Request": "true", "HX-Request-Type": "partial"}
    )
    assert response.status_code == 403 and response["X-Error-Fragment"] == "1"
    assert "You do not have the right to do that." in response.content.decode()


def test_actions_refuse_a_post_without_csrf(curator):
    a = _pending()
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    for action in ACTIONS:
        assert client.post(f"/review/{a.pk}/{action}/").status_code == 403


def test_the_queue_shows_evidence_sources_and_new_names(client, curator):
    f.org("Anthropic")
    _pending()
    client.force_login(curator)
    body = client.get("/review/").content.decode()
    assert '<strong id="pending-count">1</strong> pending' in body
    assert "<mark>Durk Kingma</mark> has joined <mark>Anthropic</mark>." in body
    assert "new person" in body and "Example News" in body


def test_the_queue_shows_conflicts_side_by_side(client, curator):
    who = f.person("Durk Kingma")
    f.stint(who, f.org("Anthropic"), "2023-01", "present")
    _pending()
    client.force_login(curator)
    assert "is already at Anthropic since Jan 2023" in client.get("/review/").content.decode()


def test_approving_without_javascript_applies_and_redirects(client, curator):
    a = _pending()
    client.force_login(curator)
    response = client.post(f"/review/{a.pk}/approve/", follow=True)
    assert response.redirect_chain[-1][0] == "/review/"
    assert b"approved: opened a stint at Anthropic (since 1 Oct 2024)" in response.content
    assert Stint.objects.filter(person__name="Durk Kingma", organization__name="Anthropic").exists()


def test_htmx_actions_return_the_outcome_in_place(client, curator):
    first, second = _pending(), _pending(person="Jan Leike")
    client.force_login(curator)
    response = client.post(f"/review/{first.pk}/reject/", {"reason": "Misread"}, headers=PARTIAL)
    assert b"<html" not in response.content and b"rejected: Misread" in response.content
    response = client.post(f"/review/{second.pk}/reject/", {"reason": ""}, headers=PARTIAL)
    assert b"say why it is rejected" in response.content
    second.refresh_from_db()
    assert second.state == Announcement.State.PENDING


def test_skipped_announcements_go_to_the_back(client, curator):
    high = _pending(person="Alpha Person")
    _pending(person="Beta Person")
    client.force_login(curator)
    body = client.get("/review/").content.decode()
    assert body.index("Alpha Person") < body.index("Beta Person")
    client.post(f"/review/{high.pk}/skip/")
    cards = client.get("/review/").content.decode().split('class="review-cards"')[1]
    assert cards.index("Beta Person") < cards.index("Alpha Person")


def test_bulk_approval_applies_the_selection_and_holds_back_conflicts(client, curator):
    who = f.person("Busy Person")
    f.stint(who, f.org("Anthropic"), "2023-01", "present")
    ok, clash = _pending(person="Fine Person"), _pending(person="Busy Person")
    client.force_login(curator)
    response = client.post("/review/bulk-approve/", {"selected": [ok.pk, clash.pk]}, follow=True)
    assert b"Approved 1." in response.content and b"Held back" in response.content
    ok.refresh_from_db(), clash.refresh_from_db()
    assert ok.state == Announcement.State.APPROVED and clash.state == Announcement.State.PENDING


def test_editing_before_approving_links_a_known_person(client, curator):
    known = f.person("Diederik Kingma")
    a = _pending(person="Durk Kingma")
    client.force_login(curator)
    form = client.get(f"/review/{a.pk}/edit/").content.decode()
    assert "Diederik Kingma" in form  # offered as a candidate
    response = client.post(
        f"/review/{a.pk}/edit/",
        {
            "kind": "join",
            "status": "reported",
            "person": known.pk,
            "person_name": "Durk Kingma",
            "from_org_name": "Google",
            "to_org_name": "Anthropic",
            "team_name": "",
            "title": "Researcher",
            "manager_name": "",
            "date": "2024-10-01",
            "date_precision": "month",
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.person == known and a.person_name == "Diederik Kingma" and a.title == "Researcher"
    bad = client.post(
        f"/review/{a.pk}/edit/",
        {"kind": "depart", "status": "reported", "person_name": "X", "date": "2024-13-40"},
    )
    assert bad.status_code == 422


def test_the_queue_costs_the_same_queries_with_more_announcements(client, curator):
    client.force_login(curator)
    for i in range(3):
        _pending(person=f"Person {i} Example")
    client.get("/review/")
    with CaptureQueriesContext(connection) as few:
        client.get("/review/")
    for i in range(3, 15):
        _pending(person=f"Person {i} Example")
    with CaptureQueriesContext(connection) as many:
        client.get("/review/")
    assert len(many) <= len(few) <= 12


def test_the_admin_lists_filters_and_approves_announcements(client, curator):
    a = _pending()
    client.force_login(curator)
    assert (
        b"Durk Kingma"
        in client.get("/admin/talent/announcement/?state=pending&confidence=high").content
    )
    client.post(
        "/admin/talent/announcement/", {"action": "approve_selected", "_selected_action": [a.pk]}
    )
    a.refresh_from_db()
    assert a.state == Announcement.State.APPROVED


def test_a_rumor_is_confirmed_or_retracted_from_the_queue(client, curator):
    f.org("Meta")
    confirmed = _pending(person="Alexandr Wang", to_org="Meta", status="rumor")
    retracted = _pending(person="Nat Friedman", to_org="Meta", status="rumor")
    client.force_login(curator)
    body = client.get("/review/").content.decode()
    assert "Confirm</button>" in body and "Retract</button>" in body
    client.post(f"/review/{confirmed.pk}/approve/")
    client.post(f"/review/{retracted.pk}/reject/", {"reason": "Denied by both"})
    confirmed.refresh_from_db(), retracted.refresh_from_db()
    assert confirmed.state == Announcement.State.CONFIRMED and confirmed.status == "reported"
    assert confirmed.opened_stint is not None
    assert retracted.state == Announcement.State.RETRACTED and retracted.reason == "Denied by both"


def test_the_queue_pages_on_by_keyset_and_skipped_ones_come_last(client, curator):
    client.force_login(curator)
    made = [_pending(person=f"Paged Person {i:02d}") for i in range(25)]
    client.post(f"/review/{made[0].pk}/skip/")
    seen, url = [], "/review/"
    while url:
        body = client.get(url).content.decode()
        cards = body.split('class="review-cards"')[1].split('aria-label="Pages of the queue"')[0]
        here = [a.pk for a in made if f'id="ann-{a.pk}"' in cards]
        seen += sorted(here, key=lambda pk: cards.index(f'id="ann-{pk}"'))
        assert '<strong id="pending-count">25</strong>' in body
        marker = 'rel="next"'
        url = (
            "/review/" + body.split(marker)[0].rsplit('href="', 1)[1].split('"')[0]
            if (marker in body)
            else ""
        )
    assert sorted(seen) == sorted(a.pk for a in made) and len(seen) == 25
    assert seen[-1] == made[0].pk  # skipped: at the very end


def test_a_decision_in_place_updates_the_pending_count(client, curator):
    first, _ = _pending(), _pending(person="Jan Leike")
    client.force_login(curator)
    response = client.post(f"/review/{first.pk}/approve/", headers=PARTIAL)
    body = response.content.decode()
    assert "approved: opened a stint at Anthropic" in body
    assert '<strong id="pending-count" hx-swap-oob="true">1</strong>' in body


def test_a_conflict_keeps_the_card_with_apply_anyway_and_edit(client, curator):
    who = f.person("Busy Person")
    f.stint(who, f.org("Anthropic"), "2023-01", "present")
    clash = _pending(person="Busy Person")
    client.force_login(curator)
    body = client.post(f"/review/{clash.pk}/approve/", headers=PARTIAL).content.decode()
    assert "Not applied: Busy Person is already at Anthropic" in body
    assert 'name="force" value="on">Apply anyway</button>' in body
    assert f'href="/review/{clash.pk}/edit/"' in body and "Reload the queue" not in body
    body = client.post(
        f"/review/{clash.pk}/approve/", {"force": "on"}, headers=PARTIAL
    ).content.decode()
    assert "approved:" in body
