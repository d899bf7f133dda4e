"""Benchmark: read a ~100k-word report (`comparer sections --format json`), time and peak memory.

Run: .venv/bin/python bench/bench_read.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA, build_report, timed

TARGET_WORDS = 100_000


def main() -> None:
    DATA.mkdir(exist_ok=True)
    path = DATA / "read-100k.txt"
    path.write_text(build_report(TARGET_WORDS), encoding="utf-8")
    words = len(path.read_text(encoding="utf-8").split())
    exe = str(Path(sys.executable).with_name("comparer"))
    runs = [
        timed([exe, "sections", str(path), "--format", "json", "-o", str(DATA / "read.json")])
        for _ in range(3)
    ]
    best = min(w for w, _ in runs)
    peak = max(m for _, m in runs)
    from comparer.api import read_report

    start = time.perf_counter()
    read_report(path)
    lib = time.perf_counter() - start
    print(
        f"read {words} words: CLI end to end {best:.2f} s (best of 3), library {lib:.2f} s, peak RSS {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
