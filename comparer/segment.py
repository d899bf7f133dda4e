"""Stage 3, segment: cleaned blocks become a heading tree of sections, paragraphs, sentences.

Headings come from markup where the source has it (HTML h1-h6, Markdown #), else from the
text: numbered and lettered headings ("Section 1.", "e.") and short non-sentences followed by
prose. Levels follow numbering ("Section 1." > "e." > an unnumbered heading inside it),
markup, and grouping (a heading directly followed by another heading is its parent).
Footnote markers glued to sentence ends ("supply.1") stay in the text as written; each paragraph
lists its markers (`Paragraph.footnotes`), and matching, diffing and sentences skip them.
Sentences come from a real splitter (syntok), which survives "No. 14", "U.S." and "Jan. 5".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from comparer.clean import is_sentence_like
from comparer.layout import _NUMBERED_HEADING
from comparer.model import Block, Paragraph, Removed, Section
from comparer.textnorm import footnote_spans, match_key, prose_end

_SECTION_NUM = re.compile(r"^(Section|SECTION|Part|PART|Chapter|CHAPTER)\s+[0-9IVX]+\b")
_LETTER_NUM = re.compile(r"^(?:[a-k]|[A-H]|[IVX]{1,4}|\d{1,2})\.\s")
_SUBTITLE = re.compile(r"\b(?:1[89]|20)\d{2}\b|\breports?\b|\bbureau\b|\bevents of\b", re.IGNORECASE)
_MAX_HEADING_WORDS = 14
_SEP = "\n\n"


@dataclass(slots=True)
class _Heading:
    text: str
    rank: float
    level: int = 0


def segment_blocks(
    blocks: tuple[Block, ...], toc: frozenset[str]
) -> tuple[str, tuple[Section, ...], tuple[Removed, ...]]:
    """Build the document text, its sections and its removed spans from cleaned `blocks`."""
    kept = [i for i, b in enumerate(blocks) if b.removed is None]
    heading_at = _find_headings(blocks, kept, toc)
    parts: list[str] = []
    removed: list[Removed] = []
    pos = 0
    spans: dict[int, tuple[int, int, str, tuple[str, ...]]] = {}
    for i, block in enumerate(blocks):
        text = block.text
        if parts:
            pos += len(_SEP)
        start, end = pos, pos + len(text)
        parts.append(text)
        pos = end
        if block.removed:
            removed.append(Removed(text, block.removed, start, end))
        else:
            markers = () if i in heading_at else tuple(text[a:b] for a, b in footnote_spans(text))
            spans[i] = (start, end, text, markers)
    doc = _SEP.join(parts)
    sections = _build_sections(kept, heading_at, spans)
    return doc, sections, tuple(removed)


def _is_heading_text(text: str) -> bool:
    """Return whether `text` is shaped like an unnumbered heading."""
    words = text.split()
    if not words or len(words) > _MAX_HEADING_WORDS or len(text) > 120:
        return False
    if prose_end(text).endswith((".", ",", ";", ":", "!", "?")) or "; " in text:
        return False
    if not (text[:1].isupper() or text[:1].isdigit() or text[:1] in '\u201c"('):
        return False
    return any(c.isalpha() for c in text)


def _is_numbered_heading(text: str) -> bool:
    """Return whether `text` is a numbered or lettered heading ("Section 2.", "c. Torture")."""
    if not _NUMBERED_HEADING.match(text) or len(text.split()) > 25:
        return False
    if re.search(r"[a-z]\.\s+[A-Z]", text[3:]):
        return False  # a sentence ends inside: a numbered paragraph, not a heading
    return not prose_end(text).endswith((".", ";", ","))


def _find_headings(blocks: tuple[Block, ...], kept: list[int], toc: frozenset[str]) -> dict[int, _Heading]:
    """Decide which kept blocks are headings and give each its level."""
    found: dict[int, _Heading] = {}
    first_body = next((i for i in kept if is_sentence_like(blocks[i].text)), None)
    # Where the source marks its headings (HTML, Markdown), the markup alone decides.
    marked = sum(1 for i in kept if blocks[i].kind == "heading") >= 3
    # ... except a block numbered like the marked headings ("Section 4 ..." among marked
    # "Section 1" to "Section 6"), which the markup missed: it takes their level.
    siblings = {
        m.group(1): blocks[i].level
        for i in kept
        if blocks[i].kind == "heading" and (m := _SECTION_NUM.match(blocks[i].text))
    }
    for n, i in enumerate(kept):
        block = blocks[i]
        nxt = blocks[kept[n + 1]] if n + 1 < len(kept) else None
        text = block.text
        sibling = _SECTION_NUM.match(text) if marked and block.kind == "para" and nxt is not None else None
        if sibling and sibling.group(1) in siblings and _is_numbered_heading(text):
            found[i] = _Heading(text, rank=siblings[sibling.group(1)] * 10 + _numbering_rank(text))
            continue
        if marked and block.kind != "heading" and match_key(text) not in toc:
            continue
        if block.kind == "heading":
            found[i] = _Heading(text, rank=block.level * 10 + _numbering_rank(text))
        elif block.kind == "item":
            continue
        elif _is_numbered_heading(text) and nxt is not None:
            found[i] = _Heading(text, rank=_numbering_rank(text))
        elif match_key(text) in toc or (
            _is_heading_text(text)
            and nxt is not None
            and (
                nxt.kind == "heading"
                or _is_heading_text(nxt.text)
                or _is_numbered_heading(nxt.text)
                or len(nxt.text.split()) > len(text.split()) + 3
            )
        ):
            found[i] = _Heading(text, rank=2)
    # The title: a heading before the body that opens the document; subtitles become text.
    # Later head lines are subtitles (kept as text) unless they lead straight into the body.
    head = [i for i in kept if first_body is None or i < first_body]
    top_markup = min((blocks[i].level for i in kept if blocks[i].kind == "heading"), default=0)
    if (
        head
        and head[0] in found
        and blocks[head[0]].kind == "heading"
        and blocks[head[0]].level == top_markup
    ):
        found[head[0]].rank = -1
    elif head and head[0] in found and blocks[head[0]].kind != "heading":
        found[head[0]].rank = -1
        for i in head[1:]:
            if i not in found or _is_numbered_heading(blocks[i].text):
                continue
            at = kept.index(i)  # only head blocks: few
            nxt_i = kept[at + 1] if at + 1 < len(kept) else None
            if _SUBTITLE.search(blocks[i].text) or nxt_i != first_body:
                del found[i]
    _assign_levels(found, kept)
    return found


def _numbering_rank(text: str) -> float:
    """Rank of a heading by its numbering: Section/Part 0, lettered 1, unnumbered 2."""
    if _SECTION_NUM.match(text):
        return 0
    if _LETTER_NUM.match(text):
        return 1
    return 2


def _assign_levels(found: dict[int, _Heading], kept: list[int]) -> None:
    """Give each heading a level from its rank, with a stack like an outline."""
    order = [i for i in kept if i in found]
    position = {i: k for k, i in enumerate(kept)}
    # A heading directly followed by another heading of the same rank is a group heading:
    # the headings after it (until a lower rank) are its children.
    group_rank: float | None = None
    for n, i in enumerate(order):
        h = found[i]
        if group_rank is not None and h.rank < group_rank:
            group_rank = None
        if group_rank is not None and h.rank == group_rank:
            h.rank = group_rank + 0.5
        pos = position[i]
        nxt = kept[pos + 1] if pos + 1 < len(kept) else None
        if (
            group_rank is None
            and h.rank >= 2
            and h.rank % 10 == 2
            and nxt in found
            and found[nxt].rank == h.rank
            and n + 1 < len(order)
        ):
            group_rank = h.rank
    # Without a title the opening text stands in for it at level 1, so chapter headings are
    # level 2 whether or not a page kept its title.
    base = 1 if any(found[i].rank < 0 for i in order) else 2
    stack: list[_Heading] = []
    for i in order:
        h = found[i]
        while stack and stack[-1].rank >= h.rank:
            stack.pop()
        h.level = len(stack) + base
        stack.append(h)


def _build_sections(
    kept: list[int],
    heading_at: dict[int, _Heading],
    spans: dict[int, tuple[int, int, str, tuple[str, ...]]],
) -> tuple[Section, ...]:
    """Group kept blocks under their headings into sections with paragraphs and sentences."""
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    current: _Heading | None = None
    cur_start = 0
    paras: list[Paragraph] = []

    def close(end: int) -> None:
        sid = f"s{len(sections)}"
        if current is None and not paras:
            return
        heading = current.text if current else ""
        level = current.level if current else 1
        numbered = tuple(
            Paragraph(f"{sid}.p{k + 1}", p.text, p.start, p.end, p.footnotes) for k, p in enumerate(paras)
        )
        sections.append(Section(sid, heading, level, tuple(t for _, t in path), numbered, cur_start, end))

    last_end = 0
    for i in kept:
        start, end, text, markers = spans[i]
        if i in heading_at:
            close(last_end)
            current = heading_at[i]
            while path and path[-1][0] >= current.level:
                path.pop()
            path.append((current.level, current.text))
            cur_start, paras = start, []
        else:
            if not paras and current is None:
                cur_start = start
            paras.append(Paragraph("", text, start, end, markers))
        last_end = end
    close(last_end)
    return tuple(sections)
