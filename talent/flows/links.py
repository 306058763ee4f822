"""Where each number of the flows pages leads: the moves (people, sources) behind it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse

from talent.flows.company import CompanyFlows
from talent.flows.filters import MoveFilter
from talent.models import Organization, Precision, Team


def moves_url(move_filter: MoveFilter) -> str:
    return f"{reverse('talent:moves')}?{move_filter.query()}"


def _base(flows: CompanyFlows) -> str:
    """The moves list's address for this page's group, without a range or direction: the
    flows page links dozens of periods, so the common part is encoded once."""
    cached = getattr(flows, "_links_base", None)
    if cached is None:
        params = flows.filter(start=None, end=None).params()
        cached = f"{reverse('talent:moves')}?{urlencode(params)}"
        flows._links_base = cached
    return cached


def period_links(flows: CompanyFlows, start: dt.date, end: dt.date) -> dict[str, str]:
    base = f"{_base(flows)}&start={start:%Y-%m}&end={end:%Y-%m}&direction="
    return {direction: base + direction for direction in ("in", "out", "both")}


def year_only_links(flows: CompanyFlows, year: int) -> dict[str, str]:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return {
        direction: moves_url(
            flows.filter(direction=direction, start=first, end=last, precision=Precision.YEAR)
        )
        for direction in ("in", "out", "both")
    }


def headcount_url(flows: CompanyFlows, day: dt.date) -> str:
    url = reverse("talent:company-at", args=[flows.organization.slug])
    units = "&units=include" if flows.units and flows.has_units else ""
    return f"{url}?date={day.isoformat()}{units}"


def source_url(flows: CompanyFlows, org: Organization | None) -> str:
    if org is None:
        return moves_url(flows.filter(direction="in", from_nowhere=True))
    return moves_url(flows.filter(direction="in", source=org))


def destination_url(flows: CompanyFlows, org: Organization | None) -> str:
    if org is None:
        return moves_url(flows.filter(direction="out", to_nowhere=True))
    return moves_url(flows.filter(direction="out", destination=org))


def team_url(flows: CompanyFlows, team_id: int, slug: str, direction: str) -> str:
    team = Team(pk=team_id, slug=slug, organization=flows.organization)
    return moves_url(
        flows.filter(orgs=[flows.organization.pk], units=False, team=team, direction=direction)
    )


def unit_url(flows: CompanyFlows, org: Organization, direction: str) -> str:
    unit = MoveFilter(
        company=org,
        orgs=[org.pk],
        direction=direction,
        start=flows.range.start,
        end=flows.range.end,
    )
    return moves_url(unit)
