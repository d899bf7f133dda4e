"""Extraction: run the rules over a sentence, keep the most specific span for each stretch of text.

Work per sentence is linear in the number of figures: each rule reads a bounded window around
a figure, overlap is checked against sorted spans by bisection, and the year a figure is about
is found by bisection among the sentence's dates.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import replace
from functools import lru_cache

from comparer.facts.context import scope_near, word_classes
from comparer.facts.quantities import MONTHS
from comparer.facts.rules import RULES, Span
from comparer.model import Fact

# Dates that say which year a figure is about ("in 2011", "in March 2021"), not "since 2003".
_ABOUT_YEAR = re.compile(
    rf"\b(?:(?:[Ii]n|[Dd]uring|[Aa]s\s+of)\s+(?:(?:{MONTHS})\s+)?|(?:{MONTHS})\s+\d{{1,2}},\s+)((?:19|20)\d{{2}})\b(?!s)"
)


class _Taken:
    """Non-overlapping half-open spans, sorted, with an overlap test by bisection."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, start: int, end: int) -> bool:
        """Take `start:end` unless it overlaps a span already taken; say whether it was taken."""
        k = bisect.bisect_right(self.starts, start)
        if k and self.ends[k - 1] > start:
            return False
        if k < len(self.starts) and self.starts[k] < end:
            return False
        self.starts.insert(k, start)
        self.ends.insert(k, end)
        return True


def extract_from_sentence(sentence: str) -> list[Span]:
    """Find the facts in one `sentence`, most specific rules first, in reading order."""
    taken = _Taken()
    hinted: dict[re.Pattern[str], bool] = {}  # each rule's hint, searched once per sentence
    spans = [
        span
        for rule in RULES
        if all(_has(hint, sentence, hinted) for hint in rule.hints)
        for span in rule.find(sentence)
        if taken.add(span.start, span.end)
    ]
    spans.sort(key=lambda s: (s.start, s.end))
    return _shared_nouns(sentence, _cells_after_cells(sentence, spans))


_COORDINATED = re.compile(r"\s+([a-z]+)\s+(?:and|or)\s+")


def _shared_nouns(sentence: str, spans: list[Span]) -> list[Span]:
    """`spans`, where two counts coordinated by their adjectives count the noun after the second,
    each its own kind: "34 international and 14 domestic NGOs" are "ngo|international" and
    "ngo|domestic" (so never one claim), not a count of "international"s."""
    out = list(spans)
    for k, (a, b) in enumerate(itertools.pairwise(spans)):
        gap = _COORDINATED.fullmatch(sentence, a.end, b.start)
        words = b.subject.split()
        if not gap or a.kind != "count" or b.kind != "count" or a.subject != gap.group(1) or len(words) < 2:
            continue
        if "ADJ" not in word_classes(a.subject) or "ADJ" not in word_classes(words[0]):
            continue
        noun = b.head.partition("|")[0]
        out[k] = replace(a, subject=f"{a.subject} {' '.join(words[1:])}", head=f"{noun}|{a.subject}")
        out[k + 1] = replace(b, head=f"{noun}|{words[0].lower()}")
    return out


# What may stand between two figures that are cells of one row of a table: numbers and units
# ("74.2 million 71.2 years 33/35 per 1,000 82.3 per cent": a fact box whose labels PDF text
# extraction printed apart).
_CELL_GAP = re.compile(
    r"(?:\s|\d[\d.,/]*|%|(?:million|billion|thousand|per|cent|percent|years?|months?)\b)*", re.IGNORECASE
)


def _cells_after_cells(sentence: str, spans: list[Span]) -> list[Span]:
    """`spans`, where a figure that follows another with only numbers and units between them
    counts nothing but its unit: the words after a row of values ("... 82.3 per cent Head of
    government:", "... 74.1 per cent Amnesty International visits") name none of them."""
    values = [k for k, span in enumerate(spans) if span.kind != "date"]
    out = list(spans)
    for a, b in itertools.pairwise(values):
        if spans[b].head not in _UNIT_HEADS and _CELL_GAP.fullmatch(sentence, spans[a].end, spans[b].start):
            out[b] = replace(spans[b], subject="", head="", event=None)
    return out


# Heads that are a figure's own unit ("71.2 years", "74.2 million"), true of a cell as of any figure.
_UNIT_HEADS = frozenset("year month week day million billion thousand".split()) | {""}


def _has(hint: re.Pattern[str], sentence: str, hinted: dict[re.Pattern[str], bool]) -> bool:
    """Whether `sentence` holds `hint` (remembered in `hinted`)."""
    found = hinted.get(hint)
    if found is None:
        found = hinted[hint] = hint.search(sentence) is not None
    return found


def _years(sentence: str) -> tuple[list[int], list[int]]:
    found = [(m.start(), int(m.group(1))) for m in _ABOUT_YEAR.finditer(sentence)]
    return [at for at, _ in found], [year for _, year in found]


def _nearest(positions: list[int], years: list[int], at: int) -> int | None:
    """The year written nearest to position `at` (the earlier one on a tie)."""
    if not positions:
        return None
    k = bisect.bisect_left(positions, at)
    options = [i for i in (k - 1, k) if 0 <= i < len(positions)]
    best = min(options, key=lambda i: (abs(positions[i] - at), i))
    return years[best]


def extract_facts(sentences: list[tuple[str, str | None]], *, prefix: str = "f") -> tuple[Fact, ...]:
    """Extract facts from (sentence, section id) pairs, numbered `prefix`1, `prefix`2, ..."""
    facts: list[Fact] = []
    for sentence, section in sentences:
        for span, year, scope in _sentence_facts(sentence):
            value = span.value
            if isinstance(value, str):  # dates: kept as their ISO text, one item
                value = (value,)
            facts.append(
                Fact(
                    id=f"{prefix}{len(facts) + 1}",
                    kind=span.kind,
                    subject=span.subject,
                    value=value,
                    unit=span.unit,
                    text=sentence[span.start : span.end],
                    sentence=sentence,
                    qualifier=span.qualifier,
                    year=year,
                    section=section,
                    head=span.head,
                    event=span.event,
                    alt=span.alt,
                    scope=scope,
                )
            )
    return tuple(facts)


@lru_cache(maxsize=1 << 16)
def _sentence_facts(sentence: str) -> tuple[tuple[Span, int | None, str | None], ...]:
    """The spans of `sentence` with the year each is about and its scope: all a fact needs but
    its id and section. Memoised: `track` extracts a report's facts when it reads it, and again
    for the changed passages of each comparison it is in (all of them, across publishers)."""
    positions, years = _years(sentence)
    return tuple(
        (
            span,
            None if span.kind == "date" else _nearest(positions, years, span.start),
            scope_near(sentence, span.start, span.end) if span.kind != "date" else None,
        )
        for span in extract_from_sentence(sentence)
    )
