"""Stable change ids and review state carried from one report to the next.

A change's id is derived from its content (old text, new text, section topic), never from
its position, so the same change keeps its id when other changes come and go. Duplicates
within one comparison (the same sentence removed twice under one topic) are told apart by
`-2`, `-3`, ... in document order, which is deterministic.

A review file (`comparer/review@1`) is what the HTML page exports: the marks an editor set
(`reviewed` or `flagged`, with a note) by change id, and the ids the page showed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from comparer.errors import InputError
from comparer.model import Comparison, PassageMatch, SectionPair

REVIEW_SCHEMA = "comparer/review@1"
ID_HEX = 10  # 40 bits of SHA-256: collisions among a report's few thousand changes are negligible
MARK_STATES = ("reviewed", "flagged")
MAX_REVIEW_BYTES = 16 * 1024 * 1024
MAX_NOTE_CHARS = 4000


def content_id(*parts: str) -> str:
    """A short hash of `parts` (whitespace-normalised), the base of a change id."""
    joined = "\x1f".join(" ".join(p.split()) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:ID_HEX]


def _passage_key(match: PassageMatch) -> str:
    section = match.new_section or match.old_section
    return content_id(
        match.old.text if match.old else "",
        match.new.text if match.new else "",
        (section.topic if section else None) or "",
    )


def _section_key(pair: SectionPair) -> str:
    section = pair.new or pair.old
    heading = section.heading if section else ""
    return content_id("section " + pair.status, heading, pair.topic or "", section.text if section else "")


@dataclass(frozen=True, slots=True)
class ChangeIds:
    """Change ids of one comparison: by passage match id, and by index into `sections`."""

    passages: dict[str, str] = field(default_factory=dict)
    sections: dict[int, str] = field(default_factory=dict)

    def all(self) -> list[str]:
        """Every change id, sections first, each once."""
        return [*self.sections.values(), *self.passages.values()]


def change_ids(comparison: Comparison) -> ChangeIds:
    """Give every change of `comparison` (changed passages, added/removed sections) its id."""
    seen: dict[str, int] = {}

    def unique(base: str) -> str:
        seen[base] = seen.get(base, 0) + 1
        return base if seen[base] == 1 else f"{base}-{seen[base]}"

    sections = {
        k: unique(_section_key(pair))
        for k, pair in enumerate(comparison.sections)
        if pair.status != "matched"
    }
    passages = {m.id: unique(_passage_key(m)) for m in comparison.passages if m.status != "unchanged"}
    return ChangeIds(passages, sections)


@dataclass(frozen=True, slots=True)
class Review:
    """Marks carried from an earlier review: `marks` by change id, `seen` the ids it showed."""

    marks: dict[str, dict[str, str]] = field(default_factory=dict)
    seen: tuple[str, ...] = ()

    def for_ids(self, ids: list[str]) -> Review:
        """Only the marks of changes that still exist (a change that vanished loses its mark)."""
        present = set(ids)
        return Review({k: v for k, v in sorted(self.marks.items()) if k in present}, self.seen)


def load_review(path: Path) -> Review:
    """Read a review file the page exported; a malformed one is an `InputError`."""
    try:
        if path.stat().st_size > MAX_REVIEW_BYTES:
            raise InputError(f"{path}: review file larger than {MAX_REVIEW_BYTES} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise InputError(f"{path}: cannot read review file ({err.strerror})") from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{path}: not a review file (invalid JSON)") from err
    return parse_review(data, str(path))


def parse_review(data: Any, where: str) -> Review:
    """Check and convert a `comparer/review@1` document."""
    if not isinstance(data, dict) or data.get("schema") != REVIEW_SCHEMA:
        raise InputError(f"{where}: not a review file (schema is not {REVIEW_SCHEMA})")
    marks_in = data.get("marks", {})
    seen_in = data.get("seen", [])
    if not isinstance(marks_in, dict) or not isinstance(seen_in, list):
        raise InputError(f"{where}: review file: 'marks' must be an object and 'seen' a list")
    marks: dict[str, dict[str, str]] = {}
    for cid, mark in sorted(marks_in.items()):
        if not isinstance(mark, dict) or mark.get("state") not in MARK_STATES:
            raise InputError(
                f"{where}: review file: mark {cid!r} needs a state of {' or '.join(MARK_STATES)}"
            )
        note = mark.get("note", "")
        if not isinstance(note, str):
            raise InputError(f"{where}: review file: the note of {cid!r} must be text")
        marks[str(cid)] = {"state": str(mark["state"]), "note": note[:MAX_NOTE_CHARS]}
    seen = tuple(sorted({str(s) for s in seen_in if isinstance(s, str)}))
    return Review(marks, seen)
