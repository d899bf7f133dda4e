"""JSON output, versioned and deterministic (see shared/spec/json-output-v1.md).

Format versions:
- comparer/sections@1, comparer/compare@1, comparer/facts@1: first versions. Beyond the
  contract, sections carry `id`, and removed spans carry `start`/`end` offsets; consumers
  that follow the contract ignore these additive keys.
- compare@1, additive: each side of a section pair carries its section `id`, each passage its
  `id`, and each fact change the `passage` it was found in and its `old_section` /
  `new_section`. Every id referenced is defined in the same document: a span's `section` (old
  side: the old report's) is the `id` of a side in `sections[]`, a fact's `passage` is the
  `id` of a passage. The schemas are in schema/ (`*-v1.schema.json`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from comparer.model import Comparison, Fact, FactChange, Paragraph, Report, Section
from comparer.textnorm import word_count

SECTIONS_SCHEMA = "comparer/sections@1"


# Characters json.dumps leaves raw with ensure_ascii=False that a terminal acts on or that
# reorder text (DEL, C1 controls, bidi overrides); they only occur inside strings.
_RAW_CONTROLS = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def dumps(data: object) -> str:
    """Serialise `data` the one deterministic way: sorted keys, 2-space indent, UTF-8; every
    control character written as a \\u escape (the same JSON value, safe to print)."""
    text = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def report_dict(report: Report) -> dict[str, Any]:
    """The contract's `Report` object for `report`."""
    meta = report.metadata
    return {
        "id": report.id,
        "path": report.path,
        "sha256": report.sha256,
        "publisher": meta.publisher,
        "edition": meta.edition,
        "covers": meta.covers,
        "country": meta.country,
        "title": meta.title,
        "words": report.n_words,
    }


def section_dict(section: Section) -> dict[str, Any]:
    """A section as `comparer sections` describes it."""
    return {
        "id": section.id,
        "heading": section.heading,
        "path": list(section.path),
        "level": section.level,
        "topic": section.topic,
        "text": section.text,
        "start": section.start,
        "end": section.end,
    }


def sections_data(report: Report) -> dict[str, Any]:
    """The `comparer/sections@1` document for `report`."""
    return {
        "schema": SECTIONS_SCHEMA,
        "report": report_dict(report),
        "sections": [section_dict(s) for s in report.sections],
        "notes": list(report.notes),
        "removed": [
            {"text": r.text, "reason": r.reason, "start": r.start, "end": r.end} for r in report.removed
        ],
    }


def render_sections(report: Report) -> str:
    """Render how `report` was read as `comparer/sections@1` JSON."""
    return dumps(sections_data(report))


def removed_words(report: Report) -> int:
    """Words that were dropped as boilerplate."""
    return sum(word_count(r.text) for r in report.removed)


COMPARE_SCHEMA = "comparer/compare@1"


def _span(para: Paragraph | None, section: Section | None) -> dict[str, Any] | None:
    if para is None or section is None:
        return None
    return {
        "section": section.id,
        "topic": section.topic,
        "text": para.text,
        "start": para.start,
        "end": para.end,
    }


def _side(section: Section | None) -> dict[str, Any] | None:
    if section is None:
        return None
    return {"id": section.id, "heading": section.heading, "path": list(section.path)}


def _fact_change(change: FactChange) -> dict[str, Any]:
    """A fact change with where it was found: its passages (the prefix of its facts' ids) and sections.

    The two sides of a fact change can sit in two passages (a figure of a rewritten paragraph,
    linked across a removed and an added passage): `old_passage` and `new_passage` name each,
    `passage` the first of them.
    """
    old_passage = change.old.id.split(".", 1)[0] if change.old else None
    new_passage = change.new.id.split(".", 1)[0] if change.new else None
    return {
        "status": change.status,
        "kind": change.kind,
        "subject": change.subject,
        "old": fact_value(change.old),
        "new": fact_value(change.new),
        "passage": old_passage or new_passage,
        "old_passage": old_passage,
        "new_passage": new_passage,
        "old_section": change.old.section if change.old else None,
        "new_section": change.new.section if change.new else None,
        **({"removed_items": list(change.removed_items)} if change.removed_items else {}),
        **({"added_items": list(change.added_items)} if change.added_items else {}),
    }


def fact_value(fact: Fact | None) -> dict[str, Any] | None:
    """The contract's `FactValue` of `fact` (dates are ISO text: "2017-12-11", "1970s")."""
    if fact is None:
        return None
    value: Any = fact.value
    if isinstance(value, tuple):
        value = [_number(v) if isinstance(v, float) else v for v in value]
        if fact.kind in ("date", "name"):
            value = value[0]
    elif isinstance(value, float):
        value = _number(value)
    return {"value": value, "unit": fact.unit, "text": fact.text}


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def summary_counts(comparison: Comparison) -> dict[str, dict[str, int]]:
    """Counts of passages and facts per status."""
    passages = dict.fromkeys(("unchanged", "modified", "moved", "added", "removed"), 0)
    for p in comparison.passages:
        passages[p.status] += 1
    facts = dict.fromkeys(("changed", "added", "removed", "unchanged"), 0)
    for f in comparison.facts:
        facts[f.status] += 1
    return {"passages": passages, "facts": facts}


def compare_data(comparison: Comparison) -> dict[str, Any]:
    """The `comparer/compare@1` document for `comparison` (`change_id`: see `comparer.review`)."""
    from comparer.review import change_ids

    ids = change_ids(comparison)
    return {
        "schema": COMPARE_SCHEMA,
        "tool": {"name": "comparer", "version": comparison.tool_version},
        "reports": {"old": report_dict(comparison.old), "new": report_dict(comparison.new)},
        "sections": [
            {
                "status": s.status,
                "topic": s.topic,
                "score": s.score,
                "old": _side(s.old),
                "new": _side(s.new),
                **({"change_id": ids.sections[k]} if k in ids.sections else {}),
            }
            for k, s in enumerate(comparison.sections)
        ],
        "passages": [
            {
                "id": p.id,
                "status": p.status,
                "score": p.score,
                "old": _span(p.old, p.old_section),
                "new": _span(p.new, p.new_section),
                **({"change_id": ids.passages[p.id]} if p.id in ids.passages else {}),
                **(
                    {"diff": [[op, text] for op, text in p.diff]} if p.status in ("modified", "moved") else {}
                ),
            }
            for p in comparison.passages
        ],
        "facts": [_fact_change(f) for f in comparison.facts],
        "summary": summary_counts(comparison),
    }


def render_compare(comparison: Comparison) -> str:
    """Render `comparison` as `comparer/compare@1` JSON."""
    return dumps(compare_data(comparison))
