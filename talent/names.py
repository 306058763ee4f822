"""Normalizing names for comparison: case, accents, punctuation and company suffixes."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s'.-]")
_ORG_SUFFIXES = re.compile(
    r"(?:,?\s+(?:inc\.?|incorporated|corp\.?|corporation|ltd\.?|llc|plc|gmbh|co\.|pbc|labs?|ai))+$"
)


def fold(value: str) -> str:
    """Lower-cased, unaccented, punctuation-light form for comparing names."""
    if not value.isascii():  # ASCII has no accents to strip, and casefold() is lower() there
        value = unicodedata.normalize("NFKD", value)
        value = "".join(c for c in value if not unicodedata.combining(c))
    value = value.casefold().replace("’", "'")
    value = _PUNCTUATION.sub(" ", value)
    return _SPACE.sub(" ", value).strip()


def org_key(name: str) -> str:
    """A key that ignores case, accents, punctuation and suffixes such as Inc., Labs, AI:
    "Mistral AI", "mistral" and "Mistral Inc." share one key."""
    key = fold(name).replace(".", " ").strip()
    stripped = _ORG_SUFFIXES.sub("", key).strip()
    return _SPACE.sub(" ", stripped or key)


def person_key(name: str) -> str:
    return fold(name).replace(".", "").replace("-", " ")
