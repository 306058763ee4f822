"""Many word classes matched against one sentence at once, as cheaply as a few.

Each class is a regular expression of alternatives ("leav(?:es|e)|quits?|steps? down|…").
Scanning a sentence once per class tries every alternative of every class at every
position. Here the literal text each alternative begins with (its *heads*: "leaves",
"leave", "leaving"; "steps do", "step dow") is looked for in one Aho-Corasick pass over the
sentence, and a word start where one is found is tried only against the classes, and within
them only the alternatives, that can begin there. Most words begin none. The answers are
those of the plain patterns: `spans` gives what `finditer` of each class gives, `present`
what `search` says.
"""

from __future__ import annotations

import re
from re import _constants as sre  # the parser's node types: what a pattern can start with
from re import _parser

import ahocorasick

__all__ = ["WordClasses"]

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
HEAD = 8  # characters of an alternative looked for: "stepped " tells "stepped down" from "stepped"


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


# What a part of a pattern can begin with: a set of (text, open). An open text is all the
# part matched (the next part's text follows it); a closed one is where telling stops, at
# `length` characters or at an element whose characters cannot be listed ("\d", "[^,]").
_UNKNOWN = frozenset({("", False)})
_EMPTY = frozenset({("", True)})


def _then(first: set, then: set, length: int) -> set[tuple[str, bool]]:
    """What `first` followed by `then` begins with: each open text of first joined with each
    of then, cut at `length` characters."""
    found = set()
    for text, open_ in first:
        if not open_:
            found.add((text, False))
            continue
        for more, still_open in then:
            joined = text + more
            found.add((joined[:length], False) if len(joined) >= length else (joined, still_open))
    return found


def _begins(seq, length: int) -> set[tuple[str, bool]]:
    found: set[tuple[str, bool]] = set(_EMPTY)
    for op, av in seq:
        if not any(open_ for _, open_ in found):
            break
        if op is sre.LITERAL:
            # A character beyond ASCII folds in ways lower() does not tell (the Kelvin sign).
            step = {(chr(av).lower(), True)} if av < 128 else _UNKNOWN
        elif op is sre.IN:
            if all(kind is sre.LITERAL and c < 128 for kind, c in av):
                step = {(chr(c).lower(), True) for _, c in av}
            else:
                step = _UNKNOWN
        elif op is sre.BRANCH:
            step = set().union(*(_begins(branch, length) for branch in av[1]))
        elif op is sre.SUBPATTERN:
            step = _begins(av[-1], length)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            least, most, item = av
            once = _begins(item, length)
            if (least, most) == (0, 1):  # "(?:s|ed)?"
                step = once | _EMPTY
            else:  # once at least, then it cannot be told how often
                step = _then(once, _UNKNOWN, length) | (_EMPTY if least == 0 else set())
        elif op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            step = _EMPTY  # zero-width: "\b", lookarounds
        else:
            step = _UNKNOWN
        found = _then(found, step, length)
    return found


def heads(pattern: str, length: int = HEAD) -> set[str] | None:
    """The texts, lower-cased and up to `length` characters long, one of which every match of
    the pattern begins with: "steps? down" -> {"steps do", "step dow"}; a shorter one where a
    match may end or what follows cannot be listed: "if" -> {"if"}, "in (?:19|20)\\d\\d" ->
    {"in 19", "in 20"}. They compare with ASCII text, lower-cased, as IGNORECASE does. None
    when a match may begin with anything but an ASCII letter, or with what cannot be told
    from the pattern's first elements."""
    found = {text for text, _ in _begins(_parser.parse(f"(?:{pattern})", re.I), length)}
    if not all(text and text[0] in _LETTERS for text in found):
        return None
    return found


def first_letters(pattern: str) -> str | None:
    """The ASCII letters (case-folded) a match of the pattern must start with; None when
    it may start with anything else or cannot be told from its first elements."""
    found = heads(pattern, 1)
    return None if found is None else "".join(sorted(found))


# A character beyond ASCII that IGNORECASE matches to an ASCII letter: "İ", "ı", "ſ" (an s),
# the Kelvin sign. The regular expression engine's own folding tells, so none is missed.
_FOLDS_TO_ASCII = re.compile(r"(?![\x00-\x7f])(?i:[a-z])")


class WordClasses:
    """Named patterns, each `wrap` around its alternatives ("(?<![\\w-])(?:{})(?![\\w])"),
    case-insensitive. `starts` finds where a match can begin: a word's first character,
    as the wrap's opening assertion allows it."""

    def __init__(self, patterns: dict[str, str], wrap: str, starts: str) -> None:
        self.whole = {name: re.compile(wrap.format(p), re.I) for name, p in patterns.items()}
        self._starts = re.compile(starts)
        # The classes whose every alternative begins with a letter, as their alternatives;
        # a class that may begin with something else is matched whole.
        self._parts: dict[str, list[str]] = {}
        self._unindexed: list[str] = []
        owners: dict[str, list[tuple[str, int]]] = {}  # head -> (class, alternative)
        for name, pattern in patterns.items():
            parts = alternatives(pattern)
            found = [heads(part) for part in parts]
            if None in found:
                self._unindexed.append(name)
                continue
            self._parts[name] = parts
            for index, part_heads in enumerate(found):
                for head in part_heads:
                    owners.setdefault(head, []).append((name, index))
        compiled: dict[str, re.Pattern] = {}  # many heads share their alternatives
        # What to try where a head begins the text: the alternatives with a head that
        # begins this one ("leav" for "leaves").
        self._by_head = {
            head: self._patterns(
                {owner for n in range(1, len(head) + 1) for owner in owners.get(head[:n], ())},
                wrap,
                compiled,
            )
            for head in owners
        }
        # Every head in one automaton: all the places where one begins, in one pass in C.
        self._automaton = ahocorasick.Automaton()
        for head in owners:
            self._automaton.add_word(head, head)
        self._automaton.make_automaton()
        # For text that folds beyond ASCII: by the first letter alone, or every class.
        self._by_letter = {
            letter: self._patterns(
                {owner for head, found in owners.items() if head[0] == letter for owner in found},
                wrap,
                compiled,
            )
            for letter in _LETTERS
        }
        self._every = tuple((name, self.whole[name]) for name in self._parts)

    def _patterns(
        self, chosen: set[tuple[str, int]], wrap: str, compiled: dict[str, re.Pattern]
    ) -> tuple[tuple[str, re.Pattern], ...]:
        """Each class with chosen alternatives, as a pattern of just those in their order:
        where the others cannot match, the first of these to match is the whole class's."""
        found = []
        for name, parts in self._parts.items():
            kept = "|".join(part for index, part in enumerate(parts) if (name, index) in chosen)
            if kept:
                pattern = wrap.format(kept)
                if pattern not in compiled:
                    compiled[pattern] = re.compile(pattern, re.I)
                found.append((name, compiled[pattern]))
        return tuple(found)

    def _candidates(self, text: str) -> list[tuple[int, tuple[tuple[str, re.Pattern], ...]]]:
        """The word starts where some indexed class may match, in order, each with the
        classes to try there (as patterns of just the alternatives that may match).

        An alternative matching at a word start begins with one of its heads, which the
        lower-cased text then holds there; the longest head found there begins with it,
        and _by_head holds every alternative with a head that begins the longest. This
        reads lower() as IGNORECASE only while no character folds to ASCII otherwise (and
        lower-casing keeps every character at its place); else each word start is tried
        against every alternative of its first letter, or every class."""
        if not self._parts:
            return []  # every class is matched whole (and the automaton is empty)
        lowered = text.lower()
        if _FOLDS_TO_ASCII.search(text) or len(lowered) != len(text):
            found = []
            for start in self._starts.finditer(text):
                char = text[start.start()]
                tried = self._by_letter.get(char.lower(), ()) if char.isascii() else self._every
                found.append((start.start(), tried))
            return found
        longest: dict[int, str] = {}
        for end, head in self._automaton.iter(lowered):
            at = end - len(head) + 1
            if len(head) > len(longest.get(at, "")) and self._starts.match(text, at):
                longest[at] = head
        return [(at, self._by_head[longest[at]]) for at in sorted(longest)]

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """(class, start, end) of every match of every class, as each one's finditer."""
        found = [
            (name, match.start(), match.end())
            for name in self._unindexed
            for match in self.whole[name].finditer(text)
        ]
        free_from = dict.fromkeys(self._parts, 0)  # a class's matches never overlap
        for at, tried in self._candidates(text):
            for name, pattern in tried:
                if at >= free_from[name]:
                    match = pattern.match(text, at)
                    if match:
                        found.append((name, at, match.end()))
                        free_from[name] = match.end()
        return found

    def present(self, text: str) -> set[str]:
        """The classes with a match anywhere in the text, as each one's search."""
        found = {name for name in self._unindexed if self.whole[name].search(text)}
        for at, tried in self._candidates(text):
            for name, pattern in tried:
                if name not in found and pattern.match(text, at):
                    found.add(name)
        return found
