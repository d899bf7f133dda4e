"""Many reports through one executor and one cache: the path `track`, `facts` and `check` share.

A `Batch` hands coarse jobs (`tasks`) to an executor (`executors`: here, worker processes or
Dask) and stores each result in the cache as it comes, in this process only. Results come back
in the order of their inputs, so what is written never depends on the executor, the number of
workers or the state of the cache.

- reading: each report not in the cache is read in a job: its summary (an `Entry` and its
  metadata as read) and its facts, stored under a key of its content hash, id, catalog entry,
  options and comparer's own code.
- linking: each country's claims are linked in a job, stored under a key of its reports'
  metadata and fact digests (`facts` and `check`; `track` stores the rendered facts page).

`link_facts` is `api.link_facts` on this path: the same reports and claims, in parallel and
cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

from comparer import __version__, tasks
from comparer.cache import Cache
from comparer.errors import InputError
from comparer.executors import Executor, running
from comparer.metadata import CatalogEntry
from comparer.model import Claim, Entry, Failure, Metadata, Report
from comparer.options import ReadOptions

Progress = Callable[[str, int, int], None]  # (what, done, total)
STDIN = "-"


class Batch:
    """Jobs over a set of reports: run by `executor`, their results stored in `cache` here."""

    def __init__(
        self, executor: Executor, cache: Cache, say: Progress, options: ReadOptions = ReadOptions()
    ) -> None:
        self.executor = executor
        self.cache = cache
        self.say = say
        self.options = options
        self.failures: list[Failure] = []  # reports that could not be read, in input order
        self.keys: dict[str, str] = {}  # report id -> cache key of its summary and facts
        self.fact_digests: dict[str, str] = {}  # report id -> sha256 of its facts (JSON text)
        self._catalogs: dict[str, CatalogEntry | None] = {}  # report path -> its catalog entry
        self._stdin: bytes | None = None
        self.sentences: dict[str, bytes] = {}  # report id -> sentence offsets, of reports read in this run
        self.keep_reports = False  # whether later jobs of the run take the reports as read (`track`)
        self.parsed: dict[str, bytes] = {}  # report id -> the report as read in this run (`keep_reports`)

    def map(self, what: str, fn: Callable[..., Any], *iterables: list[Any]) -> Iterator[Any]:
        """The executor's results of `fn`, in the order of the arguments, with progress."""
        total = len(iterables[0])
        self.say(what, 0, total)
        for k, value in enumerate(self.executor.map(fn, *iterables), start=1):
            yield value
            self.say(what, k, total)

    def source(self, path: str, report_id: str) -> tasks.Source:
        """A report for a job: with its bytes when the executor's workers may not see our files."""
        from comparer.ingest import read_input

        if path == STDIN:
            return tasks.Source(path, report_id, None, self._stdin)
        shipped = self.executor.ships_files and report_id not in self.parsed  # a report as read needs no bytes
        data = read_input(Path(path), max_bytes=self.options.max_bytes) if shipped else None
        return tasks.Source(
            path, report_id, self._catalogs.get(path), data, self.sentences.get(report_id), self.parsed.get(report_id)
        )

    def read_all(self, files: list[Path], ids: dict[Path, str]) -> list[dict[str, Any]]:
        """The summaries of the `files` that can be read (in their order), read where the cache has none.

        A file that cannot be read is recorded in `failures` and left out.
        """
        cache = self.cache
        shas = {p: self._sha256(p, ids[p]) for p in files}
        readable = [p for p in files if shas[p] is not None]
        self._find_catalog_entries(readable)
        keys = {p: cache.key("report", str(shas[p]), ids[p], self._catalog_stamp(p)) for p in readable}
        found: dict[Path, dict[str, Any]] = {}
        todo = []
        for path in readable:
            summary = _parse_summary(cache.get_json("report", keys[path]))
            # A report is only done when its facts are there too (they are read lazily).
            if summary is None or not cache.has("facts", keys[path]):
                todo.append(path)
            else:
                found[path] = summary
            cache.count(hit=path not in todo)
        sources = Lazy(lambda p: self.source(str(p), ids[p]), todo)
        read = self.map(
            "reading", tasks.read_report, sources, [self.options] * len(todo), [self.keep_reports] * len(todo)
        )
        for path, value in zip(todo, read, strict=True):
            if isinstance(value, str):
                self.failures.append(Failure.of(ids[path], str(path), value))
                continue
            summary, fact_list, self.sentences[ids[path]], parsed = value
            if parsed is not None:
                self.parsed[ids[path]] = parsed
            summary["facts_sha256"] = self._put_facts(keys[path], fact_list)
            cache.put_json("report", keys[path], summary)  # last: a report entry means both are there
            found[path] = summary
        done = [p for p in files if p in found]
        order = {ids[p]: k for k, p in enumerate(files)}
        self.failures.sort(key=lambda f: order[f.label])  # in input order, however they failed
        for path in done:
            self.keys[ids[path]] = keys[path]
            self.fact_digests[ids[path]] = found[path]["facts_sha256"]
        return [{**found[path], "path": str(path)} for path in done]

    def _sha256(self, path: Path, label: str) -> str | None:
        """The content hash of `path`, read through the checks of ingest; None (and a failure) if unreadable.

        A file whose stat is the one recorded with its hash is not read again (see `cache`).
        """
        try:
            if str(path) == STDIN:  # read once: the job gets these bytes
                self._stdin = sys.stdin.buffer.read(self.options.max_bytes + 1)
                return hashlib.sha256(self._stdin).hexdigest()
            name = os.path.abspath(path)
            looked_at = time.time_ns()  # before the stat: a change after it is never missed
            info = _stat(path)
            if info is not None and stat.S_ISREG(info.st_mode) and info.st_size <= self.options.max_bytes:
                known = self.cache.known_digest("file-sha256", name, info)
                if known is not None:
                    return known
            from comparer.ingest import read_input  # here: a re-run with nothing new never loads it

            digest = hashlib.sha256(read_input(path, max_bytes=self.options.max_bytes)).hexdigest()
            if info is not None and stat.S_ISREG(info.st_mode):
                self.cache.remember_digest("file-sha256", name, info, digest, looked_at)
            return digest
        except InputError as err:
            self.failures.append(Failure.of(label, str(path), str(err)))
            return None

    def _find_catalog_entries(self, paths: list[Path]) -> None:
        """Look up the catalog entry of each of `paths` (each folder's catalogs looked at once)."""
        from comparer.metadata import find_catalog_entries

        files = [p for p in paths if str(p) != STDIN]
        self._catalogs.update(zip((str(p) for p in files), find_catalog_entries(files), strict=True))
        self._catalogs.update((str(p), None) for p in paths if str(p) == STDIN)

    def _catalog_stamp(self, path: Path) -> str:
        """The catalog entry describing `path` (looked up first), so editing a catalog invalidates its reports."""
        entry = self._catalogs[str(path)]
        return repr(sorted(entry.fields.items())) if entry else ""

    def _put_facts(self, key: str, fact_list: list[dict[str, Any]]) -> str:
        """Store a report's facts; their digest."""
        text = json.dumps(fact_list, sort_keys=True, ensure_ascii=False)
        self.cache.put_text("facts", key, text)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def fact_text(self, report_id: str, path: str) -> str:
        """The cached facts of a report (JSON text); read the report again if they are damaged."""
        key = self.keys[report_id]
        text = self.cache.get_text("facts", key)
        if (
            text is not None
            and hashlib.sha256(text.encode("utf-8")).hexdigest() == self.fact_digests[report_id]
        ):
            return text
        value = tasks.read_report(self.source(path, report_id), self.options)
        if isinstance(value, str):
            raise InputError(value) from None
        self._put_facts(key, value[1])
        return str(self.cache.get_text("facts", key))

    def stamp(self, report_id: str, *fields: object) -> str:
        """A report in a linking key: what is shown of it (`fields`) and the digest of its facts."""
        return repr((report_id, *fields, self.fact_digests[report_id]))

    def link_claims(self, reports: list[Report]) -> list[Claim]:
        """`claims.link_claims(reports)` from cached facts: each country linked in a job, or from the cache."""
        from comparer import claims

        by_country: dict[str, list[Report]] = defaultdict(list)
        for report in claims.canonical_reports(reports):
            by_country[(report.metadata.country or "").lower()].append(report)
        found: dict[str, list[Claim]] = {}
        todo: list[tuple[str, str]] = []
        for country, members in sorted(by_country.items()):
            key = self.cache.key(
                "claims", country, *(self.stamp(r.id, repr(r.metadata), r.path) for r in members)
            )
            linked = _claims_from_json(self.cache.get_json("claims", key), members)
            if linked is not None:
                found[country] = linked
            else:
                todo.append((country, key))
            self.cache.count(hit=linked is not None)
        groups = [by_country[country] for country, _ in todo]
        texts = Lazy(lambda group: [self.fact_text(r.id, r.path) for r in group], groups)
        for (country, key), linked in zip(
            todo, self.map("linking facts", tasks.link_country, groups, texts), strict=True
        ):
            self.cache.put_json("claims", key, [_claim_to_json(c) for c in linked])
            found[country] = _claims_from_json(self.cache.get_json("claims", key), by_country[country]) or []
        ordered = [c for country in sorted(found) for c in found[country]]
        return [replace(c, id=f"c{n}") for n, c in enumerate(ordered, start=1)]


def _stat(path: Path) -> os.stat_result | None:
    """`os.stat(path)`, or None when it fails (reading the file then says why)."""
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None


class Lazy(list[Any]):
    """`[make(x) for x in items]`, made when read: file bytes are loaded as jobs are handed out."""

    def __init__(self, make: Callable[[Any], Any], items: list[Any]) -> None:
        super().__init__(items)
        self.make = make

    def __iter__(self) -> Iterator[Any]:
        return (self.make(x) for x in super().__iter__())


_SUMMARY_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,), "path": (str,), "sha256": (str,), "country": (str,), "publisher": (str,),
    "edition": (int, type(None)), "covers": (int, type(None)), "title": (str,), "words": (int,),
    "topics": (dict,), "metadata": (dict,), "facts_sha256": (str,),
}  # fmt: skip
_METADATA_TYPES: dict[str, tuple[type, ...]] = {
    "country": (str, type(None)), "publisher": (str, type(None)), "series": (str, type(None)),
    "edition": (int, type(None)), "covers": (int, type(None)), "title": (str, type(None)),
}  # fmt: skip


def _parse_summary(data: Any) -> dict[str, Any] | None:
    """A cached report summary if it has the expected shape and types, else None (never trusted)."""
    if not isinstance(data, dict) or set(data) != set(_SUMMARY_TYPES):
        return None
    if not all(isinstance(data[k], types) for k, types in _SUMMARY_TYPES.items()):
        return None
    if not all(isinstance(t, str) and isinstance(n, int) for t, n in data["topics"].items()):
        return None
    meta = data["metadata"]
    if set(meta) != set(_METADATA_TYPES) or not all(
        isinstance(meta[k], t) for k, t in _METADATA_TYPES.items()
    ):
        return None
    return dict(data)


def entry(summary: dict[str, Any]) -> Entry:
    """The site's view of a report from its summary."""
    return Entry(**{k: v for k, v in summary.items() if k not in ("metadata", "facts_sha256")})


def light_report(summary: dict[str, Any]) -> Report:
    """A report with its metadata as read and no text: what linking and the facts outputs need."""
    meta = Metadata(**summary["metadata"])
    return tasks.metadata_only_report(summary["id"], summary["path"], summary["sha256"], meta)


def _claim_to_json(claim: Claim) -> dict[str, Any]:
    from comparer import facts

    values = [[r.id, facts.fact_to_json(f)] for r, f in claim.values]
    return {"id": claim.id, "subject": claim.subject, "kind": claim.kind, "status": claim.status,
            "values": values, "notes": list(claim.notes)}  # fmt: skip


def _claims_from_json(data: Any, reports: list[Report]) -> list[Claim] | None:
    """Claims `_claim_to_json` wrote, over `reports`; None if the data is not such a list."""
    by_id = {r.id: r for r in reports}
    try:
        return [_claim_from_json(c, by_id) for c in data]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _claim_from_json(c: dict[str, Any], by_id: dict[str, Report]) -> Claim:
    from comparer import facts

    values = tuple((by_id[r], facts.fact_from_json(f)) for r, f in c["values"])
    notes = tuple(str(n) for n in c["notes"])
    return Claim(str(c["id"]), str(c["subject"]), c["kind"], c["status"], values, notes)


def link_facts(
    paths: list[Path],
    *,
    options: ReadOptions = ReadOptions(),
    jobs: int | None = None,
    cache_path: Path | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> tuple[list[Report], list[Claim], dict[str, int]]:
    """`api.link_facts` on the parallel, cached path: reports, claims and each report's words.

    Args:
        paths: report files and folders of reports ("-" is standard input).
        options: reading options.
        jobs: worker processes (default: all cores; 1 runs here), or LocalCluster workers.
        cache_path: a cache file to keep results in (default: none kept).
        scheduler: run the jobs on Dask (see `executors`).
        progress: called as (stage, done, total) while working.

    Returns:
        The reports in canonical order (metadata only: no text), the claims stated by at least
        two of them, and the words of each report by id.

    Raises:
        InputError: a file cannot be read as a report, or no report was found.
    """
    from comparer import api, claims

    named = api.named_reports(paths)
    files, ids = [path for path, _ in named], dict(named)
    with ExitStack() as stack:
        executor = stack.enter_context(running(jobs, scheduler))
        if cache_path is None:
            cache_path = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "cache.sqlite"
        cache = Cache(cache_path, salt=f"{__version__}|{options}")
        stack.callback(cache.close)
        batch = Batch(executor, cache, progress or (lambda what, done, total: None), options)
        summaries = batch.read_all(files, ids)
        if batch.failures:
            raise InputError(batch.failures[0].message)
        reports = sorted((light_report(s) for s in summaries), key=claims.report_order)
        linked = batch.link_claims(reports)
        cache.prune()
    return reports, linked, {s["id"]: s["words"] for s in summaries}
