"""Benchmark: `comparer facts` over many reports of ~30k words built from real report text.

Run: .venv/bin/python bench/bench_facts.py [--reports 200] [--words 30000]
Reports are spread over ten synthetic countries (a catalog says which), as a collection of
one publisher's chapters would be.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA, build_report, edit_report, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--words", type=int, default=30_000)
    args = parser.parse_args()
    folder = DATA / f"facts-{args.reports}x{args.words}"
    folder.mkdir(parents=True, exist_ok=True)
    catalog = []
    for k in range(args.reports):
        country, year = k % 10, 2000 + k // 10
        path = folder / f"country{country}-{year}.txt"
        if not path.exists():
            text = build_report(args.words, seed=country)
            path.write_text(edit_report(text, seed=k) if year > 2000 else text, encoding="utf-8")
        catalog.append(f'[[report]]\nfile = "{path.name}"\ncountry = "Country {country}"\ncovers = {year}\n')
    (folder / "catalog.toml").write_text("\n".join(catalog), encoding="utf-8")
    exe = str(Path(sys.executable).with_name("comparer"))
    wall, peak = timed([exe, "facts", str(folder), "-f", "json", "-o", str(DATA / "facts.json")])
    print(
        f"comparer facts on {args.reports} reports x ~{args.words:,} words: {wall:.1f} s, peak RSS {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
