"""Date ranges and the periods (months, quarters, years) that flows are counted in."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

GROUPINGS = ("month", "quarter", "year")
# Bounded pages: at most this many periods in one chart or table.
MAX_PERIODS = {"month": 120, "quarter": 120, "year": 60}
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class RangeError(ValueError):
    """A range the reader asked for that we cannot show; the message says what to send."""


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return add_months(day.replace(day=1), 1) - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def last_full_year_start(end: dt.date) -> dt.date:
    """The first day of the last calendar year that ends on or before ``end``: a move known
    only to the year lies surely before ``end`` when it is dated on or before this day."""
    if (end.month, end.day) == (12, 31):
        return dt.date(end.year, 1, 1)
    return dt.date(end.year - 1, 1, 1)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str

    @property
    def param(self) -> tuple[str, str]:
        return (f"{self.start:%Y-%m}", f"{self.end:%Y-%m}")


def _label(start: dt.date, by: str) -> str:
    if by == "year":
        return f"{start.year}"
    if by == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return start.strftime("%b %Y")


def _step(by: str) -> int:
    return {"month": 1, "quarter": 3, "year": 12}[by]


@dataclass(frozen=True)
class Range:
    """Whole months from ``start`` (a first day) to ``end`` (a last day), cut into periods.

    Grouping by quarter or year widens the range to whole quarters or years, so every
    period is whole and a move known to the year is either inside a yearly period or
    plainly outside a monthly one (never spread across months)."""

    start: dt.date
    end: dt.date
    by: str
    periods: list[Period] = field(default_factory=list)

    @property
    def start_param(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def end_param(self) -> str:
        return f"{self.end:%Y-%m}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def query(self, **extra: str) -> str:
        params = {"start": self.start_param, "end": self.end_param, "by": self.by}
        params.update({k: v for k, v in extra.items() if v})
        return urlencode(params)

    def covers_year(self, year: int) -> bool:
        return self.start <= dt.date(year, 1, 1) and dt.date(year, 12, 31) <= self.end

    @property
    def label(self) -> str:
        if not self.periods:
            first, last = _label(self.start, "month"), _label(self.end.replace(day=1), "month")
            return first if first == last else f"{first} – {last}"
        first, last = self.periods[0].label, self.periods[-1].label
        return first if first == last else f"{first} – {last}"


def parse_month(text: str, name: str) -> dt.date:
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise RangeError(f"Give {name} as YYYY-MM, for example 2024-01.")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def parse_range(
    start: str | None,
    end: str | None,
    by: str | None,
    *,
    today: dt.date,
    default_months: int = 12,
    periods: bool = True,
) -> Range:
    """Read ``start``/``end`` (YYYY-MM) and ``by``; missing parts default to the last
    ``default_months`` months by month. Without ``periods`` the range is not cut (pages
    that sum over the whole range may span any number of months). Raises RangeError with a
    message for the reader."""
    by = (by or "month").strip() or "month"
    if by not in GROUPINGS:
        raise RangeError("Group by month, quarter or year.")
    last = parse_month(end, "the end") if end else month_start(today)
    first = parse_month(start, "the start") if start else add_months(last, 1 - default_months)
    if first > last:
        raise RangeError("The start must not be after the end.")
    if by == "quarter":
        first = first.replace(month=(first.month - 1) // 3 * 3 + 1)
        last = last.replace(month=(last.month - 1) // 3 * 3 + 3)
    elif by == "year":
        first, last = first.replace(month=1), last.replace(month=12)
    if not periods:
        return Range(start=first, end=month_end(last), by=by, periods=[])
    cut: list[Period] = []
    cursor = first
    while cursor <= last:
        following = add_months(cursor, _step(by))
        cut.append(Period(cursor, following - dt.timedelta(days=1), _label(cursor, by)))
        cursor = following
        if len(cut) > MAX_PERIODS[by]:
            raise RangeError(
                f"That is more than {MAX_PERIODS[by]} {by}s; choose a shorter range or group "
                "by a longer period."
            )
    return Range(start=first, end=month_end(last), by=by, periods=cut)
