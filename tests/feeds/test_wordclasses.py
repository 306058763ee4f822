from __future__ import annotations

import re

from feeds.extract import lexicon as lx
from feeds.extract.wordclasses import WordClasses, alternatives, first_letters

SENTENCES = [
    "⟨P0⟩ is leaving ⟨O1⟩ to join ⟨O2⟩ as ⟨T3⟩, and will step down in May.",
    "The co-founder quit; she re-joined the lab after stepping away from it.",
    "Über-Startup ⟨O0⟩ holt ⟨P1⟩: KELVIN Kalibrierung (K is the Kelvin sign).",
    "",
    "snapped up, brought aboard, heads back to, is out at, said goodbye to",
    # The Kelvin sign and the long s fold to ASCII letters under IGNORECASE.
    "\u212aeeps ſtepping down, then ſnaps up ⟨O0⟩; \u212aicked out",
]


def test_word_classes_find_what_each_pattern_finds_on_its_own():
    wrap = r"(?<![\w-])(?:{})(?![\w])"
    classes = WordClasses(lx.CUES, wrap, starts=r"(?<![\w-])\w")
    plain = {name: re.compile(wrap.format(p), re.I) for name, p in lx.CUES.items()}
    for text in SENTENCES:
        expected = sorted(
            (n, m.start(), m.end()) for n, p in plain.items() for m in p.finditer(text)
        )
        assert sorted(classes.spans(text)) == expected
        assert classes.present(text) == {n for n, p in plain.items() if p.search(text)}


def test_a_class_that_may_start_with_anything_is_still_found():
    classes = WordClasses({"odd": r"joins|\d+ hires|(?:re)?turns"}, r"\b(?:{})", starts=r"\b\w")
    assert first_letters(r"\d+ hires") is None
    assert alternatives(r"a|b(c|d)|[|]") == ["a", "b(c|d)", "[|]"]
    assert classes.present("it made 12 hires") == {"odd"}
    assert sorted(classes.spans("she returns; 3 hires")) == [("odd", 4, 11), ("odd", 13, 20)]
