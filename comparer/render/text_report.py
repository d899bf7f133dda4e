"""Plain-text output for terminals: how a report was read."""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import TYPE_CHECKING

from comparer import __version__
from comparer.model import Comparison, PassageMatch, Report, SectionPair

if TYPE_CHECKING:
    from rich.text import Text


def generator_line(command: str) -> str:
    """The first line of every plain-text output: says comparer wrote it (`discover` skips such files)."""
    return f"comparer {__version__}: {command}"


def render_sections(report: Report) -> str:
    """Describe `report`: metadata with its sources, the heading tree with word counts, removals."""
    meta = report.metadata
    sources = dict(meta.sources)
    lines = [f"{report.path}  ({report.format}, {report.encoding}, {report.n_words} words)"]
    for key in ("title", "country", "publisher", "series", "edition", "covers"):
        value = getattr(meta, key)
        if value is not None:
            lines.append(f"  {key + ':':<10} {value}  [{sources.get(key, '?')}]")
    lines.append("")
    lines.append("Sections:")
    for s in report.sections:
        heading = s.heading or "(opening text)"
        topic = f"  <{s.topic}>" if s.topic else ""
        lines.append(f"  {'  ' * (s.level - 1)}{s.id:<5} {heading}  [{s.n_words} words]{topic}")
    if report.notes:
        lines += ["", "Notes:", *(f"  - {note}" for note in report.notes)]
    if report.removed:
        lines.append("")
        reasons = Counter(r.reason for r in report.removed)
        lines.append(f"Removed ({len(report.removed)} spans):")
        for reason, n in sorted(reasons.items()):
            lines.append(f"  {n:>3} x {reason}")
        for r in report.removed:
            snippet = r.text if len(r.text) <= 90 else r.text[:87] + "..."
            lines.append(f"      - [{r.reason}] {snippet}")
    return "\n".join(lines) + "\n"


# --- compare, for terminals ----------------------------------------------------------------

STAT_BAR = 40  # widest --stat bar, in characters
_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def terminal_safe(text: str) -> str:
    """`text` with control characters (ESC, C1, bidi overrides) shown as escapes, never sent raw."""
    if text.isprintable() and not _BIDI & set(text):
        return text
    return "".join(_escape(ch) if _unsafe(ch) else ch for ch in text)


def _unsafe(ch: str) -> bool:
    return ch in _BIDI or (ch not in "\n\t" and unicodedata.category(ch) == "Cc")


def _escape(ch: str) -> str:
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def _section_rows(comparison: Comparison) -> list[tuple[SectionPair, list[PassageMatch]]]:
    """Each section pair with its changed passages, in page order."""
    rows: list[tuple[SectionPair, list[PassageMatch]]] = [(pair, []) for pair in comparison.sections]
    index: dict[tuple[str, str], int] = {}
    for k, pair in enumerate(comparison.sections):
        if pair.new is not None:
            index.setdefault(("new", pair.new.id), k)
        if pair.old is not None:
            index.setdefault(("old", pair.old.id), k)
    for match in comparison.passages:
        if match.status == "unchanged":
            continue
        where = index.get(("new", match.new_section.id)) if match.new_section else None
        if where is None and match.old_section is not None:
            where = index.get(("old", match.old_section.id))
        if where is not None:
            rows[where][1].append(match)
    return rows


def _title(pair: SectionPair) -> str:
    old = pair.old.heading if pair.old else ""
    new = pair.new.heading if pair.new else ""
    if pair.status == "matched" and old != new:
        return terminal_safe(f"{old or '(opening text)'} → {new or '(opening text)'}")
    return terminal_safe(new or old or "(opening text)")


def render_stat(comparison: Comparison) -> str:
    """One line per changed section, as `git diff --stat`: counts and a bar (~ modified, > moved, + added, - removed)."""
    lines = []
    rows = [(pair, ms) for pair, ms in _section_rows(comparison) if ms or pair.status != "matched"]
    width = max((len(_title(p)) for p, _ in rows), default=0)
    width = min(width, 60)
    top = max((len(ms) for _, ms in rows), default=1) or 1
    for pair, matches in rows:
        counts: Counter[str] = Counter(m.status for m in matches)
        bar = "".join(
            symbol * round(counts[status] * min(1.0, STAT_BAR / top))
            for status, symbol in (("modified", "~"), ("moved", ">"), ("added", "+"), ("removed", "-"))
        )
        title = _title(pair)
        title = title if len(title) <= width else title[: width - 1] + "…"
        note = "" if pair.status == "matched" else f" (section {pair.status})"
        lines.append(f" {title:<{width}} | {len(matches):>4} {bar}{note}")
    total: Counter[str] = Counter(p.status for p in comparison.passages)
    facts = sum(1 for f in comparison.facts if f.status == "changed")
    lines.append(
        f" {len(rows)} section{'s' if len(rows) != 1 else ''} changed, {total['modified']} modified, "
        f"{total['moved']} moved, {total['added']} added, {total['removed']} removed, "
        f"{facts} fact{'s' if facts != 1 else ''} changed"
    )
    return "\n".join(lines) + "\n"


def render_compare(comparison: Comparison, *, color: bool = False) -> str:
    """The comparison as terminal text: changed facts, then each changed passage's word diff.

    With `color`, deletions are red and struck through and insertions green (ANSI, via rich);
    without, they are marked `[-…-]` and `{+…+}` as in `git diff --word-diff=plain`.
    """
    from io import StringIO

    from rich.console import Console

    out = StringIO()
    console = Console(
        file=out, force_terminal=color, no_color=not color, color_system="standard" if color else None,
        highlight=False, emoji=False, soft_wrap=True, markup=False,
    )  # fmt: skip
    for line in _compare_lines(comparison, color):
        console.print(line)
    return out.getvalue()


def _compare_lines(comparison: Comparison, color: bool) -> list[Text]:
    from rich.text import Text

    from comparer.review import change_ids

    ids = change_ids(comparison)
    old, new = comparison.old, comparison.new
    lines = [Text(f"{terminal_safe(old.path)} → {terminal_safe(new.path)}", style="bold")]
    changed_facts = [f for f in comparison.facts if f.status == "changed"]
    if changed_facts:
        lines.append(Text("Facts that changed:", style="bold"))
        for f in changed_facts:
            line = Text(f"  {terminal_safe(f.subject or f.kind)}: ")
            line.append(terminal_safe(f.old.text if f.old else "—"), style="red")
            line.append(" → ")
            line.append(terminal_safe(f.new.text if f.new else "—"), style="green")
            lines.append(line)
    any_change = False
    for k, (pair, matches) in enumerate(_section_rows(comparison)):
        if not matches and pair.status == "matched":
            continue
        any_change = True
        head = Text("")
        head.append(f"\n== {_title(pair)}", style="bold cyan")
        if pair.status != "matched":
            head.append(f"  (section {pair.status}, change-{ids.sections[k]})", style="cyan")
        lines.append(head)
        for match in matches:
            lines.append(_passage_line(match, ids.passages[match.id], color))
    if not any_change:
        lines.append(Text("No differences."))
    return lines


def _passage_line(match: PassageMatch, cid: str, color: bool) -> Text:
    from rich.text import Text

    line = Text(f"[{match.status} change-{cid}] ", style="yellow")
    if match.diff:
        for op, text in match.diff:
            safe = terminal_safe(text)
            if op == "=":
                line.append(safe)
            elif color:
                line.append(safe, style="red strike" if op == "-" else "green")
            else:
                line.append(f"[-{safe}-]" if op == "-" else f"{{+{safe}+}}")
        return line
    para = match.new or match.old
    text = terminal_safe(para.text if para else "")
    if color:
        line.append(
            text, style="green" if match.status == "added" else "red" if match.status == "removed" else ""
        )
    else:
        line.append(
            f"{{+{text}+}}"
            if match.status == "added"
            else f"[-{text}-]"
            if match.status == "removed"
            else text
        )
    return line
