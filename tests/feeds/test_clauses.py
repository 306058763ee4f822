"""The clause stage skips work it can prove useless: these tests hold it to the matches the
patterns make on their own, over the corpus's tagged sentences."""

from __future__ import annotations

import re
from functools import lru_cache

from feeds.extract import clauses
from feeds.extract.base import Item
from feeds.extract.rules import read
from tests.feeds.extraction_eval import load_corpus


@lru_cache(maxsize=1)
def _templates() -> list[str]:
    found = []
    for row in load_corpus():
        reading = read(Item(row["id"], row["title"], row["summary"]))
        if reading:
            found += [t.template for t in reading.tagged]
    # Beyond ASCII (the required words are not looked up there), and a list of people.
    found += ["Zoë Brandt, ⟨T0⟩ ⟨P1⟩ and ⟨P2⟩ have quit ⟨O3⟩ to join ⟨O4⟩."]
    return found


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def test_a_pattern_is_tried_where_it_can_start_and_finds_what_it_finds_alone():
    for template in _templates():
        starts = clauses._starts(template)
        for _, pattern, _, _, _, anchor, _ in clauses.RULES:
            found = _spans(clauses._matches(pattern, template, anchor, starts))
            if anchor in ("⟨P", "⟨O", ""):
                assert found == _spans(pattern.finditer(template)), pattern.pattern
            elif anchor == "people":  # as at every placeholder and word before a title
                assert found == _spans(clauses._matches(pattern, template, "slot", starts))


def test_a_description_is_tried_where_it_can_start_and_finds_what_it_finds_alone():
    templates = [
        *_templates(),
        "Former ⟨O1⟩ ⟨T2⟩ ⟨P0⟩ and EX-⟨O3⟩'s ⟨P4⟩ met ⟨P5⟩, a onetime ⟨O6⟩ ⟨T7⟩.",
        "⟨P0⟩, ⟨O1⟩'s ⟨T2⟩, ex-⟨O3⟩ ⟨T4⟩ ⟨P5⟩",
    ]
    checked = 0
    for template in templates:
        has = clauses._Reading(template).affiliation_words
        starts = clauses._Begins(template, has)
        for pattern, _, anchor, _, _ in clauses._AFFILIATIONS:
            found = _spans(clauses._matches(pattern, template, anchor, starts))
            assert found == _spans(pattern.finditer(template)), pattern.pattern
            checked += bool(found and anchor)
    assert checked > 50


def test_a_pattern_skipped_for_its_missing_words_would_not_have_matched():
    checked = 0
    for template in _templates():
        lowered = clauses._caseless(template)
        reading = clauses._Reading(template)
        # The automaton finds a group exactly when one of its words is in the text.
        for table, has in (
            (clauses._WORDS, reading.clause_words),
            (clauses._AFFILIATION_WORDS, reading.affiliation_words),
        ):
            assert has == {g for g in table.groups if any(w in lowered for w in g)}
        has = reading.clause_words
        for _, pattern, _, _, _, _, required in clauses.RULES:
            if pattern.search(template):
                checked += 1
                assert has.issuperset(required), pattern.pattern
        for pattern, _, _, _, required in clauses._AFFILIATIONS:
            if pattern.search(template):
                checked += 1
                assert reading.affiliation_words.issuperset(required), pattern.pattern
    assert checked > 100


def test_a_sentence_is_read_once_for_its_claims_and_descriptions():
    (tagged,) = read(Item("r", "", "OpenAI hired Ann Lee, Google's research lead.")).tagged
    reading = clauses._reading(tagged)
    assert clauses._reading(tagged) is reading
    tagged.template = tagged.template.replace("hired", "hires")  # read again if it changes
    assert clauses._reading(tagged) is not reading


def test_words_are_found_as_ignorecase_finds_them_beyond_ascii():
    # The Kelvin sign, the long s and the Turkish i's match ASCII letters under IGNORECASE.
    text = "⟨P0⟩ was \u212aicked out and ſacked; she \u0130S leaving and dıd not return"
    lowered = clauses._caseless(text)
    for word in ("kicked out", "sacked", "is leaving", "did not"):
        assert re.search(re.escape(word), text, re.I) and word in lowered


def test_required_words_come_from_every_branch_and_leave_optional_parts_out():
    pattern = clauses._compile(r"{P} (?:was )?(?:fired|pushed out|let go) by {TO}")
    assert clauses._required(pattern) == (
        frozenset({"fired", "pushed out", "let go"}),
        frozenset({" by "}),
    )
    # A branch without a run of its own stands in by the alternation inside it.
    pattern = clauses._compile(r"{P} (?:(?:previously|formerly) (?:led|ran)|helped found) {TO}")
    assert clauses._required(pattern) == (frozenset({"previously", "formerly", "helped found"}),)


def test_a_pattern_skipped_for_its_missing_classes_would_not_have_matched():
    # A class that is one alternative among plain words gates nothing: "switched" is no
    # leave verb, and this sentence was once never tried against the rule that reads it.
    templates = [*_templates(), "⟨P0⟩ switched from ⟨O1⟩ to ⟨O2⟩.", "after ⟨P0⟩'s exit, ⟨O1⟩"]
    checked = 0
    for template in templates:
        has = clauses._Reading(template).clause_words
        present = clauses._ClassesIn(template, has)
        for _, pattern, _, classes, *_ in clauses.RULES:
            if classes and pattern.search(template):
                checked += 1
                assert any(present[name] for name in classes), pattern.pattern
    assert checked > 100


def test_classes_gate_only_when_every_match_holds_one():
    assert clauses._classes("{P} {AUX}{V:join} {TO}") == {"V:join"}
    assert clauses._classes("{PS}'s (?:{N:move}|{N:leave}) from {FROM}") == {"N:move", "N:leave"}
    assert clauses._classes("{PS} (?:{V:leave}|moved|switched) from {FROM}") == frozenset()
    assert clauses._classes("{TO}'s (?:{N:hire} )?{P}") == frozenset()
    template = "⟨P0⟩ switched from ⟨O1⟩ to ⟨O2⟩."
    (tagged,) = read(Item("s", "", "Ann Lee switched from OpenAI to Anthropic.")).tagged
    assert tagged.template == template
    assert [(c.kind, c.person, c.from_org, c.to_org) for c in clauses.claims(tagged)] == [
        ("leave_for", "Ann Lee", "OpenAI", "Anthropic")
    ]


def test_teams_and_hedges_are_looked_for_only_where_their_words_are():
    everything = clauses._TEAM_NOUNS.union(*clauses._TEAM_LEAD_WORDS)  # no pattern skipped
    templates = [*_templates(), "⟨P0⟩ is to lead Devices & Services at ⟨O1⟩, its AI Group."]
    for template in templates:
        present = clauses._Reading(template).words
        assert clauses._teams(template, present) == clauses._teams(template, everything)
    hedges = 0
    for row in load_corpus():
        reading = read(Item(row["id"], row["title"], row["summary"]))
        for tagged in reading.tagged if reading else ():
            said = bool(clauses._RUMOR.search(tagged.sentence))
            hedges += said
            assert clauses.hedged(tagged) == (
                said and not (clauses._CONFIRMED.search(tagged.sentence) and not tagged.in_title)
            )
    assert hedges > 10
