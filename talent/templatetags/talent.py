from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def move_sources(move):
    """The sources behind a move: those of the stint it starts, else of the stint it ends.
    Reads prefetched rows only (see queries.moves_with_sources)."""
    stint = move.to_stint or move.from_stint
    return list(stint.sources.all()) if stint else []


@register.filter
def team_url(team, organization) -> str:
    """A team's URL when its organization is already loaded (saves a query per row)."""
    return reverse("talent:team", args=[organization.slug, team.slug])


@register.simple_tag
def chart_svg(chart, element_id: str):
    """A chart from talent.flows.charts as SVG markup."""
    from talent.flows.charts import svg

    return svg(chart, element_id)
