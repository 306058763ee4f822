"""The language-model extractor (feeds/extract/llm.py) against an OpenAI-protocol server on
loopback (tests/feeds/server.py), with the real database for its cache and budget."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from feeds.extract.base import Item, MoveClaim, get_extractor
from feeds.extract.llm import MOVES_SCHEMA, LLMExtractor, entry_key
from feeds.extract.pipeline import entries_extract
from feeds.extract.rules import RuleExtractor
from feeds.models import Entry, Feed, LLMReply, LLMUsage
from talent.models import Announcement
from tests.feeds.server import FeedServer, Route

ROOT = Path(__file__).resolve().parents[2]
PATH = "/v1/chat/completions"
ITEM = Item(
    id="1",
    title="Corvane Labs hires Ana Lima from Northwind",
    summary="<p>Ana Lima, Northwind’s head of research, joins Corvane Labs as chief scientist"
    " on March 3.</p><p>She starts\nnext month.</p>",
    published=dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC),
)
EVIDENCE = (
    "Ana Lima, Northwind's head of research, joins Corvane Labs as chief scientist on March 3."
)


def _move(**fields) -> dict:
    return {
        "kind": "join",
        "status": "reported",
        "person": "Ana Lima",
        "from_org": "Northwind",
        "to_org": "Corvane Labs",
        "team": None,
        "title": "chief scientist",
        "manager": None,
        "confidence": 0.9,
        "evidence": EVIDENCE,
    } | fields


def _completion(content: str) -> bytes:
    return json.dumps(
        {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "model": "test-model",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
        }
    ).encode()


def _answers(server: FeedServer, *moves: dict, **route) -> None:
    """The endpoint answers every call with these moves (or as `route` says)."""
    route.setdefault("body", _completion(json.dumps({"moves": list(moves)})))
    server.add(PATH, Route(headers={"Content-Type": "application/json"}, **route))


def _calls(server: FeedServer) -> int:
    return len(server.hits(PATH))


@pytest.fixture
def endpoint(feed_server, settings) -> FeedServer:
    settings.LLM_ENDPOINT = feed_server.url("/v1")
    settings.LLM_MODEL = "test-model"
    settings.LLM_API_KEY = "sk-test"
    settings.LLM_TIMEOUT = 2.0
    settings.LLM_CALLS_PER_HOUR = 100
    return feed_server


@pytest.mark.django_db
def test_it_reads_the_moves_of_a_structured_reply(endpoint):
    _answers(endpoint, _move())
    [move] = LLMExtractor().extract(ITEM).moves
    assert move == MoveClaim(
        kind="join",
        status="reported",
        person="Ana Lima",
        from_org="Northwind",
        to_org="Corvane Labs",
        title="chief scientist",
        date=dt.date(2026, 3, 3),
        date_precision="day",
        confidence=0.9,
        evidence=EVIDENCE,
    )
    [seen] = endpoint.hits(PATH)
    assert seen.headers["Authorization"] == "Bearer sk-test"
    request = json.loads(seen.body)
    assert request["model"] == "test-model"
    assert request["response_format"]["json_schema"]["schema"] == MOVES_SCHEMA
    assert "Corvane Labs hires Ana Lima" in request["messages"][-1]["content"]


@pytest.mark.django_db
def test_a_move_whose_evidence_is_not_in_the_entry_is_dropped(endpoint, caplog):
    invented = "Tomas Berg also leaves Northwind for Corvane Labs."
    # Typographic quotes and broken lines, as the entry's HTML has them, still match.
    copied = "Ana Lima, Northwind’s head of research, joins Corvane Labs as\nchief scientist"
    _answers(
        endpoint,
        _move(evidence=copied),
        _move(person="Tomas Berg", evidence=invented),
    )
    moves = LLMExtractor().extract(ITEM).moves
    assert [(m.person, m.kind) for m in moves] == [("Ana Lima", "join")]
    assert moves[0].evidence == copied.replace("’", "'").replace("\n", " ")
    assert "dropped the join of 'Tomas Berg', its evidence is not in the text" in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html>upstream error</html>", "the reply is not JSON"),
        (b'{"choices": []}', "the reply is not a chat completion"),
        (_completion("Here are the moves: Ana Lima joins"), "the message is not JSON"),
        (_completion(json.dumps({"moves": [_move(kind="hire")]})), "does not fit"),
        (_completion(json.dumps({"moves": [_move(status="likely")]})), "does not fit"),
        (_completion(json.dumps({"moves": [{**_move(), "extra": 1}]})), "does not fit"),
        (_completion(json.dumps({"moves": [_move(confidence=7)]})), "does not fit"),
        (_completion(json.dumps({"moves": [_move(person=None)]})), "does not fit"),
        (_completion(json.dumps({"moves": [_move(person=" x" * 150)]})), "does not fit"),
        (_completion(json.dumps({"people": []})), "does not fit"),
    ],
)
def test_a_reply_that_is_not_json_or_does_not_fit_the_schema_falls_back_to_the_rules(
    endpoint, caplog, body, reason
):
    _answers(endpoint, body=body)
    assert LLMExtractor().extract(ITEM) == RuleExtractor().extract(ITEM)
    assert "entry 1 read by the rules, not test-model" in caplog.text and reason in caplog.text
    assert not LLMReply.objects.exists()  # asked again next time


@pytest.mark.django_db
def test_an_http_error_falls_back_to_the_rules(endpoint, caplog):
    _answers(endpoint, status=500, body=b'{"error": "overloaded"}')
    assert LLMExtractor().extract(ITEM) == RuleExtractor().extract(ITEM)
    assert "HTTP 500" in caplog.text


@pytest.mark.django_db
def test_a_hanging_endpoint_falls_back_at_the_timeout_and_is_not_asked_again_in_the_batch(
    endpoint, settings, caplog
):
    settings.LLM_TIMEOUT = 0.5
    _answers(endpoint, _move(), delay=3)
    expected = RuleExtractor().extract(ITEM)  # the rules' data loaded before timing
    extractor = LLMExtractor()
    started = time.monotonic()
    assert extractor.extract(ITEM) == expected
    assert time.monotonic() - started < 2
    assert "timed out after 0.5 s" in caplog.text
    other = Item("2", "Tomas Berg quits Quillmate", "")
    assert extractor.extract(other) == RuleExtractor().extract(other)
    assert _calls(endpoint) == 1
    assert "the endpoint failed earlier in this batch" in caplog.text


@pytest.mark.django_db
def test_a_reply_larger_than_the_cap_falls_back_to_the_rules(endpoint, settings, caplog):
    settings.LLM_MAX_REPLY_BYTES = 1024
    _answers(endpoint, *[_move()] * 8)
    assert LLMExtractor().extract(ITEM) == RuleExtractor().extract(ITEM)
    assert "reply larger than 1024 bytes" in caplog.text


@pytest.mark.django_db
def test_the_text_sent_is_cut_and_only_what_was_sent_can_be_cited(endpoint, settings):
    settings.LLM_MAX_INPUT_CHARS = 300
    late = "Tomas Berg leaves Quillmate for Corvane Labs."
    item = Item("3", ITEM.title, ITEM.summary + " Filler words." * 200 + " " + late)
    _answers(endpoint, _move(), _move(person="Tomas Berg", evidence=late))
    moves = LLMExtractor().extract(item).moves
    assert [m.person for m in moves] == ["Ana Lima"]
    [seen] = endpoint.hits(PATH)
    sent = json.loads(seen.body)["messages"][-1]["content"]
    assert len(sent) < 300 + len(ITEM.title) + 40 and late not in sent


@pytest.mark.django_db
def test_a_cached_entry_is_never_sent_again(endpoint, settings):
    _answers(endpoint, _move())
    first = LLMExtractor().extract(ITEM)
    assert LLMExtractor().extract(ITEM) == first  # another instance: another batch
    assert _calls(endpoint) == 1
    assert LLMReply.objects.get().key == entry_key(ITEM)
    settings.LLM_MODEL = "another-model"  # another reader: another key
    LLMExtractor().extract(ITEM)
    assert _calls(endpoint) == 2


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_another_process_reads_the_cache_instead_of_the_endpoint(endpoint):
    _answers(endpoint, _move())
    LLMExtractor().extract(ITEM)
    line = json.dumps({"id": "1", "title": ITEM.title, "summary": ITEM.summary})
    env = os.environ | {
        "DATABASE_URL": _database_url(),
        "EXTRACTOR": "llm",
        "LLM_ENDPOINT": endpoint.url("/v1"),
        "LLM_MODEL": "test-model",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "extract"],
        input=line + "\n",
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    [move] = json.loads(result.stdout)["moves"]
    assert (move["person"], move["kind"], move["evidence"]) == ("Ana Lima", "join", EVIDENCE)
    assert _calls(endpoint) == 1


@pytest.mark.django_db
def test_over_budget_the_rules_read_the_entry_and_no_request_is_made(endpoint, settings, caplog):
    settings.LLM_CALLS_PER_HOUR = 1
    _answers(endpoint, _move())
    LLMExtractor().extract(ITEM)
    other = Item("2", "Tomas Berg quits Quillmate", "")
    assert LLMExtractor().extract(other) == RuleExtractor().extract(other)
    assert _calls(endpoint) == 1
    assert "over budget (1 calls an hour)" in caplog.text
    assert LLMExtractor().extract(ITEM).moves[0].evidence == EVIDENCE  # cached: no call
    settings.LLM_CALLS_PER_HOUR = 0
    LLMExtractor().extract(Item("4", "Mira Sol joins Quillmate", ""))
    assert _calls(endpoint) == 1


@pytest.mark.django_db(transaction=True)
def test_the_budget_holds_across_concurrent_workers():
    start, taken = threading.Barrier(12), []

    def worker() -> None:
        try:
            start.wait()
            taken.append(LLMUsage.claim(5))
        finally:
            connection.close()  # each thread has a connection of its own

    threads = [threading.Thread(target=worker) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == [False] * 7 + [True] * 5
    assert LLMUsage.objects.get().calls == 5


@pytest.mark.django_db
def test_the_pipeline_records_the_models_moves(endpoint, settings):
    settings.EXTRACTOR = "llm"
    _answers(endpoint, _move())
    feed = Feed.objects.create(url="https://wire.example.org/feed", title="Wire")
    entry = Entry.objects.create(
        feed=feed,
        dedupe_key="corvane",
        link="https://wire.example.org/corvane",
        title=ITEM.title,
        summary=ITEM.summary,
        published_at=timezone.make_aware(dt.datetime(2026, 3, 5, 9)),
        content_hash="corvane",
        extraction_status=Entry.Extraction.QUEUED,
    )
    assert entries_extract([entry.pk]) == (1, 1)
    announcement = Announcement.objects.get()
    assert (announcement.person_name, announcement.to_org_name) == ("Ana Lima", "Corvane Labs")
    assert (announcement.title, announcement.evidence) == ("chief scientist", EVIDENCE)
    assert announcement.sources.get().url == "https://wire.example.org/corvane"
    entry.refresh_from_db()
    assert (entry.extraction_status, entry.moves_found) == (Entry.Extraction.DONE, 1)
    assert _calls(endpoint) == 1


def test_the_extractor_setting_takes_short_names_and_import_paths(settings):
    settings.EXTRACTOR = "llm"
    assert isinstance(get_extractor(), LLMExtractor)
    settings.EXTRACTOR = "rules"
    assert isinstance(get_extractor(), RuleExtractor)
    settings.EXTRACTOR = "feeds.extract.llm.LLMExtractor"
    assert isinstance(get_extractor(), LLMExtractor)
