"""Sentence splitting with syntok, which survives "No. 14", "U.S." and "Jan. 5".

Splitting is the slowest part of reading, and most comparisons only need sentences for the
passages that changed, so it runs on demand and is cached.
"""

from __future__ import annotations

from functools import lru_cache

from syntok import segmenter

from comparer.textnorm import blank_footnotes


@lru_cache(maxsize=65536)
def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Return the (start, end) offsets of the sentences of `text`.

    Footnote markers ("needs.2 Despite") are read as spaces: a sentence ends before its marker.
    """
    out: list[tuple[int, int]] = []
    for para in segmenter.analyze(blank_footnotes(text)):
        for sent in para:
            if sent:
                out.append((sent[0].offset, sent[-1].offset + len(sent[-1].value)))
    if not out and text.strip():
        out.append((0, len(text)))
    return tuple(out)
