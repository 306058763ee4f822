from __future__ import annotations

import datetime as dt
import sys
import time
from functools import wraps

from django import db
from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_ratelimit.core import is_ratelimited

from talent import indexes, merging, queries
from talent.forms import CorrectionForm, SearchForm
from talent.http import error_response, wants_fragment
from talent.models import Correction, Move, Organization, Person, Team
from talent.pagecache import lazy, page_cache


def _template(request: HttpRequest, page: str, fragment: str) -> str:
    return f"{page}#{fragment}" if wants_fragment(request) else page


class _Moved(Exception):
    """The record was merged into another: its old URLs redirect there."""

    def __init__(self, old_base: str, new_base: str) -> None:
        self.old_base, self.new_base = old_base, new_base


def _get_person_or_404(slug: str, *, light: bool = False) -> Person:
    """The person, with their career prefetched unless ``light`` (a page whose career
    section may come from the cache loads it lazily)."""
    try:
        if light:
            return Person.objects.get(slug=slug)
        return queries.person_for_page(slug)
    except Person.DoesNotExist:
        target = merging.redirect_target("person", slug)
        if target:
            raise _Moved(f"/people/{slug}/", target.get_absolute_url()) from None
        raise Http404("No such person") from None


def _get_organization_or_404(slug: str, *, light: bool = False) -> Organization:
    try:
        if light:
            return Organization.objects.select_related("parent").get(slug=slug)
        return queries.organization_for_page(slug)
    except Organization.DoesNotExist:
        target = merging.redirect_target("organization", slug)
        if target:
            raise _Moved(f"/companies/{slug}/", target.get_absolute_url()) from None
        raise Http404("No such company") from None


def organization_or_404(slug: str, *, light: bool = False) -> Organization:
    """The organization with this slug; a merged one's old slug raises the redirect that
    ``follows_merges`` turns into a 301; anything else is a 404."""
    return _get_organization_or_404(slug, light=light)


def follows_merges(view):
    """A page of a merged person, company or team answers 301 with the same page of the
    record it was merged into (/companies/old/at/?date=… to /companies/new/at/?date=…)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _Moved as moved:
            rest = (
                request.path[len(moved.old_base) :]
                if request.path.startswith(moved.old_base)
                else ""
            )
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                moved.new_base + rest + (f"?{query}" if query else "")
            )

    return wrapper


@require_GET
@vary_on_headers("HX-Request", "HX-Request-Type")
@page_cache
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "talent/home.html",
        {
            "moves": lazy(lambda: queries.recent_moves(limit=25)),
            "counts": lazy(queries.home_counts),
        },
    )


@require_GET
@vary_on_headers("HX-Request", "HX-Request-Type")
@page_cache
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    only = request.GET.get("type", "")
    only = only if only in queries.SEARCH_KINDS else ""
    if form.is_valid():
        q = form.cleaned_data["q"]
        results, error = lazy(lambda: queries.search(q, only=only)), ""
    else:
        q, results, error = "", queries.search(""), " ".join(form.errors["q"])
    # ?format=options: <option>s for a filter's autocomplete (<datalist>), nothing else.
    if request.GET.get("format") == "options":
        template = "talent/search.html#options"
    else:
        template = _template(request, "talent/search.html", "results")
    context = {"results": results, "error": error, "only": only, "query": q}
    return render(request, template, context)


@require_GET
@page_cache
def company_index(request: HttpRequest) -> HttpResponse:
    """Every organization, sortable, a page at a time (keyset)."""
    page = indexes.company_index(
        sort=request.GET.get("sort", "people"), after=request.GET.get("after")
    )
    return render(
        request,
        "talent/company_index.html",
        {"page": page, "sorts": indexes.COMPANY_SORTS, "kinds": dict(Organization.Kind.choices)},
    )


@require_GET
@page_cache
def people_index(request: HttpRequest) -> HttpResponse:
    """Everyone, by latest move or by name, a page at a time (keyset)."""
    page = indexes.people_index(
        sort=request.GET.get("sort", "recent"), after=request.GET.get("after")
    )
    return render(request, "talent/people_index.html", {"page": page})


@require_GET
@follows_merges
@page_cache
def person(request: HttpRequest, slug: str) -> HttpResponse:
    subject = _get_person_or_404(slug, light=True)
    if request.GET.get("format") == "csv":
        return _stints_csv(f"{subject.slug}-career", queries.person_career(subject))
    career = lazy(lambda: queries.person_career(subject))
    return render(
        request,
        "talent/person.html",
        {
            "person": subject,
            "timeline": lazy(lambda: queries.build_timeline(career)),
            "stints": lazy(lambda: career[::-1]),
            "current": lazy(lambda: [s for s in career if s.is_current]),
            "form": CorrectionForm(),
            "action": f"/people/{subject.slug}/corrections/",
        },
    )


@require_GET
@follows_merges
@page_cache
def company(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _get_organization_or_404(slug, light=True)
    after = request.GET.get("after")
    page = lazy(lambda: queries.company_page(organization, after=after))
    if request.GET.get("format") == "csv":
        from talent.flows.export import csv_response

        table = request.GET.get("table", "people")
        if table in ("joins", "departures"):
            moves = page.joins if table == "joins" else page.departures
            return csv_response(
                f"{organization.slug}-{table}", MOVE_CSV_HEADER, [move_csv_row(m) for m in moves]
            )
        if table == "teams":
            return csv_response(
                f"{organization.slug}-teams",
                ["team_slug", "team", "parent", "people_now"],
                [
                    [t.slug, t.name, t.parent.name if t.parent else "", t.members_now]
                    for t in page.teams
                ],
            )
        return _stints_csv(f"{organization.slug}-people-now", page.current.stints)
    return render(
        request,
        "talent/company.html",
        {
            "organization": organization,
            "page": page,
            "form": CorrectionForm(),
            "action": f"/companies/{organization.slug}/corrections/",
        },
    )


@require_GET
@vary_on_headers("HX-Request", "HX-Request-Type")
@follows_merges
@page_cache
def company_at(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _get_organization_or_404(slug, light=True)
    raw = request.GET.get("date", "")
    error = ""
    day = timezone.localdate()
    if raw:
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            error = "Give a date as YYYY-MM-DD, for example 2020-06-30."
    units = request.GET.get("units") == "include"
    orgs = [organization.pk]
    if units:
        from talent.flows.filters import org_group

        orgs = org_group(organization, units=True)
    after = request.GET.get("after")
    page = None if error else lazy(lambda: queries.people_on(orgs, day, after=after))
    query = f"date={day.isoformat()}" + ("&units=include" if units else "")
    today = timezone.localdate()
    history = None if error else lazy(lambda: queries.organization_history(orgs))
    steps = [] if error else _date_steps(day, today, "&units=include" if units else "")
    if page is not None and request.GET.get("format") == "csv":
        from talent.flows.export import csv_response

        return csv_response(
            f"{organization.slug}-on-{day.isoformat()}",
            ["person_slug", "person", "organization", "title", "start", "end"],
            [
                [s.person.slug, s.person.name, s.organization.name, s.title, s.start, s.end]
                for s in page.stints
            ],
        )
    response = render(
        request,
        _template(request, "talent/company_at.html", "people"),
        {
            "organization": organization,
            "day": day,
            "raw": raw,
            "error": error,
            "page": page,
            "units": units,
            "query": query,
            "today": today,
            "future": day > today,
            "history": history,
            "steps": steps,
        },
        status=400 if error and not request.htmx else 200,
    )
    return response


def _shift_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), the last of the month when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (following - dt.timedelta(days=1)).day))


def _date_steps(day: dt.date, today: dt.date, extra: str) -> list[dict]:
    """Links a year and a month before and after ``day`` (none past today)."""
    steps = []
    for label, months in (
        ("← a year earlier", -12),
        ("← a month earlier", -1),
        ("a month later →", 1),
        ("a year later →", 12),
    ):
        try:
            target = _shift_months(day, months)
        except ValueError:  # before year 1 or after 9999
            continue
        if months > 0 and target > today:
            continue
        steps.append({"label": label, "query": f"date={target.isoformat()}{extra}"})
    return steps


@require_GET
@follows_merges
@page_cache
def team(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    try:
        subject = queries.team_for_page(slug, team_slug)
    except Team.DoesNotExist:
        moved = merging.redirect_target("team", team_slug, slug)
        if moved:
            return HttpResponsePermanentRedirect(moved.get_absolute_url())
        _get_organization_or_404(slug)  # a merged company redirects with the team's path
        raise Http404("No such team") from None
    after = request.GET.get("after")
    members = lazy(lambda: queries.team_members(subject, after=after))
    if request.GET.get("format") == "csv":
        return _stints_csv(f"{subject.organization.slug}-{subject.slug}", members.stints)
    return render(
        request,
        "talent/team.html",
        {
            "team": subject,
            "organization": subject.organization,
            "members": members,
            "timeline": lazy(lambda: queries.build_timeline(members.stints, label_person=True)),
        },
    )


@require_GET
@vary_on_headers("HX-Request", "HX-Request-Type")
@page_cache
def moves(request: HttpRequest) -> HttpResponse:
    """All moves, newest first, paged by keyset (``?after=``), filtered by company (with
    its units), direction, origin, destination, kind, team, date range and precision:
    the list every number of the flows pages opens onto."""
    from talent.flows.export import csv_response
    from talent.flows.filters import KIND_LABELS, RangeError, moves_page, parse_move_filter

    error = ""
    after = request.GET.get("after")
    try:
        move_filter = parse_move_filter(request.GET)
    except RangeError as exc:
        error, move_filter = str(exc), None
    if request.GET.get("format") == "csv" and not error:
        page, _ = moves_page(move_filter, after=after)
        return csv_response("moves", MOVE_CSV_HEADER, [move_csv_row(m) for m in page])
    query = move_filter.query() if move_filter else ""
    # (moves, the next page's cursor), read only when the list's cached section is not.
    result = lazy(lambda: moves_page(move_filter, after=after) if move_filter else ([], None))
    return render(
        request,
        _template(request, "talent/moves.html", "list"),
        {
            "result": result,
            "filter": move_filter,
            "error": error,
            "query": query,
            "first_url": f"?{query}" if after else "",
            "kind": move_filter.kind if move_filter else "",
            "fields": _move_filter_fields(request, move_filter),
            "visible_fields": ("company", "person", "team", "kind", "start", "end"),
            "kinds": list(KIND_LABELS.items()),
        },
        status=400 if error and not request.htmx else 200,
    )


def _move_filter_fields(request: HttpRequest, move_filter) -> dict[str, str]:
    """What the filter form shows: names, not slugs, for what the filter found, and what
    was typed for what it did not (so it can be corrected)."""
    typed = {k: request.GET.get(k, "")[:200] for k in ("company", "person", "team", "start", "end")}
    if move_filter is None:
        return typed
    return {
        "company": move_filter.company.name if move_filter.company else typed["company"],
        "person": move_filter.person.name if move_filter.person else typed["person"],
        "team": move_filter.team.name if move_filter.team else typed["team"],
        "start": f"{move_filter.start:%Y-%m}" if move_filter.start else typed["start"],
        "end": f"{move_filter.end:%Y-%m}" if move_filter.end else typed["end"],
    }


def _stints_csv(filename: str, stints) -> HttpResponse:
    from talent.flows.export import csv_response

    return csv_response(
        filename,
        ["person_slug", "person", "organization", "team", "title", "start", "end", "sources"],
        [
            [
                s.person.slug,
                s.person.name,
                s.organization.name,
                s.team.name if s.team else "",
                s.title,
                s.start,
                s.end,
                " ".join(src.url for src in s.sources.all()),
            ]
            for s in stints
        ],
    )


MOVE_CSV_HEADER = [
    "id",
    "date",
    "date_precision",
    "kind",
    "person_slug",
    "person",
    "from_slug",
    "from",
    "to_slug",
    "to",
    "title",
    "sources",
]


def move_csv_row(move: Move) -> list:
    from talent.templatetags.talent import move_sources

    return [
        move.pk,
        move.date.isoformat() if move.date else "",
        move.date_precision,
        move.kind,
        move.person.slug,
        move.person.name,
        move.from_org.slug if move.from_org else "",
        move.from_org.name if move.from_org else "",
        move.to_org.slug if move.to_org else "",
        move.to_org.name if move.to_org else "",
        move.title,
        " ".join(s.url for s in move_sources(move)),
    ]


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict] = {}
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"ok": True}
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported as such
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    checks["database"]["ms"] = round((time.monotonic() - started) * 1000, 1)

    started = time.monotonic()
    try:
        import redis

        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
        beat = client.get("talent:worker-heartbeat")
        checks["redis"] = {"ok": True}
        checks["worker"] = {
            "last_heartbeat_seconds_ago": round(time.time() - float(beat)) if beat else None
        }
    except Exception as exc:  # noqa: BLE001
        checks["redis"] = {"ok": False, "error": exc.__class__.__name__}
    checks["redis"]["ms"] = round((time.monotonic() - started) * 1000, 1)

    healthy = checks["database"]["ok"] and checks["redis"]["ok"]
    body = {"status": "ok" if healthy else "down", **checks}
    return JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"indent": 1})


@require_POST
@follows_merges
def suggest_correction(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """A reader's correction, no account needed, a few per hour per address. Only
    corrections that pass validation count against the limit: a reader fixing a typo in
    the form is not using up their suggestions."""
    if kind == "people":
        subject = _get_person_or_404(slug)
        instance = Correction(person=subject)
    else:
        subject = _get_organization_or_404(slug)
        instance = Correction(organization=subject)
    action = request.path
    form = CorrectionForm(request.POST, instance=instance)
    if not form.is_valid():
        return _correction_response(request, subject, {"form": form, "action": action}, status=422)
    if is_ratelimited(
        request,
        group="talent.views.suggest_correction",
        key="ip",
        rate=settings.CORRECTIONS_RATE,
        method="POST",
        increment=True,
    ):
        context = {
            "form": form,
            "action": action,
            "error": "Too many suggestions from here; please try again in an hour.",
        }
        return _correction_response(request, subject, context, status=429)
    form.save()
    return _correction_response(request, subject, {"thanks": True, "action": action})


def _correction_response(
    request: HttpRequest, subject, context: dict, *, status: int = 200
) -> HttpResponse:
    if wants_fragment(request):
        return render(request, "talent/partials/correction.html", context, status=status)
    if context.get("thanks"):
        messages.success(request, "Thank you: a curator will look at your correction.")
        return redirect(subject.get_absolute_url())
    return render(
        request, "talent/correction_page.html", {**context, "subject": subject}, status=status
    )


# -- error answers (config/urls.py names these as Django's handlers) ---------------------------


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return error_response(
        request, 400, "The request was not understood. Check what you typed and try again."
    )


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return error_response(
        request, 403, "You do not have the right to do that.", title="Not allowed"
    )


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if wants_fragment(request):
        return error_response(request, 404, "That is no longer there. Reload the page.")
    return render(request, "404.html", {"request_path": request.path}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's last resort. No database, no context processors: the error may be the
    database itself, and then the answer is 503 "temporarily unavailable" with a
    Retry-After, not a 500 (connections are re-opened on the next request by themselves)."""
    down = isinstance(sys.exc_info()[1], (db.OperationalError, db.InterfaceError))
    status = 503 if down else 500
    if wants_fragment(request):
        message = (
            "The tracker is temporarily unavailable. Try again in a minute."
            if down
            else "Something went wrong on our side. Try again."
        )
        response = error_response(request, status, message)
    else:
        response = HttpResponse(render_to_string("503.html" if down else "500.html"), status=status)
    if down:
        response["Retry-After"] = "30"
    return response
