"""Claims: the same claims for any hash seed, argument order, or collection around a folder."""

from __future__ import annotations

import csv
import html
import io
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from comparer.api import link_facts
from comparer.model import Claim
from comparer.render.claims_report import csv_cell, render_csv
from tests import claim_eval
from tests.conftest import CORPUS, NK, REPORTS, ROOT, corpus


def _signature(claims: list[Claim]) -> list[tuple[object, ...]]:
    """Claims by content: status, kind and (file name, text, value) of each value."""
    return [
        (c.status, c.kind, c.subject, tuple((Path(r.path).name, f.text, f.value) for r, f in c.values))
        for c in claims
    ]


def _facts_json(args: list[str], seed: str) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    out = subprocess.run(
        [sys.executable, "-m", "comparer", "facts", *args, "--format", "json"],
        cwd=ROOT, env=env, capture_output=True, check=True,
    )  # fmt: skip
    return out.stdout


def test_same_claims_for_any_hash_seed() -> None:
    outputs = {_facts_json([str(NK)], seed) for seed in ("0", "1", "2", "3")}
    assert len(outputs) == 1


def test_same_claims_for_any_hash_seed_on_corpus() -> None:
    folder = corpus("eritrea")
    outputs = {_facts_json([str(folder)], seed) for seed in ("0", "7", "42")}
    assert len(outputs) == 1


def test_same_claims_for_any_argument_order() -> None:
    files = sorted(NK.glob("*.txt"))
    reports, claims = link_facts(files)
    expected = (_signature(claims), [r.id for r in reports])
    rng = random.Random(10)
    for _ in range(3):
        shuffled = files[:]
        rng.shuffle(shuffled)
        reports, claims = link_facts(shuffled)
        assert (_signature(claims), [r.id for r in reports]) == expected


def test_same_claims_for_any_argument_order_on_corpus() -> None:
    files = sorted(corpus("eritrea").iterdir())
    files = [f for f in files if f.suffix in (".txt", ".html")]
    _, claims = link_facts(files)
    _, reversed_claims = link_facts(files[::-1])
    assert _signature(reversed_claims) == _signature(claims)


def _of_country(claims: list[Claim], country: str | None) -> list[tuple[object, ...]]:
    return [
        s
        for s, c in zip(_signature(claims), claims, strict=True)
        if c.values[0][0].metadata.country == country
    ]


def test_folder_alone_equals_folder_inside_a_collection(tmp_path: Path) -> None:
    # The bundled folder, and the same folder beside another country's copy of three reports.
    collection = tmp_path / "collection"
    shutil.copytree(REPORTS, collection)
    (collection / "testland").mkdir()
    for path in sorted(NK.glob("*.txt"))[:3]:
        shutil.copy(path, collection / "testland" / path.name)
    catalog = (collection / "catalog.toml").read_text(encoding="utf-8")
    copied = {p.name for p in (collection / "testland").iterdir()}
    entries = [e for e in catalog.split("[[report]]")[1:] if any(f'/{name}"' in e for name in copied)]
    other = "".join("[[report]]" + e for e in entries)
    other = other.replace('"north-korea/', '"testland/').replace('"North Korea"', '"Testland"')
    (collection / "catalog.toml").write_text(catalog + "\n" + other, encoding="utf-8")
    _, alone = link_facts([NK])
    _, inside = link_facts([collection])
    assert _of_country(inside, "North Korea") == _signature(alone)
    assert _of_country(inside, "Testland")  # the other country's claims are there too


def test_one_edition_in_two_formats_counts_once(tmp_path: Path) -> None:
    text = (NK / "hrw-2014.txt").read_text(encoding="utf-8")
    (tmp_path / "hrw-2014.txt").write_text(text, encoding="utf-8")
    paras = "".join(f"<p>{html.escape(p)}</p>\n" for p in text.split("\n\n"))
    (tmp_path / "hrw-2014.html").write_text(f"<html><body>{paras}</body></html>", encoding="utf-8")
    shutil.copy(NK / "hrw-2019.txt", tmp_path / "hrw-2019.txt")
    entry = (
        '[[report]]\nfile = "{}"\ncountry = "North Korea"\npublisher = "HRW"\nedition = {}\ncovers = {}\n\n'
    )
    (tmp_path / "catalog.toml").write_text(
        entry.format("hrw-2014.txt", 2014, 2013) + entry.format("hrw-2014.html", 2014, 2013)
        + entry.format("hrw-2019.txt", 2019, 2018),
        encoding="utf-8",
    )  # fmt: skip
    _, claims = link_facts([tmp_path])
    assert claims
    for claim in claims:
        assert len({r.metadata.edition for r, _ in claim.values}) == len(claim.values), claim
    _, reordered = link_facts(sorted(tmp_path.glob("*.*"), reverse=True))
    assert _signature(reordered) == _signature(claims)


def test_folder_alone_equals_folder_inside_the_corpus() -> None:
    folder = corpus("eritrea")
    _, alone = link_facts([folder])
    _, inside = link_facts([folder.parent])  # the shared corpus, or its subset in tests/data/corpus
    assert _of_country(inside, alone[0].values[0][0].metadata.country) == _signature(alone)


def test_corpus_edition_in_two_formats_counts_once() -> None:
    folder = corpus("eritrea")
    _, claims = link_facts(
        [folder / "hrw-2002.txt", folder / "hrw-2002.html", folder / "state-dept-2001.txt"]
    )
    for claim in claims:
        editions = [(r.metadata.publisher, r.metadata.edition) for r, _ in claim.values]
        assert len(editions) == len(set(editions)), claim


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("12", "12"), ("a=b", "a=b"), (2021, "2021")],
)  # fmt: skip
def test_csv_cells_never_start_a_formula(cell: object, expected: str) -> None:
    assert csv_cell(cell) == expected


def test_csv_output_neutralises_formulas(tmp_path: Path) -> None:
    line = "@SUM(A1:B2) The authorities held {n} political prisoners in the northern camps, monitors said."
    for name, n in (("a", "1,200"), ("b", "1,900")):
        (tmp_path / f"{name}.txt").write_text(
            "Testland\n\nPrisons\n\n" + line.format(n=n) + "\n", encoding="utf-8"
        )
    reports, claims = link_facts([tmp_path])
    rows = list(csv.reader(io.StringIO(render_csv(reports, claims))))
    assert len(rows) == 3
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


# Floors for the hand-labelled claim links (tests/data/claim_links_labelled.json); lowering one
# must be an explicit change. "bundled" links only the stored sentences (fresh clone); "corpus"
# links the whole country folders of the shared corpus.
# Precision before breadth: when the figure's own words stopped counting as shared context
# (session 6), precision rose 1-4 points and recall fell one; the floors followed both ways.
LINK_FLOORS = {
    ("dev", "bundled"): (0.99, 0.83),
    ("heldout", "bundled"): (0.95, 0.85),
    ("dev", "corpus"): (0.98, 0.84),
    ("heldout", "corpus"): (0.96, 0.86),
}


@pytest.mark.parametrize("part", ["dev", "heldout"])
def test_labelled_claim_links_from_stored_sentences(part: str) -> None:
    pairs = [p for p in claim_eval.load() if p["part"] == part]
    precision, recall, n = claim_eval.score_bundled(pairs)
    assert n >= 200
    floor_p, floor_r = LINK_FLOORS[(part, "bundled")]
    assert precision >= floor_p and recall >= floor_r, (precision, recall)


@pytest.mark.parametrize("part", ["dev", "heldout"])
def test_labelled_claim_links_on_the_corpus(part: str) -> None:
    pairs = [p for p in claim_eval.load() if p["part"] == part]
    if corpus(pairs[0]["country"]).parent != CORPUS:  # the labelled links need the whole shared corpus
        pytest.skip("shared corpus not available (tests/data/corpus holds only a subset)")
    precision, recall, _ = claim_eval.score_corpus(pairs, CORPUS)
    floor_p, floor_r = LINK_FLOORS[(part, "corpus")]
    assert precision >= floor_p and recall >= floor_r, (precision, recall)


def test_labelled_set_is_big_enough_and_held_out_by_country() -> None:
    pairs = claim_eval.load()
    assert len(pairs) >= 400
    dev = {p["country"] for p in pairs if p["part"] == "dev"}
    held = {p["country"] for p in pairs if p["part"] == "heldout"}
    assert dev and held and not dev & held
    assert {True, False} <= {p["same_claim"] for p in pairs if p["part"] == "heldout"}


def _dated_reports(tmp_path: Path, lines: dict[str, tuple[int, str]]) -> list[Claim]:
    entries = []
    for name, (covers, line) in lines.items():
        (tmp_path / f"{name}.txt").write_text(f"Testland\n\nProtests\n\n{line}\n", encoding="utf-8")
        entries.append(f'[[report]]\nfile = "{name}.txt"\ncountry = "Testland"\npublisher = "{name}"\ncovers = {covers}\n')
    (tmp_path / "catalog.toml").write_text("\n".join(entries), encoding="utf-8")
    return link_facts([tmp_path])[1]


def test_an_incident_dated_by_month_is_not_linked_to_another_years(tmp_path: Path) -> None:
    line = "On 13 July around {n} activists were detained by police at a peaceful gathering in the capital."
    claims = _dated_reports(tmp_path, {"a": (2005, line.format(n=20)), "b": (2008, line.format(n=30))})
    assert claims == []


def test_an_incident_dated_by_month_links_within_its_year(tmp_path: Path) -> None:
    line = "On 13 July around {n} activists were detained by police at a peaceful gathering in the capital."
    claims = _dated_reports(tmp_path, {"a": (2005, line.format(n=20)), "b": (2005, line.format(n=30))})
    assert [c.status for c in claims] == ["conflict"]


def test_a_yearly_figure_links_across_years(tmp_path: Path) -> None:
    line = "At the end of the year, {n} prisoners of conscience continued to be held for their views."
    claims = _dated_reports(tmp_path, {"a": (2006, line.format(n=69)), "b": (2007, line.format(n=62))})
    assert [c.status for c in claims] == ["changed"]


def test_candidates_are_blocked_by_counted_noun() -> None:
    import dataclasses

    from comparer import claims
    from comparer.facts import extract_facts
    from comparer.model import Metadata, Report

    report = Report("r", "r.txt", "r", "stored", "", "", Metadata(country="Testland", covers=2020), (), ())

    def item(sentence: str) -> claims._Item:
        [fact] = [f for f in extract_facts([(sentence, None)]) if f.kind == "count"]
        return claims._Item(report, 0, fact, claims.salient(fact.subject), claims.salient(sentence), set())

    camps, prisoners = item("Officials counted 12 camps near Yodok."), item("Officials counted 12 prisoners near Yodok.")
    bare = item("Officials counted 12 camps near Yodok.")
    bare.fact = dataclasses.replace(bare.fact, head="")
    blocks = claims._Blocks()
    rare = {"yodok", "official", "count"}
    blocks.add(0, camps, camps, rare)
    blocks.add(1, bare, bare, rare)
    assert set(blocks.candidates(prisoners, rare)) == {1}  # never the camps, always the cluster without a noun
    assert set(blocks.candidates(bare, rare)) == {0, 1}


def test_counts_agree_with_their_nouns() -> None:
    from comparer.render.claims_report import counted, render_check

    assert (counted(1, "claim"), counted(2, "claim"), counted(0, "claim")) == ("1 claim", "2 claims", "0 claims")
    assert render_check([], fail_on="conflicts") == "No conflicts among 0 linked claims.\n"


def test_figures_of_what_another_sentence_named_make_no_claim(monkeypatch: pytest.MonkeyPatch) -> None:
    # "two others" and "at least 10 others died" count whatever each report named before: no
    # claim across reports, so no change between them
    from comparer import claims
    from comparer.api import read_text

    text = "Testland\n\nPrisons\n\nThe monitors named {} in custody at the central prison during the year.\n"
    reports = [read_text(text.format(f"{n} others who died"), report_id=f"r{n}") for n in ("two", "ten")]
    assert not claims.link_claims(reports)
    monkeypatch.setattr(claims, "_ANAPHORIC", frozenset())
    assert claims.link_claims(reports)  # what the rule keeps apart
