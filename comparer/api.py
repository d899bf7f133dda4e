"""The library entry points: read reports and compare them.

`read_report` runs the reading stages in order:
1. ingest: bytes become text blocks (decoding, HTML/PDF extraction, hard-wrap and flattened
   page recovery), because every later stage needs clean blocks whatever the source format;
2. clean: boilerplate blocks are marked with a reason, so sections hold only the report;
3. segment: blocks become a heading tree of sections, paragraphs and sentences with offsets;
4. metadata: the catalog and the text say who published it and which year it covers;
5. topics: each section gets a topic, so sections align across years and publishers.
"""

from __future__ import annotations

from pathlib import Path

from comparer import clean, ingest, metadata, segment, topics
from comparer.errors import SegmentationError
from comparer.ingest import RawDocument
from comparer.model import Report
from comparer.options import ReadOptions


def read_report(path: Path | str, *, report_id: str | None = None, options: ReadOptions = ReadOptions()) -> Report:
    """Read the report at `path`.

    Args:
        path: a text, Markdown, HTML or PDF file.
        report_id: the id used in outputs; defaults to the file name without extension.
        options: encoding override and size limit.

    Returns:
        The report with metadata, sections and removed boilerplate.

    Raises:
        InputError: the file cannot be read as a report.
        SegmentationError: the file has no body text.
    """
    path = Path(path)
    raw = ingest.read_document(path, options=options)
    entry = metadata.find_catalog_entry(path)
    return build_report(raw, report_id=report_id or path.stem, catalog=entry)


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
    )
