"""Alignment: nothing vanishes, nothing doubles; sentence refinement inside modified paragraphs."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comparer.align import refine_sentences
from comparer.api import compare_reports, read_report, read_text
from comparer.model import Comparison, Paragraph, Report
from tests.conftest import CORPUS, NK

_TOKEN = re.compile(r"\S")


def _words(paras: list[Paragraph]) -> Counter[tuple[int, str]]:
    """Every letter of every word of `paras` with its offset into the report text.

    Counted by character, not by token: a sentence break inside a token written without a
    space ("association.Family") splits the token but loses or doubles nothing.
    """
    return Counter((p.start + m.start(), m.group()) for p in paras for m in _TOKEN.finditer(p.text))


def conservation_errors(comparison: Comparison) -> list[str]:
    """What vanished or doubled between the reports and the old/new sides of the passages."""
    errors: list[str] = []
    for side, report in (("old", comparison.old), ("new", comparison.new)):
        expected = _words(list(report.paragraphs()))
        sides = [getattr(p, side) for p in comparison.passages]
        got = _words([p for p in sides if p is not None])
        missing, extra = expected - got, got - expected
        if missing:
            errors.append(f"{side}: {_show(report, missing)} vanished")
        if extra:
            errors.append(f"{side}: {_show(report, extra)} doubled")
    return errors


def _show(report: Report, chars: Counter[tuple[int, str]]) -> str:
    first = min(chars)[0]
    return f"{sum(chars.values())} characters, first at {first}: {report.text[first : first + 40]!r}"


def _para(text: str) -> Paragraph:
    return Paragraph("s1.p1", text, 0, len(text))


def test_inserted_sentence_is_added_not_a_doubled_old_one() -> None:
    old = _para("The first sentence stays as it is. The last sentence stays as well here.")
    new = _para(
        "The first sentence stays as it is. A new sentence appears in the middle now. "
        "The last sentence stays as well here."
    )
    pieces = refine_sentences(old, new, 80.0)
    assert [p.status for p in pieces] == ["unchanged", "added", "unchanged"]
    assert pieces[1].new is not None and pieces[1].new.text == "A new sentence appears in the middle now."


def test_sentences_gained_in_front_of_an_edited_one_do_not_crash() -> None:
    old = _para("Officials detained 12 people in the capital during the year.")
    new = _para(
        "A first new sentence opens the paragraph here. A second new sentence follows right after it. "
        "Officials detained 14 people in the capital during the year."
    )
    pieces = refine_sentences(old, new, 80.0)
    assert [p.status for p in pieces] == ["added", "modified"]
    assert pieces[0].new is not None and pieces[0].new.text.startswith("A first new sentence")


SENTENCES = [
    "Officials detained 12 people in the capital during the year.",
    "The courts sentenced four journalists to long prison terms.",
    "Several camps remained open despite international pressure.",
    "Authorities detained 14 people in the capital during the year.",
    "The government denied that any camps existed in the north.",
    "No independent monitors were allowed into the country at all.",
    "Refugees reported forced labor and beatings in detention.",
    "The courts sentenced five journalists to long prison terms.",
]
paragraph = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6).map(" ".join)
document = st.lists(paragraph, min_size=1, max_size=5)


def _report(paras: list[str], name: str) -> Report:
    return read_text("Report Title\n\n" + "\n\n".join(paras) + "\n", name=name)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document, document)
def test_every_word_is_accounted_for_exactly_once(old: list[str], new: list[str]) -> None:
    comparison = compare_reports(_report(old, "old.txt"), _report(new, "new.txt"))
    assert conservation_errors(comparison) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(paragraph, min_size=1, max_size=4), st.data())
def test_refine_sentences_keeps_every_sentence_once(paras: list[str], data: st.DataObject) -> None:
    old_text = " ".join(paras)
    new_text = " ".join(data.draw(st.permutations(paras)))
    new_text = data.draw(st.sampled_from(SENTENCES)) + " " + new_text
    old, new = _para(old_text), _para(new_text)
    pieces = refine_sentences(old, new, 80.0)
    for side, para in (("old", old), ("new", new)):
        got = [getattr(p, side) for p in pieces if getattr(p, side) is not None]
        assert _words(got) == _words([para]), side


def _year_pairs(root: Path) -> list[tuple[Path, Path]]:
    """Every year-over-year pair below `root`: same country, publisher and format, next edition."""
    files = sorted(p for p in root.rglob("*") if p.suffix in (".txt", ".html") and "-" in p.stem)
    groups: dict[tuple[Path, str, str], list[tuple[int, Path]]] = {}
    for path in files:
        publisher, _, year = path.stem.rpartition("-")
        if year.isdigit():
            groups.setdefault((path.parent, publisher, path.suffix), []).append((int(year), path))
    out: list[tuple[Path, Path]] = []
    for key in sorted(groups):
        editions = sorted(groups[key])
        out += [(a, b) for (_, a), (_, b) in pairwise(editions)]
    return out


BUNDLED_PAIRS = _year_pairs(NK)
CORPUS_PAIRS = _year_pairs(CORPUS) if CORPUS.exists() else []


@pytest.mark.parametrize("old,new", BUNDLED_PAIRS, ids=[f"{a.stem}->{b.stem}" for a, b in BUNDLED_PAIRS])
def test_bundled_pairs_conserve_every_word(old: Path, new: Path) -> None:
    comparison = compare_reports(read_report(old), read_report(new))
    assert conservation_errors(comparison) == []


def test_a_paragraph_rewritten_in_place_is_one_modified_passage() -> None:
    old = _report(
        ["The courts sentenced four journalists to long prison terms. " + SENTENCES[2], SENTENCES[5]], "a.txt"
    )
    rewritten = (
        "Courts handed long prison terms to four journalists and two bloggers this year. "
        "Several camps remained open despite pressure from abroad and from the United Nations."
    )
    new = _report([rewritten, SENTENCES[5]], "b.txt")
    comparison = compare_reports(old, new)
    changed = [p for p in comparison.passages if p.status != "unchanged"]
    assert [p.status for p in changed] == ["modified"]
    assert changed[0].new is not None and changed[0].new.text == rewritten
    assert "".join(t for op, t in changed[0].diff if op != "-") == rewritten
    assert conservation_errors(comparison) == []


def test_corpus_year_pairs_conserve_every_word() -> None:
    if not CORPUS_PAIRS:
        pytest.skip("shared corpus not available")
    failures: list[str] = []
    for old, new in CORPUS_PAIRS:
        errors = conservation_errors(compare_reports(read_report(old), read_report(new)))
        failures += [f"{old.parent.name}/{old.stem} -> {new.stem}: {e}" for e in errors]
    assert failures == []


@pytest.mark.parametrize("old,new", [("hrw-2019", "hrw-2020"), ("hrw-2014", "hrw-2019")])
def test_big_outline_path_pairs_sections_like_the_full_one(
    old: str, new: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond `SECTION_DENSE_MAX` pairs only candidates are scored; on a real pair that finds
    the same section pairs as scoring every pair."""
    from comparer import align

    a, b = read_report(NK / f"{old}.txt"), read_report(NK / f"{new}.txt")

    def pairs() -> list[tuple[str, str, str]]:
        return [
            (p.status, p.old.id if p.old else "", p.new.id if p.new else "")
            for p in compare_reports(a, b).sections
        ]

    full = pairs()
    monkeypatch.setattr(align, "SECTION_DENSE_MAX", 0)
    assert pairs() == full


LONG_LIST = (
    "Significant problems included reports of: arbitrary killings; enforced disappearance; torture; "
    "harsh prison conditions; arbitrary arrest; political prisoners; restrictions on movement; "
    "censorship of the press; forced labor in the camps; restrictions on religious freedom; "
    "punishment of family members for offenses of a relative; serious government corruption; "
    "violence against women; and trafficking in persons."
)
SHORT_LIST = (
    "Significant problems included reports of: arbitrary killings; enforced disappearance; torture; "
    "political prisoners; and trafficking in persons."
)


def test_a_piece_of_a_paragraph_rewritten_in_place_is_one_modified_passage() -> None:
    # The list sentence is cut from its paragraph (the sentence after it became a paragraph of
    # its own) and shortened below the match cutoff: one modified passage, not removed + added.
    keep = "The government did not take credible steps to identify or punish officials who committed abuses."
    edited = keep.replace("committed abuses", "committed human rights abuses")
    old = _report([SENTENCES[5], f"{LONG_LIST} {keep}", SENTENCES[6]], "a.txt")
    new = _report([SENTENCES[5], SHORT_LIST, edited, SENTENCES[6]], "b.txt")
    comparison = compare_reports(old, new)
    lists = [p for p in comparison.passages if "Significant problems" in ((p.old or p.new).text if (p.old or p.new) else "")]
    assert [p.status for p in lists] == ["modified"], [(p.status, (p.old or p.new).text[:40]) for p in lists]
    assert "".join(t for op, t in lists[0].diff if op != "+").strip() in LONG_LIST + " " + keep
    assert conservation_errors(comparison) == []


_BODY = "<p>Officials detained {} activists in the capital during the year and held them for weeks.</p>"
_PRISONS = "<p>Prisoners were beaten in custody and denied medical care by guards in most prisons.</p>"


def _page(middle: str, end: str = "") -> str:
    """An HTML report whose markup decides its headings, with `middle` before the prison paragraph."""
    return (
        "<html><body><h1>Report</h1><h2>Background</h2>" + _BODY.format("dozens")
        + "<h2>Detention</h2>" + _BODY.format("many") + middle + _PRISONS
        + "<h2>Torture</h2>" + _BODY.format("scores") + end + "</body></html>"
    )  # fmt: skip


@pytest.mark.parametrize("swap", [False, True])
def test_a_heading_written_as_a_paragraph_is_no_change(swap: bool) -> None:
    heading = read_text(_page("<h3>Prison conditions</h3>"), name="a.html")
    paragraph = read_text(_page("<p>Prison conditions</p>"), name="b.html")
    old, new = (paragraph, heading) if swap else (heading, paragraph)
    comparison = compare_reports(old, new)
    assert [p.status for p in comparison.passages if p.status != "unchanged"] == []
    assert comparison.facts == () or all(f.status == "unchanged" for f in comparison.facts)
    assert conservation_errors(comparison) == []


def test_a_paragraph_like_a_heading_elsewhere_is_still_removed() -> None:
    # The old paragraph "Prison conditions" is gone; the new report's heading of that wording
    # stands at another place (after "Torture"), so it is no twin of the paragraph.
    old = read_text(_page("<p>Prison conditions</p>"), name="a.html")
    moved = "<h3>Prison conditions</h3>" + _PRISONS.replace("most", "all")
    new = read_text(_page("", end=moved), name="b.html")
    comparison = compare_reports(old, new)
    removed = [p.old.text for p in comparison.passages if p.status == "removed" and p.old is not None]
    assert removed == ["Prison conditions"]
    assert conservation_errors(comparison) == []


def test_a_heading_both_reports_keep_is_no_twin_of_a_paragraph() -> None:
    # The heading stays a heading in both; the paragraph of the same words added next to it is new.
    old = read_text(_page("<h3>Prison conditions</h3>"), name="a.html")
    new = read_text(_page("<h3>Prison conditions</h3><p>Prison conditions</p>"), name="b.html")
    comparison = compare_reports(old, new)
    added = [p.new.text for p in comparison.passages if p.status == "added" and p.new is not None]
    assert added == ["Prison conditions"]


def test_text_before_headings_written_as_paragraphs_has_not_moved() -> None:
    # Old: a country section followed by fact box labels as headings of its level; new: the
    # labels are paragraphs, so the new country section pairs with the old label section that
    # holds the body text, and the country's own line would read as moved.
    def page(tag: str) -> str:
        return _page(
            "",
            end=f"<h2>Cyprus</h2><p>REPUBLIC OF CYPRUS</p><{tag}>Head of state:</{tag}>"
            f"<{tag}>Population:</{tag}>"
            + "".join(_BODY.format(n) for n in ("hundreds of", "thousands of", "a few", "twelve")),
        )

    comparison = compare_reports(read_text(page("h2"), name="a.html"), read_text(page("p"), name="b.html"))
    assert _changed(comparison) == []
    assert conservation_errors(comparison) == []


@pytest.mark.parametrize("swap", [False, True])
def test_a_heading_glued_to_its_first_paragraph_is_no_change(swap: bool) -> None:
    heading = read_text(_page("<h3>Prison conditions</h3>"), name="a.html")
    glued = _page("").replace(_PRISONS, _PRISONS.replace("<p>", "<p>Prison conditions "))
    paragraph = read_text(glued, name="b.html")
    old, new = (paragraph, heading) if swap else (heading, paragraph)
    comparison = compare_reports(old, new)
    assert [p.status for p in comparison.passages if p.status != "unchanged"] == []
    assert conservation_errors(comparison) == []


def test_a_heading_glued_to_an_edited_paragraph_still_shows_the_edit() -> None:
    old = read_text(_page("<h3>Prison conditions</h3>"), name="a.html")
    edited = _PRISONS.replace("<p>", "<p>Prison conditions ").replace("most", "all")
    new = read_text(_page("").replace(_PRISONS, edited), name="b.html")
    changed = [p for p in compare_reports(old, new).passages if p.status != "unchanged"]
    assert [p.status for p in changed] == ["modified"]
    assert any(op == "+" and "all" in t for op, t in changed[0].diff)


def _changed(comparison: Comparison) -> list[tuple[str, str]]:
    """Status and text of every passage that is not unchanged."""
    return [(p.status, (p.old or p.new).text) for p in comparison.passages if p.status != "unchanged"]  # type: ignore[union-attr]


@pytest.mark.parametrize("swap", [False, True])
def test_headings_glued_between_two_paragraphs_are_no_change(swap: bool) -> None:
    # A flattened page: the last sentence, two headings and the next paragraph in one passage.
    headed = read_text(_page("<h3>Reports</h3><h4>Visits</h4>"), name="a.html")
    glued = _BODY.format("many")[:-4] + "Reports Visits " + _PRISONS[3:]
    paragraph = read_text(_page("").replace(_BODY.format("many") + _PRISONS, glued), name="b.html")
    old, new = (paragraph, headed) if swap else (headed, paragraph)
    comparison = compare_reports(old, new)
    assert _changed(comparison) == []
    assert conservation_errors(comparison) == []


@pytest.mark.parametrize("swap", [False, True])
def test_a_paragraph_glued_into_a_heading_is_no_change(swap: bool) -> None:
    # "f. Status of Displaced Persons" and a paragraph "(IDPs)" against one heading of both.
    apart = read_text(_page("<h3>Prison conditions</h3><p>(in custody)</p>"), name="a.html")
    glued = read_text(_page("<h3>Prison conditions (in custody)</h3>"), name="b.html")
    old, new = (glued, apart) if swap else (apart, glued)
    comparison = compare_reports(old, new)
    assert _changed(comparison) == []
    assert conservation_errors(comparison) == []


def test_a_heading_glued_to_a_paragraph_that_gained_words_still_shows_them() -> None:
    old = read_text(_page("<h3>Reports</h3>"), name="a.html")
    glued = _BODY.format("many")[:-4] + "Reports " + _PRISONS[3:].replace("most", "nearly all")
    new = read_text(_page("").replace(_BODY.format("many") + _PRISONS, glued), name="b.html")
    comparison = compare_reports(old, new)
    changed = [p for p in comparison.passages if p.status != "unchanged"]
    assert changed and all(p.status != "unchanged" for p in changed)
    assert conservation_errors(comparison) == []
    assert any(op == "+" and "nearly" in t for p in changed for op, t in p.diff)


def test_an_exact_pair_out_of_order_does_not_keep_a_glued_label_apart() -> None:
    # "Head of state:" pairs first with the later country's label; the glued copy of the
    # first country ("Head of state:Officials...") must still be read against the page's two.
    def page(first: str) -> str:
        return (
            "<html><body><h1>Report</h1><h2>Chad</h2>" + first + _PRISONS
            + "<h2>Chile</h2><p>Head of state:</p>" + _BODY.format("scores") + "</body></html>"
        )  # fmt: skip

    apart = read_text(page("<p>Head of state:</p>" + _BODY.format("many")), name="a.html")
    glued = read_text(page(_BODY.format("many").replace("<p>", "<p>Head of state:")), name="b.html")
    comparison = compare_reports(apart, glued)
    assert _changed(comparison) == []
    assert conservation_errors(comparison) == []


def test_section_cosine_is_exact_and_the_same_in_both_paths() -> None:
    # integer dot products divided once: the dense (BLAS) path and the sparse path give the same
    # float, whatever order or thread count the BLAS adds in
    import random

    from comparer.align import _cosine, _vocabulary_matrix, _vocabulary_vectors

    rng = random.Random(7)
    words = [f"word{k}" for k in range(400)]
    texts = [tuple(rng.choice(words) for _ in range(rng.randrange(0, 300))) for _ in range(30)]
    ends = [k + 1 for k in range(30)]
    index = {w: k for k, w in enumerate(sorted(set(words)))}
    sparse = _vocabulary_vectors(texts, ends, set(words))
    mat, norm = _vocabulary_matrix(texts, ends, index)
    dense = 100 * (mat @ mat.T) / np.outer(norm, norm)
    for a in range(30):
        for b in range(30):
            assert _cosine(sparse[a], sparse[b]) == dense[a, b]


def _scraped(page: str, top: str, bottom: str) -> str:
    """The text of `page` as a scraper writes it: every block in one line, one space between,
    `top` and `bottom` (the site's chrome) glued on."""
    blocks = re.findall(r"<(?:h\d|p)>(.*?)</(?:h\d|p)>", page)
    return " ".join([top, *blocks, bottom]) + "\n"


def test_a_page_scraped_into_one_line_with_its_chrome_is_no_change() -> None:
    # Its menus and breadcrumb before the title, "Back to Top" and the footer after the last
    # paragraph: the page read as HTML has them as chrome.
    page = _page("")
    scraped = _scraped(page, "Home About Us Table of Contents > Reports >", "Back to Top Contact Privacy Terms of use")
    comparison = compare_reports(read_text(page, name="a.html"), read_text(scraped, name="b.txt"))
    assert _changed(comparison) == []
    assert all(f.status == "unchanged" for f in comparison.facts)
    assert conservation_errors(comparison) == []


def test_a_scraped_page_with_a_cookie_notice_is_no_change() -> None:
    page = _page("")
    top = "Rights Monitor Home Donate We use cookies to improve your experience on our site. Accept"
    comparison = compare_reports(read_text(page, name="a.html"), read_text(_scraped(page, top, "Contact"), name="b.txt"))
    assert _changed(comparison) == []


def test_a_sentence_glued_at_the_edge_of_a_scraped_page_is_still_added() -> None:
    # What is left over before the first paragraph is a sentence, not chrome: it is reported.
    page = _page("")
    scraped = _scraped(page, "Home > Reports > The minister resigned in March after the protests.", "Back to Top")
    changed = _changed(compare_reports(read_text(page, name="a.html"), read_text(scraped, name="b.txt")))
    assert changed and any("minister resigned" in text for _, text in changed)
