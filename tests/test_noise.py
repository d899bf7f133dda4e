"""Formatting is never a change: noise of every kind gives no changed passage and no fact change.

The bundled reports run on a fresh clone; every HRW chapter of the shared corpus that exists as
`.html` and `.txt` adds coverage where the corpus is present (`tests/eval/noise.py`).
"""

from __future__ import annotations

import pytest

from comparer.api import compare_reports, read_text
from comparer.textnorm import fold
from tests.eval.noise import KINDS, bundled_sources, corpus_sources, run

BUNDLED = bundled_sources()


@pytest.mark.parametrize("kind", KINDS)
def test_noise_on_bundled_reports_gives_no_changes(kind: str) -> None:
    bad = [o for o in (run(kind, s) for s in BUNDLED) if o is not None and (o.changed or o.facts)]
    assert bad == []


@pytest.mark.parametrize("kind", KINDS)
def test_noise_on_every_corpus_chapter_gives_no_changes(kind: str) -> None:
    sources = corpus_sources()
    if not sources:
        pytest.skip("corpus not available")
    outcomes = [o for o in (run(kind, s) for s in sources) if o is not None]
    assert outcomes, f"no corpus chapter can have {kind} noise"
    assert [o for o in outcomes if o.changed or o.facts] == []


def _changes(old: str, new: str, old_name: str = "old.txt", new_name: str = "new.txt") -> list[str]:
    comparison = compare_reports(read_text(old, name=old_name), read_text(new, name=new_name))
    return [p.status for p in comparison.passages if p.status != "unchanged"] + [
        f.status for f in comparison.facts if f.status != "unchanged"
    ]


HEAD = "Testland\n\nPrisons\n\n"
A = "Conditions in prisons remained harsh, with 17 deaths reported in custody during the year."
B = "The government denied access to independent monitors in all four camps it runs."
C = "Journalists faced arrest; at least 12 journalists were detained in March by the police."


def test_paragraph_breaks_are_formatting() -> None:
    assert _changes(HEAD + f"{A}\n\n{B}\n\n{C}\n", HEAD + f"{A} {B}\n\n{C}\n") == []
    assert _changes(HEAD + f"{A} {B} {C}\n", HEAD + f"{A}\n\n{B} {C}\n") == []


def test_a_real_edit_next_to_a_moved_break_is_still_reported() -> None:
    edited = C.replace("12", "14")
    assert "modified" in _changes(HEAD + f"{A}\n\n{B} {C}\n", HEAD + f"{A} {B}\n\n{edited}\n")


def test_dash_runs_fold_to_one_dash() -> None:
    assert fold("mid- November") == fold("mid-November") == fold("mid -November")
    assert fold("detainees--Abolfazl") == fold("detainees -- Abolfazl") == fold("detainees\u2014Abolfazl")
    assert fold("a \u2013 b") == fold("a-b")


def test_page_chrome_by_element_semantics_is_removed_with_its_reason() -> None:
    body = f"<h1>Testland</h1><h2>Prisons</h2><p>{A}</p><p>{B}</p><p>{C}</p>"
    chrome = (
        "<div class='site-header'><span>Example Watch</span></div>"
        "<div id='cookie-consent'><p>We use cookies to give you the best experience on this website.</p></div>"
        "<div role='navigation'><a href='/'>Home</a> <a href='/about'>About</a></div>"
        "<ul class='share-links'><li>Facebook</li><li>Email</li></ul>"
    )
    plain = f"<html><body>{body}</body></html>"
    dressed = f"<html><body>{chrome}{body}<div role='contentinfo'><p>Contact</p></div></body></html>"
    assert _changes(plain, dressed, "a.html", "b.html") == []
    report = read_text(dressed, name="b.html")
    reasons = {r.text: r.reason for r in report.removed}
    assert "cookie" in reasons["We use cookies to give you the best experience on this website."]
    assert reasons["Example Watch"].startswith("page chrome (class site-header")


def test_an_articles_own_header_is_text() -> None:
    page = f"<html><body><nav>Home</nav><main><header><h1>Testland</h1></header><p>{A}</p><p>{B}</p></main></body></html>"
    report = read_text(page, name="a.html")
    assert report.sections[0].heading == "Testland"


def test_breadcrumbs_and_toc_entries_in_any_case_are_chrome() -> None:
    text = (
        "Table of Contents > Asia >\n\nTestland\n\nPrisons and Camps\n\nThe Media\n\n"
        f"PRISONS AND CAMPS\n\n{A}\n\n{B}\n\nTHE MEDIA\n\n{C}\n"
    )
    report = read_text(text, name="t.txt")
    reasons = {r.text: r.reason for r in report.removed}
    assert reasons["Table of Contents > Asia >"] == "breadcrumb"
    assert reasons["Prisons and Camps"] == reasons["The Media"] == "table of contents"
    assert [s.heading for s in report.sections] == ["Testland", "PRISONS AND CAMPS", "THE MEDIA"]


def test_cookie_banner_in_plain_text_is_chrome_by_its_wording() -> None:
    banner = "We use cookies to improve your experience on our site. By continuing you agree to our use of cookies."
    report = read_text(HEAD + f"{banner}\n\n{A}\n\n{B}\n", name="t.txt")
    assert {r.text: r.reason for r in report.removed}.get(banner) == "cookie notice"
