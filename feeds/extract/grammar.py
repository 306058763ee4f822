"""The move grammar: the rule and affiliation tables, and the phrases they rely on.

Patterns are written over tagged sentences (see tagging.py): {P} a person, {PS} a list of
people, {TO}/{FROM} organizations, {T} a title, {NEW} an organization not known yet, {V:x} and
{N:x} verbs and nouns from lexicon.py. Extend the tables to teach the extractor new phrasings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from feeds.extract import lexicon as lx
from feeds.extract.tagging import _UPPER

# Parents among the lexicon's organizations: a move inside the family is a promotion.
PARENTS = {
    "Google DeepMind": "Google",
    "Google": "Alphabet",
    "YouTube": "Google",
    "Waymo": "Alphabet",
    "Google Cloud": "Google",
    "GitHub": "Microsoft",
    "LinkedIn": "Microsoft",
    "Slack": "Salesforce",
    "WhatsApp": "Meta",
    "Instagram": "Meta",
}


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
leave_for  0.80  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:leave} (?:{FROM} )?[^.;]{0,40}?to (?:take|run|lead|become|head|helm)\b[^.;]{0,40}? (?:at|of) {TO}
leave_for  0.85  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:join} (?:{TO} )?from {FROM}
leave_for  0.85  {PS}(?:,[^.;]{0,100}?,)? {AUX}{V:leave} as (?:{FROM}'s )?{T}(?: (?:of|at) {FROM2})? (?:to join|for|and join|and joins) {TO}
leave_for  0.90  {TO} (?:{V:hire}) {PS} from {FROM}
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
current  {P},? (?:(?:the |a |an )?(?:[\w-]+ ){0,2}?⟨T\d+⟩,? )?(?:who )?(?:has been|had been|has worked|has spent [^.;]{0,20}?) (?:at|with) (?P<org>⟨O\d+⟩)
current  {P},? who has (?:run|led|headed|overseen) (?P<org>⟨O\d+⟩)
current  {P}, who (?:had been|was|has been|is|served as|had served as) (?:the |a |an |its )?(?:[\w-]+ ){0,2}?{T}[^⟨⟩.]{0,60}?(?P<org>⟨O\d+⟩)
"""


_AFFILIATIONS = [
    (_compile(line.split(None, 1)[1]), line.split(None, 1)[0] == "current")
    for line in AFFILIATIONS_TABLE.strip().splitlines()
]


_FOUNDER_TITLE = re.compile(r"\b(?:co-?founder|founder|founding member)s?\b", re.I)


_TEAM = re.compile(
    r"(?<![\w])(?P<owner>its|the|their|a new|the new|a|his|her|⟨O\d+⟩'s)\s+((?:(?:[A-Za-z][\w&-]*|&)\s+){0,4}?[A-Za-z][\w&-]*)\s+"
    r"(?:team|group|unit|division|organization|org|lab|program|effort|committee)\b"
    # Named units keep their noun: "the Silicon Engineering Group", "its Devices & Services".
    r"|(?<![\w])(?P<owner2>its|the|their|a new|the new|⟨O\d+⟩'s)\s+(?P<named>(?-i:[A-Z][\w-]*)(?:\s+(?:&|and|(?-i:[A-Z][\w-]*))){0,4}?\s+(?-i:Group|Unit|Division|Committee|Organization|Lab|Team)|(?-i:[A-Z][\w-]*)\s+&\s+(?-i:[A-Z][\w-]*))(?=\s+(?:team|group|unit|division|organization|org)\b|[,.;]|\s+(?:at|of|in|and|to|for|under|reporting)\b|$)",
    re.I,
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


_AS_TITLE = re.compile(
    r"\bas (?:its |the |a |an |their )?(?:new |interim |acting )?(?:⟨O\d+⟩(?:'s)? )?(⟨T\d+⟩)"
)


_RUMOR = re.compile(lx.RUMOR, re.I)


_NEGATION = re.compile(lx.NEGATION, re.I)


_CONFIRMED = re.compile(r"\b(?:confirm(?:s|ed)|announced|officially|has joined|said on)\b", re.I)


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


_HISTORY_SENTENCE = re.compile(
    r"(?i)\b(?:previous(?:ly)?|prior|former(?:ly)?|earlier|once|past roles?|was a|had been|spent|"
    r"before (?:that|joining)|founding member|co-?founded|helped (?:found|start)|later led|"
    r"went on to|alumn[ia]|veteran of)\b"
)


_NEWS = re.compile(r"\b(?:this year|this month|this week|recently|newly|new|just)\b", re.I)


_ALONG = re.compile(
    r"^,?\s+(?:along with|together with|as well as|alongside|joined by|plus)\s+(?:fellow\s+)?"
)


_TOGETHER = re.compile(
    r"\b(?:together with|along with|alongside|with co-?founders?|with|joined by)\b"
)


_GENERIC_NEW = re.compile(r"^(?:A|An|The|Its|His|Her|Their|New|This|That|AI|It)\b")


_ROLE_AS = re.compile(
    r"^(?:,[^.;]{0,100}?,)?[^⟨⟩]{0,3}(?:will be|would be|is to be|to be|will serve as|serves as|as|becomes|will become|is now|joins as|comes over as|will join as|'s appointment as|'s appointment at [^⟨⟩]{0,5}⟨O\d+⟩ as|is named|was named|named|appointed|was appointed|is appointed|is|was)\s+(?:the |its |a |an |their )?(?:new )?(?:(?:⟨O\d+⟩|[\w-]+)'s )?(⟨T\d+⟩)"
)


_GROUP = re.compile(
    r"^(?:They|All (?:three|two|four|five|of them)|Both|The (?:three|two|four|five|pair|trio|group))\b"
)


_PRIORITY = {"return": 0, "join": 1, "founding": 1, "promotion": 2, "depart": 3}
