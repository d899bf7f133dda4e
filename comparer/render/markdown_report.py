"""Markdown output: a short summary for a CI job summary or a pull-request comment.

Same order as the HTML report: reports, counts, changed facts first, then sections.
Report text is untrusted: HTML-significant characters are escaped so a comment never renders
markup that came from a report; file names go into code spans fenced with more backticks than
they hold, so nothing in a name can end the span early.
The first line is an HTML comment naming comparer (hidden when rendered), so comparer never
reads its own output as a report.
"""

from __future__ import annotations

import re

from comparer import __version__
from comparer.model import Comparison, Fact, FactChange, Report, SectionPair
from comparer.render.json_report import summary_counts
from comparer.review import change_ids
from comparer.topics import topic_label

MAX_FACTS = 30
MAX_SECTIONS = 40
MAX_IDS = 8  # change ids listed per section
GENERATOR_TAG = f"<!-- generator: comparer {__version__} -->"


def escape_markdown(text: str) -> str:
    """Escape `text` for Markdown: no HTML, no table breaks, no emphasis from stray symbols."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]|#":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def code_span(text: str, *, in_table: bool = False) -> str:
    """`text` as a Markdown code span, shown literally (code spans take no backslash escapes).

    The fence is one backtick longer than the longest run of backticks in `text`, padded with
    a space where `text` starts or ends with a backtick. In a table cell a pipe is written `\\|`,
    which the table parser consumes (GFM), so the span still shows a plain `|`.
    """
    text = " ".join(text.split()) or " "
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    if in_table:
        text = text.replace("|", "\\|")
    return f"{fence}{pad}{text}{pad}{fence}"


def _report_line(label: str, report: Report) -> str:
    m = report.metadata
    bits = [x for x in (m.publisher, m.series, str(m.edition) if m.edition else None) if x]
    covers = f", covers {m.covers}" if m.covers else ""
    return f"| {label} | {code_span(report.path, in_table=True)} | {escape_markdown(' '.join(bits))}{covers} | {report.n_words:,} |"


def _value(fact: Fact | None) -> str:
    if fact is None:
        return "—"
    return escape_markdown(fact.text)


def _fact_line(change: FactChange) -> str:
    where = change.new or change.old
    section = f" ({escape_markdown(where.section)})" if where and where.section else ""
    items = f" ({escape_markdown(change.items_note)})" if change.items_note else ""
    # a figure whose counted thing is unknown (a cell of a fact box) is named by its kind alone
    name = f"**{escape_markdown(change.subject)}** ({change.kind})" if change.subject else f"**{change.kind}**"
    return f"- {name}: {_value(change.old)} → {_value(change.new)}{items}{section}"


def _section_title(pair: SectionPair) -> str:
    old = pair.old.heading if pair.old else None
    new = pair.new.heading if pair.new else None
    if old and new and old != new:
        return f"{escape_markdown(old)} → {escape_markdown(new)}"
    return escape_markdown(new or old or "(opening text)")


def _ids(ids: list[str]) -> str:
    """Change ids as the HTML report's anchors (`change-<id>`), at most MAX_IDS of them."""
    shown = " ".join(f"`change-{i}`" for i in ids[:MAX_IDS])
    return shown + (f" … {len(ids) - MAX_IDS} more" if len(ids) > MAX_IDS else "")


def render_markdown(comparison: Comparison) -> str:
    """Render `comparison` as a Markdown summary."""
    counts = summary_counts(comparison)
    p, f = counts["passages"], counts["facts"]
    lines = [
        GENERATOR_TAG,
        "## comparer: what changed",
        "",
        "| | file | report | words |",
        "|---|---|---|---|",
        _report_line("old", comparison.old),
        _report_line("new", comparison.new),
        "",
        f"**Passages:** {p['modified']} modified, {p['moved']} moved, {p['added']} added, "
        f"{p['removed']} removed, {p['unchanged']} unchanged.  ",
        f"**Facts:** {f['changed']} changed, {f['added']} added, {f['removed']} removed.",
        "",
    ]
    changed = [c for c in comparison.facts if c.status == "changed"]
    if changed:
        lines += ["### Facts that changed", ""]
        lines += [_fact_line(c) for c in changed[:MAX_FACTS]]
        if len(changed) > MAX_FACTS:
            lines.append(f"- … and {len(changed) - MAX_FACTS} more")
        lines.append("")
    per_section: dict[int, dict[str, int]] = {}
    ids = change_ids(comparison)
    section_ids: dict[int, list[str]] = {}
    index = {}
    for k, pair in enumerate(comparison.sections):
        per_section[k] = {}
        if pair.new is not None:
            index[("new", pair.new.id)] = k
        if pair.old is not None:
            index.setdefault(("old", pair.old.id), k)
    for match in comparison.passages:
        key = ("new", match.new_section.id) if match.new_section else ("old", match.old_section.id)  # type: ignore[union-attr]
        where = index.get(key)
        if where is not None and match.status != "unchanged":
            per_section[where][match.status] = per_section[where].get(match.status, 0) + 1
            section_ids.setdefault(where, []).append(ids.passages[match.id])
    rows = []
    for k, pair in enumerate(comparison.sections):
        if pair.status != "matched":
            rows.append(
                f"- **{pair.status}**: {_section_title(pair)} ({topic_label(pair.topic)}) {_ids([ids.sections[k]])}"
            )
        elif per_section[k]:
            detail = ", ".join(f"{n} {status}" for status, n in sorted(per_section[k].items()))
            rows.append(f"- {_section_title(pair)}: {detail} {_ids(section_ids[k])}")
    if rows:
        lines += ["### Sections", ""]
        lines += rows[:MAX_SECTIONS]
        if len(rows) > MAX_SECTIONS:
            lines.append(f"- … and {len(rows) - MAX_SECTIONS} more")
        lines.append("")
    if not rows and not changed:
        lines += ["No differences.", ""]
    return "\n".join(lines)
