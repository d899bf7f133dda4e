"""Stage 6, align: match the passages of two reports and pair their sections.

`align_reports` runs a cascade; each step works on what the steps before it left:
1. exact: identical passages (after folding) pair by hash, in order;
2. re-broken text: between exact pairs that stay in order, the unpaired passages of both
   reports and the headings among them are read as one stream without spaces; where the
   streams agree, paragraphs are cut at the other side's breaks into pieces that pair
   unchanged, or that are a heading of the other side (paragraph and sentence breaks,
   wrapping and glue are formatting, `resplit_gaps`);
3. fuzzy: the rest are scored with rapidfuzz, `process.cdist` over all remaining pairs when
   that is small, otherwise only candidate pairs that share rare word 3-grams (no O(n*m));
   pairs at or above `match_cutoff` are taken greedily, best first, one partner each (a
   score depends on its two texts alone: cells a recent comparison scored are copied);
4. sections pair by the passages they share, their heading (numbering stripped), topic and
   vocabulary (weights `W_*`), so renamed, split, merged and re-ordered sections still pair;
5. each passage pair is unchanged, modified or moved (moved when its sections are not paired,
   or when it left the order of its neighbours); unpaired passages are added or removed,
   except one holding the same words as a heading of the other report at the same place: a
   role changed (heading or paragraph) is formatting, and it stays unchanged, alone on its side
   (so does a pair that differs only by such a heading glued to its start, and a piece that
   step 2 found as a heading of the other side);
6. sentences of removed paragraphs are found again in added ones (paragraphs merged or split
   while rewritten);
7. a removed and an added paragraph at the same place that keep enough of their words are
   one paragraph rewritten in place: one modified passage, its sentences aligned inside.
The result (`Alignment`) lists every passage's `Link` in reading order: every character of
both reports' paragraphs is on exactly one side of one link.
"""

from __future__ import annotations

import bisect
import itertools
import threading
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from comparer.clean import reads_as_chrome
from comparer.model import Paragraph, PassageStatus, Report, Section, SectionPair, Sentence
from comparer.options import CompareOptions
from comparer.textnorm import compact_key, content_words, passage_key, shared_words
from comparer.topics import clean_heading

# What is remembered between comparisons (`track` compares each report with the editions before
# and after it, and other publishers'), bounded to some tens of MB:
_PASSAGE_MEMO = 16384  # keys of paragraph and sentence texts (~1 KB each)
_COMPACT_MEMO = 2048  # compact keys of unpaired paragraphs (~5 KB each)
_SECTION_MEMO = 512  # content words of section texts (a few reports' outlines; ~40 KB each)
# Ratio matrices kept from recent comparisons: a `track` job compares one country's reports
# year after year, and two publishers' reports of one year come ~12 matrices after the year before.
_MATRIX_MEMO = 16
_MATRIX_MIN_CELLS = 4_000  # smaller matrices cost less to compute than to look up
_MATRIX_MAX_CELLS = 1_000_000  # larger ones are not kept (4 MB each)
CDIST_MAX_PAIRS = 400_000  # above this many remaining pairs, prune candidates by shared 3-grams
SHINGLE_MAX_DF = 4  # a 3-gram found in more passages than this is too common to suggest a match
MIN_FUZZY_WORDS = 5  # shorter passages only match exactly
SPLIT_OVERLAP = 40.0  # a second partner of a section needs this much shared text (0-100)
SPLIT_DESCRIBED = 30.0  # ... and headings, topics or vocabulary that agree this much
SPLIT_HEADING = 50.0  # ... or, inside an outline pair's subtree, a heading at least this alike
# How a section pair is described when their shared text does not decide (weights sum to 1):
W_HEADING = 0.35  # the headings, numbering stripped (token-sort ratio): editors rename little
W_TOPIC = 0.30  # the same topic of the taxonomy: survives renames and other publishers' outlines
W_VOCABULARY = 0.35  # cosine of content-word counts: what the section is about, in any words
# Outline headings with no text of their own have only their heading and topic:
W_EMPTY_HEADING = 0.55
W_EMPTY_TOPIC = 0.45
SENTENCE_CUTOFF_EXTRA = 5.0  # a lone sentence must match this much better than a paragraph
SECTION_DENSE_MAX = 250_000  # above this many section pairs, score only candidate pairs
SECTION_CANDIDATES = 20  # ... at most this many per section by heading and by topic
SECTION_FLOOR = 20.0  # section pairs scoring below this are never kept (memory of big outlines)
_HEADING_CHARS = 300  # a passage longer than this is no heading's twin (headings are short)
REWRITE_MIN_SHARED = 0.3  # content words (Dice 0-1) a paragraph rewritten in place keeps


@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph (or a piece of one) of a report, as alignment sees it."""

    index: int  # position in the report
    para: Paragraph
    section: Section
    key: str  # folded, lower-cased text: equal keys are equal text
    whole: bool = True  # False for a piece cut from a paragraph (sentences, re-broken text)
    heading_twin: bool = False  # its words are (part of) a heading of the other report at its place
    chrome: bool = False  # site chrome a scraper glued to the page's text, at the report's edge


@dataclass(frozen=True, slots=True)
class Link:
    """What happened to one passage: `old` and `new` sides, either of them None when added/removed.

    `rewritten` marks a paragraph rewritten in place: one modified passage whose sentences are
    aligned inside it, instead of a removed and an added paragraph.
    """

    status: PassageStatus
    old: Passage | None
    new: Passage | None
    score: float  # 0-100
    rewritten: bool = False


@dataclass(frozen=True, slots=True)
class Alignment:
    """The result of `align_reports`: section pairs, and every passage's link in reading order."""

    sections: tuple[SectionPair, ...]
    links: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Refined:
    """A sentence-level piece of a modified paragraph pair (`refine_sentences`)."""

    status: PassageStatus
    old: Paragraph | None
    new: Paragraph | None
    score: float  # 0-100


def align_reports(old: Report, new: Report, options: CompareOptions) -> Alignment:
    """Align `old` with `new`: the cascade of the module docstring, steps 1-7."""
    olds, news, pairs = match_passages(old, new, options)  # steps 1-3
    sections = align_sections(old, new, olds, news, pairs, options)  # step 4
    links = classify_passages(olds, news, pairs, sections)  # step 5
    links = heading_twins(links, old, new, sections)  # step 5b
    links = match_leftover_sentences(links, olds, news, sections, options)  # step 6
    links = _in_reading_order(links, pairs)
    links = rewritten_in_place(links, olds, news, sections)  # step 7
    return Alignment(tuple(sections), tuple(links))


def _in_reading_order(links: list[Link], pairs: dict[int, tuple[int, float]]) -> list[Link]:
    """Order links by the new report; a removed passage after the new place of its old neighbour."""
    new_of_old = {i: j for i, (j, _) in pairs.items()}
    before: list[int] = []  # before[i]: the largest new index paired with an old passage before i
    best = -1
    for i in range(max([*new_of_old, -1]) + 2):
        before.append(best)
        best = max(best, new_of_old.get(i, -1))

    def key(link: Link) -> tuple[float, int, int]:
        if link.new is not None:
            return (float(link.new.index), 0, link.new.para.start)
        assert link.old is not None
        i = link.old.index
        prior = before[i] if i < len(before) else best
        return (prior + 0.5, i, link.old.para.start)

    return sorted(links, key=key)


def rewritten_in_place(
    links: list[Link], olds: list[Passage], news: list[Passage], sections: list[SectionPair]
) -> list[Link]:
    """Pair a removed and an added paragraph at the same place into one rewritten paragraph.

    Between two passages that stayed, a paragraph removed and one added in the same section
    (or its parent) that keep `REWRITE_MIN_SHARED` of their content words are one paragraph
    (or piece of one: a sentence cut from a paragraph whose other sentences stayed)
    rewritten below the match cutoff: one modified passage, its sentences aligned inside.
    """
    related = _relation(olds, news, sections)
    out: list[Link] = []
    run: list[Link] = []

    def close() -> None:
        removed = [x for x in run if x.status == "removed" and x.old is not None]
        added = [x for x in run if x.status == "added" and x.new is not None]
        pairs: dict[int, Link] = {}
        used: set[int] = set()
        for r in removed:
            assert r.old is not None
            for a in added:
                assert a.new is not None
                if id(a) in used or not related(r.old.section.id, a.new.section.id):
                    continue
                if shared_words(r.old.key, a.new.key) >= REWRITE_MIN_SHARED:
                    score = round(fuzz.ratio(r.old.key, a.new.key), 1)
                    pairs[id(a)] = Link("modified", r.old, a.new, score, rewritten=True)
                    used |= {id(a), id(r)}
                    break
        out.extend(pairs.get(id(x), x) for x in run if id(x) not in used or id(x) in pairs)
        run.clear()

    for link in links:
        if link.status in ("removed", "added"):
            run.append(link)
            continue
        close()
        out.append(link)
    close()
    return out


def _passages(report: Report) -> list[Passage]:
    out: list[Passage] = []
    for section in report.sections:
        for para in section.paragraphs:
            out.append(Passage(len(out), para, section, _passage_key(para.text)))
    return out


def match_passages(
    old: Report, new: Report, options: CompareOptions
) -> tuple[list[Passage], list[Passage], dict[int, tuple[int, float]]]:
    """Match paragraphs of `old` to paragraphs of `new`; return both lists and old->(new, score)."""
    olds, news = _passages(old), _passages(new)
    pairs: dict[int, tuple[int, float]] = {}
    by_key: dict[str, list[int]] = defaultdict(list)
    for p in news:
        by_key[p.key].append(p.index)
    taken: set[int] = set()
    for p in olds:
        queue = by_key.get(p.key)
        while queue and queue[0] in taken:
            queue.pop(0)
        if queue:
            j = queue.pop(0)
            taken.add(j)
            pairs[p.index] = (j, 100.0)
    olds, news, pairs = resplit_gaps(olds, news, pairs, (_heads(old), _heads(new)))
    taken = {j for j, _ in pairs.values()}
    rest_old = [p for p in olds if p.index not in pairs and len(p.key.split()) >= MIN_FUZZY_WORDS]
    rest_new = [p for p in news if p.index not in taken and len(p.key.split()) >= MIN_FUZZY_WORDS]
    if rest_old and rest_new:
        for i, j, score in _fuzzy_pairs(rest_old, rest_new, options.match_cutoff):
            if i not in pairs and j not in taken:
                pairs[i] = (j, score)
                taken.add(j)
    return olds, news, pairs


_Item = tuple[str, int]  # ("o" or "n", passage index) or ("oh" or "nh", heading number)
_Piece = tuple[_Item, int, _Item, int, int]  # (old item, offset, new item, offset, length) shared


def _heads(report: Report) -> list[tuple[int, str]]:
    """The headings of `report` in reading order, each with the index of the passage it stands before."""
    out: list[tuple[int, str]] = []
    n = 0
    for section in report.sections:
        if section.heading:
            out.append((n, section.heading))
        n += len(section.paragraphs)
    return out


def resplit_gaps(
    olds: list[Passage],
    news: list[Passage],
    pairs: dict[int, tuple[int, float]],
    heads: tuple[Sequence[tuple[int, str]], Sequence[tuple[int, str]]] = ((), ()),
) -> tuple[list[Passage], list[Passage], dict[int, tuple[int, float]]]:
    """Cut passages where the other report breaks its paragraphs, so equal text pairs as equal.

    Paragraph breaks are formatting: between two identical passages that stay in order (the
    anchors), the unpaired passages of both reports, and the headings among them (`heads`:
    each side's (index of the passage it stands before, heading)), are read as one stream of
    characters (`compact_key`: no spaces, folded). The stretch both streams share from the
    start of the gap, and the one they share up to its end, are cut at the breaks of either
    side into pieces that pair one to one, unchanged; a piece of a passage that is a heading
    (or part of one) of the other side is marked `heading_twin`, to stay unchanged alone on its
    side; what differs in between stays whole. Work is linear in the text shared, plus one
    passage per gap.
    """
    anchors = sorted(_increasing(sorted((i, j) for i, (j, _) in pairs.items())))
    # An exact pair out of order ("Head of state:" paired with the next country's) is no anchor:
    # its passages are read into the streams too, and lose that pair where they are cut.
    paired = {"o": {i for i, _ in anchors}, "n": {j for _, j in anchors}}
    places = {"o": _places(heads[0]), "n": _places(heads[1])}
    texts = {"o": [p.para.text for p in olds], "n": [p.para.text for p in news]}
    texts |= {"oh": [h for _, h in heads[0]], "nh": [h for _, h in heads[1]]}
    found: list[_Piece] = []
    keys: dict[_Item, tuple[str, Sequence[int]]] = {}
    edges: dict[_Item, set[str]] = defaultdict(set)  # passages that open or close their report
    bounds = [(-1, -1), *anchors, (len(olds), len(news))]
    for (i1, j1), (i2, j2) in itertools.pairwise(bounds):
        gap_old = _gap_items("o", i1, i2, paired["o"], places["o"])
        gap_new = _gap_items("n", j1, j2, paired["n"], places["n"])
        if not gap_old or not gap_new or all(side.endswith("h") for side, _ in gap_old + gap_new):
            continue  # nothing to pair, or only headings
        for item in gap_old + gap_new:
            if item not in keys:
                keys[item] = _compact_key(texts[item[0]][item[1]])
        for gap, low, high, count in ((gap_old, i1, i2, len(olds)), (gap_new, j1, j2, len(news))):
            if low == -1 and gap[0][0] in "on":
                edges[gap[0]].add("start")
            if high == count and gap[-1][0] in "on":
                edges[gap[-1]].add("end")
        found += _gap_pieces(gap_old, gap_new, keys)
    found, chrome = _whole_cuts_only(found, keys, texts, edges)
    if not found:
        return olds, news, pairs
    cuts: dict[str, dict[int, set[int]]] = {"o": defaultdict(set), "n": defaultdict(set)}
    for (side_a, i), x, (side_b, j), y, n in found:
        for side, k, at in ((side_a, i, x), (side_b, j, y)):
            if side in cuts:  # a heading is never cut
                cuts[side][k] |= {at, at + n}
    return _apply_cuts(olds, news, pairs, cuts, found, keys, chrome)


def _places(heads: Sequence[tuple[int, str]]) -> dict[int, list[int]]:
    """Heading numbers by the index of the passage each stands before."""
    out: dict[int, list[int]] = defaultdict(list)
    for k, (before, _) in enumerate(heads):
        out[before].append(k)
    return out


def _gap_items(side: str, low: int, high: int, paired: set[int], places: dict[int, list[int]]) -> list[_Item]:
    """The unpaired passages of `side` between anchors `low` and `high`, and the headings among
    them, in reading order."""
    out: list[_Item] = []
    for k in range(low + 1, high + 1):
        out += [(side + "h", h) for h in places.get(k, ())]
        if k < high and k not in paired:
            out.append((side, k))
    return out


def _gap_pieces(
    gap_old: list[_Item], gap_new: list[_Item], keys: dict[_Item, tuple[str, Sequence[int]]]
) -> list[_Piece]:
    """The pieces both streams of a gap share from its start, and up to its end."""
    o_keys = [keys[item][0] for item in gap_old]
    n_keys = [keys[item][0] for item in gap_new]
    head = _shared_walk(o_keys, n_keys)
    tail = [
        (len(o_keys) - 1 - a, len(o_keys[-1 - a]) - x - n, len(n_keys) - 1 - b, len(n_keys[-1 - b]) - y - n, n)
        for a, x, b, y, n in _shared_run([k[::-1] for k in reversed(o_keys)], [k[::-1] for k in reversed(n_keys)])
    ]
    if head and tail:
        a, x, b, y, n = head[-1]
        # the two runs meet on either side: the head alone covers the gap
        if (tail[-1][0], tail[-1][1]) < (a, x + n) or (tail[-1][2], tail[-1][3]) < (b, y + n):
            tail = []
    return [(gap_old[a], x, gap_new[b], y, n) for a, x, b, y, n in head + tail]


_RESYNC_PROBE = 48  # characters (folded, no spaces) of one stream found once further in the other
_RESYNC_STARTS = 4  # passage or heading starts of each stream tried as the place to walk on from
_RESYNCS = 64  # times a walk steps over a stretch at most (bounded work on long gaps)


def _shared_walk(a: list[str], b: list[str]) -> list[tuple[int, int, int, int, int]]:
    """`_shared_run`, walking on past what one stream holds alone.

    Where the streams differ, the walk goes on from the nearest place where a passage or heading
    of one stream starts and its next `_RESYNC_PROBE` characters are found once further in the
    other: a stretch one stream holds alone (site chrome a scraper glued into the page's text, a
    heading the other has inside it) is stepped over, and the text after it pairs again. What
    both changed stays unpaired (the probes are not found).
    """
    whole_a, whole_b = "".join(a), "".join(b)
    starts_a, starts_b = _starts(a), _starts(b)
    out: list[tuple[int, int, int, int, int]] = []
    pa = pb = 0
    for _ in range(_RESYNCS + 1):
        ka, kb = bisect.bisect_right(starts_a, pa) - 1, bisect.bisect_right(starts_b, pb) - 1
        run = _shared_run(a[ka:], b[kb:], pa - starts_a[ka], pb - starts_b[kb])
        out += [(ka + i, x, kb + j, y, n) for i, x, j, y, n in run]
        pa += sum(t[4] for t in run)
        pb += sum(t[4] for t in run)
        if pa >= len(whole_a) or pb >= len(whole_b):
            break
        step = _resync(whole_a, whole_b, starts_a, starts_b, pa, pb)
        if step is None:
            break
        pa, pb = step
    return out


def _starts(keys: list[str]) -> list[int]:
    """The offset in the joined stream where each of `keys` starts."""
    return list(itertools.accumulate((len(k) for k in keys[:-1]), initial=0))


def _resync(
    whole_a: str, whole_b: str, starts_a: list[int], starts_b: list[int], pa: int, pb: int
) -> tuple[int, int] | None:
    """The nearest place after (`pa`, `pb`) where the streams agree again, or None."""
    best: tuple[int, int, int] | None = None
    for this, other, starts, here, there, flip in (
        (whole_a, whole_b, starts_a, pa, pb, False),
        (whole_b, whole_a, starts_b, pb, pa, True),
    ):
        at = bisect.bisect_left(starts, here)
        for s in [here, *starts[at : at + _RESYNC_STARTS]]:
            probe = this[s : s + _RESYNC_PROBE]
            if len(probe) < _RESYNC_PROBE:
                break
            q = other.find(probe, there)
            if q < 0 or other.find(probe, q + 1) >= 0:
                continue
            if (s, q) == (here, there):
                continue
            step = (s - here + q - there, q, s) if flip else (s - here + q - there, s, q)
            if best is None or step < best:
                best = step
    return None if best is None else (best[1], best[2])


@lru_cache(maxsize=_PASSAGE_MEMO)
def _passage_key(text: str) -> str:
    """`passage_key(text)`, memoised: `track` keys a report's paragraphs and sentences again in
    every comparison the report is in."""
    return passage_key(text)


@lru_cache(maxsize=_COMPACT_MEMO)
def _compact_key(text: str) -> tuple[str, Sequence[int]]:
    """`compact_key(text)`, memoised with its offsets packed (8 bytes a character, not 36): in
    `track` a report is compared with the editions before and after it, and its unpaired
    paragraphs are read as streams each time."""
    key, offsets = compact_key(text)
    return key, memoryview(array("q", offsets)).toreadonly()  # shared by every caller: read-only


@lru_cache(maxsize=_PASSAGE_MEMO)
def _compact_text(text: str) -> str:
    """`compact_key(text)` without offsets, memoised: `heading_twins` looks up every heading of
    both reports and every short added or removed passage in every comparison."""
    return compact_key(text)[0]


def _whole_cuts_only(
    found: list[_Piece],
    keys: dict[_Item, tuple[str, Sequence[int]]],
    texts: dict[str, list[str]],
    edges: dict[_Item, set[str]],
) -> tuple[list[_Piece], list[tuple[_Item, int]]]:
    """Keep only shared pieces whose passages and headings are cut into shared pieces and nothing
    else; and the (passage, offset) of each stretch of site chrome kept apart.

    A passage is cut only where every piece of it pairs: a paragraph that the other report
    breaks in two is two unchanged pieces, but a paragraph that gained a sentence stays one
    modified passage (with its word diff), not an unchanged piece and an added one. One thing
    more may be cut off: where a page was scraped into one line, its site chrome (menus,
    breadcrumbs, "Back to Top", a cookie notice) is glued before the first paragraph and after
    the last; at the edge of the report, such a stretch is cut off a passage of which several
    pieces pair (`_chrome_edges`).
    """
    while True:
        spans: dict[_Item, list[tuple[int, int]]] = defaultdict(list)
        for a, x, b, y, n in found:
            spans[a].append((x, x + n))
            spans[b].append((y, y + n))
        chrome: list[tuple[_Item, int]] = []
        bad: set[_Item] = set()
        for item, parts in spans.items():
            total = sum(end - start for start, end in parts)
            if total == len(keys[item][0]):
                continue
            kept = _chrome_edges(item, sorted(parts), keys[item], texts[item[0]][item[1]], edges.get(item, set()))
            if kept is None:
                bad.add(item)
            else:
                chrome += kept
        if not bad:
            return found, sorted(chrome)
        found = [t for t in found if t[0] not in bad and t[2] not in bad]


_CHROME_PIECES = 2  # a passage pairs in this many pieces at least, to be a scraped page with chrome
_CHROME_WORDS = 80  # site chrome at a page's edge is no longer than this


def _chrome_edges(
    item: _Item, parts: list[tuple[int, int]], key: tuple[str, Sequence[int]], text: str, edges: set[str]
) -> list[tuple[_Item, int]] | None:
    """The (item, offset) of the stretches of `item` left over by its shared `parts`, when each is
    site chrome at the report's edge; None when a stretch is anything else.

    Only a passage that opens (`edges` has "start") or closes ("end") its report, and pairs in
    `_CHROME_PIECES` pieces or more (a page glued into one line), may have them: before its first
    piece or after its last, with no gap between its pieces, and each reads as chrome (no
    sentence, or a chrome notice: `clean.reads_as_chrome`).
    """
    compact, offsets = key
    if item[0] not in "on" or len(parts) < _CHROME_PIECES:
        return None
    if any(end != start for (_, end), (start, _) in itertools.pairwise(parts)):
        return None
    out: list[tuple[_Item, int]] = []
    first, last = parts[0][0], parts[-1][1]
    if first > 0:
        if "start" not in edges or not _is_chrome(text[: offsets[first]]):
            return None
        out.append((item, 0))
    if last < len(compact):
        if "end" not in edges or not _is_chrome(text[offsets[last] :]):
            return None
        out.append((item, last))
    return out


def _is_chrome(text: str) -> bool:
    """Whether `text`, left over at the edge of a scraped page, reads as site chrome."""
    return len(text.split()) <= _CHROME_WORDS and reads_as_chrome(text)


def _shared_run(
    a: list[str], b: list[str], xa: int = 0, xb: int = 0
) -> list[tuple[int, int, int, int, int]]:
    """Walk the streams `a` and `b` (lists of passage keys) from their start (offsets `xa`, `xb`
    into their first passages) while they agree.

    Returns every piece both share completely as (passage in a, offset, passage in b, offset,
    length); a piece ends where a passage of either side ends.
    """
    out: list[tuple[int, int, int, int, int]] = []
    ka = kb = 0
    while ka < len(a) and kb < len(b):
        n = min(len(a[ka]) - xa, len(b[kb]) - xb)
        if n == 0 or a[ka][xa : xa + n] != b[kb][xb : xb + n]:
            break
        out.append((ka, xa, kb, xb, n))
        xa, xb = xa + n, xb + n
        if xa == len(a[ka]):
            ka, xa = ka + 1, 0
        if xb == len(b[kb]):
            kb, xb = kb + 1, 0
    return out


def _apply_cuts(
    olds: list[Passage],
    news: list[Passage],
    pairs: dict[int, tuple[int, float]],
    cuts: dict[str, dict[int, set[int]]],
    found: list[_Piece],
    keys: dict[_Item, tuple[str, Sequence[int]]],
    chrome: list[tuple[_Item, int]],
) -> tuple[list[Passage], list[Passage], dict[int, tuple[int, float]]]:
    """Cut passages at `cuts`, renumber them, pair the pieces `found` between passages, and mark
    the pieces found against a heading and the stretches of site chrome."""
    new_olds, o_where = _cut_all(olds, cuts["o"], keys, "o")
    new_news, n_where = _cut_all(news, cuts["n"], keys, "n")
    for (side, i), x in chrome:
        if side == "o":
            new_olds[o_where[(i, x)]] = replace(new_olds[o_where[(i, x)]], chrome=True)
        else:
            new_news[n_where[(i, x)]] = replace(new_news[n_where[(i, x)]], chrome=True)
    out: dict[int, tuple[int, float]] = {}
    recut = {item for a, _, b, _, _ in found for item in (a, b)}
    for i, (j, score) in pairs.items():
        if ("o", i) not in recut and ("n", j) not in recut:
            out[o_where[(i, 0)]] = (n_where[(j, 0)], score)
    for (side_a, i), x, (side_b, j), y, _ in found:
        if side_a == "o" and side_b == "n":
            a, b = o_where[(i, x)], n_where[(j, y)]
            out[a] = (b, 100.0)
            shared = new_olds[a].key if new_olds[a].key == new_news[b].key else keys[("o", i)][0]
            new_olds[a] = replace(new_olds[a], key=shared)
            new_news[b] = replace(new_news[b], key=shared)
        elif side_a == "o":
            a = o_where[(i, x)]
            new_olds[a] = replace(new_olds[a], heading_twin=True)
        elif side_b == "n":
            b = n_where[(j, y)]
            new_news[b] = replace(new_news[b], heading_twin=True)
    return new_olds, new_news, out


def _cut_all(
    passages: list[Passage],
    cuts: dict[int, set[int]],
    keys: dict[_Item, tuple[str, Sequence[int]]],
    side: str,
) -> tuple[list[Passage], dict[tuple[int, int], int]]:
    """Passages cut into pieces at `cuts`; and (old index, cut) -> new index."""
    out: list[Passage] = []
    where: dict[tuple[int, int], int] = {}
    for p in passages:
        points = sorted(cuts.get(p.index, set()) | {0})
        if len(points) == 1:
            where[(p.index, 0)] = len(out)
            out.append(Passage(len(out), p.para, p.section, p.key, p.whole))
            continue
        compact, offsets = keys[(side, p.index)]
        for n, (x, y) in enumerate(itertools.pairwise([*points, len(compact)])):
            if x >= len(compact):
                continue
            start = 0 if x == 0 else offsets[x]
            end = len(p.para.text) if y >= len(compact) else offsets[y]
            para = _span(p.para, start, end, n)
            where[(p.index, x)] = len(out)
            out.append(Passage(len(out), para, p.section, passage_key(para.text), whole=False))
    return out, where


def _span(para: Paragraph, start: int, end: int, n: int) -> Paragraph:
    """Characters `start`-`end` of `para` (spaces at the edges dropped), as a passage."""
    text = para.text[start:end]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    return Paragraph(
        f"{para.id}-{n + 1}", text, para.start + start + lead, para.start + start + lead + len(text)
    )


def _fuzzy_pairs(
    rest_old: list[Passage], rest_new: list[Passage], cutoff: float
) -> list[tuple[int, int, float]]:
    """Candidate (old index, new index, score) pairs at or above `cutoff`, best first."""
    found: list[tuple[float, int, int]] = []
    if len(rest_old) * len(rest_new) <= CDIST_MAX_PAIRS:
        matrix = _ratio_matrix([p.key for p in rest_old], [p.key for p in rest_new], cutoff)
        for a, b in zip(*np.nonzero(matrix), strict=True):
            found.append((float(matrix[a, b]), rest_old[a].index, rest_new[b].index))
    else:
        for a, b in _shingle_candidates(rest_old, rest_new):
            score = fuzz.ratio(rest_old[a].key, rest_new[b].key, score_cutoff=cutoff)
            if score:
                found.append((score, rest_old[a].index, rest_new[b].index))
    found.sort(key=lambda t: (-t[0], t[1], t[2]))
    return [(i, j, round(s, 1)) for s, i, j in found]


def _cdist(queries: list[str], choices: list[str], cutoff: float) -> Any:
    """The ratio of each of `queries` to each of `choices`, 0 below `cutoff` (float32 matrix)."""
    return process.cdist(
        queries, choices, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.float32, workers=-1
    )


@dataclass(frozen=True, slots=True)
class _KeptMatrix:
    """A `_cdist` matrix kept for later calls, with the row of each query and column of each choice."""

    rows: dict[str, int]
    cols: dict[str, int]
    cutoff: float
    matrix: Any  # read-only float32


_RECENT: deque[_KeptMatrix] = deque(maxlen=_MATRIX_MEMO)
_RECENT_LOCK = threading.Lock()  # Dask workers run jobs in threads


def _ratio_matrix(queries: list[str], choices: list[str], cutoff: float) -> Any:
    """`_cdist(queries, choices, cutoff)`, copying the cells a recent call scored.

    A cell depends on its two texts alone, and `track` compares a report with the next
    edition of another publisher's after the previous one: most texts of both sides are
    scored again, so only the rows and columns of texts new since then are computed.
    """
    if len(queries) * len(choices) < _MATRIX_MIN_CELLS:
        return _cdist(queries, choices, cutoff)
    with _RECENT_LOCK:
        recent = [m for m in _RECENT if m.cutoff == cutoff]
    best = max(recent, key=lambda m: _overlap(m, queries, choices), default=None)
    if best is None or _overlap(best, queries, choices) == 0:
        matrix = _cdist(queries, choices, cutoff)
    else:
        matrix = _reuse(best, queries, choices, cutoff)
    if matrix.size <= _MATRIX_MAX_CELLS:
        matrix.flags.writeable = False
        rows, cols = {q: k for k, q in enumerate(queries)}, {c: k for k, c in enumerate(choices)}
        kept = _KeptMatrix(rows, cols, cutoff, matrix)
        with _RECENT_LOCK:
            _RECENT.append(kept)
    return matrix


def _overlap(kept: _KeptMatrix, queries: list[str], choices: list[str]) -> int:
    """How many cells of `queries` x `choices` `kept` holds."""
    return sum(q in kept.rows for q in queries) * sum(c in kept.cols for c in choices)


def _reuse(kept: _KeptMatrix, queries: list[str], choices: list[str], cutoff: float) -> Any:
    """`_cdist(queries, choices, cutoff)` from the cells `kept` holds, computing the others."""
    old_r = [k for k, q in enumerate(queries) if q in kept.rows]
    new_r = [k for k, q in enumerate(queries) if q not in kept.rows]
    old_c = [k for k, c in enumerate(choices) if c in kept.cols]
    new_c = [k for k, c in enumerate(choices) if c not in kept.cols]
    out = np.zeros((len(queries), len(choices)), dtype=np.float32)
    if old_r and old_c:
        at = np.ix_([kept.rows[queries[k]] for k in old_r], [kept.cols[choices[k]] for k in old_c])
        out[np.ix_(old_r, old_c)] = kept.matrix[at]
    if new_r:
        out[new_r, :] = _cdist([queries[k] for k in new_r], choices, cutoff)
    if old_r and new_c:
        out[np.ix_(old_r, new_c)] = _cdist([queries[k] for k in old_r], [choices[k] for k in new_c], cutoff)
    return out


def _shingles(key: str) -> set[str]:
    words = key.split()
    return {" ".join(words[k : k + 3]) for k in range(len(words) - 2)}


def _shingle_candidates(rest_old: list[Passage], rest_new: list[Passage]) -> set[tuple[int, int]]:
    """Pairs of positions in `rest_old`/`rest_new` that share a rare word 3-gram."""
    index: dict[str, list[int]] = defaultdict(list)
    for b, p in enumerate(rest_new):
        for sh in _shingles(p.key):
            index[sh].append(b)
    candidates: set[tuple[int, int]] = set()
    for a, p in enumerate(rest_old):
        hits: Counter[int] = Counter()
        for sh in _shingles(p.key):
            posting = index.get(sh)
            if posting and len(posting) <= SHINGLE_MAX_DF:
                hits.update(posting)
        for b, _ in hits.most_common(5):
            candidates.add((a, b))
    return candidates


@lru_cache(maxsize=_SECTION_MEMO)
def _section_words(text: str) -> tuple[str, ...]:
    """The content words of a section's text, memoised: each report's sections are read once
    for the vocabulary and once for the vectors, in every comparison the report is in."""
    return tuple(content_words(text))


@dataclass(frozen=True, slots=True)
class _Scored:
    """Why two sections may pair: shared text, description, heading and topic (each 0-100)."""

    score: float
    content: float
    described: float
    heading: float
    topic: float


def _subtree_ends(sections: list[Section]) -> list[int]:
    """For each section, the index after its last subsection (its subtree is a contiguous run)."""
    ends = [len(sections)] * len(sections)
    stack: list[int] = []
    for k, sec in enumerate(sections):
        while stack and (sec.level <= sections[stack[-1]].level or _untitled_top(sections[stack[-1]])):
            ends[stack.pop()] = k
        stack.append(k)
    return ends


def _untitled_top(section: Section) -> bool:
    return section.level == 1 and not section.heading


def _ancestry(ends: list[int]) -> list[list[int]]:
    """For each section: itself and the sections whose subtree holds it."""
    out: list[list[int]] = []
    stack: list[int] = []
    for k in range(len(ends)):
        while stack and ends[stack[-1]] <= k:
            stack.pop()
        out.append([k, *stack])
        stack.append(k)
    return out


def _subtree_words(sections: list[Section], ends: list[int]) -> list[float]:
    cum = [0, *itertools.accumulate(s.n_words for s in sections)]
    return [max(1.0, float(cum[ends[k]] - cum[k])) for k in range(len(sections))]


def _shared_text(
    os_: list[Section],
    ns: list[Section],
    olds: list[Passage],
    news: list[Passage],
    pairs: dict[int, tuple[int, float]],
) -> dict[tuple[int, int], float]:
    """Words shared by each pair of section subtrees (sparse: only pairs that share any)."""
    o_pos = {s.id: k for k, s in enumerate(os_)}
    n_pos = {s.id: k for k, s in enumerate(ns)}
    o_up, n_up = _ancestry(_subtree_ends(os_)), _ancestry(_subtree_ends(ns))
    shared: dict[tuple[int, int], float] = defaultdict(float)
    for i, (j, _) in pairs.items():
        po, pn = olds[i], news[j]
        words = min(po.para.n_words, pn.para.n_words)
        for a in o_up[o_pos[po.section.id]]:
            for b in n_up[n_pos[pn.section.id]]:
                shared[(a, b)] += words
    return shared


# Section vocabularies are integer word counts and their cosine is computed exactly: the dot
# product of two count vectors is an integer (exact in float64 below 2**53, whatever order BLAS
# adds in, on however many threads), divided once by the two norms. Unit vectors multiplied in
# floating point gave last bits that changed with the BLAS thread count.


class _Vocabulary:
    """A section subtree's content-word counts (`counts`) and their Euclidean norm."""

    __slots__ = ("counts", "norm")

    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts
        self.norm = float(np.sqrt(float(sum(v * v for v in counts.values())))) or 1.0


def _vocabulary_vectors(texts: list[tuple[str, ...]], ends: list[int], vocab: set[str]) -> list[_Vocabulary]:
    """Content-word counts of each section's subtree (`texts`: the sections' content words)."""
    own = [Counter(w for w in words if w in vocab) for words in texts]
    out: list[_Vocabulary] = []
    for k in range(len(texts)):
        total: Counter[str] = Counter()
        for d in range(k, ends[k]):
            total.update(own[d])
        out.append(_Vocabulary(total))
    return out


def _cosine(a: _Vocabulary, b: _Vocabulary) -> float:
    """100 x the cosine of two vocabularies (the same float as the dense path's)."""
    small, big = sorted((a.counts, b.counts), key=len)
    dot = sum(v * big.get(w, 0) for w, v in small.items())  # an exact integer
    return 100 * dot / (a.norm * b.norm)


def _vocabulary_matrix(texts: list[tuple[str, ...]], ends: list[int], index: dict[str, int]) -> tuple[Any, Any]:
    """`_vocabulary_vectors` as the rows of a count matrix whose columns are the words of
    `index`, with the rows' norms; subtree sums by cumulative sums over the outline (exact:
    integers), no Python loop over words."""
    own = np.zeros((len(texts), max(1, len(index))), dtype=np.int64)
    for r, words in enumerate(texts):
        ids = [index[w] for w in words if w in index]
        if ids:
            own[r] = np.bincount(np.array(ids, dtype=np.int64), minlength=own.shape[1])
    cum = np.zeros((len(texts) + 1, own.shape[1]), dtype=np.int64)
    np.cumsum(own, axis=0, out=cum[1:])
    total = cum[np.array(ends, dtype=np.int64)] - cum[:-1]  # row k: the sections k to ends[k]
    norm = np.sqrt((total * total).sum(axis=1).astype(np.float64))
    norm[norm == 0] = 1.0
    return total.astype(np.float64), norm


def _candidates(
    os_: list[Section], ns: list[Section], shared: dict[tuple[int, int], float]
) -> set[tuple[int, int]]:
    """Section pairs worth scoring when there are too many to score all: those sharing text, the
    same heading, or the same topic (at most `SECTION_CANDIDATES` per section and reason)."""
    out = set(shared)
    by_heading: dict[str, list[int]] = defaultdict(list)
    by_topic: dict[str, list[int]] = defaultdict(list)
    for b, sec in enumerate(ns):
        by_heading[clean_heading(sec.heading).lower()].append(b)
        if sec.topic:
            by_topic[sec.topic].append(b)
    for a, sec in enumerate(os_):
        near = a * len(ns) / max(1, len(os_))  # where this section would sit in the new outline
        for group in (
            by_heading.get(clean_heading(sec.heading).lower(), []),
            by_topic.get(sec.topic or "", []),
        ):
            # the group is in outline order: take the partners nearest to where this one would sit
            mid = bisect.bisect_left(group, near)
            window = group[max(0, mid - SECTION_CANDIDATES) : mid + SECTION_CANDIDATES]
            out.update((a, b) for b in sorted(window, key=lambda b: (abs(b - near), b))[:SECTION_CANDIDATES])
    return out


def _score_sections(
    os_: list[Section],
    ns: list[Section],
    olds: list[Passage],
    news: list[Passage],
    pairs: dict[int, tuple[int, float]],
    cutoff: float = 0.0,
) -> dict[tuple[int, int], _Scored]:
    """Score the section pairs that may pair: every pair of a small outline (vectorised),
    only candidates of a big one, so the work stays bounded.

    Kept are the pairs `align_sections` may take: scoring `cutoff` (and `SECTION_FLOOR`), or
    sharing text and description enough to be a split or a merge.
    """
    o_ends, n_ends = _subtree_ends(os_), _subtree_ends(ns)
    shared = _shared_text(os_, ns, olds, news, pairs)
    o_words, n_words = _subtree_words(os_, o_ends), _subtree_words(ns, n_ends)
    o_texts, n_texts = [_section_words(s.text) for s in os_], [_section_words(s.text) for s in ns]
    counts = Counter(w for words in o_texts + n_texts for w in set(words))
    vocab = {w for w, n in counts.items() if n >= 2}
    o_head = [clean_heading(s.heading) for s in os_]
    n_head = [clean_heading(s.heading) for s in ns]
    floor = max(cutoff, SECTION_FLOOR)
    if len(os_) * len(ns) <= SECTION_DENSE_MAX:
        index = {w: k for k, w in enumerate(sorted(vocab))}
        mats = (_vocabulary_matrix(o_texts, o_ends, index), _vocabulary_matrix(n_texts, n_ends, index))
        return _score_dense(os_, ns, shared, (o_words, n_words), mats, (o_head, n_head), floor)
    o_vec, n_vec = _vocabulary_vectors(o_texts, o_ends, vocab), _vocabulary_vectors(n_texts, n_ends, vocab)
    out: dict[tuple[int, int], _Scored] = {}
    for a, b in sorted(_candidates(os_, ns, shared)):
        content = 100 * 2 * shared.get((a, b), 0.0) / (o_words[a] + n_words[b])
        both_top = os_[a].level == ns[b].level == 1
        heading = 100.0 if both_top else float(fuzz.token_sort_ratio(o_head[a], n_head[b]))
        topic = 100.0 if os_[a].topic and os_[a].topic == ns[b].topic else 0.0
        cosine = _cosine(o_vec[a], n_vec[b])
        empty = o_words[a] <= 1 or n_words[b] <= 1
        described = float(_described(heading, topic, cosine, empty))
        score = max(content, described)
        if score >= floor or (content >= SPLIT_OVERLAP and described >= SPLIT_DESCRIBED):
            out[(a, b)] = _Scored(score, content, described, heading, topic)
    return out


def _described(heading: Any, topic: Any, cosine: Any, empty: Any) -> Any:
    """How alike two sections are described (0-100), for numbers or numpy arrays alike."""
    full = W_HEADING * heading + W_TOPIC * topic + W_VOCABULARY * cosine
    # Outline headings without text of their own: heading and topic are all there is.
    return np.where(empty, W_EMPTY_HEADING * heading + W_EMPTY_TOPIC * topic, full)


def _score_dense(
    os_: list[Section],
    ns: list[Section],
    shared: dict[tuple[int, int], float],
    words: tuple[list[float], list[float]],
    vectors: tuple[Any, Any],
    heads: tuple[list[str], list[str]],
    floor: float,
) -> dict[tuple[int, int], _Scored]:
    """`_score_sections` for every pair, as matrices (`vectors`: `_vocabulary_matrix` of each side)."""
    matrix = np.zeros((len(os_), len(ns)), dtype=np.float64)
    for (a, b), value in shared.items():
        matrix[a, b] = value
    o_words, n_words = np.array(words[0]), np.array(words[1])
    content = 100 * 2 * matrix / (o_words[:, None] + n_words[None, :])
    (o_mat, o_norm), (n_mat, n_norm) = vectors
    cosine = 100 * (o_mat @ n_mat.T) / np.outer(o_norm, n_norm)  # integer dot products: exact
    heading = np.asarray(
        process.cdist(heads[0], heads[1], scorer=fuzz.token_sort_ratio, workers=-1), dtype=np.float64
    )
    tops = np.outer([s.level == 1 for s in os_], [s.level == 1 for s in ns])
    heading = np.where(tops, 100.0, heading)  # a title or untitled opening answers the other's
    codes = {t: k for k, t in enumerate(sorted({s.topic for s in os_ + ns if s.topic}))}
    o_top = np.array([codes.get(s.topic, -1) if s.topic else -1 for s in os_])
    n_top = np.array([codes.get(s.topic, -2) if s.topic else -2 for s in ns])
    topic = np.where(np.equal.outer(o_top, n_top), 100.0, 0.0)
    described = _described(heading, topic, cosine, (o_words[:, None] <= 1) | (n_words[None, :] <= 1))
    score = np.maximum(content, described)
    keep = np.nonzero((score >= floor) | ((content >= SPLIT_OVERLAP) & (described >= SPLIT_DESCRIBED)))
    columns = zip(*(m[keep].tolist() for m in (score, content, described, heading, topic)), strict=True)
    return {
        (a, b): _Scored(*values)
        for a, b, values in zip(keep[0].tolist(), keep[1].tolist(), columns, strict=True)
    }


def align_sections(
    old: Report,
    new: Report,
    olds: list[Passage],
    news: list[Passage],
    pairs: dict[int, tuple[int, float]],
    options: CompareOptions,
) -> list[SectionPair]:
    """Pair the sections of `old` and `new` by shared passages, heading, topic and vocabulary.

    Every pair is scored when the outlines are small; beyond `SECTION_DENSE_MAX` pairs only
    candidates are (`_candidates`), so 50,000 headings need no 50,000 x 50,000 matrix.
    """
    os_, ns = list(old.sections), list(new.sections)
    o_ends, n_ends = _subtree_ends(os_), _subtree_ends(ns)
    scored = _score_sections(os_, ns, olds, news, pairs, options.section_cutoff)
    # Best first; where the shared text ties (a section without text of its own shares all of
    # its only subsection's, and pairs with that subsection's twin as well as the twin's own
    # parent does), the better described pair goes first.
    order = sorted(
        ((v.score, v.described, a, b) for (a, b), v in scored.items() if v.score >= options.section_cutoff),
        key=lambda t: (-t[0], -t[1], t[2], t[3]),
    )
    o_used: dict[int, int] = {}
    n_used: dict[int, int] = {}
    chosen: list[tuple[int, int, float]] = []
    for value, _, a, b in order:
        if a in o_used or b in n_used:
            continue
        o_used[a], n_used[b] = b, a
        chosen.append((a, b, value))
    # Splits and merges: a section whose text went largely to a second section pairs with it too.
    taken = {(x, y) for x, y, _ in chosen}
    for (a, b), v in sorted(scored.items()):
        if v.content < SPLIT_OVERLAP or v.described < SPLIT_DESCRIBED:
            continue
        partner_new, partner_old = o_used.get(a), n_used.get(b)
        aggregate = (partner_new is not None and b <= partner_new < n_ends[b]) or (
            partner_old is not None and a <= partner_old < o_ends[a]
        )
        if aggregate and v.heading < SPLIT_HEADING and v.topic == 0:
            continue  # only the outline above a pair shares its text; that says nothing new
        if (a in o_used) != (b in n_used) and (a, b) not in taken:
            chosen.append((a, b, v.content))
            taken.add((a, b))
            o_used.setdefault(a, b)
            n_used.setdefault(b, a)
    return _section_pairs(os_, ns, chosen, o_used, n_used)


def _section_pairs(
    os_: list[Section],
    ns: list[Section],
    chosen: list[tuple[int, int, float]],
    o_used: dict[int, int],
    n_used: dict[int, int],
) -> list[SectionPair]:
    """Section pairs, then unpaired sections, in the order a reader expects: by the new report;
    a removed section right after the new place of the old section that preceded it."""
    out: list[tuple[tuple[float, int], SectionPair]] = []
    for a, b, value in chosen:
        out.append(
            (
                (float(b), 0),
                SectionPair("matched", os_[a], ns[b], round(value, 1), ns[b].topic or os_[a].topic),
            )
        )
    best = -1
    for a, sec in enumerate(os_):
        if a not in o_used and (sec.paragraphs or sec.heading):
            out.append(((best + 0.5, a), SectionPair("removed", sec, None, 0.0, sec.topic)))
        best = max(best, o_used.get(a, -1))
    for b, sec in enumerate(ns):
        if b not in n_used and (sec.paragraphs or sec.heading):
            out.append(((float(b), 0), SectionPair("added", None, sec, 0.0, sec.topic)))
    out.sort(key=lambda t: t[0])
    return [p for _, p in out]


def classify_passages(
    olds: list[Passage],
    news: list[Passage],
    pairs: dict[int, tuple[int, float]],
    sections: list[SectionPair],
) -> list[Link]:
    """Say for each passage whether it is unchanged, modified, moved, added or removed."""
    related = _relation(olds, news, sections)
    in_place: list[tuple[int, int]] = []
    for i, (j, _) in sorted(pairs.items()):
        if related(olds[i].section.id, news[j].section.id):
            in_place.append((i, j))
    keep = _increasing(in_place)
    out: list[Link] = []
    for i, (j, score) in sorted(pairs.items(), key=lambda kv: kv[1][0]):
        a, b = olds[i], news[j]
        if (i, j) in keep:
            status: PassageStatus = "unchanged" if a.key == b.key else "modified"
        else:
            status = "moved"
        out.append(Link(status, a, b, score))
    matched_new = {j for j, _ in pairs.values()}
    for b in news:
        if b.index not in matched_new:
            out.append(Link("added", None, b, 0.0))
    for a in olds:
        if a.index not in pairs:
            out.append(Link("removed", a, None, 0.0))
    return out


def heading_twins(links: list[Link], old: Report, new: Report, sections: list[SectionPair]) -> list[Link]:
    """An added or removed passage with the words of a heading of the other report, at the same
    place, is unchanged: a heading in one copy written as a paragraph in the other is formatting.

    The place is the gap between the passages that stayed in order on either side of it; a
    heading counts only where the other report has it more often than this one (a heading both
    reports hold is no twin), and each one serves one passage. The section of such a heading
    is then part of the section before it, and a passage that kept its place but was called
    moved only because of that section stays where it was (`_unmoved`).
    """
    spare = {"old": _spare_headings(old, new), "new": _spare_headings(new, old)}
    if not spare["old"] and not spare["new"]:
        return [replace(x, status="unchanged", score=100.0) if _twin(x) else x for x in links]
    kept = sorted(
        (link.old.para.start, link.new.para.start, link.new.para.end, link.old.para.end)
        for link in links
        if link.old is not None and link.new is not None and link.status in ("unchanged", "modified")
    )
    by_old = [(o, n, n_end) for o, n, n_end, _ in kept]
    by_new = sorted((n, o, o_end) for o, n, _, o_end in kept)
    dissolved: dict[str, set[str]] = {"old": set(), "new": set()}
    out: list[Link] = []
    for link in links:
        side = link.old if link.status == "removed" else link.new if link.status == "added" else None
        if side is None:
            glued = _glued_heading(link, spare) if link.status == "modified" else None
            if glued is not None:
                dissolved[glued[0]].add(glued[1])
                link = replace(link, status="unchanged", score=100.0)
            out.append(link)
            continue
        other, anchors = ("new", by_old) if link.status == "removed" else ("old", by_new)
        low, high = _gap(anchors, side.para.start)
        key = _compact_text(side.para.text) if len(side.para.text) <= _HEADING_CHARS else ""
        twin = _take_heading(spare[other], key, low, high) if key else None
        if twin is not None:
            dissolved[other].add(twin)
        same = twin is not None or side.heading_twin or side.chrome
        out.append(replace(link, status="unchanged", score=100.0) if same else link)
    if dissolved["old"] or dissolved["new"]:
        into = (_merge_into(old, dissolved["old"]), _merge_into(new, dissolved["new"]))
        out = _unmoved(out, by_old, into, sections)
    return out


def _twin(link: Link) -> bool:
    """Whether the one side of an added or removed `link` was found as a heading of the other
    report at its place, when the streams were read (`resplit_gaps`)."""
    side = link.old if link.status == "removed" else link.new if link.status == "added" else None
    return side is not None and (side.heading_twin or side.chrome)


@dataclass(slots=True)
class _Spare:
    """The headings of one wording that a report has beyond the other's count of it."""

    places: list[tuple[int, str]]  # where the report has them: (heading offset, section id)
    left: int  # how many of them may still stand for a passage of the other report


def _spare_headings(report: Report, other: Report) -> dict[str, _Spare]:
    """The headings of `report` (by compact key) that `other` has fewer of, and where they are."""
    own: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for section in report.sections:
        if section.heading:
            own[_compact_text(section.heading)].append((section.start, section.id))
    theirs = Counter(_compact_text(s.heading) for s in other.sections if s.heading)
    return {
        key: _Spare(places, len(places) - theirs[key])
        for key, places in own.items()
        if key and len(places) > theirs[key]
    }


def _gap(anchors: list[tuple[int, int, int]], at: int) -> tuple[int, int]:
    """The stretch of the other report between the partners of the anchors around offset `at`.

    `anchors` are (offset here, partner start, partner end) sorted by offset here; the stretch
    runs from the end of the partner before `at` to the start of the partner after it.
    """
    k = bisect.bisect_left(anchors, (at, -1, -1))
    low = anchors[k - 1][2] if k > 0 else -1
    high = anchors[k][1] if k < len(anchors) else 1 << 62
    return low, high


def _take_heading(spare: dict[str, _Spare], key: str, low: int, high: int) -> str | None:
    """Use up a spare heading with compact key `key` between offsets `low` and `high`: its section id."""
    found = spare.get(key)
    if found is None or found.left <= 0:
        return None
    for k, (start, sid) in enumerate(found.places):
        if low <= start <= high:
            del found.places[k]
            found.left -= 1
            return sid
    return None


def _glued_heading(link: Link, spare: dict[str, dict[str, _Spare]]) -> tuple[str, str] | None:
    """The side and section whose heading a modified pair's other side holds glued to its
    start ("Prison conditions Prisoners were..." against the heading and "Prisoners were..."),
    all else equal: then it is formatting. None when the pair differs otherwise."""
    assert link.old is not None and link.new is not None
    for side, here, there in (("old", link.old, link.new), ("new", link.new, link.old)):
        section = here.section
        if not (here.whole and section.heading and section.paragraphs[0].id == here.para.id):
            continue
        head = _compact_text(section.heading)
        found = spare[side].get(head)
        if found is None or found.left <= 0 or (section.start, section.id) not in found.places:
            continue
        if _compact_text(there.para.text) == head + _compact_text(here.para.text):
            found.places.remove((section.start, section.id))
            found.left -= 1
            return side, section.id
    return None


def _merge_into(report: Report, gone: set[str]) -> dict[str, str]:
    """For each section of `report` after a run of `gone` ones or in it: the section it is part of."""
    out: dict[str, str] = {}
    current = ""
    for section in report.sections:
        if section.id not in gone or not current:
            current = section.id
        out[section.id] = current
    return out


def _unmoved(
    links: list[Link],
    by_old: list[tuple[int, int, int]],
    into: tuple[dict[str, str], dict[str, str]],
    sections: list[SectionPair],
) -> list[Link]:
    """Moved passages that kept their place, in sections that pair once merged (`into`: the
    section each old and each new one is part of): not moved."""
    merged = {
        (into[0].get(p.old.id, p.old.id), into[1].get(p.new.id, p.new.id))
        for p in sections
        if p.old is not None and p.new is not None
    }
    out: list[Link] = []
    for link in links:
        if link.status == "moved" and link.old is not None and link.new is not None:
            low, high = _gap(by_old, link.old.para.start)
            here = (into[0].get(link.old.section.id, ""), into[1].get(link.new.section.id, ""))
            if low <= link.new.para.start <= high and here in merged:
                status: PassageStatus = "unchanged" if link.old.key == link.new.key else "modified"
                link = replace(link, status=status)
        out.append(link)
    return out


def _relation(
    olds: list[Passage], news: list[Passage], sections: list[SectionPair]
) -> Callable[[str, str], bool]:
    """A test of whether an old and a new section id are the same place in the outline.

    They are when the sections pair, or one of them pairs with the other's parent: text of an
    undivided section that now sits in a new subsection has not moved.
    """
    paired = {(p.old.id, p.new.id) for p in sections if p.old is not None and p.new is not None}
    o_up = _ancestors([p.section for p in olds])
    n_up = _ancestors([p.section for p in news])
    # `rewritten_in_place` asks about every removed x added passage of a run: few section pairs
    known: dict[tuple[str, str], bool] = {}

    def related(a: str, b: str) -> bool:
        found = known.get((a, b))
        if found is None:
            found = known[(a, b)] = any((a, up) in paired for up in n_up.get(b, [b])) or any(
                (up, b) in paired for up in o_up.get(a, [a])
            )
        return found

    return related


def match_leftover_sentences(
    classified: list[Link],
    olds: list[Passage],
    news: list[Passage],
    sections: list[SectionPair],
    options: CompareOptions,
) -> list[Link]:
    """Find sentences of removed paragraphs again in added paragraphs.

    Reports are rewritten by merging and splitting paragraphs; a sentence that survived such a
    rewrite is then no longer "removed" with the rest: it is unchanged, modified or moved, and
    the sentences around it stay removed or added.
    """
    removed = [x.old for x in classified if x.status == "removed" and x.old is not None]
    added = [x.new for x in classified if x.status == "added" and x.new is not None]
    if not removed or not added:
        return classified
    o_sents = [(p, k, st) for p in removed for k, st in enumerate(p.para.sentences)]
    n_sents = [(p, k, st) for p in added for k, st in enumerate(p.para.sentences)]
    o_keys = [_passage_key(st.text) for _, _, st in o_sents]
    n_keys = [_passage_key(st.text) for _, _, st in n_sents]
    o_ok = [a for a, key in enumerate(o_keys) if len(key.split()) >= MIN_FUZZY_WORDS]
    n_ok = [b for b, key in enumerate(n_keys) if len(key.split()) >= MIN_FUZZY_WORDS]
    if not o_ok or not n_ok:
        return classified
    fake_old = [Passage(a, o_sents[a][0].para, o_sents[a][0].section, o_keys[a]) for a in o_ok]
    fake_new = [Passage(b, n_sents[b][0].para, n_sents[b][0].section, n_keys[b]) for b in n_ok]
    chosen: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    for a, b, score in _fuzzy_pairs(fake_old, fake_new, options.match_cutoff + SENTENCE_CUTOFF_EXTRA):
        if a not in chosen and b not in used:
            chosen[a] = (b, score)
            used.add(b)
    if not chosen:
        return classified
    related = _relation(olds, news, sections)
    touched_old = {o_sents[a][0].index for a in chosen}
    touched_new = {n_sents[b][0].index for b, _ in chosen.values()}
    out = [
        item
        for item in classified
        if not (item.status == "removed" and item.old is not None and item.old.index in touched_old)
        and not (item.status == "added" and item.new is not None and item.new.index in touched_new)
    ]
    for a, (b, score) in sorted(chosen.items()):
        op, ok, _ = o_sents[a]
        np_, nk, _ = n_sents[b]
        old_piece = _piece(op, [ok])
        new_piece = _piece(np_, [nk])
        if related(op.section.id, np_.section.id):
            status: PassageStatus = "unchanged" if o_keys[a] == n_keys[b] else "modified"
        else:
            status = "moved"
        out.append(Link(status, old_piece, new_piece, score))
    matched_o = {(o_sents[a][0].index, o_sents[a][1]) for a in chosen}
    matched_n = {(n_sents[b][0].index, n_sents[b][1]) for b, _ in chosen.values()}
    for p in removed:
        if p.index in touched_old:
            for run in _runs(len(p.para.sentences), {k for i, k in matched_o if i == p.index}):
                out.append(Link("removed", _piece(p, run), None, 0.0))
    for p in added:
        if p.index in touched_new:
            for run in _runs(len(p.para.sentences), {k for i, k in matched_n if i == p.index}):
                out.append(Link("added", None, _piece(p, run), 0.0))
    return out


def _piece(passage: Passage, idx: list[int]) -> Passage:
    """The sentences `idx` of `passage`, as a passage of their own."""
    para = _sub(passage.para, passage.para.sentences, idx)
    assert para is not None
    return Passage(passage.index, para, passage.section, passage_key(para.text), whole=False)


def _runs(n: int, taken: set[int]) -> list[list[int]]:
    """Runs of consecutive indices below `n` that are not in `taken`."""
    runs: list[list[int]] = []
    for k in range(n):
        if k in taken:
            continue
        if runs and runs[-1][-1] == k - 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    return runs


def _ancestors(sections: list[Section]) -> dict[str, list[str]]:
    """For each section id: itself and the ids of the sections it sits in."""
    out: dict[str, list[str]] = {}
    stack: list[Section] = []
    seen: set[str] = set()
    for s in sections:
        if s.id in seen:
            continue
        seen.add(s.id)
        while stack and stack[-1].level >= s.level:
            stack.pop()
        out[s.id] = [s.id] + [x.id for x in stack]
        stack.append(s)
    return out


def _increasing(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The longest run of `pairs` (sorted by old index) whose new indices also increase."""
    tails: list[int] = []
    tail_idx: list[int] = []
    prev: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(k)
        else:
            tails[pos] = j
            tail_idx[pos] = k
        prev[k] = tail_idx[pos - 1] if pos > 0 else -1
    out: set[tuple[int, int]] = set()
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        out.add(pairs[k])
        k = prev[k]
    return out


def refine_sentences(old: Paragraph, new: Paragraph, cutoff: float) -> list[Refined]:
    """Split a modified paragraph pair into sentence-level passages.

    Identical sentences are unchanged, sentences edited in place are modified, the rest added
    or removed; runs of the same status merge into one passage. A figure that changed in one
    sentence is then one small modified passage, and the sentences around it stay unchanged.
    """
    import difflib

    o_sents, n_sents = old.sentences, new.sentences
    o_keys = [_passage_key(s.text) for s in o_sents]
    n_keys = [_passage_key(s.text) for s in n_sents]
    steps: list[tuple[PassageStatus, list[int], list[int], float]] = []
    matcher = difflib.SequenceMatcher(a=o_keys, b=n_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            steps.append(("unchanged", list(range(i1, i2)), list(range(j1, j2)), 100.0))
            continue
        olds_left, news_left = list(range(i1, i2)), list(range(j1, j2))
        while olds_left or news_left:
            if olds_left and news_left:
                score = fuzz.ratio(o_keys[olds_left[0]], n_keys[news_left[0]])
                if score >= cutoff:
                    steps.append(("modified", [olds_left.pop(0)], [news_left.pop(0)], round(score, 1)))
                    continue
                # keep order: whichever side's sentence comes first in its paragraph goes first
                best_new = max(news_left, key=lambda j: fuzz.ratio(o_keys[olds_left[0]], n_keys[j]))
                if fuzz.ratio(o_keys[olds_left[0]], n_keys[best_new]) >= cutoff and best_new != news_left[0]:
                    steps.append(("added", [], [news_left.pop(0)], 0.0))
                    continue
                steps.append(("removed", [olds_left.pop(0)], [], 0.0))
            elif olds_left:
                steps.append(("removed", [olds_left.pop(0)], [], 0.0))
            else:
                steps.append(("added", [], [news_left.pop(0)], 0.0))
    merged: list[tuple[PassageStatus, list[int], list[int], float]] = []
    for step in steps:
        if merged and merged[-1][0] == step[0] and step[0] != "modified":
            merged[-1][1].extend(step[1])
            merged[-1][2].extend(step[2])
        else:
            merged.append(step)
    return [
        Refined(status, _sub(old, o_sents, oi), _sub(new, n_sents, ni), score)
        for status, oi, ni, score in merged
    ]


def _sub(para: Paragraph, sentences: tuple[Sentence, ...], idx: list[int]) -> Paragraph | None:
    """The part of `para` made of the sentences `idx` (consecutive), as a passage.

    It runs up to where the next sentence starts (spaces dropped), so a footnote marker after
    the last sentence ("needs.2") goes with it: every character is in exactly one piece.
    """
    if not idx:
        return None
    first = sentences[idx[0]]
    a = first.start - para.start
    b = sentences[idx[-1] + 1].start - para.start if idx[-1] + 1 < len(sentences) else len(para.text)
    text = para.text[a:b].rstrip()
    return Paragraph(f"{para.id}.{idx[0] + 1}", text, first.start, first.start + len(text), ())
