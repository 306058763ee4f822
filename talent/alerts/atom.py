"""Atom 1.0 feeds of moves (all, a company's, a team's, a person's, a direction's) and of
corrections. Entry ids are tag: URIs built from what does not change when moves are
rebuilt or records merged (the stint a move goes into or out of, the merge's id)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_GET

from talent import merging, queries
from talent.alerts.messages import absolute, mail_domain, move_line
from talent.alerts.models import Follow
from talent.models import (
    Announcement,
    Merge,
    Move,
    Organization,
    Person,
    Team,
    format_partial,
)

ENTRIES = 50
TAG_DATE = "2025"
EPOCH = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def tag(path: str) -> str:
    return f"tag:{mail_domain()},{TAG_DATE}:{path}"


def move_tag(move: Move) -> str:
    if move.kind == Move.Kind.DEPART:
        return tag(f"move/out-of-stint-{move.from_stint_id}")
    return tag(f"move/into-stint-{move.to_stint_id}")


def _feed(title: str, page: str, feed_path: str, subtitle: str = "") -> Atom1Feed:
    return Atom1Feed(
        title=title,
        link=absolute(page),
        description=subtitle or title,
        feed_url=absolute(feed_path),
        feed_guid=tag(feed_path),
        author_name="Talent Tracker",
        language="en",
    )


def _response(feed: Atom1Feed) -> HttpResponse:
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _moves_feed(feed: Atom1Feed, moves: QuerySet) -> HttpResponse:
    for move in queries.moves_with_sources(moves.order_by(*Move._meta.ordering))[:ENTRIES]:
        stint = move.to_stint or move.from_stint
        sources = list(stint.sources.all()) if stint else []
        stamps = [s.updated for s in (move.to_stint, move.from_stint) if s]
        created = [s.created for s in (move.to_stint, move.from_stint) if s]
        evidence = next((s.evidence for s in sources if s.evidence), "")
        body = "".join(
            [
                f"<p>{_esc(move_line(move))}</p>",
                f"<blockquote>{_esc(evidence)}</blockquote>" if evidence else "",
                "<ul>",
                *(
                    f'<li><a href="{_esc(s.url)}">{_esc(s.title or s.publisher or s.url)}</a></li>'
                    for s in sources
                ),
                "</ul>",
            ]
        )
        feed.add_item(
            title=move_line(move),
            link=absolute(move.person.get_absolute_url()),
            description=body,
            unique_id=move_tag(move),
            unique_id_is_permalink=False,
            pubdate=min(created) if created else EPOCH,
            updateddate=max(stamps) if stamps else EPOCH,
            categories=[move.kind],
        )
    return _response(feed)


def _esc(text: str) -> str:
    return escape(text)


@require_GET
def moves(request: HttpRequest) -> HttpResponse:
    """All moves, or a direction: ?from=<company>&to=<company>&kinds=joins|departures|…"""
    from_slug, to_slug = request.GET.get("from", ""), request.GET.get("to", "")
    kinds = request.GET.get("kinds", Follow.Kinds.ALL)
    if not from_slug and not to_slug:
        return _moves_feed(
            _feed("Talent Tracker: all moves", reverse("talent:moves"), request.get_full_path()),
            Move.objects.all(),
        )
    from_org = get_object_or_404(Organization, slug=from_slug) if from_slug else None
    to_org = get_object_or_404(Organization, slug=to_slug) if to_slug else None
    if kinds not in Follow.Kinds.values:
        raise Http404("Unknown kinds")
    # A direction is between two organizations: a new role inside one is in neither.
    query = Move.objects.exclude(from_org=F("to_org"))
    if from_org:
        query = query.filter(from_org=from_org)
    if to_org:
        query = query.filter(to_org=to_org)
    query = query.filter(_kinds_filter(kinds))
    label = f"{from_org.name if from_org else 'anywhere'} → {to_org.name if to_org else 'anywhere'}"
    page = reverse("talent:alerts-direction") + f"?from={from_slug}&to={to_slug}"
    return _moves_feed(
        _feed(f"Talent Tracker: {label}", page, _canonical(from_slug, to_slug, kinds)), query
    )


def _canonical(from_slug: str, to_slug: str, kinds: str) -> str:
    params = [f"from={from_slug}" if from_slug else "", f"to={to_slug}" if to_slug else ""]
    if kinds != Follow.Kinds.ALL:
        params.append(f"kinds={kinds}")
    return reverse("talent:feed-moves") + "?" + "&".join(p for p in params if p)


def _kinds_filter(kinds: str) -> Q:
    """The same reading of kinds as the follows' (FollowQuerySet.matching)."""
    if kinds == Follow.Kinds.JOINS:
        return Q(kind__in=[Move.Kind.JOIN, Move.Kind.RETURN])
    if kinds == Follow.Kinds.FOUNDINGS:
        return Q(kind=Move.Kind.FOUNDING)
    if kinds == Follow.Kinds.DEPARTURES:
        return Q(from_org__isnull=False) & (Q(to_org__isnull=True) | ~Q(to_org=F("from_org")))
    return Q()


def _or_redirect(kind: str, slug: str, model, **extra):
    found = model.objects.filter(slug=slug, **extra).first()
    if found is None:
        moved = merging.redirect_target(kind, slug)
        if moved is None:
            raise Http404(f"No such {kind}")
        return moved
    return found


@require_GET
def company(request: HttpRequest, slug: str) -> HttpResponse:
    org = _or_redirect("organization", slug, Organization)
    path = reverse("talent:feed-company", args=[org.slug])
    return _moves_feed(
        _feed(f"Talent Tracker: {org.name}", org.get_absolute_url(), path),
        Move.objects.filter(Q(from_org=org) | Q(to_org=org)),
    )


@require_GET
def person(request: HttpRequest, slug: str) -> HttpResponse:
    who = _or_redirect("person", slug, Person)
    path = reverse("talent:feed-person", args=[who.slug])
    return _moves_feed(
        _feed(f"Talent Tracker: {who.name}", who.get_absolute_url(), path),
        Move.objects.filter(person=who),
    )


@require_GET
def team(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    found = get_object_or_404(
        Team.objects.select_related("organization"), organization__slug=slug, slug=team_slug
    )
    path = reverse("talent:feed-team", args=[slug, team_slug])
    return _moves_feed(
        _feed(
            f"Talent Tracker: {found.name} ({found.organization.name})",
            found.get_absolute_url(),
            path,
        ),
        Move.objects.filter(Q(team=found) | Q(from_stint__team=found)),
    )


# -- corrections ------------------------------------------------------------------------------

# Date and team fixes: updates of a stint's dates or team, read from its history (each change
# next to the version before it). Bounded: only the latest changes are looked at.
_STINT_FIXES = """
SELECT * FROM (
    SELECT h.history_id, h.history_date, h.id, h.person_id, h.organization_id, h.history_type,
           h.start_date, h.start_precision, h.end_date, h.end_precision, h.team_id,
           LAG(h.start_date) OVER w AS prev_start_date,
           LAG(h.start_precision) OVER w AS prev_start_precision,
           LAG(h.end_date) OVER w AS prev_end_date,
           LAG(h.end_precision) OVER w AS prev_end_precision,
           LAG(h.team_id) OVER w AS prev_team_id,
           LAG(h.history_id) OVER w AS prev_history_id
    FROM talent_historicalstint h
    WHERE h.id IN (
        SELECT id FROM talent_historicalstint WHERE history_type = '~'
        ORDER BY history_date DESC LIMIT 200)
    WINDOW w AS (PARTITION BY h.id ORDER BY h.history_date, h.history_id)
) AS changes
WHERE history_type = '~' AND prev_history_id IS NOT NULL AND (
    start_date IS DISTINCT FROM prev_start_date
    OR start_precision IS DISTINCT FROM prev_start_precision
    OR (end_date IS DISTINCT FROM prev_end_date AND prev_end_precision <> 'present')
    OR (end_precision IS DISTINCT FROM prev_end_precision AND prev_end_precision <> 'present')
    OR team_id IS DISTINCT FROM prev_team_id)
ORDER BY history_date DESC
LIMIT %s
"""


def _stint_fixes() -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(_STINT_FIXES, [ENTRIES])
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _date(date, precision) -> str:
    return format_partial(date, precision)


@require_GET
def corrections(request: HttpRequest) -> HttpResponse:
    """Public record of what we changed: merges (and their undoing), rumors retracted, and
    stints whose dates or team were fixed."""
    feed = _feed(
        "Talent Tracker: corrections",
        reverse("talent:moves"),
        reverse("talent:feed-corrections"),
        "Merges, retractions, and fixed dates and teams",
    )
    items: list[dict] = []
    records = list(Merge.objects.order_by("-created")[:ENTRIES])
    # The records merged into, one query per kind (a fixed number, however many merges).
    targets = {
        kind: (
            model.objects.select_related("organization") if kind == "team" else model.objects
        ).in_bulk({r.target_id for r in records if r.kind == kind})
        for kind, model in merging.MODELS.items()
    }
    for record in records:
        target = targets[record.kind].get(record.target_id)
        into = target.name if target else "a record since removed"
        link = target.get_absolute_url() if target else reverse("talent:home")
        items.append(
            {
                "title": f"Merged {record.get_kind_display()} “{record.old_name}” into {into}",
                "id": tag(f"merge/{record.pk}"),
                "when": record.created,
                "link": link,
                "body": f"“{record.old_name}” ({record.old_slug}) was the same {record.kind} as"
                f" {into}; its old address now redirects.",
            }
        )
        if record.undone_at:
            items.append(
                {
                    "title": f"Undid the merge of “{record.old_name}” into {into}",
                    "id": tag(f"merge/{record.pk}/undone"),
                    "when": record.undone_at,
                    "link": link,
                    "body": f"“{record.old_name}” is a record of its own again.",
                }
            )
    for a in (
        Announcement.objects.filter(state=Announcement.State.RETRACTED, decided_at__isnull=False)
        .select_related("person")
        .order_by("-decided_at")[:ENTRIES]
    ):
        items.append(
            {
                "title": f"Retracted: {a}",
                "id": tag(f"retraction/{a.pk}"),
                "when": a.decided_at,
                "link": reverse("talent:person", args=[a.person.slug])
                if a.person_id
                else reverse("talent:moves"),
                "body": f"The rumor that {a} was retracted: {a.reason}",
            }
        )
    fixes = _stint_fixes()
    people = Person.objects.in_bulk({f["person_id"] for f in fixes})
    orgs = Organization.objects.in_bulk({f["organization_id"] for f in fixes})
    teams = Team.objects.in_bulk({t for f in fixes for t in (f["team_id"], f["prev_team_id"]) if t})
    for fix in fixes:
        who, where = people.get(fix["person_id"]), orgs.get(fix["organization_id"])
        if who is None or where is None:
            continue
        changes = []
        if (fix["start_date"], fix["start_precision"]) != (
            fix["prev_start_date"],
            fix["prev_start_precision"],
        ):
            was = _date(fix["prev_start_date"], fix["prev_start_precision"])
            changes.append(f"start {was} → {_date(fix['start_date'], fix['start_precision'])}")
        if (fix["end_date"], fix["end_precision"]) != (
            fix["prev_end_date"],
            fix["prev_end_precision"],
        ):
            was = _date(fix["prev_end_date"], fix["prev_end_precision"])
            changes.append(f"end {was} → {_date(fix['end_date'], fix['end_precision'])}")
        if fix["team_id"] != fix["prev_team_id"]:
            was, now = teams.get(fix["prev_team_id"]), teams.get(fix["team_id"])
            changes.append(f"team {was.name if was else 'none'} → {now.name if now else 'none'}")
        items.append(
            {
                "title": f"Fixed {who.name} at {where.name}: {'; '.join(changes)}",
                "id": tag(f"stint-fix/{fix['history_id']}"),
                "when": fix["history_date"],
                "link": who.get_absolute_url(),
                "body": f"{who.name} at {where.name}: {'; '.join(changes)}.",
            }
        )
    items.sort(key=lambda item: item["when"], reverse=True)
    for item in items[:ENTRIES]:
        feed.add_item(
            title=item["title"],
            link=absolute(item["link"]),
            description=_esc(item["body"]),
            unique_id=item["id"],
            unique_id_is_permalink=False,
            updateddate=item["when"],
            pubdate=item["when"],
        )
    return _response(feed)
