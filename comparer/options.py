"""Options passed as one object through the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass

# A report larger than this is refused unless the caller raises the limit: the largest real
# country report we know (State Dept, ~25k words) is ~200 KB, a 300k-word synthetic one ~2 MB.
MAX_INPUT_BYTES = 25 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read a report."""

    encoding: str | None = None  # force a text encoding instead of detecting it
    max_bytes: int = MAX_INPUT_BYTES


@dataclass(frozen=True, slots=True)
class CompareOptions:
    """Thresholds for matching two reports."""

    # Passages scoring at least this (rapidfuzz ratio on folded text, 0-100) are one passage;
    # unrelated paragraphs of one report score 40-60 against each other.
    match_cutoff: float = 65.0
    # Sentences of a modified paragraph scoring at least this are one sentence, edited.
    sentence_cutoff: float = 55.0
    # A section pair needs at least this combined score (0-100) to be matched.
    section_cutoff: float = 45.0
    read: ReadOptions = ReadOptions()
