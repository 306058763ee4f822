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


@register.simple_tag
def move_row(move, direction: str = "") -> SafeString:
    """One move as a list item: who, what, where from and to, its sources. Built in Python
    (lists of fifty moves render several times faster than through a template); the
    partial talent/partials/move.html draws it with this tag too, so there is one markup."""

    def link(org) -> str:
        return f'<a href="{escape(org.get_absolute_url())}">{escape(org.name)}</a>'

    kind = move.kind
    person = (
        f'<a class="person" href="{escape(move.person.get_absolute_url())}">'
        f"{escape(move.person.name)}</a>"
    )
    if direction == "out" and move.to_org:
        what = f"left {link(move.from_org)} for {link(move.to_org)}"
        if kind == "founding":
            what += ' <span class="muted">(founder)</span>'
    elif kind == "depart":
        what = f"left {link(move.from_org)}"
    elif kind == "promotion":
        what = f"took a new role at {link(move.to_org)}"
        if move.title:
            what += f": {escape(move.title)}"
    else:
        what = f"{escape(move.get_kind_display())} {link(move.to_org)}"
        if move.team:
            url = team_url(move.team, move.to_org)
            what += f' (<a href="{escape(url)}">{escape(move.team.name)}</a>)'
        if move.from_org:
            what += f' <span class="from">from {link(move.from_org)}</span>'
    return mark_safe(  # noqa: S308 - every name, title and address above is escaped
        f'<li class="move move-{escape(kind)}">'
        f'<span class="when">{escape(str(move.when))}</span> '
        f'<span class="what">{person} {what} {source_links(move_sources(move))}</span> '
        f'<span class="kind badge badge-{escape(kind)}">{escape(kind)}</span></li>'
    )
