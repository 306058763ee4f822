"""Tagging a sentence for the move grammar: organizations, titles and people become
placeholders (⟨O3⟩, ⟨T1⟩, ⟨P0⟩), so the patterns in grammar.py read like the sentences they
match. Surnames, first names and pronouns resolve to the people the item names in full."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from feeds.extract import lexicon as lx
from feeds.extract.text import fold, org_key

_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪĮİĶĹĽŁŃŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"


_LOWER = "a-zà-öø-ÿāăąćčďđēęěğīįıķĺľłńňōőœŕřśşšţťūůűųźżž"


_NAME_TOKEN = rf"[{_UPPER}](?:[{_LOWER}]+(?:[{_UPPER}][{_LOWER}]+)?(?:-[{_UPPER}]?[{_LOWER}]+|'[{_UPPER}][{_LOWER}]+)*|\.)"


_PARTICLE = r"(?:de|De|van|von|der|den|da|del|di|la|le|bin|al|Mc)"


_PERSON_RUN = re.compile(
    rf"(?<![\w⟨])({_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_TOKEN}){{1,3}})(?![\w⟩])"
)


_SINGLE = re.compile(rf"(?<![\w⟨])({_NAME_TOKEN})(?![\w⟩])")


def _title_regex() -> re.Pattern:
    modifiers = r"(?:(?:interim|acting|new|senior|executive|deputy|principal|founding|global|general|co-)\s*)*"
    body = "|".join(f"(?:{t})" for t in lx.TITLES)
    return re.compile(rf"(?<![\w⟨])({modifiers}(?:{body}))(?![\w⟩])", re.I)


_TITLE = _title_regex()


_UNIT_TAIL = re.compile(
    r"(?:\s+(?:AI|Research|Superintelligence|Labs?|Applications|Brain|Cloud|Reality|FAIR|Robotics|"
    r"Health|Studios|Foundation|Models|for Science|Platforms?))+(?![\w])"
)


_TITLE_CASE_SENSITIVE = re.compile(r"^(?:C[A-Z]O|CAIO|VP)\b")


@dataclass
class Mention:
    kind: str  # "O", "P", "T"
    text: str
    value: str  # canonical organization, full person name, or title text
    start: int
    end: int
    possessive: bool = False  # "his"/"her": written as ⟨P⟩'s in the template
    unit: str | None = None  # "Microsoft AI" in "Microsoft AI": a team-like unit of the org


@dataclass
class Tagged:
    sentence: str
    template: str
    mentions: list[Mention]
    in_title: bool

    def get(self, token: str | None) -> Mention | None:
        if not token:
            return None
        return self.mentions[int(token[2:-1])]

    def people(self, tokens: str) -> list[Mention]:
        found = [self.mentions[int(i)] for i in re.findall(r"⟨P(\d+)⟩", tokens)]
        if len(found) > 1 and not re.search(r"\b(?:and)\b|&", tokens):
            return found[:1]  # "A, B said": a comma alone does not make a list
        return found

    def origins(self, tokens: str) -> dict[str, str]:
        """In "A, B and C from OpenAI, and D from Google DeepMind", where each came from."""
        origins, pending = {}, []
        for person, org in re.findall(r"⟨P(\d+)⟩|⟨O(\d+)⟩", tokens):
            if person:
                pending.append(self.mentions[int(person)].value)
            elif pending:
                for name in pending:
                    origins[name] = self.mentions[int(org)].value
                pending = []
        return origins

    def titles_of(self, tokens: str) -> dict[str, str]:
        """In "chief research officer Bob McGrew and research VP Barret Zoph", each
        person's own title."""
        titles = {}
        for title, person in re.findall(r"⟨T(\d+)⟩ (?:[\w-]+ ){0,2}?⟨P(\d+)⟩", tokens):
            titles[self.mentions[int(person)].value] = self.mentions[int(title)].value
        return titles


_PRONOUN = re.compile(r"(?<![\w⟨])(He|She|he|she|His|his|Her|her|him)(?![\w⟩])")


_POSSESSIVE_PRONOUNS = {"His", "his", "Her", "her"}


_ROLE_SUBJECT = re.compile(
    r"^(?:The|the) (?:former |ex-|new )?(?:[\w-]+ ){0,4}?(?:researcher|executive|scientist|engineer|director|founder|co-founder|veteran|chief|leader|educator|boss|hire|executive|investor|entrepreneur)\b"
)


_TOKEN = re.compile(r"\w(?:[\w.&'’-]*\w)?")


_POSSESSIVE = re.compile(r"['’]s$")


_WORDS_ONLY = re.compile(r"[\w.&'’ -]+")


def _name_tokens(name: str) -> tuple[str, ...]:
    return tuple(t.rstrip(".") for t in name.split())


class _Lexicon:
    """Organization names from the built-in list and the gazetteer, found by looking up each
    word in a table of names keyed by their first word: thousands of known names cost no
    more per sentence than a handful (one big regex alternation would)."""

    def __init__(self, extra_names: tuple[str, ...]) -> None:
        canonical: dict[str, str] = {}
        by_first: dict[str, set[tuple[str, ...]]] = {}
        variants = [
            (v, name) for name, aliases in lx.ORGANIZATIONS.items() for v in (name, *aliases)
        ]
        variants += [(name, name) for name in extra_names if len(name) >= 2 and name != "X"]
        for variant, name in variants:
            canonical.setdefault(org_key(variant), name)
            tokens = _name_tokens(variant)
            if tokens:
                by_first.setdefault(tokens[0], set()).add(tokens)
        self.canonical = canonical
        self.by_first = {k: sorted(v, key=len, reverse=True) for k, v in by_first.items()}

    def finditer(self, text: str):
        """(start, end, name as written) for each organization named in text."""
        tokens = list(_TOKEN.finditer(text))
        i = 0
        while i < len(tokens):
            word = tokens[i].group(0)
            bare = _POSSESSIVE.sub("", word)
            candidates = self.by_first.get(word.rstrip(".")) or self.by_first.get(bare)
            matched = 0
            for name in candidates or ():
                k = len(name)
                window = [t.group(0) for t in tokens[i : i + k]]
                if len(window) < k:
                    continue
                last = _POSSESSIVE.sub("", window[-1]).rstrip(".")
                if tuple(w.rstrip(".") for w in window[:-1]) + (last,) == name:
                    # Whole words only, and never across a sentence's placeholders.
                    end = tokens[i + k - 1].start() + len(last)
                    begin = tokens[i].start()
                    whole = (
                        text[end : end + 1] != "⟩"
                        and text[begin - 1 : begin] != "⟨"
                        and _WORDS_ONLY.fullmatch(text[begin:end])
                    )
                    if whole:
                        yield begin, end, text[begin:end]
                        matched = k
                        break
            i += matched or 1

    def canonical_name(self, text: str) -> str:
        return self.canonical.get(org_key(text), text)


@lru_cache(maxsize=4)
def _lexicon(extra: tuple[str, ...]) -> _Lexicon:
    return _Lexicon(extra)


def _person_runs(sentence: str) -> list[tuple[int, int, str]]:
    """Spans that look like people's full names: two to four capitalised words, none of
    them a word that marks a thing (Labs, Forum, AI...)."""
    runs = []
    for match in _PERSON_RUN.finditer(sentence):
        start = match.start(1)
        tokens = match.group(1).split()
        while tokens and tokens[0] in lx.NOT_NAME_START:
            start += len(tokens[0]) + 1
            tokens = tokens[1:]
        if len(tokens) < 2 or any(t.rstrip(".") in lx.NOT_NAME_WORDS for t in tokens):
            continue
        if tokens[-1] in lx.NOT_NAME_START:
            continue
        end = start + len(" ".join(tokens))
        if sentence[start:end] != " ".join(tokens):  # irregular spacing: take as written
            end = match.end(1)
        runs.append((start, end, sentence[start:end]))
    return runs


class _Document:
    """One item being read: its people (so surnames and pronouns resolve) and orgs."""

    def __init__(self, lexicon: _Lexicon) -> None:
        self.lexicon = lexicon
        self.people: dict[str, str] = {}  # folded surname -> full name
        self.subject: str | None = None  # last sentence's first person
        self.first_person: str | None = None

    def prescan(self, text: str) -> None:
        """Learn the item's full names first, so a headline's bare surname resolves."""
        masked = list(text)
        for start, end, _ in self.lexicon.finditer(text):
            masked[start:end] = "#" * (end - start)
        masked = "".join(masked)
        first: dict[str, set[str]] = {}
        for _, _, name in _person_runs(masked):
            self.people.setdefault(fold(name.split()[-1]), name)
            first.setdefault(fold(name.split()[0]), set()).add(name)
        for key, names in first.items():  # "Dario" when only one Dario is named
            if len(names) == 1:
                self.people.setdefault(key, next(iter(names)))

    def tag(self, sentence: str, *, in_title: bool) -> Tagged:
        spans: list[Mention] = []
        taken = [False] * len(sentence)

        def free(start: int, end: int) -> bool:
            return not any(taken[start:end])

        def take(m: Mention) -> None:
            spans.append(m)
            for i in range(m.start, m.end):
                taken[i] = True

        for start, org_end, written in self.lexicon.finditer(sentence):
            if not free(start, org_end):
                continue
            end, unit = org_end, None
            tail = _UNIT_TAIL.match(sentence, end)
            if tail:  # "Microsoft AI", "Meta Superintelligence Labs": a unit of the org
                end = tail.end()
                unit = sentence[start:end]
            mention = Mention(
                "O", sentence[start:end], self.lexicon.canonical_name(written), start, end
            )
            mention.unit = unit
            take(mention)

        def masked() -> str:
            # Titles and names must not run into an organization already found.
            return "".join("\x00" if t else c for c, t in zip(sentence, taken, strict=True))

        for match in _TITLE.finditer(masked()):
            text = match.group(1)
            if not free(match.start(1), match.end(1)):
                continue
            if text.isupper() and not _TITLE_CASE_SENSITIVE.match(text):
                continue
            take(Mention("T", text, text.strip(), match.start(1), match.end(1)))
        for start, end, name in _person_runs(masked()):
            if not free(start, end):
                continue
            take(Mention("P", name, name, start, end))
            self.people.setdefault(fold(name.split()[-1]), name)
        for match in _SINGLE.finditer(masked()):
            full = self.people.get(fold(match.group(1)))
            if full and free(match.start(1), match.end(1)):
                take(Mention("P", match.group(1), full, match.start(1), match.end(1)))
        named = sorted((m for m in spans if m.kind == "P"), key=lambda m: m.start)
        for match in _PRONOUN.finditer(sentence):
            if not free(match.start(1), match.end(1)):
                continue
            # "X said he ...": the person named earlier in this sentence; else the last
            # sentence's subject.
            before = [m.value for m in named if m.end <= match.start(1)]
            # "X told staff that Y will report to him": the object is the subject (X);
            # "Y, who announced his exit": a subject or possessive is the nearest (Y).
            pick = 0 if match.group(1) == "him" else -1
            nearest = before[pick] if before else None
            referent = nearest or self.subject or self.first_person
            if referent:
                pronoun = match.group(1)
                take(
                    Mention(
                        "P",
                        pronoun,
                        referent,
                        match.start(1),
                        match.end(1),
                        pronoun in _POSSESSIVE_PRONOUNS,
                    )
                )
        referent = self.subject or self.first_person
        role = _ROLE_SUBJECT.match(sentence)
        if referent and role and free(0, role.end()):
            take(Mention("P", role.group(0), referent, 0, role.end()))

        spans.sort(key=lambda m: m.start)
        parts, cursor = [], 0
        for index, mention in enumerate(spans):
            parts.append(sentence[cursor : mention.start])
            parts.append(f"⟨{mention.kind}{index}⟩" + ("'s" if mention.possessive else ""))
            cursor = mention.end
        parts.append(sentence[cursor:])
        people = [m.value for m in spans if m.kind == "P" and not m.possessive]
        if people:
            self.subject = people[0]
            self.first_person = self.first_person or people[0]
        return Tagged(sentence, "".join(parts), spans, in_title)
