"""The built-in extractor: local, deterministic, and read in visible stages.

1. sentences.py — plain text, sentences, language (bounded: linear in the entry's length);
2. mentions.py  — organizations (known, or read from context), people, titles, coreference;
3. clauses.py   — who did what to which organization, from readable pattern tables;
4. moves.py     — the grammar's one move per person, with both ends, title, team, manager;
   learned.py   — two linear models, trained on the labelled corpora, decide who moved, how
                  and between which organizations, reading the grammar's claims as evidence;
5. resolution   — names to records, in talent.resolve, when the pipeline records the moves.

Other languages go through foreign.py (move verbs of de, fr, es, pt, zh, ja) instead of 2-4.
"""

from __future__ import annotations

from dataclasses import dataclass

from feeds.extract import foreign, learned
from feeds.extract.base import Extraction, Gazetteer, HistoryClaim, Item, MoveClaim
from feeds.extract.clauses import Affiliation, Claim, affiliations, claims
from feeds.extract.dates import move_date
from feeds.extract.mentions import Document, Lexicon, Tagged, headline_case, lexicon_for
from feeds.extract.moves import Context, merge
from feeds.extract.sentences import MAX_BODY, fold, language, plain, sentences

__all__ = ["GrammarExtractor", "Reading", "RuleExtractor", "read"]


# The lexicon of the gazetteer last asked about: a worker reads every entry of a batch, and
# every batch for a minute, with one gazetteer (feeds/extract/pipeline.py), and looking its
# lexicon up by its names (a tuple of thousands, hashed on every look-up) cost ~2% of the
# pipeline. A gazetteer is not changed once loaded; a new one is a new object.
_last_lexicon: tuple[object, Lexicon] | None = None


def _lexicon(gazetteer: Gazetteer | None) -> Lexicon:
    global _last_lexicon
    if gazetteer is not None and _last_lexicon and _last_lexicon[0] is gazetteer:
        return _last_lexicon[1]
    names = tuple(gazetteer.organization_names()) if gazetteer else ()
    parents_of = getattr(gazetteer, "organization_parents", None)
    parents = tuple(sorted(parents_of().items())) if parents_of else ()
    lexicon = lexicon_for(names, parents)
    if gazetteer is not None:
        _last_lexicon = (gazetteer, lexicon)
    return lexicon


@dataclass
class Reading:
    """What stages 1-4 read in one English item: its tagged sentences, the clauses' claims
    and descriptions of people, and the moves the grammar makes of them. The learned stage
    (learned.py) reads the same object, so training and extraction see the same text."""

    item: Item
    lexicon: Lexicon
    tagged: list[Tagged]
    claims: list[Claim]
    affiliations: list[Affiliation]
    moves: list[Claim]
    context: Context


def _plain_text(item: Item) -> tuple[str, str, str]:
    """Stage 1's plain headline and body, and the language they are in."""
    title = plain(item.title, limit=1_000)
    body = plain(item.summary, limit=MAX_BODY)
    return title, body, language(f"{title} {body}")


def read(item: Item, *, gazetteer: Gazetteer | None = None) -> Reading | None:
    """Stages 1-4 on one item; None for an item in another language."""
    title, body, lang = _plain_text(item)
    if lang != "en":
        return None
    return _read_english(item, title, body, gazetteer)


def _read_english(item: Item, title: str, body: str, gazetteer: Gazetteer | None) -> Reading:
    """Stages 2-4 on an English item's plain headline and body."""
    lexicon = _lexicon(gazetteer)
    texts = ([headline_case(title)] if title else []) + sentences(body)
    doc = Document(lexicon)
    doc.prescan(texts)
    tagged = [
        doc.tag(t, in_title=bool(title) and i == 0, original=title if i == 0 else None)
        for i, t in enumerate(texts)
    ]
    found_affiliations = [a for t in tagged for a in affiliations(t)]
    found_claims = [c for t in tagged for c in claims(t, lexicon)]
    if item.published:  # "…began when she joined Facebook in 2008": history, not news
        found_claims = [c for c in found_claims if not c.year or c.year >= item.published.year - 1]
    moves, context = merge(found_claims, found_affiliations, tagged, lexicon)
    return Reading(item, lexicon, tagged, found_claims, found_affiliations, moves, context)


class RuleExtractor:
    """Local and deterministic: no network. The grammar proposes, and a small linear model
    trained on the labelled corpora (learned.py, shipped in feeds/extract/data/) decides
    which of the item's people moved, how, and between which organizations."""

    use_model = True

    def __init__(self, model: learned.Model | None = None) -> None:
        self.model = model  # None: the shipped one

    def extract(self, item: Item, *, gazetteer: Gazetteer | None = None) -> Extraction:
        title, body, lang = _plain_text(item)  # read once, whichever path the item takes
        if lang != "en":
            found = foreign.extract(title, body, lang, _lexicon(gazetteer))
            return _extraction(found, [], item)
        reading = _read_english(item, title, body, gazetteer)
        moves = learned.decide(reading, self.model) if self.use_model else reading.moves
        return _extraction(moves, reading.affiliations, item)


class GrammarExtractor(RuleExtractor):
    """The grammar alone, without the model: for comparison and for the model's training."""

    use_model = False


def _extraction(moves: list[Claim], found: list[Affiliation], item: Item) -> Extraction:
    published = item.published.date() if item.published else None
    result = Extraction()
    for claim in moves:
        when, precision = move_date(claim.evidence, published)
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
    for a in found:
        key = (fold(a.person), a.org)
        if a.current or a.org == "*" or key in seen or key in moved:
            continue
        seen.add(key)
        result.history.append(
            HistoryClaim(person=a.person, org=a.org, title=a.title, evidence=a.evidence)
        )
    return result
