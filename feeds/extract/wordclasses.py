"""Many word classes matched against one sentence at once, as cheaply as a few.

Each class is a regular expression of alternatives ("leav(?:es|e)|quits?|steps? down|…").
Scanning a sentence once per class tries every alternative of every class at every
position; here each word start is tried only against the classes, and within them only the
alternatives, that can begin with its letter. The answers are those of the plain patterns:
`spans` gives what `finditer` of each class gives, `present` what `search` says.
"""

from __future__ import annotations

import re
from re import _constants as sre  # the parser's node types: what a pattern can start with
from re import _parser

__all__ = ["WordClasses"]

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression: "a|b(c|d)" -> ["a", "b(c|d)"]."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c in "()":
            depth += 1 if c == "(" else -1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def first_letters(pattern: str) -> str | None:
    """The ASCII letters (case-folded) a match of the pattern must start with; None when
    it may start with anything else or cannot be told from its first elements."""

    def first(seq) -> tuple[set[str] | None, bool]:  # (letters or None for any, nullable)
        found: set[str] = set()
        for op, av in seq:
            if op is sre.LITERAL:
                return found | {chr(av).lower()}, False
            if op is sre.IN:
                if any(kind is not sre.LITERAL for kind, _ in av):
                    return None, False
                return found | {chr(c).lower() for _, c in av}, False
            if op is sre.BRANCH:
                inner = [first(branch) for branch in av[1]]
                if any(letters is None for letters, _ in inner):
                    return None, False
                found.update(*(letters for letters, _ in inner))
                if not any(nullable for _, nullable in inner):
                    return found, False
            elif op in (sre.SUBPATTERN, sre.MAX_REPEAT, sre.MIN_REPEAT):
                letters, nullable = first(av[-1])
                if letters is None:
                    return None, False
                found |= letters
                if not nullable and (op is sre.SUBPATTERN or av[0] > 0):
                    return found, False
            elif op not in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
                return None, False
        return found, True

    letters, nullable = first(_parser.parse(f"(?:{pattern})", re.I))
    if letters is None or nullable or not all(c in _LETTERS for c in letters):
        return None
    return "".join(sorted(letters))


class WordClasses:
    """Named patterns, each `wrap` around its alternatives ("(?<![\\w-])(?:{})(?![\\w])"),
    case-insensitive. `starts` finds where a match can begin: a word's first character,
    as the wrap's opening assertion allows it."""

    def __init__(self, patterns: dict[str, str], wrap: str, starts: str) -> None:
        self.whole = {name: re.compile(wrap.format(p), re.I) for name, p in patterns.items()}
        self._starts = re.compile(starts)
        self._by_letter: dict[str, list[tuple[str, re.Pattern]]] = {}
        self._unindexed: list[str] = []  # classes that may start with something else
        gate: dict[str, list[str]] = {}  # letter -> alternatives of every class
        for name, pattern in patterns.items():
            by_letter: dict[str, list[str]] = {}
            parts = alternatives(pattern)
            letters = [first_letters(part) for part in parts]
            if any(found is None for found in letters):
                self._unindexed.append(name)
                continue
            for part, found in zip(parts, letters, strict=True):
                for letter in found:
                    by_letter.setdefault(letter, []).append(part)
            for letter, found_parts in by_letter.items():
                gate.setdefault(letter, []).extend(found_parts)
                compiled = re.compile(wrap.format("|".join(found_parts)), re.I)
                self._by_letter.setdefault(letter, []).append((name, compiled))
        # Where any indexed class can match, found by one scan in C instead of a call per
        # word and class: each letter's alternatives of every class, behind a test of the
        # letter, in one zero-width lookahead (so starts that overlap are all found). Most
        # words match no class, and the classes are then tried only at the few that do.
        self._gate = re.compile(
            f"(?=(?={starts})(?:"
            + "|".join(f"(?=[{c}]){wrap.format('|'.join(p))}" for c, p in gate.items())
            + "))",
            re.I,
        )

    def _tried(self, text: str, at: int):
        char = text[at]
        # Case folding beyond ASCII ("K" is also the Kelvin sign): every class is tried.
        return self._by_letter.get(char.lower(), ()) if char.isascii() else self.whole.items()

    def _candidates(self, text: str) -> list[int]:
        """The word starts where some indexed class may match: the gate's positions (the
        gate holds every alternative of every indexed class, under the same flags)."""
        return [found.start() for found in self._gate.finditer(text)]

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """(class, start, end) of every match of every class, as each one's finditer."""
        unindexed = set(self._unindexed)
        found = [
            (name, match.start(), match.end())
            for name in self._unindexed
            for match in self.whole[name].finditer(text)
        ]
        free_from = dict.fromkeys(self.whole, 0)  # a class's matches never overlap
        for at in self._candidates(text):
            for name, pattern in self._tried(text, at):
                if at >= free_from[name] and name not in unindexed:
                    match = pattern.match(text, at)
                    if match:
                        found.append((name, at, match.end()))
                        free_from[name] = match.end()
        return found

    def present(self, text: str) -> set[str]:
        """The classes with a match anywhere in the text, as each one's search."""
        found = {name for name in self._unindexed if self.whole[name].search(text)}
        for at in self._candidates(text):
            for name, pattern in self._tried(text, at):
                if name not in found and pattern.match(text, at):
                    found.add(name)
        return found
