"""Plain-text output for terminals: how a report was read."""

from __future__ import annotations

from collections import Counter

from comparer.model import Report


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
