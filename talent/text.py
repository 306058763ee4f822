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
