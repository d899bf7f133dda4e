"""Benchmark: `comparer track` on 200 reports x ~30k words built from real text (ten countries,
twenty covered years), then a re-run after adding one report.

Run: .venv/bin/python bench/bench_facts.py   (builds the collection), then
     .venv/bin/python bench/bench_track.py
Targets (2-core machine): first run under 3 minutes, re-run under 10 s, peak memory under 2 GB.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA, build_report, edit_report, timed


def main() -> None:
    source = DATA / "facts-200x30000"
    if not source.exists():
        sys.exit("run bench/bench_facts.py first (it builds the collection)")
    root = DATA / "track-200"
    site = DATA / "track-site"
    for path in (root, site, site.with_name(site.name + ".cache.sqlite")):
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    shutil.copytree(source, root)
    exe = str(Path(sys.executable).with_name("comparer"))
    cmd = [exe, "track", str(root), "-o", str(site)]
    wall, peak = timed(cmd)
    print(f"first run, 200 reports: {wall:.1f} s, peak RSS of the main process {peak:.0f} MB")
    new = root / "country3-2020.txt"
    new.write_text(edit_report(build_report(30_000, seed=3), seed=999), encoding="utf-8")
    with (root / "catalog.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[report]]\nfile = "country3-2020.txt"\ncountry = "Country 3"\ncovers = 2020\n')
    wall, peak = timed(cmd)
    print(f"re-run after adding one report: {wall:.1f} s, peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
