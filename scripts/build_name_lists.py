"""Build feeds/extract/data/given_names.txt and surnames.txt from names-dataset.

names-dataset (a well-kept library that ships its tables inside its wheel) takes ~2 GB of
memory and ~15 s to load, too much for a worker; the extractor only needs to know whether a
word is a common given name or surname somewhere. This script keeps each country's most
common names and writes them one a line. It is run by hand when the lists should change:

    .venv/bin/pip install names-dataset && .venv/bin/python scripts/build_name_lists.py
"""

from __future__ import annotations

from pathlib import Path

COUNTRIES = [
    "US",
    "GB",
    "CA",
    "AU",
    "NZ",
    "IE",
    "IN",
    "PK",
    "BD",
    "LK",
    "NP",
    "CN",
    "TW",
    "HK",
    "SG",
    "MY",
    "JP",
    "KR",
    "VN",
    "TH",
    "ID",
    "PH",
    "DE",
    "AT",
    "CH",
    "FR",
    "BE",
    "NL",
    "LU",
    "DK",
    "SE",
    "NO",
    "FI",
    "IS",
    "ES",
    "PT",
    "IT",
    "GR",
    "PL",
    "CZ",
    "SK",
    "HU",
    "RO",
    "BG",
    "HR",
    "RS",
    "SI",
    "UA",
    "RU",
    "BY",
    "LT",
    "LV",
    "EE",
    "IL",
    "IR",
    "TR",
    "EG",
    "MA",
    "DZ",
    "TN",
    "SA",
    "AE",
    "JO",
    "LB",
    "NG",
    "KE",
    "GH",
    "ZA",
    "ET",
    "BR",
    "MX",
    "AR",
    "CL",
    "CO",
    "PE",
    "VE",
    "UY",
]
GIVEN_PER_COUNTRY = 600
SURNAMES_PER_COUNTRY = 500
OUT = Path(__file__).resolve().parent.parent / "feeds" / "extract" / "data"


def main() -> None:
    from names_dataset import NameDataset

    dataset = NameDataset()
    given: set[str] = set()
    surnames: set[str] = set()
    for country in COUNTRIES:
        top = dataset.get_top_names(
            n=GIVEN_PER_COUNTRY, use_first_names=True, country_alpha2=country
        )
        for by_gender in top.get(country, {}).values():
            given.update(by_gender)
        top = dataset.get_top_names(
            n=SURNAMES_PER_COUNTRY, use_first_names=False, country_alpha2=country
        )
        surnames.update(top.get(country, []))
    OUT.mkdir(parents=True, exist_ok=True)
    for name, words in (("given_names.txt", given), ("surnames.txt", surnames)):
        clean = sorted({w.strip() for w in words if w.strip().isalpha() and len(w.strip()) > 1})
        (OUT / name).write_text("\n".join(clean) + "\n", encoding="utf-8")
        print(name, len(clean))


if __name__ == "__main__":
    main()
