"""Stable change ids, review files, and the terminal outputs of `compare` (text, --stat, -q)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comparer.api import compare_reports, read_text
from comparer.cli import app
from comparer.render.html_report import render_html
from comparer.render.json_report import compare_data
from comparer.render.markdown_report import render_markdown
from comparer.review import Review, change_ids, load_review

runner = CliRunner()

OLD = """Testland

Opening paragraph that summarises the year in Testland and stays the same throughout the report.

Prisons

Conditions in prisons remained harsh and life-threatening, with 17 deaths reported in custody.

Monitors were denied access by the government to all four camps during the year under review.

Media

Journalists faced arrest; at least 12 journalists were detained in March by the police.

Online critics were sentenced to long prison terms for posts on social media platforms.
"""


def _ids(old: str, new: str) -> list[str]:
    return change_ids(compare_reports(read_text(old, name="a.txt"), read_text(new, name="b.txt"))).all()


def test_change_ids_come_from_content_not_position() -> None:
    edited = OLD.replace("17 deaths", "21 deaths")
    first = set(_ids(OLD, edited))
    assert len(first) == 1
    # Another change before it shifts every position; the first change keeps its id.
    both = edited.replace("Monitors were denied", "Independent monitors were denied")
    both = both.replace(
        "Prisons\n\n",
        "Prisons\n\nA new opening paragraph about prisons and jails was added to this report here.\n\n",
        1,
    )
    second = set(_ids(OLD, both))
    assert first < second and len(second) == 3


def test_change_ids_are_unique_and_deterministic() -> None:
    twice = OLD + "\nTwice\n\nThe same sentence appears here.\n\nThe same sentence appears here.\n"
    ids = _ids(OLD, twice)
    assert len(ids) == len(set(ids)) and any(i.endswith("-2") for i in ids)
    assert ids == _ids(OLD, twice)


def test_the_same_ids_in_html_json_and_markdown() -> None:
    comparison = compare_reports(
        read_text(OLD, name="a.txt"), read_text(OLD.replace("17", "21"), name="b.txt")
    )
    (cid,) = change_ids(comparison).all()
    assert f'id="change-{cid}"' in render_html(comparison)
    assert [
        p.get("change_id") for p in compare_data(comparison)["passages"] if p["status"] != "unchanged"
    ] == [cid]
    assert f"`change-{cid}`" in render_markdown(comparison)


def test_review_marks_survive_only_on_surviving_changes() -> None:
    review = Review(
        {"aaa": {"state": "reviewed", "note": ""}, "bbb": {"state": "flagged", "note": "?"}}, ("aaa",)
    )
    assert review.for_ids(["bbb", "ccc"]).marks == {"bbb": {"state": "flagged", "note": "?"}}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{", "invalid JSON"),
        ('{"schema": "other"}', "schema is not comparer/review@1"),
        ('{"schema": "comparer/review@1", "marks": {"x": {"state": "maybe"}}}', "needs a state"),
        ('{"schema": "comparer/review@1", "marks": []}', "'marks' must be an object"),
    ],
)
def test_bad_review_file_is_one_error_line(tmp_path: Path, content: str, problem: str) -> None:
    bad = tmp_path / "review.json"
    bad.write_text(content, encoding="utf-8")
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(OLD, encoding="utf-8")
    b.write_text(OLD.replace("17", "21"), encoding="utf-8")
    result = runner.invoke(
        app, ["compare", str(a), str(b), "--review", str(bad), "-o", str(tmp_path / "r.html")]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(f"Error: {bad}: ") and problem in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_review_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    path.write_text(
        json.dumps(
            {
                "schema": "comparer/review@1",
                "marks": {"k1": {"state": "reviewed", "note": "ok"}},
                "seen": ["k1"],
            }
        ),
        encoding="utf-8",
    )
    assert load_review(path) == Review({"k1": {"state": "reviewed", "note": "ok"}}, ("k1",))


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(OLD, encoding="utf-8")
    b.write_text(
        OLD.replace("17 deaths", "21 deaths").replace("Journalists", "\x1b]0;pwned\x07Reporters"),
        encoding="utf-8",
    )
    return a, b


def test_quiet_gives_only_the_exit_code(pair: tuple[Path, Path]) -> None:
    a, b = pair
    differ = runner.invoke(app, ["compare", str(a), str(b), "-q"])
    same = runner.invoke(app, ["compare", str(a), str(a), "-q"])
    assert (differ.exit_code, differ.stdout, same.exit_code, same.stdout) == (1, "", 0, "")


def test_stat_is_one_line_per_changed_section(pair: tuple[Path, Path]) -> None:
    result = runner.invoke(app, ["compare", str(pair[0]), str(pair[1]), "--stat"])
    assert result.exit_code == 0
    tag, *lines = result.stdout.splitlines()
    assert tag.startswith("comparer ") and tag.endswith(": compare --stat")
    assert [line.split("|")[0].strip() for line in lines[:-1]] == ["Prisons", "Media"]
    assert lines[-1].startswith(" 2 sections changed, 2 modified")


def test_text_word_diff_plain_and_coloured(pair: tuple[Path, Path]) -> None:
    a, b = pair
    plain = runner.invoke(app, ["compare", str(a), str(b), "-f", "text", "--color", "never"])
    assert plain.exit_code == 0
    assert "[-17-]{+21+}" in plain.stdout.replace(" ", "") and "\x1b[" not in plain.stdout
    assert "Reporters" in plain.stdout  # the report's escape sequence is never sent (ingest drops it)
    assert "\x1b]" not in plain.stdout and "\x07" not in plain.stdout
    coloured = runner.invoke(app, ["compare", str(a), str(b), "-f", "text", "--color", "always"])
    assert "\x1b[" in coloured.stdout and "[-17-]" not in coloured.stdout
    assert "\x1b]0;" not in coloured.stdout and "\x07" not in coloured.stdout
    auto = runner.invoke(app, ["compare", str(a), str(b), "-f", "text"])  # not a terminal: no colour
    assert "\x1b[" not in auto.stdout


def test_text_says_no_differences(pair: tuple[Path, Path]) -> None:
    result = runner.invoke(app, ["compare", str(pair[0]), str(pair[0]), "-f", "text"])
    assert result.exit_code == 0 and "No differences." in result.stdout


LIST_OLD = (
    "Significant human rights issues included credible reports of: arbitrary or unlawful killings, including "
    "extrajudicial killings; enforced disappearance; torture or cruel, inhuman, or degrading treatment; harsh and "
    "life-threatening prison conditions, including in political prison camps; arbitrary arrest or detention; "
    "political prisoners; transnational repression against individuals in another country; and the worst forms "
    "of child labor. The government did not take credible steps to identify and punish officials."
)
LIST_NEW = (
    "Significant human rights issues included credible reports of: arbitrary or unlawful killings; enforced "
    "disappearance; torture or cruel, inhuman, or degrading treatment; arbitrary arrest or detention; "
    "transnational repression against individuals in another country; and the worst forms of child labor. "
    "The government did not take credible steps or action to identify and punish officials."
)


def test_a_rewritten_paragraph_is_one_block_with_sentences_side_by_side() -> None:
    from dataclasses import replace

    from comparer.diff import diff_words
    from comparer.render.html_report import sentence_chunks

    ops = diff_words(LIST_OLD, LIST_NEW)
    chunks = sentence_chunks(ops)
    assert "".join(t for c in chunks for op, t in c if op != "+") == LIST_OLD  # nothing lost or doubled
    assert "".join(t for c in chunks for op, t in c if op != "-") == LIST_NEW
    dropped = [c for c in chunks if all(op == "-" for op, _ in c)]
    assert any("political prisoners;" in "".join(t for _, t in c) for c in dropped)
    base = compare_reports(read_text(OLD, name="a.txt"), read_text(OLD.replace("17", "21"), name="b.txt"))
    k = next(i for i, p in enumerate(base.passages) if p.status == "modified")
    match = base.passages[k]
    assert match.old is not None and match.new is not None
    long = replace(
        match, old=replace(match.old, text=LIST_OLD), new=replace(match.new, text=LIST_NEW), diff=ops
    )
    html = render_html(replace(base, passages=(*base.passages[:k], long, *base.passages[k + 1 :])))
    assert html.count("by-sentence") >= 2 and html.count('class="s-old') == len(chunks)
    assert "sentences or list items changed" in html


def test_compare_review_carries_surviving_marks(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    a, b = pair
    data = json.loads(runner.invoke(app, ["compare", str(a), str(b), "-f", "json"]).stdout)
    ids = [p["change_id"] for p in data["passages"] if "change_id" in p]
    review = tmp_path / "review.json"
    marks = {ids[0]: {"state": "reviewed", "note": ""}, "0000000000": {"state": "flagged", "note": ""}}
    review.write_text(
        json.dumps({"schema": "comparer/review@1", "marks": marks, "seen": ids}), encoding="utf-8"
    )
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["compare", str(a), str(b), "--review", str(review), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert (
        f'"marks": {{"{ids[0]}": {{"note": "", "state": "reviewed"}}}}' in html and "0000000000" not in html
    )
