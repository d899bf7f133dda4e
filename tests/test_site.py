"""The tracked site's pages: the country index and the heat map's cell states."""

from __future__ import annotations

from pathlib import Path

from comparer.model import Entry, Pair, PairStats, SiteResult
from comparer.render.site_report import country_view, render_country, render_index
from comparer.topics import topic_label


def _entry(year: int, topics: dict[str, int]) -> Entry:
    return Entry(
        f"x/hrw-{year}", f"x/hrw-{year}.txt", "0" * 64, "Testland", "HRW", year + 1, year, "T", 100, topics
    )


def _site() -> tuple[list[Entry], SiteResult]:
    a = _entry(2020, {"torture": 10, "prison-conditions": 20, "expression": 5})
    b = _entry(2021, {"torture": 10, "prison-conditions": 20, "refugees": 7})
    pair = Pair(a, b, "year over year")
    stats = PairStats(
        topics={"torture": {"unchanged": 4}, "prison-conditions": {"unchanged": 1, "modified": 3}},
        facts_changed=2,
    )
    return [a, b], SiteResult(entries=[a, b], pairs=[pair], pair_stats={pair.page: stats})


def test_heat_cells_tell_new_rewritten_dropped_and_not_covered_apart() -> None:
    members, result = _site()
    view = country_view("Testland", members, result)
    cells = {row["topic"]: [c["state"] for c in row["cells"]] for row in view["rows"]}
    assert cells[topic_label("torture")] == ["first", "same"]
    assert cells[topic_label("prison-conditions")] == ["first", "changed"]
    assert cells[topic_label("refugees")] == ["none", "new"]
    assert cells[topic_label("expression")] == ["first", "dropped"]  # covered in 2020, not in 2021
    prisons = next(row["cells"][1] for row in view["rows"] if row["cells"][1]["state"] == "changed")
    assert prisons["ratio"] == 75 and prisons["heat"] >= 1
    assert {s for s, _, _ in view["legend"]} == {"first", "new", "changed", "same", "dropped", "none"}


def test_index_lists_countries_and_each_has_its_page() -> None:
    members, result = _site()
    index = render_index({"Testland": members}, result, version="t")
    assert 'href="testland/index.html"' in index and '<table class="heat"' not in index
    page = render_country("Testland", members, result, version="t")
    assert "✕ dropped" in page and "★ new" in page and 'class="legend"' in page
    assert 'href="x-hrw-2020__x-hrw-2021.html"' in page


def _review_data(html: str) -> dict[str, object]:
    import json

    start = html.index('id="review-data">') + len('id="review-data">')
    return dict(json.loads(html[start : html.index("</script>", start)]))


def test_track_review_carries_marks_into_comparison_pages(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from comparer.cli import app
    from tests.conftest import REPORTS

    runner = CliRunner()
    plain = runner.invoke(app, ["track", str(REPORTS), "-o", str(tmp_path / "a"), "-j", "1"])
    assert plain.exit_code == 0, plain.output
    page = next((tmp_path / "a" / "north-korea").glob("*__*.html"))
    data = _review_data(page.read_text(encoding="utf-8"))
    ids = list(data["ids"])  # type: ignore[call-overload]
    assert ids and data["marks"] == {} and data["carried"] is False
    review = tmp_path / "review.json"
    marks = {ids[0]: {"state": "flagged", "note": "<check>"}, "gone": {"state": "reviewed", "note": ""}}
    review.write_text(
        json.dumps({"schema": "comparer/review@1", "marks": marks, "seen": ids}), encoding="utf-8"
    )
    cache = str(tmp_path / "a.cache.sqlite")
    marked = runner.invoke(
        app,
        [
            "track",
            str(REPORTS),
            "-o",
            str(tmp_path / "b"),
            "-j",
            "1",
            "--cache",
            cache,
            "--review",
            str(review),
        ],
    )
    assert marked.exit_code == 0, marked.output
    text = (tmp_path / "b" / "north-korea" / page.name).read_text(encoding="utf-8")
    after = _review_data(text)
    assert after["marks"] == {ids[0]: {"state": "flagged", "note": "<check>"}} and after["carried"] is True
    assert "<check>" not in text  # the note is data, escaped
    again = runner.invoke(
        app, ["track", str(REPORTS), "-o", str(tmp_path / "c"), "-j", "1", "--cache", cache]
    )
    assert again.exit_code == 0
    assert (
        tmp_path / "c" / "north-korea" / page.name
    ).read_bytes() == page.read_bytes()  # cache stays review-free


def test_country_page_counts_agree_in_number() -> None:
    members, result = _site()
    result.changed_claims["Testland"] = 1
    page = render_country("Testland", members, result, version="t")
    assert "1 claim changed, 0 in conflict · 1 comparison</p>" in page
    assert "— 3 passages changed, 2 facts changed</li>" in page
    result.pair_stats[result.pairs[0].page] = PairStats({"torture": {"modified": 1}}, 1)
    page = render_country("Testland", members, result, version="t")
    assert "— 1 passage changed, 1 fact changed</li>" in page
