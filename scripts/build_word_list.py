"""Build feeds/extract/data/common_words.txt: common English words.

"Naira Rails", "Bending Spoons", "Voltmark Industrial": a capitalized phrase whose last word
is an ordinary English word is a company, not a person, unless it reads as a given name and
a surname ("Sarah Young"; see mentions.thing_like). The list is the English words wordfreq
(a well-kept library that ships its frequency tables in its wheel) counts as common. Run by
hand when it should change:

    .venv/bin/pip install wordfreq && .venv/bin/python scripts/build_word_list.py
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "feeds" / "extract" / "data"
MIN_ZIPF = 3.0  # about once in a million words and more often


def main() -> None:
    from wordfreq import top_n_list, zipf_frequency

    words = sorted(
        w
        for w in top_n_list("en", 60_000)
        if w.isalpha() and w.isascii() and len(w) >= 3 and zipf_frequency(w, "en") >= MIN_ZIPF
    )
    (DATA / "common_words.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words")


if __name__ == "__main__":
    main()
