"""Reading organizations from context: the shortcuts taken give what the patterns give."""

from __future__ import annotations

import re

import pytest

from feeds.extract import mentions
from tests.feeds.extraction_eval import load_corpus

CRAFTED = [
    "",
    " ",
    "a Berlin robotics startup called ",
    "the Accra payments company, ",
    "her own tech-company ",
    "a firm, known as ",
    "the chief executive of ",
    "a lab\tcalled\n",
    "its research Lab named ",
    "Zoë Brandt's company ",
    "ſtartup called ",
    "officer  at  ",
    "she joined the company",
    "called",
    # Every alternative of the move, workplace and preposition patterns, by its last word.
    "has rejoined ",
    "departed from ",
    "stepped down at ",
    "is headed back to ",
    "cofounded ",
    "plans to co-found ",
    "spun out ",
    "setting up ",
    "established ",
    "and launched ",
    "unveiled ",
    "signed on with ",
    "hired away from ",
    "coming from ",
    "formerly at ",
    "spent six years at ",
    "bid farewell to ",
    "walks away from ",
    "took the helm of ",
    "left to helm ",
    "an alumna of ",
    "Berlin → ",
    "a partner at rival ",
    "a team within ",
    "QUITTING\n",
    "ſet up ",
    "joined\u00a0",
]


@pytest.mark.parametrize(
    "pattern, gated",
    [
        (mentions._CUE_BEFORE, mentions._cue_before),
        (mentions._JOB_AT_BEFORE, mentions._job_at_before),
        (mentions._MOVE_BEFORE.pattern, mentions._MOVE_BEFORE.search),
        (mentions._WORKPLACE_BEFORE.pattern, mentions._WORKPLACE_BEFORE.search),
        (mentions._PREP_BEFORE.pattern, mentions._PREP_BEFORE.search),
    ],
)
def test_a_cue_before_a_phrase_is_found_as_the_pattern_finds_it(pattern, gated):
    texts = CRAFTED + [f"{row['title']}. {row['summary']}" for row in load_corpus()]
    checked = found = 0
    for text in texts:
        for boundary in re.finditer(r"\s+|$", text):
            at = boundary.end()
            before = text[max(0, at - 80) : at]
            expected = bool(pattern.search(before))
            assert gated(before) == expected, before
            checked += 1
            found += expected
    assert checked > 1000 and found > 10


def test_titles_found_from_their_prefixes_are_the_patterns_own_matches():
    # The tag stage asks the title pattern only where Aho-Corasick found a prefix of one:
    # the matches must be finditer's, also where lower-casing and IGNORECASE disagree.
    texts = [f"{row['title']}. {row['summary']}" for row in load_corpus()] + [
        "Former OpenAI CTO Mira Murati; the co-founder and chief scientist, Ilya Sutskever",
        "İnterim CEO Ana Lima and the \u212ahief of staff",  # İ lower-cases to two characters
        "ſenior vice president Bo Chen, ex-VP of research, SVP Dara Quinn",
        "a Chief Executive Officer, the head of AI research, its principal engineer",
    ]
    found = 0
    for text in texts:
        expected = [m.span(1) for m in mentions._TITLE.finditer(text)]
        assert [m.span(1) for m in mentions._TITLES.finditer(text)] == expected, text
        found += len(expected)
    assert found > 100


def test_every_known_name_is_found_where_it_is_written():
    # Known organizations are looked for only where Aho-Corasick found a first word of one.
    lexicon = mentions.lexicon_for(("Benchmark Org 7 Labs", "Zoë Robotics GmbH"), ())
    checked = 0
    for variants in lexicon.by_first.values():
        for words in variants:
            name = " ".join(words)
            for text in (f"She joined {name} today.", f"{name}'s chief left.", f"({name})"):
                at = text.index(name)
                spans = [(start, end) for start, end, _ in lexicon.finditer(text)]
                assert any(s == at and e >= at + len(name) for s, e in spans), (text, spans)
                checked += 1
    assert checked > 500
    # Inside another word, or glued to one, a name is not there.
    assert list(lexicon.finditer("an OpenAIish thing, unOpenAI")) == []
