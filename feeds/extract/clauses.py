"""Stage 3, clauses: who did what to which organization, read from tagged sentences.

The clause patterns are tables of readable lines over placeholders (see mentions.py): {P} a
person, {PS} a list of people, {TO}/{FROM} organizations, {T} a title, {NEW} an organization
not known yet, {V:x} and {N:x} verbs and nouns from lexicon.py. "⟨O0⟩ hires ⟨P1⟩" and "⟨P1⟩
joins ⟨O0⟩" are one line each: the subject, the verb and the organization each preposition or
possessive attaches to are read from the same line. Each match is a Claim (one person, one
kind of change, the organizations at either end); descriptions of people ("OpenAI's chief
scientist Ilya Sutskever") are Affiliations. Stage 4 (moves.py) turns claims into moves.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from re import _constants as sre  # the parser's node types, as wordclasses.py reads them
from re import _parser

import ahocorasick

from feeds.extract import lexicon as lx
from feeds.extract.mentions import UPPER as _UPPER
from feeds.extract.mentions import Lexicon, Tagged

__all__ = [
    "Affiliation",
    "Claim",
    "RULES_TABLE",
    "AFFILIATIONS_TABLE",
    "affiliations",
    "claims",
    "team_in",
    "HISTORY_CUE",
    "FOUNDER_TITLE",
    "MANAGER",
    "ROLE_AS",
    "GROUP",
    "hedged",
]


@dataclass
class Affiliation:
    person: str
    org: str
    title: str | None
    current: bool
    evidence: str


@dataclass
class Claim:
    kind: str
    person: str
    rule: str = ""  # the grammar line's kind, before kinds are merged
    year: int | None = None  # "joined X in 2008": the year the sentence gives the event
    weak: bool = False  # background ("the startup co-founded by P"), not news by itself
    to_org: str | None = None
    from_org: str | None = None
    title: str | None = None
    team: str | None = None
    manager: str | None = None
    rumor: bool = False
    confidence: float = 0.7
    evidence: list[str] = field(default_factory=list)
    verb: str = ""


# One person of a list, with a title and where they come from: "OpenAI research lead ⟨P1⟩
# from ⟨O2⟩".
_LISTED = (
    r"(?:(?:⟨O\d+⟩ )?(?:[\w-]+ ){0,2}⟨T\d+⟩ (?:and (?:[\w-]+ )?⟨T\d+⟩ )?)?⟨P\d+⟩(?: from ⟨O\d+⟩)?"
)
# Words that make a description history: "former OpenAI CTO Mira Murati".
_FORMER = "former |ex-|onetime |previously |formerly "
_SLOTS = {
    "{P}": r"(?P<person>⟨P\d+⟩)",
    "{PS}": rf"(?P<people>{_LISTED}(?:(?:(?:,\s*{_LISTED})+,?|\s)\s*(?:and|&)\s+{_LISTED}(?:,\s+and\s+{_LISTED})?)?)",
    "{TO}": r"(?P<to>⟨O\d+⟩)",
    "{FROM}": r"(?P<from>⟨O\d+⟩)",
    "{FROM2}": r"(?P<from2>⟨O\d+⟩)",
    "{ORG}": r"⟨O\d+⟩",
    "{T}": r"(?P<title>⟨T\d+⟩)",
    "{T?}": r"(?:(?P<title0>⟨T\d+⟩)\s+)?",
    "{MGR}": r"(?P<manager>⟨P\d+⟩)",
    "{NEW}": rf"(?P<new>⟨O\d+⟩|[{_UPPER}][\w.&'-]*(?:\s+[{_UPPER}][\w.&'-]*){{0,3}})",
    "{AUX}": lx.AUX,
    "{W}": r"(?:[^⟨⟩.;:]{0,60}?)",
    "{DESC}": r"(?:(?:former |ex-)?(?:⟨O\d+⟩(?:'s)? )?(?:[\w-]+ ){0,4}?(?:⟨T\d+⟩ )?)",
    "{S}": r"(?:'s?\s+)",
    "{FORMER}": rf"(?P<former>{_FORMER})",
}


def _compile(pattern: str) -> re.Pattern:
    for name, words in lx.VERBS.items():
        # The first verb of a pattern is named, so negation is judged next to it.
        pattern = pattern.replace(f"{{V:{name}}}", f"(?P<verb>{words})", 1)
        pattern = pattern.replace(f"{{V:{name}}}", f"(?:{words})")
    for name, words in lx.NOMINAL.items():
        pattern = pattern.replace(f"{{N:{name}}}", f"(?:{words})")
    for slot, regex in _SLOTS.items():
        pattern = pattern.replace(slot, regex)
    return re.compile(pattern, re.I)


# (what the rule finds, pattern, confidence). "hire" becomes a join or, for someone already
# at the organization, a promotion; "leave_for" is a join that names where the person left.
# The move grammar, one rule a line: what the rule finds, its confidence, the pattern.
# "hire" becomes a join or, for someone already at the organization, a promotion;
# "leave_for" is a join that names where the person left; "found*" are foundings.
# Slots: {P} a person, {PS} a list of people, {TO}/{FROM} organizations, {T} a title,
# {NEW} an organization not known yet, {V:x}/{N:x} verbs and nouns from lexicon.py,
# {AUX} auxiliaries ("has", "will", "is set to"...), {DESC} a description before a name.
RULES_TABLE = r"""
return     0.90  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:return} {TO}
return     0.90  {TO} {AUX}{V:rehire} {DESC}{PS}
return     0.85  {TO}(?:'s board)? {AUX}(?:to )?(?:bring|brings|brought|bringing|lure|lures|woo|woos) {DESC}{PS} back
return     0.85  {PS}[^.;]{0,60}?\b(?P<verb>return(?:s|ed|ing)?) (?:as|to) {TO}
return     0.85  {PS}'s (?:{N:return}) to {TO}
leave_for  0.92  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:leave} {FROM}(?:'s [^⟨⟩]{0,30}?)? (?:for|to join|to go to|to head to|and joins|, joining|to work at) (?:(?:a|an|the) [^⟨⟩.;]{0,40}?(?:called|named|dubbed|,) )?{TO}
leave_for  0.90  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:join} {TO} (?:after|having) (?:leaving|quitting|departing|exiting|stepping down (?:at|from)) {FROM}
leave_for  0.90  {PS} {AUX}(?:{V:leave}|moves?|moved|switch(?:es|ed)?) from {FROM} to {TO}
leave_for  0.85  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:leave} (?:for|to join) {TO}
leave_for  0.80  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:leave} (?:{FROM} )?[^.;]{0,40}?to (?:take|run|lead|become|head|helm)\b[^.;]{0,40}? (?:at|of) {TO}
leave_for  0.85  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:join} (?:{TO} )?from {FROM}
leave_for  0.85  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:leave} as (?:{FROM}'s )?{T}(?: (?:of|at) {FROM2})? (?:to join|for|and join|and joins) {TO}
leave_for  0.90  {TO} (?:{V:hire}) {PS} from {FROM}
leave_for  0.85  {FROM} {AUX}(?:loses|lost|is losing|has lost) {DESC}{PS} to {TO}
leave_for  0.85  {TO} {AUX}(?:{V:hire}) [^⟨⟩.;:]{0,40}?from {FROM}[^⟨⟩.;:]{0,40}?: {PS}
leave_for  0.85  {PS}'s (?:{N:move}|{N:leave}) from {FROM} to {TO}
found_from 0.80  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:leave} (?:{FROM}|the company)[^.;]{0,40}? (?:to|and) (?:co-?found|found|launch|start|build|set up|form|create)\b(?: (?:a|an|his|her|their|its|⟨P\d+⟩'s) (?:own )?)?(?:[^⟨⟩.]{0,60}?(?:called|named) {NEW})?
found_from 0.75  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:leave}(?:[^.;]{0,60}?{FROM})?[^.;]{0,60}? (?:to|and) (?:co-?found|found|launch|start|build|set up|form|create)\b
found      0.85  {PS}(?:,[^.;]{0,100}?,)? {AUX}(?:co-?found(?:s|ed)?|found(?:s|ed)|launch(?:es|ed)|start(?:s|ed)|unveil(?:s|ed)|set(?:s)? up|form(?:s|ed)|creat(?:es|ed)|establish(?:es|ed)) {NEW}
found      0.85  {PS}(?:,[^.;]{0,100}?,)? {AUX}(?:co-?found(?:s|ed)?|found(?:s|ed)|launch(?:es|ed)|start(?:s|ed)|unveil(?:s|ed)|set(?:s)? up|form(?:s|ed)|creat(?:es|ed)|establish(?:es|ed)) (?:a |an |the |his |her |their )?(?:new )?(?:[\w-]+ ){0,3}?(?:company|startup|lab|laboratory|venture|firm|school|business|outfit)(?:,| called| named) {NEW}
found      0.75  {PS}'s (?:new )?(?:startup |company |lab |venture )?{NEW} {AUX}(?:emerges?|emerged|launches|launched|debuts?|debuted)(?: (?:from|out of) stealth)?
found_by   0.70  {PS} {AUX}(?:are|is|were|was) (?:the |a |an )?(?:\w+ )?(?P<founder>⟨T\d+⟩)(?: and (?:[\w-]+ )?(?P<title>⟨T\d+⟩))?(?: of {NEW})?
found_by~  0.75  {P}'s co-?founders (?:are|include|were) {PS}
found_by~  0.70  {PS} {AUX}(?:join|joins|joined|joining) (?:[^.;]{0,30}? )?as (?:fellow )?co-?founders?
found_by   0.85  {NEW}(?:,[^.;]{0,100}?,)? {AUX}(?:co-?founded|founded|started|launched|created|set up|formed|established) by {PS}
found_by~  0.80  {NEW}(?:,| -)[^⟨⟩]{0,80}?(?:co-?founded|founded|started|launched|created)(?: [\w ]{0,20}?)? by {DESC}{PS}
found_by   0.75  {PS}(?:,[^⟨⟩]{0,60}?,)? {AUX}(?:are|is|were|was) (?:the )?(?:co-?founders?|founders?) of {NEW}
join       0.90  {PS}(?:,? and (?:other|several|some|more|a few|a handful of) [^.;]{0,40}?)?(?:,[^.;]{0,120}?,)? {AUX}{V:join} (?:(?:a|an|the) [^⟨⟩.;]{0,50}?,? )?{TO}
join       0.85  {PS}(?:,[^.;]{0,120}?,)? (?:are|is|were|was) among (?:those|the [^⟨⟩.;]{0,30}?) {V:join} {TO}
join       0.85  {PS} {AUX}(?:is|was|has been|have been|are|were|will be) (?:named|appointed|hired|tapped|brought on|recruited|poached)[^⟨⟩.]{0,40}? (?:at|by|of|to) {TO}
hire       0.90  {TO} {AUX}(?:{V:hire}) {DESC}{PS}
hire       0.75  ^{NEW} {AUX}(?:{V:hire}) {DESC}{PS}
hire       0.80  {TO} {AUX}(?:{V:hire}) {W}{PS}
hire       0.85  {TO}'s (?:{N:hire}) of {DESC}{PS}
hire       0.85  {PS} {AUX}(?:is|was|are|were|becomes|became) {TO}(?:'s?|') (?:newest|latest|new|first|biggest|most recent|star) (?:[\w-]+ )?(?:hire|hires|recruit|recruits|addition|additions|arrival|arrivals|signing)
hire       0.80  {TO} {AUX}(?:{V:hire})[^⟨⟩.;:]{0,40}?: {PS}
hire       0.75  {TO}'s new (?:[\w-]+ ){0,2}?(?:hire )?{T?}{P}
hire       0.80  {TO} {AUX}{V:hire}[^⟨⟩.;]{0,60}? (?:are|include|includes|including) {PS}
hire       0.75  {TO} [^.;]{0,60}?, (?:and )?(?:{V:hire}) {DESC}{PS}
hire       0.85  (?:{N:hire}) of {DESC}{PS} (?:by|at|to) {TO}
hire       0.85  {PS}'s (?:{N:hire}|{N:move}) (?:as {T} )?(?:to|at|by|with) {TO}
hire       0.85  {PS}'s (?:{N:hire}) as {T} (?:of|at) {TO}
hire       0.70  {TO}'s (?:new )?(?:{N:hire} )?{T?}{P} {AUX}(?:will|to) (?:lead|run|head|oversee)
promote    0.85  {P} {AUX}(?:is|was|has been|gets|got) promoted to {W}{T}
promote    0.85  {TO} {AUX}promot(?:es|ed) {DESC}{P}
promote    0.75  {P} {AUX}(?:is|was|has been|have been|gets|got|were|is being) promoted\b
promote    0.80  {P} {AUX}(?:takes? over|took over|will take over|to take over|steps? up|stepped up|moves? up) as {W}{T}
promote    0.75  {P}(?:,[^.;]{0,80}?,)? {AUX}(?:becomes|became|become) (?:the |its |a |an )?(?:new )?(?:{ORG}'s )?{W}{T}
promote    0.80  {P}(?:,[^⟨⟩]{0,40}?(?:⟨T\d+⟩)?[^⟨⟩]{0,10}?,)? {AUX}(?:is|was) now {TO}'s {T}
promote    0.70  {P} {AUX}(?:moves|moved|shifts|shifted|is moving|transitions|transitioned) (?:from [^⟨⟩.]{0,40}? )?(?:into|to) (?:a |an |the )?[^⟨⟩.]{0,50}?(?:role|job|position)
promote    0.60  {P} {AUX}(?:takes? over|took over|will take over|to take over) (?:the )?{TO}?
promote    0.70  {P} {AUX}to (?:lead|run|head|oversee) {TO}
promote    0.75  {P} {AUX}(?:moves|moved|shifts|shifted|switches|switched) from [^.;]{0,40}? to (?:lead|run|head|oversee) {TO}
promote    0.75  {P} {AUX}(?:is |was )?(?:taking on|takes on|took on) a new role (?:heading|leading|running|overseeing) {TO}
promote    0.70  {T?}{P} {AUX}(?:serves?|served|serving|acts?|acted) as {W}{T}
promote    0.70  {P},? (?:is |was |has been )?(?:named|appointed|tapped|picked|chosen)(?: as)? (?:the |its |new )?{T}
succeed    0.80  (?P<predecessor0>⟨P\d+⟩) {AUX}(?:is|was|will be|has been) (?:succeeded|replaced) by {DESC}{P}
succeed    0.80  {P}(?:,[^.;]{0,80}?,)? {AUX}(?:succeed|succeeds|succeeded|succeeding|replace|replaces|replaced|replacing|takes? over from|took over from|taking over from)(?! by\b) {DESC}(?P<predecessor>⟨P\d+⟩)(?: as (?:{ORG} )?(?:{ORG}'s )?{T})?
handover   0.75  (?P<predecessor>⟨P\d+⟩)(?:,[^.;]{0,80}?,)? {AUX}(?:to )?(?:hand|hands|handed|handing|pass|passes|passed|passing) (?:over )?(?:the |his |her |its |[^.;]{0,30}?)(?:job|role|reins|title|baton|post)[^.;⟨⟩]{0,20}? to {DESC}{P}
promote    0.75  {P},? (?:is |was |has been )?(?:named|picked|chosen|tapped) (?:as )?(?:his |her |their )?successor
promote    0.75  {PS} {AUX}(?:will )?(?:run|lead|head) {TO}(?: together)? as (?P<plaintitle>co-CEOs|co-chief executives|co-presidents)
hire       0.75  (?:the |its |{TO}'s )?board {AUX}(?:{V:hire}) {DESC}{PS}
return     0.75  {PS} {AUX}(?:come|comes|came|coming) back(?: as (?:the |its )?{T})?
return     0.75  {PS}(?:,[^.;]{0,100}?,)? {AUX}(?:{V:return}) the (?:company|startup|lab|firm|group)
join       0.75  {PS} {AUX}(?:joins|joined|join|joining|comes over|came over|signs on|signed on) as {W}{T}
hire       0.75  new hire {P} {AUX}(?:{V:lead}) {TO}
leave      0.80  {PS} {AUX}out as (?:{ORG}'s )?{T}
leave      0.85  {FROM}(?:'s)? (?:board |directors )?{AUX}(?:{V:oust}) {DESC}{PS}
leave      0.75  {PS}(?:,[^.;]{0,100}?,)? {AUX}(?:were|was|has been|have been|had been|are|is|will be) (?:removed|fired|ousted|dismissed|pushed out|let go|forced out)\b(?: (?:from|at|of) (?:the )?{FROM})?
leave      0.85  {FROM}{S}{T?}{P} {AUX}(?:{V:leave})
leave      0.85  {FROM} {T} {P} {AUX}(?:{V:leave})
leave      0.85  {PS}(?:,[^.;]{0,120}?,)? {AUX}(?:{V:leave})(?: (?:as [^⟨⟩]{0,40}?)?(?:from|at|of)?)? (?:the )?{FROM}
leave      0.60  {PS}(?:,[^.;]{0,120}?,)? {AUX}(?:{V:leave})\b(?! (?:a|an|comments?|reply|replies|note|notes|message|remarks?|reviews?|feedback|behind|room|open|out of)\b)
leave      0.80  {PS}'s (?:{N:leave}) (?:from )?{FROM}
leave      0.65  {PS}'s (?:{N:leave})\b
leave      0.75  {FROM} (?:employees|staff|colleagues|team|workers)[^⟨⟩.]{0,20}? of {P}'s (?:{N:leave})
leave      0.60  (?:{N:leave})s? of {DESC}{PS}
leave      0.60  after {P}(?:'s)? (?:{N:leave}|exit)
"""


def _parse_rules(table: str) -> list[tuple[str, str, float]]:
    rules = []
    for line in table.strip().splitlines():
        kind, confidence, pattern = line.split(None, 2)
        rules.append((kind, pattern.strip(), float(confidence)))
    return rules


RULES_TEXT = _parse_rules(RULES_TABLE)


# Each verb and noun class as a mark of its own when _classes reads where a pattern's classes
# stand: a character of Unicode's private use area, twice. No two marks begin alike, so the
# parser cannot factor a shared prefix out of "{N:hire}|{N:move}", and two characters are not
# made a character set as "a|b" would be.
_CLASS_MARK = {
    name: chr(0xE000 + number) * 2
    for number, name in enumerate(
        [f"V:{name}" for name in lx.VERBS] + [f"N:{name}" for name in lx.NOMINAL]
    )
}
_MARKED_CLASS = {mark[0]: name for name, mark in _CLASS_MARK.items()}


def _classes(pattern: str) -> frozenset[str]:
    """Verb and noun classes of which every match of the pattern contains one: a sentence
    with none of them cannot match, so the pattern is not tried (most patterns never run).
    A class that is one alternative among plain words ("(?:{V:leave}|moved|switched) from")
    rules nothing out, nor does an optional one."""
    marked = re.sub(r"\{([VN]:\w+)\}", lambda m: _CLASS_MARK[m[1]], pattern)
    for slot, regex in _SLOTS.items():
        marked = marked.replace(slot, regex)
    found: set[str] = set()
    for group in _runs(_parser.parse(marked, re.I), 1):
        names = [{_MARKED_CLASS[c] for c in run if c in _MARKED_CLASS} for run in group]
        if all(names):  # every alternative holds a class
            found.update(name for names_in in names for name in names_in)
    return frozenset(found)


# Characters a run may hold beyond ASCII: the placeholders' brackets, and the classes' marks.
_RUN_CHARACTERS = frozenset("⟨⟩").union(_MARKED_CLASS)


def _runs(seq, shortest: int) -> list[frozenset[str]]:
    """Text every match of a parsed pattern contains, lower-cased, as groups of which one
    must occur: runs of plain characters outside optional parts, and alternations whose
    every branch has one; runs shorter than `shortest` are left out."""
    found: list[frozenset[str]] = []
    run = ""
    for op, av in [*seq, (None, None)]:
        if op is sre.LITERAL and (av < 128 or chr(av) in _RUN_CHARACTERS):
            run += chr(av).lower()
            continue
        if len(run) >= shortest:
            found.append(frozenset([run]))
        run = ""
        mandatory_repeat = op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1
        if op is sre.SUBPATTERN or mandatory_repeat:
            found += _runs(av[-1], shortest)
        elif op is sre.BRANCH:
            picks = [_pick(_runs(branch, shortest)) for branch in av[1]]
            if all(picks):
                found.append(frozenset().union(*picks))
    return found


def _pick(groups: list[frozenset[str]]) -> frozenset[str]:
    """What stands for a branch of an alternation in the group the alternation requires:
    its longest run, when it has one; else the group of an alternation inside it, the one
    whose shortest word is longest ("(?:previously|formerly) led" holds one of those two);
    else nothing (the alternation requires no text)."""
    runs = [next(iter(group)) for group in groups if len(group) == 1]
    if runs:
        return frozenset([max(runs, key=len)])
    return max(groups, key=lambda group: min(map(len, group)), default=frozenset())


def _required(pattern: re.Pattern) -> tuple[frozenset[str], ...]:
    """Text every match of the pattern contains, lower-cased, as groups of which one must
    occur: ("removed", "fired", "ousted", ...), ("promoted",). Read from the parsed pattern.
    Runs shorter than three characters are left out (they are everywhere)."""
    return tuple(dict.fromkeys(_runs(_parser.parse(pattern.pattern, pattern.flags), 3)))


def _marks(pattern: re.Pattern) -> frozenset[str]:
    """The kinds of placeholder every match of the pattern contains, lower-cased as the
    required words are: "⟨p" for {P} or {PS}, "⟨o" for {TO}, "⟨t" for {T}; not those of
    optional parts or of one branch only ({NEW} may be a capitalized word instead)."""
    runs = _runs(_parser.parse(pattern.pattern, pattern.flags), 2)
    return frozenset(
        mark for group in runs if len(group) == 1 for mark in re.findall("⟨[pot]", *group)
    )


def _anchor(pattern: str) -> str:
    """Where a pattern can start: at a person's placeholder ("⟨P"), at an organization's
    ("⟨O"), where a person of a list can ({PS}: "people"), at any placeholder or the words
    before a title ("slot"), or also at a capitalized word ({NEW}), or anywhere ("": a
    literal start such as "after {P}")."""
    if pattern.startswith("{NEW}"):
        return "new"
    if re.match(r"\{(?:P|MGR)\}|\(\?P<predecessor0?>⟨P", pattern):
        return "⟨P"
    if re.match(r"\{(?:TO|FROM)\}", pattern):
        return "⟨O"
    if pattern.startswith("{PS}"):
        return "people"
    if pattern.startswith("{T?}"):
        return "slot"
    return ""


RULES = [
    (
        kind,
        compiled,
        confidence,
        _classes(pattern),
        _marks(compiled),
        _anchor(pattern),
        _required(compiled),
    )
    for kind, pattern, confidence in RULES_TEXT
    for compiled in [_compile(pattern)]
]


# Beyond ASCII, IGNORECASE matches four characters to ASCII letters (Python's re, checked
# over every code point); lower() makes "k" of the Kelvin sign, and two characters of "İ".
_ASCII_CASES = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "\u212a": "k"})


def _caseless(text: str) -> str:
    """The text lower-cased so that an ASCII word a pattern matches in it under IGNORECASE
    is in it as a plain substring."""
    # translate() reads the text a character at a time; the four characters are rare, and
    # a text without them translates to itself.
    if any(char in text for char in "İıſ\u212a"):
        text = text.translate(_ASCII_CASES)
    return text.lower()


class _Words:
    """Which of a table's required word groups a sentence has, from the words found in it
    (see _Reading): a group is there when one of its words is, as
    any(word in lowered for word in group) would say, for every group in one pass."""

    def __init__(self, groups: list[tuple[frozenset[str], ...]]) -> None:
        self.groups = {group for required in groups for group in required}
        self.words = {word for group in self.groups for word in group}
        self._groups_of = {
            word: frozenset(group for group in self.groups if word in group) for word in self.words
        }

    def groups_in(self, found: Iterable[str]) -> set[frozenset[str]]:
        """The groups that have one of these words; words of other tables are left out."""
        has: set[frozenset[str]] = set()
        for word in found:
            has |= self._groups_of.get(word, _NO_GROUPS)
        return has


_NO_GROUPS: frozenset[frozenset[str]] = frozenset()


# The verb and noun classes the patterns name ({V:join}, {N:hire}), each on its own: a
# rule that names classes is tried only when one of them matches in the sentence.
_CLASS_PATTERNS = {
    f"{prefix}:{name}": re.compile(rf"\b(?:{words})", re.I)
    for prefix, table in (("V", lx.VERBS), ("N", lx.NOMINAL))
    for name, words in table.items()
}
_CLASS_WORDS = {name: _required(pattern) for name, pattern in _CLASS_PATTERNS.items()}
_WORDS = _Words([rule[-1] for rule in RULES] + list(_CLASS_WORDS.values()))


class _ClassesIn(dict):
    """Whether each verb or noun class matches in a template (its pattern's search), read
    when a rule first asks. A sentence without any of the words every match of a class
    contains (`has`, see _Words) has no match of it, and is not searched."""

    def __init__(self, template: str, has: set[frozenset[str]]) -> None:
        super().__init__()
        self.template = template
        self.has = has

    def __missing__(self, name: str) -> bool:
        found = self.has.issuperset(_CLASS_WORDS[name]) and bool(
            _CLASS_PATTERNS[name].search(self.template)
        )
        self[name] = found
        return found


class _Index:
    """Each pattern's number filed under one group of words it requires, the one whose
    shortest word is longest (the rarest, as a rule). A sentence that lacks the group cannot
    have all of the pattern's words, so only the patterns filed under the groups it has, and
    those that require none, need a look."""

    def __init__(self, required: list[tuple[frozenset[str], ...]]) -> None:
        self.filed: dict[frozenset[str], list[int]] = {}
        self.unfiled: list[int] = []  # no word required
        for number, groups in enumerate(required):
            if groups:
                rarest = max(groups, key=lambda group: min(map(len, group)))
                self.filed.setdefault(rarest, []).append(number)
            else:
                self.unfiled.append(number)

    def candidates(self, has: set[frozenset[str]]) -> list[int]:
        """The numbers of the patterns that may have all their words in a sentence that has
        these groups of words, in table order (the order claims are listed in)."""
        numbers = set(self.unfiled)
        for group in has:
            numbers.update(self.filed.get(group, ()))
        return sorted(numbers)


_RULE_INDEX = _Index([rule[-1] for rule in RULES])


# A pattern that starts with {PS} matches only where a person of a list does.
_LISTED_AT = re.compile(_LISTED, re.I)
# A person's placeholder and a title's, as _LISTED_AT reads them (ignoring case).
_PERSON_AT = re.compile(r"⟨P\d+⟩", re.I)
_TITLE_AT = re.compile(r"⟨T\d+⟩", re.I)
_WORD_START = re.compile(r"(?<![\w⟨⟩-])[\w-]")
_CAPITAL_START = re.compile(rf"(?<![\w⟨⟩'-])[{_UPPER}]")
_MARK = re.compile("⟨")


class _Starts(dict):
    """Positions where a pattern that starts with a placeholder can match, by its anchor
    (see _anchor): each person's and each organization's placeholder; each placeholder and
    the two words before a title ("OpenAI research lead ⟨P⟩") for a list of people or a
    title; and for {NEW}, each capitalized word too. Matching only there is what keeps
    sixty patterns cheap. Each kind is read when a pattern first asks for it (a missing
    key): most sentences have the words of few patterns, or of none."""

    def __init__(self, template: str) -> None:
        super().__init__()
        self.template = template

    def __missing__(self, anchor: str) -> list[int]:
        self[anchor] = positions = self._read(anchor)
        return positions

    def _read(self, anchor: str) -> list[int]:
        template = self.template
        if anchor in _PLACEHOLDER:
            return [m.start() for m in _PLACEHOLDER[anchor].finditer(template)]
        if anchor == "slot":
            marks = [m.start() for m in _MARK.finditer(template)]
            slot = set(marks)
            titles = [at for at in marks if template.startswith("⟨T", at)]
            if titles:
                words = [m.start() for m in _WORD_START.finditer(template)]
                for at in titles:
                    before = bisect_left(words, at)
                    slot.update(words[max(0, before - 2) : before])
            return sorted(slot)
        if anchor == "people":
            # A list of people begins with its first person or that person's title: where
            # the list's head matches (a third of the places; thirty-five patterns start so).
            # The head's title is optional, so it matches at every person's placeholder;
            # elsewhere it needs a title, and in a sentence without one only there.
            persons = [m.start() for m in _PERSON_AT.finditer(template)]
            if not _TITLE_AT.search(template):
                return persons
            at_person = set(persons)
            return [at for at in self["slot"] if at in at_person or _LISTED_AT.match(template, at)]
        if anchor == "new":
            capitals = {m.start() for m in _CAPITAL_START.finditer(template)}
            return sorted(capitals.union(self["slot"]))
        raise KeyError(anchor)


_PLACEHOLDER = {"⟨P": re.compile("⟨P"), "⟨O": re.compile("⟨O")}


def _starts(template: str) -> _Starts:
    """Where the patterns can start in the template, read as they ask (see _Starts)."""
    return _Starts(template)


def _matches(
    pattern: re.Pattern, template: str, anchor: str, starts: dict[str, list[int]]
) -> Iterable[re.Match]:
    """pattern.finditer(template), trying only the positions where a match can begin."""
    if not anchor:
        return pattern.finditer(template)
    found = []
    end = 0
    for at in starts[anchor]:
        if at < end:
            continue
        match = pattern.match(template, at)
        if match:
            found.append(match)
            end = max(match.end(), at + 1)
    return found


def _marks_in(lowered: str) -> set[str]:
    """The kinds of placeholder a lower-cased template has, as _marks writes them."""
    return {mark for mark in ("⟨p", "⟨o", "⟨t") if mark in lowered}


# Who works where, read from how people are described: "OpenAI's chief scientist Ilya
# Sutskever", "Mira Murati, OpenAI's CTO". "current" lines describe a present job unless
# the text says former/ex- ({FORMER}); "past" lines are history.
AFFILIATIONS_TABLE = r"""
current  {FORMER}?(?P<org>⟨O\d+⟩)(?:'s)? (?:[\w-]+ ){0,4}?(?:(?P<title0>⟨T\d+⟩) and (?:[\w-]+ )?)?{T} {P}
current  (?P<org>⟨O\d+⟩)[^.;]{0,40}?{P}, (?:its|their) (?:[\w-]+ ){0,2}?{T}
current  (?:^|[,;:] |\. |later, )(?:[\w-]+ ){0,2}?(?:(?P<title0>⟨T\d+⟩) and )?{T} {P}(?P<org>)
current  {FORMER}?(?P<org>⟨O\d+⟩)'s (?:[\w-]+ ){0,4}?{P}
current  {P}, (?:the |a |an )?{FORMER}?(?P<org>⟨O\d+⟩)'s (?:[\w-]+ ){0,3}?{T}
current  {P}, (?:the |a |an |its )?{FORMER}?(?:[\w-]+ ){0,2}?(?:⟨T\d+⟩ and (?:[\w-]+ )?)?{T} (?:at|of) (?P<org>⟨O\d+⟩)
current  {P}, (?:the |a |an )?{FORMER}?(?P<org>⟨O\d+⟩) {T}
current  {P}(?:,)? who (?P<former>previously |formerly |once |had )?(?:leads|led|runs|ran|heads|headed|co-led|oversaw|oversees|works|worked|has worked|was|is|spent [^⟨⟩]{0,20}?)[^⟨⟩.]{0,50}?(?:at|of|for) (?P<org>⟨O\d+⟩)
past     {P}[^⟨⟩.]{0,40}?(?P<former>was a founding member of|helped found|co-?founded|(?:previously|formerly|earlier) (?:led|ran|headed|worked|was)[^⟨⟩.]{0,60}?(?:at|of)) (?P<org>⟨O\d+⟩)
past     (?P<former>(?:his|her|their) (?:time|years|stint|tenure) at) (?P<org>⟨O\d+⟩)
current  {PS},? who (?:set up|built|ran|runs|led|leads|head|heads|started) (?P<org>⟨O\d+⟩)'s
current  {PS},? (?:the )?(?:co-?founders|founders) of (?P<org>⟨O\d+⟩)
current  (?P<org>⟨O\d+⟩)(?:'s)? (?:co-?founders|founders) {PS}
current  {P},[^.;]{0,50}?who (?:came to|joined|moved to) (?P<org>⟨O\d+⟩)
current  {PS},? {AUX}(?:arrives?|arrived|arriving|comes?|came|coming|joins?|joined|joining|moves?|moved|moving|switch(?:es|ed)?|is switching|defects?|defected|was poached|was hired away|was lured|departs?|departed|leaves|left)(?: over)? from (?:(?:a|an|the) [^⟨⟩.;]{0,40}?,? )?(?P<org>⟨O\d+⟩)
current  {P} {AUX}(?:was |is )?most recently (?:at|with) (?P<org>⟨O\d+⟩)
current  {P} {AUX}(?:was |is )?most recently (?:a |an |the )?[^⟨⟩.;]{0,40}?(?:at|with|of) (?P<org>⟨O\d+⟩)
current  {P},? (?:(?:the |a |an )?(?:[\w-]+ ){0,2}?⟨T\d+⟩,? )?(?:who )?(?:has been|had been|has worked|has spent [^.;]{0,20}?) (?:at|with) (?P<org>⟨O\d+⟩)
current  {P},? who has (?:run|led|headed|overseen) (?P<org>⟨O\d+⟩)
current  {P}, who (?:had been|was|has been|is|served as|had served as) (?:the |a |an |its )?(?:[\w-]+ ){0,2}?{T}[^⟨⟩.]{0,60}?(?P<org>⟨O\d+⟩)
"""


def _begins(pattern: str) -> str:
    """Where a description pattern can start, when the regex engine cannot find it alone:
    where a person of a list begins ("listed", for {PS}), or at an organization's
    placeholder or a word before it that says former ("former", for "{FORMER}?⟨O"); else
    "" (finditer: a pattern that begins with a placeholder has a literal "⟨" to look for)."""
    if pattern.startswith("{PS}"):
        return "listed"
    if pattern.startswith("{FORMER}?(?P<org>⟨O"):
        return "former"
    return ""


_AFFILIATIONS = [
    (compiled, kind == "current", _begins(pattern), _marks(compiled), _required(compiled))
    for kind, pattern in (line.split(None, 1) for line in AFFILIATIONS_TABLE.strip().splitlines())
    for compiled in [_compile(pattern)]
]
_AFFILIATION_INDEX = _Index([required for *_, required in _AFFILIATIONS])
# Every place a person of a list begins, overlapping ones too (a zero-width scan).
_LISTED_ANYWHERE = re.compile(f"(?=(?:{_LISTED}))", re.I)
# Every place an organization's placeholder, or a word of {FORMER}, begins, as the
# patterns read them (ignoring case); and the words, looked for with the required ones.
_ORG_AT = re.compile("⟨O", re.I)
_FORMER_AT = re.compile(f"(?={_FORMER})", re.I)
_FORMER_WORDS = _required(re.compile(_FORMER, re.I))


class _Begins(dict):
    """Positions where a description pattern can match, by how it begins (see _begins):
    for a list of people or an organization there is no literal start for the regex
    engine to look for, so finditer would try the pattern at every character. Each kind
    is read when a pattern first asks for it."""

    def __init__(self, template: str, has: set[frozenset[str]]) -> None:
        super().__init__()
        self.template = template
        self.has = has  # the sentence's groups of required words (see _Reading)

    def __missing__(self, anchor: str) -> list[int]:
        template = self.template
        if anchor == "listed":
            found = [m.start() for m in _LISTED_ANYWHERE.finditer(template)]
        else:
            # "former": its word is optional, so the organization's placeholder, and where
            # one of its words is, when the sentence has any (most have none).
            found = [m.start() for m in _ORG_AT.finditer(template)]
            if self.has.issuperset(_FORMER_WORDS):
                found = sorted({*found, *(m.start() for m in _FORMER_AT.finditer(template))})
        self[anchor] = found
        return found


FOUNDER_TITLE = re.compile(r"\b(?:co-?founder|founder|founding member)s?\b", re.I)


_TEAM = re.compile(
    r"(?<![\w])(?P<owner>its|the|their|a new|the new|a|his|her|⟨O\d+⟩'s)\s+((?:(?:[A-Za-z][\w&-]*|&)\s+){0,4}?[A-Za-z][\w&-]*)\s+"
    r"(?:team|group|unit|division|organization|org|lab|program|effort|committee)\b"
    # Named units keep their noun: "the Silicon Engineering Group", "its Devices & Services".
    r"|(?<![\w])(?P<owner2>its|the|their|a new|the new|⟨O\d+⟩'s)\s+(?P<named>(?-i:[A-Z][\w-]*)(?:\s+(?:&|and|(?-i:[A-Z][\w-]*))){0,4}?\s+(?-i:Group|Unit|Division|Committee|Organization|Lab|Team)|(?-i:[A-Z][\w-]*)\s+&\s+(?-i:[A-Z][\w-]*))(?=\s+(?:team|group|unit|division|organization|org)\b|[,.;]|\s+(?:at|of|in|and|to|for|under|reporting)\b|$)",
    re.I,
)
# What every match of _TEAM contains: one of its nouns ("organization" holds "org"), or the
# "&" between two names. Found with the patterns' required words (see _Reading), far more
# cheaply than _TEAM is tried, and most sentences have none.
_TEAM_NOUNS = frozenset(
    ["team", "group", "unit", "division", "org", "lab", "program", "effort", "committee", "&"]
)


_OWNER_RANK = {"its": 1, "their": 1, "a new": 2, "the new": 2, "the": 3, "a": 3, "his": 4, "her": 4}


_TEAM_LEAD = re.compile(
    r"\bto (?:lead|run|head|build out|oversee) (?:its |the |a new )?((?:[A-Z][\w&-]*\s*){1,4}|[a-z][\w-]+)(?=\s+(?:at|for|and|in|team|group|unit)\b|[,.;]|$)"
)
# "to " and one of the verbs, found as _TEAM_NOUNS are.
_TEAM_LEAD_WORDS = _required(_TEAM_LEAD)


_TEAM_STOP = {
    "leadership",
    "management",
    "executive",
    "same",
    "new",
    "research",
    "whole",
    "entire",
    "founding",
    "core",
    "small",
    "company",
    "startup",
    "its",
    "his",
    "her",
    "their",
    "the",
    "company's",
    "product",
    "board",
    "c-suite",
    "senior",
    "top",
    "technical",
}


MANAGER = re.compile(
    r"\b(?:under|reporting (?:directly )?to|reports? (?:directly )?to|report(?:ing)? to|who reports to|working under|led by)\s+(⟨P\d+⟩)"
)


_AS_TITLE = re.compile(
    r"\bas (?:its |the |a |an |their )?(?:new |interim |acting )?(?:⟨O\d+⟩(?:'s)? )?(⟨T\d+⟩)"
)


_RUMOR = re.compile(lx.RUMOR, re.I)
# Every match of _RUMOR holds one of its phrases, found lower-cased as IGNORECASE matches
# them (see _caseless): looking for them is cheaper than _RUMOR, and most sentences have none.
_RUMOR_WORDS = _required(_RUMOR)
_BOARD = re.compile(
    r"(?i)(?:'s|\bits|\bthe|\bhis|\bher|\btheir)\s+(?:[\w-]+\s+)?(?:board|advisory)\b(?!\s+(?:appoint|name|hire|tap|pick|promot|elevat|install))"
    r"|\bboard of (?:directors|trustees|governors)\b|\bboard (?:seat|member|director)|\bas (?:an? )?(?:independent |non-executive )?(?:director|board member|adviser|advisor|observer)\b|\badvis(?:er|or|ory)\b"
)
_BOARD_KINDS = {"join", "hire", "leave", "leave_for", "return"}


_NEGATION = re.compile(lx.NEGATION, re.I)


_CONFIRMED = re.compile(r"\b(?:confirm(?:s|ed)|announced|officially|has joined|said on)\b", re.I)


HISTORY_CUE = re.compile(
    r"(?i)\b(?:previous(?:ly)?|prior|former(?:ly)?|earlier|once|past roles?|was a|had been|spent|"
    r"before (?:that|joining)|founding member|co-?founded|helped (?:found|start)|later led|"
    r"went on to|alumn[ia]|veteran of)\b"
)
# The words the history cue and the description patterns require, found for all of them in
# one scan as for the clause patterns.
_HISTORY_WORDS = _required(HISTORY_CUE)
_AFFILIATION_WORDS = _Words(
    [_HISTORY_WORDS, _FORMER_WORDS, *(required for *_, required in _AFFILIATIONS)]
)


def _automaton(words: set[str]) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton whose iter() reports every occurrence of each word in a
    text (overlapping ones too), as (end index, word), in one pass."""
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


# The hedges' words, looked for in a sentence's own text (a hedge is not a placeholder).
_RUMOR_AUTOMATON = _automaton(frozenset().union(*_RUMOR_WORDS))
# Every word the clause and description patterns require, and the teams', for one pass
# over a lower-cased template: a word is found exactly when it is a substring of it.
_AUTOMATON = _automaton(
    _WORDS.words | _AFFILIATION_WORDS.words | _TEAM_NOUNS.union(*_TEAM_LEAD_WORDS)
)


class _Reading:
    """What the clause stage reads of a tagged sentence once, for its claims, its
    descriptions of people and the moves' teams alike: its kinds of placeholder, the words
    of _AUTOMATON in the template lower-cased (see _caseless), the groups of required words
    that makes for each table, and its teams when first asked for."""

    def __init__(self, template: str) -> None:
        self.template = template
        lowered = _caseless(template)
        self.marks = _marks_in(lowered)
        self.words = {word for _, word in _AUTOMATON.iter(lowered)}
        self.clause_words = _WORDS.groups_in(self.words)
        self.affiliation_words = _AFFILIATION_WORDS.groups_in(self.words)
        self._teams: list[tuple[str | None, int, str]] | None = None

    @property
    def teams(self) -> list[tuple[str | None, int, str]]:
        """The teams the template names (see _teams), read when first asked for."""
        if self._teams is None:
            self._teams = _teams(self.template, self.words)
        return self._teams


def _reading(tagged: Tagged) -> _Reading:
    """The sentence's _Reading, kept on the Tagged it reads (as long as its template is the
    one read): claims(), affiliations() and the moves' teams ask for it in turn."""
    reading = tagged.__dict__.get("_clause_reading")
    if reading is None or reading.template is not tagged.template:
        reading = tagged.__dict__["_clause_reading"] = _Reading(tagged.template)
    return reading


_NEWS = re.compile(r"\b(?:this year|this month|this week|recently|newly|new|just)\b", re.I)


_ALONG = re.compile(
    r"^,?\s+(?:along with|together with|as well as|alongside|joined by|plus)\s+(?:fellow\s+)?"
)


_TOGETHER = re.compile(
    r"\b(?:together with|along with|alongside|with co-?founders?|with|joined by)\b"
)


_GENERIC_NEW = re.compile(r"^(?:A|An|The|Its|His|Her|Their|New|This|That|AI|It)\b")


ROLE_AS = re.compile(
    r"^(?:,[^.;]{0,100}?,)?[^⟨⟩]{0,3}(?:will be|would be|is to be|to be|will serve as|serves as|as|becomes|will become|is now|joins as|comes over as|will join as|'s appointment as|'s appointment at [^⟨⟩]{0,5}⟨O\d+⟩ as|is named|was named|named|appointed|was appointed|is appointed|is|was)\s+(?:the |its |a |an |their )?(?:new )?(?:(?:⟨O\d+⟩|[\w-]+)'s )?(⟨T\d+⟩)"
)


GROUP = re.compile(
    r"^(?:They|All (?:three|two|four|five|of them)|Both|The (?:three|two|four|five|pair|trio|group))\b"
)


def hedged(tagged: Tagged) -> bool:
    """The sentence hedges ("reportedly", "in talks") and, in a lede, does not confirm."""
    found = {word for _, word in _RUMOR_AUTOMATON.iter(_caseless(tagged.sentence))}
    if not all(not found.isdisjoint(group) for group in _RUMOR_WORDS):
        return False  # _RUMOR cannot match
    return bool(_RUMOR.search(tagged.sentence)) and not (
        _CONFIRMED.search(tagged.sentence) and not tagged.in_title
    )


def _value(tagged: Tagged, match: re.Match, group: str) -> str | None:
    token = match.groupdict().get(group)
    mention = tagged.get(token) if token else None
    return mention.value if mention else None


def _history_sentence(tagged: Tagged) -> list[Affiliation]:
    """In a sentence about someone's past ("His previous roles, including as a founding member
    of OpenAI and leading efforts at Tesla"), every organization after the cue is history."""
    cue = HISTORY_CUE.search(tagged.template)
    if not cue:
        return []
    people = [m for m in tagged.mentions if m.kind == "P"]
    if not people:
        return []
    person = people[0].value
    found = []
    for org in re.finditer(r"⟨O(\d+)⟩", tagged.template[cue.start() :]):
        mention = tagged.mentions[int(org.group(1))]
        before = tagged.template[max(0, cue.start() + org.start() - 30) : cue.start() + org.start()]
        title_token = re.search(r"(⟨T\d+⟩) (?:of|at) $", before)
        title = tagged.get(title_token.group(1)).value if title_token else None
        found.append(Affiliation(person, mention.value, title, False, tagged.sentence))
    return found


def affiliations(tagged: Tagged) -> list[Affiliation]:
    """Who works (or worked) where, as one tagged sentence describes people."""
    if "⟨P" not in tagged.template:
        return []  # every affiliation is someone's
    # As for the clause patterns, the history cue and each pattern are tried only when the
    # sentence has the words and the kinds of placeholder every match of them contains.
    reading = _reading(tagged)
    present_marks = reading.marks
    has = reading.affiliation_words
    found = _history_sentence(tagged) if has.issuperset(_HISTORY_WORDS) else []
    starts = _Begins(tagged.template, has)
    for number in _AFFILIATION_INDEX.candidates(has):
        pattern, current, anchor, marks, required = _AFFILIATIONS[number]
        if not marks <= present_marks or not has.issuperset(required):
            continue
        for match in _matches(pattern, tagged.template, anchor, starts):
            people = tagged.people(match.groupdict().get("people") or "") or (
                [tagged.get(match.group("person"))] if match.groupdict().get("person") else []
            )
            org = _value(tagged, match, "org")
            if match.groupdict().get("org") == "":
                org = "*"  # a title with no organization: the item's own, filled in later
            if not people or not org:
                continue
            title = _value(tagged, match, "title")
            first_title = _value(tagged, match, "title0")
            if title and first_title and FOUNDER_TITLE.search(title):
                title = first_title  # "president and co-founder": the job, not the founding
            prefix = tagged.template[max(0, match.start() - 12) : match.start()]
            is_current = (
                current
                and not match.groupdict().get("former")
                and not re.search(r"(?i)former |ex-", prefix)
            )
            if title and FOUNDER_TITLE.search(title):
                is_current = False
            for person in people:
                found.append(Affiliation(person.value, org, title, is_current, tagged.sentence))
    return found


# Read once a claim: a leave that is background ("since its founder resigned"), the year an
# event is dated ("joined X in 2008"), a title right after a named person.
_SINCE_BEFORE = re.compile(r"\b(?:since|ever since)\s+(?:⟨T\d+⟩\s+)?$")
_YEAR_AFTER = re.compile(r"\s+in ((?:19|20)\d\d)\b")
_NAMED_AS = re.compile(
    r"⟨P\d+⟩,? (?:the |its |as )?(?:new |next |first |second |third |fourth |fifth )?(⟨T\d+⟩)"
)


def claims(tagged: Tagged, lexicon: Lexicon | None = None) -> list[Claim]:
    """Every claim the clause patterns find in one tagged sentence."""
    claims: list[Claim] = []
    # Whether the sentence hedges every claim in it: read at the first.
    rumor: bool | None = None
    if "⟨P" not in tagged.template:
        return claims
    reading = _reading(tagged)
    present_marks = reading.marks
    # The words a pattern requires ("promoted", one of "fired"/"ousted"/...).
    has = reading.clause_words
    present = _ClassesIn(tagged.template, has)
    starts = _starts(tagged.template)
    for number in _RULE_INDEX.candidates(has):
        kind, pattern, confidence, classes, marks, anchor, required = RULES[number]
        if not marks <= present_marks or not has.issuperset(required):
            continue
        if classes and not any(present[name] for name in classes):
            continue
        if number in _FOUNDER_RULES and not _founder_titled(tagged):
            continue  # its matches count only with a founder's title (below), and none is
        for match in _matches(pattern, tagged.template, anchor, starts):
            span = tagged.template[match.start() : match.end()]
            if match.groupdict().get("verb"):
                window = tagged.template[
                    max(match.start(), match.start("verb") - 30) : match.end("verb")
                ]
            else:
                window = tagged.template[max(0, match.start() - 25) : match.end()]
            if _NEGATION.search(window):
                continue
            after_verb = match.start("verb") if match.groupdict().get("verb") else match.start()
            if kind in _BOARD_KINDS and _BOARD.search(
                tagged.template, after_verb, min(len(tagged.template), match.end() + 45)
            ):
                continue  # board seats and advisory roles are not jobs
            if kind == "leave" and _SINCE_BEFORE.search(
                tagged.template[max(0, match.start() - 20) : match.start()]
            ):
                continue  # "since its founder resigned in June": background, not news
            groups = match.groupdict()
            people = tagged.people(groups.get("people") or "") or (
                [tagged.get(groups["person"])] if groups.get("person") else []
            )
            if not people:
                continue
            to_org = _value(tagged, match, "to")
            from_org = _value(tagged, match, "from") or _value(tagged, match, "from2")
            new = groups.get("new")
            if new:
                new_mention = tagged.get(new) if new.startswith("⟨") else None
                if new_mention and new_mention.unit:
                    continue  # "creates Meta Superintelligence Labs": a unit, not a company
                to_org = new_mention.value if new_mention else _new_org(new)
                if not to_org:
                    continue
            founder = _value(tagged, match, "founder")
            if groups.get("founder") and not (founder and FOUNDER_TITLE.search(founder)):
                continue
            title = (
                _value(tagged, match, "title")
                or (groups.get("plaintitle") or "").removesuffix("s")
                or None
            )
            own_titles = tagged.titles_of(groups.get("people") or "")
            origins = (
                tagged.origins(groups.get("people") or "")
                if "from ⟨O" in (groups.get("people") or "")
                else {}
            )
            for person in people:
                claim = Claim(
                    rule=kind,
                    kind=kind,
                    person=person.value,
                    to_org=to_org,
                    from_org=from_org or origins.get(person.value),
                    # A title written before a leaver's name is the role they leave; before a
                    # newcomer's name it is their old job, not the new one.
                    title=title or (own_titles.get(person.value) if kind == "leave" else None),
                    confidence=confidence + (0.05 if tagged.in_title else 0.0),
                    evidence=[tagged.sentence],
                    verb=tagged.template[match.start() : match.end() + 40],
                )
                if rumor is None:
                    rumor = hedged(tagged)
                claim.rumor = rumor
                _enrich_from_sentence(claim, tagged, match, lexicon)
                year = _YEAR_AFTER.match(tagged.template[match.end() : match.end() + 10])
                claim.year = int(year.group(1)) if year else None
                claims.append(claim)
                if kind in ("join", "hire", "return", "leave_for"):
                    claims += _along_with(tagged, match, claim)
            if kind.startswith("found"):
                claims += _co_founders(tagged, match, to_org, confidence)
            token = groups.get("predecessor") or groups.get("predecessor0")
            if kind in ("succeed", "handover") and token:
                predecessor = tagged.get(token).value
                after = (
                    tagged.template[match.end() : match.end() + 60]
                    if groups.get("predecessor")
                    else ""
                )
                # LABELLING.md: the predecessor departs only when the text says they leave.
                leaving = re.search(
                    r"\bwho (?:is|was|has|had|will)? ?(?:leaving|left|retir|step|depart|exit|quit|resign|been ousted|been fired)",
                    after,
                )
                if predecessor not in {p.value for p in people} and leaving:
                    claims.append(
                        Claim(
                            rule=kind,
                            kind="leave",
                            person=predecessor,
                            confidence=confidence - 0.1,
                            evidence=[tagged.sentence],
                            verb=span,
                        )
                    )
            if kind.endswith("~") and not _NEWS.search(span):
                for claim in claims[-len(people) :]:
                    claim.weak = True
    return claims


# The rules that name a (?P<founder>⟨T⟩): see _founder_titled.
_FOUNDER_RULES = {number for number, rule in enumerate(RULES) if "founder" in rule[1].groupindex}


def _founder_titled(tagged: Tagged) -> bool:
    """Whether one of the titles the template names is a founder's: a match of a rule's
    (?P<founder>⟨T⟩) is dropped unless its title is, so in a sentence with none the rule
    can make no claim."""
    return any(
        FOUNDER_TITLE.search(tagged.get(token).value)
        for token in _TITLE_AT.findall(tagged.template)
    )


def _along_with(tagged: Tagged, match: re.Match, claim: Claim) -> list[Claim]:
    """ "Zoph is rejoining OpenAI, along with fellow co-founder Luke Metz and Sam Schoenholz":
    the people named after "along with" make the same move."""
    rest = tagged.template[match.end() :]
    along = _ALONG.match(rest)
    if not along:
        return []
    found = []
    tail = rest[along.end() :]
    for person in re.finditer(r"⟨P(\d+)⟩", tail):
        before = tail[max(0, person.start() - 8) : person.start()]
        if re.search(r"\b(?:with|by|to|under|for|from)\s+$", before):
            continue
        name = tagged.mentions[int(person.group(1))].value
        if name != claim.person:
            found.append(
                Claim(
                    rule=claim.rule,
                    kind=claim.kind,
                    person=name,
                    to_org=claim.to_org,
                    confidence=claim.confidence - 0.1,
                    evidence=list(claim.evidence),
                    verb=claim.verb,
                )
            )
    return found


def _co_founders(
    tagged: Tagged, match: re.Match, org: str | None, confidence: float
) -> list[Claim]:
    """ "started a new company, SSI, together with Daniel Gross ... and Daniel Levy"."""
    rest = tagged.template[match.end() :]
    together = _TOGETHER.search(rest)
    if not org or not together or together.start() > 40:
        return []
    named = {m.value for m in tagged.people(tagged.template[match.start() : match.end()])}
    found = []
    for person in tagged.people(rest[together.end() :]):
        if person.value not in named:
            named.add(person.value)
            found.append(
                Claim(
                    kind="found",
                    person=person.value,
                    to_org=org,
                    confidence=confidence - 0.1,
                    evidence=[tagged.sentence],
                    verb=match.group(0),
                )
            )
    return found


def _new_org(text: str) -> str | None:
    """A not-yet-known organization named after "founds"/"launches": only names that look
    like companies, so "launches Gemini" does not found a company called Gemini."""
    text = text.strip().rstrip(".,")
    if _GENERIC_NEW.match(text):
        return None
    if re.search(
        r"\b(?:Labs?|AI|Inc\.?|Ventures|Technologies|Intelligence|Robotics|Research|Systems|Capital|Partners|Institute|Foundation|Studio|Computing|Dynamics|Works)$",
        text,
    ):
        return text
    return None


def _enrich_from_sentence(
    claim: Claim,
    tagged: Tagged,
    match: re.Match,
    lexicon: Lexicon | None,
) -> None:
    template = tagged.template
    after = template[match.start() :]
    if not claim.title:
        as_title = _AS_TITLE.search(after)
        if as_title:
            claim.title = tagged.get(as_title.group(1)).value
    if not claim.title and claim.kind in ("hire", "promote"):
        # "ORG names P TITLE": a title right after the person.
        named = _NAMED_AS.search(template[match.start() :])
        if named:
            claim.title = tagged.get(named.group(1)).value
    if not claim.title and claim.kind in ("promote",) and match.groupdict().get("title"):
        claim.title = _value(tagged, match, "title")
    org = claim.from_org if claim.kind == "leave" else claim.to_org
    team = team_in(tagged, org, lexicon)
    if team and claim.kind != "leave":
        claim.team = team


def _teams(template: str, present: set[str]) -> list[tuple[str | None, int, str]]:
    """(owner, start, team) of each team a template names, whoever owns it: "⟨O1⟩'s",
    "its", "the"...; None for one the sentence says someone will lead ("to lead its
    Gemini effort"). `present`: the words of _AUTOMATON in the template (see _Reading): a
    pattern is tried only when the template has the words each of its matches holds."""
    found: list[tuple[str | None, int, str]] = []
    for match in _TEAM.finditer(template) if not present.isdisjoint(_TEAM_NOUNS) else ():
        owner = match.group("owner") or match.group("owner2")
        if match.group("named"):
            words = match.group("named").split()
            if len(words) < 2 or "⟨" in match.group("named"):
                continue
        else:
            words = match.group(2).strip().split()
        while words and words[0].lower() in _TEAM_STOP:
            words = words[1:]  # "its new superintelligence team" -> "superintelligence"
        if not words or "⟨" in " ".join(words):
            continue
        found.append((owner, match.start(), " ".join(words)))
    leads = all(not present.isdisjoint(group) for group in _TEAM_LEAD_WORDS)
    for match in _TEAM_LEAD.finditer(template) if leads else ():
        words = match.group(1).strip()
        if (
            "⟨" in words
            or words.lower() in _TEAM_STOP
            or words.lower() in {"the company", "research", "it", "them"}
        ):
            continue
        found.append((None, match.start(), words))
    return found


def team_in(tagged: Tagged, org: str | None = None, lexicon: Lexicon | None = None) -> str | None:
    """The team named in a sentence: one the organization owns ("Meta's superintelligence
    team") before "its ... team", before "the ... team"; never another organization's.
    The sentence's teams are read once (see _Reading), however many claims ask."""
    candidates = []
    for owner, start, team in _reading(tagged).teams:
        if owner is None:
            rank = 2
        elif owner.startswith("⟨"):
            owned_by = tagged.get(owner[:-2]).value
            if org and owned_by != org and not (lexicon and lexicon.parents.get(owned_by) == org):
                continue
            rank = 0
        else:
            rank = _OWNER_RANK.get(owner.lower(), 5)
        candidates.append((rank, start, team))
    return min(candidates)[2] if candidates else None
