"""The tables of the flows pages as rows: one source for the HTML tables' CSV and the
API's JSON, so the three cannot disagree."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from talent.flows.company import CompanyFlows


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return response


def _org(org) -> tuple[str, str]:
    return (org.slug, org.name) if org else ("", "(none recorded)")


def company_flows_tables(flows: CompanyFlows) -> dict[str, tuple[list[str], list[list]]]:
    periods = [
        [
            r.period.label,
            r.period.start.isoformat(),
            r.period.end.isoformat(),
            r.joins,
            r.departures,
            r.net,
            r.boomerangs,
            r.headcount,
        ]
        for r in flows.rows
    ]
    periods += [
        [
            f"{y.year}, month unknown" if y.inside else f"{y.year}, month unknown (may be outside)",
            f"{y.year}-01-01",
            f"{y.year}-12-31",
            y.joins,
            y.departures,
            y.joins - y.departures,
            "",
            "",
        ]
        for y in flows.year_only
    ]
    return {
        "periods": (
            [
                "period",
                "start",
                "end",
                "joins",
                "departures",
                "net",
                "boomerangs",
                "headcount_at_end",
            ],
            periods,
        ),
        "sources": (
            ["organization_slug", "organization", "joins"],
            [[*_org(c.organization), c.count] for c in flows.sources],
        ),
        "destinations": (
            ["organization_slug", "organization", "departures"],
            [[*_org(c.organization), c.count] for c in flows.destinations],
        ),
        "teams": (
            ["team_slug", "team", "joins", "departures", "net"],
            [[t.slug, t.name, t.joins, t.departures, t.net] for t in flows.teams],
        ),
        "units": (
            ["organization_slug", "organization", "joins", "departures", "net"],
            [
                [u.organization.slug, u.organization.name, u.joins, u.departures, u.net]
                for u in flows.unit_rows
            ],
        ),
    }


def company_flows_json(flows: CompanyFlows) -> dict:
    def org(o):
        return {"slug": o.slug, "name": o.name} if o else None

    return {
        "organization": org(flows.organization),
        "start": flows.range.start.isoformat(),
        "end": flows.range.end.isoformat(),
        "by": flows.range.by,
        "units": "include" if flows.units else "apart",
        "organizations": flows.orgs,
        "totals": flows.totals,
        "undated": flows.undated,
        "periods": [
            {
                "label": r.period.label,
                "start": r.period.start.isoformat(),
                "end": r.period.end.isoformat(),
                "joins": r.joins,
                "departures": r.departures,
                "net": r.net,
                "boomerangs": r.boomerangs,
                "headcount": r.headcount,
            }
            for r in flows.rows
        ],
        "year_only": [
            {"year": y.year, "joins": y.joins, "departures": y.departures, "inside": y.inside}
            for y in flows.year_only
        ],
        "sources": [{"organization": org(c.organization), "joins": c.count} for c in flows.sources],
        "destinations": [
            {"organization": org(c.organization), "departures": c.count} for c in flows.destinations
        ],
        "teams": [
            {"slug": t.slug, "name": t.name, "joins": t.joins, "departures": t.departures}
            for t in flows.teams
        ],
        "unit_figures": [
            {"organization": org(u.organization), "joins": u.joins, "departures": u.departures}
            for u in flows.unit_rows
        ],
    }
