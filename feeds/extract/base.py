"""The extractor interface. The pipeline only knows this module: another implementation (a
language model behind an HTTP API, say) plugs in through the EXTRACTOR setting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from talent.services import MoveInput


@dataclass(frozen=True)
class Item:
    """One news item: a feed entry, or a line of the `extract` command's input."""

    id: str
    title: str
    summary: str  # may contain HTML
    published: dt.datetime | None = None


# A move claim is the domain's own input type, so the pipeline records it as it is.
MoveClaim = MoveInput


@dataclass
class HistoryClaim:
    person: str
    org: str
    title: str | None = None
    team: str | None = None
    evidence: str = ""


@dataclass
class Extraction:
    moves: list[MoveClaim] = field(default_factory=list)
    history: list[HistoryClaim] = field(default_factory=list)


class Gazetteer(Protocol):
    """Known names the extractor may use to spot people and organizations in text."""

    def organization_names(self) -> list[str]: ...

    # Optional: {child organization: parent} (Organization.parent); a move inside one
    # family is a promotion. Extractors read it with getattr, so older gazetteers still work.
    # def organization_parents(self) -> dict[str, str]: ...


class Extractor(Protocol):
    def extract(self, item: Item, *, gazetteer: Gazetteer | None = None) -> Extraction: ...


# What EXTRACTOR may name besides an import path.
EXTRACTORS = {
    "rules": "feeds.extract.rules.RuleExtractor",
    "llm": "feeds.extract.llm.LLMExtractor",
}


@lru_cache(maxsize=4)
def _extractor_class(path: str):
    return import_string(EXTRACTORS.get(path, path))


def get_extractor() -> Extractor:
    """The configured extractor (settings.EXTRACTOR: "rules", "llm" or an import path)."""
    return _extractor_class(settings.EXTRACTOR)()
