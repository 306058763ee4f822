"""Text from outside (feeds, forms, query strings) made safe to store and compare."""

from __future__ import annotations

import re

# C0 controls but tab, newline and carriage return, plus DEL. PostgreSQL refuses NUL in text
# outright; the rest are invisible, break XML output and have no place in a name or a query.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_controls(value: str) -> bool:
    return CONTROL_CHARACTERS.search(value) is not None


def strip_controls(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value)


# Formatting characters that reorder or hide text: bidi embeddings, overrides and isolates,
# the zero-width space, word joiner and BOM. In a feed's title or a person's name they can
# reverse what follows on the page or hide where a name ends ("Mallory\u202eyrollam").
# Zero-width joiners and non-joiners stay: Persian and Indic names need them.
HIDDEN_FORMATTING = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u061c]")


def plain_line(value: str) -> str:
    """A title or a name as one clean line: no controls, no hidden formatting."""
    return HIDDEN_FORMATTING.sub("", strip_controls(value))
