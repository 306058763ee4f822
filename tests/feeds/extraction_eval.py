"""Scoring an extractor against the labelled corpus (extraction_corpus.jsonl).

A predicted move matches a labelled one when the person is the same (ignoring case, accents
and a missing first name) and the kind is the same. Detection precision counts every item;
recall leaves out items in other languages, where the extractor only has to avoid wrong moves.
Field accuracy is measured on matched moves: person, to-org and from-org always; team, title
and manager where the label states one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

if __name__ == "__main__":  # run as a script: `python -m tests.feeds.extraction_eval [-v]`
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

from feeds.extract.base import Extractor, Item  # noqa: E402
from feeds.extract.text import fold, org_key  # noqa: E402

CORPUS = Path(__file__).with_name("extraction_corpus.jsonl")

_ABBREVIATIONS = {
    "ceo": "chief executive officer",
    "cto": "chief technology officer",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "cpo": "chief product officer",
    "cro": "chief research officer",
    "caio": "chief ai officer",
    "vp": "vice president",
    "chief executive": "chief executive officer",
}


def load_corpus() -> list[dict]:
    return [
        json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _same_person(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    fa, fb = fold(a), fold(b)
    return (
        fa == fb
        or fa.split()[-1] == fb.split()[-1]
        and (len(fa.split()) == 1 or len(fb.split()) == 1)
    )


def _same_org(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return a == b
    return org_key(a) == org_key(b)


def _title_key(value: str) -> str:
    key = fold(value)
    key = re.sub(r"\b(?:the|its|new|interim|acting|of|for|and|&)\b", " ", key)
    for short, long in _ABBREVIATIONS.items():
        key = re.sub(rf"\b{short}\b", long, key)
    return " ".join(key.split())


def _loose(a: str | None, b: str | None, key) -> bool:
    if not a or not b:
        return False
    ka, kb = key(a), key(b)
    return ka == kb or ka in kb or kb in ka


@dataclass
class Score:
    predicted: int = 0
    labelled: int = 0
    true_positive: int = 0
    field_hits: dict[str, int] = field(default_factory=dict)
    field_totals: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive_recall / self.labelled if self.labelled else 1.0

    true_positive_recall: int = 0

    def accuracy(self, name: str) -> float:
        total = self.field_totals.get(name, 0)
        return self.field_hits.get(name, 0) / total if total else 1.0

    def _count(self, name: str, ok: bool, note: str) -> None:
        self.field_totals[name] = self.field_totals.get(name, 0) + 1
        self.field_hits[name] = self.field_hits.get(name, 0) + int(ok)
        if not ok:
            self.errors.append(note)

    def report(self) -> str:
        lines = [
            f"moves: {self.predicted} predicted, {self.labelled} labelled (English), "
            f"{self.true_positive} correct",
            f"precision {self.precision:.3f}  recall {self.recall:.3f}",
        ]
        for name in ("person", "to_org", "from_org", "team", "title", "manager"):
            lines.append(
                f"{name:9} {self.accuracy(name):.3f} ({self.field_hits.get(name, 0)}/"
                f"{self.field_totals.get(name, 0)})"
            )
        return "\n".join(lines)


def score(extractor: Extractor, items: list[dict] | None = None, gazetteer=None) -> Score:
    result = Score()
    for row in items or load_corpus():
        published = dt.datetime.fromisoformat(row["published"].replace("Z", "+00:00"))
        extraction = extractor.extract(
            Item(row["id"], row["title"], row["summary"], published), gazetteer=gazetteer
        )
        english = "non-english" not in row.get("tags", [])
        gold = list(row["labels"]["moves"])
        result.predicted += len(extraction.moves)
        if english:
            result.labelled += len(gold)
        unmatched = list(gold)
        for move in extraction.moves:
            match = next(
                (
                    g
                    for g in unmatched
                    if _same_person(move.person, g["person"]) and move.kind == g["kind"]
                ),
                None,
            )
            if match is None:
                result.errors.append(
                    f"{row['id']} extra {move.kind} {move.person} {move.from_org}>{move.to_org}"
                )
                continue
            unmatched.remove(match)
            result.true_positive += 1
            if not english:
                continue
            result.true_positive_recall += 1
            where = f"{row['id']} {match['person']}"
            result._count(
                "person",
                fold(move.person) == fold(match["person"]),
                f"{where} person {move.person!r}",
            )
            result._count(
                "to_org",
                _same_org(move.to_org, match["to_org"]),
                f"{where} to {move.to_org!r} != {match['to_org']!r}",
            )
            result._count(
                "from_org",
                _same_org(move.from_org, match["from_org"]),
                f"{where} from {move.from_org!r} != {match['from_org']!r}",
            )
            for name, key in (("team", org_key), ("title", _title_key), ("manager", fold)):
                if match.get(name):
                    ok = _loose(getattr(move, name), match[name], key)
                    result._count(
                        name, ok, f"{where} {name} {getattr(move, name)!r} != {match[name]!r}"
                    )
        if english:
            for g in unmatched:
                result.errors.append(
                    f"{row['id']} missed {g['kind']} {g['person']} {g['from_org']}>{g['to_org']}"
                )
    return result


if __name__ == "__main__":
    import sys

    from feeds.extract.base import get_extractor

    outcome = score(get_extractor())
    if "-v" in sys.argv:
        print("\n".join(outcome.errors))
    print(outcome.report())
