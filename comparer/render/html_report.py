"""HTML output: one self-contained page per comparison, from the Jinja2 templates.

View data is built here, in Python; the templates only loop and print. All report text goes
through Jinja's autoescaping, and diff markup is built by `diff_markup`, which escapes every
fragment and is the only place that returns `Markup`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from comparer.errors import RenderError
from comparer.model import Claim, Comparison, DiffOp, FactChange, PassageMatch, Report, SectionPair
from comparer.render.json_report import fact_value, summary_counts
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


def diff_markup(ops: tuple[tuple[DiffOp, str], ...], side: str) -> Markup:
    """Markup for a word diff: `side` "old" shows deletions, "new" insertions, "inline" both."""
    parts: list[str] = []
    for op, text in ops:
        safe = str(escape(text))
        if op == "=":
            parts.append(safe)
        elif op == "-" and side in ("old", "inline"):
            parts.append(f'<del class="chg">{safe}</del>')
        elif op == "+" and side in ("new", "inline"):
            parts.append(f'<ins class="chg">{safe}</ins>')
    return Markup("".join(parts))


@dataclass(slots=True)
class Row:
    """One passage as the page shows it."""

    match: PassageMatch
    kind: str  # unchanged, modified, moved-here, moved-away, added, removed
    anchor: str
    link: str | None = None  # the other place of a moved passage
    link_label: str = ""
    old_html: Markup = Markup("")
    new_html: Markup = Markup("")
    inline_html: Markup = Markup("")


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
    counts: Counter[str] = field(default_factory=Counter)
    groups: list[Group] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether anything in the section changed."""
        return self.pair.status != "matched" or any(k != "unchanged" for k in self.counts)


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


def _section_views(comparison: Comparison) -> list[SectionView]:
    views: list[SectionView] = []
    by_new: dict[str, SectionView] = {}
    by_old: dict[str, SectionView] = {}
    for k, pair in enumerate(comparison.sections):
        view = SectionView(
            pair=pair,
            anchor=f"sec-{k + 1}",
            title_old=pair.old.heading or "(opening text)" if pair.old else "",
            title_new=pair.new.heading or "(opening text)" if pair.new else "",
            topic=topic_label(pair.topic),
        )
        views.append(view)
        if pair.new is not None:
            by_new.setdefault(pair.new.id, view)
        if pair.old is not None:
            by_old.setdefault(pair.old.id, view)
    for match in comparison.passages:
        home = by_new.get(match.new_section.id) if match.new_section else None
        if home is None and match.old_section is not None:
            home = by_old.get(match.old_section.id)
        if home is None:
            continue
        anchor = f"pas-{match.id}"
        if match.status == "moved":
            away = by_old.get(match.old_section.id) if match.old_section else None
            row = Row(
                match,
                "moved-here",
                anchor,
                f"#{anchor}-from",
                f"moved from “{away.title_old if away else ''}”",
            )
            _fill(row)
            _add(home, row)
            if away is not None:
                ghost = Row(
                    match, "moved-away", f"{anchor}-from", f"#{anchor}", f"moved to “{home.title_new}”"
                )
                ghost.old_html = Markup(escape(match.old.text if match.old else ""))
                _add(away, ghost)
            continue
        row = Row(match, match.status, anchor)
        _fill(row)
        _add(home, row)
    return views


def _fill(row: Row) -> None:
    match = row.match
    if match.diff:
        row.old_html = diff_markup(match.diff, "old")
        row.new_html = diff_markup(match.diff, "new")
        row.inline_html = diff_markup(match.diff, "inline")
    else:
        row.old_html = Markup(escape(match.old.text)) if match.old else Markup("")
        row.new_html = Markup(escape(match.new.text)) if match.new else Markup("")
        row.inline_html = row.new_html or row.old_html


def _add(view: SectionView, row: Row) -> None:
    view.counts[row.kind if row.kind in ("unchanged", "modified", "added", "removed") else "moved"] += 1
    unchanged = row.kind == "unchanged"
    if not view.groups or view.groups[-1].unchanged != unchanged or not unchanged:
        view.groups.append(Group(unchanged))
    view.groups[-1].rows.append(row)


def _fact_rows(comparison: Comparison, views: list[SectionView]) -> list[dict[str, Any]]:
    anchors: dict[str, str] = {}
    for view in views:
        for group in view.groups:
            for row in group.rows:
                if row.kind != "moved-away":
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
            }
        )
    return rows


def _sentence(change: FactChange) -> str:
    fact = change.new or change.old
    return fact.sentence if fact else ""


def _passage_id(change: FactChange) -> str:
    fact = change.new or change.old
    return fact.id.rsplit(".", 1)[0] if fact else ""


def _fact_text(change: FactChange, side: str) -> str:
    value = fact_value(change.old if side == "old" else change.new)
    return value["text"] if value else "—"


def render_html(
    comparison: Comparison, *, generated_at: str | None = None, links: tuple[tuple[str, str], ...] = ()
) -> str:
    """Render `comparison` as one self-contained HTML page; `links` are (label, href) to other pages."""
    views = _section_views(comparison)
    counts = summary_counts(comparison)
    topics: dict[str, Counter[str]] = {}
    for view in views:
        bucket = topics.setdefault(view.topic, Counter())
        bucket.update({k: v for k, v in view.counts.items()})
        if view.pair.status != "matched":
            bucket["section " + view.pair.status] += 1
    facts = _fact_rows(comparison, views)
    template = environment().get_template("report.html.j2")
    return template.render(
        old=_report_view(comparison.old),
        new=_report_view(comparison.new),
        counts=counts,
        topics=sorted(topics.items()),
        sections=views,
        facts=facts,
        version=comparison.tool_version,
        generated_at=generated_at,
        links=links,
        n_changes=sum(
            1 for v in views for g in v.groups for r in g.rows if r.kind not in ("unchanged", "moved-away")
        )
        + sum(1 for v in views if v.pair.status != "matched"),
    )


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
    rows = [
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
    counts = {s: sum(1 for c in claims if c.status == s) for s in ("conflict", "changed", "consistent")}
    template = environment().get_template("facts.html.j2")
    views = [_report_view(r) for r in reports]
    for view in views:
        if words and view["id"] in words:  # reports known from a cache carry their count apart
            view["words"] = words[view["id"]]
    return template.render(
        reports=views,
        rows=rows,
        counts=counts,
        version=version,
        generated_at=None,
        links=links,
    )
