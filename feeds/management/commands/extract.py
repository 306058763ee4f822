from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from feeds.extract.base import Item, get_extractor
from talent.resolve import Gazetteer

MOVE_FIELDS = (
    "kind",
    "status",
    "person",
    "from_org",
    "to_org",
    "team",
    "title",
    "manager",
    "date",
    "date_precision",
    "confidence",
    "evidence",
)


def _published(value) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


class Command(BaseCommand):
    help = (
        'Read JSON lines {"id", "title", "summary", "published"} from FILE or stdin and print '
        "one JSON line per input with the moves and history the pipeline finds."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", type=Path)

    def handle(self, *args, file: Path | None, **options) -> None:
        try:
            stream = file.open(encoding="utf-8") if file else sys.stdin
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        gazetteer = Gazetteer.load()
        extractor = get_extractor()
        with stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                self.stdout.write(
                    json.dumps(self._one(line, number, gazetteer, extractor), ensure_ascii=False)
                )

    def _one(self, line: str, number: int, gazetteer: Gazetteer, extractor) -> dict:
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            return {
                "id": None,
                "line": number,
                "error": f"bad JSON: {exc}",
                "moves": [],
                "history": [],
            }
        item = Item(
            id=str(row.get("id", "")),
            title=str(row.get("title") or ""),
            summary=str(row.get("summary") or ""),
            published=_published(row.get("published")),
        )
        extraction = extractor.extract(item, gazetteer=gazetteer)
        moves = []
        for claim in extraction.moves:
            data = asdict(claim)
            data["date"] = claim.date.isoformat() if claim.date else None
            data["person"] = _name(gazetteer.resolve_person(claim.person), claim.person)
            data["manager"] = _name(gazetteer.resolve_person(claim.manager), claim.manager)
            data["from_org"] = _name(gazetteer.resolve_org(claim.from_org), claim.from_org)
            to_org = gazetteer.resolve_org(claim.to_org)
            data["to_org"] = _name(to_org, claim.to_org)
            data["team"] = _name(
                gazetteer.resolve_team(to_org.id if to_org else None, claim.team), claim.team
            )
            moves.append({key: data.get(key) for key in MOVE_FIELDS})
        history = [
            {
                "person": _name(gazetteer.resolve_person(h.person), h.person),
                "org": _name(gazetteer.resolve_org(h.org), h.org),
                "title": h.title,
                "team": h.team,
                "evidence": h.evidence,
            }
            for h in extraction.history
        ]
        return {"id": row.get("id"), "moves": moves, "history": history}


def _name(match, text: str | None) -> str | None:
    return match.name if match else text
