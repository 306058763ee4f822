"""The read-only JSON API under /api/: the same data and the same numbers as the pages.

Plain views returning JSON. Lists page by keyset (``next`` is the URL of the next page),
every response carries an ETag (a conditional request that matches gets 304), and each
client address has a request budget (``API_RATE``). The OpenAPI description is
``talent.openapi``, served at /api/schema/ and tested against these responses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited

from talent import queries
from talent.flows.company import company_flows as flows_for_company
from talent.flows.export import company_flows_json
from talent.flows.filters import RangeError, moves_page, parse_move_filter
from talent.flows.matrix import flow_matrix
from talent.flows.periods import parse_range
from talent.models import (
    DataVersion,
    Move,
    Organization,
    PartialDate,
    Person,
    Source,
    Stint,
    Team,
)
from talent.pagecache import SECTION_SECONDS
from talent.templatetags.talent import move_sources

PAGE = 50
MAX_PAGE = 200


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _encode(data) -> tuple[bytes, str]:
    """The body, and the next page's URL for the Link header."""
    body = json.dumps(data, cls=DjangoJSONEncoder, separators=(",", ":")).encode()
    following = data.get("next") if isinstance(data, dict) else None
    return body, following or ""


def _json(request: HttpRequest, data, *, status: int = 200) -> HttpResponse:
    return _respond(request, *_encode(data), status=status)


def _respond(request: HttpRequest, body: bytes, following: str, *, status: int = 200):
    etag = f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
    if status == 200 and etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    response = HttpResponse(body, status=status, content_type="application/json")
    if status == 200:
        response["ETag"] = etag
        response["Cache-Control"] = "public, max-age=60"
        if following:
            response["Link"] = f'<{following}>; rel="next"'
    return response


def _cached(request: HttpRequest, build: Callable[[], object]) -> tuple[bytes, str]:
    """The answer for this URL and this version of the data, built once (pagecache.py:
    the version changes with every write, so an answer is never stale)."""
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    key = f"api:{DataVersion.current()}:{timezone.localdate()}:{path}"
    fragments = caches["template_fragments"]
    answer = fragments.get(key)
    if answer is None:
        answer = _encode(build())
        fragments.set(key, answer, SECTION_SECONDS)
    return answer


def api_view(view: Callable) -> Callable:
    """GET only, rate-limited per client address, errors as JSON ({"error": ...})."""

    @require_GET
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if is_ratelimited(
            request, group="api", key="ip", rate=settings.API_RATE, method="GET", increment=True
        ):
            response = _json(request, {"error": "Too many requests; slow down."}, status=429)
            response["Retry-After"] = "60"
            return response
        try:
            return _respond(request, *_cached(request, lambda: view(request, *args, **kwargs)))
        except ApiError as exc:
            return _json(request, {"error": exc.message}, status=exc.status)
        except RangeError as exc:
            return _json(request, {"error": str(exc)}, status=400)

    return wrapper


def _limit(request: HttpRequest) -> int:
    try:
        return max(1, min(MAX_PAGE, int(request.GET.get("limit", PAGE))))
    except ValueError:
        raise ApiError(400, "limit must be a whole number") from None


def _next(request: HttpRequest, cursor: str | None) -> str | None:
    if not cursor:
        return None
    params = {k: v for k, v in request.GET.items() if k != "after"}
    params["after"] = cursor
    return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")


def _since(request: HttpRequest) -> dt.datetime | None:
    raw = (request.GET.get("updated_since") or "").strip()
    if not raw:
        return None
    moment = parse_datetime(raw)
    if moment is None and parse_date(raw):
        moment = dt.datetime.combine(parse_date(raw), dt.time())
    if moment is None:
        raise ApiError(400, "updated_since takes an ISO date or date-time")
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _keyset(request: HttpRequest, queryset, *, since: dt.datetime | None):
    """A page of ``queryset`` by id, or with ``updated_since`` by (updated, id): the order
    a client syncing changes wants, read off the (updated, id) indexes."""
    limit, after = _limit(request), request.GET.get("after", "")
    if since is None:
        if after:
            if not after.isdigit():
                raise ApiError(400, "malformed cursor; start from the first page")
            queryset = queryset.filter(pk__gt=int(after))
        rows = list(queryset.order_by("pk")[: limit + 1])
        cursor = str(rows[limit - 1].pk) if len(rows) > limit else None
        return rows[:limit], cursor
    queryset = queryset.filter(updated__gte=since)
    if after:
        moment, _, pk = after.rpartition("_")
        when = parse_datetime(moment)
        if when is None or not pk.isdigit():
            raise ApiError(400, "malformed cursor; start from the first page")
        queryset = queryset.filter(Q(updated__gte=when) & ~Q(updated=when, pk__lte=int(pk)))
    rows = list(queryset.order_by("updated", "pk")[: limit + 1])
    cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        cursor = f"{last.updated.isoformat()}_{last.pk}"
    return rows[:limit], cursor


def _page(request: HttpRequest, rows, cursor, serialize) -> dict:
    return {"results": [serialize(r) for r in rows], "next": _next(request, cursor)}


# -- shapes ---------------------------------------------------------------------------------------


def _partial(date: dt.date | None, precision: str) -> dict:
    return {
        "date": date.isoformat() if date else None,
        "precision": precision,
        "text": str(PartialDate(date, precision)),
    }


def _source(source: Source) -> dict:
    return {
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "published_on": source.published_on,
        "evidence": source.evidence,
    }


def person_json(person: Person) -> dict:
    return {
        "slug": person.slug,
        "name": person.name,
        "url": person.get_absolute_url(),
        "updated": person.updated,
    }


def organization_json(org: Organization) -> dict:
    return {
        "slug": org.slug,
        "name": org.name,
        "kind": org.kind,
        "country": org.country,
        "domain": org.domain,
        "parent": org.parent.slug if org.parent else None,
        "url": org.get_absolute_url(),
        "updated": org.updated,
    }


def team_json(team: Team) -> dict:
    return {
        "slug": team.slug,
        "name": team.name,
        "organization": team.organization.slug,
        "parent": team.parent.slug if team.parent else None,
        "updated": team.updated,
    }


def stint_json(stint: Stint) -> dict:
    return {
        "id": stint.pk,
        "person": stint.person.slug,
        "organization": stint.organization.slug,
        "team": stint.team.slug if stint.team else None,
        "title": stint.title,
        "manager": stint.manager.slug if stint.manager else None,
        "is_founder": stint.is_founder,
        "start": _partial(stint.start_date, stint.start_precision),
        "end": _partial(stint.end_date, stint.end_precision),
        "sources": [_source(s) for s in stint.sources.all()],
        "updated": stint.updated,
    }


def move_json(move: Move) -> dict:
    return {
        "id": move.pk,
        "kind": move.kind,
        "person": move.person.slug,
        "from": move.from_org.slug if move.from_org else None,
        "to": move.to_org.slug if move.to_org else None,
        "team": move.team.slug if move.team else None,
        "title": move.title,
        "date": _partial(move.date, move.date_precision),
        "sources": [_source(s) for s in move_sources(move)],
        "updated": move.updated,
    }


def _stints():
    return Stint.objects.select_related(
        "person", "organization", "team", "manager"
    ).prefetch_related(Prefetch("sources", queryset=Source.objects.order_by("-published_on", "id")))


# -- views ----------------------------------------------------------------------------------------


@api_view
def index(request: HttpRequest) -> dict:
    base = request.build_absolute_uri("/api/")
    return {
        "people": f"{base}people/",
        "organizations": f"{base}organizations/",
        "teams": f"{base}teams/",
        "stints": f"{base}stints/",
        "moves": f"{base}moves/",
        "flows": f"{base}flows/",
        "schema": f"{base}schema/",
    }


@api_view
def people(request: HttpRequest) -> dict:
    rows, cursor = _keyset(request, Person.objects.all(), since=_since(request))
    return _page(request, rows, cursor, person_json)


@api_view
def person(request: HttpRequest, slug: str) -> dict:
    try:
        subject = queries.person_for_page(slug)
    except Person.DoesNotExist:
        raise ApiError(404, "no such person") from None
    return {
        **person_json(subject),
        "aliases": [a.name for a in subject.aliases.all()],
        "links": [link.url for link in subject.links.all()],
        "stints": [stint_json(s) for s in subject.career],
    }


@api_view
def organizations(request: HttpRequest) -> dict:
    queryset = Organization.objects.select_related("parent")
    kind = request.GET.get("kind", "")
    if kind:
        queryset = queryset.filter(kind=kind)
    country = request.GET.get("country", "").upper()
    if country:
        queryset = queryset.filter(country=country)
    rows, cursor = _keyset(request, queryset, since=_since(request))
    return _page(request, rows, cursor, organization_json)


@api_view
def organization(request: HttpRequest, slug: str) -> dict:
    try:
        org = queries.organization_for_page(slug)
    except Organization.DoesNotExist:
        raise ApiError(404, "no such organization") from None
    return {
        **organization_json(org),
        "aliases": [a.name for a in org.aliases.all()],
        "units": [child.slug for child in org.children.all()],
        "people_now": Stint.objects.filter(organization=org).current().count(),
    }


@api_view
def teams(request: HttpRequest) -> dict:
    queryset = Team.objects.select_related("organization", "parent")
    slug = request.GET.get("organization", "")
    if slug:
        queryset = queryset.filter(organization__slug=slug)
    rows, cursor = _keyset(request, queryset, since=_since(request))
    return _page(request, rows, cursor, team_json)


@api_view
def stints(request: HttpRequest) -> dict:
    """Stints, filtered by person, organization, team, ``current``; ``on=YYYY-MM-DD``
    (with ``organization``) gives who was there that day, as the page does."""
    org_slug = request.GET.get("organization", "")
    on = request.GET.get("on", "")
    if on:
        day = parse_date(on) if len(on) == 10 else None
        if day is None or not org_slug:
            raise ApiError(400, "on takes YYYY-MM-DD, with organization")
        org = Organization.objects.filter(slug=org_slug).first()
        if org is None:
            raise ApiError(404, "no such organization")
        page = queries.people_on(
            [org.pk], day, after=request.GET.get("after"), limit=_limit(request)
        )
        return {
            "total": page.total,
            **_page(request, page.stints, page.next_cursor, stint_json),
        }
    queryset = _stints()
    if org_slug:
        queryset = queryset.filter(organization__slug=org_slug)
    if request.GET.get("person"):
        queryset = queryset.filter(person__slug=request.GET["person"])
    if request.GET.get("team"):
        queryset = queryset.filter(team__slug=request.GET["team"])
    if request.GET.get("current") in ("1", "true"):
        queryset = queryset.current()
    rows, cursor = _keyset(request, queryset, since=_since(request))
    return _page(request, rows, cursor, stint_json)


@api_view
def moves(request: HttpRequest) -> dict:
    """Moves with the filters of /moves/ (company, units, direction, from, to, kind, team,
    person, start, end, precision), newest first; with ``updated_since``, in the order they
    changed."""
    since = _since(request)
    move_filter = parse_move_filter(request.GET)
    if since is not None:
        move_filter.updated_since = None
        if move_filter.matches_nothing:
            return {"results": [], "next": None}
        queryset = queries.moves_with_sources(Move.objects.filter(move_filter.q()))
        rows, cursor = _keyset(request, queryset, since=since)
        return _page(request, rows, cursor, move_json)
    rows, cursor = moves_page(move_filter, after=request.GET.get("after"), limit=_limit(request))
    return _page(request, rows, cursor, move_json)


@api_view
def company_flows(request: HttpRequest, slug: str) -> dict:
    org = Organization.objects.filter(slug=slug).first()
    if org is None:
        raise ApiError(404, "no such organization")
    rng = parse_range(
        request.GET.get("start"),
        request.GET.get("end"),
        request.GET.get("by"),
        today=timezone.localdate(),
    )
    flows = flows_for_company(org, rng, units=request.GET.get("units", "include") != "apart")
    return company_flows_json(flows)


@api_view
def flows(request: HttpRequest) -> dict:
    rng = parse_range(
        request.GET.get("start"),
        request.GET.get("end"),
        "month",
        today=timezone.localdate(),
        periods=False,
    )
    kind = request.GET.get("kind", "")
    if kind and kind not in Organization.Kind.values:
        raise ApiError(400, f"kind is one of {', '.join(Organization.Kind.values)}")
    try:
        top = max(3, min(25, int(request.GET.get("top", "10"))))
    except ValueError:
        raise ApiError(400, "top must be a whole number") from None
    matrix = flow_matrix(rng.start, rng.end, kind=kind, top=top)
    return {
        "start": rng.start.isoformat(),
        "end": rng.end.isoformat(),
        "kind": kind or None,
        "organizations": [
            organization_json(o) | {"moves": matrix.activity[o.pk]} for o in matrix.organizations
        ],
        "cells": [
            {"from": a.slug, "to": b.slug, "count": n}
            for a, cells, _ in matrix.rows
            for b, n in cells
            if n
        ],
        "gains": [
            {"gainer": g.slug, "from": lo.slug, "net": n, "moves_in": i, "moves_out": o}
            for g, lo, n, i, o in matrix.gains
        ],
    }


@api_view
def schema(request: HttpRequest) -> dict:
    from talent.openapi import document

    return document(request.build_absolute_uri("/api/"))
