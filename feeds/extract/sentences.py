"""Stage 1, sentences: HTML to plain text, the text to sentences, and which language it is in.

Every step is linear in the length of the text, and the text read is bounded: moves are told
in the headline and the first paragraphs, so an entry's body is read up to MAX_BODY
characters (a 128k-character entry costs what a 12k one does).
"""

from __future__ import annotations

import html
import re

import nh3

from talent.names import fold, org_key

__all__ = ["MAX_BODY", "fold", "org_key", "plain", "sentences", "language"]

MAX_BODY = 12_000
MAX_SENTENCE = 600  # a "sentence" longer than this is a list or a table: cut into pieces

# Each is replaced on its own (str.replace finds a character faster than str.translate
# maps every one); no replacement contains a character replaced, so the order is free.
_QUOTES = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": " - ", "\u00a0": " "}
_BLOCK = re.compile(r"</?(?:p|div|li|h\d|blockquote)\b[^>]*>|<br\s*/?>", re.I)


def plain(value: str, limit: int | None = None) -> str:
    """Plain text of a possibly-HTML string, with typographic quotes made straight."""
    if not value:
        return ""
    if limit is not None:
        value = value[: limit * 2]  # markup included: the text itself is cut below
    if "<" in value or "&" in value:
        value = _BLOCK.sub(" \n ", value)
        value = html.unescape(nh3.clean(value, tags=set()))
    for quote, straight in _QUOTES.items():
        if quote in value:
            value = value.replace(quote, straight)
    # Runs of whitespace made one space, none at either end: str.split() and the regex \s
    # agree on what whitespace is (str.isspace()).
    value = " ".join(value.split())
    return value[:limit] if limit is not None else value


# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "inc", "corp", "ltd", "co", "vs", "etc",
    "e.g", "i.e", "u.s", "u.k", "u.n", "e.u", "no", "gov", "sen", "rep", "gen", "lt", "col",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx",
    "dept", "univ", "est", "fig", "ph.d", "a.i", "mt", "ft",
}  # fmt: skip
_BOUNDARY = re.compile(r"[.!?](?:[\"')\]]+)?\s+(?=[\"'(\[]?[^\s\"'(\[a-z])|[。！？]\s*")
_LAST_WORD = re.compile(r"([\w.]+)[.!?]?[\"')\]]*$")


def sentences(text: str) -> list[str]:
    """Sentences of plain text. A full stop after an abbreviation ("Dr.", "Inc.") or a lone
    initial ("J.") does not end one."""
    if not text:
        return []
    found, start = [], 0
    for boundary in _BOUNDARY.finditer(text):
        end = boundary.end()
        if text[boundary.start()] == ".":
            word = _LAST_WORD.search(text, max(start, boundary.start() - 12), boundary.start() + 1)
            token = word.group(1).lower().rstrip(".") if word else ""
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        found.append(text[start:end].strip())
        start = end
    found.append(text[start:].strip())
    pieces = []
    for sentence in found:
        while len(sentence) > MAX_SENTENCE:
            cut = sentence.rfind("; ", 0, MAX_SENTENCE)
            cut = cut if cut > 0 else sentence.rfind(" ", 0, MAX_SENTENCE)
            cut = cut if cut > 0 else MAX_SENTENCE
            pieces.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip("; ")
        pieces.append(sentence)
    return [s for s in pieces if s]


_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_BEYOND_LATIN = re.compile(r"[^\x00-\u024f]")  # past Latin Extended-B


def _non_latin(text: str) -> tuple[float, str]:
    """The share of the text's letters beyond the Latin script, and which script: Japanese
    when any kana, Chinese when any Han character, else "other"."""
    letters = "".join(filter(str.isalpha, text))
    if not letters:
        return 0.0, ""
    script = "ja" if _KANA.search(letters) else "zh" if _HAN.search(letters) else "other"
    return len(_BEYOND_LATIN.findall(letters)) / len(letters), script


_MARKERS = {
    "en": r"the|and|of|to|is|has|will|as|at|for|with|from|its|his|her|joins|leaves|hires|after|who|was",
    "de": r"der|die|das|und|ist|wird|nach|zum|zur|bei|von|ein|eine|wechselt|verlässt|neuer|neue|als|sich|übernimmt|mit|für",
    "fr": r"le|la|les|des|est|une|un|du|au|rejoint|quitte|nommé|nommée|et|pour|chez|ancien|nouveau|sa|son",
    "es": r"el|los|las|del|que|una|un|y|ficha|deja|nombrado|nombrada|se une|por|como|su|al|nuevo|nueva|para|tras",
    "pt": r"o|os|as|do|da|dos|das|que|uma|um|e|deixa|assume|nomeado|nomeada|contrata|para|como|sua|seu|após|novo|nova|em",
}
# Each language's function words counted in one pass over the words; "se une" on its own.
_MARKER_WORDS = {
    lang: frozenset(w for w in words.split("|") if " " not in w) for lang, words in _MARKERS.items()
}
_LANGUAGES_OF = {  # a function word -> the languages it marks ("la": fr and es)
    word: [lang for lang, words in _MARKER_WORDS.items() if word in words]
    for word in frozenset().union(*_MARKER_WORDS.values())
}
_MARKER_PHRASES = {
    lang: re.compile(rf"\b(?:{'|'.join(phrases)})\b", re.I)
    for lang, words in _MARKERS.items()
    if (phrases := [w for w in words.split("|") if " " in w])
}
_WORD = re.compile(r"\w+")


def language(text: str) -> str:
    """ISO 639-1 code of the text's language, among those the extractor reads: en, de, fr,
    es, pt, zh, ja; "other" for anything else. Cheap and good enough on a headline and lede:
    script first, then which language's function words are most frequent."""
    text = text[:600]  # a headline and a lede say which language an item is in
    if not text.isascii():
        share, script = _non_latin(text)
        if share > 0.2:
            return script
    counts = dict.fromkeys(_MARKER_WORDS, 0)
    for word in map(str.lower, _WORD.findall(text)):
        for lang in _LANGUAGES_OF.get(word, ()):
            counts[lang] += 1
    for lang, phrases in _MARKER_PHRASES.items():
        counts[lang] += len(phrases.findall(text))
    best = max(counts, key=lambda lang: (counts[lang], lang == "en"))
    if counts[best] == 0 or counts["en"] >= counts[best]:
        return "en"
    return best
