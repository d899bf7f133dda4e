"""`comparer track`: a collection of reports becomes a static site, incrementally and in parallel.

The stages, in order:
1. discover the report files below a folder, hash them, and read each one not in the cache
   (metadata, topics covered, facts) in worker processes;
2. group reports by country and order them by covered year; plan the comparisons:
   consecutive editions of each publisher, and publishers side by side for one covered year;
3. compare each pair not in the cache (worker processes), keeping the HTML page and its
   per-topic change counts;
4. link each country's facts into claims (from cached facts) and render its facts page;
5. write index.html (a topics x reports heat map per country), every page offline and
   linked both ways, into a fresh folder whose files then replace comparer's earlier pages
   in the site (`sitedir`: other files in the site are kept).

Cache keys hold content hashes, the tool version and the options, so a re-run after one new
report does only the new work. Output is byte-identical for the same inputs.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from comparer import __version__, api, claims, facts, sitedir, workers
from comparer.cache import Cache
from comparer.errors import ComparerError, InputError
from comparer.model import Fact, Metadata, Report
from comparer.options import CompareOptions
from comparer.render.markdown_report import GENERATOR_TAG, escape_markdown
from comparer.review import Review

Progress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass(frozen=True, slots=True)
class Entry:
    """A report of the collection, as the site needs it (cached as JSON)."""

    id: str
    path: str
    sha256: str
    country: str
    publisher: str
    edition: int | None
    covers: int | None
    title: str
    words: int
    topics: dict[str, int]  # topic -> words

    @property
    def slug(self) -> str:
        """The report id as a file name."""
        return _slug(self.id)


@dataclass(frozen=True, slots=True)
class Pair:
    """A planned comparison."""

    old: Entry
    new: Entry
    kind: str  # "year over year" or "side by side"

    @property
    def page(self) -> str:
        """The comparison page's file name, relative to the country folder."""
        return f"{self.old.slug}__{self.new.slug}.html"


@dataclass(frozen=True, slots=True)
class Failure:
    """A report (or comparison) left out of the site: `label` is its id, `message` the error."""

    label: str
    message: str  # with the file's path, for the terminal
    problem: str  # without it, for pages (which name the report by its id)

    @classmethod
    def of(cls, label: str, path: str, message: str) -> Failure:
        return cls(label, message, message.removeprefix(f"{path}: "))


@dataclass
class SiteResult:
    """What a run did: for the CLI's summary and for tests."""

    entries: list[Entry] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    pair_stats: dict[str, dict[str, Any]] = field(default_factory=dict)
    conflicts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    changed_claims: dict[str, int] = field(default_factory=dict)
    cache_hits: int = 0
    cache_misses: int = 0
    cache_note: str | None = None
    pages: int = 0
    failures: list[Failure] = field(default_factory=list)  # reports that could not be read
    pruned: int = 0


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "report"


def _sha256(path: Path, label: str, result: SiteResult) -> str | None:
    """The content hash of `path`, read through the checks of ingest; None (and a failure) if unreadable."""
    from comparer.ingest import read_input
    from comparer.options import MAX_INPUT_BYTES

    try:
        return hashlib.sha256(read_input(path, max_bytes=MAX_INPUT_BYTES)).hexdigest()
    except InputError as err:
        result.failures.append(Failure.of(label, str(path), str(err)))
        return None


# --- worker jobs (top-level, so processes can run them) ---------------------------------------


def _read_job(args: tuple[str, str]) -> tuple[dict[str, Any], list[dict[str, Any]]] | str:
    """Read one report: its summary and its facts as JSON data, or the error message."""
    path, report_id = args
    try:
        report = api.read_report(Path(path), report_id=report_id)
    except ComparerError as err:
        return str(err)
    meta = report.metadata
    topics: Counter[str] = Counter()
    for s in report.sections:
        if s.topic and s.paragraphs:
            topics[s.topic] += s.n_words
    summary = {
        "id": report_id, "path": path, "sha256": report.sha256, "country": meta.country or "Unknown",
        "publisher": meta.publisher or "Unknown publisher", "edition": meta.edition, "covers": meta.covers,
        "title": meta.title or report_id, "words": report.n_words, "topics": dict(sorted(topics.items())),
    }  # fmt: skip
    found = [dict(facts.fact_to_json(f), previous=prev) for f, prev in claims.report_facts(report)]
    return summary, found


def _compare_job(args: tuple[str, str, str, str, tuple[tuple[str, str], ...]]) -> dict[str, Any] | str:
    """Compare two reports: the HTML page and per-topic change counts, or the error message."""
    from comparer.render.html_report import render_html

    old_path, old_id, new_path, new_id, links = args
    try:
        old = api.read_report(Path(old_path), report_id=old_id)
        new = api.read_report(Path(new_path), report_id=new_id)
    except ComparerError as err:
        return str(err)
    # Pages show paths below the collection's folder, however the folder was named.
    old = replace(old, path=old_id + Path(old_path).suffix)
    new = replace(new, path=new_id + Path(new_path).suffix)
    comparison = api.compare_reports(old, new, options=CompareOptions())
    by_topic: dict[str, Counter[str]] = defaultdict(Counter)
    for p in comparison.passages:
        section = p.new_section or p.old_section
        topic = (section.topic if section else None) or "other"
        by_topic[topic][p.status] += 1
    fact_changes = sum(1 for f in comparison.facts if f.status == "changed")
    return {
        "html": render_html(comparison, links=links),
        "topics": {t: dict(sorted(c.items())) for t, c in sorted(by_topic.items())},
        "facts_changed": fact_changes,
    }


# --- the run ------------------------------------------------------------------------------


def build_site(
    root: Path,
    site: Path,
    *,
    jobs: int | None = None,
    cache_path: Path | None = None,
    progress: Progress | None = None,
    force: bool = False,
    review: Review | None = None,
) -> SiteResult:
    """Build the static site for the reports below `root` into `site`.

    Args:
        root: a folder of reports (with catalog.toml files where metadata is stated).
        site: the output folder: new, empty, or written by an earlier run (see `sitedir`);
            comparer's pages in it are replaced when the run succeeds, other files are kept.
        jobs: worker processes (default: all cores; 1 runs in this process).
        cache_path: the SQLite cache (default: `<site>.cache.sqlite` beside the site).
        progress: called as (stage, done, total) while working.
        force: write into a non-empty folder comparer did not write (its other files are kept).
        review: review marks to carry into every comparison page (by change id).

    Returns:
        What the run found and did.

    Raises:
        InputError: no reports, or a report that cannot be read.
        RenderError: a site folder comparer must not write into.
    """
    jobs = jobs or os.cpu_count() or 1
    say = progress or (lambda what, done, total: None)
    previous = sitedir.check_site(site, root, force=force)
    cache_path = cache_path or site.with_name(site.name + ".cache.sqlite")
    sitedir.sweep(site)
    files = api.expand_inputs([root], exclude=(site, cache_path))
    ids = _ids(root, files)
    cache = Cache(cache_path, salt=f"{__version__}|{CompareOptions()}")
    result = SiteResult(cache_note=cache.rebuilt_reason)
    try:
        entries, fact_keys = _read_all(files, ids, cache, jobs, say, result)
        result.entries = entries
        by_country = _group(entries)
        planned = _plan(by_country)
        pages = _compare_all(planned, {e.id: Path(e.path) for e in entries}, cache, jobs, say, result)
        result.pairs = [p for p in planned if p.page in pages]
        result.pair_stats = {p.page: pages[p.page] for p in result.pairs}
        facts_pages = {}
        for k, (country, members) in enumerate(sorted(by_country.items())):
            say("linking facts", k, len(by_country))
            facts_pages[country] = _facts_page(country, members, fact_keys, cache, result)
        say("linking facts", len(by_country), len(by_country))
        result.cache_hits, result.cache_misses = cache.hits, cache.misses
        with sitedir.building(site) as build:
            result.pages = _write_pages(build, by_country, result, pages, facts_pages, cache, review)
            sitedir.install(build, site, previous, force=force)
        result.pruned = cache.prune()
    finally:
        cache.close()
    return result


class Interrupted(KeyboardInterrupt):
    """The run was stopped by SIGTERM (the CLI raises it; Ctrl-C raises KeyboardInterrupt).

    Every result is committed to the cache when it is stored, so a stopped run loses only
    the work in progress.
    """


def _ids(root: Path, files: list[Path]) -> dict[Path, str]:
    """Report ids: the path below `root` without its extension ("north-korea/hrw-2014")."""
    out = {}
    for path in files:
        try:
            rel = path.resolve().relative_to(root.resolve())
        except ValueError:
            rel = Path(path.name)
        out[path] = rel.with_suffix("").as_posix()
    counts = Counter(out.values())
    for path, report_id in list(out.items()):
        if counts[report_id] > 1:  # the same report as .txt and .html: keep the extension
            out[path] = f"{report_id}.{path.suffix.lstrip('.')}"
    return out


def _pool_map(
    fn: Callable[[Any], Any], items: list[Any], jobs: int, say: Progress, what: str
) -> Iterator[Any]:
    """Map `fn` over `items` in `jobs` processes (or here), in order, yielding each result as it comes.

    Callers store each result at once, so an interrupted run keeps what it finished.
    """
    say(what, 0, len(items))
    if jobs <= 1 or len(items) <= 1:
        for k, item in enumerate(items, start=1):
            yield fn(item)
            say(what, k, len(items))
        return
    with workers.pool(jobs) as pool:
        for k, value in enumerate(pool.map(fn, items, chunksize=1), start=1):
            yield value
            say(what, k, len(items))


def _read_all(
    files: list[Path], ids: dict[Path, str], cache: Cache, jobs: int, say: Progress, result: SiteResult
) -> tuple[list[Entry], dict[str, str]]:
    """Entries for the `files` that can be read (read where the cache has none); their facts keys.

    A file that cannot be read is recorded in `result.failures` and left out of the site.
    """
    shas = {p: _sha256(p, ids[p], result) for p in files}
    readable = [p for p in files if shas[p] is not None]
    keys = {p: cache.key("report", str(shas[p]), ids[p], _catalog_stamp(p)) for p in readable}
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
    jobs_args = [(str(p), ids[p]) for p in todo]
    for path, value in zip(todo, _pool_map(_read_job, jobs_args, jobs, say, "reading"), strict=True):
        if isinstance(value, str):
            result.failures.append(Failure.of(ids[path], str(path), value))
            continue
        summary, fact_list = value
        cache.put_json("facts", keys[path], fact_list)
        cache.put_json("report", keys[path], summary)  # last: a report entry means both are there
        found[path] = summary
    done = [p for p in readable if p in found]
    entries = [Entry(**{**found[path], "path": str(path)}) for path in done]
    return entries, {entry.id: keys[path] for entry, path in zip(entries, done, strict=True)}


def _load_facts(entry: Entry, key: str, cache: Cache) -> list[tuple[Fact, str]]:
    """The facts of `entry` from the cache; read the report again if the entry is unusable."""
    data = cache.get_json("facts", key)
    try:
        return [(facts.fact_from_json(f), str(f.get("previous", ""))) for f in data]
    except (KeyError, TypeError, ValueError, AttributeError):
        value = _read_job((entry.path, entry.id))
        if isinstance(value, str):
            raise InputError(value) from None
        cache.put_json("facts", key, value[1])
        return [(facts.fact_from_json(f), str(f.get("previous", ""))) for f in value[1]]


def _catalog_stamp(path: Path) -> str:
    """The catalog entry describing `path`, so editing a catalog invalidates its reports."""
    from comparer.metadata import find_catalog_entry

    entry = find_catalog_entry(path)
    return repr(sorted(entry.fields.items())) if entry else ""


_SUMMARY_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,), "path": (str,), "sha256": (str,), "country": (str,), "publisher": (str,),
    "edition": (int, type(None)), "covers": (int, type(None)), "title": (str,), "words": (int,),
    "topics": (dict,),
}  # fmt: skip


def _parse_summary(data: Any) -> dict[str, Any] | None:
    """A cached report summary if it has the expected shape and types, else None (never trusted)."""
    if not isinstance(data, dict) or set(data) != set(_SUMMARY_TYPES):
        return None
    if not all(isinstance(data[k], types) for k, types in _SUMMARY_TYPES.items()):
        return None
    if not all(isinstance(t, str) and isinstance(n, int) for t, n in data["topics"].items()):
        return None
    return dict(data)


def _group(entries: list[Entry]) -> dict[str, list[Entry]]:
    groups: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        groups[e.country].append(e)
    for members in groups.values():
        members.sort(key=lambda e: (e.covers or 0, e.publisher, e.id))
    return dict(groups)


def _plan(by_country: dict[str, list[Entry]]) -> list[Pair]:
    """Consecutive editions of each publisher, and publishers side by side per covered year."""
    pairs: list[Pair] = []
    for _, members in sorted(by_country.items()):
        by_publisher: dict[str, list[Entry]] = defaultdict(list)
        for e in members:
            by_publisher[e.publisher].append(e)
        for _, reports in sorted(by_publisher.items()):
            # An edition is a (publisher, covered year); it may come as .txt and .html both.
            editions: dict[int | None, list[Entry]] = defaultdict(list)
            for e in reports:
                editions[e.covers].append(e)
            ordered = [editions[y] for y in sorted(editions, key=lambda y: (y is None, y or 0))]
            for same in ordered:
                pairs += [Pair(same[0], other, "same edition") for other in same[1:]]
            for before, after in itertools.pairwise(ordered):
                for b in after:
                    # the earlier file of the same format, else the first
                    a = next((x for x in before if Path(x.path).suffix == Path(b.path).suffix), before[0])
                    pairs.append(Pair(a, b, "year over year"))
        by_year: dict[int, list[Entry]] = defaultdict(list)
        for e in members:
            if e.covers is not None:
                by_year[e.covers].append(e)
        for _, same in sorted(by_year.items()):
            for i, a in enumerate(same):
                for b in same[i + 1 :]:
                    if a.publisher != b.publisher:
                        pairs.append(Pair(a, b, "side by side"))
    return pairs


def _compare_all(
    pairs: list[Pair], paths: dict[str, Path], cache: Cache, jobs: int, say: Progress, result: SiteResult
) -> dict[str, dict[str, Any]]:
    """Per-topic change counts of every pair (comparing those not in the cache).

    Pages stay in the cache until the site is written, so memory holds counts, not HTML.
    A comparison that fails is recorded in `result.failures` and has no page.
    """
    pages: dict[str, dict[str, Any]] = {}
    todo: list[tuple[Pair, str]] = []
    for pair in pairs:
        key = cache.key("compare", pair.old.sha256, pair.new.sha256, pair.old.id, pair.new.id)
        stats = cache.get_json("compare-stats", key)
        if _stats_ok(stats) and _html_ok(cache, key, stats):
            pages[pair.page] = {**stats, "key": key}
            cache.count(hit=True)
        else:
            todo.append((pair, key))
            cache.count(hit=False)
    args = [
        (str(paths[p.old.id]), p.old.id, str(paths[p.new.id]), p.new.id, _links(p.old.country))
        for p, _ in todo
    ]
    for (pair, key), value in zip(todo, _pool_map(_compare_job, args, jobs, say, "comparing"), strict=True):
        if isinstance(value, str):
            result.failures.append(Failure.of(pair.page, "", value))
            continue
        html = value.pop("html")
        value["html_sha256"] = hashlib.sha256(html.encode("utf-8")).hexdigest()
        cache.put_text("compare-html", key, html)
        cache.put_json("compare-stats", key, value)
        pages[pair.page] = {**value, "key": key}
    return pages


def _stats_ok(stats: Any) -> bool:
    """Whether cached per-topic counts have the shape the index and summary need."""
    return (
        isinstance(stats, dict)
        and isinstance(stats.get("topics"), dict)
        and isinstance(stats.get("facts_changed"), int)
        and all(
            isinstance(counts, dict) and all(isinstance(n, int) for n in counts.values())
            for counts in stats["topics"].values()
        )
    )


def _html_ok(cache: Cache, key: str, stats: dict[str, Any]) -> bool:
    """Whether the cached page is the one its counts were stored with (a damaged page is redone)."""
    html = cache.get_text("compare-html", key)
    return html is not None and hashlib.sha256(html.encode("utf-8")).hexdigest() == stats.get("html_sha256")


def _links(country: str) -> tuple[tuple[str, str], ...]:
    """Navigation from a country page: the site index and the country's facts."""
    return (("All countries", "../index.html"), (country, "index.html"), (f"{country}: facts", "facts.html"))


def _stub_report(entry: Entry) -> Report:
    """A report with metadata only: what linking needs when facts come from the cache."""
    meta = Metadata(
        country=entry.country,
        publisher=entry.publisher,
        edition=entry.edition,
        covers=entry.covers,
        title=entry.title,
    )
    return Report(entry.id, entry.path, entry.sha256, "cached", "", "", meta, (), ())


def _facts_page(
    country: str, members: list[Entry], fact_keys: dict[str, str], cache: Cache, result: SiteResult
) -> str:
    from comparer.render.html_report import render_facts_html

    key = cache.key("facts", country, *sorted(f"{e.id}:{e.sha256}" for e in members))
    data = cache.get_json("facts-page", key)
    usable = _facts_page_ok(data)
    cache.count(hit=usable)
    if not usable:
        reports = [_stub_report(e) for e in members]
        loaded = {e.id: _load_facts(e, fact_keys[e.id], cache) for e in members}
        linked = claims.link_claims(reports, facts_of=lambda r: loaded[r.id])
        conflicts = [
            {"subject": c.subject, "values": [[r.id, f.text] for r, f in c.values]}
            for c in linked
            if c.status == "conflict"
        ]
        html = render_facts_html(
            reports,
            linked,
            version=__version__,
            links=(("All countries", "../index.html"), (country, "index.html")),
            words={e.id: e.words for e in members},
        )
        data = {
            "html": html,
            "conflicts": conflicts,
            "changed": sum(1 for c in linked if c.status == "changed"),
        }
        cache.put_json("facts-page", key, data)
    result.conflicts[country] = data["conflicts"]
    result.changed_claims[country] = int(data.get("changed", 0))
    return str(data["html"])


def _facts_page_ok(data: Any) -> bool:
    """Whether a cached facts page has the shape the site and summary need."""
    if not isinstance(data, dict) or not isinstance(data.get("html"), str):
        return False
    if not isinstance(data.get("changed"), int) or not isinstance(data.get("conflicts"), list):
        return False
    return all(
        isinstance(c, dict)
        and isinstance(c.get("subject"), str)
        and isinstance(c.get("values"), list)
        and all(
            isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v) for v in c["values"]
        )
        for c in data["conflicts"]
    )


def _write_pages(
    build: Path,
    by_country: dict[str, list[Entry]],
    result: SiteResult,
    pages: dict[str, dict[str, Any]],
    facts_pages: dict[str, str],
    cache: Cache,
    review: Review | None = None,
) -> int:
    """Write every page into the (fresh) folder `build`; return how many."""
    from comparer.render.html_report import apply_review
    from comparer.render.site_report import render_country, render_index

    count = 0
    for country, members in sorted(by_country.items()):
        folder = build / _slug(country)
        folder.mkdir()
        (folder / "facts.html").write_text(facts_pages[country], encoding="utf-8")
        (folder / "index.html").write_text(
            render_country(country, members, result, version=__version__), encoding="utf-8"
        )
        count += 2
        for pair in result.pairs:
            if pair.old.country == country:
                html = cache.get_text("compare-html", pages[pair.page]["key"])
                if html is None:
                    raise InputError(f"cache entry for {pair.page} vanished while writing the site")
                if review is not None:  # marks are applied when writing, so the cache stays review-free
                    html = apply_review(html, review)
                (folder / pair.page).write_text(html, encoding="utf-8")
                count += 1
    (build / "index.html").write_text(render_index(by_country, result, version=__version__), encoding="utf-8")
    return count + 1


def summary_markdown(result: SiteResult) -> str:
    """A Markdown job summary: what was compared, what changed, which facts conflict."""
    lines = [GENERATOR_TAG, "## comparer track", ""]
    countries = sorted({e.country for e in result.entries})
    lines.append(
        f"{len(result.entries)} reports, {len(countries)} countries, {len(result.pairs)} comparisons."
    )
    lines.append("")
    lines += ["| country | reports | comparisons | passages changed | facts changed | claims changed | conflicts |",
              "|---|---|---|---|---|---|---|"]  # fmt: skip
    for country in countries:
        pairs = [p for p in result.pairs if p.old.country == country]
        changed = sum(
            n for p in pairs for t in result.pair_stats[p.page]["topics"].values()
            for status, n in t.items() if status != "unchanged"
        )  # fmt: skip
        facts_changed = sum(int(result.pair_stats[p.page].get("facts_changed", 0)) for p in pairs)
        n_reports = sum(1 for e in result.entries if e.country == country)
        lines.append(
            f"| {escape_markdown(country)} | {n_reports} | {len(pairs)} | {changed} | {facts_changed} | "
            f"{result.changed_claims.get(country, 0)} | {len(result.conflicts.get(country, []))} |"
        )
    if result.failures:
        lines += ["", "### Could not be read", ""]
        lines += [f"- {escape_markdown(f.label)}: {escape_markdown(f.problem)}" for f in result.failures]
    conflicts = [(c, x) for c in countries for x in result.conflicts.get(c, [])]
    if conflicts:
        lines += ["", "### Conflicting claims", ""]
        for country, claim in conflicts:
            values = "; ".join(f"{escape_markdown(r)}: **{escape_markdown(t)}**" for r, t in claim["values"])
            lines.append(f"- {escape_markdown(country)}: {escape_markdown(claim['subject'])} — {values}")
    return "\n".join(lines) + "\n"


def iter_topics(entries: Iterable[Entry]) -> list[str]:
    """Topics covered by `entries`, in taxonomy order."""
    from comparer.topics import taxonomy

    present = {t for e in entries for t in e.topics}
    return [t.id for t in taxonomy() if t.id in present]
