from __future__ import annotations

from django import template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


@register.simple_tag
def source_links(sources) -> SafeString:
    """The numbered links to a fact's sources (as partials/sources.html draws them), built
    in Python: long lists render one per row, and an include per row costs more than the
    rest of the page."""
    sources = list(sources)
    if not sources:
        return mark_safe(
            '<span class="sources missing" title="No source recorded yet">[unsourced]</span>'
        )
    links = []
    for number, source in enumerate(sources, start=1):
        title = source.publisher or source.url
        if source.published_on:
            title += f", {date_format(source.published_on, 'j M Y')}"
        if source.evidence:
            title += f": {truncatechars(source.evidence, 240)}"
        links.append(
            f'<a class="source" href="{escape(source.url)}" rel="noopener nofollow" '
            f'target="_blank" title="{escape(title)}">[{number}]<span class="visually-hidden"> '
            f"source: {escape(source.publisher or 'link')}</span></a>"
        )
    return mark_safe(f'<span class="sources">{"".join(links)}</span>')  # noqa: S308 - escaped
