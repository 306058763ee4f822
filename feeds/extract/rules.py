"""The built-in extractor: local, deterministic, data-driven patterns over tagged sentences.

Each sentence is tagged first: organizations (from the lexicon and the database gazetteer),
titles and person names become placeholders (⟨O3⟩, ⟨T1⟩, ⟨P0⟩). The move grammar is then
a list of readable patterns over those placeholders (RULES below), so "⟨O0⟩ hires ⟨P1⟩"
and "⟨P1⟩ joins ⟨O0⟩" are one line each. A rule that matches yields a claim; claims about
one person in one item are then merged (a departure plus a join becomes one move with both
ends) and enriched from the rest of the item (title, team, manager, where they came from).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from feeds.extract import lexicon as lx
from feeds.extract.base import Extraction, Gazetteer, HistoryClaim, Item, MoveClaim
from feeds.extract.text import fold, looks_english, org_key, plain, sentences

# Parents among the lexicon's organizations: a move inside the family is a promotion.
PARENTS = {"Google DeepMind": "Google"}

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


# -- the grammar ------------------------------------------------------------------------------

_SLOTS = {
    "{P}": r"(?P<person>⟨P\d+⟩)",
    "{PS}": r"(?P<people>(?:(?:⟨O\d+⟩ )?(?:[\w-]+ ){0,2}⟨T\d+⟩ (?:and (?:[\w-]+ )?⟨T\d+⟩ )?)?⟨P\d+⟩(?: from ⟨O\d+⟩)?(?:(?:(?:,\s*(?:(?:⟨O\d+⟩ )?(?:[\w-]+ ){0,2}⟨T\d+⟩ (?:and (?:[\w-]+ )?⟨T\d+⟩ )?)?⟨P\d+⟩(?: from ⟨O\d+⟩)?)+,?|\s)\s*(?:and|&)\s+(?:(?:⟨O\d+⟩ )?(?:[\w-]+ ){0,2}⟨T\d+⟩ (?:and (?:[\w-]+ )?⟨T\d+⟩ )?)?⟨P\d+⟩(?: from ⟨O\d+⟩)?(?:,\s+and\s+(?:(?:⟨O\d+⟩ )?(?:[\w-]+ ){0,2}⟨T\d+⟩ (?:and (?:[\w-]+ )?⟨T\d+⟩ )?)?⟨P\d+⟩(?: from ⟨O\d+⟩)?)?)?)",
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
leave_for  0.92  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:leave} {FROM}(?:'s [^⟨⟩]{0,30}?)? (?:for|to join|to go to|to head to|and joins|, joining|to work at) {TO}
leave_for  0.90  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:join} {TO} (?:after|having) (?:leaving|quitting|departing|exiting|stepping down (?:at|from)) {FROM}
leave_for  0.90  {PS} {AUX}(?:{V:leave}|moves?|moved|switch(?:es|ed)?) from {FROM} to {TO}
leave_for  0.85  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:leave} (?:for|to join) {TO}
leave_for  0.85  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:join} (?:{TO} )?from {FROM}
leave_for  0.85  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:leave} as (?:{FROM}'s )?{T}(?: (?:of|at) {FROM2})? (?:to join|for|and join|and joins) {TO}
leave_for  0.90  {TO} (?:{V:hire}) {PS} from {FROM}
leave_for  0.85  {PS}'s (?:{N:move}|{N:leave}) from {FROM} to {TO}
found_from 0.80  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:leave} (?:{FROM}|the company)[^.;]{0,40}? (?:to|and) (?:co-?found|found|launch|start|build|set up|form|create)\b(?: (?:a|an|his|her|their|its|⟨P\d+⟩'s) (?:own )?)?(?:[^⟨⟩.]{0,60}?(?:called|named) {NEW})?
found      0.85  {PS}(?:,[^.;]{0,100}?,)? {AUX}(?:co-?found(?:s|ed)?|found(?:s|ed)|launch(?:es|ed)|start(?:s|ed)|unveil(?:s|ed)|set(?:s)? up|form(?:s|ed)|creat(?:es|ed)|establish(?:es|ed)) {NEW}
found      0.85  {PS}(?:,[^.;]{0,100}?,)? {AUX}(?:co-?found(?:s|ed)?|found(?:s|ed)|launch(?:es|ed)|start(?:s|ed)|unveil(?:s|ed)|set(?:s)? up|form(?:s|ed)|creat(?:es|ed)|establish(?:es|ed)) (?:a |an |the |his |her |their )?(?:new )?(?:[\w-]+ ){0,3}?(?:company|startup|lab|laboratory|venture|firm|school|business|outfit)(?:,| called| named) {NEW}
found      0.75  {PS}'s (?:new )?(?:startup |company |lab |venture )?{NEW} {AUX}(?:emerges?|emerged|launches|launched|debuts?|debuted)(?: (?:from|out of) stealth)?
found_by   0.70  {PS} {AUX}(?:are|is|were|was) (?:the |a |an )?(?:\w+ )?(?P<founder>⟨T\d+⟩)(?: and (?:[\w-]+ )?(?P<title>⟨T\d+⟩))?(?: of {NEW})?
found_by~  0.75  {P}'s co-?founders (?:are|include|were) {PS}
found_by~  0.70  {PS} {AUX}(?:join|joins|joined|joining) (?:[^.;]{0,30}? )?as (?:fellow )?co-?founders?
found_by   0.85  {NEW}(?:,[^.;]{0,100}?,)? {AUX}(?:co-?founded|founded|started|launched|created|set up|formed|established) by {PS}
found_by~  0.80  {NEW}(?:,| -)[^⟨⟩]{0,80}?(?:co-?founded|founded|started|launched|created)(?: [\w ]{0,20}?)? by {DESC}{PS}
found_by   0.75  {PS}(?:,[^⟨⟩]{0,60}?,)? {AUX}(?:are|is|were|was) (?:the )?(?:co-?founders?|founders?) of {NEW}
join       0.90  {PS}(?:,? and (?:other|several|some|more|a few|a handful of) [^.;]{0,40}?)?(?:,[^.;]{0,120}?,)? {AUX}{V:join} {TO}
join       0.85  {PS} {AUX}(?:is|was|has been|have been|are|were|will be) (?:named|appointed|hired|tapped|brought on|recruited|poached)[^⟨⟩.]{0,40}? (?:at|by|of|to) {TO}
hire       0.90  {TO} {AUX}(?:{V:hire}) {DESC}{PS}
hire       0.75  ^{NEW} {AUX}(?:{V:hire}) {DESC}{PS}
hire       0.80  {TO} {AUX}(?:{V:hire}) {W}{PS}
hire       0.85  {TO}'s (?:{N:hire}) of {DESC}{PS}
hire       0.75  {TO}'s new (?:[\w-]+ ){0,2}?(?:hire )?{T?}{P}
hire       0.80  {TO} {AUX}{V:hire}[^⟨⟩.;]{0,60}? (?:are|include|includes|including) {PS}
hire       0.75  {TO} [^.;]{0,60}?, (?:and )?(?:{V:hire}) {DESC}{PS}
hire       0.85  (?:{N:hire}) of {DESC}{PS} (?:by|at|to) {TO}
hire       0.85  {PS}'s (?:{N:hire}|{N:move}) (?:as {T} )?(?:to|at|by|with) {TO}
hire       0.85  {PS}'s (?:{N:hire}) as {T} (?:of|at) {TO}
hire       0.70  {TO}'s (?:new )?(?:{N:hire} )?{T?}{P} {AUX}(?:will|to) (?:lead|run|head|oversee)
promote    0.85  {P} {AUX}(?:is|was|has been|gets|got) promoted to {W}{T}
promote    0.85  {TO} {AUX}promot(?:es|ed) {DESC}{P}
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
return     0.75  {PS} {AUX}(?:come|comes|came|coming) back(?: as (?:the |its )?{T})?
return     0.75  {PS}(?:,[^.;]{0,100}?,)? {AUX}(?:{V:return}) the (?:company|startup|lab|firm|group)
join       0.75  {PS} {AUX}(?:joins|joined|join|joining|comes over|came over|signs on|signed on) as {W}{T}
hire       0.75  new hire {P} {AUX}(?:{V:lead}) {TO}
leave      0.80  {PS} {AUX}out as (?:{ORG}'s )?{T}
leave      0.85  {FROM}(?:'s)? (?:board |directors )?{AUX}(?:{V:oust}) {DESC}{PS}
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
RULES = [(kind, _compile(pattern), confidence) for kind, pattern, confidence in RULES_TEXT]

# Who works where, read from how people are described: "OpenAI's chief scientist Ilya
# Sutskever", "Mira Murati, OpenAI's CTO". "current" lines describe a present job unless
# the text says former/ex-; "past" lines are history.
AFFILIATIONS_TABLE = r"""
current  (?P<former>former |ex-|onetime |previously |formerly )?(?P<org>⟨O\d+⟩)(?:'s)? (?:[\w-]+ ){0,4}?(?:(?P<title0>⟨T\d+⟩) and (?:[\w-]+ )?)?{T} {P}
current  (?P<org>⟨O\d+⟩)[^.;]{0,40}?{P}, (?:its|their) (?:[\w-]+ ){0,2}?{T}
current  (?:^|[,;:] |\. |later, )(?:[\w-]+ ){0,2}?(?:(?P<title0>⟨T\d+⟩) and )?{T} {P}(?P<org>)
current  (?P<former>former |ex-|onetime |previously |formerly )?(?P<org>⟨O\d+⟩)'s (?:[\w-]+ ){0,4}?{P}
current  {P}, (?:the |a |an )?(?P<former>former |ex-|onetime |previously |formerly )?(?P<org>⟨O\d+⟩)'s (?:[\w-]+ ){0,3}?{T}
current  {P}, (?:the |a |an |its )?(?P<former>former |ex-|onetime |previously |formerly )?(?:[\w-]+ ){0,2}?(?:⟨T\d+⟩ and (?:[\w-]+ )?)?{T} (?:at|of) (?P<org>⟨O\d+⟩)
current  {P}, (?:the |a |an )?(?P<former>former |ex-|onetime |previously |formerly )?(?P<org>⟨O\d+⟩) {T}
current  {P}(?:,)? who (?P<former>previously |formerly |once |had )?(?:leads|led|runs|ran|heads|headed|co-led|oversaw|oversees|works|worked|has worked|was|is|spent [^⟨⟩]{0,20}?)[^⟨⟩.]{0,50}?(?:at|of|for) (?P<org>⟨O\d+⟩)
past     {P}[^⟨⟩.]{0,40}?(?P<former>was a founding member of|helped found|co-?founded|(?:previously|formerly|earlier) (?:led|ran|headed|worked|was)[^⟨⟩.]{0,60}?(?:at|of)) (?P<org>⟨O\d+⟩)
past     (?P<former>(?:his|her|their) (?:time|years|stint|tenure) at) (?P<org>⟨O\d+⟩)
current  {PS},? who (?:set up|built|ran|runs|led|leads|head|heads|started) (?P<org>⟨O\d+⟩)'s
current  {PS},? (?:the )?(?:co-?founders|founders) of (?P<org>⟨O\d+⟩)
current  (?P<org>⟨O\d+⟩)(?:'s)? (?:co-?founders|founders) {PS}
current  {P},[^.;]{0,50}?who (?:came to|joined|moved to) (?P<org>⟨O\d+⟩)
current  {P}, who (?:had been|was|has been|is|served as|had served as) (?:the |a |an |its )?(?:[\w-]+ ){0,2}?{T}[^⟨⟩.]{0,60}?(?P<org>⟨O\d+⟩)
"""
_AFFILIATIONS = [
    (_compile(line.split(None, 1)[1]), line.split(None, 1)[0] == "current")
    for line in AFFILIATIONS_TABLE.strip().splitlines()
]
_FOUNDER_TITLE = re.compile(r"\b(?:co-?founder|founder|founding member)s?\b", re.I)
_TEAM = re.compile(
    r"(?<![\w])(?P<owner>its|the|their|a new|the new|a|his|her|⟨O\d+⟩'s)\s+((?:[A-Za-z][\w&-]*\s+){0,3}?[A-Za-z][\w&-]*)\s+"
    r"(?:team|group|unit|division|organization|org|lab|program|effort)\b"
)
_OWNER_RANK = {"its": 1, "their": 1, "a new": 2, "the new": 2, "the": 3, "a": 3, "his": 4, "her": 4}
_TEAM_LEAD = re.compile(
    r"\bto (?:lead|run|head|build out|oversee) (?:its |the |a new )?((?:[A-Z][\w&-]*\s*){1,4}|[a-z][\w-]+)(?=\s+(?:at|for|and|in|team|group|unit)\b|[,.;]|$)"
)
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
_MANAGER = re.compile(
    r"\b(?:under|reporting (?:directly )?to|reports? (?:directly )?to|report(?:ing)? to|who reports to|working under|led by)\s+(⟨P\d+⟩)"
)
_AS_TITLE = re.compile(r"\bas (?:its |the |a |an |their )?(?:new |interim |acting )?(⟨T\d+⟩)")
_RUMOR = re.compile(lx.RUMOR, re.I)
_NEGATION = re.compile(lx.NEGATION, re.I)
_CONFIRMED = re.compile(r"\b(?:confirm(?:s|ed)|announced|officially|has joined|said on)\b", re.I)
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
            referent = before[0] if before else (self.subject or self.first_person)
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


class RuleExtractor:
    """Local and deterministic: no network, no model files."""

    def extract(self, item: Item, *, gazetteer: Gazetteer | None = None) -> Extraction:
        title = plain(item.title)
        body = plain(item.summary)
        if not looks_english(f"{title} {body}"):
            return Extraction()  # the grammar is English; other languages yield nothing wrong
        extra = tuple(gazetteer.organization_names()) if gazetteer else ()
        doc = _Document(_lexicon(extra))
        doc.prescan(f"{title}. {body}")
        tagged = [doc.tag(title, in_title=True)] if title else []
        tagged += [doc.tag(s, in_title=False) for s in sentences(body)]
        affiliations = [a for t in tagged for a in _affiliations(t)]
        claims = [c for t in tagged for c in _claims(t)]
        moves = _merge(claims, affiliations, tagged)
        published = item.published.date() if item.published else None
        result = Extraction()
        for claim in moves:
            when, precision = _text_date(claim.evidence, published)
            if when is None and published:
                when, precision = published, "day"
            result.moves.append(
                MoveClaim(
                    kind=claim.kind,
                    person=claim.person,
                    status="rumor" if claim.rumor else "reported",
                    from_org=claim.from_org,
                    to_org=claim.to_org,
                    team=claim.team,
                    title=claim.title,
                    manager=claim.manager,
                    date=when,
                    date_precision=precision,
                    confidence=round(min(0.99, claim.confidence), 2),
                    evidence=" … ".join(dict.fromkeys(claim.evidence)),
                )
            )
        moved = {(fold(m.person), m.from_org) for m in result.moves} | {
            (fold(m.person), m.to_org) for m in result.moves
        }
        seen: set[tuple[str, str]] = set()
        for a in affiliations:
            key = (fold(a.person), a.org)
            if a.current or a.org == "*" or key in seen or (fold(a.person), a.org) in moved:
                continue
            seen.add(key)
            result.history.append(
                HistoryClaim(person=a.person, org=a.org, title=a.title, evidence=a.evidence)
            )
        return result


_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_TEXT_DATES = [
    re.compile(
        rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b"
    ),
    re.compile(rf"\b(?P<day>\d{{1,2}})\s+{_MONTH}(?:\s+(?P<year>(?:19|20)\d\d))?\b"),
    re.compile(
        rf"\b(?:in|from|since|effective|starting|as of)\s+{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b"
    ),
]


def _text_date(evidence: list[str], published: dt.date | None) -> tuple[dt.date | None, str]:
    """The date a move's own sentences give ("on May 19", "in March 2024"), at the precision
    they give it; a day without a year takes the publication's year. None when they give none."""
    for sentence in evidence:
        for pattern in _TEXT_DATES:
            found = pattern.search(sentence)
            if not found:
                continue
            month = _MONTHS[found.group("month")[:3].lower()]
            year = found.group("year")
            day = found.groupdict().get("day")
            if not year and not published:
                continue
            try:
                if day:
                    when = dt.date(int(year) if year else published.year, month, int(day))
                    if not year and published and when > published + dt.timedelta(days=7):
                        when = when.replace(
                            year=when.year - 1
                        )  # "on December 30" in a January story
                    precision = "day"
                else:
                    when, precision = dt.date(int(year), month, 1), "month"
            except ValueError:
                continue
            if published and not (
                published - dt.timedelta(days=3650) <= when <= published + dt.timedelta(days=366)
            ):
                continue
            return when, precision
    return None, "unknown"


def _value(tagged: Tagged, match: re.Match, group: str) -> str | None:
    token = match.groupdict().get(group)
    mention = tagged.get(token) if token else None
    return mention.value if mention else None


_HISTORY_SENTENCE = re.compile(
    r"(?i)\b(?:previous(?:ly)?|prior|former(?:ly)?|earlier|once|past roles?|was a|had been|spent|"
    r"before (?:that|joining)|founding member|co-?founded|helped (?:found|start)|later led|"
    r"went on to|alumn[ia]|veteran of)\b"
)


def _history_sentence(tagged: Tagged) -> list[Affiliation]:
    """In a sentence about someone's past ("His previous roles, including as a founding member
    of OpenAI and leading efforts at Tesla"), every organization after the cue is history."""
    cue = _HISTORY_SENTENCE.search(tagged.template)
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


def _affiliations(tagged: Tagged) -> list[Affiliation]:
    found = _history_sentence(tagged)
    for pattern, current in _AFFILIATIONS:
        for match in pattern.finditer(tagged.template):
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
            if title and first_title and _FOUNDER_TITLE.search(title):
                title = first_title  # "president and co-founder": the job, not the founding
            prefix = tagged.template[max(0, match.start() - 12) : match.start()]
            is_current = (
                current
                and not match.groupdict().get("former")
                and not re.search(r"(?i)former |ex-", prefix)
            )
            if title and _FOUNDER_TITLE.search(title):
                is_current = False
            for person in people:
                found.append(Affiliation(person.value, org, title, is_current, tagged.sentence))
    return found


def _claims(tagged: Tagged) -> list[Claim]:
    claims: list[Claim] = []
    for kind, pattern, confidence in RULES:
        for match in pattern.finditer(tagged.template):
            span = tagged.template[match.start() : match.end()]
            if match.groupdict().get("verb"):
                window = tagged.template[
                    max(match.start(), match.start("verb") - 30) : match.end("verb")
                ]
            else:
                window = tagged.template[max(0, match.start() - 25) : match.end()]
            if _NEGATION.search(window):
                continue
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
            if groups.get("founder") and not (founder and _FOUNDER_TITLE.search(founder)):
                continue
            title = _value(tagged, match, "title")
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
                    verb=span,
                )
                claim.rumor = bool(_RUMOR.search(tagged.sentence)) and not (
                    _CONFIRMED.search(tagged.sentence) and not tagged.in_title
                )
                _enrich_from_sentence(claim, tagged, match)
                claims.append(claim)
                if kind in ("join", "hire", "return", "leave_for"):
                    claims += _along_with(tagged, match, claim)
            if kind.startswith("found"):
                claims += _co_founders(tagged, match, to_org, confidence)
            if kind.endswith("~") and not _NEWS.search(span):
                for claim in claims[-len(people) :]:
                    claim.weak = True
    return claims


_NEWS = re.compile(r"\b(?:this year|this month|this week|recently|newly|new|just)\b", re.I)
_ALONG = re.compile(
    r"^,?\s+(?:along with|together with|as well as|alongside|joined by|plus)\s+(?:fellow\s+)?"
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


_TOGETHER = re.compile(
    r"\b(?:together with|along with|alongside|with co-?founders?|with|joined by)\b"
)


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


_GENERIC_NEW = re.compile(r"^(?:A|An|The|Its|His|Her|Their|New|This|That|AI|It)\b")


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


def _enrich_from_sentence(claim: Claim, tagged: Tagged, match: re.Match) -> None:
    template = tagged.template
    after = template[match.start() :]
    if not claim.title:
        as_title = _AS_TITLE.search(after)
        if as_title:
            claim.title = tagged.get(as_title.group(1)).value
    if not claim.title and claim.kind in ("hire", "promote"):
        # "ORG names P TITLE": a title right after the person.
        named = re.search(
            r"⟨P\d+⟩,? (?:the |its |as )?(?:new )?(⟨T\d+⟩)", template[match.start() :]
        )
        if named:
            claim.title = tagged.get(named.group(1)).value
    if not claim.title and claim.kind in ("promote",) and match.groupdict().get("title"):
        claim.title = _value(tagged, match, "title")
    team = _team(tagged, claim.from_org if claim.kind == "leave" else claim.to_org)
    if team and claim.kind != "leave":
        claim.team = team


_ROLE_AS = re.compile(
    r"^(?:,[^.;]{0,100}?,)?[^⟨⟩]{0,3}(?:will be|would be|is to be|to be|will serve as|serves as|as|becomes|will become|is now|joins as|comes over as|will join as|'s appointment as|'s appointment at [^⟨⟩]{0,5}⟨O\d+⟩ as|is named|was named|named|appointed|was appointed|is appointed|is|was)\s+(?:the |its |a |an |their )?(?:new )?(?:(?:⟨O\d+⟩|[\w-]+)'s )?(⟨T\d+⟩)"
)


def _enrich_from_item(claim: Claim, tagged: list[Tagged]) -> None:
    """Title, team and manager are often in a later sentence about the same person ("He will
    work in its pre-training team, reporting to Nick Joseph"). Each clause is read from the
    person's own mention onwards, so in "A reports to B, while C reports to A" each gets
    their own manager."""
    for t in tagged:
        for index, mention in enumerate(t.mentions):
            if mention.kind != "P" or mention.value != claim.person:
                continue
            token = f"⟨P{index}⟩"
            at = t.template.find(token)
            if at < 0:
                continue
            rest = t.template[at + len(token) :]
            nxt = re.search(r"⟨P\d+⟩ (?!')", rest)  # the next person's clause starts there
            clause = (
                rest[: nxt.start()]
                if nxt and not _MANAGER.match(rest, max(0, nxt.start() - 30))
                else rest
            )
            if not claim.title and claim.kind != "depart":
                role = _ROLE_AS.match(clause)
                if role:
                    claim.title = t.get(role.group(1)).value
            if not claim.manager:
                manager = _MANAGER.search(clause[:160])
                found = t.get(manager.group(1)) if manager else None
                if found and found.value != claim.person:
                    claim.manager = found.value
        mentions_person = any(m.kind == "P" and m.value == claim.person for m in t.mentions)
        if not claim.team and (mentions_person or _GROUP.match(t.template)):
            owner = claim.from_org if claim.kind == "depart" else claim.to_org
            claim.team = _team(t, owner)
        if not claim.team and claim.kind != "depart":
            unit = next(
                (
                    m.unit
                    for m in t.mentions
                    if m.kind == "O" and m.unit and m.value == claim.to_org
                ),
                None,
            )
            if unit and any(m.kind == "P" and m.value == claim.person for m in t.mentions):
                claim.team = unit


def _team(tagged: Tagged, org: str | None = None) -> str | None:
    """The team named in a sentence: one the organization owns ("Meta's superintelligence
    team") before "its ... team", before "the ... team"; never another organization's."""
    candidates = []
    for match in _TEAM.finditer(tagged.template):
        owner = match.group("owner")
        words = match.group(2).strip().split()
        while words and words[0].lower() in _TEAM_STOP:
            words = words[1:]  # "its new superintelligence team" -> "superintelligence"
        if not words or "⟨" in " ".join(words):
            continue
        if owner.startswith("⟨"):
            owned_by = tagged.get(owner[:-2]).value
            if org and owned_by != org and PARENTS.get(owned_by) != org:
                continue
            rank = 0
        else:
            rank = _OWNER_RANK.get(owner.lower(), 5)
        candidates.append((rank, match.start(), " ".join(words)))
    for match in _TEAM_LEAD.finditer(tagged.template):
        words = match.group(1).strip()
        if (
            "⟨" in words
            or words.lower() in _TEAM_STOP
            or words.lower() in {"the company", "research", "it", "them"}
        ):
            continue
        candidates.append((2, match.start(), words))
    return min(candidates)[2] if candidates else None


_GROUP = re.compile(
    r"^(?:They|All (?:three|two|four|five|of them)|Both|The (?:three|two|four|five|pair|trio|group))\b"
)


def _family(org: str | None) -> set[str]:
    if not org:
        return set()
    names = {org}
    if org in PARENTS:
        names.add(PARENTS[org])
    names.update(child for child, parent in PARENTS.items() if parent == org)
    return names


def _main_org(tagged: list[Tagged]) -> str | None:
    """The organization the item is about: the one named most, the headline's on a tie."""
    ranked = _orgs_by_weight(tagged)
    return ranked[0] if ranked else None


def _orgs_by_weight(tagged: list[Tagged]) -> list[str]:
    counts: dict[str, int] = {}
    order: list[str] = []
    for t in tagged:
        for m in t.mentions:
            if m.kind == "O":
                if m.value not in counts:
                    order.append(m.value)
                counts[m.value] = counts.get(m.value, 0) + 1 + (1 if t.in_title else 0)
    return sorted(order, key=lambda name: (-counts[name], order.index(name)))


def _merge(
    claims: list[Claim], affiliations: list[Affiliation], tagged: list[Tagged]
) -> list[Claim]:
    by_person: dict[str, list[Claim]] = {}
    for claim in claims:
        by_person.setdefault(fold(claim.person), []).append(claim)
    main_org = _main_org(tagged)
    current: dict[str, list[Affiliation]] = {}
    for a in affiliations:
        if a.org == "*":
            a.org = main_org or "*"
        if a.current:
            current.setdefault(fold(a.person), []).append(a)

    strong_foundings = {c.to_org for c in claims if c.kind.startswith("found") and not c.weak}
    for c in claims:
        if c.kind in ("leave", "leave_for") and not c.from_org:
            # "OpenAI shake-up: Schulman exits": the organization the item is about, or for
            # someone leaving to join X, the other organization it talks about most.
            others = [o for o in _orgs_by_weight(tagged) if o not in _family(c.to_org)]
            c.from_org = others[0] if others else None
    vacated = [c.from_org for c in claims if c.kind in ("leave", "leave_for") and c.from_org]
    moves: list[Claim] = []
    for key, group in by_person.items():
        # "X, the startup co-founded by P" is background unless the item reports a founding.
        group = [c for c in group if not (c.weak and c.to_org not in strong_foundings and c.to_org)]
        if not group:
            continue
        works_at = current.get(key, [])
        at_orgs = {a.org for a in works_at}
        # Normalize kinds.
        for c in group:
            if c.kind == "leave_for":
                c.kind = "join"
            elif c.kind in ("found", "found_by", "found_from", "found_by~"):
                c.kind = "founding"
            elif c.kind == "leave":
                c.kind = "depart"
            elif c.kind == "hire":
                promoted = c.to_org and (_family(c.to_org) & at_orgs)
                named_again = re.search(
                    r"(?i)\b(?:names?|named|appoint\w*|promot\w*)\b", c.verb
                ) and re.search(r"⟨T\d+⟩\s+⟨P\d+⟩[^⟨]*⟨T\d+⟩", c.verb)
                c.kind = "promotion" if promoted or named_again else "join"
            elif c.kind == "promote":
                c.kind = "promotion"
                if not c.to_org:
                    # Someone taking over a role: where they work, else the place someone
                    # in this item just left, else what the item is about.
                    c.to_org = next(iter(sorted(at_orgs)), None) or (
                        vacated[0] if vacated else main_org
                    )
        best = _pick(group)
        if best is not None and best.kind == "join":
            promotion = next(
                (c for c in group if c.kind == "promotion" and c.to_org == best.to_org), None
            )
            if promotion and re.search(
                r"(?i)\b(?:names?|named|appoint\w*|taps?|tapped|picks?|picked)\b", best.verb
            ):
                promotion.title = promotion.title or best.title
                best = promotion
        if best is None:
            continue
        # One move per person: fold the other claims' details into the chosen one.
        for other in group:
            if other is best:
                continue
            if (
                other.kind == "depart"
                and best.kind in ("join", "founding", "return")
                and not best.from_org
                and other.from_org
                and other.from_org != best.to_org
            ):
                best.from_org = other.from_org
            if other.kind == best.kind and other.to_org and not best.to_org:
                best.to_org = other.to_org
            if other.kind == best.kind or other.to_org == best.to_org:
                best.title = best.title or other.title
                best.team = best.team or other.team
                best.manager = best.manager or other.manager
            best.evidence += [e for e in other.evidence if e not in best.evidence][:1]
            best.rumor = best.rumor and (other.rumor or other.kind != best.kind)
        if best.title and _FOUNDER_TITLE.fullmatch(best.title.strip()):
            best.title = None  # having founded a place is history, not a job title
        _enrich_from_item(best, tagged)
        if best.kind in ("join", "return") and not best.from_org:
            leaving = [a for a in works_at if a.org not in _family(best.to_org)]
            if leaving:
                best.from_org = leaving[0].org
        if best.kind == "return" and not best.title:
            best.title = next(
                (a.title for a in works_at if a.org in _family(best.to_org) and a.title), None
            )
        if best.kind == "depart":
            if best.title and best.title.lower() in {"chief", "boss", "lead", "head"}:
                better = next(
                    (
                        a.title
                        for a in works_at
                        if a.title and a.title.lower() not in {"chief", "boss", "lead", "head"}
                    ),
                    None,
                )
                best.title = better or best.title
            if not best.from_org:
                best.from_org = next((a.org for a in works_at), None) or main_org
            if best.from_org:
                best.title = best.title or next(
                    (a.title for a in works_at if a.org == best.from_org and a.title), None
                )
            best.to_org = None
        if best.kind in ("join", "return") and best.to_org and best.from_org == best.to_org:
            best.from_org = None
        if best.kind == "promotion":
            best.from_org = None
        if best.kind in ("join", "return") and not best.to_org:
            best.to_org = main_org  # "is returning to the company", "joins as CTO"
        if best.kind == "founding" and not best.to_org and (best.weak or best.rule == "found_by"):
            best.to_org = next(iter(sorted(o for o in strong_foundings if o)), None)
        if best.kind in ("join", "return", "promotion") and not best.to_org:
            continue
        if best.kind == "depart" and not best.from_org:
            continue
        if best.title and _FOUNDER_TITLE.fullmatch(best.title.strip()):
            best.title = None
        moves.append(best)
    return moves


_PRIORITY = {"return": 0, "join": 1, "founding": 1, "promotion": 2, "depart": 3}


def _pick(group: list[Claim]) -> Claim | None:
    if not group:
        return None
    # Prefer the claim with both ends known, then by kind, then confidence.
    return sorted(
        group,
        key=lambda c: (
            _PRIORITY.get(c.kind, 9),
            -(bool(c.to_org) + bool(c.from_org)),
            -c.confidence,
        ),
    )[0]


__all__ = ["RuleExtractor"]
