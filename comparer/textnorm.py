"""Text views: display text as written, and a folded form for matching.

Folding removes differences that are formatting, never content: Unicode compatibility forms
(NFKC: ligatures, full-width digits), curly quotes, dash variants, soft hyphens, zero-width
characters and runs of whitespace. Matching and diffing run on folded text so formatting
never shows up as change.
"""

from __future__ import annotations

import re
import unicodedata

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
        "\u2013": "\u2014",
        "\u2015": "\u2014",
        "\u2212": "-",
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\ufffc": None,  # object replacement character left by PDF dumps
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2026": "...",
        "\u2022": " ",
    }
)
_SPACES = re.compile(r"\s+")
# A dash between digits is a range ("80,000–120,000"); elsewhere a dash is punctuation and
# is written with or without spaces ("a—b", "a – b"), so it folds to " - ".
_RANGE_DASH = re.compile(r"(?<=\d)\s*\u2014\s*(?=\d)")
_DASH = re.compile(r"\s*\u2014\s*|\s+-\s+")


def fold(text: str) -> str:
    """Return the matching form of `text`: NFKC, plain quotes and dashes, single spaces."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD_TABLE)
    if "\u2014" in folded or " -" in folded:
        folded = _DASH.sub(" - ", _RANGE_DASH.sub("-", folded))
    return " ".join(folded.split())


def clean_display(text: str) -> str:
    """Return `text` for display: NFC, no soft hyphens or zero-width marks, single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    text = text.replace("\ufffc", "")
    return _SPACES.sub(" ", text).strip()


_WORD = re.compile(r"\w+")


def word_count(text: str) -> int:
    """Count words as runs of letters and digits."""
    return len(_WORD.findall(text))
