"""Charts drawn as SVG on the server. Every mark and every axis label comes from the same
``Scale``, so a bar of 12 reaches exactly the gridline labelled 12."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def nice_step(span: float, ticks: int = 4) -> int:
    raw = max(span, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return max(1, int(factor * power))
    return max(1, int(10 * power))


@dataclass(frozen=True)
class Scale:
    """Values ``lo``..``hi`` onto pixels ``bottom``..``top`` (SVG y grows downwards)."""

    lo: int
    hi: int
    top: float
    bottom: float
    step: int

    @classmethod
    def fit(cls, lo: float, hi: float, *, top: float, bottom: float, ticks: int = 4) -> Scale:
        lo, hi = min(0, lo), max(0, hi)
        if lo == hi:
            hi = 1
        step = nice_step(hi - lo, ticks)
        return cls(
            lo=int(math.floor(lo / step) * step),
            hi=int(math.ceil(hi / step) * step),
            top=top,
            bottom=bottom,
            step=step,
        )

    def y(self, value: float) -> float:
        return round(
            self.bottom - (value - self.lo) * (self.bottom - self.top) / (self.hi - self.lo), 2
        )

    @property
    def ticks(self) -> list[tuple[int, float]]:
        return [(v, self.y(v)) for v in range(self.lo, self.hi + 1, self.step)]


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    y: float
    height: float
    value: int
    label: str
    href: str
    direction: str = "in"  # "in": a join bar, above zero; "out": departures, below


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int
    label: str
    href: str


@dataclass
class Chart:
    """Geometry for one chart in a 720 x ``height`` viewBox."""

    title: str
    width: int
    height: int
    left: float
    right: float
    scale: Scale
    bars: list[Bar] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    xlabels: list[tuple[float, str]] = field(default_factory=list)
    series: list[Line] = field(default_factory=list)

    @property
    def zero(self) -> float:
        return self.scale.y(0)

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(self.points))


@dataclass(frozen=True)
class Line:
    name: str
    color: str
    points: list[Point]

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(self.points))


WIDTH, LEFT, RIGHT = 720, 48.0, 712.0


def _xlabels(labels: list[str], slot: float, left: float) -> list[tuple[float, str]]:
    # Never more than eight labels (readable on a phone): every n-th, from the first.
    every = max(1, math.ceil(len(labels) / 8))
    return [
        (round(left + slot * (i + 0.5), 2), text) for i, text in enumerate(labels) if i % every == 0
    ]


def flow_chart(
    *,
    title: str,
    labels: list[str],
    joins: list[int],
    departures: list[int],
    join_links: list[str],
    departure_links: list[str],
    height: int = 240,
) -> Chart:
    """Joins as bars above the zero line, departures below it, net as a line of dots."""
    top, bottom = 12.0, height - 30.0
    scale = Scale.fit(-max(departures, default=0), max(joins, default=0), top=top, bottom=bottom)
    n = max(1, len(labels))
    slot = (RIGHT - LEFT) / n
    width = round(max(1.0, slot * 0.7), 2)
    chart = Chart(title, WIDTH, height, LEFT, RIGHT, scale, xlabels=_xlabels(labels, slot, LEFT))
    zero = scale.y(0)
    for i, label in enumerate(labels):
        x = round(LEFT + slot * i + (slot - width) / 2, 2)
        up = scale.y(joins[i])
        down = scale.y(-departures[i])
        chart.bars.append(Bar(x, width, up, round(zero - up, 2), joins[i], label, join_links[i]))
        chart.bars.append(
            Bar(
                x,
                width,
                zero,
                round(down - zero, 2),
                -departures[i],
                label,
                departure_links[i],
                direction="out",
            )
        )
        net = joins[i] - departures[i]
        chart.points.append(Point(round(x + width / 2, 2), scale.y(net), net, label, join_links[i]))
    return chart


def line_chart(
    *,
    title: str,
    labels: list[str],
    series: list[tuple[str, str, list[int | float], list[str]]],
    height: int = 200,
) -> Chart:
    """Lines over periods; ``series`` is (name, colour, values, links)."""
    top, bottom = 12.0, height - 30.0
    values = [v for _, _, vs, _ in series for v in vs]
    scale = Scale.fit(min(values, default=0), max(values, default=0), top=top, bottom=bottom)
    n = max(1, len(labels))
    slot = (RIGHT - LEFT) / n
    chart = Chart(title, WIDTH, height, LEFT, RIGHT, scale, xlabels=_xlabels(labels, slot, LEFT))
    for name, color, vs, links in series:
        points = [
            Point(round(LEFT + slot * (i + 0.5), 2), scale.y(v), v, labels[i], links[i])
            for i, v in enumerate(vs)
        ]
        chart.series.append(Line(name, color, points))
    return chart


def _axis(chart: Chart) -> list[str]:
    out = ['<g class="axis">']
    for value, y in chart.scale.ticks:
        out.append(
            f'<line class="gridline" x1="{chart.left}" x2="{chart.right}" y1="{y}" y2="{y}" '
            f'data-value="{value}"/><text class="tick-label" x="{chart.left - 6}" y="{y}" '
            f'dy=".32em" text-anchor="end" data-value="{value}">{value}</text>'
        )
    out.append("</g>")
    return out


def _xlabels_svg(chart: Chart) -> list[str]:
    y = chart.height - 10
    return [
        f'<text class="x-label" x="{x}" y="{y}" text-anchor="middle">{escape(text)}</text>'
        for x, text in chart.xlabels
    ]


def svg(chart: Chart, element_id: str) -> SafeString:
    """The chart as SVG markup (written here rather than in a template: a chart of ten
    years by month has hundreds of marks, and this is several times faster)."""
    # A chart whose marks are links is a group of links, not one image (an image's
    # children are hidden from assistive technology, and its links with them).
    linked = any(b.href for b in chart.bars) or any(
        p.href for line in chart.series for p in line.points
    )
    out = [
        f'<svg viewBox="0 0 {chart.width} {chart.height}" role="{"group" if linked else "img"}" '
        f'aria-labelledby="{element_id}-title" class="chart-svg" id="{element_id}">',
        f'<title id="{element_id}-title">{escape(chart.title)}</title>',
        *_axis(chart),
    ]
    for bar in chart.bars:
        what = f"{-bar.value} departures" if bar.direction == "out" else f"{bar.value} joins"
        out.append(
            f'<a href="{escape(bar.href)}"><rect class="bar-{bar.direction}" x="{bar.x}" '
            f'y="{bar.y}" width="{bar.width}" height="{bar.height}" data-value="{bar.value}">'
            f"<title>{escape(bar.label)}: {what}</title></rect></a>"
        )
    if chart.points:
        out.append(f'<path class="net-line" d="{chart.path}"/>')
        out += [
            f'<circle class="net-dot" cx="{p.x}" cy="{p.y}" r="2.5">'
            f"<title>{escape(p.label)}: net {p.value}</title></circle>"
            for p in chart.points
        ]
    for line in chart.series:
        out.append(
            f'<g class="series"><path class="series-line" d="{line.path}" '
            f'stroke="{escape(line.color)}"/>'
        )
        for p in line.points:
            dot = (
                f'<circle class="series-dot" cx="{p.x}" cy="{p.y}" r="3" '
                f'fill="{escape(line.color)}" data-value="{p.value}">'
                f"<title>{escape(line.name)}, {escape(p.label)}: {p.value}</title></circle>"
            )
            out.append(f'<a href="{escape(p.href)}">{dot}</a>' if p.href else dot)
        out.append("</g>")
    if chart.bars:
        out.append(
            f'<line class="zero" x1="{chart.left}" x2="{chart.right}" y1="{chart.zero}" '
            f'y2="{chart.zero}"/>'
        )
    out += _xlabels_svg(chart)
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text and address above is escaped
