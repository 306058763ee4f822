"""The extractor interface. The pipeline only knows this module: another implementation (a
language model behind an HTTP API, say) plugs in through the EXTRACTOR setting."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

KINDS = ("join", "depart", "promotion", "founding", "return")
STATUSES = ("reported", "rumor")


@dataclass(frozen=True)
class Item:
    """One news item: a feed entry, or a line of the `extract` command's input."""

    id: str
    title: str
    summary: str  # may contain HTML
    published: dt.datetime | None = None


@dataclass
class MoveClaim:
    kind: str
    person: str
    status: str = "reported"
    from_org: str | None = None
    to_org: str | None = None
    team: str | None = None
    title: str | None = None
    manager: str | None = None
    date: dt.date | None = None
    date_precision: str = "unknown"
    confidence: float = 0.5
    evidence: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data


@dataclass
class HistoryClaim:
    person: str
    org: str
    title: str | None = None
    team: str | None = None
    evidence: str = ""

    def as_json(self) -> dict:
        return asdict(self)


@dataclass
class Extraction:
    moves: list[MoveClaim] = field(default_factory=list)
    history: list[HistoryClaim] = field(default_factory=list)


class Gazetteer(Protocol):
    """Known names the extractor may use to spot people and organizations in text."""

    def organization_names(self) -> list[str]: ...


class Extractor(Protocol):
    def extract(self, item: Item, *, gazetteer: Gazetteer | None = None) -> Extraction: ...


@lru_cache(maxsize=4)
def _extractor_class(path: str):
    return import_string(path)


def get_extractor() -> Extractor:
    """The configured extractor (settings.EXTRACTOR, an import path)."""
    return _extractor_class(settings.EXTRACTOR)()
