"""Where the time goes, per stage: `compare` on a pair, or `track` on a folder, in one process.

Times are CPU seconds of this process (less noisy than wall time on a shared machine).
Each stage's entry points are wrapped with a timer that keeps its own (exclusive) time: time
spent in a nested stage (layout inside ingest, sentences inside facts) counts for the nested
one. What no stage claims (the orchestration, imports after start) is "other". Lazily built
values are charged to the stage that first asks for them (paragraph sentences: `sentences`).

Run: .venv/bin/python bench/profile_stages.py compare OLD NEW
     .venv/bin/python bench/profile_stages.py track ROOT [--site DIR] [--keep-cache]
     add --cprofile FILE to also write a cProfile dump (read it with `python -m pstats FILE`).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

# stage -> "module:function" entry points (methods as "module:Class.method")
STAGES: dict[str, tuple[str, ...]] = {
    "hash/read bytes": ("comparer.ingest:read_input",),
    "ingest": ("comparer.ingest:read_bytes",),
    "layout": ("comparer.layout:blocks_from_text", "comparer.layout:unflatten"),
    "clean": ("comparer.clean:clean_blocks",),
    "segment": ("comparer.segment:segment_blocks",),
    "sentences": ("comparer.sentences:split_sentences",),
    "metadata": ("comparer.metadata:build_metadata", "comparer.metadata:find_catalog_entry"),
    "topics": ("comparer.topics:assign_topics",),
    "align": ("comparer.align:align_reports", "comparer.align:refine_sentences"),
    "diff": ("comparer.diff:diff_words",),
    "facts extraction": ("comparer.facts:extract_facts", "comparer.claims:report_facts"),
    "facts pairing": ("comparer.facts:pair_facts",),
    "claims": ("comparer.claims:link_claims",),
    "render": (
        "comparer.render.html_report:render_html",
        "comparer.render.html_report:render_facts_html",
        "comparer.render.site_report:render_country",
        "comparer.render.site_report:render_index",
    ),
    "cache I/O": (
        "comparer.cache:Cache.get_json",
        "comparer.cache:Cache.put_json",
        "comparer.cache:Cache.get_text",
        "comparer.cache:Cache.put_text",
        "comparer.cache:Cache.has",
    ),
    "discover": ("comparer.discover:discover",),
}


class Timer:
    """Exclusive time per stage: a stack of running stages, each paused while a nested one runs."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.stack: list[tuple[str, float]] = []

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            now = time.process_time()
            if self.stack:
                outer, since = self.stack[-1]
                self.spent[outer] += now - since
            self.stack.append((stage, now))
            self.calls[stage] += 1
            try:
                return fn(*args, **kwargs)
            finally:
                end = time.process_time()
                _, since = self.stack.pop()
                self.spent[stage] += end - since
                if self.stack:
                    self.stack[-1] = (self.stack[-1][0], end)

        return timed


def install(timer: Timer) -> None:
    """Wrap every entry point, wherever a comparer module holds a reference to it."""
    import comparer.api
    import comparer.claims
    import comparer.render.html_report
    import comparer.render.site_report
    import comparer.track  # noqa: F401  (loads the modules that hold references)

    for stage, targets in STAGES.items():
        for target in targets:
            module_name, _, attr = target.partition(":")
            module = importlib.import_module(module_name)
            if "." in attr:
                cls_name, meth = attr.split(".")
                cls = getattr(module, cls_name)
                setattr(cls, meth, timer.wrap(stage, getattr(cls, meth)))
                continue
            original = getattr(module, attr)
            wrapped = timer.wrap(stage, original)
            for name, mod in list(sys.modules.items()):
                if name.startswith("comparer") and mod is not None:
                    for key, value in list(vars(mod).items()):
                        if value is original:
                            setattr(mod, key, wrapped)


def run_compare(old: str, new: str) -> None:
    from comparer import api
    from comparer.render.html_report import render_html

    render_html(api.compare_files(old, new))


def run_track(root: str, site: str | None, keep_cache: bool) -> None:
    from comparer.track import build_site

    out = Path(site) if site else Path(tempfile.mkdtemp(prefix="profile-site-")) / "site"
    cache = out.with_name(out.name + ".cache.sqlite")
    if not keep_cache:
        shutil.rmtree(out, ignore_errors=True)
        cache.unlink(missing_ok=True)
    build_site(Path(root), out, jobs=1, cache_path=cache)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("compare", "track"))
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--site", help="track: the site folder (default: a temporary one)")
    parser.add_argument("--keep-cache", action="store_true", help="track: keep an earlier cache (a re-run)")
    parser.add_argument("--cprofile", help="also write a cProfile dump here")
    args = parser.parse_args()
    timer = Timer()
    loaded = time.process_time()
    install(timer)
    start, wall = time.process_time(), time.perf_counter()
    print(f"imports: {start - loaded:.2f} s CPU (not in the total)")
    profile = cProfile.Profile() if args.cprofile else None
    if profile:
        profile.enable()
    if args.command == "compare":
        run_compare(*args.paths[:2])
    else:
        run_track(args.paths[0], args.site, args.keep_cache)
    if profile:
        profile.disable()
        profile.dump_stats(args.cprofile)
    total = time.process_time() - start
    print(f"wall {time.perf_counter() - wall:.2f} s; CPU seconds of this process below")
    other = total - sum(timer.spent.values())
    print(f"{'stage':<18} {'seconds':>8} {'share':>6} {'calls':>8}")
    for stage, spent in sorted(timer.spent.items(), key=lambda kv: -kv[1]):
        print(f"{stage:<18} {spent:8.2f} {spent / total:6.1%} {timer.calls[stage]:8d}")
    print(f"{'other':<18} {other:8.2f} {other / total:6.1%}")
    print(f"{'total':<18} {total:8.2f}")


if __name__ == "__main__":
    main()
