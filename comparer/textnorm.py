"""Text views: display text as written, and a folded form for matching.

Folding removes differences that are formatting, never content: Unicode compatibility forms
(NFKC: ligatures, full-width digits), curly quotes, dash variants, soft hyphens, zero-width
characters and runs of whitespace. Matching and diffing run on folded text so formatting
never shows up as change.

Footnote markers ("events.4 In June") stay in the text as written; `footnote_spans` finds
them and `blank_footnotes` turns them into spaces (same length, so offsets still hold) for
whatever must not read them: matching keys, the word diff, sentence splitting, facts.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_FOLD_TABLE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2026": "...",
        "\u2022": " ",
        # Windows-1252 punctuation left as C1 controls by a wrong decoding (matching only)
        "\x85": "...",
        "\x91": "'",
        "\x92": "'",
        "\x93": '"',
        "\x94": '"',
        "\x96": "-",
        "\x97": "-",
    }
)
# Code points that are never words: private use (icons of a publisher's own font, which a
# converter or another font renders differently or not at all), the object replacement and
# replacement characters, and pictographs, dingbats and geometric shapes used as bullets and
# icons. For matching they are spaces; display text keeps them as written.
NOT_WORD_CHARS = "\ue000-\uf8ff\U000f0000-\U0010fffd\ufffc\ufffd\u25a0-\u25ff\u2600-\u27bf\U0001f000-\U0001faff"
_NOT_WORDS = re.compile(f"[{NOT_WORD_CHARS}]")
# Any run of dashes with the spaces around it is one dash: writers and converters spell the
# same dash "—", " — ", "--", " -- " or "-" and line wrapping leaves "mid- November".
_DASH_RUN = re.compile(r"(?:\s*-)+\s*")


# A footnote marker: 1-3 digits glued after a sentence end (or after the quote closing it),
# before the next sentence or the end of the text.
_FOOTNOTE = re.compile(
    r"(?<=[a-z)\u201d\u2019\"][.!?])(\d{1,3})(?=\s+[A-Z\u201c\"]|\s*$)"
    r"|(?<=[a-z][.!?][\u201d\u2019\"])(\d{1,3})(?=\s+[A-Z\u201c\"]|\s*$)"
)


# What every footnote marker starts with: a sentence end (and a closing quote) then a digit. A
# scan for it is fast; _FOOTNOTE's lookbehinds run at every position (and a generator over
# str.isdigit before it took a fifth of a `track` run).
_FOOTNOTE_START = re.compile(r"[.!?][\u201d\u2019\"]?\d")


def footnote_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) offsets of the footnote markers of `text` ("needs.2 Despite": the "2")."""
    if _FOOTNOTE_START.search(text) is None:
        return ()
    return tuple(m.span() for m in _FOOTNOTE.finditer(text))


def blank_footnotes(text: str) -> str:
    """`text` with each footnote marker replaced by spaces of the same length."""
    spans = footnote_spans(text)
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for start, end in spans:
        out += [text[last:start], " " * (end - start)]
        last = end
    out.append(text[last:])
    return "".join(out)


def prose_end(text: str) -> str:
    """`text` without trailing spaces or a footnote marker at its end: what tells how it ends."""
    text = text.rstrip()
    if not text[-1:].isdigit():
        return text
    tail = text[-12:]  # a marker and the sentence end before it: enough for the lookbehinds
    spans = footnote_spans(tail)
    if spans and spans[-1][1] == len(tail):
        return text[: len(text) - len(tail) + spans[-1][0]]
    return text


# _FOLD_TABLE applied by a regex that visits only the characters it maps: texts hold few, and
# str.translate with a table looks up every character (the slowest step of reading, before).
_FOLD_CHARS = re.compile("[" + re.escape("".join(chr(c) for c in sorted(_FOLD_TABLE))) + "]")
_FOLD_TO = {chr(c): to or "" for c, to in _FOLD_TABLE.items()}


def _fold_match(match: re.Match[str]) -> str:
    return _FOLD_TO[match.group()]


def fold(text: str) -> str:
    """Return the matching form of `text`: NFKC, plain quotes, one dash per dash run, single spaces."""
    folded = _NOT_WORDS.sub(" ", _FOLD_CHARS.sub(_fold_match, unicodedata.normalize("NFKC", text)))
    if "-" in folded:
        folded = _one_dash_per_run(folded)
    return " ".join(folded.split())


def _one_dash_per_run(text: str) -> str:
    """`_DASH_RUN.sub("-", text)`, by splitting at dashes (the regex tries every position)."""
    first, *middle, last = text.split("-")
    inner = [piece.strip() for piece in middle]
    return "-".join([first.rstrip(), *[p for p in inner if p], last.lstrip()])


def clean_display(text: str) -> str:
    """Return `text` for display: NFC, no soft hyphens or zero-width marks, single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    text = text.replace("\ufffc", "")
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return _NOT_WORDS.sub(" ", unicodedata.normalize("NFKC", char).translate(_FOLD_TABLE).casefold())


# What a compact key is built from: runs of printable ASCII, and single other characters that
# are not whitespace (U+0085 is: it folds to the cp1252 ellipsis). Whitespace between folds to
# nothing.
_KEY_PIECE = re.compile(r"[!-~]+|\x85|[^!-~\s]")


def compact_key(text: str) -> tuple[str, tuple[int, ...]]:
    """Return `text` folded with no whitespace at all, and for each of its characters the offset
    in `text` it came from.

    Two texts with the same compact key hold the same words in the same order, however they
    are spaced, wrapped or glued ("year.The" and "year. The"); a run of dashes is one dash;
    footnote markers are left out.
    """
    pieces: list[str] = []
    offsets: list[int] = []
    last = ""  # the last character kept
    for found in _KEY_PIECE.finditer(blank_footnotes(text)):  # same length: offsets hold
        piece, start = found.group(), found.start()
        # Printable ASCII folds character for character to its lower case (` to '): no lookups.
        if piece[0] <= "~" and "--" not in piece and not (last == "-" and piece[0] == "-"):
            folded = piece.lower().replace("`", "'")
            pieces.append(folded)
            offsets.extend(range(start, found.end()))
            last = folded[-1]
            continue
        for k, char in enumerate(piece):
            for folded in _fold_char(char):
                if folded.isspace() or (folded == "-" and last == "-"):
                    continue
                pieces.append(folded)
                offsets.append(start + k)
                last = folded
    return "".join(pieces), tuple(offsets)


def passage_key(text: str) -> str:
    """The key of a passage's text for pairing: folded, lower case, footnote markers left out."""
    return fold(blank_footnotes(text)).lower()


def match_key(text: str) -> str:
    """Return the key two texts share when they differ only in formatting: folded, lower case."""
    return fold(text).casefold()


_WORD = re.compile(r"\w+")


def word_count(text: str) -> int:
    """Count words as runs of letters and digits."""
    return len(_WORD.findall(text))


# --- content words, for how much two texts share ---------------------------------------------
_LONG_WORD = re.compile(r"[a-z]{4,}")  # a content word has four letters or more
_STOPWORDS = frozenset(
    "the and for that with from this were was are have has had been which their they its into "
    "also other more than such these those there would could should about after before during "
    "between among against under over only some most many other including government "
    "authorities year years reported reports said according ".split()
)
_WORD_SET_MEMO = 2048  # content-word sets (~5 KB each)


def content_words(text: str) -> list[str]:
    """The content words of `text` in order: lower case, four letters or more, no stop word."""
    return [w for w in _LONG_WORD.findall(text.lower()) if w not in _STOPWORDS]


def shared_words(a: str, b: str) -> float:
    """Dice overlap (0-1) of the content words of two texts."""
    wa, wb = _word_set(a), _word_set(b)
    return 2 * len(wa & wb) / (len(wa) + len(wb)) if wa and wb else 0.0


@lru_cache(maxsize=_WORD_SET_MEMO)
def _word_set(text: str) -> frozenset[str]:
    """The distinct content words of `text`, memoised: `align.rewritten_in_place` tries every
    removed paragraph of a run against every added one."""
    return frozenset(content_words(text))
