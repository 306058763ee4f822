"""Dates a move's own sentences give ("on May 19", "in March 2024"), at their precision."""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["move_date", "text_date"]

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}


_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"


_TEXT_DATES = [
    re.compile(
        rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b"
    ),
    re.compile(rf"\b(?P<day>\d{{1,2}})\s+{_MONTH}(?:\s+(?P<year>(?:19|20)\d\d))?\b"),
    re.compile(
        rf"\b(?:in|from|since|effective|starting|as of)\s+{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b"
    ),
]
# Every date above names a month: one scan for a month's name rules out all three patterns
# in the many sentences that have none.
_ANY_MONTH = re.compile(_MONTH)


def text_date(evidence: list[str], published: dt.date | None) -> tuple[dt.date | None, str]:
    """The date a move's own sentences give ("on May 19", "in March 2024"), at the precision
    they give it; a day without a year takes the publication's year. None when they give none."""
    for sentence in evidence:
        if not _ANY_MONTH.search(sentence):
            continue
        for pattern in _TEXT_DATES:
            found = pattern.search(sentence)
            if not found:
                continue
            month = _MONTHS[found.group("month")[:3].lower()]
            year = found.group("year")
            day = found.groupdict().get("day")
            if not year and not published:
                continue
            try:
                if day:
                    when = dt.date(int(year) if year else published.year, month, int(day))
                    if not year and published and when > published + dt.timedelta(days=7):
                        when = when.replace(
                            year=when.year - 1
                        )  # "on December 30" in a January story
                    precision = "day"
                else:
                    when, precision = dt.date(int(year), month, 1), "month"
            except ValueError:
                continue
            if published and not (
                published - dt.timedelta(days=3650) <= when <= published + dt.timedelta(days=366)
            ):
                continue
            return when, precision
    return None, "unknown"


def move_date(evidence: list[str], published: dt.date | None) -> tuple[dt.date | None, str]:
    """When a move happened: the date its sentences give, else the day the item was published
    (news reports a move as it happens), else unknown."""
    when, precision = text_date(evidence, published)
    if when is None and published:
        return published, "day"
    return when, precision
