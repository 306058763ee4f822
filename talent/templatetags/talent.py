from __future__ import annotations

from urllib.parse import urlsplit

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


def _outlet(source) -> str:
    """The outlet's name, else the host of its address."""
    if source.publisher:
        return source.publisher
    host = urlsplit(source.url).hostname or source.url
    return host.removeprefix("www.")


def source_label(source) -> str:
    """How a source is named in lists: the outlet and the day it published."""
    label = _outlet(source)
    if source.published_on:
        label += f", {date_format(source.published_on, 'j M Y')}"
    return label


@register.simple_tag
def source_links(sources) -> SafeString:
    """A fact's sources, each named by its outlet and date, with the evidence sentence one
    click away (a <details> that works without JavaScript). Built in Python: long lists
    render one per row, and an include per row costs more than the rest of the page."""
    sources = list(sources)
    if not sources:
        return mark_safe('<span class="sources missing">no source recorded yet</span>')
    items = []
    for source in sources:
        outlet = escape(_outlet(source))
        title = f' title="{escape(source.title)}"' if source.title else ""
        item = (
            f'<a class="source" href="{escape(source.url)}" rel="noopener nofollow" '
            f'target="_blank"{title}>{escape(source_label(source))}</a>'
        )
        if source.evidence:
            item += (
                f'<details class="quote"><summary aria-label="quote from {outlet}">quote'
                f'</summary><q class="quote-text">{escape(truncatechars(source.evidence, 400))}'
                "</q></details>"
            )
        items.append(f'<span class="source-item">{item}</span>')
    return mark_safe(  # noqa: S308 - every text and address above is escaped
        f'<span class="sources"><span class="visually-hidden">Sources: </span>{"".join(items)}'
        "</span>"
    )


# A move's kind in plain words, on its badge and in the moves filter.
KIND_WORDS = {
    "join": "joined",
    "depart": "left",
    "promotion": "new role",
    "founding": "founded",
    "return": "returned",
}


@register.filter
def kind_words(kind: str) -> str:
    return KIND_WORDS.get(kind, kind)


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
        f'<span class="kind badge badge-{escape(kind)}">{escape(kind_words(kind))}</span></li>'
    )
