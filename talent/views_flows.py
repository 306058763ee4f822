"""Flows pages: a company's inflow and outflow, the matrix among organizations, alumni,
trends and news lag. One view and one template serve each page and its htmx fragment;
``?format=csv&table=…`` gives each table the page shows as CSV."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from talent.flows import links
from talent.flows.charts import flow_chart, line_chart
from talent.flows.company import company_flows
from talent.flows.export import company_flows_tables, csv_response
from talent.flows.periods import RangeError, parse_range
from talent.http import wants_fragment
from talent.pagecache import lazy, page_cache
from talent.views import follows_merges, organization_or_404


def _template(request: HttpRequest, page: str, fragment: str) -> str:
    return f"{page}#{fragment}" if wants_fragment(request) else page


def _csv(request: HttpRequest, name: str, tables: dict) -> HttpResponse:
    table = request.GET.get("table", "")
    if table not in tables:
        return HttpResponse(
            f"Name a table: {', '.join(sorted(tables))}.", status=400, content_type="text/plain"
        )
    header, rows = tables[table]
    return csv_response(f"{name}-{table}", header, rows)


@require_GET
@vary_on_headers("HX-Request", "HX-Request-Type")
@follows_merges
@page_cache
def company_flows_page(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_or_404(slug)
    context: dict = {"organization": organization, "error": ""}
    units = request.GET.get("units", "include") != "apart"
    try:
        rng = parse_range(
            request.GET.get("start"),
            request.GET.get("end"),
            request.GET.get("by"),
            today=timezone.localdate(),
        )
    except RangeError as exc:
        context["error"] = str(exc)
        context["form"] = {k: request.GET.get(k, "") for k in ("start", "end", "by")}
        status = 200 if request.htmx else 400
        return render(
            request, _template(request, "talent/flows.html", "body"), context, status=status
        )
    if request.GET.get("format") == "csv":
        flows = company_flows(organization, rng, units=units)
        return _csv(request, f"{organization.slug}-flows", company_flows_tables(flows))
    context.update(
        {
            # The figures, charts and links: built only when the cached section is not.
            "body": lazy(lambda: _flows_body(organization, rng, units)),
            "has_units": organization.children.exists(),
            "units_included": units,
            "form": {"start": rng.start_param, "end": rng.end_param, "by": rng.by},
        }
    )
    return render(request, _template(request, "talent/flows.html", "body"), context)


def _flows_body(organization, rng, units: bool) -> dict:
    """Everything the flows page's body shows: figures, charts and the links behind them."""
    flows = company_flows(organization, rng, units=units)
    rows = []
    for row in flows.rows:
        rows.append(
            {
                "row": row,
                "links": links.period_links(flows, row.period.start, row.period.end),
                "headcount_url": links.headcount_url(flows, row.period.end),
            }
        )
    year_only = [
        {"note": y, "net": y.joins - y.departures, "links": links.year_only_links(flows, y.year)}
        for y in flows.year_only
    ]
    labels = [r.period.label for r in flows.rows]
    chart = flow_chart(
        title=f"Joins and departures, {organization.name}, {rng.label}",
        labels=labels,
        joins=[r.joins for r in flows.rows],
        departures=[r.departures for r in flows.rows],
        join_links=[r["links"]["in"] for r in rows],
        departure_links=[r["links"]["out"] for r in rows],
    )
    headcount_chart = line_chart(
        title=f"Tracked headcount at the end of each {rng.by}",
        labels=labels,
        series=[
            (
                "headcount",
                "var(--accent)",
                [r.headcount or 0 for r in flows.rows],
                [r["headcount_url"] for r in rows],
            )
        ],
        height=170,
    )
    query = rng.query(units="" if units else "apart")
    return {
        "flows": flows,
        "range": rng,
        "rows": rows,
        "year_only": year_only,
        "unplaced": [y for y in year_only if rng.by != "year"],
        "chart": chart,
        "headcount_chart": headcount_chart,
        "query": query,
        "totals_links": links.period_links(flows, rng.start, rng.end),
        "sources": [
            {"count": c, "url": links.source_url(flows, c.organization)} for c in flows.sources
        ],
        "destinations": [
            {"count": c, "url": links.destination_url(flows, c.organization)}
            for c in flows.destinations
        ],
        "boomerangs_url": links.moves_url(flows.filter(direction="in", kind="return")),
        "undated_url": links.moves_url(
            flows.filter(direction="both", precision="unknown", start=None, end=None)
        ),
        "teams": [
            {
                "team": t,
                "in": links.team_url(flows, t.team_id, t.slug, "in"),
                "out": links.team_url(flows, t.team_id, t.slug, "out"),
            }
            for t in flows.teams
        ],
        "units": [
            {
                "unit": u,
                "in": links.unit_url(flows, u.organization, "in"),
                "out": links.unit_url(flows, u.organization, "out"),
                "page": f"/companies/{u.organization.slug}/flows/?{rng.query(units='apart')}",
            }
            for u in flows.unit_rows
        ],
        "tables": ["periods", "sources", "destinations", "teams", "units"],
    }


def _range_or_error(
    request: HttpRequest, *, months: int = 12, by: str | None = None, periods: bool = True
):
    try:
        return (
            parse_range(
                request.GET.get("start"),
                request.GET.get("end"),
                by or request.GET.get("by"),
                today=timezone.localdate(),
                default_months=months,
                periods=periods,
            ),
            "",
        )
    except RangeError as exc:
        return None, str(exc)


def _matrix_filter(start, end, source, target) -> str:
    from talent.flows.filters import MoveFilter

    return links.moves_url(MoveFilter(source=source, destination=target, start=start, end=end))


@require_GET
@vary_on_headers("HX-Request", "HX-Request-Type")
@page_cache
def flows_matrix_page(request: HttpRequest) -> HttpResponse:
    """Who gained from whom among the organizations with the most moves in a range."""
    from talent.models import Organization

    rng, error = _range_or_error(request, by="month", periods=False)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Organization.Kind.values else ""
    try:
        top = max(3, min(25, int(request.GET.get("top", "10"))))
    except ValueError:
        top = 10
    context: dict = {
        "error": error,
        "kinds": Organization.Kind.choices,
        "kind": kind,
        "kind_label": dict(Organization.Kind.choices).get(kind, kind),
        "top": top,
        "form": {k: request.GET.get(k, "") for k in ("start", "end")},
    }
    if rng is None:
        status = 200 if request.htmx else 400
        return render(
            request, _template(request, "talent/flows_matrix.html", "body"), context, status=status
        )
    context["form"] = {"start": rng.start_param, "end": rng.end_param}
    if request.GET.get("format") == "csv":
        built = _matrix_body(rng, kind, top)
        rows, matrix = built["rows"], built["matrix"]
        tables = {
            "matrix": (
                ["from_slug", "from", *[o.slug for o in matrix.organizations]],
                [[r["org"].slug, r["org"].name, *[c["count"] for c in r["cells"]]] for r in rows],
            ),
            "gains": (
                ["gainer_slug", "gainer", "from_slug", "from", "net", "moves_in", "moves_out"],
                [[g.slug, g.name, lo.slug, lo.name, n, i, o] for g, lo, n, i, o in matrix.gains],
            ),
        }
        return _csv(request, "flows", tables)
    # The matrix, diagram and links: built only when the cached section is not.
    context["body"] = lazy(lambda: _matrix_body(rng, kind, top))
    return render(request, _template(request, "talent/flows_matrix.html", "body"), context)


def _matrix_body(rng, kind: str, top: int) -> dict:
    """The /flows/ page's figures: the matrix, the gains and the diagram's links."""
    from talent.flows.matrix import flow_matrix

    matrix = flow_matrix(rng.start, rng.end, kind=kind, top=top)
    query = rng.query(kind=kind, top=str(top) if top != 10 else "")
    rows = []
    for source, cells, total in matrix.rows:
        rows.append(
            {
                "org": source,
                "total": total,
                "cells": [
                    {
                        "count": n,
                        "self": source.pk == target.pk,
                        "url": _matrix_filter(rng.start, rng.end, source, target),
                    }
                    for target, n in cells
                ],
            }
        )
    return {
        "range": rng,
        "matrix": matrix,
        "rows": rows,
        "query": query,
        "gains": [
            {
                "gainer": g,
                "loser": lo,
                "net": n,
                "moves_in": i,
                "moves_out": o,
                "in_url": _matrix_filter(rng.start, rng.end, lo, g),
                "out_url": _matrix_filter(rng.start, rng.end, g, lo),
            }
            for g, lo, n, i, o in matrix.gains
        ],
        "links": [
            {"link": link, "url": _matrix_filter(rng.start, rng.end, link.source, link.target)}
            for link in matrix.links
        ],
        "tables": ["matrix", "gains"],
    }


@require_GET
@follows_merges
@page_cache
def alumni_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Where everyone who ever worked at a company is now; ``?now=`` lists the people
    behind one of the numbers."""
    from talent.flows.filters import org_group
    from talent.flows.matrix import alumni, alumni_people

    organization = organization_or_404(slug)
    units = request.GET.get("units") == "include"
    orgs = org_group(organization, units=units)
    now = request.GET.get("now", "")
    if now and (now in ("here", "none") or now.isdigit()):
        try:
            after = int(request.GET.get("after", "0"))
        except ValueError:
            after = 0
        people, following = alumni_people(orgs, now, after=after)
        if request.GET.get("format") == "csv":
            return csv_response(
                f"{organization.slug}-alumni-{now}",
                ["person_slug", "person", "now_at"],
                [[p.slug, p.name, "; ".join(s.organization.name for s in p.now)] for p in people],
            )
        return render(
            request,
            "talent/alumni_people.html",
            {
                "organization": organization,
                "people": people,
                "now": now,
                "units": units,
                "next_after": following,
            },
        )
    result = alumni(organization, orgs)
    base = f"?{'units=include&' if units else ''}now="
    if request.GET.get("format") == "csv":
        rows = [["(still here)", "", result.still_here]]
        rows += [[o.slug, o.name, n] for o, n in result.elsewhere]
        rows += [["(no current job recorded)", "", result.nowhere]]
        return csv_response(
            f"{organization.slug}-alumni", ["organization_slug", "organization", "people"], rows
        )
    return render(
        request,
        "talent/alumni.html",
        {"organization": organization, "alumni": result, "base": base, "units": units},
    )


PALETTE = ["#2f5bd3", "#1f8a5b", "#b5473a", "#8a5cd6", "#c27c0e", "#2f7fb5", "#5f6b7a"]


@require_GET
@vary_on_headers("HX-Request", "HX-Request-Type")
@page_cache
def trends_page(request: HttpRequest) -> HttpResponse:
    """Rolling net flow, share of tracked people, flows between countries and sectors."""
    from talent.flows.filters import MoveFilter
    from talent.flows.matrix import flow_matrix
    from talent.flows.trends import flows_between, headcount_share, rolling_net
    from talent.models import Organization

    rng, error = _range_or_error(request, months=36)
    if rng is None:
        request_by = request.GET.get("by", "")
        return render(
            request,
            "talent/trends.html",
            {"error": error, "form": {"by": request_by}},
            status=400,
        )
    leaders = flow_matrix(rng.start, rng.end, top=5).organizations
    rolling, labels, unplaced = rolling_net(leaders, rng)
    share, totals, _ = headcount_share(leaders, rng)
    countries = flows_between("country", rng.start, rng.end)
    sectors = flows_between("kind", rng.start, rng.end)
    kinds = dict(Organization.Kind.choices)

    def table(counts, field):
        names = sorted({a for a, _ in counts} | {b for _, b in counts})[:12]
        rows = []
        for a in names:
            cells = []
            for b in names:
                f = MoveFilter(start=rng.start, end=rng.end)
                setattr(f, f"from_{field}", a)
                setattr(f, f"to_{field}", b)
                cells.append({"count": counts.get((a, b), 0), "url": links.moves_url(f)})
            rows.append({"name": kinds.get(a, a) or "(unknown)", "cells": cells})
        return {"names": [kinds.get(n, n) or "(unknown)" for n in names], "rows": rows}

    nowhere = [""] * len(labels)
    context = {
        "range": rng,
        "form": {"start": rng.start_param, "end": rng.end_param, "by": rng.by},
        "rolling_chart": line_chart(
            title="Net flow over the previous twelve months",
            labels=labels,
            series=[
                (s.organization.name, PALETTE[i % len(PALETTE)], s.values, nowhere)
                for i, s in enumerate(rolling)
            ],
        ),
        "share_chart": line_chart(
            title="Share of all tracked people (percent)",
            labels=labels,
            series=[
                (s.organization.name, PALETTE[i % len(PALETTE)], s.values, nowhere)
                for i, s in enumerate(share)
            ],
        ),
        "rolling": rolling,
        "share": share,
        "totals": totals,
        "labels": labels,
        "unplaced": unplaced,
        "countries": table(countries, "country"),
        "sectors": table(sectors, "kind"),
        "query": rng.query(),
    }
    if request.GET.get("format") == "csv":
        tables = {
            "rolling": (
                ["organization", *labels],
                [[s.organization.name, *s.values] for s in rolling],
            ),
            "share": (
                ["organization", *labels],
                [[s.organization.name, *s.values] for s in share] + [["(tracked)", *totals]],
            ),
            "countries": (
                ["from", *context["countries"]["names"]],
                [
                    [r["name"], *[c["count"] for c in r["cells"]]]
                    for r in context["countries"]["rows"]
                ],
            ),
            "sectors": (
                ["from", *context["sectors"]["names"]],
                [
                    [r["name"], *[c["count"] for c in r["cells"]]]
                    for r in context["sectors"]["rows"]
                ],
            ),
        }
        return _csv(request, "trends", tables)
    return render(request, _template(request, "talent/trends.html", "body"), context)


@require_GET
@page_cache
def lag_page(request: HttpRequest) -> HttpResponse:
    """How long after a move the news reports it, per outlet."""
    from talent.flows.filters import MoveFilter
    from talent.flows.trends import news_lag

    rng, error = _range_or_error(request, months=12, by="month", periods=False)
    if rng is None:
        return render(request, "talent/lag.html", {"error": error, "form": {}}, status=400)
    rows = news_lag(rng.start, rng.end)
    if request.GET.get("format") == "csv":
        return csv_response(
            "news-lag",
            ["outlet", "moves", "median_days_to_report", "median_days_to_seen", "p90_days"],
            [
                [
                    r.publisher or "(first report, any outlet)",
                    r.moves,
                    r.median_published,
                    r.median_seen,
                    r.p90_published,
                ]
                for r in rows
            ],
        )
    items = []
    for r in rows:
        f = MoveFilter(start=rng.start, end=rng.end, precision="day", reported_by=r.publisher or "")
        items.append({"lag": r, "url": links.moves_url(f)})
    return render(
        request,
        "talent/lag.html",
        {
            "range": rng,
            "rows": items,
            "form": {"start": rng.start_param, "end": rng.end_param},
            "query": rng.query(),
        },
    )
