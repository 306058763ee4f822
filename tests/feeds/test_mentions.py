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
]


@pytest.mark.parametrize(
    "pattern, gated",
    [
        (mentions._CUE_BEFORE, mentions._cue_before),
        (mentions._JOB_AT_BEFORE, mentions._job_at_before),
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
