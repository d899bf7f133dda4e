"""`comparer track`: a collection of reports becomes a static site, incrementally and in parallel.

The stages, in order:
1. discover the report files below a folder, hash them, and read each one not in the cache
   (metadata, topics covered, facts) in a job;
2. group reports by country and order them by covered year; plan the comparisons:
   consecutive editions of each publisher, and publishers side by side for one covered year;
3. compare each pair not in the cache in a job, keeping the HTML page and its per-topic
   change counts;
4. link each country's facts into claims (from cached facts) and render its facts page, in
   a job where the cache has no page for the country's reports and facts;
5. write index.html (a topics x reports heat map per country), every page offline and
   linked both ways, into a fresh folder whose files then replace comparer's earlier pages
   in the site (`sitedir`: other files in the site are kept).

Jobs (`tasks`) run where the executor says (`executors`: here, worker processes, or a Dask
cluster); their results are stored here, in the order of their inputs (`batch`). Cache keys
hold content hashes, the tool's code and the options, so a re-run after one new report does
only the new work. Output is byte-identical for the same inputs, whatever runs the jobs.
The collection's model (`Entry`, `Pair`, `PairStats`, `SiteResult`) is in `comparer.model`;
`render.site_report` renders it.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from comparer import __version__, batch, sitedir, tasks
from comparer.batch import Batch, Lazy, Progress
from comparer.cache import Cache
from comparer.discover import discover
from comparer.errors import InputError, RenderError
from comparer.executors import Executor, running
from comparer.model import ConflictSummary, Entry, Failure, Pair, PairStats, SiteResult, slug
from comparer.options import CompareOptions
from comparer.paths import Resolver, is_below
from comparer.review import Review

__all__ = ["Entry", "Failure", "Interrupted", "Pair", "SiteResult", "build_site", "summary_markdown"]

MAX_PAIRS_PER_JOB = 60  # a compare job's pages come back together: about 60 x 0.4-1 MB at most
JOBS_PER_SLOT = 4  # compare jobs per worker at least, so that the workers finish together
# The small cache entries a re-run looks up one per report, pair or page: read in one query each.
PRELOADED = ("file-sha256", "report", "compare-stats", "facts-page", "site-file", "page-digest")
InSite = Callable[[str, str], bool]  # (path in the site, digest) -> the site holds that page as written

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
    scheduler: str | None = None,
) -> SiteResult:
    """Build the static site for the reports below `root` into `site`.

    Args:
        root: a folder of reports (with catalog.toml files where metadata is stated).
        site: the output folder: new, empty, or written by an earlier run (see `sitedir`);
            comparer's pages in it are replaced when the run succeeds, other files are kept.
        jobs: worker processes (default: all cores; 1 runs in this process), or the workers
            of the LocalCluster that `scheduler="local"` starts.
        cache_path: the SQLite cache (default: `<site>.cache.sqlite` beside the site).
        progress: called as (stage, done, total) while working.
        force: write into a non-empty folder comparer did not write (its other files are kept).
        review: review marks to carry into every comparison page (by change id).
        scheduler: run the jobs on Dask: a scheduler's address, or "local" (see `executors`).

    Returns:
        What the run found and did.

    Raises:
        InputError: no reports, or a report that cannot be read.
        RenderError: a site folder comparer must not write into.
        ComparerError: Dask is missing or its scheduler cannot be reached.
    """
    say = progress or (lambda what, done, total: None)
    previous = sitedir.check_site(site, root, force=force)
    cache_path = cache_path or site.with_name(site.name + ".cache.sqlite")
    sitedir.sweep(site)
    files = discover([root], exclude=(site, cache_path))
    ids = _ids(root, files)
    with running(jobs, scheduler) as executor:  # first: without Dask, --scheduler leaves no cache
        cache = Cache(cache_path, salt=f"{__version__}|{CompareOptions()}")
        try:
            cache.preload(PRELOADED, keys_only=("facts",))
            reuse = sitedir.Reuse(site, previous, cache)
            in_site = reuse.intact if review is None else None  # reviewed pages: digests of their own
            result, by_country, facts_pages = _build(executor, cache, say, files, ids, in_site)
            with sitedir.building(site) as build:
                pages = _Pages(build, reuse, review, cache)
                _write_pages(pages, by_country, result, facts_pages, cache)
                result.pages, result.pages_written = pages.count, len(pages.written)
                sitedir.install(build, site, previous, force=force, kept=frozenset(reuse.kept))
            reuse.record(pages.written)
            result.pruned = cache.prune()
        finally:
            cache.close()
    return result


def _build(
    executor: Executor,
    cache: Cache,
    say: Progress,
    files: list[Path],
    ids: dict[Path, str],
    in_site: InSite | None = None,
) -> tuple[SiteResult, dict[str, list[Entry]], dict[str, tuple[str, str]]]:
    """Read, plan, compare and link (results stored in the cache): the run, its countries and facts pages."""
    result = SiteResult(cache_note=cache.rebuilt_reason)
    run = _Run(executor, cache, say, result, in_site)
    result.entries = [batch.entry(s) for s in run.read_all(files, ids)]
    result.failures = run.failures
    by_country = _group(result.entries)
    planned = _plan(by_country)
    stats = run.compare_all(planned)
    result.pairs = [p for p in planned if p.page in stats]
    result.pair_stats = {p.page: stats[p.page] for p in result.pairs}
    facts_pages = run.facts_pages(by_country)
    result.cache_hits, result.cache_misses = cache.hits, cache.misses
    return result, by_country, facts_pages


class Interrupted(KeyboardInterrupt):
    """The run was stopped by SIGTERM (the CLI raises it; Ctrl-C raises KeyboardInterrupt).

    Every result is committed to the cache when it is stored, so a stopped run loses only
    the work in progress.
    """


def _ids(root: Path, files: list[Path]) -> dict[Path, str]:
    """Report ids: the path below `root` without its extension ("north-korea/hrw-2014")."""
    out = {}
    resolver = Resolver()
    base = resolver.folder(os.fspath(root))
    for path in files:
        below = is_below(resolver.resolve(path), base)
        out[path] = Path(below or path.name).with_suffix("").as_posix()
    counts = Counter(out.values())
    for path, report_id in list(out.items()):
        if counts[report_id] > 1:  # the same report as .txt and .html: keep the extension
            out[path] = f"{report_id}.{path.suffix.lstrip('.')}"
    return out


class _Run(Batch):
    """A `Batch` that also compares pairs and renders each country's facts page."""

    def __init__(
        self, executor: Executor, cache: Cache, say: Progress, result: SiteResult, in_site: InSite | None
    ) -> None:
        super().__init__(executor, cache, say)
        self.keep_reports = True  # compare jobs take the reports as their read jobs left them
        self.result = result
        self.in_site = in_site  # whether the site holds a page as written (then its HTML is not read)

    def compare_all(self, pairs: list[Pair]) -> dict[str, PairStats]:
        """Per-topic change counts of every pair (comparing those not in the cache).

        Pages stay in the cache until the site is written, so memory holds counts, not HTML.
        A comparison that fails is recorded in `result.failures` and has no page.
        """
        cache = self.cache
        stats: dict[str, PairStats] = {}
        todo: list[tuple[Pair, str]] = []
        for pair in pairs:
            key = cache.key("compare", pair.old.sha256, pair.new.sha256, pair.old.id, pair.new.id)
            cached = _parse_stats(cache.get_json("compare-stats", key), key)
            if cached is not None and (
                _kept_in_site(cache, self.in_site, _page_path(pair), "compare-html", key, cached[1])
                or _html_ok(cache, key, cached[1])
            ):
                stats[pair.page] = cached[0]
            else:
                todo.append((pair, key))
            cache.count(hit=pair.page in stats)
        jobs = _jobs([pair for pair, _ in todo], self.executor.slots() if todo else 1)
        members = [_members([todo[k][0] for k in job]) for job in jobs]
        sources = Lazy(lambda m: [self.source(e.path, e.id) for e in m[0]], members)
        links = [_links(todo[job[0]][0].old.country) for job in jobs]
        total, done = len(todo), 0
        self.say("comparing", 0, total)
        indexes = [m[1] for m in members]
        failed: dict[int, Failure] = {}
        for job, values in zip(jobs, self.executor.map(tasks.compare_pairs, sources, indexes, links), strict=True):
            for k, value in zip(job, values, strict=True):
                pair, key = todo[k]
                if isinstance(value, str):
                    failed[k] = Failure.of(pair.page, "", value)
                    continue
                cache.put_page("compare-html", key, value.pop("page"))
                cache.put_json("compare-stats", key, value)
                stats[pair.page] = PairStats(value["topics"], value["facts_changed"], key, value["html_sha256"])
            done += len(job)
            self.say("comparing", done, total)
        self.result.failures += [failed[k] for k in sorted(failed)]  # in plan order, however grouped
        self.parsed.clear()  # only compare jobs take them
        return stats

    def facts_pages(self, by_country: dict[str, list[Entry]]) -> dict[str, tuple[str, str]]:
        """Each country's facts page (its digest and cache key): linked in a job where the cache
        has none, keyed by its facts. A page the site holds as written is not read."""
        cache, result = self.cache, self.result
        pages: dict[str, dict[str, Any]] = {}
        keys: dict[str, str] = {}
        todo: list[str] = []
        for country, members in sorted(by_country.items()):
            keys[country] = key = cache.key("facts", country, *(self.stamp(e.id, *_shown(e)) for e in members))
            data = cache.get_json("facts-page", key)
            if _facts_page_ok(data) and (
                _kept_in_site(cache, self.in_site, _facts_path(country), "facts-html", key, data["html_sha256"])
                or _html_ok(cache, key, data["html_sha256"], "facts-html")
            ):
                pages[country] = data
            else:
                todo.append(country)
            cache.count(hit=country in pages)
        groups = [by_country[c] for c in todo]
        texts = Lazy(lambda group: [self.fact_text(e.id, e.path) for e in group], groups)
        for country, data in zip(
            todo, self.map("linking facts", tasks.facts_page, todo, groups, texts), strict=True
        ):
            cache.put_page("facts-html", keys[country], data.pop("page"))
            cache.put_json("facts-page", keys[country], data)  # last: a page entry means both are there
            pages[country] = data
        for country, data in sorted(pages.items()):
            result.conflicts[country] = [
                ConflictSummary(c["subject"], tuple((r, t) for r, t in c["values"]))
                for c in data["conflicts"]
            ]
            result.changed_claims[country] = int(data["changed"])
        return {country: (str(data["html_sha256"]), keys[country]) for country, data in pages.items()}


def _shown(entry: Entry) -> tuple[object, ...]:
    """What a facts page shows of a report besides its facts."""
    return (entry.path, entry.sha256, entry.country, entry.publisher, entry.edition, entry.covers,
            entry.title, entry.words)  # fmt: skip


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


def _parse_stats(stats: Any, key: str) -> tuple[PairStats, str] | None:
    """Cached per-topic counts (and the digest of their page) if they have the shape the site needs."""
    if not (
        isinstance(stats, dict)
        and isinstance(stats.get("topics"), dict)
        and isinstance(stats.get("facts_changed"), int)
        and isinstance(stats.get("html_sha256"), str)
        and all(
            isinstance(counts, dict) and all(isinstance(n, int) for n in counts.values())
            for counts in stats["topics"].values()
        )
    ):
        return None
    return PairStats(stats["topics"], stats["facts_changed"], key, stats["html_sha256"]), stats["html_sha256"]


def _kept_in_site(cache: Cache, in_site: InSite | None, path: str, kind: str, key: str, digest: str) -> bool:
    """Whether the site holds the page as written; then its cached copy is kept, not read (a
    re-run that pruned every page the site holds deleted hundreds of MB of cache after a build)."""
    if in_site is None or not in_site(path, digest):
        return False
    cache.keep(kind, key)
    return True


def _html_ok(cache: Cache, key: str, digest: str, kind: str = "compare-html") -> bool:
    """Whether the cached page is the one its counts were stored with (a damaged page is redone)."""
    html = cache.get_page(kind, key)
    return html is not None and hashlib.sha256(html.encode("utf-8")).hexdigest() == digest


def _links(country: str) -> tuple[tuple[str, str], ...]:
    """Navigation from a country page: the site index and the country's facts."""
    return (("All countries", "../index.html"), (country, "index.html"), (f"{country}: facts", "facts.html"))


def _jobs(pairs: list[Pair], slots: int) -> list[list[int]]:
    """The indexes of `pairs` grouped into compare jobs.

    A job holds pairs of one country, so it reads each of their reports once (not once per
    pair, and not once per worker that happens to get one of its pairs), in covered-year
    order, so a job split off a country needs few reports of its neighbours. Jobs are small
    enough that every worker gets several (they finish together), and hold at most
    `MAX_PAIRS_PER_JOB`. Pages do not depend on the grouping.
    """
    size = max(1, min(MAX_PAIRS_PER_JOB, len(pairs) // (JOBS_PER_SLOT * max(1, slots))))
    by_country: dict[str, list[int]] = defaultdict(list)
    for k, pair in enumerate(pairs):
        by_country[pair.old.country].append(k)
    jobs: list[list[int]] = []
    for _, indexes in sorted(by_country.items()):
        indexes.sort(key=lambda k: _year_of(pairs[k]))  # stable: plan order within a year
        n = -(-len(indexes) // size)
        jobs += [indexes[i * len(indexes) // n : (i + 1) * len(indexes) // n] for i in range(n)]
    return jobs


def _year_of(pair: Pair) -> tuple[int, int]:
    """When a pair's newer side was covered (pairs without a covered year last)."""
    years = [e.covers for e in (pair.old, pair.new)]
    return (1, 0) if None in years else (0, max(y for y in years if y is not None))


def _members(pairs: list[Pair]) -> tuple[list[Entry], list[tuple[int, int]]]:
    """The reports of `pairs` (each once, in first use) and each pair as indexes into them."""
    reports: dict[str, int] = {}
    entries: list[Entry] = []
    for pair in pairs:
        for e in (pair.old, pair.new):
            if e.id not in reports:
                reports[e.id] = len(entries)
                entries.append(e)
    return entries, [(reports[p.old.id], reports[p.new.id]) for p in pairs]


def _facts_page_ok(data: Any) -> bool:
    """Whether a cached facts page has the shape the site and summary need."""
    if not isinstance(data, dict) or not isinstance(data.get("html_sha256"), str):
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


def _page_path(pair: Pair) -> str:
    """Where a pair's page is in the site."""
    return f"{slug(pair.old.country)}/{pair.page}"


def _facts_path(country: str) -> str:
    """Where a country's facts page is in the site."""
    return f"{slug(country)}/facts.html"


class _Pages:
    """Pages written into the (fresh) folder `build`, or kept in the site when intact there."""

    def __init__(self, build: Path, reuse: sitedir.Reuse, review: Review | None, cache: Cache) -> None:
        self.build = build
        self.reuse = reuse
        self.review = review
        self.cache = cache
        self.written: dict[str, str] = {}  # path in the site -> digest
        self.count = 0

    def put(self, rel: str, text: str) -> None:
        """The page `rel` is `text`: keep the site's copy if it is that, else write it."""
        self.count += 1
        digest = sitedir.text_digest(text)
        if self.reuse.keep(rel, digest):
            return
        target = self.build / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.written[rel] = digest

    def put_rendered(self, rel: str, shown: str, render: Callable[[], str]) -> None:
        """A page rendered from `shown` (the repr of all it shows): not rendered again while the
        site holds the page that the same `shown` gave last time."""
        key = self.cache.key("page-digest", self.reuse.name, rel, hashlib.sha256(shown.encode("utf-8")).hexdigest())
        digest = self.cache.get_text("page-digest", key)
        if digest is not None and self.reuse.keep(rel, digest):
            self.count += 1
            return
        text = render()
        self.put(rel, text)
        self.cache.put_text("page-digest", key, sitedir.text_digest(text))

    def put_cached(self, rel: str, digest: str, html: Callable[[], str], *, reviewed: bool = False) -> None:
        """A page known by the digest of its HTML: `html()` is read only when the site lacks it.

        `reviewed`: a comparison page, which carries the review marks (if any).
        """
        review = self.review if reviewed else None
        if review is None and self.reuse.keep(rel, digest):
            self.count += 1
            return
        from comparer.render.html_report import apply_review

        text = html()
        # marks are applied when writing, so the cache stays review-free
        self.put(rel, text if review is None else apply_review(text, review))


def _write_pages(
    pages: _Pages,
    by_country: dict[str, list[Entry]],
    result: SiteResult,
    facts_pages: dict[str, tuple[str, str]],
    cache: Cache,
) -> None:
    """Every page of the site: the index, each country's page and facts, each comparison."""
    from comparer.render.site_report import render_country, render_index

    folders: dict[str, str] = {}
    shown: dict[str, str] = {}
    for country, members in sorted(by_country.items()):
        folder = slug(country)
        if folders.setdefault(folder, country) != country:
            raise RenderError(
                f"countries {folders[folder]!r} and {country!r} would share the site folder {folder}/; "
                "spell them alike in the catalog"
            )
        digest, key = facts_pages[country]
        pages.put_cached(_facts_path(country), digest, functools.partial(_cached_html, cache, key, "facts-html", country))
        shown[country] = _country_shown(country, members, result)
        pages.put_rendered(
            f"{folder}/index.html",
            shown[country],
            functools.partial(render_country, country, members, result, version=__version__),
        )
        for pair in result.pairs:
            if pair.old.country == country:
                stats = result.pair_stats[pair.page]
                page = functools.partial(_cached_html, cache, stats.key, "compare-html", pair.page)
                pages.put_cached(_page_path(pair), stats.digest, page, reviewed=True)
    index = repr((sorted(shown.items()), len(result.entries), result.failures))
    pages.put_rendered("index.html", index, functools.partial(render_index, by_country, result, version=__version__))


def _country_shown(country: str, members: list[Entry], result: SiteResult) -> str:
    """All that a country's page and its line on the index show, as text (see `_Pages.put_rendered`)."""
    own = [(p, result.pair_stats[p.page]) for p in result.pairs if p.old.country == country]
    conflicts = len(result.conflicts.get(country, []))
    return repr((__version__, country, members, own, conflicts, result.changed_claims.get(country, 0)))


def _cached_html(cache: Cache, key: str, kind: str, label: str) -> str:
    """A page from the cache (its digest was checked when the run looked it up)."""
    html = cache.get_page(kind, key)
    if html is None:
        raise InputError(f"cache entry for {label} vanished while writing the site")
    return html


def summary_markdown(result: SiteResult) -> str:
    """A Markdown job summary: what was compared, what changed, which facts conflict."""
    from comparer.render.markdown_report import GENERATOR_TAG, escape_markdown

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
        changed = sum(result.pair_stats[p.page].n_changed for p in pairs)
        facts_changed = sum(result.pair_stats[p.page].facts_changed for p in pairs)
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
            values = "; ".join(f"{escape_markdown(r)}: **{escape_markdown(t)}**" for r, t in claim.values)
            lines.append(f"- {escape_markdown(country)}: {escape_markdown(claim.subject)} — {values}")
    return "\n".join(lines) + "\n"
