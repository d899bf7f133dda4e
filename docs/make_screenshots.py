"""Make the screenshots in docs/screenshots/ from the bundled reports (1280 px and 390 px wide).

Run: .venv/bin/python docs/make_screenshots.py   (needs Debian's chromium and playwright)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from comparer.api import compare_files, link_facts
from comparer.render import FORMATS
from comparer.render.html_report import render_facts_html
from comparer.track import build_site

ROOT = Path(__file__).resolve().parent.parent
NK = Path("reports") / "north-korea"  # relative: the pages show the paths as a user would give them
OUT = Path(__file__).resolve().parent / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def _shots(browser: Any, compare: Path, facts: Path, site: Path) -> None:
    page = browser.new_page(viewport=WIDE)
    page.goto(compare.as_uri())
    page.screenshot(path=str(OUT / "compare-top.png"))
    page.keyboard.press("n")
    page.keyboard.press("n")
    page.keyboard.press("r")
    page.screenshot(path=str(OUT / "compare-change.png"))
    page.locator(".row.moved-here a.jump").first.click()
    page.screenshot(path=str(OUT / "compare-moved.png"))
    page.click("#toggle-mode")
    page.evaluate("document.querySelector('.row.change.modified').scrollIntoView()")
    page.screenshot(path=str(OUT / "compare-inline.png"))
    page.goto(facts.as_uri())
    page.screenshot(path=str(OUT / "facts.png"))
    page.goto((site / "index.html").as_uri())
    page.screenshot(path=str(OUT / "site-index.png"))
    page.goto((site / "north-korea" / "index.html").as_uri())
    page.screenshot(path=str(OUT / "site-country.png"), full_page=True)
    phone = browser.new_page(viewport=PHONE)
    phone.goto(compare.as_uri())
    phone.screenshot(path=str(OUT / "compare-phone.png"))
    phone.keyboard.press("n")
    phone.keyboard.press("n")
    phone.keyboard.press("n")
    phone.screenshot(path=str(OUT / "compare-phone-change.png"))
    phone.goto((site / "north-korea" / "index.html").as_uri())
    phone.screenshot(path=str(OUT / "site-country-phone.png"))
    phone.goto(facts.as_uri())
    phone.screenshot(path=str(OUT / "facts-phone.png"))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        compare = Path(tmp) / "compare.html"
        compare.write_text(
            FORMATS["html"](compare_files(NK / "hrw-2014.txt", NK / "hrw-2019.txt")), encoding="utf-8"
        )
        facts = Path(tmp) / "facts.html"
        reports, claims = link_facts([NK])
        facts.write_text(render_facts_html(reports, claims, version="docs"), encoding="utf-8")
        build_site(Path("reports"), Path(tmp) / "site", jobs=1, cache_path=Path(tmp) / "cache.sqlite")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            _shots(browser, compare, facts, Path(tmp) / "site")
            browser.close()
    print(f"wrote {len(list(OUT.glob('*.png')))} screenshots to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
