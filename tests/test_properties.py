"""Properties that hold for any text (Hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comparer.api import compare_reports, read_text
from comparer.diff import diff_words, new_text
from comparer.render import FORMATS
from comparer.textnorm import fold

words = st.lists(
    st.sampled_from(
        [
            "the",
            "government",
            "detained",
            "12",
            "four",
            "camps",
            "in",
            "2021",
            ",",
            ".",
            "“quoted”",
            "—",
            "No.",
        ]
    ),
    min_size=0,
    max_size=40,
).map(" ".join)
prose = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300)


@given(words)
def test_diff_of_identical_text_has_no_changes(text: str) -> None:
    assert all(op == "=" for op, _ in diff_words(text, text))


@given(words, words)
def test_diff_reproduces_the_new_text(old: str, new: str) -> None:
    ops = diff_words(old, new)
    assert new_text(ops) == new
    assert fold("".join(t for op, t in ops if op != "+")) == fold(old) or any(op != "=" for op, _ in ops)


@given(words)
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prose, prose)
def test_renderers_never_raise_and_escape(old: str, new: str) -> None:
    text_a = "Title\n\n" + old + " A closing sentence of the paragraph that is long enough.\n"
    text_b = "Title\n\n" + new + " A closing sentence of the paragraph that is long enough.\n"
    comparison = compare_reports(read_text(text_a, name="a.txt"), read_text(text_b, name="b.txt"))
    for fmt in ("html", "json", "md"):
        out = FORMATS[fmt](comparison)
        assert out.endswith("\n")
    html = FORMATS["html"](comparison)
    assert html.count("<script>") == 1


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from([
    "Prisons", "Conditions were harsh and 17 deaths were reported in custody during the year.",
    "Media", "Journalists were detained in March and held without charge for weeks.",
    "The government denied access to monitors in all four camps.",
]), min_size=1, max_size=8))  # fmt: skip
def test_comparing_a_report_with_itself_changes_nothing(blocks: list[str]) -> None:
    text = "Testland\n\n" + "\n\n".join(blocks) + "\n"
    report = read_text(text, name="r.txt")
    comparison = compare_reports(report, report)
    assert all(p.status == "unchanged" for p in comparison.passages)
    assert all(s.status == "matched" for s in comparison.sections)
