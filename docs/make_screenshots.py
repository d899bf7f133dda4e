"""Make the screenshots in docs/screenshots/ from the bundled reports.

Run: .venv/bin/python docs/make_screenshots.py   (needs Debian's chromium and playwright)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from comparer.api import compare_files, link_facts
from comparer.render import FORMATS
from comparer.render.html_report import render_facts_html
from comparer.track import build_site

ROOT = Path(__file__).resolve().parent.parent
NK = ROOT / "reports" / "north-korea"
OUT = Path(__file__).resolve().parent / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        compare = Path(tmp) / "compare.html"
        compare.write_text(
            FORMATS["html"](compare_files(NK / "hrw-2014.txt", NK / "hrw-2019.txt")), encoding="utf-8"
        )
        facts = Path(tmp) / "facts.html"
        reports, claims = link_facts([NK])
        facts.write_text(render_facts_html(reports, claims, version="docs"), encoding="utf-8")
        build_site(ROOT / "reports", Path(tmp) / "site", jobs=1, cache_path=Path(tmp) / "cache.sqlite")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(compare.as_uri())
            page.screenshot(path=str(OUT / "compare-top.png"))
            page.keyboard.press("n")
            page.keyboard.press("n")
            page.screenshot(path=str(OUT / "compare-change.png"))
            page.locator("#sec-10").scroll_into_view_if_needed()
            page.screenshot(path=str(OUT / "compare-section.png"))
            page.click("#toggle-mode")
            page.screenshot(path=str(OUT / "compare-inline.png"))
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.goto(compare.as_uri())
            phone.screenshot(path=str(OUT / "compare-phone.png"))
            page.goto(facts.as_uri())
            page.screenshot(path=str(OUT / "facts.png"))
            page.goto((Path(tmp) / "site" / "index.html").as_uri())
            page.screenshot(path=str(OUT / "site-index.png"))
            browser.close()
    print(f"wrote {len(list(OUT.glob('*.png')))} screenshots to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
