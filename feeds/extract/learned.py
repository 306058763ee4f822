"""Stage 4b, the learned stage: which of the item's people moved, how, and between which of
its organizations, decided by two small linear models trained on the labelled corpora.

The grammar (clauses.py, moves.py) knows the phrasings it was written for; news finds new
ones. So the decision is made from features that carry over to text nobody has read: the
classes of the words around each mention (lexicon.CUES: "quits", "is exiting" and "said
goodbye to" are all `leave`), the words and prepositions next to each organization ("from",
"for", "'s"), where the mentions are (headline, lede), what descriptions of people say
(affiliations), and what the grammar itself proposed (its claims are features too, not
verdicts). Two models:

- the *kind* model: for each person the item names in full, none / join / depart /
  promotion / founding / return;
- the *role* model: for each (person, organization) pair, none / to / from, given the kind.

Both are multinomial logistic regressions whose weights ship in data/moves_model.json; they
are retrained by `python scripts/train_extractor.py` (scikit-learn, a development dependency)
and scored here in plain Python: a sum of weights per label, then a softmax.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from feeds.extract import lexicon as lx
from feeds.extract.clauses import Claim
from feeds.extract.mentions import Tagged
from feeds.extract.moves import complete, fold
from feeds.extract.sentences import org_key as _org_key
from feeds.extract.wordclasses import WordClasses

if TYPE_CHECKING:
    from feeds.extract.rules import Reading

__all__ = [
    "KINDS",
    "MODEL_PATH",
    "ROLES",
    "VERSION",
    "LinearModel",
    "Model",
    "candidates",
    "decide",
    "kind_features",
    "load_model",
    "role_features",
    "sentences_of",
]

# Bump when the features change: the shipped model must then be retrained (a test checks).
VERSION = 8
MODEL_PATH = Path(__file__).with_name("data") / "moves_model.json"
MAX_PEOPLE = 12
MAX_ORGS = 12
KINDS = ("none", "join", "depart", "promotion", "founding", "return")
ROLES = ("none", "to", "from")
# Features that come from the grammar's verdicts start with "g:": the training script also
# shows the model every example without them, so it learns to read the text on its own.
GRAMMAR = "g:"

_TOKEN = re.compile(r"⟨([POT])(\d+)⟩|\w+(?:[-&.]\w+)*|'\w*|[^\w\s]")
_CUE_CLASSES = WordClasses(lx.CUES, r"(?<![\w-])(?:{})(?![\w])", starts=r"(?<![\w-])\w")
_STOPS = {".", ";", ":", "!", "?"}
_YEAR = re.compile(r"(?:19|20)\d\d")
# Organizations are compared by their keys many times per item: read each spelling's once.
org_key = lru_cache(maxsize=8192)(_org_key)
_MOVE_CLASSES = {"hire", "join", "leave", "found", "return", "rehire", "promote", "move", "oust"}


@lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix in ("ing", "ed") and len(word) > 3 and word[-1] == word[-2] not in "ls":
                word = word[:-1]  # "quitting" -> "quit"
            return word
    return word


@dataclass
class Sentence:
    """One tagged sentence as tokens: stems, or <P>/<O>/<T> for a mention, each with the
    word classes it starts or sits inside. All of it is asked for every person and pair
    weighed, so it is read once per sentence."""

    tagged: Tagged
    index: int
    where: str  # title, lede or body
    words: list[str]
    mentions: list[int | None]  # index into tagged.mentions
    classes: list[tuple[str, ...]]  # sorted
    moving: list[tuple[str, ...]]  # those of the classes that tell of a move
    keys: list[str | None]  # folded person, organization key ("P:…", "O:…")
    places: dict[str, list[int]]  # where each key stands
    org_places: list[int]  # where the organizations stand, in order
    # The word classes the sentence holds anywhere ("D:"; "Dt:" too in the headline).
    described: frozenset[str]

    @classmethod
    def read(cls, tagged: Tagged, index: int) -> Sentence:
        template = tagged.template
        matches = list(_TOKEN.finditer(template))
        words = [f"<{m[1]}>" if m[1] else _stem(m[0]) for m in matches]
        mentions: list[int | None] = [None] * len(words)
        keys: list[str | None] = [None] * len(words)
        places: dict[str, list[int]] = {}
        org_places = []
        for i, match in enumerate(matches):
            if match[2]:
                mentions[i] = number = int(match[2])
                if match[1] == "O":
                    org_places.append(i)
                mention = tagged.mentions[number]
                key = fold if mention.kind == "P" else org_key
                keys[i] = found = f"{mention.kind}:{key(mention.value)}"
                places.setdefault(found, []).append(i)
        spans = cue_spans(template) if matches else []
        at: dict[int, set[str]] = {}  # most tokens are in no class
        if spans:
            starts = [m.start() for m in matches]
            for name, begin, end in spans:
                for i in _token_range(starts, begin, end):
                    at.setdefault(i, set()).add(name)
        classes: list[tuple[str, ...]] = [()] * len(words)
        moving: list[tuple[str, ...]] = [()] * len(words)
        for i, names in at.items():
            classes[i] = tuple(sorted(names))
            if names & _MOVE_CLASSES:
                moving[i] = tuple(sorted(names & _MOVE_CLASSES))
        where = "title" if tagged.in_title else "lede" if index <= 1 else "body"
        present = {name for name, _, _ in spans}  # each span is on a token
        described = {f"D:{c}" for c in present}
        if where == "title":
            described |= {f"Dt:{c}" for c in present}
        return cls(
            tagged=tagged,
            index=index,
            where=where,
            words=words,
            mentions=mentions,
            classes=classes,
            moving=moving,
            keys=keys,
            places=places,
            org_places=org_places,
            described=frozenset(described),
        )

    def positions(self, key: str) -> list[int]:
        """Where the person or organization with this key ("P:…", "O:…") stands."""
        return self.places.get(key, [])


def cue_spans(template: str) -> list[tuple[str, int, int]]:
    """(class, start, end) of every match of every lexicon.CUES pattern in the template."""
    return _CUE_CLASSES.spans(template)


def _token_range(starts: list[int], begin: int, end: int) -> range:
    first = max(0, bisect_right(starts, begin) - 1)
    last = bisect_left(starts, end)
    return range(first, max(first + 1, last))


def sentences_of(reading: Reading) -> list[Sentence]:
    index = 0 if reading.tagged and reading.tagged[0].in_title else 1
    found = []
    for tagged in reading.tagged:
        found.append(Sentence.read(tagged, index))
        index += 1
    return found


# -- candidates -------------------------------------------------------------------------------


def candidates(reading: Reading) -> tuple[list[str], list[str]]:
    """The people the item names in full, and its organizations, each once (first spelling).
    Asked for every person weighed: read once per reading, which never changes."""
    found = reading.__dict__.get("_candidates")
    if found is None:
        found = reading.__dict__["_candidates"] = _candidates(reading)
    return found


def _candidates(reading: Reading) -> tuple[list[str], list[str]]:
    people: dict[str, str] = {}
    orgs: dict[str, str] = {}
    for tagged in reading.tagged:
        platforms = _platforms(tagged)
        for index, m in enumerate(tagged.mentions):
            if m.kind == "P" and " " in m.value.strip():
                people.setdefault(fold(m.value), m.value)
            elif m.kind == "O" and str(index) not in platforms:
                orgs.setdefault(org_key(m.value), m.value)
    for move in reading.moves:  # a new company the grammar named ("founds Brindle")
        for org in (move.to_org, move.from_org):
            if org and org != "*":
                orgs.setdefault(org_key(org), org)
    # Moves are told in the headline and the first paragraphs: the first few people and
    # organizations are all the models weigh, so a long entry costs what a short one does.
    return list(people.values())[:MAX_PEOPLE], list(orgs.values())[:MAX_ORGS]


# "on ⟨O3⟩": every organization's index at once (the matches cannot overlap).
_ON_IN_TITLE = re.compile(r"\bon ⟨O(\d+)⟩(?:\s*[:|-]|\s*$)")
_ON_IN_BODY = re.compile(r"\bon ⟨O(\d+)⟩[.,;]")


def _platforms(tagged: Tagged) -> set[str]:
    """The indexes of the organizations named as where a post appeared, not an employer:
    "P on LinkedIn: personal news", "she said on LinkedIn."."""
    if "on ⟨O" not in tagged.template:
        return set()  # what both patterns begin with; most sentences hold neither
    pattern = _ON_IN_TITLE if tagged.in_title else _ON_IN_BODY
    return set(pattern.findall(tagged.template))


def _as_written(reading: Reading) -> dict[str, str]:
    """Each organization as the item writes it, at its longest: "Facebook" stays "Facebook"
    though the lexicon files it under Meta (names resolve to records, aliases included,
    later). A unit ("Microsoft AI") is reported as its organization."""
    written: dict[str, str] = {}
    for tagged in reading.tagged:
        for m in tagged.mentions:
            if m.kind == "O" and m.known and not m.unit and not m.anaphor and m.text[:1].isupper():
                key = org_key(m.value)
                if len(m.text) > len(written.get(key, "")):  # "Amazon Web Services", not "AWS"
                    written[key] = m.text
    return written


# -- features ---------------------------------------------------------------------------------


# Words that open another clause: what follows them is not said of the person before them.
_BREAKS = {
    "after", "while", "whereas", "who", "which", "where", "when", "because", "but", "although",
    "though", "follow", "before", "since", "until", "amid", "whose", "than",
}  # fmt: skip


# The words _clause (and _role) have to look at: most words are none of them.
_CLAUSE_MARKS = _STOPS | _BREAKS | {"and", "&", "<P>"}


def _clause(s: Sentence, i: int, step: int, limit: int) -> range:
    """Token positions from mention i in one direction, up to `limit` tokens, within its
    clause: not past a full stop or a word that opens another clause, nor past another
    person unless joined by "and" ("A and B have left": both left)."""
    words = s.words
    end = min(len(words), i + limit + 1) if step > 0 else max(-1, i - limit - 1)
    joined = False
    for j in range(i + step, end, step):
        word = words[j]
        if word not in _CLAUSE_MARKS:
            continue
        own = step > 0 and j <= i + 2 and word in ("who", "whose")  # "P, who has left X"
        if word in _STOPS or (word in _BREAKS and not own):
            return range(i + step, j, step)
        if word in ("and", "&"):
            joined = True
        elif word == "<P>" and not joined:
            return range(i + step, j, step)
    return range(i + step, end, step)


_SUCCEED = {"succeed", "replac", "replace"}


def _role(s: Sentence, i: int) -> str | None:
    """Whether the person at i cannot be the subject of the verbs after it: a possessor
    ("Q's lab has hired P"; but "Q's departure" is news of Q), or someone named inside
    another person's description ("P, a co-founder of Q's lab, has left"; "P, who
    co-founded X with Q, has left"; but not a list, "P, Q and R join X")."""
    words = s.words
    if i + 1 < len(words) and words[i + 1] == "'s":
        return None if any(s.moving[i + 2 : i + 4]) else "possessor"
    for j in range(i - 1, max(-1, i - 16), -1):
        word = words[j]
        if word in _CLAUSE_MARKS:  # a stop, a word opening a clause, another person, "and"
            return None
        if word == ",":
            described = j < i - 1 and j >= 1 and words[j - 1] == "<P>"
            return "described" if described and s.keys[j - 1] != s.keys[i] else None
    return None


def kind_features(reading: Reading, sentences: list[Sentence], person: str) -> set[str]:
    key = fold(person)
    features: set[str] = set()
    people, orgs = candidates(reading)
    features.add(f"npeople={min(len(people), 3)}")
    if people and fold(people[0]) == key:
        features.add("first_person")
    mentions = 0
    first_org = org_key(orgs[0]) if orgs else None
    first_place = f"O:{first_org}"
    published = reading.item.published
    this_year = published.year if published else 9999
    place = f"P:{key}"
    for s in sentences:
        features |= s.described
        for i in s.positions(place):
            mentions += 1
            mention = s.tagged.mentions[s.mentions[i]]
            where = s.where
            features.add(f"at:{where}")
            if mention.text != mention.value:
                features.add("coref")
            words, classes_at, moving_at = s.words, s.classes, s.moving
            left = [words[j] if j >= 0 else "^" for j in (i - 1, i - 2, i - 3)]
            right = [words[j] if j < len(words) else "$" for j in (i + 1, i + 2, i + 3)]
            features.update(
                {
                    f"L1={left[0]}",
                    f"L2={left[1]}_{left[0]}",
                    f"R1={right[0]}",
                    f"R2={right[0]}_{right[1]}",
                    f"R3={right[0]}_{right[1]}_{right[2]}",
                }
            )
            negated = moved = False
            first_verb = None
            chain: list[str] = []
            role = _role(s, i)
            if role:
                features.add(f"role:{role}")
            for j in _clause(s, i, +1, 14) if not role else ():
                word, classes, moving = words[j], classes_at[j], moving_at[j]
                if "speech" in classes and j <= i + 2 and not moving:
                    # "P said the lab has parted ways with Q": what follows is reported,
                    # and its subject is someone else (P's own news comes as "P said she").
                    features.add("Rsaid")
                    break
                if _YEAR.fullmatch(word):
                    # "who founded X in 2019": background, not news.
                    features.add("Ryear:old" if int(word) < this_year else "Ryear:now")
                if word == "<O>":
                    features.add("R:org")
                if not classes:
                    continue  # most words are in no class
                near = j <= i + 3
                if "negation" in classes and j <= i + 6:
                    negated = True
                for c in classes:
                    features.add(f"Rc:{c}")
                    if negated and c in _MOVE_CLASSES:
                        features.add(f"Rneg:{c}")  # "will not join", "denies leaving"
                        if not moved:
                            features.add("negated")
                    if c in _MOVE_CLASSES:
                        moved = True
                    if near:
                        features.add(f"Rc3:{c}")
                        features.add(f"Rc3:{c}@{where}")
                if not moving:
                    continue
                if first_verb is None:
                    first_verb = j
                # "leaves X to found Y", "is leaving to join": the purpose says where to.
                if words[j - 1] == "to":
                    # Sorted: the chain reads the order, which must not hang on the hash seed.
                    for c in moving:
                        features.add(f"Rto:{c}")
                        chain.append(c)
                elif not chain:
                    chain.append(moving[0])
            if len(chain) >= 2:
                features.add(f"chain:{chain[0]}>{chain[-1]}")
            if first_verb is not None:
                # The person's own verb, and its voice: "was hired by", "has been poached by".
                passive = "by" in words[first_verb + 1 : first_verb + 3]
                for c in moving_at[first_verb]:
                    features.add(f"Rv:{c}" + ("+by" if passive else ""))
            # "P, chief financial officer of X, is exiting ...": the verb after the apposition,
            # and what the apposition says of where P is now.
            if right[0] == "," and not role:
                close = next(
                    (j for j in range(i + 2, min(len(words), i + 20)) if words[j] in _ENDS), None
                )
                if close is not None and words[close] == ",":
                    for j in _clause(s, close, +1, 5):
                        for c in classes_at[j]:
                            features.add(f"Ra:{c}")
                end = close if close is not None else min(len(words), i + 14)
                features |= _described(s, range(i + 2, end), first_place, "Ap")
            features |= _described(s, range(max(0, i - 4), i), first_place, "Lp")
            last_verb = None
            for j in _clause(s, i, -1, 8):
                for c in classes_at[j]:
                    features.add(f"Lc:{c}")
                    if j >= i - 3:
                        features.add(f"Lc3:{c}")
                if words[j] == "<O>":
                    features.add("L:org")
                if last_verb is None and moving_at[j]:
                    last_verb = j
            if last_verb is not None:  # "X hires P", "the appointment of P"
                if words[last_verb] in _SUCCEED and words[last_verb + 1] != "by":
                    # "will replace P", "succeeds P as CFO": P is the one who made room.
                    features.add("Lv:succeed")
                else:
                    for c in moving_at[last_verb]:
                        features.add(f"Lv:{c}")
    features.add(f"mentions={min(mentions, 4)}")
    for claim in reading.claims:
        if fold(claim.person) == key:
            features.add(f"{GRAMMAR}claim={claim.kind}")
            features.add(f"{GRAMMAR}rule={claim.rule}")
    for move in reading.moves:
        if fold(move.person) == key:
            features.add(f"{GRAMMAR}move={move.kind}")
    for a in reading.affiliations:
        if fold(a.person) == key:
            features.add("aff:current" if a.current else "aff:past")
            if a.current and a.org != "*" and orgs:
                # "Roanoke Data has made Jasper Quill, its president, chief executive": already
                # at the organization the item is about is a promotion, elsewhere a join.
                same = org_key(a.org) == first_org
                features.add("aff:current@" + ("first" if same else "other"))
    return features


_ENDS = {",", *_STOPS}
# Words that place a person inside the organization the item is about.
_OWN_WORDS = {"its", "their", "own", "insider", "in-house", "internal", "longtime", "long-time"}


def _described(s: Sentence, span: range, first_place: str, mark: str) -> set[str]:
    """What the words describing the person say of where they are now: in an apposition
    ("Ap": "P, the company's chief operating officer,") or just before the name ("Lp": "has
    named its head of engineering, P"). An insider ("own"), someone of the item's first
    organization, or of another: a new role there is a promotion, else a join."""
    found: set[str] = set()
    for j in span:
        word = s.words[j]
        if mark == "Ap" and word in _STOPS:
            break
        if mark == "Lp" and (word in _STOPS or s.moving[j]):
            found.clear()  # only what comes after the last verb or stop describes P
            continue
        if word in _OWN_WORDS:
            found.add(f"{mark}:own")
        elif word == "<O>":
            where = "first" if s.keys[j] == first_place else "other"
            found.add(f"{mark}:org@{where}")
        elif word == "<T>":
            found.add(f"{mark}:title")
    return found


def role_features(
    reading: Reading, sentences: list[Sentence], person: str, org: str, kind: str, rank: int
) -> set[str]:
    base = _role_base(reading, sentences, person, org, rank)
    # Each feature on its own and joined with the kind: "from" before an organization
    # means one thing in a join and another in a founding.
    return base | {f"{kind}|{f}" for f in base}


def _role_base(
    reading: Reading, sentences: list[Sentence], person: str, org: str, rank: int
) -> set[str]:
    """The role features before they are joined with the kind."""
    pkey, okey = fold(person), org_key(org)
    p_place, o_place = f"P:{pkey}", f"O:{okey}"
    base: set[str] = {f"rank={min(rank, 3)}"}
    shared = False
    named = False
    for s in sentences:
        o_at = s.positions(o_place)
        if not o_at:
            continue
        named = True
        base.add(f"o_at:{s.where}")
        p_at = s.positions(p_place)
        words = s.words
        tag = "B" if p_at else "xB"
        for j in o_at:
            mention = s.tagged.mentions[s.mentions[j]]
            base.add("known" if mention.known else "new")
            b1 = words[j - 1] if j >= 1 else "^"
            b2 = words[j - 2] if j >= 2 else "^"
            a1 = words[j + 1] if j + 1 < len(words) else "$"
            base.update({f"{tag}1={b1}", f"{tag}2={b2}_{b1}", f"{tag}A1={a1}"})
            for classes in s.classes[max(0, j - 4) : j]:
                for c in classes:
                    base.add(f"{tag}c:{c}")
        if not p_at:
            continue
        shared = True
        i, j = min(((i, j) for i in p_at for j in o_at), key=lambda ij: abs(ij[0] - ij[1]))
        order = "op" if j < i else "po"
        distance = abs(i - j)
        base.add(f"order={order}")
        base.add(f"dist={order}{min(distance, 12) // 3}")
        lo, hi = (j, i) if order == "op" else (i, j)
        between = set()
        for k in range(lo + 1, hi):
            between.update(s.classes[k])
            if words[k] in ("<O>", "<P>"):
                base.add(f"btw:{words[k]}")
        for c in between:
            base.add(f"btw:{c}")
        if order == "op" and j + 1 < len(words) and words[j + 1] == "'s":
            base.add("possessive")
        # Where it stands among the sentence's organizations: in "leaves A for B" both come
        # after the person, A first.
        others = s.org_places
        if order == "po":
            after = [k for k in others if k > i]
            base.add(
                f"nth_after={min(after.index(j), 2) if j in after else 9}/{min(len(after), 3)}"
            )
        else:
            before = [k for k in others if k < i][::-1]
            base.add(f"nth_before={min(before.index(j), 2) if j in before else 9}")
    if named and not shared:
        base.add("apart")
    if not named:
        base.add("unmentioned")
    for claim in reading.claims:
        if fold(claim.person) == pkey:
            if claim.to_org and org_key(claim.to_org) == okey:
                base.add(f"{GRAMMAR}claim_to")
            if claim.from_org and org_key(claim.from_org) == okey:
                base.add(f"{GRAMMAR}claim_from")
    for move in reading.moves:
        if fold(move.person) == pkey:
            if move.to_org and org_key(move.to_org) == okey:
                base.add(f"{GRAMMAR}to")
            if move.from_org and org_key(move.from_org) == okey:
                base.add(f"{GRAMMAR}from")
    for a in reading.affiliations:
        if fold(a.person) == pkey and org_key(a.org) == okey:
            base.add("aff:current" if a.current else "aff:past")
    return base


# -- the models -------------------------------------------------------------------------------


@dataclass
class LinearModel:
    labels: tuple[str, ...]
    bias: list[float]
    weights: dict[str, list[float]]
    # The weights of the features joined with a prefix ("join|from"), by the plain name.
    _joined: dict[str, dict[str, list[float]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def probabilities(self, features: set[str], joined: str | None = None) -> dict[str, float]:
        """The probability of each label. With `joined`, each feature counts also joined
        with it, as role_features gives them: `features | {f"{joined}|{f}" for f in
        features}` (no plain feature has such a name), without spelling out the names."""
        rows = [row for row in map(self.weights.get, features) if row]
        if joined is not None:
            rows += [row for row in map(self._joined_with(joined).get, features) if row]
        # Each label's sum from its bias, a weight at a time, as a loop would. The rows come
        # in the order of a set of strings, which varies from run to run with the hash seed:
        # only a sum's last bits can differ, below anything a result shows (confidences are
        # rounded to two places).
        if rows:
            columns = zip(*rows, strict=True)  # every row has one weight per label
            scores = [sum(col, bias) for bias, col in zip(self.bias, columns, strict=True)]
        else:
            scores = list(self.bias)
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {label: e / total for label, e in zip(self.labels, exp, strict=True)}

    def _joined_with(self, prefix: str) -> dict[str, list[float]]:
        table = self._joined.get(prefix)
        if table is None:
            start = f"{prefix}|"
            table = self._joined[prefix] = {
                name.removeprefix(start): row
                for name, row in self.weights.items()
                if name.startswith(start)
            }
        return table

    def as_json(self) -> dict:
        return {"labels": list(self.labels), "bias": self.bias, "weights": self.weights}

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        return cls(tuple(data["labels"]), list(data["bias"]), dict(data["weights"]))


@dataclass
class Model:
    kind: LinearModel
    role: LinearModel
    version: int = VERSION
    trained_on: dict[str, str] = field(default_factory=dict)  # file -> sha256 of what was read
    thresholds: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "version": self.version,
            "trained_on": self.trained_on,
            "thresholds": self.thresholds,
            "kind": self.kind.as_json(),
            "role": self.role.as_json(),
        }

    @classmethod
    def from_json(cls, data: dict) -> Model:
        return cls(
            kind=LinearModel.from_json(data["kind"]),
            role=LinearModel.from_json(data["role"]),
            version=data["version"],
            trained_on=data.get("trained_on", {}),
            thresholds=data.get("thresholds", {}),
        )


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> Model | None:
    """The shipped model; None when it is missing or was trained for other features (the
    grammar's moves are used as they are then)."""
    if not path.exists():
        return None
    model = Model.from_json(json.loads(path.read_text(encoding="utf-8")))
    return model if model.version == VERSION else None


# -- deciding ---------------------------------------------------------------------------------

_NEEDS_TO = {"join", "promotion", "founding", "return"}


def decide(reading: Reading, model: Model | None = None) -> list[Claim]:
    """The item's moves: one per person the kind model says moved, with the organizations
    the role model puts at either end."""
    model = model or load_model()
    if model is None:
        return reading.moves
    people, orgs = candidates(reading)
    if not people:
        return []
    sentences = sentences_of(reading)
    threshold = model.thresholds.get("from", 0.5)
    rule_moves = {fold(m.person): m for m in reading.moves}
    moves = []
    for person in people:
        features = kind_features(reading, sentences, person)
        kinds = model.kind.probabilities(features)
        kind = max(KINDS[1:], key=kinds.get)
        if kinds["none"] >= model.thresholds.get("none", 0.5) and kinds["none"] > kinds[kind]:
            continue
        if 1 - kinds["none"] < model.thresholds.get("move", 0.0):
            continue  # too unsure that this person moved at all (the threshold is chosen by CV)
        if "negated" in features and not any(f.startswith(f"{GRAMMAR}claim") for f in features):
            continue  # "will not join", "denies that she is leaving": the text says no
        roles = {  # role_features, joined with the kind as the model reads them
            org: model.role.probabilities(
                _role_base(reading, sentences, person, org, rank), joined=kind
            )
            for rank, org in enumerate(orgs)
        }
        to_org = max(roles, key=lambda o: roles[o]["to"], default=None)
        if kind == "founding" and to_org and roles[to_org]["from"] > roles[to_org]["to"]:
            # The likeliest new company reads as the one left: the next likeliest that does
            # not; "quits Tarrow Compute to build her own lab", with no other, is a
            # departure (a company without a name yet, LABELLING.md).
            new = [o for o in roles if roles[o]["to"] >= roles[o]["from"]]
            to_org = max(new, key=lambda o: roles[o]["to"], default=to_org)
            if not new:
                kind = "depart"
        if kind in _NEEDS_TO:
            if to_org is None or roles[to_org]["to"] < model.thresholds.get("to", 0.2):
                continue
        else:
            to_org = None
        others = [o for o in roles if o != to_org]
        from_org = max(others, key=lambda o: roles[o]["from"], default=None)
        if kind == "promotion" and from_org and roles[from_org]["from"] >= 0.5:
            kind = "join"  # arriving from somewhere else is not a promotion
        if kind == "depart":
            if from_org is None:
                continue
        elif kind == "promotion" or from_org is None or roles[from_org]["from"] < threshold:
            from_org = None
        if kind == "join" and from_org and from_org in reading.context.family(to_org):
            kind, from_org = "promotion", None  # from a unit of the same company: a new role
        claim = Claim(
            kind=kind,
            person=person,
            rule="model",
            to_org=to_org,
            from_org=from_org,
            confidence=kinds[kind],
        )
        moves.append(complete(claim, rule_moves.get(fold(person)), reading.claims, reading.context))
    written = _as_written(reading)
    for move in moves:
        move.to_org = move.to_org and written.get(org_key(move.to_org), move.to_org)
        move.from_org = move.from_org and written.get(org_key(move.from_org), move.from_org)
    return moves
