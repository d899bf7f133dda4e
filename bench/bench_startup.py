"""Benchmark: start-up and the 100k-word pair. `comparer --version`, `comparer compare` on the
~100k-word pair beside `difflib.HtmlDiff` on the same pair (one run, so both see the same
machine), the CPU seconds of each stage of that compare, and what the imports cost.

Run: .venv/bin/python bench/bench_startup.py [--runs 5] [--skip-difflib] [--baseline DIR]
     --baseline DIR also runs the comparer of another checkout (`PYTHONPATH=DIR`, e.g. a
     `git worktree` of main), interleaved with this one, so before/after share the machine.
Targets (2-core machine, issue #12): --version <= 0.1 s; the 100k pair through compare <= 0.7 s.
Wall times are the best of --runs; CPU seconds (user + system of the command) are the least,
and say more than wall time on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA, ROOT, build_report, edit_report

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
PROFILE = Path(__file__).resolve().parent / "profile_stages.py"
_STAGE_LINE = re.compile(r"^(?P<stage>\S.*?)\s+(?P<seconds>\d+\.\d\d)(?:\s|$)")


class Variant:
    """One comparer to measure: this checkout, or another one put first on `PYTHONPATH`."""

    def __init__(self, label: str, root: Path | None) -> None:
        self.label = label
        self.env = dict(os.environ)
        # `python -m` and `-c` put the working folder first on sys.path: run in the checkout's own
        self.cwd = root or ROOT
        if root is not None:
            self.env["PYTHONPATH"] = str(root)

    def run(self, args: list[str]) -> tuple[float, float]:
        """Wall and CPU seconds of `python -m comparer ARGS`."""
        return _wall_cpu([sys.executable, "-m", "comparer", *args], self.env, self.cwd)

    def stages(self, old: Path, new: Path) -> dict[str, float]:
        """CPU seconds by stage of one compare (bench/profile_stages.py), "imports" included."""
        done = subprocess.run(
            [sys.executable, str(PROFILE), "compare", str(old), str(new)],
            env=self.env, cwd=self.cwd, capture_output=True, text=True, check=True,
        )  # fmt: skip
        out: dict[str, float] = {}
        for line in done.stdout.splitlines():
            if line.startswith("imports:"):
                out["imports"] = float(line.split()[1])
            elif (m := _STAGE_LINE.match(line)) and not line.startswith(("stage ", "wall ")):
                out[m.group("stage").strip()] = float(m.group("seconds"))
        return out


def _wall_cpu(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of `cmd` (run in `cwd`), its output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best(variant: Variant, args: list[str], runs: int) -> tuple[float, float]:
    """The best wall time and the least CPU time of `runs` runs."""
    results = [variant.run(args) for _ in range(runs)]
    return min(w for w, _ in results), min(c for _, c in results)


def best_of(cmd: list[str], runs: int) -> float:
    """The best wall time of `runs` runs of `cmd` (output discarded)."""
    return min(_wall_cpu(cmd)[0] for _ in range(runs))


def pair() -> tuple[Path, Path]:
    """The ~100k-word pair of bench_compare (built once, below bench/data)."""
    DATA.mkdir(exist_ok=True)
    old, new = DATA / f"old-{SIZE}.txt", DATA / f"new-{SIZE}.txt"
    if not (old.exists() and new.exists()):
        text = build_report(SIZE, seed=SIZE)
        old.write_text(text, encoding="utf-8")
        new.write_text(edit_report(text, seed=SIZE + 1), encoding="utf-8")
    return old, new


def _row(label: str, values: list[float], unit: str = "s") -> str:
    return f"{label:<32}" + "".join(f"{v:>10.3f} {unit}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-difflib", action="store_true", help="difflib takes ~4-30 s on the pair")
    parser.add_argument("--baseline", type=Path, help="also measure the checkout at this folder")
    parser.add_argument("--no-stages", action="store_true", help="skip the CPU seconds by stage")
    args = parser.parse_args()
    variants = [Variant("this", None)]
    if args.baseline:
        variants.append(Variant("baseline", args.baseline.resolve()))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; checkout {ROOT}")
    print(f"{'':<32}" + "".join(f"{v.label:>12}" for v in variants))
    version = [best(v, ["--version"], args.runs * 2)[0] for v in variants]
    print(_row("comparer --version (wall)", version) + "   (target <= 0.1)")
    for label, code in IMPORTS.items():
        cpu = [
            min(_wall_cpu([sys.executable, "-c", code], v.env, v.cwd)[1] for _ in range(args.runs)) for v in variants
        ]
        print(_row(f"import {label} (CPU)", cpu))
    old, new = (p.resolve() for p in pair())
    words = len(old.read_text(encoding="utf-8").split())
    print(f"pair: {old.name} and {new.name}, ~{words:,} words each")
    html_wall: list[float] = []
    for fmt in ("html", "json"):
        out = DATA / f"startup-out.{fmt}"
        cmd = ["compare", str(old), str(new), "-f", fmt, "-o", str(out)]
        results: list[list[tuple[float, float]]] = [[] for _ in variants]
        for _ in range(args.runs):  # interleaved: each variant sees the same moments of load
            for k, v in enumerate(variants):
                results[k].append(v.run(cmd))
        wall = [min(w for w, _ in r) for r in results]
        cpu = [min(c for _, c in r) for r in results]
        print(_row(f"compare -f {fmt} (wall)", wall) + "   (target <= 0.7)")
        print(_row(f"compare -f {fmt} (CPU)", cpu))
        if fmt == "html":
            html_wall = wall
    if not args.skip_difflib:
        out = DATA / "startup-difflib.html"
        peer = best_of([sys.executable, "-c", DIFFLIB, str(old), str(new), str(out)], 1)
        print(_row("difflib.HtmlDiff().make_file", [peer]) + "   (one run)")
        print("ratio difflib / comparer html:" + "".join(f"{peer / w:>11.1f}x" for w in html_wall))
    if not args.no_stages:
        tables = [v.stages(old, new) for v in variants]
        print("CPU seconds by stage of one compare (bench/profile_stages.py, html render):")
        for stage in sorted(tables[0], key=lambda s: (s == "total", -tables[0][s])):
            print(_row(f"  {stage}", [t.get(stage, 0.0) for t in tables]))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
