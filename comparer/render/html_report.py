"""HTML output: one self-contained page per comparison, from the Jinja2 templates.

View data is built here, in Python; the templates only loop and print. Report text goes
through Jinja's autoescaping, or is escaped here: passage markup is built by `diff_markup` and
`footnoted`, which escape every fragment (footnote markers become superscripts), and the rows
a page has hundreds of (passages, changes, facts, claims) by the `*_markup` functions, which
escape every value (`_esc`) as the templates they replace did; these are the only places
that return `Markup`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from comparer.errors import RenderError
from comparer.model import Claim, Comparison, DiffOp, FactChange, PassageMatch, Report, Section, SectionPair
from comparer.render.json_report import fact_value, summary_counts
from comparer.review import ChangeIds, Review, change_ids
from comparer.textnorm import footnote_spans
from comparer.topics import topic_label


def template_dirs() -> list[Path]:
    """Where templates live: the copy packaged in the wheel first, then the source tree."""
    dirs = []
    packaged = Path(str(files("comparer"))) / "templates"
    if packaged.is_dir():
        dirs.append(packaged)
    source = Path(__file__).resolve().parent.parent.parent / "templates"
    if source.is_dir():
        dirs.append(source)
    return dirs


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja environment: autoescaping, strict undefined, trimmed blocks."""
    dirs = template_dirs()
    if not dirs:
        raise RenderError("HTML templates not found (reinstall comparer)")
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in dirs]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["topic_label"] = topic_label
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.filters["short_publisher"] = short_publisher
    env.filters["clip"] = lambda text, n: _clip(str(text), int(n))
    return env


_SHORT = {
    "Human Rights Watch": "HRW",
    "Amnesty International": "Amnesty",
    "US Department of State": "State Dept",
}


def short_publisher(name: str) -> str:
    """A column-width name for a publisher: known short forms, else initials of long names."""
    if name in _SHORT:
        return _SHORT[name]
    words = name.split()
    return "".join(w[0] for w in words if w[0].isupper()) if len(name) > 14 and len(words) > 2 else name


def _marked(text: str, spans: tuple[tuple[int, int], ...], offset: int) -> str:
    """`text` escaped, the footnote markers `spans` (offsets from `offset`) as superscripts."""
    if not spans:  # most text has no footnote markers
        return str(escape(text))
    parts: list[str] = []
    pos = 0
    for start, end in spans:
        a, b = max(start - offset, pos), min(end - offset, len(text))
        if a >= b:
            continue
        parts += [str(escape(text[pos:a])), f'<sup class="fn">{escape(text[a:b])}</sup>']
        pos = b
    parts.append(str(escape(text[pos:])))
    return "".join(parts)


def footnoted(text: str) -> Markup:
    """Markup for a passage's text: escaped, its footnote markers as superscripts."""
    return Markup(_marked(text, footnote_spans(text), 0))


def diff_markup(ops: tuple[tuple[DiffOp, str], ...], side: str) -> Markup:
    """Markup for a word diff: `side` "old" shows deletions, "new" insertions, "inline" both.

    Footnote markers are found in each side's whole text and shown as superscripts.
    """
    marks = {
        "-": footnote_spans("".join(t for op, t in ops if op != "+")),
        "+": footnote_spans("".join(t for op, t in ops if op != "-")),
    }
    at = {"-": 0, "+": 0}
    parts: list[str] = []
    for op, text in ops:
        own = "+" if op == "=" else op
        safe = _marked(text, marks[own], at[own])
        for x in ("-", "+") if op == "=" else (op,):
            at[x] += len(text)
        if op == "=":
            parts.append(safe)
        elif op == "-" and side in ("old", "inline"):
            parts.append(f'<del class="chg">{safe}</del>')
        elif op == "+" and side in ("new", "inline"):
            parts.append(f'<ins class="chg">{safe}</ins>')
    return Markup("".join(parts))


KIND_LABELS = {
    "modified": "✎ modified",
    "moved": "⇄ moved",
    "added": "+ added",
    "removed": "− removed",
    "section-added": "+ section added",
    "section-removed": "− section removed",
}
EXCERPT_CHARS = 160  # how much of a change the change list quotes
GLANCE_ITEMS = 5  # fact changes and section renames listed on the first screen


# Where a long modified passage is cut into aligned lines: after a sentence end or a list
# separator (";"), before the next word.
_SPACE = re.compile(r"\s+")
_ENDS = ".!?;"
SENTENCE_ROWS_CHARS = 400  # modified passages longer than this are shown sentence by sentence


def sentence_chunks(ops: tuple[tuple[DiffOp, str], ...]) -> list[tuple[tuple[DiffOp, str], ...]]:
    """Cut a word diff into sentence-sized runs of ops, so each old sentence sits by its new one.

    A cut falls after a sentence end or list separator (and its spaces), and only where the
    other side is at such a boundary too, so a chunk's old and new halves correspond.
    """
    chunks: list[list[tuple[DiffOp, str]]] = [[]]
    last = {"-": " ", "+": " "}  # the last character each side emitted (start: a boundary)
    clean = {"-": True, "+": True}  # whether each side's text in the chunk ends at a boundary
    for op, text in ops:
        sides = ("-", "+") if op == "=" else (op,)
        others = [x for x in ("-", "+") if x not in sides]
        start = 0
        if chunks[-1] and all(last[x] in _ENDS for x in sides) and all(clean[x] for x in others):
            chunks.append([])  # the diff put the space after a sentence end on the far side of this op
            clean = {"-": True, "+": True}
        for run in _SPACE.finditer(text):
            before = text[run.start() - 1] if run.start() > 0 else last[sides[0]]
            if before in _ENDS and all(clean[x] for x in others) and run.end() > start:
                chunks[-1].append((op, text[start : run.end()]))
                chunks.append([])
                start = run.end()
                clean = {"-": True, "+": True}
        rest = text[start:]
        if rest:
            chunks[-1].append((op, rest))
            for x in sides:
                clean[x] = rest.rstrip()[-1:] in tuple(_ENDS)
        for x in sides:
            last[x] = text[-1:] or last[x]
    merged: list[list[tuple[DiffOp, str]]] = []
    for chunk in chunks:
        if merged and all(t.isspace() for _, t in chunk):
            merged[-1] += chunk  # a lone space belongs to the sentence before it
        elif chunk:
            merged.append(chunk)
    return [tuple(c) for c in merged]


@dataclass(slots=True)
class SentenceLine:
    """One aligned line of a long modified passage: old half, new half, and whether it changed."""

    old_html: Markup
    new_html: Markup
    inline_html: Markup
    changed: bool


@dataclass(slots=True)
class Row:
    """One passage as the page shows it; `cid` is the change id ("" for unchanged text)."""

    match: PassageMatch
    kind: str  # unchanged, modified, moved-here, moved-away, added, removed
    cid: str = ""
    link_label: str = ""
    arrow: str = ""  # which way the other end of a move is: ↑ or ↓
    facts: int = 0  # changed figures inside the passage
    lines: list[SentenceLine] = field(default_factory=list)  # long modified passages, aligned
    old_html: Markup = Markup("")
    new_html: Markup = Markup("")
    inline_html: Markup = Markup("")

    @property
    def anchor(self) -> str:
        """The element id: `change-<id>`, and `change-<id>-from` for where moved text was."""
        if not self.cid:
            return ""
        return f"change-{self.cid}-from" if self.kind == "moved-away" else f"change-{self.cid}"

    @property
    def partner(self) -> str:
        """The element id of the other end of a move, else ""."""
        if self.kind == "moved-here":
            return f"change-{self.cid}-from"
        return f"change-{self.cid}" if self.kind == "moved-away" else ""


@dataclass(slots=True)
class Group:
    """A run of rows: changed rows one by one, unchanged rows collapsed together."""

    unchanged: bool
    rows: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class SectionView:
    """A section pair with its passages, as the page shows it."""

    pair: SectionPair
    anchor: str
    title_old: str
    title_new: str
    topic: str
    cid: str = ""  # change id of an added or removed section
    counts: Counter[str] = field(default_factory=Counter)
    groups: list[Group] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether anything in the section changed."""
        return self.pair.status != "matched" or any(k != "unchanged" for k in self.counts)

    @property
    def title(self) -> str:
        """The heading the section has now (or had, when it was removed)."""
        return self.title_new or self.title_old


@dataclass(slots=True)
class ChangeItem:
    """One entry of the change list: what changed, where, and a short quote of it."""

    cid: str
    kind: str  # modified, moved, added, removed, section-added, section-removed
    topic: str
    section: str
    section_anchor: str
    excerpt: Markup
    facts: int = 0

    @property
    def kinds(self) -> str:
        """The filter classes of the entry (space separated)."""
        base = self.kind.removeprefix("section-")
        return f"{base} facts" if self.facts else base

    @property
    def label(self) -> str:
        """The entry's kind as the page writes it."""
        return KIND_LABELS[self.kind]


# --- the section-by-section part, built here rather than by a template macro -----------------
# A page has a row per passage, most of them unchanged: one Jinja macro call per row (and an
# attribute lookup and an escape call per value) was a fifth of `track`'s CPU time. These
# functions write the same markup that `_section.html.j2` wrote, every value from the reports
# escaped (`_esc`); `section_markup` is the one that returns `Markup`.

_MODIFIED_LABELS = {"modified": "✎ modified", "moved-here": "⇄ moved", "removed": "− removed"}


def _esc(value: object) -> str:
    """`value` as HTML text: escaped, unless it is already `Markup`."""
    return str(escape(value))


def _review_html(cid: str, what: str = "") -> str:
    """The review controls of one change."""
    head = f'<span class="rv-what">{_esc(what)}</span>' if what else ""
    return (
        f'<div class="rv" data-cid="{_esc(cid)}">{head}<button type="button" class="rv-ok" aria-pressed="false">'
        '✓ Reviewed</button> <button type="button" class="rv-flag" aria-pressed="false">⚑ Flag</button> '
        f'<button type="button" class="rv-note-btn">✎ Note</button> <a class="permalink" href="#change-{_esc(cid)}">'
        f'#{_esc(cid)}</a><p class="rv-note" hidden></p></div>'
    )


def _row_html(r: Row) -> str:
    """One passage's row."""
    if r.kind == "unchanged":
        return f'    <div class="row unchanged"><p class="both">{r.new_html}</p></div>\n'
    anchor, cid, partner = _esc(r.anchor), _esc(r.cid), _esc(r.partner)
    if r.kind == "moved-away":
        return (
            f'    <div class="row moved-away" id="{anchor}" data-partner="{partner}" tabindex="-1">\n'
            f'      <div class="col old"><span class="mark mark-moved">⇄ moved away</span> <p>{r.old_html}</p></div>\n'
            f'      <div class="col new"><a class="jump" href="#{partner}">{_esc(r.link_label)} {_esc(r.arrow)}</a></div>\n'
            "    </div>\n"
        )
    kind = _esc(r.kind)
    if r.lines:
        changed = sum(1 for line in r.lines if line.changed)
        lines = "".join(
            f'<p class="s-old{same}">{line.old_html}</p><p class="s-new{same}">{line.new_html}</p>'
            f'<p class="s-inline{same}">{line.inline_html}</p>'
            for line in r.lines
            for same in ("" if line.changed else " s-same",)
        )
        return (
            f'    <div class="row change {kind} by-sentence" id="{anchor}" data-cid="{cid}" tabindex="-1">\n'
            f"      {_review_html(r.cid)}\n"
            '      <div class="col old"><span class="mark mark-modified">✎ modified</span> <span class="section-meta">'
            f"{changed} of {len(r.lines)} sentences or list items changed</span></div>\n"
            f"{lines}    </div>\n"
        )
    moved_link = f' data-partner="{partner}"' if r.partner and r.arrow else ""
    mark = f'<span class="mark mark-{kind}">{_esc(_MODIFIED_LABELS[r.kind])}</span>' if r.kind != "added" else ""
    jump = (
        f' <a class="jump" href="#{partner}">{_esc(r.link_label)} {_esc(r.arrow)}</a>'
        if r.kind == "moved-here" and r.arrow
        else ""
    )
    added = '<span class="mark mark-added">+ added</span>' if r.kind == "added" else ""
    inline = f'<div class="inline"><p>{r.inline_html}</p></div>' if r.kind in ("modified", "moved-here") else ""
    return (
        f'    <div class="row change {kind}" id="{anchor}" data-cid="{cid}"{moved_link} tabindex="-1">\n'
        f"      {_review_html(r.cid)}\n"
        f'      <div class="col old">{mark}{jump}        <p>{r.old_html}</p></div>\n'
        f'      <div class="col new">{added}<p>{r.new_html}</p></div>\n'
        f"{inline}    </div>\n"
    )


def _item_html(i: ChangeItem) -> str:
    """One entry of the change list."""
    cid = _esc(i.cid)
    facts = f' <span class="mark mark-facts">{i.facts} fact{"s" if i.facts != 1 else ""}</span>' if i.facts else ""
    return (
        f'<li data-cid="{cid}" data-kinds="{_esc(i.kinds)}" data-topic="{_esc(i.topic)}"><a href="#change-{cid}">'
        f'<span class="mark mark-{_esc(i.kind.removeprefix("section-"))}">{_esc(i.label)}</span>{facts}'
        f' <span class="cl-sec">{_esc(i.section)}</span> <span class="cl-x">{_esc(i.excerpt)}</span></a>'
        '<span class="cl-state"></span></li>'
    )


def fact_row_markup(f: dict[str, Any]) -> Markup:
    """The row of the facts table (`_fact_rows`) of one fact changed, removed or added."""
    where = (
        f'<a href="#{_esc(f["anchor"])}" title="{_esc(f["sentence"])}">see passage</a>' if f["anchor"] else ""
    )
    kind, subject = _esc(f["kind"]), _esc(f["subject"])
    if f["status"] == "changed":
        note = f'<br><span class="items">{_esc(f["items_note"])}</span>' if f["items_note"] else ""
        html = (
            f'<tr class="fact fact-changed"><td class="nowrap">{kind}</td><td>{subject}</td>\n'
            f'        <td class="v-old"><del class="chg">{_esc(f["old"])}</del></td>'
            f'<td class="v-new"><ins class="chg">{_esc(f["new"])}</ins>{note}</td>\n'
        )
    else:
        status = _esc(f["status"])
        side = "only in old" if f["status"] == "removed" else "only in new"
        value = f["old"] if f["status"] == "removed" else f["new"]
        html = (
            f'<tr class="fact fact-{status}"><td class="nowrap"><span class="mark mark-{status}">{side}</span></td>'
            f'<td class="nowrap">{kind}</td><td>{subject}</td>\n'
            f"        <td>{_esc(value)}</td>\n"
        )
    return Markup(f"{html}        <td>{where}</td></tr>")


def change_list_markup(items: list[ChangeItem]) -> list[Markup]:
    """The entries of the change list, one `Markup` each."""
    return [Markup(_item_html(i)) for i in items]


def section_markup(s: SectionView) -> Markup:
    """One section of the page: its heading, its change controls and its rows of passages."""
    status = s.pair.status
    anchor = _esc(s.anchor)
    if status == "added":
        title = f'<span class="mark mark-added">+ section added</span> {_esc(s.title_new)}\n'
    elif status == "removed":
        title = f'<span class="mark mark-removed">− section removed</span> {_esc(s.title_old)}\n'
    elif s.title_old != s.title_new:
        title = f'<span class="h-old">{_esc(s.title_old)}</span> → <span class="h-new">{_esc(s.title_new)}</span>\n'
    else:
        title = _esc(s.title_new)
    score = f" · match score {_esc(s.pair.score)}" if status == "matched" else ""
    parts = [
        f'<article class="section status-{_esc(status)}{" has-changes" if s.changed else ""}" id="{anchor}"'
        f' aria-labelledby="{anchor}-h">\n'
        f'  <h3 id="{anchor}-h">\n{title}  </h3>\n'
        f'  <p class="section-meta">Topic: {_esc(s.topic)}{score}</p>\n'
    ]
    if s.cid:
        review = _review_html(s.cid, "Whole section " + status + ":")
        parts.append(
            f'<div class="change section-change" id="change-{_esc(s.cid)}" data-cid="{_esc(s.cid)}" tabindex="-1">'
            f"{review}</div>"
        )
    for g in s.groups:
        rows = "".join(_row_html(r) for r in g.rows)
        if g.unchanged:
            n = len(g.rows)
            parts.append(
                f'    <details class="unchanged-run"><summary>{n} unchanged passage{"s" if n != 1 else ""}'
                f"</summary><template>{rows}</template></details>\n"
            )
        else:
            parts.append(rows)
    parts.append("</article>\n")
    return Markup("".join(parts))


def _report_view(report: Report) -> dict[str, Any]:
    m = report.metadata
    return {
        "id": report.id,
        "path": report.path,
        "title": m.title or m.country or report.path,
        "publisher": m.publisher,
        "series": m.series,
        "edition": m.edition,
        "covers": m.covers,
        "country": m.country,
        "words": report.n_words,
        "sha256": report.sha256[:12],
    }


def _heading(section: Section | None) -> str:
    return (section.heading or "(opening text)") if section else ""


def _section_views(comparison: Comparison, ids: ChangeIds) -> list[SectionView]:
    views: list[SectionView] = []
    by_new: dict[str, SectionView] = {}
    by_old: dict[str, SectionView] = {}
    for k, pair in enumerate(comparison.sections):
        view = SectionView(
            pair,
            f"sec-{k + 1}",
            _heading(pair.old),
            _heading(pair.new),
            topic_label(pair.topic),
            ids.sections.get(k, ""),
        )
        views.append(view)
        if pair.new is not None:
            by_new.setdefault(pair.new.id, view)
        if pair.old is not None:
            by_old.setdefault(pair.old.id, view)
    facts = Counter(_passage_id(f) for f in comparison.facts if f.status == "changed")
    for match in comparison.passages:
        home = by_new.get(match.new_section.id) if match.new_section else None
        if home is None and match.old_section is not None:
            home = by_old.get(match.old_section.id)
        if home is None:
            continue
        cid = ids.passages.get(match.id, "")
        if match.status != "moved":
            _add(home, _filled(Row(match, match.status, cid, facts=facts[match.id])))
            continue
        away = by_old.get(match.old_section.id) if match.old_section else None
        label = f"from “{away.title_old}”" if away else ""
        _add(home, _filled(Row(match, "moved-here", cid, label, facts=facts[match.id])))
        if away is not None:
            ghost = Row(match, "moved-away", cid, f"moved to “{home.title_new}”")
            ghost.old_html = footnoted(match.old.text if match.old else "")
            _add(away, ghost)
    _point_moves(views)
    return views


def _point_moves(views: list[SectionView]) -> None:
    """Point each move's link up or down, toward where its other end is on the page."""
    order: dict[str, int] = {}
    rows = [r for v in views for g in v.groups for r in g.rows]
    for k, row in enumerate(rows):
        if row.anchor:
            order[row.anchor] = k
    for row in rows:
        if row.partner in order:
            row.arrow = "↑" if order[row.partner] < order[row.anchor] else "↓"
        elif row.kind == "moved-here":
            row.link_label = ""


def _filled(row: Row) -> Row:
    match = row.match
    if match.diff:
        row.old_html = diff_markup(match.diff, "old")
        row.new_html = diff_markup(match.diff, "new")
        row.inline_html = diff_markup(match.diff, "inline")
        if row.kind == "modified" and sum(len(t) for _, t in match.diff) > SENTENCE_ROWS_CHARS:
            chunks = sentence_chunks(match.diff)
            if len(chunks) > 1:
                row.lines = [
                    SentenceLine(
                        diff_markup(c, "old"),
                        diff_markup(c, "new"),
                        diff_markup(c, "inline"),
                        any(op != "=" for op, _ in c),
                    )
                    for c in chunks
                ]
    else:
        row.old_html = footnoted(match.old.text) if match.old else Markup("")
        same = match.old is not None and match.new is not None and match.new.text == match.old.text
        row.new_html = row.old_html if same else footnoted(match.new.text) if match.new else Markup("")
        row.inline_html = row.new_html or row.old_html
    return row


def _add(view: SectionView, row: Row) -> None:
    view.counts[row.kind if row.kind in ("unchanged", "modified", "added", "removed") else "moved"] += 1
    unchanged = row.kind == "unchanged"
    if not view.groups or view.groups[-1].unchanged != unchanged or not unchanged:
        view.groups.append(Group(unchanged))
    view.groups[-1].rows.append(row)


def diff_excerpt(
    ops: tuple[tuple[DiffOp, str], ...], limit: int = EXCERPT_CHARS
) -> tuple[tuple[DiffOp, str], ...]:
    """The first changes of a word diff with a little context, about `limit` characters long."""
    first = next((k for k, (op, _) in enumerate(ops) if op != "="), None)
    if first is None:
        return (("=", _clip(ops[0][1], limit)),) if ops else ()
    out: list[tuple[DiffOp, str]] = []
    if first > 0:
        before = ops[first - 1][1]
        tail = before[-40:].split(" ", 1)[-1] if len(before) > 40 else before
        out.append(("=", "…" + tail if len(before) > 40 else before))
    used = 0
    for op, text in ops[first:]:
        if used >= limit:
            out.append(("=", " …"))
            break
        room = limit - used
        piece = text if op != "=" or len(text) <= 40 else text[:20] + " … " + text[-16:]
        piece = _clip(piece, room)
        out.append((op, piece))
        used += len(piece)
    return tuple(out)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(1, limit - 1)].rstrip() + "…"


def _change_items(views: list[SectionView]) -> list[ChangeItem]:
    items: list[ChangeItem] = []
    for view in views:
        if view.cid:
            text = (view.pair.new or view.pair.old).text if (view.pair.new or view.pair.old) else ""  # type: ignore[union-attr]
            excerpt = diff_markup((("=", _clip(" ".join(text.split()), EXCERPT_CHARS)),), "inline")
            items.append(
                ChangeItem(
                    view.cid, "section-" + view.pair.status, view.topic, view.title, view.anchor, excerpt
                )
            )
        for group in view.groups:
            for row in group.rows:
                if not row.cid or row.kind == "moved-away":
                    continue
                match = row.match
                if row.kind == "modified" and match.diff:
                    excerpt = diff_markup(diff_excerpt(match.diff), "inline")
                else:
                    text = (match.new or match.old).text if (match.new or match.old) else ""  # type: ignore[union-attr]
                    excerpt = diff_markup((("=", _clip(" ".join(text.split()), EXCERPT_CHARS)),), "inline")
                kind = "moved" if row.kind == "moved-here" else row.kind
                items.append(
                    ChangeItem(row.cid, kind, view.topic, view.title, view.anchor, excerpt, row.facts)
                )
    return items


def _fact_rows(comparison: Comparison, views: list[SectionView]) -> list[dict[str, Any]]:
    anchors: dict[str, str] = {}
    for view in views:
        for group in view.groups:
            for row in group.rows:
                if row.kind not in ("moved-away", "unchanged"):
                    anchors[row.match.id] = row.anchor
    rows = []
    for change in comparison.facts:
        if change.status == "unchanged":
            continue
        rows.append(
            {
                "status": change.status,
                "kind": change.kind,
                "subject": change.subject,
                "old": _fact_text(change, "old"),
                "new": _fact_text(change, "new"),
                "sentence": _sentence(change),
                "items_note": change.items_note,
                "anchor": anchors.get(_passage_id(change), ""),
                "gist": _fact_gist(change),
            }
        )
        rows[-1]["html"] = fact_row_markup(rows[-1])
    return rows


def _fact_gist(change: FactChange) -> str:
    """A changed fact in a few words: "camps: 6 → 5", or the list items dropped and added."""
    about = change.subject or change.kind
    old, new = change.old, change.new
    if change.kind == "list" and old is not None and new is not None:
        before = [str(v) for v in old.value] if isinstance(old.value, tuple) else []
        after = [str(v) for v in new.value] if isinstance(new.value, tuple) else []
        dropped = [v for v in before if v not in after]
        added = [v for v in after if v not in before]
        bits = ([f"dropped: {', '.join(dropped)}"] if dropped else []) + (
            [f"added: {', '.join(added)}"] if added else []
        )
        if bits:
            return f"{about}: {'; '.join(bits)}"
    return f"{about}: {_fact_text(change, 'old')} → {_fact_text(change, 'new')}"


def _sentence(change: FactChange) -> str:
    fact = change.new or change.old
    return fact.sentence if fact else ""


def _passage_id(change: FactChange) -> str:
    fact = change.new or change.old
    return fact.id.rsplit(".", 1)[0] if fact else ""


def _fact_text(change: FactChange, side: str) -> str:
    value = fact_value(change.old if side == "old" else change.new)
    return value["text"] if value else "—"


def _topic_counts(views: list[SectionView]) -> list[tuple[str, Counter[str]]]:
    topics: dict[str, Counter[str]] = {}
    for view in views:
        bucket = topics.setdefault(view.topic, Counter())
        bucket.update(dict(view.counts))
        if view.pair.status != "matched":
            bucket["section " + view.pair.status] += 1
    return sorted(topics.items())


def _glance(views: list[SectionView], facts: list[dict[str, Any]]) -> dict[str, Any]:
    """What the first screen says: fact changes, sections added, removed and renamed."""
    renamed = [v for v in views if v.pair.status == "matched" and v.title_old != v.title_new]
    return {
        "facts": [f for f in facts if f["status"] == "changed"],
        "added": [v for v in views if v.pair.status == "added"],
        "removed": [v for v in views if v.pair.status == "removed"],
        "renamed": renamed,
        "limit": GLANCE_ITEMS,
    }


def comparison_key(comparison: Comparison) -> str:
    """What the page's review state is stored under in the browser: the two report paths."""
    return f"{comparison.old.path}|{comparison.new.path}"


def render_html(
    comparison: Comparison,
    *,
    generated_at: str | None = None,
    links: tuple[tuple[str, str], ...] = (),
    review: Review | None = None,
) -> str:
    """Render `comparison` as one self-contained HTML page.

    `links` are (label, href) to other pages; `review` carries the marks of an earlier review.
    """
    ids = change_ids(comparison)
    views = _section_views(comparison, ids)
    items = _change_items(views)
    facts = _fact_rows(comparison, views)
    template = environment().get_template("report.html.j2")
    page = template.render(
        old=_report_view(comparison.old),
        new=_report_view(comparison.new),
        counts=summary_counts(comparison),
        topics=_topic_counts(views),
        sections=views,
        section_html=[section_markup(v) for v in views],
        facts=facts,
        glance=_glance(views, facts),
        item_html=change_list_markup(items),
        item_topics=sorted({i.topic for i in items}),
        review=review_data(comparison_key(comparison), [i.cid for i in items], review),
        version=comparison.tool_version,
        generated_at=generated_at,
        links=links,
        n_changes=len(items),
    )
    return valid_text(page)


def review_data(key: str, ids: list[str], review: Review | None) -> dict[str, Any]:
    """The page's review data: its key and change ids, and the marks carried over that still apply."""
    carried = (review or Review()).for_ids(ids)
    return {
        "key": key,
        "ids": ids,
        "marks": carried.marks,
        "seen": list(carried.seen),
        "carried": review is not None,
    }


_REVIEW_OPEN = '<script type="application/json" id="review-data">'


def apply_review(page: str, review: Review) -> str:
    """`page` (a compare page this module rendered) with the marks of `review` carried into it."""
    start = page.find(_REVIEW_OPEN)
    if start == -1:
        return page
    start += len(_REVIEW_OPEN)
    end = page.index("</script>", start)
    data = json.loads(page[start:end])
    new = review_data(str(data.get("key", "")), [str(i) for i in data.get("ids", [])], review)
    return page[:start] + str(htmlsafe_json_dumps(new, sort_keys=True)) + page[end:]


_INVALID = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")


def valid_text(page: str) -> str:
    """`page` without the code points HTML forbids (C0/C1 controls, noncharacters): U+FFFD instead.

    Input repair happens when reading; this is the renderer's guarantee that nothing invalid
    reaches a page whatever the input stage let through.
    """
    return _INVALID.sub("\ufffd", page)


# --- facts page ----------------------------------------------------------------------------

_CHART_W, _CHART_H, _PAD = 360, 120, 28


def _chart(claim: Claim) -> dict[str, Any] | None:
    """SVG geometry of a numeric claim over the covered years, or None if it cannot be drawn."""
    points = []
    for report, fact in claim.values:
        year = report.metadata.covers
        value = fact.value
        if year is None or fact.kind in ("list", "date"):
            return None
        if isinstance(value, float):
            lo = hi = value
        elif isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, float) for v in value):
            lo, hi = float(value[0]), float(value[1])
        else:
            return None
        points.append((year, lo, hi, report.id, fact.text))
    years = [p[0] for p in points]
    top = max(p[2] for p in points) or 1.0
    y0, y1 = min(years), max(years)
    span = (y1 - y0) or 1

    def x(year: int) -> float:
        return round(_PAD + (year - y0) / span * (_CHART_W - 2 * _PAD), 1) if y1 != y0 else _CHART_W / 2

    def y(v: float) -> float:
        return round(_CHART_H - _PAD / 2 - v / top * (_CHART_H - _PAD), 1)

    marks = [
        {"x": x(yr), "y_lo": y(lo), "y_hi": y(hi), "bar": hi != lo, "label": f"{rid} ({yr}): {text}"}
        for yr, lo, hi, rid, text in points
    ]
    ticks = sorted({(x(yr), yr) for yr in years})
    return {
        "w": _CHART_W,
        "h": _CHART_H,
        "marks": marks,
        "ticks": ticks,
        "top": f"{top:,.0f}",
        "base": _CHART_H - _PAD / 2,
    }


_CLAIM_LABELS = {"conflict": "✗ conflict", "changed": "↻ changed", "consistent": "✓ consistent"}


def _chart_html(chart: dict[str, Any], subject: str) -> str:
    """The SVG timeline of one claim (`_chart`)."""
    w, h = chart["w"], chart["h"]
    ticks = "".join(
        f'<text x="{_esc(tx)}" y="{_esc(h - 2)}" class="tick" text-anchor="middle">{_esc(year)}</text>'
        for tx, year in chart["ticks"]
    )
    marks = []
    for m in chart["marks"]:
        x, label = _esc(m["x"]), _esc(m["label"])
        bar = (
            f'<line x1="{x}" y1="{_esc(m["y_lo"])}" x2="{x}" y2="{_esc(m["y_hi"])}" class="range">'
            f"<title>{label}</title></line>"
            if m["bar"]
            else ""
        )
        marks.append(
            f'{bar}              <circle cx="{x}" cy="{_esc(m["y_hi"])}" r="4" class="point"><title>{label}</title></circle>\n'
        )
    return (
        f'          <svg class="timeline" width="{_esc(w)}" height="{_esc(h)}" viewBox="0 0 {_esc(w)} {_esc(h)}"'
        f' role="img" aria-label="{_esc(subject)} over the covered years">\n'
        f'            <line x1="0" y1="{_esc(chart["base"])}" x2="{_esc(w)}" y2="{_esc(chart["base"])}" class="axis"/>\n'
        f'            <text x="2" y="12" class="tick">{_esc(chart["top"])}</text>\n'
        f"{ticks}{''.join(marks)}          </svg>\n"
    )


def claim_row_markup(row: dict[str, Any]) -> Markup:
    """The row of the claims table of one claim: its values and its timeline."""
    claim = row["claim"]
    status = _esc(claim.status)
    values = []
    for v in row["values"]:
        covers = f" ({_esc(v['covers'])})" if v["covers"] else ""
        values.append(
            f'<li><strong>{_esc(v["text"])}</strong> — {_esc(v["report"])}{covers}'
            f'<br><span class="quote">“{_esc(v["sentence"])}”</span></li>'
        )
    chart = _chart_html(row["chart"], claim.subject) if row["chart"] else ""
    return Markup(
        f'<tr class="fact claim-{status}" id="{_esc(claim.id)}">\n'
        f'        <td class="nowrap"><span class="mark mark-{status}">{_esc(_CLAIM_LABELS[claim.status])}</span></td>\n'
        f'        <td>{_esc(claim.subject)} <span class="toc-topic">{_esc(claim.kind)}</span></td>\n'
        f'        <td><ul class="values">\n{"".join(values)}        </ul></td>\n'
        f"        <td>{chart}</td>\n"
        "      </tr>"
    )


def render_facts_html(
    reports: list[Report],
    claims: list[Claim],
    *,
    version: str,
    links: tuple[tuple[str, str], ...] = (),
    words: dict[str, int] | None = None,
) -> str:
    """Render linked claims as one self-contained HTML page with inline SVG timelines."""
    rank = {"conflict": 0, "changed": 1, "consistent": 2}
    rows: list[dict[str, Any]] = [
        {
            "claim": c,
            "chart": _chart(c),
            "values": [
                {
                    "report": r.id,
                    "covers": r.metadata.covers,
                    "publisher": r.metadata.publisher,
                    "text": f.text,
                    "sentence": f.sentence,
                }
                for r, f in c.values
            ],
        }
        for c in sorted(claims, key=lambda c: (rank[c.status], c.id))
    ]
    for row in rows:
        row["html"] = claim_row_markup(row)
    counts = {s: sum(1 for c in claims if c.status == s) for s in ("conflict", "changed", "consistent")}
    template = environment().get_template("facts.html.j2")
    views = [_report_view(r) for r in reports]
    for view in views:
        if words and view["id"] in words:  # reports known from a cache carry their count apart
            view["words"] = words[view["id"]]
    return valid_text(
        template.render(
            reports=views, rows=rows, counts=counts, version=version, generated_at=None, links=links
        )
    )
