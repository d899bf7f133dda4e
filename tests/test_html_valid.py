"""Every kind of page comparer writes passes the W3C Nu HTML checker with 0 errors.

The checker is npm's `vnu-jar` (tests/browser/node_modules, installed by .ci/run) and needs a
Java runtime (.ci/run apt-installs one when missing). Outside CI the test skips without them;
in CI their absence is a failure. One checker run covers all pages (Java starts once).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from comparer.api import compare_files, compare_reports, link_facts, read_text
from comparer.render import FORMATS
from comparer.render.html_report import render_facts_html
from comparer.track import build_site
from tests.conftest import NK, REPORTS

VNU = Path(__file__).parent / "browser" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Report text that HTML forbids or that must be escaped: C0/C1 controls (U+0097 is a cp1252
# dash read as Latin-1), a noncharacter, markup, and an attribute breaker.
HOSTILE = """Testland

Opening paragraph of the report with a <script>alert(1)</script> tag and "quotes" & ampersands.

Prisons

Conditions in prisons remained harsh\u0097with 17 deaths reported\x0b in custody during the year.

A second paragraph about prisons with a bell\x07 and a noncharacter \ufdd0 in its text.
"""


def _java() -> str | None:
    return shutil.which("java")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("valid")
    hostile = compare_reports(
        read_text(HOSTILE, name="old.txt"), read_text(HOSTILE.replace("17", "21"), name="new.txt")
    )
    same = compare_reports(read_text(HOSTILE, name="a.txt"), read_text(HOSTILE, name="b.txt"))
    written = {
        "hostile.html": FORMATS["html"](hostile),
        "same.html": FORMATS["html"](same),
        "seeds.html": FORMATS["html"](compare_files(NK / "hrw-2014.txt", NK / "hrw-2019.txt")),
        "facts.html": render_facts_html(*link_facts([NK]), version="test"),
    }
    for name, html in written.items():
        (out / name).write_text(html, encoding="utf-8")
    build_site(REPORTS, out / "site", jobs=1, cache_path=out / "site.cache.sqlite")
    return sorted(out.rglob("*.html"))


def test_every_page_has_no_nu_checker_errors(pages: list[Path]) -> None:
    java = _java()
    if java is None or not VNU.exists():
        if os.environ.get("CI"):
            raise AssertionError(f"the Nu HTML checker needs java and {VNU}: .ci/run installs them")
        pytest.skip("java or vnu-jar not installed (run .ci/run)")
    kinds = {p.name for p in pages}
    assert {"hostile.html", "facts.html", "index.html"} <= kinds and len(pages) >= 8
    run = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(run.stderr or "{}").get("messages", [])
    errors = [(Path(m.get("url", "")).name, m.get("message")) for m in messages if m.get("type") == "error"]
    assert errors == [], errors[:20]
