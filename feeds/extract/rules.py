"""The built-in extractor: local, deterministic, and read in visible stages.

1. sentences.py — plain text, sentences, language (bounded: linear in the entry's length);
2. mentions.py  — organizations (known, or read from context), people, titles, coreference;
3. clauses.py   — who did what to which organization, from readable pattern tables;
4. moves.py     — one move per person, with both ends, title, team and manager;
5. resolution   — names to records, in talent.resolve, when the pipeline records the moves.

Other languages go through foreign.py (move verbs of de, fr, es, pt, zh, ja) instead of 2-4.
"""

from __future__ import annotations

from feeds.extract import foreign
from feeds.extract.base import Extraction, Gazetteer, HistoryClaim, Item, MoveClaim
from feeds.extract.clauses import Affiliation, Claim, affiliations, claims
from feeds.extract.dates import text_date
from feeds.extract.mentions import Document, headline_case, lexicon_for
from feeds.extract.moves import merge
from feeds.extract.sentences import MAX_BODY, fold, language, plain, sentences

__all__ = ["RuleExtractor"]


def _lexicon(gazetteer: Gazetteer | None):
    names = tuple(gazetteer.organization_names()) if gazetteer else ()
    parents_of = getattr(gazetteer, "organization_parents", None)
    parents = tuple(sorted(parents_of().items())) if parents_of else ()
    return lexicon_for(names, parents)


class RuleExtractor:
    """Local and deterministic: no network, no model files."""

    def extract(self, item: Item, *, gazetteer: Gazetteer | None = None) -> Extraction:
        title = plain(item.title, limit=1_000)
        body = plain(item.summary, limit=MAX_BODY)
        lang = language(f"{title} {body}")
        lexicon = _lexicon(gazetteer)
        if lang != "en":
            found = foreign.extract(title, body, lang, lexicon)
            return _extraction(found, [], item)
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
            found_claims = [
                c for c in found_claims if not c.year or c.year >= item.published.year - 1
            ]
        moves = merge(found_claims, found_affiliations, tagged, lexicon)
        return _extraction(moves, found_affiliations, item)


def _extraction(moves: list[Claim], found: list[Affiliation], item: Item) -> Extraction:
    published = item.published.date() if item.published else None
    result = Extraction()
    for claim in moves:
        when, precision = text_date(claim.evidence, published)
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
                date_precision=precision if when else "unknown",
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
