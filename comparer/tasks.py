"""The coarse jobs that `track`, `facts` and `check` hand to an executor (see `executors`).

Each job is a top-level function of plain, picklable arguments that returns plain data (JSON
shaped, or model values) and writes nothing: every cache write happens in the process that
runs the command. A report reaches a job as a `Source`: its path, or, for workers that may not
share this machine's filesystem (Dask), its bytes.

- `read_report`: read one report; its summary, its facts and its sentence offsets (so that
  the worker comparing it need not split its sentences again), and for `track` the report as
  read (`pack_report`: the worker comparing it need not read it again).
- `compare_pairs`: compare pairs of reports, each read once; each pair's HTML page and
  per-topic change counts (`compare_pair`: one pair).
- `facts_page`: link one country's claims from cached facts and render its facts page.
- `link_country`: link one country's claims from cached facts.

The reading and comparing modules are imported by the jobs, when they run: a driver with
nothing new to do never loads them.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from comparer import __version__
from comparer.cache import pack
from comparer.errors import ComparerError
from comparer.metadata import CatalogEntry
from comparer.model import Claim, Entry, Fact, Metadata, Report
from comparer.options import CompareOptions, ReadOptions


@dataclass(frozen=True, slots=True)
class Source:
    """A report file as a job gets it: named by its path, with its bytes when shipped."""

    name: str  # the path as the user named it (in messages and in the report)
    report_id: str
    catalog: CatalogEntry | None  # found where the files are
    data: bytes | None = None  # None: the job reads `name` itself
    sentences: bytes | None = None  # its paragraphs' sentence offsets (`sentences.pack`), if known
    parsed: bytes | None = None  # the report as another job read it (`pack_report`), if known

    def read(self, options: ReadOptions = ReadOptions()) -> Report:
        """The report, as `api.read_report` reads it from the file."""
        from comparer import api, ingest

        if self.parsed is not None:
            report = unpack_report(self.parsed)
            if self.sentences:
                from comparer import sentences

                sentences.remember(_paragraph_texts(report), self.sentences)
            return report
        data = self.data
        if data is None:
            data = ingest.read_input(Path(self.name), max_bytes=options.max_bytes)
        # through the per-process memo: a worker comparing a report with the previous edition
        # and then with the next reads it once
        report = api.report_from_bytes(
            data, name=self.name, report_id=self.report_id, catalog=self.catalog, options=options
        )
        if self.sentences:
            from comparer import sentences

            sentences.remember(_paragraph_texts(report), self.sentences)
        return report


# zlib level of a report handed from its read job to its compare jobs: the fastest; it only
# has to keep the driver's memory of a run's reports near the size of their text.
_PACK_LEVEL = 1


def pack_report(report: Report) -> bytes:
    """`report` as bytes for a job of this run (`unpack_report`): 50 times faster than reading it again.

    A pickle, so it never leaves the run: jobs and their results travel as pickles already,
    and the cache, which outlives the run, holds no pickle (see `cache`).
    """
    return zlib.compress(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL), _PACK_LEVEL)


def unpack_report(data: bytes) -> Report:
    """The report `pack_report` gave."""
    report = pickle.loads(zlib.decompress(data))  # made by this run's own jobs, never read from a file
    if not isinstance(report, Report):
        raise TypeError(f"not a packed report: {type(report).__name__}")
    return report


def _paragraph_texts(report: Report) -> list[str]:
    """The texts of `report`'s paragraphs in reading order."""
    return [p.text for s in report.sections for p in s.paragraphs]


def read_report(
    source: Source, options: ReadOptions = ReadOptions(), keep: bool = False
) -> tuple[dict[str, Any], list[dict[str, Any]], bytes, bytes | None] | str:
    """Read one report: its summary (an `Entry` and the metadata as read), its facts, its
    paragraphs' sentence offsets (`sentences.pack`) and, if `keep`, the report (`pack_report`);
    or the error message."""
    from comparer import claims, facts, sentences

    try:
        report = source.read(options)
    except ComparerError as err:
        return str(err)
    meta = report.metadata
    topics: Counter[str] = Counter()
    for s in report.sections:
        if s.topic and s.paragraphs:
            topics[s.topic] += s.n_words
    summary = {
        "id": report.id, "path": source.name, "sha256": report.sha256, "country": meta.country or "Unknown",
        "publisher": meta.publisher or "Unknown publisher", "edition": meta.edition, "covers": meta.covers,
        "title": meta.title or report.id, "words": report.n_words, "topics": dict(sorted(topics.items())),
        "metadata": {"country": meta.country, "publisher": meta.publisher, "series": meta.series,
                     "edition": meta.edition, "covers": meta.covers, "title": meta.title},
    }  # fmt: skip
    found = [dict(facts.fact_to_json(f), previous=prev) for f, prev in claims.report_facts(report)]
    return summary, found, sentences.pack(_paragraph_texts(report)), pack_report(report) if keep else None


def compare_pair(old: Source, new: Source, links: tuple[tuple[str, str], ...]) -> dict[str, Any] | str:
    """Compare two reports: the HTML page (`cache.pack`ed, and its digest) and per-topic change
    counts, or the error message."""
    return compare_pairs([old, new], [(0, 1)], links)[0]


def compare_pairs(
    sources: list[Source], pairs: list[tuple[int, int]], links: tuple[tuple[str, str], ...]
) -> list[dict[str, Any] | str]:
    """Compare each (old, new) pair of `sources` (by index), reading each source once.

    Each result is what `compare_pair` gives: the page and its counts, or the error message.
    """
    read: dict[int, Report | str] = {}
    for k in sorted({k for pair in pairs for k in pair}):
        try:
            report = sources[k].read()
        except ComparerError as err:
            read[k] = str(err)
            continue
        # Pages show paths below the collection's folder, however the folder was named.
        read[k] = replace(report, path=sources[k].report_id + Path(sources[k].name).suffix)
    out: list[dict[str, Any] | str] = []
    for a, b in pairs:
        before, after = read[a], read[b]
        if isinstance(before, str) or isinstance(after, str):
            out.append(before if isinstance(before, str) else str(after))
        else:
            out.append(_compare(before, after, links))
    return out


def _compare(before: Report, after: Report, links: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The page of two reports and its per-topic change counts."""
    from comparer import api
    from comparer.render.html_report import render_html

    comparison = api.compare_reports(before, after, options=CompareOptions())
    by_topic: dict[str, Counter[str]] = defaultdict(Counter)
    for p in comparison.passages:
        section = p.new_section or p.old_section
        topic = (section.topic if section else None) or "other"
        by_topic[topic][p.status] += 1
    html = render_html(comparison, links=links)
    return {
        "page": pack(html),
        "html_sha256": hashlib.sha256(html.encode("utf-8")).hexdigest(),
        "topics": {t: dict(sorted(c.items())) for t, c in sorted(by_topic.items())},
        "facts_changed": sum(1 for f in comparison.facts if f.status == "changed"),
    }


def parse_facts(text: str) -> list[tuple[Fact, str]]:
    """Facts as `read_report` gave them (JSON text), each with the sentence before it.

    Raises:
        ValueError: the text is not such a list (a damaged cache entry).
    """
    from comparer import facts

    try:
        data = json.loads(text)
        return [(facts.fact_from_json(f), str(f.get("previous", ""))) for f in data]
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise ValueError(f"not a list of facts ({err})") from None


def metadata_only_report(report_id: str, path: str, sha256: str, meta: Metadata) -> Report:
    """A report with metadata and no text: what linking and the facts outputs need when the
    facts come from the cache."""
    return Report(report_id, path, sha256, "cached", "", "", meta, (), ())


def entry_report(entry: Entry) -> Report:
    """`metadata_only_report` of a site entry."""
    meta = Metadata(
        country=entry.country,
        publisher=entry.publisher,
        edition=entry.edition,
        covers=entry.covers,
        title=entry.title,
    )
    return metadata_only_report(entry.id, entry.path, entry.sha256, meta)


def link_country(reports: list[Report], fact_texts: list[str]) -> list[Claim]:
    """Link the claims of one country's `reports`, whose facts are `fact_texts` (one each)."""
    from comparer import claims

    loaded = {r.id: parse_facts(text) for r, text in zip(reports, fact_texts, strict=True)}
    return claims.link_claims(reports, facts_of=lambda r: loaded[r.id])


def facts_page(country: str, members: list[Entry], fact_texts: list[str]) -> dict[str, Any]:
    """Link one country's claims and render its facts page: the HTML, conflicts and changed claims."""
    from comparer.render.html_report import render_facts_html

    reports = [entry_report(e) for e in members]
    linked = link_country(reports, fact_texts)
    html = render_facts_html(
        reports,
        linked,
        version=__version__,
        links=(("All countries", "../index.html"), (country, "index.html")),
        words={e.id: e.words for e in members},
    )
    conflicts = [
        {"subject": c.subject, "values": [[r.id, f.text] for r, f in c.values]}
        for c in linked
        if c.status == "conflict"
    ]
    return {
        "page": pack(html),
        "html_sha256": hashlib.sha256(html.encode("utf-8")).hexdigest(),
        "conflicts": conflicts,
        "changed": sum(1 for c in linked if c.status == "changed"),
    }
