"""Benchmark: `comparer compare` on ~100k- and ~300k-word pairs built from real report text,
against difflib.HtmlDiff, redlines and git diff --word-diff, in the same run.

Run: .venv/bin/pip install redlines && .venv/bin/python bench/bench_compare.py [--skip-slow]
Targets (2-core machine): 100k pair under 1.5 s wall and 400 MB peak; 300k pair under 5 s.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA, build_report, edit_report, timed

SLOW_LIMIT_S = 120  # peers that take longer are stopped and reported as "> limit"


def _peer(code: str, old: Path, new: Path) -> str:
    """Run a peer in a subprocess with a time limit; return its wall time as text."""
    start = time.perf_counter()
    try:
        subprocess.run(
            [sys.executable, "-c", code, str(old), str(new)],
            check=True,
            timeout=SLOW_LIMIT_S,
            stdout=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return f"> {SLOW_LIMIT_S} s"
    except subprocess.CalledProcessError as err:
        return f"failed ({err.returncode})"
    return f"{time.perf_counter() - start:.2f} s"


DIFFLIB = """import difflib, sys
a = open(sys.argv[1]).read().splitlines(); b = open(sys.argv[2]).read().splitlines()
difflib.HtmlDiff().make_file(a, b)"""
REDLINES = """import sys
from redlines import Redlines
Redlines(open(sys.argv[1]).read(), open(sys.argv[2]).read()).output_markdown"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-slow", action="store_true", help="do not run difflib and redlines")
    parser.add_argument("--sizes", default="100000,300000")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    exe = str(Path(sys.executable).with_name("comparer"))
    for size in (int(s) for s in args.sizes.split(",")):
        old_text = build_report(size, seed=size)
        new_text = edit_report(old_text, seed=size + 1)
        old, new = DATA / f"old-{size}.txt", DATA / f"new-{size}.txt"
        old.write_text(old_text, encoding="utf-8")
        new.write_text(new_text, encoding="utf-8")
        words = len(old_text.split())
        print(f"\n== pair of ~{words:,} words each")
        for fmt in ("json", "html"):
            runs = [
                timed([exe, "compare", str(old), str(new), "-f", fmt, "-o", str(DATA / f"out.{fmt}")])
                for _ in range(3)
            ]
            print(
                f"comparer compare -f {fmt}: {min(w for w, _ in runs):.2f} s (best of 3), peak RSS {max(m for _, m in runs):.0f} MB"
            )
        if shutil.which("git"):
            start = time.perf_counter()
            subprocess.run(
                ["git", "diff", "--no-index", "--word-diff=porcelain", str(old), str(new)],
                stdout=subprocess.DEVNULL,
                check=False,
            )
            print(f"git diff --no-index --word-diff=porcelain: {time.perf_counter() - start:.2f} s")
        if not args.skip_slow:
            print(f"difflib.HtmlDiff().make_file: {_peer(DIFFLIB, old, new)}")
            print(f"redlines: {_peer(REDLINES, old, new)}")


if __name__ == "__main__":
    main()
