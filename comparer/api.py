"""The library entry points: read reports and compare them.

`compare_reports` runs the comparing stages; its docstring lists them.


`read_report` runs the reading stages in order:
1. ingest: bytes become text blocks (decoding, HTML/PDF extraction, hard-wrap and flattened
   page recovery), because every later stage needs clean blocks whatever the source format;
2. clean: boilerplate blocks are marked with a reason, so sections hold only the report;
3. segment: blocks become a heading tree of sections, paragraphs and sentences with offsets;
4. metadata: the catalog and the text say who published it and which year it covers;
5. topics: each section gets a topic, so sections align across years and publishers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from comparer import __version__, align, claims, clean, facts, ingest, metadata, segment, topics
from comparer.diff import diff_words
from comparer.discover import discover
from comparer.errors import InputError, SegmentationError
from comparer.ingest import RawDocument
from comparer.model import (
    Claim,
    Comparison,
    DiffOp,
    FactChange,
    Paragraph,
    PassageMatch,
    PassageStatus,
    Report,
    Section,
)
from comparer.options import CompareOptions, ReadOptions


def read_report(
    path: Path | str, *, report_id: str | None = None, options: ReadOptions = ReadOptions()
) -> Report:
    """Read the report at `path`.

    Args:
        path: a text, Markdown, HTML or PDF file; "-" reads standard input.
        report_id: the id used in outputs; defaults to the file name without extension.
        options: encoding override and size limit.

    Returns:
        The report with metadata, sections and removed boilerplate.

    Raises:
        InputError: the file cannot be read as a report.
        SegmentationError: the file has no body text.
    """
    path = Path(path)
    if str(path) == STDIN:
        return _read_stdin(report_id=report_id, options=options)
    raw = ingest.read_document(path, options=options)
    entry = metadata.find_catalog_entry(path)
    return build_report(raw, report_id=report_id or path.stem, catalog=entry)


STDIN = "-"  # the file name that means standard input, as in diff(1)


def _read_stdin(*, report_id: str | None, options: ReadOptions) -> Report:
    """Read a report from standard input (its format from its content; no catalog entry)."""
    import sys

    data = sys.stdin.buffer.read(options.max_bytes + 1)
    raw = ingest.read_bytes(data, name=STDIN, options=options)
    return build_report(raw, report_id=report_id or "stdin", catalog=None)


def read_text(text: str, *, name: str = "report.txt", report_id: str | None = None) -> Report:
    """Read a report given as a string (`name` gives the format by its extension)."""
    raw = ingest.read_bytes(text.encode("utf-8"), name=name)
    return build_report(raw, report_id=report_id or Path(name).stem, catalog=None)


def build_report(raw: RawDocument, *, report_id: str, catalog: metadata.CatalogEntry | None) -> Report:
    """Run the clean, segment, metadata and topic stages on an ingested document."""
    blocks, toc = clean.clean_blocks(raw.blocks)
    text, sections, removed = segment.segment_blocks(blocks, toc)
    if not any(s.paragraphs for s in sections):
        raise SegmentationError(f"{raw.path}: no body text found (everything looked like page chrome)")
    title = sections[0].heading if sections and sections[0].level == 1 and sections[0].heading else None
    body = "\n".join(s.text for s in sections)
    meta = metadata.build_metadata(text=text, title=title, body=body, catalog=catalog)
    sections = topics.assign_topics(sections)
    return Report(
        id=report_id,
        path=raw.path,
        sha256=raw.sha256,
        format=raw.format,
        encoding=raw.encoding,
        text=text,
        metadata=meta,
        sections=sections,
        removed=removed,
        notes=raw.notes,
    )


def compare_files(
    old: Path | str, new: Path | str, *, options: CompareOptions = CompareOptions()
) -> Comparison:
    """Read and compare two report files.

    Args:
        old: the earlier report (or one publisher's).
        new: the later report (or the other publisher's).
        options: matching thresholds and reading options.

    Returns:
        The comparison: section pairs, passage matches with word diffs, fact changes.

    Raises:
        InputError: a file cannot be read as a report.
        SegmentationError: a file has no body text.
    """
    if str(old) == str(new) == STDIN:
        raise InputError(f"{STDIN}: standard input can be only one of the two reports")
    old_report = read_report(old, options=options.read)
    new_report = read_report(new, options=options.read)
    if new_report.id == old_report.id:
        old_report = replace(old_report, id=f"old:{old_report.id}")
        new_report = replace(new_report, id=f"new:{new_report.id}")
    return compare_reports(old_report, new_report, options=options)


def compare_reports(old: Report, new: Report, *, options: CompareOptions = CompareOptions()) -> Comparison:
    """Compare two reports that were already read.

    The stages, in order:
    1. match passages globally (exact hashes, then rapidfuzz on the rest), so moved text is found;
    2. align sections by shared passages, headings, topics and vocabulary;
    3. classify each passage (unchanged, modified, moved, added, removed);
    4. diff each changed passage word by word (diff-match-patch, one passage at a time);
    5. extract the facts of changed passages and pair them, so changed figures come first.
    """
    olds, news, pairs = align.match_passages(old, new, options)
    sections = align.align_sections(old, new, olds, news, pairs, options)
    classified = align.classify_passages(olds, news, pairs, sections)
    classified = align.match_leftover_sentences(classified, olds, news, sections, options)
    matches: list[PassageMatch] = []
    fact_changes: list[FactChange] = []
    for status, a, b, score in _in_reading_order(classified, pairs):
        pieces: list[tuple[PassageStatus, Paragraph | None, Paragraph | None, float]]
        if status == "modified" and a is not None and b is not None and len(a.para.sentences) > 1:
            pieces = align.refine_sentences(a.para, b.para, options.sentence_cutoff)
        else:
            pieces = [(status, a.para if a else None, b.para if b else None, score)]
        for sub_status, old_para, new_para, sub_score in pieces:
            ops: tuple[tuple[DiffOp, str], ...] = ()
            if sub_status in ("modified", "moved") and old_para is not None and new_para is not None:
                ops = diff_words(old_para.text, new_para.text)
            match = PassageMatch(
                id=f"p{len(matches) + 1}",
                status=sub_status,
                old=old_para,
                new=new_para,
                old_section=a.section if a else None,
                new_section=b.section if b else None,
                score=sub_score,
                diff=ops,
            )
            matches.append(match)
            fact_changes += _fact_changes(match)
    return Comparison(
        old=old,
        new=new,
        sections=tuple(sections),
        passages=tuple(matches),
        facts=tuple(_facts_first(fact_changes)),
        tool_version=__version__,
    )


def _in_reading_order(
    classified: list[tuple[PassageStatus, Any, Any, float]], pairs: dict[int, tuple[int, float]]
) -> list[tuple[PassageStatus, Any, Any, float]]:
    """Order passages by the new report; a removed passage after the new place of its old neighbour."""
    new_of_old = {i: j for i, (j, _) in pairs.items()}

    def key(item: tuple[PassageStatus, Any, Any, float]) -> tuple[float, int, int]:
        _, a, b, _ = item
        if b is not None:
            return (float(b.index), 0, b.para.start)
        before = [new_of_old[k] for k in range(a.index) if k in new_of_old]
        return ((max(before) if before else -1) + 0.5, a.index, a.para.start)

    return sorted(classified, key=key)


def _sentences_of(para: Paragraph | None, section: Section | None) -> list[tuple[str, str | None]]:
    if para is None:
        return []
    return [(s.text, section.id if section else None) for s in para.sentences]


def _fact_changes(match: PassageMatch) -> list[FactChange]:
    """Fact changes inside one passage match; unchanged passages carry unchanged facts."""
    if match.status == "unchanged" or (
        match.status == "moved" and match.old and match.new and match.old.text == match.new.text
    ):
        return []
    old_facts = facts.extract_facts(_sentences_of(match.old, match.old_section), prefix=f"{match.id}.o")
    new_facts = facts.extract_facts(_sentences_of(match.new, match.new_section), prefix=f"{match.id}.n")
    return facts.pair_facts(old_facts, new_facts)


def _facts_first(changes: list[FactChange]) -> list[FactChange]:
    """Changed facts first, then removed, added, unchanged; reading order within each."""
    rank = {"changed": 0, "removed": 1, "added": 2, "unchanged": 3}
    return sorted(changes, key=lambda c: rank[c.status])


def has_changes(comparison: Comparison) -> bool:
    """Return whether any passage changed, moved, appeared or disappeared."""
    return any(p.status != "unchanged" for p in comparison.passages) or any(
        s.status != "matched" for s in comparison.sections
    )


def has_fact_changes(comparison: Comparison) -> bool:
    """Return whether any fact changed, appeared or disappeared."""
    return any(f.status != "unchanged" for f in comparison.facts)


def expand_inputs(paths: list[Path], *, exclude: tuple[Path, ...] = ()) -> list[Path]:
    """Files named, plus report files found below folders named, in a stable order.

    `discover` says what a report file is (and warns about uncatalogued ones); `exclude` are
    paths never read (an output folder, a cache).
    """
    return discover(paths, exclude=exclude)


def read_reports(paths: list[Path], *, options: ReadOptions = ReadOptions()) -> list[Report]:
    """Read several reports; ids are file stems, made unique with their folder when needed.

    The reports come in path order, each once, whatever the order they were named in.
    """
    named = expand_inputs(paths)
    if sum(1 for p in named if str(p) == STDIN) > 1:
        raise InputError(f"{STDIN}: standard input can be named only once")
    files = sorted({p.resolve() if str(p) != STDIN else p: p for p in named}.values(), key=str)
    stems = Counter(p.stem for p in files)
    reports = []
    for path in files:
        report_id = path.stem if stems[path.stem] == 1 else f"{path.parent.name}/{path.stem}"
        report_id = "stdin" if str(path) == STDIN else report_id
        reports.append(read_report(path, report_id=report_id, options=options))
    return reports


def link_facts(
    paths: list[Path], *, options: ReadOptions = ReadOptions()
) -> tuple[list[Report], list[Claim]]:
    """Read reports and link their facts into claims.

    Args:
        paths: report files and folders of reports.
        options: reading options.

    Returns:
        The reports in canonical order, and the claims stated by at least two of them.

    Raises:
        InputError: a file cannot be read as a report, or no report was found.
    """
    reports = read_reports(paths, options=options)
    # canonical order, so the output never depends on the order of the arguments
    return sorted(reports, key=claims.report_order), claims.link_claims(reports)
