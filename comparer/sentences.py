"""Sentence splitting with syntok, which survives "No. 14", "U.S." and "Jan. 5".

Splitting is the slowest part of reading, and most comparisons only need sentences for the
passages that changed, so it runs on demand and is cached.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from functools import lru_cache

from syntok import segmenter

from comparer.textnorm import blank_footnotes

Spans = tuple[tuple[int, int], ...]
_GIVEN_MAX = 65536  # paragraphs whose sentences were split in another process, kept until asked for
_given: dict[str, Spans] = {}


def split_sentences(text: str) -> Spans:
    """Return the (start, end) offsets of the sentences of `text`.

    Footnote markers ("needs.2 Despite") are read as spaces: a sentence ends before its marker.
    """
    found = _given.get(text)
    return found if found is not None else _split(text)


def pack(texts: Iterable[str]) -> bytes:
    """The sentence offsets of `texts`, in order, for another process to `remember`.

    `track` reads each report in one job and compares it in others, often in another worker.
    """
    out = array("I")
    for text in texts:
        spans = split_sentences(text)
        out.append(len(spans))
        for start, end in spans:
            out.extend((start, end))
    return out.tobytes()


def remember(texts: list[str], packed: bytes) -> None:
    """Take the offsets that `pack` gave for `texts` (in the same order): they are not split again.

    Offsets that do not fit the texts (another report's) are ignored, all of them.
    """
    values = array("I")
    values.frombytes(packed)
    found: dict[str, Spans] = {}
    k = 0
    for text in texts:
        if k >= len(values):
            return
        n = values[k]
        flat = values[k + 1 : k + 1 + 2 * n]
        spans = tuple(zip(flat[::2], flat[1::2], strict=True))
        if len(flat) != 2 * n or not all(0 <= a < b <= len(text) for a, b in spans):
            return
        found[text] = spans
        k += 1 + 2 * n
    if k != len(values):
        return
    if len(_given) + len(found) > _GIVEN_MAX:
        _given.clear()
    _given.update(found)


@lru_cache(maxsize=65536)
def _split(text: str) -> Spans:
    """`split_sentences` of a text no other process split, memoised."""
    out: list[tuple[int, int]] = []
    for para in segmenter.analyze(blank_footnotes(text)):
        for sent in para:
            if sent:
                out.append((sent[0].offset, sent[-1].offset + len(sent[-1].value)))
    if not out and text.strip():
        out.append((0, len(text)))
    return tuple(out)
