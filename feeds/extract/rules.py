"""The built-in extractor: local, deterministic, data-driven patterns over tagged sentences.

Each sentence is tagged first (tagging.py): organizations (from the lexicon and the database
gazetteer), titles and person names become placeholders (⟨O3⟩, ⟨T1⟩, ⟨P0⟩). The move grammar
(grammar.py) is a table of readable patterns over those placeholders, so "⟨O0⟩ hires ⟨P1⟩"
and "⟨P1⟩ joins ⟨O0⟩" are one line each. A rule that matches yields a claim; claims about
one person in one item are then merged (a departure plus a join becomes one move with both
ends) and enriched from the rest of the item (title, team, manager, where they came from).
"""

from __future__ import annotations

import datetime as dt
import re

from feeds.extract.base import Extraction, Gazetteer, HistoryClaim, Item, MoveClaim
from feeds.extract.grammar import (
    _AFFILIATIONS,
    _ALONG,
    _AS_TITLE,
    _CONFIRMED,
    _FOUNDER_TITLE,
    _GENERIC_NEW,
    _GROUP,
    _HISTORY_SENTENCE,
    _MANAGER,
    _MONTHS,
    _NEGATION,
    _NEWS,
    _OWNER_RANK,
    _PRIORITY,
    _ROLE_AS,
    _RUMOR,
    _TEAM,
    _TEAM_LEAD,
    _TEAM_STOP,
    _TEXT_DATES,
    _TOGETHER,
    PARENTS,
    RULES,
    Affiliation,
    Claim,
)
from feeds.extract.tagging import Tagged, _Document, _lexicon
from feeds.extract.text import fold, looks_english, plain, sentences


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
        if item.published:  # "…began when she joined Facebook in 2008": history, not news
            claims = [c for c in claims if not c.year or c.year >= item.published.year - 1]
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
            if kind == "leave" and re.search(
                r"\b(?:since|ever since)\s+(?:⟨T\d+⟩\s+)?$",
                tagged.template[max(0, match.start() - 20) : match.start()],
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
            if groups.get("founder") and not (founder and _FOUNDER_TITLE.search(founder)):
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
                claim.rumor = bool(_RUMOR.search(tagged.sentence)) and not (
                    _CONFIRMED.search(tagged.sentence) and not tagged.in_title
                )
                _enrich_from_sentence(claim, tagged, match)
                year = re.match(
                    r"\s+in ((?:19|20)\d\d)\b", tagged.template[match.end() : match.end() + 10]
                )
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
                moving_on = re.search(
                    r"\bwho (?:is|will be|was)? ?(?:moving|becom|tak|named|shift)|new role", after
                )
                if predecessor not in {p.value for p in people} and not moving_on:
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
            r"⟨P\d+⟩,? (?:the |its |as )?(?:new |next |first |second |third |fourth |fifth )?(⟨T\d+⟩)",
            template[match.start() :],
        )
        if named:
            claim.title = tagged.get(named.group(1)).value
    if not claim.title and claim.kind in ("promote",) and match.groupdict().get("title"):
        claim.title = _value(tagged, match, "title")
    team = _team(tagged, claim.from_org if claim.kind == "leave" else claim.to_org)
    if team and claim.kind != "leave":
        claim.team = team


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
        if c.kind in ("leave", "leave_for", "found_from") and not c.from_org:
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
                ) and re.search(r"(?<!⟩ )(?<!former )(?<!ex-)⟨T\d+⟩\s+⟨P\d+⟩[^⟨]*⟨T\d+⟩", c.verb)
                c.kind = "promotion" if promoted or named_again else "join"
            elif c.kind in ("succeed", "handover"):
                c.kind = "promote"  # the successor; the predecessor's departure is its own claim
            if c.kind == "promote":
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
