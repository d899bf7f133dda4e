"""Benchmark: start-up. `comparer --version`, `comparer compare` on the ~100k-word pair beside
`difflib.HtmlDiff` on the same pair (one run, so both see the same machine), and what the
imports of each cost.

Run: .venv/bin/python bench/bench_startup.py [--runs 5] [--skip-difflib]
Targets (2-core machine, issue #12): --version <= 0.1 s; the 100k pair through compare <= 0.7 s.
Times are the best of --runs wall times; the machine being shared makes the others noisier.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA, build_report, edit_report

SIZE = 100_000
DIFFLIB = """import difflib, sys
a = open(sys.argv[1], encoding="utf-8").read().splitlines()
b = open(sys.argv[2], encoding="utf-8").read().splitlines()
open(sys.argv[3], "w", encoding="utf-8").write(difflib.HtmlDiff().make_file(a, b))"""
# What a command imports before any work, in a fresh interpreter.
IMPORTS = {
    "python alone": "pass",
    "comparer.cli": "import comparer.cli",
    "comparer.api": "import comparer.api",
    "html renderer": "import comparer.render.html_report",
}


def best_of(cmd: list[str], runs: int) -> float:
    """The best wall time of `runs` runs of `cmd` (output discarded)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def pair() -> tuple[Path, Path]:
    """The ~100k-word pair of bench_compare (built once, below bench/data)."""
    DATA.mkdir(exist_ok=True)
    old, new = DATA / f"old-{SIZE}.txt", DATA / f"new-{SIZE}.txt"
    if not (old.exists() and new.exists()):
        text = build_report(SIZE, seed=SIZE)
        old.write_text(text, encoding="utf-8")
        new.write_text(edit_report(text, seed=SIZE + 1), encoding="utf-8")
    return old, new


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-difflib", action="store_true", help="difflib takes ~30 s on the pair")
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("comparer"))
    print(f"comparer --version: {best_of([exe, '--version'], args.runs * 2):.3f} s (target <= 0.1)")
    for label, code in IMPORTS.items():
        print(f"import, {label}: {best_of([sys.executable, '-c', code], args.runs):.3f} s")
    old, new = pair()
    words = len(old.read_text(encoding="utf-8").split())
    print(f"pair: {old.name} and {new.name}, ~{words:,} words each")
    timings = {}
    for fmt in ("html", "json"):
        out = DATA / f"startup-out.{fmt}"
        timings[fmt] = best_of([exe, "compare", str(old), str(new), "-f", fmt, "-o", str(out)], args.runs)
        print(f"comparer compare -f {fmt}: {timings[fmt]:.2f} s (target <= 0.7)")
    if not args.skip_difflib:
        out = DATA / "startup-difflib.html"
        peer = best_of([sys.executable, "-c", DIFFLIB, str(old), str(new), str(out)], 1)
        print(f"difflib.HtmlDiff().make_file: {peer:.2f} s (one run)")
        print(f"ratio difflib / comparer (html): {peer / timings['html']:.1f}x")


if __name__ == "__main__":
    main()
