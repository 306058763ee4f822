from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from feeds.extract.base import Extraction, Item, MoveClaim
from feeds.extract.pipeline import entry_extract
from feeds.extract.rules import RuleExtractor, read
from feeds.models import Entry, Feed
from talent.models import Announcement, OrganizationAlias, Source
from talent.resolve import Gazetteer
from tests import factories as f
from tests.feeds.extraction_eval import CORPUS, score, splits

# The seed story, retold in our own words: the tests read nothing outside the repository.
SEED = Path(__file__).resolve().parent / "fixtures" / "seed_story.txt"


def _extract_command(rows: list[dict]) -> list[dict]:
    out = StringIO()
    stdin = "\n".join(json.dumps(r) for r in rows) + "\n"
    import sys

    previous, sys.stdin = sys.stdin, StringIO(stdin)
    try:
        call_command("extract", stdout=out)
    finally:
        sys.stdin = previous
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.django_db
def test_the_seed_story_is_a_join_with_team_manager_and_history():
    text = SEED.read_text(encoding="utf-8")
    [result] = _extract_command(
        [{"id": "seed", "title": "", "summary": text, "published": "2026-05-19"}]
    )
    joins = [m for m in result["moves"] if m["kind"] == "join"]
    assert len(joins) == 1
    move = joins[0]
    assert move["person"] == "Andrej Karpathy" and move["to_org"] == "Anthropic"
    assert move["team"].lower() == "pre-training" and move["manager"] == "Nick Joseph"
    assert move["status"] == "reported" and 0 < move["confidence"] <= 1
    assert "Nick Joseph" in move["evidence"]
    assert {h["org"] for h in result["history"]} >= {"OpenAI", "Tesla"}


@pytest.mark.django_db
def test_the_extract_command_answers_every_line_even_bad_ones():
    results = _extract_command(
        [{"id": 1, "title": "Jan Leike joins Anthropic", "summary": "", "published": "2024-05-28"}]
    )
    assert results[0]["id"] == 1 and results[0]["moves"][0]["to_org"] == "Anthropic"
    out = StringIO()
    import sys

    previous, sys.stdin = sys.stdin, StringIO('not json\n[1, 2]\n\n{"id": "x"}\n')
    try:
        call_command("extract", stdout=out)
    finally:
        sys.stdin = previous
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line.get("error", "")[:8] for line in lines] == ["bad JSON", "bad JSON", ""]
    assert lines[2] == {"id": "x", "moves": [], "history": []}


@pytest.mark.django_db
def test_names_resolve_to_records_with_their_accents_and_aliases():
    f.person("Karén Simonyan")
    lab = f.org("Microsoft")
    OrganizationAlias.objects.create(organization=lab, name="MSFT")
    [result] = _extract_command(
        [
            {
                "id": "k",
                "title": "Karen Simonyan joins MSFT",
                "summary": "",
                "published": "2024-03-19",
            }
        ]
    )
    assert result["moves"][0]["person"] == "Karén Simonyan"
    assert result["moves"][0]["to_org"] == "Microsoft"


@pytest.mark.django_db
def test_a_name_written_in_another_order_or_misspelt_resolves_to_the_record():
    chen = f.person("Chen Yiwen Marlowe")
    f.person("Someone Else Entirely")
    gazetteer = Gazetteer.load()
    assert gazetteer.resolve_person("Yiwen Marlowe Chen").id == chen.pk
    assert gazetteer.resolve_person("Chen Yiwen Marlow").id == chen.pk
    assert gazetteer.resolve_person("Chen Yiwen Morrow") is None


@pytest.mark.parametrize(
    "title",
    [
        "Amazon and Meta join the Frontier Model Forum",
        "Sam Altman will not join Microsoft's new team",
        "Thinking Machines co-founder Andrew Tulloch turned down a Meta offer",
        "Google unveils Gemini, its most capable model",
        "Apple joins forces with OpenAI to bring ChatGPT to the iPhone",
    ],
)
def test_traps_and_other_languages_yield_no_moves(title):
    assert RuleExtractor().extract(Item("t", title, "")).moves == []


@pytest.mark.parametrize(
    ("title", "summary", "mover"),
    [
        (  # the speaker of "said the company has parted ways with" is not the one leaving
            "Tamber Bay parts ways with its chief scientist",
            "Tamber Bay chief executive Sunniva Ekdahl said the company has parted ways with "
            "its chief scientist, Joaquin Ruelas.",
            "Joaquin Ruelas",
        ),
        (  # a possessor ("Pike's startup") is not the subject of the verb after it
            "Wendell Pike's startup Orrin adds a chief financial officer",
            "Orrin, the lab Wendell Pike started last year, has hired Marisol Quintero from "
            "Tessaly Bank as chief financial officer.",
            "Marisol Quintero",
        ),
    ],
)
def test_people_named_beside_a_move_are_not_movers(title, summary, mover):
    moves = RuleExtractor().extract(Item("b", title, summary)).moves
    assert [m.person for m in moves] == [mover]


def test_rumors_are_never_reported_moves():
    result = RuleExtractor().extract(
        Item("r", "Scale AI's Alexandr Wang is in talks to join Meta", "")
    )
    assert [m.status for m in result.moves] == ["rumor"]


# -- the labelled corpora ------------------------------------------------------------------

# Floors at the figures reached (see the README for which files are training material and
# which are held out): detection precision and recall, whole-move recall (person, kind,
# origin and destination all right), and from/to accuracy on detected moves. They stop the
# extractor sliding back; they are not the goal.
FLOORS = {
    # split: (precision, recall, whole-move recall, from_org, to_org)
    "corpus": (0.98, 0.95, 0.94, 0.97, 0.97),
    "corpus_more": (0.97, 0.90, 0.80, 0.90, 0.94),
    "regression": (0.97, 0.93, 0.85, 0.88, 0.97),
    "train_a": (0.96, 0.95, 0.87, 0.93, 0.94),
    "train_b": (0.97, 0.96, 0.94, 0.96, 0.96),
    "train_c": (0.97, 0.93, 0.85, 0.91, 0.94),
    "train_d": (0.96, 0.93, 0.90, 0.92, 0.94),
    "train_e": (0.93, 0.95, 0.90, 0.90, 0.94),
    "train_f": (0.97, 0.88, 0.81, 0.90, 0.95),
    # Written apart as held-out files 4 and 5 and each scored once (README); trained on since.
    "train_g": (0.96, 0.93, 0.87, 0.91, 0.97),
    "train_h": (0.96, 0.93, 0.85, 0.90, 0.95),
    "train_i": (0.95, 0.85, 0.80, 0.94, 0.94),
    # Written apart as held-out file 6, scored once (README); trained on since.
    "train_j": (0.96, 0.90, 0.85, 0.93, 0.94),
    # Written apart as held-out file 7, scored once (README); trained on since.
    "train_k": (0.97, 0.92, 0.87, 0.93, 0.96),
    # The dev splits: never trained on, never read for errors, only scored.
    "dev": (0.90, 0.85, 0.55, 0.70, 0.85),
    "dev_c": (0.90, 0.76, 0.68, 0.88, 0.92),
    # Held out, scored once on e3131b0 at P 0.924 R 0.855 whole 0.736 from 0.88 to 0.98 (README).
    "holdout_8": (0.91, 0.84, 0.72, 0.87, 0.97),
}


def _rows(name: str) -> list[dict]:
    return splits()[name]


@pytest.mark.parametrize("name", list(FLOORS))
def test_extraction_holds_its_figures_on_every_corpus(name, capsys):
    rows = _rows(name)
    result = score(RuleExtractor(), rows)
    with capsys.disabled():
        print(f"\n{name}:\n" + result.report())
    precision, recall, whole, from_org, to_org = FLOORS[name]
    errors = "\n".join(result.english.errors)
    assert result.precision >= precision, errors
    assert result.recall >= recall, errors
    assert result.whole_recall >= whole, errors
    assert result.accuracy("from_org") >= from_org and result.accuracy("to_org") >= to_org


def test_the_labelled_material_is_large_enough_and_other_languages_are_scored_apart():
    rows = [row for name in FLOORS for row in _rows(name)]
    assert len(rows) >= 600
    result = score(RuleExtractor(), rows)
    assert result.other.items >= 40 and result.english.items + result.other.items == len(rows)
    # Other languages are out of the grammar's reach (README): they must not yield wrong moves.
    assert result.other.predicted == result.other.detected


def test_a_headline_names_people_and_organizations_by_their_context():
    def moves(title, summary=""):
        found = RuleExtractor().extract(Item("h", title, summary)).moves
        return [(m.kind, m.person, m.from_org, m.to_org) for m in found]

    # A title just before a name: a person, though "Dresser" is an ordinary word.
    assert moves("Slack CEO Denise Dresser joins OpenAI as chief revenue officer") == [
        ("join", "Denise Dresser", "Slack", "OpenAI")
    ]
    # "Ex-Meta" is a past employer, not an organization called so; "leaves X for Y": Y.
    assert moves("Ex-Meta researcher Oskar Wendt leaves Mistral AI for Stillwater Models") == [
        ("join", "Oskar Wendt", "Mistral AI", "Stillwater Models")
    ]
    # A given name first: a person, though the surname is an ordinary word.
    assert moves("OpenAI hires Sarah Friar as CFO") == [("join", "Sarah Friar", None, "OpenAI")]
    # A word capitalised because it opens the sentence is not part of the name.
    assert moves("Today Ayaan Chaudhry starts at Sunbittern") == [
        ("join", "Ayaan Chaudhry", None, "Sunbittern")
    ]
    assert moves("Two Vantaquill alumni found Sorrelwick") == []
    # A title in capitals ends an organization's name in a headline.
    assert moves("Driftwood Intelligence CEO Pieter-Jan de Smet steps down") == [
        ("depart", "Pieter-Jan de Smet", "Driftwood Intelligence", None)
    ]
    # A job "of"/"at" a name-like phrase: an organization, not a second person.
    assert moves(
        "Lumen Atlas CTO set to join Sable Compute",
        "Ingrid Solberg, chief technology officer of Lumen Atlas, is set to join Sable "
        "Compute, according to people familiar with the matter.",
    ) == [("join", "Ingrid Solberg", "Lumen Atlas", "Sable Compute")]


def test_an_organization_never_seen_before_is_found_from_context():
    def moves(title, summary=""):
        found = RuleExtractor().extract(Item("u", title, summary)).moves
        return [(m.kind, m.person, m.from_org, m.to_org) for m in found]

    assert moves("Maya Chen joins Lumen Harbor as chief scientist") == [
        ("join", "Maya Chen", None, "Lumen Harbor")
    ]
    assert moves(
        "Vexlo Robotics GmbH hires Tomas Berg",
        "Tomas Berg arrives from Quillmate, a Berlin software firm.",
    ) == [("join", "Tomas Berg", "Quillmate", "Vexlo Robotics")]
    assert moves("Priya Rao leaves Corvane for a startup called Tidewater") == [
        ("join", "Priya Rao", "Corvane", "Tidewater")
    ]
    assert moves("Ines Duarte, who led research at Halvard Systems, has quit the firm") == [
        ("depart", "Ines Duarte", "Halvard Systems", None)
    ]
    # Places and headline capitals are not organizations or people, nor are counts.
    assert moves("Funding Talks Stall in Berlin as Investors Wait") == []
    reading = read(Item("n", "Two researchers leave Korvik Institute to found Brannoch", ""))
    orgs = [m.value for t in reading.tagged for m in t.mentions if m.kind == "O"]
    assert orgs == ["Korvik Institute", "Brannoch"]


def test_extraction_time_grows_with_the_entry_no_faster_than_its_length():
    import time

    sentence = "Ana Lima, a researcher, said the lab will publish its results next year. "
    huge = sentence * (128_000 // len(sentence))
    started = time.perf_counter()
    RuleExtractor().extract(Item("big", "Ana Lima joins Corvane", huge))
    assert time.perf_counter() - started < 3.0


@pytest.mark.django_db
def test_extraction_is_as_good_with_the_demo_world_as_a_gazetteer():
    call_command("loaddemo", verbosity=0)
    result = score(RuleExtractor(), gazetteer=Gazetteer.load())
    assert result.precision >= 0.95 and result.recall >= 0.90


# -- the pipeline ---------------------------------------------------------------------------


def _queued(*titles: str) -> list[int]:
    """Entries of one wire feed, headlines only, queued for extraction: their ids."""
    feed, _ = Feed.objects.get_or_create(url="https://wire.example.org/feed", title="Wire")
    ids = [
        _entry(feed, title, "", f"https://wire.example.org/{i}").pk
        for i, title in enumerate(titles)
    ]
    Entry.objects.filter(pk__in=ids).update(extraction_status=Entry.Extraction.QUEUED)
    return ids


def _entry(feed: Feed, title: str, summary: str, link: str) -> Entry:
    return Entry.objects.create(
        feed=feed,
        dedupe_key=link[-60:],
        link=link,
        canonical_url=link,
        title=title,
        summary=summary,
        published_at=timezone.make_aware(dt.datetime(2026, 5, 19, 17)),
        content_hash=link[-60:],
    )


@pytest.mark.django_db
def test_an_entry_becomes_one_resolved_announcement_and_a_second_outlet_adds_a_source():
    karpathy, joseph = f.person("Andrej Karpathy"), f.person("Nick Joseph")
    anthropic = f.org("Anthropic")
    pretraining = f.team(anthropic, "Pre-training")
    wire = Feed.objects.create(url="https://wire.example.org/feed", title="AI Talent Wire")
    dispatch = Feed.objects.create(url="https://dispatch.example.org/feed", title="Lab Dispatch")
    first = _entry(
        wire,
        "Anthropic hires Andrej Karpathy",
        "<p>He will work in its pre-training team, reporting to Nick Joseph.</p>",
        "https://wire.example.org/karpathy",
    )
    gazetteer = Gazetteer.load()
    assert entry_extract(entry=first, gazetteer=gazetteer) == 1
    announcement = Announcement.objects.get()
    assert announcement.kind == "join" and announcement.person == karpathy
    assert announcement.to_org == anthropic and announcement.team == pretraining
    assert announcement.manager == joseph and announcement.unresolved == []
    assert announcement.sources.get().publisher == "AI Talent Wire"
    first.refresh_from_db()
    assert first.extraction_status == Entry.Extraction.DONE and first.moves_found == 1

    # Extracting the same entry again creates nothing.
    entry_extract(entry=first, gazetteer=gazetteer)
    assert Announcement.objects.count() == 1 and Source.objects.count() == 1

    # Another outlet's report of the same move is one more source, not a new announcement.
    second = _entry(
        dispatch,
        "Karpathy heads to Anthropic to work on pre-training",
        "Andrej Karpathy said he has started at Anthropic.",
        "https://dispatch.example.org/karpathy-anthropic",
    )
    entry_extract(entry=second, gazetteer=gazetteer)
    assert Announcement.objects.count() == 1
    assert announcement.sources.count() == 2
    assert set(announcement.entries.values_list("pk", flat=True)) == {first.pk, second.pk}


@pytest.mark.django_db
def test_a_batch_is_recorded_once_and_extracting_it_again_creates_nothing():
    from feeds.extract.pipeline import entries_extract

    ids = _queued(
        "Lumen Harbor hires Maya Chen", "Maya Chen joins Lumen Harbor", "Tomas Berg quits Quillmate"
    )
    assert entries_extract(ids) == (3, 3)
    assert Announcement.objects.count() == 2 and Source.objects.count() == 3
    assert Announcement.objects.get(kind="join").sources.count() == 2
    assert set(Entry.objects.values_list("moves_found", flat=True)) == {1}

    Entry.objects.filter(pk__in=ids).update(extraction_status=Entry.Extraction.QUEUED)
    entries_extract(ids)
    assert Announcement.objects.count() == 2 and Source.objects.count() == 3


@pytest.mark.django_db
def test_a_source_another_batch_stored_meanwhile_is_shared_not_stored_twice(monkeypatch):
    from feeds.extract.pipeline import entries_extract
    from talent import services

    ids = _queued("Lumen Harbor hires Maya Chen", "Tomas Berg quits Quillmate")
    inserted = services._sources_inserted

    def racing(sources):  # another worker stores the first source after our look-up
        first = sources[0]
        Source.objects.create(url=first.url, evidence=first.evidence, title="theirs")
        return inserted(sources)

    monkeypatch.setattr(services, "_sources_inserted", racing)
    assert entries_extract(ids) == (2, 2)
    assert Source.objects.count() == 2
    theirs = Source.objects.get(title="theirs")
    assert theirs.announcements.count() == 1 and theirs.reports.count() == 1
    assert all(a.sources.count() == 1 for a in Announcement.objects.all())


@pytest.mark.django_db
def test_a_batch_that_cannot_be_recorded_is_undone_whole_then_recorded_entry_by_entry(
    monkeypatch,
):
    from feeds.extract.pipeline import entries_extract
    from talent import services

    ids = _queued(
        "Lumen Harbor hires Maya Chen",
        "Tomas Berg quits Quillmate",
        "Ines Varga joins Orbital Kiln",
    )
    stored = services._sources_stored

    def refusing(inputs):  # after the batch's announcements are written
        if any(source.url.endswith("/2") for source in inputs):  # the third entry
            raise RuntimeError("refused")
        return stored(inputs)

    monkeypatch.setattr(services, "_sources_stored", refusing)
    assert entries_extract(ids) == (3, 2)
    assert Announcement.objects.count() == 2  # nothing left of the first attempt
    assert {a.person_name for a in Announcement.objects.all()} == {"Maya Chen", "Tomas Berg"}
    failed = Entry.objects.get(pk=ids[2])
    assert failed.extraction_status == Entry.Extraction.FAILED
    assert failed.extraction_error == "RuntimeError: refused"


def test_extraction_tasks_have_time_limits():
    from feeds.tasks import extract_entries, extract_pending

    for task in (extract_entries, extract_pending):
        assert 0 < task.soft_time_limit < task.time_limit


@pytest.mark.django_db
def test_a_parent_recorded_in_the_database_makes_a_move_inside_the_family_a_promotion():
    parent = f.org("Corvane Holdings")
    child = f.org("Corvane Labs")
    child.parent = parent
    child.save(update_fields=["parent"])
    extraction = RuleExtractor().extract(
        Item(
            "fam",
            "Corvane Holdings names Ana Lima chief scientist",
            "Ana Lima, who runs research at Corvane Labs, becomes chief scientist.",
        ),
        gazetteer=Gazetteer.load(),
    )
    assert [(m.kind, m.to_org) for m in extraction.moves] == [("promotion", "Corvane Holdings")]


@pytest.mark.django_db
def test_unknown_names_stay_text_with_a_flag():
    feed = Feed.objects.create(url="https://wire.example.org/feed", title="Wire")
    entry = _entry(feed, "Zyx Labs hires Qwerty Uiop", "", "https://wire.example.org/q")
    entry_extract(entry=entry, gazetteer=Gazetteer.load())
    announcement = Announcement.objects.get()
    assert announcement.person is None and announcement.person_name == "Qwerty Uiop"
    assert announcement.to_org is None and announcement.to_org_name == "Zyx Labs"
    assert announcement.unresolved == ["person", "to"]


class _OneMoveExtractor:
    """Stands in for another implementation behind the interface (say, an HTTP model)."""

    def extract(self, item: Item, *, gazetteer=None) -> Extraction:
        return Extraction(
            moves=[
                MoveClaim(
                    kind="join", person="Ada Example", to_org="Example Lab", evidence=item.title
                )
            ]
        )


@pytest.mark.django_db
def test_another_extractor_plugs_in_through_the_setting(settings):
    settings.EXTRACTOR = "tests.feeds.test_extraction._OneMoveExtractor"
    feed = Feed.objects.create(url="https://wire.example.org/feed", title="Wire")
    entry = _entry(feed, "Anything at all", "", "https://wire.example.org/any")
    entry_extract(entry=entry, gazetteer=Gazetteer.load())
    assert Announcement.objects.get().person_name == "Ada Example"


def test_a_date_in_the_text_wins_over_the_publication_date():
    published = dt.datetime(2025, 6, 14, 9, tzinfo=dt.UTC)
    [move] = (
        RuleExtractor()
        .extract(
            Item(
                "d",
                "Meta hires Alexandr Wang",
                "Meta said on June 12 that Alexandr Wang will join Meta.",
                published,
            )
        )
        .moves
    )
    assert (move.date, move.date_precision) == (dt.date(2025, 6, 12), "day")
    [move] = RuleExtractor().extract(Item("p", "Meta hires Alexandr Wang", "", published)).moves
    assert (move.date, move.date_precision) == (dt.date(2025, 6, 14), "day")


# -- the learned stage ----------------------------------------------------------------------


def _training_script():
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "scripts" / "train_extractor.py"
    spec = importlib.util.spec_from_file_location("train_extractor", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_model_was_trained_on_the_current_training_splits_only():
    from feeds.extract import learned
    from tests.feeds.extraction_eval import SCORED_ONLY, fingerprint, training_splits

    model = learned.load_model()
    assert model is not None, "feeds/extract/data/moves_model.json is missing or stale"
    assert model.version == learned.VERSION
    assert model.kind.labels == learned.KINDS and model.role.labels == learned.ROLES
    splits = training_splits()
    assert not set(model.trained_on) & set(SCORED_ONLY)
    assert model.trained_on == {name: fingerprint(rows) for name, rows in splits.items()}, (
        "a labelled file changed since the model was trained: "
        "run .venv/bin/python scripts/train_extractor.py"
    )


_FEATURES_OF_THE_TRAINING_SPLITS = """
import django, json
django.setup()
from feeds.extract import learned
from feeds.extract.base import Item
from feeds.extract.rules import read
from tests.feeds.extraction_eval import training_splits
out = []
for row in [row for rows in training_splits().values() for row in rows]:
    reading = read(Item(row["id"], row["title"], row["summary"]))
    if reading:
        sentences = learned.sentences_of(reading)
        for person in learned.candidates(reading)[0]:
            out.append(sorted(learned.kind_features(reading, sentences, person)))
print(json.dumps(out))
"""


def test_the_learned_features_do_not_hang_on_the_hash_seed():
    """Training is repeatable and extraction the same in every worker only if no feature
    depends on the order a set of strings happens to iterate in (PYTHONHASHSEED)."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    runs = [
        subprocess.run(
            [sys.executable, "-c", _FEATURES_OF_THE_TRAINING_SPLITS],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed, "DJANGO_SETTINGS_MODULE": "config.settings"},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    ]
    assert len(json.loads(runs[0])) > 2000
    assert all(run == runs[0] for run in runs[1:])


def test_the_training_script_makes_a_model_of_the_shipped_shape():
    from feeds.extract import learned
    from tests.feeds.extraction_eval import load

    script = _training_script()
    model = script.train({"corpus": load(CORPUS)[:40]})
    shipped = learned.load_model()
    assert json.loads(script.dump(model)).keys() == shipped.as_json().keys()
    assert (model.version, model.kind.labels, model.role.labels) == (
        shipped.version,
        shipped.kind.labels,
        shipped.role.labels,
    )
    assert model.thresholds.keys() == shipped.thresholds.keys()
    # Trained twice on the same rows, the same bytes: the shipped file can be rebuilt.
    assert script.dump(script.train({"corpus": load(CORPUS)[:40]})) == script.dump(model)


def test_the_models_check_forgives_another_cpus_last_digit_and_nothing_more():
    from feeds.extract.learned import MODEL_PATH

    script = _training_script()
    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    retrained = json.loads(json.dumps(shipped))
    name, weights = next(iter(sorted(retrained["kind"]["weights"].items())))
    retrained["kind"]["weights"][name] = [w + 0.0004 for w in weights]  # as measured
    assert script.differences(shipped, retrained) == []

    retrained["kind"]["weights"][name] = [w + 0.01 for w in weights]
    assert script.differences(shipped, retrained) == [
        f"kind: {name} {weights} -> {retrained['kind']['weights'][name]}"
    ]
    retrained = json.loads(json.dumps(shipped))
    retrained["role"]["weights"]["a feature it never had"] = [0.5] * len(shipped["role"]["labels"])
    retrained["thresholds"]["move"] = 0.6
    found = script.differences(shipped, retrained)
    assert found[0] == "thresholds differs" and found[1].startswith(
        "role: a feature it never had [0.0, 0.0"
    )


def test_without_its_model_the_extractor_falls_back_to_the_grammar(tmp_path, monkeypatch):
    from feeds.extract import learned

    assert learned.load_model.__wrapped__(tmp_path / "missing.json") is None
    monkeypatch.setattr(learned, "load_model", lambda: None)
    found = RuleExtractor().extract(Item("k", "Jan Leike joins Anthropic", "")).moves
    assert [(m.kind, m.person, m.to_org) for m in found] == [("join", "Jan Leike", "Anthropic")]


def test_a_workplace_is_an_organization_and_a_name_is_read_against_the_item_s_others():
    def moves(title, summary=""):
        found = RuleExtractor().extract(Item("w", title, summary)).moves
        return [(m.kind, m.person, m.from_org, m.to_org) for m in found]

    # Where someone worked is an organization, though its last word is also a surname.
    assert moves(
        "After six years at Tarn Valley Freight, Odile Marchand moves to Quorra Systems"
    ) == [("join", "Odile Marchand", "Tarn Valley Freight", "Quorra Systems")]
    # A headline's imperative is not part of the name the lede gives.
    assert moves(
        "Meet Rosalind Okafor, Brackwater's newest hire",
        "Rosalind Okafor joins Brackwater as head of design.",
    ) == [("join", "Rosalind Okafor", None, "Brackwater")]
    # A surname with a particle is the person named in full before it.
    assert moves(
        "Harwick Analytics adds Lucia Van Buren",
        "Harwick Analytics has hired Lucia Van Buren. Van Buren becomes head of sales.",
    ) == [("join", "Lucia Van Buren", None, "Harwick Analytics")]
    # Said to be a company in so many words, or joined: an organization, though its words
    # are also people's names.
    assert moves(
        "Hana Sato is leaving Marlow Finch, the Osaka robotics company, to join Quay Ridge"
    ) == [("join", "Hana Sato", "Marlow Finch", "Quay Ridge")]
    assert moves("Teodor Vasile has joined Arden Wick as general counsel") == [
        ("join", "Teodor Vasile", None, "Arden Wick")
    ]
    assert moves(
        "Harwick Analytics hires Maren van Dijk",
        "Harwick Analytics has hired Maren van Dijk from Osprey Data. Van Dijk will lead sales.",
    ) == [("join", "Maren van Dijk", "Osprey Data", "Harwick Analytics")]
    # Leaving to found a named company is a founding; leaving to build something unnamed,
    # a departure from the one organization named.
    assert moves(
        "Researchers leave Korvik Institute to found Brannoch",
        "Sigrid Olsen and Maja Holm have left their posts at Korvik Institute to found Brannoch.",
    ) == [
        ("founding", "Sigrid Olsen", "Korvik Institute", "Brannoch"),
        ("founding", "Maja Holm", "Korvik Institute", "Brannoch"),
    ]
    assert moves("Sunna Berg quits Holtvik Data to build her own lab") == [
        ("depart", "Sunna Berg", "Holtvik Data", None)
    ]
    # Particles in names: "binti", "ul".
    assert moves("Siti Hajar binti Osman leaves Pelita Data for Rimba AI") == [
        ("join", "Siti Hajar binti Osman", "Pelita Data", "Rimba AI")
    ]
    # "no plans to leave" says no.
    assert moves("Corin Ashby, chief executive of Velmont, says she has no plans to leave") == []


@pytest.mark.django_db
def test_a_batch_costs_as_many_queries_whatever_its_size():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from feeds.extract.pipeline import entries_extract, gazetteer_current

    feed = Feed.objects.create(url="https://wire.example.org/sizes", title="Sizes")
    firms = ["Lumen Harbor", "Quillmate", "Vexlo Robotics", "Tarrow Compute", "Brindle Labs"]

    def batch(first: int, size: int) -> list[int]:
        ids = [
            _entry(
                feed,
                f"Mara Okafor{chr(97 + i)} joins {firms[i % 5]}",  # a new person each time
                "",
                f"https://wire.example.org/sizes/{i}",
            ).pk
            for i in range(first, first + size)
        ]
        Entry.objects.filter(pk__in=ids).update(extraction_status=Entry.Extraction.QUEUED)
        return ids

    gazetteer_current()  # loaded once a minute, not once a batch
    counts = []
    for first, size in ((0, 2), (2, 8)):
        ids = batch(first, size)
        with CaptureQueriesContext(connection) as queries:
            assert entries_extract(ids) == (size, size)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
