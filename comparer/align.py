"""Stage 6, align: match passages across two reports, then pair their sections.

Passages (paragraphs) are matched globally, not section by section, so a paragraph that moved
to another section is found wherever it went:
1. identical passages (after folding) pair by hash, in order;
2. the rest are scored with rapidfuzz: `process.cdist` over all remaining pairs when that is
   small, otherwise only over candidate pairs that share rare word 3-grams (no O(n*m) blow-up);
3. pairs at or above `match_cutoff` are taken greedily, best first, one partner each.

Sections are then paired by the passages they share (same publisher, consecutive years), their
heading (numbering stripped: "1.b Disappearance" vs "2.c Disappearance and Abduction"), their
topic, and their vocabulary (cross-publisher), so renamed, split, merged and re-ordered
sections still pair. Finally each passage pair is unchanged, modified or moved: moved when its
sections are not paired, or when it left the order of its neighbours.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from comparer.model import Paragraph, PassageStatus, Report, Section, SectionPair, Sentence
from comparer.options import CompareOptions
from comparer.textnorm import fold
from comparer.topics import clean_heading

CDIST_MAX_PAIRS = 400_000  # above this many remaining pairs, prune candidates by shared 3-grams
SHINGLE_MAX_DF = 4  # a 3-gram found in more passages than this is too common to suggest a match
MIN_FUZZY_WORDS = 5  # shorter passages only match exactly
SPLIT_OVERLAP = 40.0  # a second partner of a section needs this much shared text (0-100)
SPLIT_DESCRIBED = 30.0  # ... and headings, topics or vocabulary that agree this much
_STOPWORDS = frozenset(
    "the and for that with from this were was are have has had been which their they its into "
    "also other more than such these those there would could should about after before during "
    "between among against under over only some most many other including government "
    "authorities year years reported reports said according ".split()
)


@dataclass(frozen=True, slots=True)
class _Passage:
    index: int  # position in the report
    para: Paragraph
    section: Section
    key: str  # folded, lower-cased text


def _passages(report: Report) -> list[_Passage]:
    out: list[_Passage] = []
    for section in report.sections:
        for para in section.paragraphs:
            out.append(_Passage(len(out), para, section, fold(para.text).lower()))
    return out


def match_passages(
    old: Report, new: Report, options: CompareOptions
) -> tuple[list[_Passage], list[_Passage], dict[int, tuple[int, float]]]:
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
    rest_old = [p for p in olds if p.index not in pairs and len(p.key.split()) >= MIN_FUZZY_WORDS]
    rest_new = [p for p in news if p.index not in taken and len(p.key.split()) >= MIN_FUZZY_WORDS]
    if rest_old and rest_new:
        for i, j, score in _fuzzy_pairs(rest_old, rest_new, options.match_cutoff):
            if i not in pairs and j not in taken:
                pairs[i] = (j, score)
                taken.add(j)
    return olds, news, pairs


def _fuzzy_pairs(
    rest_old: list[_Passage], rest_new: list[_Passage], cutoff: float
) -> list[tuple[int, int, float]]:
    """Candidate (old index, new index, score) pairs at or above `cutoff`, best first."""
    found: list[tuple[float, int, int]] = []
    if len(rest_old) * len(rest_new) <= CDIST_MAX_PAIRS:
        matrix = process.cdist(
            [p.key for p in rest_old],
            [p.key for p in rest_new],
            scorer=fuzz.ratio,
            score_cutoff=cutoff,
            workers=-1,
        )
        for a, b in zip(*np.nonzero(matrix), strict=True):
            found.append((float(matrix[a, b]), rest_old[a].index, rest_new[b].index))
    else:
        for a, b in _shingle_candidates(rest_old, rest_new):
            score = fuzz.ratio(rest_old[a].key, rest_new[b].key, score_cutoff=cutoff)
            if score:
                found.append((score, rest_old[a].index, rest_new[b].index))
    found.sort(key=lambda t: (-t[0], t[1], t[2]))
    return [(i, j, round(s, 1)) for s, i, j in found]


def _shingles(key: str) -> set[str]:
    words = key.split()
    return {" ".join(words[k : k + 3]) for k in range(len(words) - 2)}


def _shingle_candidates(rest_old: list[_Passage], rest_new: list[_Passage]) -> set[tuple[int, int]]:
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


def _vocab_vectors(sections: list[Section], vocab: dict[str, int]) -> np.ndarray:
    """Word counts of each section over `vocab`."""
    matrix = np.zeros((len(sections), max(1, len(vocab))), dtype=np.float32)
    for r, s in enumerate(sections):
        for w, n in Counter(_content_words(s.text)).items():
            if w in vocab:
                matrix[r, vocab[w]] = n
    return matrix


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return np.asarray(matrix / norms)


def _subtrees(sections: list[Section]) -> np.ndarray:
    """Matrix M with M[a, b] = 1 when section b is section a or inside it (by heading levels)."""
    n = len(sections)
    tree = np.eye(n, dtype=np.float32)
    for a in range(n):
        for b in range(a + 1, n):
            if sections[b].level <= sections[a].level or (sections[a].level == 1 and not sections[a].heading):
                break
            tree[a, b] = 1.0
    return tree


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in _STOPWORDS]


def align_sections(
    old: Report,
    new: Report,
    olds: list[_Passage],
    news: list[_Passage],
    pairs: dict[int, tuple[int, float]],
    options: CompareOptions,
) -> list[SectionPair]:
    """Pair the sections of `old` and `new` by shared passages, heading, topic and vocabulary."""
    os_, ns = list(old.sections), list(new.sections)
    o_pos = {s.id: k for k, s in enumerate(os_)}
    n_pos = {s.id: k for k, s in enumerate(ns)}
    shared = np.zeros((len(os_), len(ns)), dtype=np.float32)
    for i, (j, _) in pairs.items():
        po, pn = olds[i], news[j]
        shared[o_pos[po.section.id], n_pos[pn.section.id]] += min(po.para.n_words, pn.para.n_words)
    # A section stands for its whole subtree: an outline heading ("Section 7. Worker Rights")
    # holds the text of its subsections, so it pairs with where that text went.
    o_tree, n_tree = _subtrees(os_), _subtrees(ns)
    shared = o_tree @ shared @ n_tree.T
    o_words = o_tree @ np.array([s.n_words for s in os_], dtype=np.float32)
    n_words = n_tree @ np.array([s.n_words for s in ns], dtype=np.float32)
    o_words, n_words = np.maximum(o_words, 1), np.maximum(n_words, 1)
    content = 100 * 2 * shared / (o_words[:, None] + n_words[None, :])
    words = Counter(w for s in os_ + ns for w in set(_content_words(s.text)))
    vocab = {w: k for k, w in enumerate(sorted(w for w, n in words.items() if n >= 2))}
    cosine = 100 * (
        _normalise(o_tree @ _vocab_vectors(os_, vocab)) @ _normalise(n_tree @ _vocab_vectors(ns, vocab)).T
    )
    o_head = [clean_heading(s.heading) for s in os_]
    n_head = [clean_heading(s.heading) for s in ns]
    heading = np.asarray(
        process.cdist(o_head, n_head, scorer=fuzz.token_sort_ratio, workers=-1), dtype=np.float32
    )
    for a in range(len(os_)):
        for b in range(len(ns)):
            if os_[a].level == ns[b].level == 1:
                heading[a, b] = 100.0  # a title or untitled opening answers the other's
    topic = np.array(
        [[100.0 if s.topic and s.topic == t.topic else 0.0 for t in ns] for s in os_], dtype=np.float32
    ).reshape(len(os_), len(ns))
    described = 0.35 * heading + 0.30 * topic + 0.35 * cosine
    # Outline headings without text of their own: heading and topic are all there is.
    empty = (o_words[:, None] <= 1) | (n_words[None, :] <= 1)
    described = np.where(empty, 0.55 * heading + 0.45 * topic, described)
    score = np.maximum(content, described)
    order = sorted(
        (
            (float(score[x, y]), int(x), int(y))
            for x, y in zip(*np.nonzero(score >= options.section_cutoff), strict=True)
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    o_used: dict[int, int] = {}
    n_used: dict[int, int] = {}
    chosen: list[tuple[int, int, float]] = []
    for value, a, b in order:
        if a in o_used or b in n_used:
            continue
        o_used[a], n_used[b] = b, a
        chosen.append((a, b, value))
    # Splits and merges: a section whose text went largely to a second section pairs with it too.
    for a_, b_ in zip(*np.nonzero((content >= SPLIT_OVERLAP) & (described >= SPLIT_DESCRIBED)), strict=True):
        a, b = int(a_), int(b_)
        partner_new, partner_old = o_used.get(a), n_used.get(b)
        aggregate = (partner_new is not None and n_tree[b, partner_new] > 0) or (
            partner_old is not None and o_tree[a, partner_old] > 0
        )
        if aggregate and heading[a, b] < 50 and topic[a, b] == 0:
            continue  # only the outline above a pair shares its text; that says nothing new
        if (a in o_used) != (b in n_used) and (a, b) not in {(x, y) for x, y, _ in chosen}:
            chosen.append((a, b, float(content[a, b])))
            o_used.setdefault(a, b)
            n_used.setdefault(b, a)
    out: list[SectionPair] = []
    for a, b, value in chosen:
        out.append(SectionPair("matched", os_[a], ns[b], round(value, 1), ns[b].topic or os_[a].topic))
    for a, sec in enumerate(os_):
        if a not in o_used and (sec.paragraphs or sec.heading):
            out.append(SectionPair("removed", sec, None, 0.0, sec.topic))
    for b, sec in enumerate(ns):
        if b not in n_used and (sec.paragraphs or sec.heading):
            out.append(SectionPair("added", None, sec, 0.0, sec.topic))

    # Order as a reader expects: by the new report; a removed section right after the new
    # place of the old section that preceded it.
    def key(p: SectionPair) -> tuple[float, int]:
        if p.new is not None:
            return (float(n_pos[p.new.id]), 0)
        assert p.old is not None
        a = o_pos[p.old.id]
        before = [o_used[k] for k in range(a) if k in o_used]
        return ((max(before) if before else -1) + 0.5, a)

    out.sort(key=key)
    return out


def classify_passages(
    olds: list[_Passage],
    news: list[_Passage],
    pairs: dict[int, tuple[int, float]],
    sections: list[SectionPair],
) -> list[tuple[PassageStatus, _Passage | None, _Passage | None, float]]:
    """Say for each passage whether it is unchanged, modified, moved, added or removed."""
    related = _relation(olds, news, sections)
    in_place: list[tuple[int, int]] = []
    for i, (j, _) in sorted(pairs.items()):
        if related(olds[i].section.id, news[j].section.id):
            in_place.append((i, j))
    keep = _increasing(in_place)
    out: list[tuple[PassageStatus, _Passage | None, _Passage | None, float]] = []
    for i, (j, score) in sorted(pairs.items(), key=lambda kv: kv[1][0]):
        a, b = olds[i], news[j]
        if (i, j) in keep:
            status: PassageStatus = "unchanged" if a.key == b.key else "modified"
        else:
            status = "moved"
        out.append((status, a, b, score))
    matched_new = {j for j, _ in pairs.values()}
    for b in news:
        if b.index not in matched_new:
            out.append(("added", None, b, 0.0))
    for a in olds:
        if a.index not in pairs:
            out.append(("removed", a, None, 0.0))
    return out


def _relation(olds: list[_Passage], news: list[_Passage], sections: list[SectionPair]):  # type: ignore[no-untyped-def]
    """A test of whether an old and a new section id are the same place in the outline.

    They are when the sections pair, or one of them pairs with the other's parent: text of an
    undivided section that now sits in a new subsection has not moved.
    """
    paired = {(p.old.id, p.new.id) for p in sections if p.old is not None and p.new is not None}
    o_up = _ancestors([p.section for p in olds])
    n_up = _ancestors([p.section for p in news])

    def related(a: str, b: str) -> bool:
        return any((a, up) in paired for up in n_up.get(b, [b])) or any(
            (up, b) in paired for up in o_up.get(a, [a])
        )

    return related


def match_leftover_sentences(
    classified: list[tuple[PassageStatus, _Passage | None, _Passage | None, float]],
    olds: list[_Passage],
    news: list[_Passage],
    sections: list[SectionPair],
    options: CompareOptions,
) -> list[tuple[PassageStatus, _Passage | None, _Passage | None, float]]:
    """Find sentences of removed paragraphs again in added paragraphs.

    Reports are rewritten by merging and splitting paragraphs; a sentence that survived such a
    rewrite is then no longer "removed" with the rest: it is unchanged, modified or moved, and
    the sentences around it stay removed or added.
    """
    removed = [a for st, a, b, _ in classified if st == "removed" and a is not None]
    added = [b for st, a, b, _ in classified if st == "added" and b is not None]
    if not removed or not added:
        return classified
    o_sents = [(p, k, st) for p in removed for k, st in enumerate(p.para.sentences)]
    n_sents = [(p, k, st) for p in added for k, st in enumerate(p.para.sentences)]
    o_keys = [fold(st.text).lower() for _, _, st in o_sents]
    n_keys = [fold(st.text).lower() for _, _, st in n_sents]
    o_ok = [a for a, key in enumerate(o_keys) if len(key.split()) >= MIN_FUZZY_WORDS]
    n_ok = [b for b, key in enumerate(n_keys) if len(key.split()) >= MIN_FUZZY_WORDS]
    if not o_ok or not n_ok:
        return classified
    fake_old = [_Passage(a, o_sents[a][0].para, o_sents[a][0].section, o_keys[a]) for a in o_ok]
    fake_new = [_Passage(b, n_sents[b][0].para, n_sents[b][0].section, n_keys[b]) for b in n_ok]
    chosen: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    for a, b, score in _fuzzy_pairs(fake_old, fake_new, options.match_cutoff + 5):
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
        if not (item[0] == "removed" and item[1] is not None and item[1].index in touched_old)
        and not (item[0] == "added" and item[2] is not None and item[2].index in touched_new)
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
        out.append((status, old_piece, new_piece, score))
    matched_o = {(o_sents[a][0].index, o_sents[a][1]) for a in chosen}
    matched_n = {(n_sents[b][0].index, n_sents[b][1]) for b, _ in chosen.values()}
    for p in removed:
        if p.index in touched_old:
            for run in _runs(len(p.para.sentences), {k for i, k in matched_o if i == p.index}):
                out.append(("removed", _piece(p, run), None, 0.0))
    for p in added:
        if p.index in touched_new:
            for run in _runs(len(p.para.sentences), {k for i, k in matched_n if i == p.index}):
                out.append(("added", None, _piece(p, run), 0.0))
    return out


def _piece(passage: _Passage, idx: list[int]) -> _Passage:
    """The sentences `idx` of `passage`, as a passage of their own."""
    para = _sub(passage.para, passage.para.sentences, idx)
    assert para is not None
    return _Passage(passage.index, para, passage.section, fold(para.text).lower())


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
    import bisect

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


def refine_sentences(
    old: Paragraph, new: Paragraph, cutoff: float
) -> list[tuple[PassageStatus, Paragraph | None, Paragraph | None, float]]:
    """Split a modified paragraph pair into sentence-level passages.

    Identical sentences are unchanged, sentences edited in place are modified, the rest added
    or removed; runs of the same status merge into one passage. A figure that changed in one
    sentence is then one small modified passage, and the sentences around it stay unchanged.
    """
    import difflib

    o_sents, n_sents = old.sentences, new.sentences
    o_keys = [fold(s.text).lower() for s in o_sents]
    n_keys = [fold(s.text).lower() for s in n_sents]
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
    out: list[tuple[PassageStatus, Paragraph | None, Paragraph | None, float]] = []
    for status, oi, ni, score in merged:
        out.append((status, _sub(old, o_sents, oi), _sub(new, n_sents, ni), score))
    return out


def _sub(para: Paragraph, sentences: tuple[Sentence, ...], idx: list[int]) -> Paragraph | None:
    """The part of `para` made of the sentences `idx` (consecutive), as a passage."""
    if not idx:
        return None
    first, last = sentences[idx[0]], sentences[idx[-1]]
    a, b = first.start - para.start, last.end - para.start
    return Paragraph(f"{para.id}.{idx[0] + 1}", para.text[a:b], first.start, last.end, ())
