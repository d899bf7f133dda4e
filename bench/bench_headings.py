"""Benchmark: alignment stays bounded on outlines with 50,000 headings (no n*m section matrix).

Run: .venv/bin/python bench/bench_headings.py [N]
Builds two reports of N headings (default 50,000), each with one short paragraph, the second
with every 50th paragraph edited and every 100th section dropped, and aligns them.
"""

from __future__ import annotations

import resource
import sys
import time

from comparer.align import align_reports
from comparer.api import read_text
from comparer.options import CompareOptions


def _report(n: int, edited: bool) -> str:
    parts = ["# Big Report"]
    for k in range(n):
        if edited and k % 100 == 7:
            continue
        changed = " It was revised." if edited and k % 50 == 3 else ""
        parts += [
            f"## Item {k} of the list {k % 97}",
            f"The authorities reported case number {k} in region {k % 13}.{changed}",
        ]
    return "\n\n".join(parts) + "\n"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    start = time.perf_counter()
    old, new = read_text(_report(n, False), name="old.md"), read_text(_report(n, True), name="new.md")
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    alignment = align_reports(old, new, CompareOptions())
    align_s = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(old.sections)} / {len(new.sections)} sections: read {read_s:.1f} s, align {align_s:.1f} s, "
        f"{len(alignment.links)} links, peak {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
