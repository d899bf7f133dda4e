"""Benchmark: `comparer track` over archives of 200, 500, 1,000 and 2,000 reports.

For each size it builds the archive (`bench/archive.py`: countries x 10 years x 3 publishers of
real corpus text), then times a first run, a re-run with nothing new and a re-run after adding
one report, and prints one row: reports, words, seconds of each run, peak RSS of the largest
process (main or worker). Last, the exponent of the first-run curve (log time over log words).

Run: .venv/bin/python bench/bench_archive.py [--sizes 200,500] [-- extra track options]
Targets (2-core machine, issue #12): 2,000 reports <= 5 min, re-run after one new report <= 5 s,
re-run with nothing new <= 3 s, every process <= 2 GB, exponent <= 1.15.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive import build_archive
from common import DATA, timed

YEARS = 10
PUBLISHERS = 3


def _clean(*paths: Path) -> None:
    """Remove benchmark outputs of an earlier run."""
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def run_size(n_reports: int, extra: list[str]) -> tuple[int, int, float, float, float, float]:
    """Build an archive of about `n_reports` and time the three runs of `track` on it."""
    countries = max(1, round(n_reports / (YEARS * PUBLISHERS)))
    root = DATA / f"archive-{countries}x{YEARS}"
    n = build_archive(root, countries=countries, years=YEARS)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in root.rglob("*.txt"))
    site = DATA / f"archive-site-{countries}"
    cache = site.with_name(site.name + ".cache.sqlite")
    _clean(site, cache)
    exe = str(Path(sys.executable).with_name("comparer"))
    cmd = [exe, "track", str(root), "-o", str(site), *extra]
    first, peak1 = timed(cmd)
    again, peak2 = timed(cmd)
    extra_report = root / "country-001" / f"hrw-{2010 + YEARS + 1}.txt"
    last = root / "country-001" / f"hrw-{2010 + YEARS}.txt"
    extra_report.write_text(last.read_text(encoding="utf-8") + "\nOne more paragraph of 2020.\n")
    with (root / "catalog.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            f'\n[[report]]\nfile = "country-001/{extra_report.name}"\ncountry = "Country 001"\n'
            f'publisher = "hrw"\nedition = {2010 + YEARS + 1}\ncovers = {2010 + YEARS}\n'
        )
    one_new, peak3 = timed(cmd)
    return n, words, first, again, one_new, max(peak1, peak2, peak3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,500,1000,2000")
    args, extra = parser.parse_known_args()
    extra = [a for a in extra if a != "--"]
    rows = []
    print("reports  words        first s  nothing-new s  one-new s  peak MB")
    for size in (int(s) for s in args.sizes.split(",")):
        n, words, first, again, one_new, peak = run_size(size, extra)
        rows.append((words, first))
        print(f"{n:7d}  {words:11,d}  {first:7.1f}  {again:13.1f}  {one_new:9.1f}  {peak:7.0f}", flush=True)
    if len(rows) >= 2:
        (w0, t0), (w1, t1) = rows[0], rows[-1]
        print(f"exponent of first-run time over words: {math.log(t1 / t0) / math.log(w1 / w0):.2f}")


if __name__ == "__main__":
    main()
