"""An optional extractor that asks a language model (EXTRACTOR=llm; off by default).

It speaks the OpenAI chat completions protocol (POST {LLM_ENDPOINT}/chat/completions), asks
for structured output under MOVES_SCHEMA and checks the reply against that same schema with
jsonschema. A move whose evidence is not a verbatim span of the entry's text (the plain text
the rule extractor reads) is dropped: a model may invent a sentence, never a source.

- Cached: a reply that fits the schema is kept in the database (LLMReply) under entry_key(),
  so a text read once is never sent again, by any worker, after a restart too.
- Budgeted: calls per clock hour are counted in PostgreSQL for all workers together
  (LLMUsage.claim) and capped at LLM_CALLS_PER_HOUR.
- Bounded: the text sent is cut at LLM_MAX_INPUT_CHARS, the reply at LLM_MAX_REPLY_BYTES,
  a call at LLM_TIMEOUT seconds.
- Never worse off than without it: over budget, the endpoint down, slow or answering an
  error, or a reply that is not JSON or does not fit the schema, and the rule extractor
  reads the entry; the reason is logged. Once the endpoint itself failed, the rest of the
  batch (this instance) goes to the rules without asking: a dead endpoint costs one timeout
  per batch, not one per entry, and the batch ends within its task's time limit.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from functools import cache
from typing import Any

import httpx
from django.conf import settings
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from feeds.extract.base import Extraction, Extractor, Gazetteer, Item, MoveClaim
from feeds.extract.dates import move_date
from feeds.extract.rules import RuleExtractor
from feeds.extract.sentences import MAX_BODY, plain
from feeds.models import LLMReply, LLMUsage
from talent.models import Announcement

__all__ = ["MOVES_SCHEMA", "PROMPT_VERSION", "LLMExtractor", "entry_key"]

log = logging.getLogger(__name__)

# Part of every cache key: change it whenever the instructions or the schema change.
PROMPT_VERSION = "1"

# Only keywords that strict structured output accepts (no minLength/maxLength): a name is
# bounded by a pattern, one line of at most 200 characters that starts with a non-space.
_NAME = {"type": "string", "pattern": r"^\S.{0,199}$"}
_OPTIONAL_NAME = {**_NAME, "type": ["string", "null"]}
_MOVE_PROPERTIES: dict[str, Any] = {
    "kind": {"type": "string", "enum": Announcement.Kind.values},
    "status": {"type": "string", "enum": Announcement.Status.values},
    "person": _NAME,
    "from_org": _OPTIONAL_NAME,
    "to_org": _OPTIONAL_NAME,
    "team": _OPTIONAL_NAME,
    "title": _OPTIONAL_NAME,
    "manager": _OPTIONAL_NAME,
    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
    "evidence": {"type": "string", "pattern": r"\S"},
}
MOVES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["moves"],
    "properties": {
        "moves": {
            "type": "array",
            "maxItems": 20,
            "items": {
                "type": "object",
                "additionalProperties": False,
                # Strict structured output wants every key required; "no value" is null.
                "required": list(_MOVE_PROPERTIES),
                "properties": _MOVE_PROPERTIES,
            },
        }
    },
}
# The part of a chat completion we read: the first choice's message.
_COMPLETION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["choices"],
    "properties": {
        "choices": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["message"],
                "properties": {
                    "message": {
                        "type": "object",
                        "required": ["content"],
                        "properties": {"content": {"type": "string"}},
                    }
                },
            },
        }
    },
}
_moves_validator = Draft202012Validator(MOVES_SCHEMA)
_completion_validator = Draft202012Validator(_COMPLETION_SCHEMA)

_INSTRUCTIONS = """\
You read one news item and list the job moves it reports as news.
- kind: "join" (starts at an organization), "depart" (leaves one), "promotion" (a new role \
at the same organization), "founding" (starts a company or lab), "return" (rejoins an \
organization they worked at before).
- status: "rumor" when the item reports the move as unconfirmed (reportedly, in talks, \
people familiar say), else "reported".
- person: the mover's full name as the item gives it.
- from_org, to_org: the organizations left and joined, as the item names them; team, \
title, manager: as the item gives them; null for anything the item does not say.
- evidence: the headline or one sentence that states the move, copied from the item \
exactly, character for character.
- confidence: from 0 to 1, how sure you are that the item reports this move.
Leave out career history, plans and hypotheticals, denials, interviews, board seats, \
investments and people named beside a move who do not move themselves.
Answer with JSON under the schema; {"moves": []} when the item reports no move."""


class _Fallback(Exception):
    """Why the model's reading of an entry cannot be used; the rules read it instead."""


class _Unavailable(_Fallback):
    """The endpoint itself failed: not asked again for the rest of the batch."""


def entry_key(item: Item) -> str:
    """The cache key of an entry's reading: its text, and who read it how."""
    parts = (settings.LLM_MODEL, PROMPT_VERSION, item.title, item.summary)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class LLMExtractor:
    """Reads moves with a language model, the rule extractor standing in whenever the model
    cannot. One instance per batch: after the endpoint failed it asks no more."""

    def __init__(self, fallback: Extractor | None = None) -> None:
        self.fallback = fallback or RuleExtractor()
        self._failed = ""  # why the endpoint failed, once it did

    def extract(self, item: Item, *, gazetteer: Gazetteer | None = None) -> Extraction:
        title = plain(item.title, limit=1_000)
        body = plain(item.summary, limit=MAX_BODY)[: settings.LLM_MAX_INPUT_CHARS]
        try:
            moves = self._reading(item, title, body)
        except _Fallback as exc:
            log.warning("entry %s read by the rules, not %s: %s", item.id, settings.LLM_MODEL, exc)
            return self.fallback.extract(item, gazetteer=gazetteer)
        return Extraction(moves=_claims(moves, item, (title, body)))

    def _reading(self, item: Item, title: str, body: str) -> list[dict[str, Any]]:
        """The moves the model read in the entry: cached, else asked for within the budget."""
        key = entry_key(item)
        cached = LLMReply.objects.filter(key=key).values_list("moves", flat=True).first()
        if cached is not None:
            return cached
        if self._failed:
            raise _Fallback(f"the endpoint failed earlier in this batch ({self._failed})")
        if not LLMUsage.claim(settings.LLM_CALLS_PER_HOUR):
            raise _Fallback(f"over budget ({settings.LLM_CALLS_PER_HOUR} calls an hour)")
        try:
            reply = _post(_request(title, body))
        except _Unavailable as exc:
            self._failed = str(exc)
            raise
        moves = _moves(reply)
        LLMReply.objects.bulk_create(
            [LLMReply(key=key, model=settings.LLM_MODEL, moves=moves)], ignore_conflicts=True
        )
        return moves


def _request(title: str, body: str) -> dict[str, Any]:
    return {
        "model": settings.LLM_MODEL,
        "messages": [
            {"role": "system", "content": _INSTRUCTIONS},
            {"role": "user", "content": f"Headline: {title}\n\nText: {body}"},
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "moves", "strict": True, "schema": MOVES_SCHEMA},
        },
    }


@cache
def _client() -> httpx.Client:
    """One client per process: the endpoint's connection is kept alive between calls."""
    return httpx.Client(headers={"User-Agent": settings.FEED_USER_AGENT})


def _post(payload: dict[str, Any]) -> bytes:
    """The body of the endpoint's 200 reply, read within LLM_TIMEOUT and LLM_MAX_REPLY_BYTES."""
    timeout, cap = settings.LLM_TIMEOUT, settings.LLM_MAX_REPLY_BYTES
    deadline = time.monotonic() + timeout
    headers = {"Authorization": f"Bearer {settings.LLM_API_KEY}"} if settings.LLM_API_KEY else {}
    url = f"{settings.LLM_ENDPOINT}/chat/completions"
    try:
        with _client().stream(
            "POST", url, json=payload, headers=headers, timeout=timeout
        ) as response:
            if response.status_code != 200:
                raise _Unavailable(f"HTTP {response.status_code}")
            body = bytearray()
            # httpx's timeout bounds each read; the deadline bounds a reply that trickles.
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > cap:
                    raise _Fallback(f"reply larger than {cap} bytes")
                if time.monotonic() > deadline:
                    raise _Unavailable(f"timed out after {timeout:g} s")
            return bytes(body)
    except httpx.TimeoutException:
        raise _Unavailable(f"timed out after {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise _Unavailable(f"{exc.__class__.__name__}: {exc}") from None


def _moves(reply: bytes) -> list[dict[str, Any]]:
    """The moves of a chat completion whose message fits MOVES_SCHEMA."""
    try:
        completion = json.loads(reply)
    except ValueError as exc:
        raise _Fallback(f"the reply is not JSON: {exc}") from None
    if error := best_match(_completion_validator.iter_errors(completion)):
        raise _Fallback(f"the reply is not a chat completion: {error.message[:200]}")
    try:
        answer = json.loads(completion["choices"][0]["message"]["content"])
    except ValueError as exc:
        raise _Fallback(f"the message is not JSON: {exc}") from None
    if error := best_match(_moves_validator.iter_errors(answer)):
        raise _Fallback(f"the message does not fit the move schema: {error.message[:200]}")
    return answer["moves"]


def _claims(moves: list[dict[str, Any]], item: Item, texts: tuple[str, str]) -> list[MoveClaim]:
    """Move claims of the moves whose evidence the entry's text holds word for word."""
    published = item.published.date() if item.published else None
    claims = []
    for move in moves:
        evidence = plain(move["evidence"])
        if not (evidence and any(evidence in text for text in texts)):
            log.warning(
                "entry %s: dropped the %s of %r, its evidence is not in the text: %r",
                item.id,
                move["kind"],
                move["person"],
                evidence[:200],
            )
            continue
        when, precision = move_date([evidence], published)
        claims.append(
            MoveClaim(
                kind=move["kind"],
                status=move["status"],
                person=move["person"],
                from_org=move["from_org"],
                to_org=move["to_org"],
                team=move["team"],
                title=move["title"],
                manager=move["manager"],
                date=when,
                date_precision=precision,
                confidence=round(float(move["confidence"]), 2),
                evidence=evidence,
            )
        )
    return claims
