"""JSON output, versioned and deterministic (see shared/spec/json-output-v1.md).

Format versions:
- comparer/sections@1, comparer/compare@1, comparer/facts@1: first versions. Beyond the
  contract, sections carry `id`, and removed spans carry `start`/`end` offsets; consumers
  that follow the contract ignore these additive keys.
"""

from __future__ import annotations

import json
from typing import Any

from comparer.model import Report, Section
from comparer.textnorm import word_count

SECTIONS_SCHEMA = "comparer/sections@1"


def dumps(data: object) -> str:
    """Serialise `data` the one deterministic way: sorted keys, 2-space indent, UTF-8."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


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
