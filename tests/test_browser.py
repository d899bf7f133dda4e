"""The HTML reports as a reader uses them, in headless Chromium driven by Playwright.

Chromium is Debian's (/usr/bin/chromium, installed by .ci/run); Playwright's own browser
download is not used. axe-core (tests/browser/node_modules, installed by .ci/run from npm)
checks accessibility inside the page. Every page is watched for console errors, uncaught
exceptions and any request that leaves the file.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from comparer.api import compare_files, compare_reports, link_facts, read_text
from comparer.render import FORMATS
from comparer.render.html_report import render_facts_html
from tests.conftest import CORPUS, NK

CHROMIUM = os.environ.get("COMPARER_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not Path(CHROMIUM).exists() or not AXE.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"browser tests need {CHROMIUM} and {AXE}: .ci/run installs them")
    pytest.skip("Chromium or axe-core not installed (run .ci/run)", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api")


@dataclass
class Watched:
    """A page and what it did that it should not have."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def open_page(browser: Any, path: Path, *, width: int = 1280, height: int = 900) -> Watched:
    """Open `path` and record console errors, page errors and requests that leave the file."""
    page = browser.new_page(viewport={"width": width, "height": height})
    watched = Watched(page)
    page.on("console", lambda msg: watched.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: watched.errors.append(str(exc)))

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("file://", "data:", "about:")):
            r.continue_()
        else:
            watched.requests.append(url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return watched


def assert_clean(watched: Watched) -> None:
    assert watched.errors == [], watched.errors
    assert watched.requests == [], watched.requests


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


BASE = """Testland

Opening paragraph that summarises the year in Testland and stays the same throughout the report.

Prisons

Conditions in prisons remained harsh and life-threatening, with 17 deaths reported in custody.

The government denied access to independent monitors in all four camps during the year.

A third paragraph about prisons that does not change from one year to the next at all.

Media

Journalists faced arrest; at least 12 journalists were detained in March by the police.

Online critics were sentenced to long prison terms for posts on social media platforms.
"""
NEW = (
    BASE.replace("17 deaths", "21 deaths")
    .replace(
        "The government denied access to independent monitors in all four camps during the year.\n\n", ""
    )
    .replace(
        "Online critics",
        "The government denied access to independent monitors in all five camps during the year.\n\nOnline critics",
    )
    + "\nA new paragraph about bloggers who were sentenced to prison for their posts online.\n"
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pages")
    small = compare_reports(read_text(BASE, name="old.txt"), read_text(NEW, name="new.txt"))
    seeds = compare_files(NK / "hrw-2014.txt", NK / "hrw-2019.txt")
    reports, claims = link_facts([NK])
    from comparer.track import build_site

    build_site(NK.parent, out / "site", jobs=1, cache_path=out / "site.cache.sqlite")
    paths = {
        "small": out / "small.html",
        "seeds": out / "seeds.html",
        "facts": out / "facts.html",
        "site": out / "site" / "index.html",
        "country": out / "site" / "north-korea" / "index.html",
    }
    paths["small"].write_text(FORMATS["html"](small), encoding="utf-8")
    paths["seeds"].write_text(FORMATS["html"](seeds), encoding="utf-8")
    paths["facts"].write_text(render_facts_html(reports, claims, version="test"), encoding="utf-8")
    nk = CORPUS / "north-korea"
    if (nk / "state-dept-2024.txt").exists():  # the real case of issue 13, where the corpus is
        paths["nk"] = out / "nk.html"
        nk_pair = compare_files(nk / "state-dept-2023.txt", nk / "state-dept-2024.txt")
        paths["nk"].write_text(FORMATS["html"](nk_pair), encoding="utf-8")
    return paths


def test_next_previous_change_with_keys_and_buttons(browser: Any, pages: dict[str, Path]) -> None:
    w = open_page(browser, pages["small"])
    page = w.page
    changes = page.locator(".row.change, .section-change")
    assert changes.count() >= 3
    page.keyboard.press("n")
    first = page.locator(".current")
    assert first.count() == 1
    first_id = first.get_attribute("id")
    page.keyboard.press("n")
    second_id = page.locator(".current").get_attribute("id")
    assert second_id != first_id
    page.keyboard.press("p")
    assert page.locator(".current").get_attribute("id") == first_id
    page.click("#next-change")
    assert page.locator(".current").get_attribute("id") == second_id
    page.click("#prev-change")
    assert page.locator(".current").get_attribute("id") == first_id
    assert "Change 1 of" in page.inner_text("#change-pos")
    assert_clean(w)


def test_navigate_by_topic(browser: Any, pages: dict[str, Path]) -> None:
    w = open_page(browser, pages["seeds"])
    page = w.page
    link = page.locator("nav.toc a", has_text="Key International Actors")
    link.click()
    assert page.evaluate("location.hash").startswith("#sec-")
    target = page.locator(page.evaluate("location.hash"))
    assert target.is_visible()
    assert_clean(w)


def test_toggle_unchanged_and_inline_view(browser: Any, pages: dict[str, Path]) -> None:
    w = open_page(browser, pages["small"])
    page = w.page
    unchanged = page.locator("details.unchanged-run").first
    assert not unchanged.evaluate("d => d.open")
    page.click("#toggle-unchanged")
    assert unchanged.evaluate("d => d.open")
    assert page.get_attribute("#toggle-unchanged", "aria-pressed") == "true"
    modified = page.locator(".row.change.modified").first
    assert not modified.locator(".inline").is_visible()
    page.click("#toggle-mode")
    assert modified.locator(".inline").is_visible()
    assert not modified.locator(".col.old p").is_visible()
    page.click("#toggle-mode")
    assert modified.locator(".col.old p").is_visible()
    assert_clean(w)


def test_moved_passage_links_both_ways(browser: Any, pages: dict[str, Path]) -> None:
    w = open_page(browser, pages["small"])
    page = w.page
    here = page.locator(".row.moved-here").first
    here.locator("a.jump").click()
    away_id = page.evaluate("location.hash")[1:]
    assert away_id.endswith("-from")
    away = page.locator(f"#{away_id}")
    assert "moved" in away.get_attribute("class")
    away.locator("a.jump").click()
    assert page.evaluate("location.hash")[1:] == here.get_attribute("id")
    assert_clean(w)


def test_filter_facts_table(browser: Any, pages: dict[str, Path]) -> None:
    w = open_page(browser, pages["facts"])
    page = w.page
    rows = page.locator(".fact-table tbody tr")
    total = rows.count()
    assert total >= 3
    page.fill("#fact-filter", "Japanese")
    visible = [r for r in rows.all() if r.is_visible()]
    assert len(visible) == 1 and "17" in visible[0].inner_text()
    page.fill("#fact-filter", "")
    assert len([r for r in rows.all() if r.is_visible()]) == total
    assert page.locator("svg.timeline").count() >= 1
    assert_clean(w)


@pytest.mark.parametrize("name", ["small", "seeds", "facts", "site", "country"])
def test_accessibility_no_serious_violations(browser: Any, pages: dict[str, Path], name: str) -> None:
    w = open_page(browser, pages[name])
    assert w.page.locator("main").count() == 1 and w.page.locator("h1").count() == 1
    violations = axe_violations(w.page)
    assert violations == [], [(v["id"], v["help"], len(v["nodes"])) for v in violations]
    assert_clean(w)


@pytest.mark.parametrize("name", ["small", "seeds", "facts", "site", "country"])
def test_phone_width_has_no_horizontal_scroll(browser: Any, pages: dict[str, Path], name: str) -> None:
    w = open_page(browser, pages[name], width=390, height=844)
    overflow = w.page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, overflow
    assert_clean(w)


def test_tracked_site_links_both_ways(browser: Any, pages: dict[str, Path]) -> None:
    w = open_page(browser, pages["site"])
    page = w.page
    page.locator("table.countries a", has_text="North Korea").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("north-korea/index.html") and page.locator(".legend").count() == 1
    page.locator("table.heat a").first.click()
    page.wait_for_load_state("load")
    assert "__" in page.url and page.locator(".row.change, .section-change").count() > 0
    page.keyboard.press("n")
    assert page.locator(".current").count() == 1
    page.locator("nav.site-links a", has_text="facts").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("facts.html") and page.locator("table.claims").count() == 1
    page.locator("nav.site-links a", has_text="All countries").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("index.html")
    assert_clean(w)


def test_print_stylesheet_hides_controls(browser: Any, pages: dict[str, Path]) -> None:
    w = open_page(browser, pages["small"])
    w.page.emulate_media(media="print")
    assert not w.page.locator(".toolbar").is_visible()
    assert not w.page.locator("nav.toc").is_visible()
    assert not w.page.locator(".rv").first.is_visible() and not w.page.locator(".filters").is_visible()
    assert_clean(w)


def test_changes_do_not_rely_on_colour(browser: Any, pages: dict[str, Path]) -> None:
    w = open_page(browser, pages["small"])
    ins = w.page.locator("ins.chg").first
    deleted = w.page.locator("del.chg").first
    assert "underline" in ins.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "line-through" in deleted.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert ins.evaluate("e => getComputedStyle(e, '::before').content") == '"+"'
    assert_clean(w)


def test_a_broken_page_is_caught(browser: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text(
        "<!DOCTYPE html><html lang='en'><head><title>x</title></head><body><main><h1>x</h1>"
        "<img alt='' src='https://example.invalid/tracker.png'>"
        "<script>undefinedFunction();</script></main></body></html>",
        encoding="utf-8",
    )
    w = open_page(browser, broken)
    with pytest.raises(AssertionError):
        assert_clean(w)
    assert any("undefinedFunction" in e for e in w.errors)
    assert w.requests == ["https://example.invalid/tracker.png"]


# --- at a glance, change list, moves, review marks (issue 13) --------------------------------


def in_view(page: Any, selector: str) -> bool:
    """Whether the element is inside the viewport and not under the sticky toolbar (entirely, or,
    when it is taller than the space below the toolbar, from its top)."""
    return bool(
        page.evaluate(
            """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                 const bar = document.querySelector('.toolbar').getBoundingClientRect();
                 const room = window.innerHeight - bar.bottom;
                 return r.height > 0 && r.top >= bar.bottom - 1 && r.top < window.innerHeight
                        && (r.bottom <= window.innerHeight || r.height > room); }""",
            selector,
        )
    )


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
@pytest.mark.parametrize("name", ["seeds", "nk"])
def test_first_change_visible_without_scrolling(
    browser: Any, pages: dict[str, Path], name: str, width: int, height: int
) -> None:
    if name not in pages:
        pytest.skip("shared corpus not available")
    w = open_page(browser, pages[name], width=width, height=height)
    page = w.page
    assert page.evaluate("window.scrollY") == 0
    assert in_view(page, "#change-list li:first-child")
    assert in_view(page, ".glance .counts")
    page.locator("#change-list li:first-child a").click()
    target = page.evaluate("location.hash")
    assert target.startswith("#change-") and in_view(page, target)
    assert_clean(w)


def test_phone_keeps_previous_next_reachable(browser: Any, pages: dict[str, Path]) -> None:
    w = open_page(browser, pages["seeds"], width=390, height=844)
    page = w.page
    bar = page.locator(".toolbar").bounding_box()
    assert bar is not None and bar["height"] <= 56  # compact: one row
    page.evaluate("window.scrollTo(0, 4000)")
    for button in ("#prev-change", "#next-change"):
        box = page.locator(button).bounding_box()
        assert box is not None and 0 <= box["y"] < 60, (button, box)
    for _ in range(12):
        page.click("#next-change")
    assert page.locator(".current").count() == 1
    bar = page.locator(".toolbar").bounding_box()
    assert bar is not None and bar["height"] <= 56 and bar["y"] <= 1  # "Change 12 of 57" still one row
    header = page.locator("th").first
    assert header.evaluate("e => getComputedStyle(e).overflowWrap") == "normal"
    assert_clean(w)


def test_no_differences_said_plainly(browser: Any, tmp_path: Path) -> None:
    same = compare_reports(read_text(BASE, name="old.txt"), read_text(BASE, name="new.txt"))
    path = tmp_path / "same.html"
    path.write_text(FORMATS["html"](same), encoding="utf-8")
    w = open_page(browser, path)
    assert w.page.locator(".no-diff").inner_text().startswith("No differences.")
    assert w.page.locator("#change-list").count() == 0
    assert_clean(w)


def test_change_list_filters_by_kind_and_topic(browser: Any, pages: dict[str, Path]) -> None:
    w = open_page(browser, pages["seeds"])
    page = w.page
    items = page.locator("#change-list li")
    total = items.count()
    assert total > 5

    def shown() -> list[str]:
        return [str(li.get_attribute("data-kinds")) for li in items.all() if li.is_visible()]

    for box in page.locator(".kind-box").all():
        if box.get_attribute("value") != "removed":
            box.uncheck()
    assert shown() and all("removed" in k.split() for k in shown())
    assert len(shown()) == page.locator("#change-list li[data-kinds~='removed']").count()
    page.keyboard.press("n")
    assert "removed" in str(page.locator(".current").get_attribute("class"))  # n/p follow the list
    page.locator(".kind-box[value='facts']").check()
    page.locator(".kind-box[value='removed']").uncheck()
    assert shown() and all("facts" in k.split() for k in shown())
    for box in page.locator(".kind-box").all():
        box.check()
    assert len(shown()) == total
    topic = page.locator("#change-list li").nth(total - 1).get_attribute("data-topic")
    page.select_option("#topic-filter", label=str(topic))
    visible = [li for li in items.all() if li.is_visible()]
    assert 0 < len(visible) < total and all(li.get_attribute("data-topic") == topic for li in visible)
    assert_clean(w)


def test_moved_links_land_on_their_partner(browser: Any, pages: dict[str, Path]) -> None:
    name = "nk" if "nk" in pages else "small"
    w = open_page(browser, pages[name])
    page = w.page
    links = page.locator(".row.moved-here a.jump, .row.moved-away a.jump")
    assert links.count() >= 2
    for k in range(min(links.count(), 30)):
        link = links.nth(k)
        origin = link.evaluate("a => a.closest('.row').id")
        partner = str(link.get_attribute("href"))[1:]
        below = page.evaluate(
            "([a, b]) => !!(document.getElementById(a).compareDocumentPosition(document.getElementById(b)) & 4)",
            [origin, partner],
        )
        assert link.inner_text().strip().endswith("↓" if below else "↑"), (origin, link.inner_text())
        link.click()
        assert page.evaluate("location.hash") == f"#{partner}"
        assert in_view(page, f"#{partner}") or page.locator(f"#{partner}").bounding_box()["y"] >= 0  # type: ignore[index]
        for end in (origin, partner):  # hashchange fires after the click returns: wait for it
            playwright_api.expect(page.locator(f"#{end}")).to_have_class(re.compile(r"\barrived\b"))
    assert_clean(w)


SECOND = NEW.replace("A third paragraph about prisons", "A rewritten third paragraph about prisons")


def test_review_marks_survive_reload_and_carry_to_the_next_run(
    browser: Any, pages: dict[str, Path], tmp_path: Path
) -> None:
    from comparer.render.html_report import render_html
    from comparer.review import load_review

    w = open_page(browser, pages["small"])
    page = w.page
    cids = [str(c.get_attribute("data-cid")) for c in page.locator(".row.change, .section-change").all()]
    assert len(cids) >= 3
    for _ in cids:
        page.keyboard.press("n")
        page.keyboard.press("r")
    page.keyboard.press("n")  # back to the first: flag it with a note instead
    page.keyboard.press("f")
    page.keyboard.press("c")
    page.fill(".rv-edit textarea", "check the <b>number</b>")
    page.click(".rv-edit button")
    page.reload()
    page.wait_for_load_state("load")
    first = page.locator(f"#change-{cids[0]}")
    assert first.locator(".rv-flag").get_attribute("aria-pressed") == "true"
    assert first.locator(".rv-note").inner_text() == "Note: check the <b>number</b>"
    for cid in cids[1:]:
        assert page.locator(f"#change-{cid} .rv-ok").get_attribute("aria-pressed") == "true"
    assert page.inner_text("#review-status").startswith(f"{len(cids) - 1} reviewed · 1 flagged")
    with page.expect_download() as download:
        page.click("#review-export")
    exported = tmp_path / "review.json"
    download.value.save_as(exported)
    assert json.loads(exported.read_text(encoding="utf-8"))["schema"] == "comparer/review@1"
    assert_clean(w)

    nxt = compare_reports(read_text(BASE, name="old.txt"), read_text(SECOND, name="new.txt"))
    path = tmp_path / "next.html"
    path.write_text(render_html(nxt, review=load_review(exported)), encoding="utf-8")
    w2 = open_page(browser, path)  # a fresh browser context: nothing in localStorage
    page = w2.page
    now = [str(c.get_attribute("data-cid")) for c in page.locator(".row.change, .section-change").all()]
    new = [c for c in now if c not in cids]
    assert len(new) == 1 and set(now) - set(new) == set(cids)
    for cid in cids:
        pressed = page.locator(f"#change-{cid} .rv-ok, #change-{cid} .rv-flag").evaluate_all(
            "bs => bs.map(b => b.getAttribute('aria-pressed'))"
        )
        assert "true" in pressed, cid
    assert page.locator(f"#change-{new[0]} [aria-pressed='true']").count() == 0
    page.select_option("#state-filter", "new")
    visible = [
        li.get_attribute("data-cid") for li in page.locator("#change-list li").all() if li.is_visible()
    ]
    assert visible == new
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"], len(v["nodes"])) for v in violations]
    assert_clean(w2)

    w3 = open_page(browser, pages["small"])  # another browser: marks come in by importing the file
    page = w3.page
    assert page.locator(".rv [aria-pressed='true']").count() == 0
    page.set_input_files("#review-import", str(exported))
    playwright_api.expect(page.locator(f"#change-{cids[0]} .rv-flag")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert page.locator(".rv-ok[aria-pressed='true']").count() == len(cids) - 1
    assert_clean(w3)


def test_unchanged_text_rendered_on_demand(browser: Any, pages: dict[str, Path]) -> None:
    w = open_page(browser, pages["seeds"])
    page = w.page
    run = page.locator("details.unchanged-run").first
    assert run.locator(".row").count() == 0
    run.locator("summary").click()
    assert run.locator(".row.unchanged").count() > 0
    assert_clean(w)
