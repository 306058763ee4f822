"""Text preparation: HTML to plain text, sentences, normalization for comparisons."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
import pysbd

from talent.names import fold, org_key

__all__ = ["fold", "org_key", "plain", "sentences", "looks_english"]

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": " - ", "\u00a0": " "}
)


def plain(value: str) -> str:
    """Plain text of a possibly-HTML string, with typographic quotes made straight."""
    if not value:
        return ""
    if "<" in value or "&" in value:
        value = html.unescape(nh3.clean(value, tags={"p", "br"}))
        value = re.sub(r"</?p>|<br\s*/?>", " ", value)
    return _SPACE.sub(" ", value.translate(_QUOTES)).strip()


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def sentences(text: str) -> list[str]:
    if not text:
        return []
    return [s.strip() for s in _segmenter().segment(text) if s.strip()]


def non_latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if ord(c) > 0x24F) / len(letters)


_ENGLISH_MARKERS = re.compile(
    r"\b(?:the|and|of|to|is|has|will|as|at|for|with|from|its|his|her|joins|leaves|hires)\b", re.I
)
_FOREIGN_MARKERS = re.compile(
    r"\b(?:der|die|das|und|ist|wird|le|la|les|des|est|une|el|los|las|del|que|una|nach|zum|zur|"
    r"rejoint|quitte|ficha|deja|wechselt|verlässt|nommé|nombrado|se une)\b",
    re.I,
)


def looks_english(text: str) -> bool:
    """Cheap language check: the grammar is English; other languages must not yield moves."""
    if non_latin_share(text) > 0.2:
        return False
    english = len(_ENGLISH_MARKERS.findall(text))
    foreign = len(_FOREIGN_MARKERS.findall(text))
    return english >= foreign
