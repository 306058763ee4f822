"""Stage 4, moves: the claims one item makes about each person become at most one move each.

A departure plus a join is one move with both ends; a hire of someone already at the
organization is a promotion; details (title, team, manager, where they came from) are taken
from the person's other claims and from the rest of the item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from feeds.extract.clauses import (
    FOUNDER_TITLE,
    GROUP,
    MANAGER,
    ROLE_AS,
    Affiliation,
    Claim,
    hedged,
    team_in,
)
from feeds.extract.mentions import Lexicon, Tagged
from feeds.extract.sentences import fold as _fold

__all__ = ["Context", "complete", "merge"]

_PRIORITY = {"return": 0, "join": 1, "founding": 1, "promotion": 2, "depart": 3}
_KINDS = {
    "leave_for": "join",
    "found": "founding",
    "found_by": "founding",
    "found_from": "founding",
    "found_by~": "founding",
    "leave": "depart",
    "succeed": "promote",
    "handover": "promote",
}
_VAGUE_TITLES = {"chief", "boss", "lead", "head"}
# Names are compared folded many times per item (each claim's person against each move's,
# each mention against each person): fold each spelling once. The learned stage shares it.
fold = lru_cache(maxsize=8192)(_fold)


@dataclass
class Context:
    """What the whole item says, which every person's move is read against."""

    tagged: list[Tagged]
    lexicon: Lexicon
    main_org: str | None
    ranked_orgs: list[str]
    current: dict[str, list[Affiliation]]
    strong_foundings: set[str | None]
    vacated: list[str]
    # Each organization's family, read once for the item: Lexicon.family reads every
    # parent link of the lexicon, and the moves ask about the same few organizations.
    _families: dict[str | None, frozenset[str]] = field(default_factory=dict, repr=False)

    def family(self, org: str | None) -> frozenset[str]:
        """The organization, its parent and its children (see Lexicon.family)."""
        found = self._families.get(org)
        if found is None:
            found = self._families[org] = frozenset(self.lexicon.family(org))
        return found


def _orgs_by_weight(tagged: list[Tagged]) -> list[str]:
    """Organizations by how often the item names them, the headline's counting double."""
    counts: dict[str, int] = {}  # in the order first named
    for t in tagged:
        weight = 2 if t.in_title else 1
        for m in t.mentions:
            if m.kind == "O":
                counts[m.value] = counts.get(m.value, 0) + weight
    # sorted() is stable, reversed too: organizations named as often stay in the order
    # first named.
    return sorted(counts, key=counts.get, reverse=True)


def _context(
    claims: list[Claim], affiliations: list[Affiliation], tagged: list[Tagged], lexicon: Lexicon
) -> Context:
    ranked = _orgs_by_weight(tagged)
    main_org = ranked[0] if ranked else None
    current: dict[str, list[Affiliation]] = {}
    for a in affiliations:
        if a.org == "*":
            a.org = main_org or "*"
        if a.current:
            current.setdefault(fold(a.person), []).append(a)
    context = Context(
        tagged=tagged,
        lexicon=lexicon,
        main_org=main_org,
        ranked_orgs=ranked,
        current=current,
        strong_foundings={c.to_org for c in claims if c.kind.startswith("found") and not c.weak},
        vacated=[],
    )
    for c in claims:
        if c.kind in ("leave", "leave_for", "found_from") and not c.from_org:
            # "OpenAI shake-up: Schulman exits": the organization the item is about, or for
            # someone leaving to join X, the other organization it talks about most.
            family = context.family(c.to_org)
            c.from_org = next((o for o in ranked if o not in family), None)
    context.vacated = [
        c.from_org for c in claims if c.kind in ("leave", "leave_for") and c.from_org
    ]
    return context


def merge(
    claims: list[Claim], affiliations: list[Affiliation], tagged: list[Tagged], lexicon: Lexicon
) -> tuple[list[Claim], Context]:
    """One move per person, from all the claims the item makes; and the item's context."""
    context = _context(claims, affiliations, tagged, lexicon)
    by_person: dict[str, list[Claim]] = {}
    for claim in claims:
        by_person.setdefault(fold(claim.person), []).append(claim)
    moves = []
    for key, group in by_person.items():
        move = _person_move(key, group, context)
        if move is not None:
            moves.append(move)
    return moves, context


def _person_move(key: str, group: list[Claim], context: Context) -> Claim | None:
    # "X, the startup co-founded by P" is background unless the item reports a founding.
    group = [
        c for c in group if not (c.weak and c.to_org not in context.strong_foundings and c.to_org)
    ]
    if not group:
        return None
    works_at = context.current.get(key, [])
    for claim in group:
        _normalize_kind(claim, works_at, context)
    best = _pick(group)
    if best is None:
        return None
    best = _prefer_named_promotion(best, group)
    _fold_details(best, group)
    _enrich_from_item(best, context)
    _settle_ends(best, works_at, context)
    if best.kind == "founding" and not best.to_org:
        # "leaves to start something new": a departure until the company has a name.
        best.kind = "depart"
    if best.kind in ("join", "return", "promotion") and not best.to_org:
        return None
    if best.kind == "depart" and not best.from_org:
        return None
    if best.title and FOUNDER_TITLE.fullmatch(best.title.strip()):
        best.title = None  # having founded a place is history, not a job title
    return best


_NAMING = re.compile(r"(?i)\b(?:names?|named|appoint\w*|promot\w*)\b")
_TITLED_AGAIN = re.compile(r"(?<!⟩ )(?<!former )(?<!ex-)⟨T\d+⟩\s+⟨P\d+⟩[^⟨]*⟨T\d+⟩")


def _normalize_kind(claim: Claim, works_at: list[Affiliation], context: Context) -> None:
    """The clause's kind ("hire", "leave_for", "succeed") as one of the move kinds."""
    at_orgs = {a.org for a in works_at}
    if claim.kind == "hire":
        promoted = claim.to_org and (context.family(claim.to_org) & at_orgs)
        named_again = _NAMING.search(claim.verb) and _TITLED_AGAIN.search(claim.verb)
        claim.kind = "promotion" if promoted or named_again else "join"
        return
    claim.kind = _KINDS.get(claim.kind, claim.kind)
    if claim.kind == "promote":
        claim.kind = "promotion"
        if not claim.to_org:
            # Someone taking over a role: where they work, else the place someone in this
            # item just left, else what the item is about.
            claim.to_org = next(iter(sorted(at_orgs)), None) or (
                context.vacated[0] if context.vacated else context.main_org
            )


def _pick(group: list[Claim]) -> Claim | None:
    """The claim with both ends known, then by kind, then confidence."""
    if not group:
        return None
    return sorted(
        group,
        key=lambda c: (
            _PRIORITY.get(c.kind, 9),
            -(bool(c.to_org) + bool(c.from_org)),
            -c.confidence,
        ),
    )[0]


def _prefer_named_promotion(best: Claim, group: list[Claim]) -> Claim:
    """ "X names Y its CTO" read as a join is a promotion when another clause says Y was
    already there."""
    if best.kind != "join":
        return best
    promotion = next((c for c in group if c.kind == "promotion" and c.to_org == best.to_org), None)
    if promotion and re.search(
        r"(?i)\b(?:names?|named|appoint\w*|taps?|tapped|picks?|picked)\b", best.verb
    ):
        promotion.title = promotion.title or best.title
        return promotion
    return best


def _fold_details(best: Claim, group: list[Claim]) -> None:
    """The other claims' details go into the chosen one."""
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
    if best.title and FOUNDER_TITLE.fullmatch(best.title.strip()):
        best.title = None


def _settle_ends(best: Claim, works_at: list[Affiliation], context: Context) -> None:
    """Where the person comes from and goes to, from what the item says they do now."""
    if best.kind in ("join", "return") and not best.from_org:
        leaving = [a for a in works_at if a.org not in context.family(best.to_org)]
        if leaving:
            best.from_org = leaving[0].org
    if best.kind == "return" and not best.title:
        best.title = next(
            (a.title for a in works_at if a.org in context.family(best.to_org) and a.title), None
        )
    if best.kind == "depart":
        _settle_departure(best, works_at, context)
    if best.kind in ("join", "return") and best.to_org and best.from_org == best.to_org:
        best.from_org = None
    if best.kind == "promotion":
        best.from_org = None
    if best.kind in ("join", "return") and not best.to_org:
        best.to_org = context.main_org  # "is returning to the company", "joins as CTO"
    if best.kind == "founding" and not best.to_org and (best.weak or best.rule == "found_by"):
        best.to_org = next(iter(sorted(o for o in context.strong_foundings if o)), None)


def _settle_departure(best: Claim, works_at: list[Affiliation], context: Context) -> None:
    if best.title and best.title.lower() in _VAGUE_TITLES:
        better = next(
            (a.title for a in works_at if a.title and a.title.lower() not in _VAGUE_TITLES),
            None,
        )
        best.title = better or best.title
    if not best.from_org:
        best.from_org = next((a.org for a in works_at), None) or context.main_org
    if best.from_org:
        best.title = best.title or next(
            (a.title for a in works_at if a.org == best.from_org and a.title), None
        )
    best.to_org = None


def _enrich_from_item(claim: Claim, context: Context) -> None:
    """Title, team and manager are often in a later sentence about the same person ("He will
    work in its pre-training team, reporting to Nick Joseph"). Each clause is read from the
    person's own mention onwards, so in "A reports to B, while C reports to A" each gets
    their own manager."""
    for t in context.tagged:
        mentions_person = False
        for index, mention in enumerate(t.mentions):
            if mention.kind == "P" and mention.value == claim.person:
                mentions_person = True
                _title_and_manager(claim, t, index)
        if not claim.team and (mentions_person or GROUP.match(t.template)):
            owner = claim.from_org if claim.kind == "depart" else claim.to_org
            claim.team = team_in(t, owner, context.lexicon)
        if not claim.team and claim.kind != "depart" and mentions_person:
            claim.team = next(
                (
                    m.unit
                    for m in t.mentions
                    if m.kind == "O" and m.unit and m.value == claim.to_org
                ),
                None,
            )


_NEXT_PERSON = re.compile(r"⟨P\d+⟩ (?!')")


def _title_and_manager(claim: Claim, t: Tagged, index: int) -> None:
    token = f"⟨P{index}⟩"
    at = t.template.find(token)
    if at < 0:
        return
    rest = t.template[at + len(token) :]
    nxt = _NEXT_PERSON.search(rest)  # the next person's clause starts there
    clause = (
        rest[: nxt.start()] if nxt and not MANAGER.match(rest, max(0, nxt.start() - 30)) else rest
    )
    if not claim.title and claim.kind != "depart":
        role = ROLE_AS.match(clause)
        if role:
            claim.title = t.get(role.group(1)).value
    if not claim.manager:
        manager = MANAGER.search(clause[:160])
        found = t.get(manager.group(1)) if manager else None
        if found and found.value != claim.person:
            claim.manager = found.value


def complete(
    claim: Claim, grammar_move: Claim | None, claims: list[Claim], context: Context
) -> Claim:
    """A move decided elsewhere (the learned stage) with its details: title, team, manager,
    rumor and evidence, from the grammar's move for the same person where it agrees, else
    from the person's claims and the rest of the item."""
    key = fold(claim.person)
    agrees = grammar_move is not None and (
        grammar_move.kind == claim.kind or (claim.to_org and grammar_move.to_org == claim.to_org)
    )
    if agrees:
        claim.title, claim.team, claim.manager = (
            grammar_move.title,
            grammar_move.team,
            grammar_move.manager,
        )
    for other in claims:
        if fold(other.person) == key and (
            other.kind == claim.kind or (other.to_org and other.to_org == claim.to_org)
        ):
            claim.title = claim.title or other.title
            claim.team = claim.team or other.team
            claim.manager = claim.manager or other.manager
    said = [
        t for t in context.tagged if any(m.kind == "P" and fold(m.value) == key for m in t.mentions)
    ]
    claim.evidence = list(grammar_move.evidence) if grammar_move else []
    claim.evidence += [t.sentence for t in said if t.sentence not in claim.evidence][:2]
    claim.rumor = grammar_move.rumor if agrees else any(hedged(t) for t in said[:2])
    if not agrees:
        _enrich_from_item(claim, context)
    if claim.kind == "depart":
        claim.to_org = None
        if claim.title and claim.title.lower() in _VAGUE_TITLES:
            claim.title = None
    if claim.title and FOUNDER_TITLE.fullmatch(claim.title.strip()):
        claim.title = None
    return claim
