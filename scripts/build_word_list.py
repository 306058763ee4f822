"""Build feeds/extract/data/common_words.txt: common English words that are nobody's name.

"Naira Rails", "Bending Spoons", "Halyard Credit": a capitalized phrase whose last word is an
ordinary English noun is a company, not a person, unless that word is also a surname
("Sarah Young"). The list is the English words wordfreq (a well-kept library that ships its
frequency tables in its wheel) counts as common, less every given name and surname in
data/. Run by hand when it should change:

    .venv/bin/pip install wordfreq && .venv/bin/python scripts/build_word_list.py
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "feeds" / "extract" / "data"
MIN_ZIPF = 3.0  # about once in a million words and more often


def main() -> None:
    from wordfreq import top_n_list, zipf_frequency

    names = set()
    for name in ("given_names.txt", "surnames.txt"):
        names |= {w.casefold() for w in (DATA / name).read_text(encoding="utf-8").split()}
    words = sorted(
        w
        for w in top_n_list("en", 60_000)
        if w.isalpha()
        and w.isascii()
        and len(w) >= 3
        and w not in names
        and zipf_frequency(w, "en") >= MIN_ZIPF
    )
    (DATA / "common_words.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words")


if __name__ == "__main__":
    main()
