"""Benchmark: load and scroll the HTML report of a ~100k-word pair in headless Chromium.

Run: .venv/bin/python bench/bench_compare.py --skip-slow --sizes 100000   (makes the pair)
     .venv/bin/python bench/bench_browser.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def main() -> None:
    old, new = DATA / "old-100000.txt", DATA / "new-100000.txt"
    if not old.exists():
        sys.exit("run bench/bench_compare.py --sizes 100000 first")
    out = DATA / "browser-100k.html"
    exe = str(Path(sys.executable).with_name("comparer"))
    subprocess.run([exe, "compare", str(old), str(new), "-o", str(out)], check=True, capture_output=True)
    size = out.stat().st_size / 1e6
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        start = time.perf_counter()
        page.goto(out.as_uri())
        page.wait_for_load_state("load")
        load = time.perf_counter() - start
        nodes = page.evaluate("document.getElementsByTagName('*').length")
        start = time.perf_counter()
        for _ in range(20):
            page.mouse.wheel(0, 4000)
            page.evaluate("new Promise(r => requestAnimationFrame(() => r()))")
        scroll = (time.perf_counter() - start) / 20
        start = time.perf_counter()
        for _ in range(20):
            page.keyboard.press("n")
        step = (time.perf_counter() - start) / 20
        browser.close()
    print(
        f"100k-word report: {size:.1f} MB HTML, {nodes:,} DOM nodes, load {load:.2f} s, "
        f"scroll step {scroll * 1000:.0f} ms, next-change step {step * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
