"""Benchmark: `comparer track` over archives of 200, 500, 1,000 and 2,000 reports.

For each size it builds the archive (`bench/archive.py`: countries x 10 years x 3 publishers of
real corpus text), then, for each way of running the jobs (`--schedulers`: the process pool,
and a LocalCluster of 2 workers, `--scheduler local -j 2`), times a first run, a re-run with
nothing new and a re-run after adding one report on a fresh copy of the same archive, and
prints one row: reports, words, seconds of each run, peak RSS of the largest process (main or
worker). Last, the exponent of each first-run curve (log time over log words).

Run: .venv/bin/python bench/bench_archive.py [--sizes 200,500] [--schedulers pool,local] [-- extra track options]
     (PYTHONPATH=/path/to/other/checkout measures that checkout, e.g. main before a change)
Wall and CPU seconds (user + system of every process) are printed: on a shared machine the CPU
seconds are the steadier figure.
Targets (2-core machine, issue #12): 2,000 reports <= 5 min, re-run after one new report <= 5 s,
re-run with nothing new <= 3 s, every process <= 2 GB, exponent <= 1.15.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive import build_archive
from common import DATA

YEARS = 10
PUBLISHERS = 3


def _clean(*paths: Path) -> None:
    """Remove benchmark outputs of an earlier run."""
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


Run = tuple[float, float, float]  # wall s, CPU s, peak MB

# Runs the command in a process of its own, so the peak RSS is this run's (getrusage of the
# children is a maximum over every child a process ever had), and prints what it measured.
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - start
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([wall, used.ru_utime + used.ru_stime, used.ru_maxrss / 1024]))
"""


def timed_cpu(cmd: list[str]) -> Run:
    """Run `cmd`: wall seconds, CPU seconds of it and every process it started, peak RSS (MB) of the largest."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], check=True, capture_output=True, text=True)
    wall, cpu, peak = json.loads(out.stdout)
    return float(wall), float(cpu), float(peak)


def run_size(n_reports: int, scheduler: str, extra: list[str]) -> tuple[int, int, Run, Run, Run]:
    """Build an archive of about `n_reports` and time the three runs of `track` on it."""
    countries = max(1, round(n_reports / (YEARS * PUBLISHERS)))
    root = DATA / f"archive-{countries}x{YEARS}"
    n = build_archive(root, countries=countries, years=YEARS)  # afresh: the one-new run adds a report
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in root.rglob("*.txt"))
    site = DATA / f"archive-site-{countries}"
    cache = site.with_name(site.name + ".cache.sqlite")
    _clean(site, cache)
    # `python -m comparer`: PYTHONPATH=OTHER_TREE measures another checkout with the same venv.
    cmd = [sys.executable, "-m", "comparer", "track", str(root), "-o", str(site), *SCHEDULERS[scheduler], *extra]
    first = timed_cpu(cmd)
    again = timed_cpu(cmd)
    extra_report = root / "country-001" / f"hrw-{2010 + YEARS + 1}.txt"
    last = root / "country-001" / f"hrw-{2010 + YEARS}.txt"
    extra_report.write_text(last.read_text(encoding="utf-8") + "\nOne more paragraph of 2020.\n")
    with (root / "catalog.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            f'\n[[report]]\nfile = "country-001/{extra_report.name}"\ncountry = "Country 001"\n'
            f'publisher = "hrw"\nedition = {2010 + YEARS + 1}\ncovers = {2010 + YEARS}\n'
        )
    one_new = timed_cpu(cmd)
    return n, words, first, again, one_new


# How each row runs the jobs: the default process pool, or a LocalCluster of 2 workers.
SCHEDULERS = {"pool": [], "local": ["--scheduler", "local", "-j", "2"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,500,1000,2000")
    parser.add_argument("--schedulers", default="pool,local", help="comma-separated: pool, local")
    args, extra = parser.parse_known_args()
    extra = [a for a in extra if a != "--"]
    schedulers = args.schedulers.split(",")
    unknown = sorted(set(schedulers) - set(SCHEDULERS))
    if unknown:
        parser.error(f"--schedulers: unknown {', '.join(unknown)} (pool, local)")
    rows: dict[str, list[tuple[int, float, float]]] = {s: [] for s in schedulers}
    print("jobs   reports  words        first s (CPU)    nothing-new s (CPU)  one-new s (CPU)  peak MB  load")
    for size in (int(s) for s in args.sizes.split(",")):
        for scheduler in schedulers:
            load = os.getloadavg()[0]
            n, words, first, again, one_new = run_size(size, scheduler, extra)
            rows[scheduler].append((words, first[0], first[1]))
            runs = "  ".join(f"{w:7.1f} ({c:7.1f})" for w, c, _ in (first, again, one_new))
            peak = max(r[2] for r in (first, again, one_new))
            print(f"{scheduler:5s}  {n:7d}  {words:11,d}  {runs}  {peak:7.0f}  {load:4.1f}", flush=True)
    for scheduler, curve in rows.items():
        if len(curve) >= 2:
            (w0, t0, c0), (w1, t1, c1) = curve[0], curve[-1]
            scale = math.log(w1 / w0)
            print(
                f"{scheduler}: exponent of first-run time over words: wall {math.log(t1 / t0) / scale:.2f}, "
                f"CPU {math.log(c1 / c0) / scale:.2f}"
            )


if __name__ == "__main__":
    main()
