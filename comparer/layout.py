"""Plain-text layout: lines become blocks.

Three shapes of real report text are handled here:
- one paragraph or heading per line (web pages saved as text);
- hard-wrapped lines at ~50-90 columns with no blank line between paragraphs (PDF dumps):
  lines are re-joined by what their length and ending say, and a numbered heading wrapped
  over two lines is one heading;
- a page flattened into one line, headings glued to the next sentence ("TreatmentNorth
  Korean"): the line is split where a word ends and the next begins without a space.
Page furniture (running headers, page numbers) is found by repetition and kept apart.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from comparer.model import Block
from comparer.textnorm import NOT_WORD_CHARS, clean_display

_NUMBERED_HEADING = re.compile(
    r"^(?:(?:Section|SECTION|Part|PART|Chapter|CHAPTER)\s+[0-9IVX]+\b[.:]?|[a-k]\.|[A-H]\.|[IVX]{1,4}\.|\d{1,2}\.)\s+[A-Z\u201c\"]"
)
_DIGIT_NUMBERED = re.compile(r"^\d{1,2}\.\s")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_ITEM = re.compile(r"^\s*(?:[-*+\u2022]|\d{1,3}[.)])\s+")
_TERMINAL = tuple('.?!:;\u201d"\u2019)')
_FUNCTION_WORDS = frozenset(
    "a an and the of or for to in on at by with from into against towards toward including its "
    "their his her nor but as ".split()
)
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.IGNORECASE)
_UPPER = "A-Z\u00c0-\u00de"
_LOWER = "a-z\u00df-\u00ff"
_CAPS_RUN = rf"[{_UPPER}]{{4,}}|[{_UPPER}]{{2,}} [{_UPPER}]{{2,}}"  # an ALL-CAPS heading starts
# Glue points: where a flattened page joined two blocks without a space. Each kind of point
# says what ended on its left, which decides what the left piece must look like (`_accept`).
_GLUE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # a sentence, label or link list ended: "year.The", "In:Available", "Chapter >>There";
    # a quote only where it closes ("said."The"), never an opening one ("the "Shouters") nor
    # an apostrophe ("PEOPLE\u2019S REPUBLIC")
    (
        "punct",
        re.compile(
            rf"(?:(?<=[0-9.?!)>:])|(?<=\S[\u201d\"])|(?<=\S\u2019)(?![A-Za-z]\b))(?=[{_UPPER}][{_LOWER} ]|{_CAPS_RUN})"
        ),
    ),
    # a word ended and a capitalised one began: "TreatmentNorth Korean"; or an acronym that
    # opens a sentence: "Prolonged Detention without ChargesUN human rights bodies"
    (
        "case",
        re.compile(rf"(?<=[^\W\d_{_UPPER}])(?=[{_UPPER}][{_LOWER} ]|[{_UPPER}]{{2,3}}s? [{_LOWER}])"),
    ),  # any caseless letter too
    # an ALL-CAPS heading began after a word, or ended before a sentence:
    # "CommunityHUMAN RIGHTS DEVELOPMENTSThe"
    ("caps", re.compile(rf"(?<=[{_LOWER}])(?={_CAPS_RUN})")),
    ("caps", re.compile(rf"(?<=[{_UPPER}]{{3}})(?=[{_UPPER}][{_LOWER}]|[AI] [{_LOWER}])")),
)
# A list bullet glued to what came before: a bullet sign or icon (a private-use glyph), or the
# glyph name a PDF converter wrote for one ("prisoners of conscience./square6 On 24 January").
_GLUED_BULLET = re.compile(rf"(?<=[^\s{NOT_WORD_CHARS}])(?=(?:[\u2022\u2023{NOT_WORD_CHARS}]|/[a-z]{{3,}}\d*)\s+[A-Z\u201c\"])")
# A parenthesis that opens a line of its own, glued to the word before: "Ali Khamenei(Leader of".
_GLUED_PAREN = re.compile(rf"(?<=[^\W\d_])(?=\((?:[A-Z][a-z]|{_CAPS_RUN}))")
# A lettered heading glued after a sentence end, or after the quote closing one: "not
# guilty.b. Disappearance", "of Gaza.\u201de. Instances".
_GLUED_LETTERED = re.compile(r"(?:(?<=[a-z0-9.)/][.:)])|(?<=[.?!][\u201d\u2019\"]))(?=[a-k]\. [A-Z])")
# The same in capitals, as a page that writes its headings in capitals has it: "during the
# year.B. DISAPPEARANCE", "INCLUDING FREEDOM FROM:A. ARBITRARY"; the heading's first word is
# in capitals too, which no initial before a name ("year.J. Smith") has.
_GLUED_CAPS_LETTERED = re.compile(
    rf"(?:(?<=[a-z0-9)/][.:)])|(?<=[{_UPPER}]:)|(?<=[.?!][\u201d\u2019\"]))(?=[A-K]\. [{_UPPER}]{{3}})"
)
# Where any of the glue points above can be, and far fewer places than every position: each
# point has a non-space before it and a capital, "(", "/" or a bullet sign after it, or a
# lettered heading's letter after punctuation. Scanning once for these and testing the exact
# patterns only there is what keeps a long flattened page fast (the patterns open with a
# lookbehind, so a scan of its own tries each of them at every position).
_GLUE_CANDIDATE = re.compile(
    rf"\S(?=[{_UPPER}(/\u2022\u2023{NOT_WORD_CHARS}])|[.:)\u201d\u2019\"](?=[a-k])|[a-z](?=[a-k]\. [A-Z])"
)
# A lettered heading glued to the word before it: "Resettlementd. Acts of Antisemitism". Only
# where the word is one the document writes and the word with the letter is not (`_accept`):
# "arrested. The" is no "arreste" + "d. The".
_GLUED_LETTER_TO_WORD = re.compile(r"(?<=[a-z])(?=[a-k]\. [A-Z])")
# The glue patterns in the order that names a point's kind: the first that matches decides.
_POINT_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("punct", _GLUED_LETTERED),
    ("punct", _GLUED_CAPS_LETTERED),
    ("letter", _GLUED_LETTER_TO_WORD),
    ("punct", _GLUED_BULLET),
    ("punct", _GLUED_PAREN),
    *_GLUE_KINDS,
)
# "Section 1. Respect for the Integrity of the Persona. Arbitrary ...": a section heading runs
# straight into its first subsection, "a."; its number has a dot or not ("Section 6 Worker Rightsa.").
_SECTION_THEN_A = re.compile(r"^(?:Section|Part|Chapter) \d+\.?\s[^.]{3,120}?[a-z](?=a\. [A-Z])")
# The same in capitals: "SECTION 1. RESPECT FOR THE INTEGRITY OF THE PERSONA. ARBITRARY ...".
# Where the heading's last word ends in "A" itself, only the document's words tell: "PERSONA"
# is "PERSON" + "A." when the document writes "persona" nowhere else, or "person" more often
# (`_section_end`).
_CAPS_SECTION_THEN_A = re.compile(
    rf"^(?:SECTION|PART|CHAPTER) \d+\.?\s[^.{_LOWER}]{{3,120}}?[{_UPPER}](?=A\. [{_UPPER}]{{3}})"
)
# Invisible marks, which display text drops, and no-break or thin spaces, which it writes as
# spaces (regexes: far faster than str.translate over every character)
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]+")
_NARROW_SPACES = re.compile("[\u00a0\u2007\u2009\u202f]")
_GLUE_MIN_PER_10K = 3.0  # accepted glue points per 10,000 characters that mark a flattened page
_GLUE_MIN = 2  # ... and at least this many: one odd spelling never makes a page flattened
_FLAT_LINE = 60  # a line this long may be a flattened page: chrome runs are short, and what
# decides is how many glue points are accepted (`_GLUE_MIN`, `_GLUE_MIN_PER_10K`)
# What follows a sentence end (and its footnote marker), a "Section 1. Title" running into
# "a.", or a title-bar "|"; a lettered heading's own letter ("c. War Crimes") is no sentence end
_LAST_CLAUSE = re.compile(r"(?<=[a-z]{2}[.?!])\d{0,3}\s+(?=[A-Z])|(?<=[a-z])(?=a\. [A-Z])|\s+\|\s+")
_NUMBERED_HEADING_WORDS = 25  # numbered headings run longer ("Section 5. Governmental Posture ...")
_HEADING_WORDS = 14  # a left piece longer than this does not read as a heading
_COMMON = 3  # a word written apart this often starts a sentence, not a name
_LABEL_WORDS = 6  # a left piece this short is a label or menu entry ("Share this via Email")


def blocks_from_text(text: str, *, markdown: bool = False) -> list[Block]:
    """Lay out plain text or Markdown as blocks."""
    # Invisible marks (soft hyphens, zero-width spaces) are dropped from display text anyway,
    # and no-break spaces written as spaces; done first, they cannot change the line lengths
    # and patterns that decide hard-wrap re-joining.
    lines = _NARROW_SPACES.sub(" ", _INVISIBLE.sub("", text)).split("\n")
    furniture = _repeated_furniture(lines)
    return _reflow(lines, furniture, markdown=markdown)


def blocks_from_pages(pages: list[str]) -> list[Block]:
    """Lay out the text of PDF pages, dropping running headers, footers and page numbers."""
    page_lines = [[ln for ln in p.split("\n")] for p in pages]
    # A running head or foot keeps its edge: counted apart at the top and at the bottom, a
    # heading that happens to open one page and close another is not repeated furniture.
    counts: Counter[tuple[bool, str]] = Counter()
    for lines in page_lines:
        edge = [ln for ln in lines if ln.strip()]
        for at_top, edge_lines in ((True, edge[:3]), (False, edge[-3:])):
            for line in set(edge_lines):
                if len(line.split()) <= 10:  # furniture is short; body lines at a page edge are not
                    counts[(at_top, _furniture_key(line))] += 1
    repeated = {k for (_, k), n in counts.items() if n >= max(2, len(pages) * 0.3) and k}
    numbered = _self_numbered(page_lines)

    def running(page: int, line: str) -> bool:
        return _furniture_key(line) in repeated or (page, line) in numbered

    lines_out: list[str] = []
    furniture: dict[int, str] = {}
    # Pages whose paragraphs are set apart by blank lines show where a paragraph ends; at a
    # page break, a sentence end followed by a capital is then a paragraph end too.
    gaps = sum(1 for lines in page_lines for a, b in itertools.pairwise(lines) if a.strip() and not b.strip())
    spaced = gaps >= max(2, len(pages))
    previous = ""
    for page, lines in enumerate(page_lines):
        starts = next(
            (
                ln.strip()
                for ln in lines
                if ln.strip() and not running(page, ln) and not _PAGE_NUMBER.match(ln)
            ),
            "",
        )
        if spaced and previous.endswith((".", "?", "!", "\u201d", '"')) and starts[:1].isupper():
            lines_out.append("")
        content_lines = [
            ln for ln in lines if ln.strip() and not running(page, ln) and not _PAGE_NUMBER.match(ln)
        ]
        previous = content_lines[-1].strip() if content_lines else previous
        filled = [k for k, ln in enumerate(lines) if ln.strip()]
        top, bottom = set(filled[:3]), set(filled[-3:])
        marks: list[str | None] = []
        heads: set[tuple[bool, str]] = set()  # (at the top, wording) of the heads found on this page
        for k, line in enumerate(lines):
            head = (k in top, _furniture_key(line))
            if (k in top or k in bottom) and _PAGE_NUMBER.match(line):
                marks.append("page number")
            elif (k in top or k in bottom) and running(page, line) and head not in heads:
                # once at each edge: the title under a running head of its own words is text
                heads.add(head)
                marks.append("running header or footer")
            else:
                marks.append(None)
        content = [k for k, line in enumerate(lines) if line.strip() and marks[k] is None]
        first, last = (content[0], content[-1]) if content else (0, -1)
        for k, line in enumerate(lines):
            # Blank lines around the furniture at a page's edges are no paragraph break: a
            # paragraph may run on to the next page.
            if not line.strip() and not first < k < last:
                continue
            if marks[k]:
                furniture[len(lines_out)] = marks[k]  # type: ignore[assignment]
            lines_out.append(line)
    return _reflow(lines_out, furniture, markdown=False)


_EDGE_LINES = 2  # a running head carrying the page number is among this many lines at a page edge
_HEAD_WORDS = 10  # ... and this short


def _self_numbered(page_lines: list[list[str]]) -> set[tuple[int, str]]:
    """The running heads that carry their page's own number ("12  Annual Report", "Belarus  13").

    A book alternates its heads between even and odd pages, so each wording may be on too few
    pages to count as repeated; what they share is the number at one end, which runs with the
    page (the same offset from the page's place on at least two pages and 30 % of them).
    """
    found: list[tuple[int, str, int]] = []  # (page, line, offset of its number from the page's place)
    for page, lines in enumerate(page_lines):
        edge = [ln for ln in lines if ln.strip()]
        for line in dict.fromkeys(edge[:_EDGE_LINES] + edge[-_EDGE_LINES:]):
            words = line.split()
            if not 2 <= len(words) <= _HEAD_WORDS:
                continue
            for end in (words[0], words[-1]):
                if re.fullmatch(r"\d{1,4}", end):
                    found.append((page, line, int(end) - page))
    offsets = Counter(offset for _, offset in {(page, offset) for page, _, offset in found})  # once a page
    if not offsets:
        return set()
    offset, n = max(offsets.items(), key=lambda kv: (kv[1], -kv[0]))
    if n < max(2, 0.3 * len(page_lines)):
        return set()
    return {(page, line) for page, line, o in found if o == offset}


_EDGE_NUMBERS = re.compile(r"^\d{1,3}(?!\d)\s*|\s*\b\d{1,3}$")  # page numbers, not years


def _furniture_key(line: str) -> str:
    """Return `line` with digits masked, so "Page 3" and "Page 4" are the same furniture."""
    return re.sub(r"\d+", "#", line.strip())


def _repeated_furniture(lines: list[str]) -> dict[int, str]:
    """Find page furniture in a text dump: lone page numbers, short lines repeated 3+ times."""
    stripped = [clean_display(ln) for ln in lines]
    counts = Counter(s for s in stripped if s and len(s.split()) <= 6)
    # A running header carries the page number at one of its ends ("36 Amnesty International
    # Report 2013", "37Amnesty International Report 2013"): those lines count as one.
    edged = [_EDGE_NUMBERS.sub("", s) if len(s.split()) <= 8 else "" for s in stripped]
    edge_counts = Counter(e for e, s in zip(edged, stripped, strict=True) if e != s and len(e.split()) >= 2)
    out = _thumb_tabs(stripped)
    # A sentence that opens several paragraphs alike, wrapped after the same words each time
    # ("The law and unimplemented constitution prohibit" / "arbitrary arrest ..."), is no
    # running head: every time, it stops mid-phrase and the next line goes on with it.
    running_on = Counter(
        s
        for i, s in enumerate(stripped)
        if counts[s] >= 3 and _RUNS_ON.search(s) and i + 1 < len(stripped) and stripped[i + 1][:1].islower()
    )
    for i, s in enumerate(stripped):
        if not s or i in out:
            continue
        if _PAGE_NUMBER.match(s) and _isolated(stripped, i):
            out[i] = "page number"
        elif (
            (counts[s] >= 3 or edge_counts[edged[i]] >= 3)
            and not s.endswith(_TERMINAL)
            and not _NUMBERED_HEADING.match(s)
            and running_on[s] < counts[s]
        ):
            out[i] = "running header or footer"
    return out


_RUNS_ON = re.compile(r"(?:^|\s)[a-z][\w'\u2019-]*$|-$")  # a line ends in a word in lower case, or a hyphen


# A running head that starts with its page number and goes on in title case ("92 Amnesty
# International Report 2013"): a numbered heading has a dot after its number ("3. Torture").
_PAGE_HEAD = re.compile(rf"^\d{{1,3}}(?!\d)\s*(?:[{_UPPER}\d][^\s]*\s*){{2,6}}$")


def _thumb_tabs(stripped: list[str]) -> dict[int, str]:
    """Find thumb tabs: the initial of the document's title alone on a line, next to a page head.

    A printed annual report tabs each page with the initial of its chapter ("E" for ERITREA),
    and a text dump puts it beside the page's running head ("92 Amnesty International Report
    2013"). Such a head may be seen once, too few for repetition to tell it (`_repeated_furniture`),
    but a head beside its tab is furniture, and so is the tab.
    """
    title = next((s for s in stripped if s), "")
    out: dict[int, str] = {}
    if not title[:1].isupper():
        return out
    for i, s in enumerate(stripped):
        if s != title[0]:
            continue
        heads = [j for j in (i - 1, i + 1) if 0 <= j < len(stripped) and _is_page_head(stripped[j])]
        if heads:
            out[i] = "running header or footer"
            out.update({j: _head_reason(stripped[j]) for j in heads})
    return out


def _head_reason(line: str) -> str:
    return "page number" if _PAGE_NUMBER.match(line) else "running header or footer"


def _is_page_head(line: str) -> bool:
    """Return whether `line` is a page number alone, or one before a title-case running head."""
    return bool(_PAGE_NUMBER.match(line) or (_PAGE_HEAD.match(line) and not line.endswith(_TERMINAL)))


def _isolated(lines: list[str], i: int) -> bool:
    """Return whether line `i` stands alone: a page number between pages, not a table cell."""
    prev_num = i > 0 and bool(re.fullmatch(r"[\d.,%]+", lines[i - 1]))
    next_num = i + 1 < len(lines) and bool(re.fullmatch(r"[\d.,%]+", lines[i + 1]))
    return not (prev_num or next_num)


def _wrap_width(lines: list[str]) -> float | None:
    """Estimate the column at which a hard-wrapped text breaks its lines, or None."""
    lengths = sorted(len(ln.rstrip()) for ln in lines if ln.strip())
    if len(lengths) < 10:
        return None
    p90 = lengths[int(len(lengths) * 0.9)]
    if p90 > 140:
        return None  # one paragraph per line, not hard-wrapped
    full = sum(1 for n in lengths if n >= 0.75 * p90)
    return float(p90) if full >= 0.35 * len(lengths) else None


def _reflow(lines: list[str], furniture: dict[int, str], *, markdown: bool) -> list[Block]:
    """Group `lines` into blocks; `furniture` maps line numbers to the reason to drop them."""
    width = _wrap_width([ln for i, ln in enumerate(lines) if i not in furniture])
    head_width = _heading_width(lines, width)
    # Where blank lines set paragraphs apart, a short line that closes a paragraph right after
    # a full one is its last line, not a heading.
    filled = [bool(ln.strip()) for ln in lines]
    spaced = sum(1 for a, b in itertools.pairwise(filled) if a and not b) >= max(3, 0.1 * sum(filled))
    vocab = _vocabulary(lines) if width else Counter[str]()
    words = _standalone_words("\n".join(lines))
    blocks: list[Block] = []
    pieces: set[int] = set()  # the blocks cut from a flattened line, as `blocks` indexes
    pending_furniture: list[Block] = []
    current: list[str] = []
    current_kind = "para"
    current_level = 0

    def flush() -> None:
        nonlocal current, current_kind, current_level
        if current:
            text = clean_display(" ".join(current))
            if text:
                made = list(_finish_block(text, current_kind, current_level, words))
                if len(made) > 1:
                    pieces.update(range(len(blocks), len(blocks) + len(made)))
                blocks.extend(made)
        current, current_kind, current_level = [], "para", 0
        blocks.extend(pending_furniture)
        pending_furniture.clear()

    for i, raw in enumerate(lines):
        line = raw.rstrip()
        if i in furniture:
            text = clean_display(line)
            if text:
                pending_furniture.append(Block(text, "para", 0, furniture[i]))
            continue
        if not line.strip():
            flush()
            continue
        if markdown:
            md = _MD_HEADING.match(line)
            if md:
                flush()
                current, current_kind, current_level = [md.group(2)], "heading", len(md.group(1))
                flush()
                continue
            if _MD_ITEM.match(line):
                flush()
                current, current_kind = [_MD_ITEM.sub("", line, count=1)], "item"
                continue
        if not current:
            current = [line.strip()]
            continue
        prev = current[-1]
        closes = spaced and (i + 1 == len(lines) or not filled[i + 1])
        if _joins(prev, line.strip(), current, width, head_width) or (
            closes and width and len(prev) >= 0.8 * width and not _NUMBERED_HEADING.match(line.strip())
        ):
            if prev.endswith("-") and re.search(r"[a-z]-$", prev):
                current[-1] = _dehyphenate(prev, line.strip(), vocab)
                continue
            current.append(line.strip())
        else:
            flush()
            current = [line.strip()]
    flush()
    return _merge_fact_boxes(blocks, pieces)


def _joins(prev: str, nxt: str, current: list[str], width: float | None, head_width: float) -> bool:
    """Decide whether line `nxt` continues the block whose last line is `prev`."""
    if _NUMBERED_HEADING.match(nxt) and (not _DIGIT_NUMBERED.match(nxt) or prev.endswith(_TERMINAL)):
        return False
    first = current[0]
    if _NUMBERED_HEADING.match(first) and not _DIGIT_NUMBERED.match(first):
        return len(current) < 3 and _heading_continues(prev, nxt, head_width)
    if _is_caps_line(prev):
        return False
    # A short "Label: value" line is a line of its own (a fact box), unless it wrapped: it ends
    # inside a parenthesis, or the next line's first word would not have fitted on it in a
    # proportional font ("Cuba: Harassment - Edgard Lopez Moreno (AMR" / "25/005/2009)").
    if _LABEL_VALUE.match(prev) and len(prev) < 0.8 * (width or 80):
        wrapped = prev.count("(") > prev.count(")") or _did_not_fit(prev, nxt, width, _PROPORTIONAL_SLACK)
        if not wrapped:
            return False
    if (
        _LABEL_VALUE.match(nxt)
        and len(nxt) <= 90
        and (_LABEL_VALUE.match(prev) or len(prev) < 0.8 * (width or 80))
        and not _did_not_fit(prev, nxt, width)  # else wrapped
    ):
        return False
    if re.search(r"[a-z]-$", prev):
        return True
    if nxt[:1].islower() or nxt[:1].isdigit() or nxt[:2] in ("(a", "(i"):
        return not prev.endswith((".", "?", "!")) or bool(width and len(prev) >= 0.8 * width)
    if not width:
        # One paragraph per line; a single newline inside a paragraph is a soft wrap only
        # when the line stops mid-sentence.
        return not prev.endswith(_TERMINAL) and len(prev.split()) > 8 and prev[-1:].islower()
    if not prev.endswith(_TERMINAL):
        return len(prev) >= 0.6 * width
    if len(nxt) < 0.6 * width and not nxt.endswith(_TERMINAL) and len(nxt.split()) <= 12:
        return False  # a short line that ends nothing: a heading after a paragraph
    return len(prev) >= 0.8 * width


_PROPORTIONAL_SLACK = 0.9  # a proportional font's line holds this share of `width` characters at least


def _did_not_fit(prev: str, nxt: str, width: float | None, slack: float = 1.0) -> bool:
    """Whether the first word of `nxt` would not have fitted at the end of `prev` (hard-wrapped
    text at `width` columns, of which `slack` are sure to fit): then `prev` was wrapped there."""
    return bool(width and len(prev) + 1 + len(nxt.split()[0]) > slack * width)


def _is_caps_line(line: str) -> bool:
    """Return whether `line` is written in capitals, as titles in PDF dumps are."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _heading_continues(prev: str, nxt: str, head_width: float) -> bool:
    """Return whether `nxt` is the second line of the numbered heading `prev`."""
    if nxt.endswith((".", ";")) or len(nxt.split()) > 14:
        return False
    if nxt.endswith(":") and len(nxt.split()) > 3:  # a label line; "... Freedom / From:" wrapped
        return False
    last = prev.rstrip().split()[-1].lower().strip(",")
    if prev.endswith(",") or last in _FUNCTION_WORDS:
        return True
    if _justified(prev):  # set flush to both margins: the typesetter wrapped it
        return True
    if not nxt[:1].isupper():
        return False
    # Would the next word have fitted on the heading line? If not, the line was wrapped.
    return len(_one_spaced(prev)) + 1 + len(nxt.split()[0]) > head_width


_STRETCHED_GAP = re.compile(r"\S {2,}(?=\S)")  # a word gap widened by justification (PDF layout text)
_JUSTIFIED_GAPS = 3  # a line with this many word gaps, every one widened, was set justified


def _justified(line: str) -> bool:
    """Whether `line` was set justified: every gap between its words widened, as PDF layout
    text shows a line stretched to the margin. Only a paragraph's last line is not stretched,
    so such a line is always continued by the next."""
    gaps = len(re.findall(r" +", line.strip()))
    return gaps >= _JUSTIFIED_GAPS and len(_STRETCHED_GAP.findall(line)) == gaps


def _one_spaced(line: str) -> str:
    """`line` with its edges stripped and each run of spaces as one: its length in characters,
    whatever widening justification gave its word gaps."""
    return " ".join(line.split())


def _heading_width(lines: list[str], width: float | None) -> float:
    """Estimate the wrap column of headings from numbered headings that surely wrapped."""
    wrapped = [
        len(_one_spaced(ln))
        for ln in lines
        if _NUMBERED_HEADING.match(ln.strip()) and ln.rstrip().split()[-1].lower() in _FUNCTION_WORDS
    ]
    if wrapped:
        return max(wrapped) + 1.0
    return (width or 80.0) * 0.75


def _vocabulary(lines: list[str]) -> Counter[str]:
    """Lower-cased words and hyphenated compounds of the text, counted, to tell a word wrapped
    at a line-end hyphen from a hyphenated compound; a compound broken at its hyphen counts as
    written with it (a writer's hyphen it may be: "re-" / "education")."""
    out = Counter(w.lower() for ln in lines for w in _VOCAB_WORD.findall(ln))
    for prev, nxt in itertools.pairwise(lines):
        left = _LINE_END_PIECE.search(prev)
        right = _LINE_START_PIECE.match(nxt.lstrip()) if left else None
        if left and right:
            out[f"{left.group(1)}-{right.group(1)}".lower()] += 1
    return out


_LINE_END_PIECE = re.compile(r"([A-Za-z]+)-\s*$")
_LINE_START_PIECE = re.compile(r"([a-z]+)")
_VOCAB_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)+|[A-Za-z]{3,}")  # "re-education", "education"


def _dehyphenate(prev: str, nxt: str, vocab: Mapping[str, int]) -> str:
    """Join `prev` (ending in a hyphen) and `nxt`; drop the hyphen only if the text says so:
    the word is written whole more often than with its hyphen (this break counts as one)."""
    left = re.search(r"([A-Za-z]+)-$", prev)
    right = re.match(r"([a-z]+)", nxt)
    if left and right:
        whole = (left.group(1) + right.group(1)).lower()
        if vocab.get(whole, 0) > vocab.get(f"{left.group(1)}-{right.group(1)}".lower(), 0):
            return prev[:-1] + nxt
    return prev + nxt


def _finish_block(text: str, kind: str, level: int, vocab: Mapping[str, int]) -> Iterable[Block]:
    """Yield the block for `text`, splitting a flattened page into its pieces."""
    if kind == "para" and len(text) >= _FLAT_LINE:
        cuts = _glue_cuts(text, vocab)
        if len(cuts) >= _GLUE_MIN and len(cuts) * 10_000 / len(text) >= _GLUE_MIN_PER_10K:
            for piece in _split_at(text, cuts, vocab):
                yield Block(piece)
            return
    yield Block(text, kind, level)  # type: ignore[arg-type]


def unflatten(text: str, vocab: Mapping[str, int] | None = None) -> list[str]:
    """Split a flattened page at its glue points into paragraphs, headings and chrome pieces.

    `vocab` counts the document's own words (lower case, as written apart); by default `text`'s.
    """
    words = _standalone_words(text) if vocab is None else vocab
    return _split_at(text, _glue_cuts(text, words), words)


def _split_at(text: str, cuts: list[int], vocab: Mapping[str, int]) -> list[str]:
    pieces = [text[a:b].strip() for a, b in itertools.pairwise([0, *cuts, len(text)])]
    out: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        end = _section_end(piece, vocab)
        out += [piece[:end], piece[end:]] if end else [piece]
    return out


def _section_end(piece: str, vocab: Mapping[str, int]) -> int:
    """Where the section heading that opens `piece` ends, when its first subsection ("a.", or
    "A." in capitals) runs straight on from it; 0 when it does not."""
    m = _SECTION_THEN_A.match(piece)
    if m:
        return m.end()
    m = _CAPS_SECTION_THEN_A.match(piece)
    if m is None:
        return 0
    stem = re.search(rf"[{_UPPER}]+$", m.group(0))
    word = stem.group(0).lower() if stem else ""
    # the word with "A" written nowhere else, or its stem written more often
    with_a = vocab.get(word + "a", 0)
    return m.end() if with_a <= 1 or vocab.get(word, 0) > with_a else 0


def _glue_cuts(text: str, vocab: Mapping[str, int]) -> list[int]:
    """The glue points of `text` where a cut is accepted, in order."""
    found = _glue_points(text, vocab)
    cuts: list[int] = []
    start = 0
    points = sorted(found)
    letter = ""  # the letter of the last lettered heading cut off ("c" after "c. Freedom ...")
    for k, cut in enumerate(points):
        if (
            _accept(text, start, cut, found[cut], vocab)
            or _label_follows(text, points[k:], found, vocab)
            or (found[cut] == "letter" and _next_lettered(text, points[k:], letter))
        ):
            cuts.append(cut)
            start = cut
            if _LETTERED.match(text, cut):
                letter = text[cut]
            elif _SECTION_THEN_A.match(text, cut):
                letter = "a"
    return cuts


_LETTERED = re.compile(r"[a-k]\. [A-Z]")
_LETTERS_SKIPPED = 2  # a lettered heading follows the last one cut off, some letters (lost in between) skipped


def _next_lettered(text: str, points: list[int], letter: str) -> bool:
    """Whether a lettered heading glued to a word comes next after the last lettered heading cut
    off ("c. Freedom of Movement..." then "Resettlementd. Acts of Antisemitism"), and reads as one
    up to the next glue point: so it is cut when the word before is written nowhere else.
    """
    cut = points[0]
    if not letter or not 0 < ord(text[cut]) - ord(letter) <= _LETTERS_SKIPPED + 1:
        return False
    end = points[1] if len(points) > 1 else len(text)
    return _reads_as_heading(text[cut:end].strip())


def _glue_points(text: str, vocab: Mapping[str, int]) -> dict[int, str]:
    """Every glue point of `text` and its kind: "caps" inside a glued run of capitals, else the
    kind of the first of `_POINT_KINDS` that matches there."""
    found = dict.fromkeys(_caps_word_cuts(text, vocab), "caps")
    for candidate in _GLUE_CANDIDATE.finditer(text):
        point = candidate.end()
        if point in found:
            continue
        kind = next((kind for kind, pattern in _POINT_KINDS if pattern.match(text, point)), None)
        if kind is not None:
            found[point] = kind
    return found


def _caps_word_cuts(text: str, vocab: Mapping[str, int]) -> list[int]:
    """Where two capitalised words are glued into one ("BELARUSREPUBLIC OF BELARUS"): inside a
    run of capitals that the document never writes as a word, the one split whose halves are
    both words the document writes apart (`_caps_splits`)."""
    cuts: list[int] = []
    for m in _CAPS_WORD_RUN.finditer(text):
        # a run glued to a sentence ends before the sentence's capital ("PERSONSThe")
        end = m.end() - 1 if re.match(f"[{_LOWER}]", text[m.end() : m.end() + 1]) else m.end()
        run = text[m.start() : end]
        if len(run) < _CAPS_RUN_LETTERS or vocab.get(run.lower(), 0) >= 2:  # written so elsewhere too
            continue
        splits = _caps_splits(run, text[end : end + _NAMED_AGAIN_CHARS], vocab)
        splits = splits or _named_before(run, text[max(0, m.start() - _NAMED_AGAIN_CHARS) : m.start()])
        cuts += [m.start() + k for k in splits]
    return cuts


def _named_before(run: str, before: str) -> list[int]:
    """The split of a run of capitals whose right half is a word of the heading it ends, as a
    subheading repeats a word of its heading ("C. DISAPPEARANCE AND ABDUCTION" + "DISAPPEARANCE");
    only where one such split is."""
    found = re.search(rf"[{_UPPER}\u2019'.,:() -]*$", before)
    heading = found.group(0) if found else ""
    splits = [
        k for k in range(3, len(run) - 3) if re.search(rf"(?<![{_UPPER}]){run[k:]}(?![{_UPPER}])", heading)
    ]
    return splits if len(splits) == 1 else []


_CAPS_RUN_LETTERS = 6  # a run of capitals this long may be two words glued
_CAPS_WORD_RUN = re.compile(rf"(?<![{_UPPER}{_LOWER}])[{_UPPER}]{{{_CAPS_RUN_LETTERS},}}+")


def _caps_splits(run: str, after: str, vocab: Mapping[str, int], *, depth: int = 2) -> list[int]:
    """The one way to split the glued run of capitals `run` (followed by `after`) into words,
    as offsets; [] where there is none or more than one.

    One split: both halves are words the document writes apart, or the left is a name the
    heading after names again (`_named_again`), or a thumb tab of the name on its right
    (`_tab_then_name`). Failing that, three pieces: a word or thumb tab, then a run that splits
    in one way ("COL" + "COLOMBIA" + "REPUBLIC OF COLOMBIA").
    """
    splits = [k for k in range(3, len(run) - 2) if vocab.get(run[:k].lower(), 0) and vocab.get(run[k:].lower(), 0)]
    splits = splits or _named_again(run, after, vocab) or _tab_then_name(run, vocab)
    if splits:
        return splits if len(splits) == 1 else []
    if depth < 2:
        return []
    found = [
        [k] + [k + x for x in rest]
        for k in range(3, len(run) - 5)
        if vocab.get(run[:k].lower(), 0) or run[k:].startswith(run[:k])
        if (rest := _caps_splits(run[k:], after, vocab, depth=depth - 1))
    ]
    if found:
        return found[0] if len(found) == 1 else []
    return _tab_of_name_after(run, after) or _known_then_new(run, vocab)


_NAMED_AGAIN_CHARS = 80  # how far a heading glued to a short name may run before naming it again


def _named_again(run: str, after: str, vocab: Mapping[str, int]) -> list[int]:
    """Splits of a run of capitals after a word the document writes apart, where the heading
    that starts in the rest names that word again: a short name glued to a full one
    ("CUBAREPUBLIC OF CUBA", "IRANISLAMIC REPUBLIC OF IRAN"), or to a thumb tab that opens
    the full one ("KOREAK DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA": the rest may be one letter)."""
    found = re.match(rf"[{_UPPER}\u2019' ]*", after)
    heading = found.group(0) if found else ""  # its last word may run into the next block's
    return [
        k
        for k in range(3, len(run))
        if vocab.get(run[:k].lower(), 0) and re.search(rf"(?<![{_UPPER}]){run[:k]}", heading)
    ]


_TAB_LETTERS = 3  # a thumb tab abbreviates a country's name in three capitals ("BEL", "MYA")


def _tab_of_name_after(run: str, after: str) -> list[int]:
    """The split of a run of capitals after a thumb tab that is no word the document writes, where
    the tab opens a longer word of the heading that starts in the rest ("BELREPUBLIC OF BELARUS");
    tried last, when no split makes words the document writes. The run goes on otherwise than
    the word the tab opens: "ANTISEMITISM AND ANTISEMITIC" is one stem, no tab "ANT"."""
    found = re.match(rf"[{_UPPER}\u2019' ]*", after)
    heading = found.group(0) if found else ""
    tab = run[:_TAB_LETTERS]
    opens = re.search(rf"(?<![{_UPPER}]){tab}[{_UPPER}]{{3,}}", heading)
    stem = opens is not None and opens.group(0)[: _TAB_LETTERS + 1] == run[: _TAB_LETTERS + 1]
    return [_TAB_LETTERS] if opens and not stem and len(run) - _TAB_LETTERS >= 4 else []


_KNOWN_LETTERS = 5  # a heading's last word, glued to a word written nowhere, is this long at least
_NEW_LETTERS = 6  # ... and the word it is glued to


def _known_then_new(run: str, vocab: Mapping[str, int]) -> list[int]:
    """The split of a run of capitals into a word the document often writes and one it writes
    nowhere, as a title runs into the heading after it ("REPORT" + "EXECUTIVE SUMMARY"); tried
    last, and only where one such split is."""
    splits = [
        k
        for k in range(_KNOWN_LETTERS, len(run) - _NEW_LETTERS + 1)
        if vocab.get(run[:k].lower(), 0) >= _COMMON and not vocab.get(run[k:].lower(), 0)
    ]
    return splits if len(splits) == 1 else []


def _tab_then_name(run: str, vocab: Mapping[str, int]) -> list[int]:
    """Splits of a run of capitals into a thumb tab and the name it abbreviates: the rest is a
    word the document writes apart and starts with the tab ("BEL" + "BELARUS", "MYA" + "MYANMAR")."""
    return [k for k in range(3, len(run) - 2) if run[k:].startswith(run[:k]) and vocab.get(run[k:].lower(), 0)]


def _label_follows(text: str, points: list[int], found: dict[int, str], vocab: Mapping[str, int]) -> bool:
    """Whether a heading or menu label sits glued after a paragraph that did not end with a full
    stop ("...of associationEuropean UnionThe E.U.", "...to justiceDonate NowGet Updates").

    The piece from this glue point to the next must be a short label, followed by a sentence
    (a word the document often writes apart) or by a heading.
    """
    if len(points) < 2 or found[points[0]] == "punct" or _glued_name(text, points[0]):
        return False
    if not _is_label(text[points[0] : points[1]].strip()):
        return False
    right = re.match(rf"[{_UPPER}][{_LOWER}]*", text[points[1] :])
    if right is not None and vocab.get(right.group(0).lower(), 0) >= _COMMON:
        return True
    return len(points) >= 3 and _reads_as_heading(text[points[1] : points[2]].strip())


def _is_label(piece: str) -> bool:
    """Whether `piece` is a short label: no comma, no sentence end inside, read as a heading."""
    short = len(piece.split()) <= _LABEL_WORDS and "," not in piece and not re.search(r"[.?!]\s", piece)
    return short and _reads_as_heading(piece)


def _accept(text: str, start: int, cut: int, kind: str, vocab: Mapping[str, int]) -> bool:
    """Whether to cut `text` at `cut`: the left piece ends a sentence or reads as a heading."""
    left = text[start:cut].strip()
    if not left or _glued_name(text, cut, start):
        return False
    # A word the document writes apart elsewhere is one word here too ("SPDC continued").
    before = re.search(rf"[{_UPPER}{_LOWER}]+$", text[start:cut])
    after = re.match(rf"[{_UPPER}{_LOWER}]+", text[cut:])
    if before and after and vocab.get((before.group(0) + after.group(0)).lower(), 0) >= 2:
        return False
    if kind == "letter":  # the word before is the document's own, and one with the letter is not
        word = before.group(0).lower() if before else ""
        if not vocab.get(word, 0) or vocab.get(word + text[cut], 0) >= 2:
            return False
        kind = "punct"
    if kind == "punct" and _ends_sentence(left):
        return True
    # Only what follows the last sentence end can be a heading: "...Person a. Arbitrary Killings".
    # A list item's mark (a bullet or icon) changes nothing about how it reads, and an item
    # that closes its parenthesis is whole: "(ASA 24/001/2011)" ends the item, not a sentence.
    left, item = _ITEM_MARK.subn("", _LAST_CLAUSE.split(left)[-1], count=1)
    if kind == "punct" and item and left.endswith(")"):
        return True
    if kind == "case" and _sentence_case_heading(left, text[cut:], vocab):
        return True
    if not _reads_as_heading(left):
        return False
    if kind == "case":
        # Two capitalised halves ("MohammadBasteh") are a name unless the document writes the
        # right half as a word of its own, or the left piece is a numbered heading or a short
        # label. After a short half that was itself glued on ("EnforcementRos|Trud", where
        # "Ros" was kept to "Trud" as a name) only a word of the document's own is cut off.
        right = re.match(rf"[{_UPPER}][{_LOWER}]*", text[cut:])
        word = right.group(0).lower() if right else ""
        known = vocab.get(word, 0) >= 1 or word in _FUNCTION_WORDS
        if re.search(rf"[{_LOWER}][{_UPPER}][{_LOWER}]{{0,3}}$", text[max(0, cut - 40) : cut]):
            return known
        # A short word with a capital inside ("RosTrud") is a name, not a one-word label.
        fragment = len(left.split()) == 1 and len(left) <= 4
        label = not fragment and len(left.split()) <= _LABEL_WORDS and ("," not in left or _title_case(left))
        return known or label or bool(_NUMBERED_HEADING.match(left))
    return True


def _sentence_case_heading(left: str, right: str, vocab: Mapping[str, int]) -> bool:
    """Whether `left`, glued to a sentence that opens `right` with a word the document often
    writes apart ("...despite supposed demobilizationThe Organization"), is a heading written
    in sentence case: a short clause of words alone, capitalised, not stopping mid-phrase."""
    opener = re.match(rf"([{_UPPER}][{_LOWER}]*) ", right)
    if opener is None or vocab.get(opener.group(1).lower(), 0) < _COMMON:
        return False
    words = left.split()
    return (
        len(words) <= _HEADING_WORDS
        and left[:1].isupper()
        and re.fullmatch(rf"[{_UPPER}{_LOWER}\u2019' -]+", left) is not None
        and words[-1].lower() not in _FUNCTION_WORDS
        and not _glued_name(left, len(left))
    )


_ITEM_MARK = re.compile(rf"^[\u2022\u2023{NOT_WORD_CHARS}]\s*")  # a list item's bullet or icon


def _title_case(left: str) -> bool:
    """Whether every word of `left` but function words is capitalised ("Wage, Hour, and OSH Enforcement")."""
    return all(w[:1].isupper() for w in re.findall(r"[\w'-]+", left) if w.lower() not in _FUNCTION_WORDS)


def _glued_name(text: str, cut: int, start: int = 0) -> bool:
    """Whether the glue point at `cut` is inside a name that is written without a space; the
    name starts at `start` at the earliest, where the last cut was made ("2001" of a breadcrumb
    "Reports>2001" makes no name "2001FacebookTwitterEmail" of the share links after it)."""
    left = text[max(start, cut - 40) : cut]
    word = re.search(r"([A-Za-z]+)$", left)
    # Keep names like McDonald or MacArthur whole.
    if word and word.group(1) in ("Mc", "Mac", "De", "Le", "La", "Di", "Da", "Van", "O"):
        return True
    # "YouTube,", "TikTok.": two short halves followed by punctuation are a brand name (not an
    # ALL-CAPS heading before a word: "IRANIran\u2019s").
    brand = re.match(r"[A-Z][a-z]{1,3}(?=[,.;:)'\u2019])", text[cut:])
    if brand and word and len(word.group(1)) <= 4 and word.group(1)[:1].isupper() and not word.group(1).isupper():
        return True
    # "WhatsAppShare", "LinkedInShare": a short capitalised half glued on both sides ends a
    # brand whose first half is short too (not a heading's last word: "EnforcementRosTrud").
    half = re.search(r"[A-Z][a-z]*$", word.group(1)) if word else None
    if half and len(half.group(0)) <= 6 and re.match(r"[A-Z][a-z]{1,3}(?=[A-Z])", text[cut:]):
        return True
    # "Justicia 11J,", "14yMedio": digits glued to a letter are a name, unless a year ends
    # a heading ("Events of 2013A North") or an ALL-CAPS heading follows ("9 May 2008REPUBLIC OF").
    token = re.search(r"(\w+)$", left)
    right_word = re.match(r"[A-Z](?:[A-Z]+(?![a-z])|[a-z]*)", text[cut:])
    if token and token.group(1)[-1].isdigit() and right_word and len(right_word.group(0)) == 1:
        is_year = bool(re.fullmatch(r"(?:19|20)\d\d", token.group(1)))
        if not (is_year and right_word.group(0) in "AI"):
            return True
    return bool(token and re.search(r"\d", token.group(1)) and re.search(r"[A-Za-z]", token.group(1)))


def _ends_sentence(left: str) -> bool:
    """Whether `left` ends like a sentence, a label ("Available In:") or a link list (">>")."""
    return bool(re.search(r"(?:[.?!:>]|[.?!,][\u201d\u2019\")]+|[.?!]\d{1,3}|\d)$", left))


def _reads_as_heading(left: str) -> bool:
    """Whether `left` reads as a heading or label: short, capitalised, not stopping mid-phrase."""
    words = left.split()
    numbered = bool(_NUMBERED_HEADING.match(left))
    if len(words) > (_NUMBERED_HEADING_WORDS if numbered else _HEADING_WORDS):
        return False
    if not (left[:1].isupper() or left[:1].isdigit() or numbered):
        return False
    if left.endswith((",", ";")) or words[-1] in _FUNCTION_WORDS:  # "Available In" is a label
        return False
    if len(words) <= _LABEL_WORDS:
        return True
    content = [w for w in words if w.lower() not in _FUNCTION_WORDS]
    return sum(1 for w in content if w[:1].isupper() or w[:1].isdigit()) >= 0.6 * len(content)


_LETTERS = re.compile(rf"[{_UPPER}{_LOWER}]+")
# A case change inside a token: "yearThe", or a heading in capitals glued to a sentence
# ("ASSOCIATIONThe"), which an acronym's plural ("NGOs", "IDPs") is not
_CASE_CHANGE = re.compile(rf"[{_LOWER}][{_UPPER}]|[{_UPPER}]{{3}}[{_LOWER}]{{2}}")


def _standalone_words(text: str) -> Counter[str]:
    """How often `text` writes each word (lower-cased) apart: no case change inside ("yearThe",
    "ASSOCIATIONThe")."""
    out: Counter[str] = Counter()
    for token, n in Counter(_LETTERS.findall(text)).items():  # each distinct token checked once
        if not _CASE_CHANGE.search(token):
            out[token.lower()] += n
    return out


# "Label: value" (an icon in front, which a PDF font may not show, changes nothing)
_LABEL_VALUE = re.compile(rf"^(?:[{NOT_WORD_CHARS}\u2022]\s*)?[A-Z][\w\u2019' /()-]{{1,60}}:\s*\S")


def _merge_fact_boxes(blocks: list[Block], pieces: set[int]) -> list[Block]:
    """Merge runs of short "Label: value" lines (an entry's fact box) into one paragraph.

    The `pieces` of a flattened page stay apart: the page they were glued from had them as
    blocks of their own, and so does its web copy.
    """
    out: list[Block] = []
    run: list[Block] = []

    def close() -> None:
        if len(run) >= 2:
            out.append(Block("; ".join(b.text for b in run)))
        else:
            out.extend(run)
        run.clear()

    for k, block in enumerate(blocks):
        if (
            k not in pieces
            and block.kind == "para"
            and block.removed is None
            and len(block.text) <= 90
            and _LABEL_VALUE.match(block.text)
            and not block.text.endswith(".")
        ):
            run.append(block)
            continue
        close()
        out.append(block)
    close()
    return out
