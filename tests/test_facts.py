"""Facts: extraction on a labelled set of real sentences, linking across reports, the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comparer.api import compare_files, link_facts
from comparer.claims import relation
from comparer.cli import app
from comparer.facts import RULES, extract_facts, extract_from_sentence, same_name, same_thing
from comparer.facts.pairing import changed, list_delta
from comparer.model import Claim, Fact
from tests.conftest import NK, ROOT, corpus

runner = CliRunner()
DATA = Path(__file__).parent / "data"
# Floors for the labelled set; lowering one must be an explicit change. The set was also used
# while developing the extractor, so these figures are optimistic (see the closing notes).
EXTRACTION_PRECISION = 0.98
EXTRACTION_RECALL = 0.97


def _norm(kind: str, value: object) -> tuple[str, object]:
    if isinstance(value, list):
        if kind == "list":
            return kind, frozenset(str(v) for v in value)
        return kind, tuple(float(v) for v in value)
    if isinstance(value, int | float):
        return kind, float(value)
    return kind, value


def _extracted(sentence: str) -> list[tuple[str, object]]:
    out = []
    for span in extract_from_sentence(sentence):
        value = span.value
        out.append(_norm(span.kind, list(value) if isinstance(value, tuple) else value))
        if span.alt:  # "4,120 Cuban pesos ($17)": one fact in two currencies states both amounts
            out.append(_norm(span.kind, span.alt[0]))
    return out


def extraction_scores(name: str = "facts_labelled.jsonl") -> tuple[float, float, int]:
    """Precision, recall and number of labelled sentences of the extractor."""
    tp = fp = fn = 0
    rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    for row in rows:
        expected = [_norm(k, v) for k, v in row["facts"]]
        found = _extracted(row["sentence"])
        remaining = list(expected)
        for fact in found:
            if fact in remaining:
                remaining.remove(fact)
                tp += 1
            else:
                fp += 1
        fn += len(remaining)
    return tp / (tp + fp), tp / (tp + fn), len(rows)


def test_extraction_on_labelled_sentences() -> None:
    precision, recall, n = extraction_scores()
    assert n >= 200
    assert precision >= EXTRACTION_PRECISION, precision
    assert recall >= EXTRACTION_RECALL, recall


def test_extraction_on_held_out_sentences() -> None:
    # Sentences from reports not used while developing the extractor (other countries, 2024).
    precision, recall, n = extraction_scores("facts_heldout.jsonl")
    assert n >= 60
    assert precision >= 0.95, precision
    assert recall >= 0.95, recall


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Japan demands the return of 17 Japanese citizens.", [("count", 17.0)]),
        (
            "At least 63 North Koreans (23 women, 40 men) defected.",
            [("count", 63.0), ("count", 23.0), ("count", 40.0)],
        ),
        ("Four kwanliso remained in operation.", [("count", 4.0)]),
        (
            "Officials estimate that between 80,000 and 120,000 people may be imprisoned.",
            [("range", (80000.0, 120000.0))],
        ),
        ("Up to 120,000 detainees were held.", [("range", (0.0, 120000.0))]),
        ("Estimates were 80,000-120,000 prisoners.", [("range", (80000.0, 120000.0))]),
        ("The number may be as high as 200,000 prisoners.", [("range", (0.0, 200000.0))]),
        ("South Korea approved a US$8 million aid package.", [("money", 8000000.0)]),
        ("Agents offered bounties of up to $10,000.", [("money", 10000.0)]),
        ("On December 11, 2017, the Council met.", [("date", "2017-12-11")]),
        ("They were abducted in the 1970s and 1980s.", [("date", "1970s")]),
        ("It carried out its sixth nuclear test.", [("count", 6.0)]),
        (
            "Camps 14, 15, 16, 18, and 25 remained open.",
            [("list", frozenset({"14", "15", "16", "18", "25"}))],
        ),
        ("Nine young defectors and ten journalists were held.", [("count", 9.0), ("count", 10.0)]),
        ("About 70 percent of women reported harassment.", [("percent", 70.0)]),
    ],
)
def test_extraction_examples(sentence: str, expected: list[tuple[str, object]]) -> None:
    assert _extracted(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "See Section 1.e and section 6 for details.",
        "The camp No. 14 was described in Article 19 of the law.",
        "According to the 2014 UNCOI report, abuses continued.",
        "Restrictions due to COVID-19 continued.",
        "Under the 1994-95 migration accords, returnees were not prosecuted.",
        "He was one of the few; no one answered.",
        "The details are on page 12 and pp. 14-15 of Annex 3.",
        "The Third Committee adopted the text; the Group of 15 was arrested.",
        "3. Freedom of Expression, Including for Members of the Press",
        "One in six children reported violence.",
        "He was one of the G15 group, held since then.",
        "The army flew F16 jets over 3G masts and 4x4 trucks.",
        "She defected to the South two years later, and 12 months ago she spoke.",
    ],
)
def test_no_false_facts_from_names(sentence: str) -> None:
    assert _extracted(sentence) == []


def test_footnote_markers_are_not_facts() -> None:
    from comparer.api import read_report

    report = read_report(NK / "amnesty-2022.txt")
    para = next(p for p in report.paragraphs() if "medical needs." in p.text)
    assert all(s.text[-1:] != "2" for s in para.sentences)


def _claims_by_text(paths: list[Path]):  # type: ignore[no-untyped-def]
    reports, claims = link_facts(paths)
    index = {}
    for claim in claims:
        for report, fact in claim.values:
            index[(report.id, fact.text)] = claim.id
    return reports, claims, index


def test_seed_claims_linking_precision_recall() -> None:
    gold = json.loads((DATA / "claim_links.json").read_text(encoding="utf-8"))
    _, claims, index = _claims_by_text([ROOT / p for p in gold["reports"]])
    found = [len({index.get((r, t)) for r, t in link} - {None}) == 1 and all((r, t) in index for r, t in link)
             for link in gold["links"]]  # fmt: skip
    assert found[0] and found[1]  # 17 vs 12 abductees; 80,000-120,000 vs up to 120,000 prisoners
    assert sum(found) / len(found) >= 0.75, found
    for wrong in gold["wrong"]:
        assert len({index.get((r, t)) for r, t in wrong} - {None}) != 1 or None in {
            index.get((r, t)) for r, t in wrong
        }
    correct = sum(found)
    assert correct / len(claims) >= 0.75, [(c.subject, [(r.id, f.text) for r, f in c.values]) for c in claims]


def test_seed_claim_status() -> None:
    _, claims, index = _claims_by_text([NK])
    by_id = {c.id: c for c in claims}
    abductees = by_id[index[("hrw-2014", "17")]]
    assert abductees.status == "changed" and not abductees.consistent
    assert [f.value for _, f in abductees.values] == [17.0, 12.0, 12.0]
    prisoners = by_id[index[("amnesty-2022", "Up to 120,000")]]
    assert prisoners.consistent
    assert {r.id for r, _ in prisoners.values} == {"hrw-2014", "state-dept-2021", "amnesty-2022"}


def test_camp_list_links_to_a_count_of_the_camps() -> None:
    _, claims, index = _claims_by_text([NK])
    by_id = {c.id: c for c in claims}
    camps = by_id[index[("amnesty-2022", "Four")]]
    [(_, listed)] = [(r, f) for r, f in camps.values if r.id == "hrw-2014"]
    assert listed.kind == "list" and len(listed.value) == 4
    assert camps.consistent


def _two_reports(tmp_path: Path, a: str, b: str) -> list[Claim]:
    (tmp_path / "a.txt").write_text(f"Testland\n\nPrisons\n\n{a}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"Testland\n\nPrisons\n\n{b}\n", encoding="utf-8")
    (tmp_path / "catalog.toml").write_text(
        '[[report]]\nfile = "a.txt"\ncountry = "Testland"\npublisher = "X"\ncovers = 2013\n\n'
        '[[report]]\nfile = "b.txt"\ncountry = "Testland"\npublisher = "Y"\ncovers = 2021\n',
        encoding="utf-8",
    )
    return link_facts([tmp_path])[1]


def test_a_count_links_to_a_list_of_as_many_numbered_camps(tmp_path: Path) -> None:
    listed = "Officials say thousands are held in the camps, including camp No. 14 in Kaechun, No. 15 in Yodok and No. 16 in Hwasung."
    counted = "Three kwanliso were known to remain in operation although the authorities denied it."
    [claim] = _two_reports(tmp_path, listed, counted)
    assert {f.kind for _, f in claim.values} == {"list", "count"} and claim.consistent


def test_a_count_never_links_to_its_own_list_elsewhere(tmp_path: Path) -> None:
    a = "The government operated six kwanliso: Camps 14, 15, 16, 18, and 25, as well as a restricted area."
    b = "The government operated five kwanliso: Camps 14, 16, 18, and 25, as well as a restricted area."
    claims = _two_reports(tmp_path, a, b)
    values = {c.kind: [f.value for _, f in c.values] for c in claims}
    assert values == {"list": [("14", "15", "16", "18", "25"), ("14", "16", "18", "25")], "count": [6.0, 5.0]}


def test_corpus_state_dept_camp_list_change() -> None:
    _, claims, index = _claims_by_text(
        [corpus("north-korea/state-dept-2023.txt"), corpus("north-korea/state-dept-2024.txt")]
    )
    by_id = {c.id: c for c in claims}
    camps = by_id[index[("state-dept-2023", "Camps 14, 15, 16, 18, and 25")]]
    assert [f.value for _, f in camps.values] == [("14", "15", "16", "18", "25"), ("14", "16", "18", "25")]
    assert camps.status == "changed"
    kwanliso = by_id[index[("state-dept-2023", "six")]]
    assert [f.value for _, f in kwanliso.values] == [6.0, 5.0]
    citizens = by_id[index[("state-dept-2023", "12")]]
    assert citizens.consistent


def test_conflict_needs_same_covered_year(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    text = "Testland\n\nPrisons\n\nThe authorities held {n} political prisoners in the northern camps, monitors said in their annual review of the country.\n"
    a.write_text(text.format(n="1,200"), encoding="utf-8")
    b.write_text(text.format(n="1,900"), encoding="utf-8")
    (tmp_path / "catalog.toml").write_text(
        '[[report]]\nfile = "a.txt"\ncountry = "Testland"\npublisher = "X"\ncovers = 2020\n\n'
        '[[report]]\nfile = "b.txt"\ncountry = "Testland"\npublisher = "Y"\ncovers = 2020\n',
        encoding="utf-8",
    )
    _, claims = link_facts([a, b])
    [claim] = claims
    assert claim.status == "conflict"
    result = runner.invoke(app, ["check", str(tmp_path), "--fail-on", "conflicts"])
    assert result.exit_code == 1 and "conflict" in result.stdout
    (tmp_path / "catalog.toml").write_text(
        (tmp_path / "catalog.toml")
        .read_text(encoding="utf-8")
        .replace("covers = 2020\n\n", "covers = 2019\n\n", 1),
        encoding="utf-8",
    )
    _, claims = link_facts([a, b])
    assert claims[0].status == "changed"
    assert runner.invoke(app, ["check", str(tmp_path), "--fail-on", "conflicts"]).exit_code == 0
    assert runner.invoke(app, ["check", str(tmp_path), "--fail-on", "changes"]).exit_code == 1


def test_facts_cli_formats(tmp_path: Path) -> None:
    out = tmp_path / "facts.json"
    result = runner.invoke(app, ["facts", str(NK), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "comparer/facts@1"
    assert len(data["reports"]) == 5
    claim = next(c for c in data["claims"] if c["subject"] == "Japanese citizens")
    assert claim["consistent"] is False
    assert [v["value"] for v in claim["values"]] == [17, 12, 12]
    assert {"report", "value", "text"} <= set(claim["values"][0])
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["facts", str(NK), "-f", "csv"]).stdout)))
    assert any(r["subject"] == "Japanese citizens" and r["value"] == "17" for r in rows)
    html = runner.invoke(app, ["facts", str(NK), "-f", "html"]).stdout
    assert "<svg" in html and "Japanese citizens" in html and "http" not in html.split("<body>")[1]
    text = runner.invoke(app, ["facts", str(NK)]).stdout
    assert "[changed]" in text


def test_check_cli_on_seeds() -> None:
    result = runner.invoke(app, ["check", str(NK), "--fail-on", "changes"])
    assert result.exit_code == 1
    assert "Japanese citizens" in result.stdout and "**17**" in result.stdout
    assert runner.invoke(app, ["check", str(NK / "hrw-2019.txt"), str(NK / "hrw-2019.txt")]).exit_code == 0
    bad = runner.invoke(app, ["facts", str(ROOT / "nothing-here")])
    assert bad.exit_code == 2


@pytest.mark.parametrize(
    ("rule", "sentence", "kind", "value"),
    [(rule.name, *example) for rule in RULES for example in rule.examples],
)
def test_each_rule_finds_its_examples(rule: str, sentence: str, kind: str, value: object) -> None:
    found = [(s.kind, s.value) for s in extract_from_sentence(sentence)]
    if value is None:  # a counter-example: no fact of this kind
        assert kind not in [k for k, _ in found], (rule, found)
    else:
        assert (kind, value) in found, (rule, found)


@pytest.mark.parametrize(
    ("sentence", "value", "subject", "head"),
    [
        ("There were one hundred and twenty prisoners.", 120.0, "prisoners", "prisoner"),
        ("Donors sent two hundred fifty thousand tons of food.", 250000.0, "tons of food", "ton"),
        ("At least 61 were detained.", 61.0, "", "prisoner"),
        ("Police arrested at least 61 journalists.", 61.0, "journalists", "journalist"),
        ("Police arrested 12 editors and reporters.", 12.0, "editors and reporters", "editor and journalist"),
        ("Police held 120 people, of whom 73 were members of parliament.", 73.0, "members of parliament",
         "member of parliament"),
        ("Police detained a dozen activists.", 12.0, "activists", "activist"),
        ("Service was compulsory for men and women over the age of 18.", 18.0, "women", "age of woman"),
        ("A group counted 837 of the more than 1,400 persons arrested.", 837.0, "persons", "part of person"),
        ("At least seven people aged under 18 were executed.", 18.0, "people", "age of person"),
        ("At least 94 people were executed, including at least eight aged under 18.", 8.0, "people", "person"),
        ("A group counted 837 of the more than 1,400 persons arrested.", 1400.0, "persons", "person"),
    ],
)  # fmt: skip
def test_figures_read_right(sentence: str, value: float, subject: str, head: str) -> None:
    spans = [s for s in extract_from_sentence(sentence) if s.value == value]
    assert spans, extract_from_sentence(sentence)
    assert "least" not in spans[0].subject
    assert spans[0].head == head
    if subject:
        assert spans[0].subject == subject


def test_converted_amount_is_one_fact() -> None:
    [fact] = extract_facts([("Fees rose to 30 million nakfa ($2 million) a year.", None)])
    assert (fact.value, fact.unit, fact.alt) == (30e6, "ERN", (2e6, "USD"))


def _fact(sentence: str) -> Fact:
    return extract_facts([(sentence, None)])[0]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("It was well over 100 degrees.", "It was 113 degrees.", "compatible"),
        ("At least 61 journalists were held.", "65 journalists were held.", "compatible"),
        (
            "Up to 120,000 prisoners were held.",
            "Between 80,000 and 120,000 prisoners were held.",
            "compatible",
        ),
        ("About 400 students protested.", "Approximately 2,000 students protested.", "differ"),
        ("Nearly 100 people died.", "50 people died.", "differ"),
        ("Hundreds of people fled.", "Some 300 people fled.", "compatible"),
        ("Fees were 30 million nakfa ($2 million).", "Fees were $2 million.", "equal"),
        ("17 citizens were abducted.", "12 citizens were abducted.", "differ"),
        ("They held the camps No. 14, No. 15 and No. 16.", "They held the camps No. 14, No. 16 and No. 15.", "equal"),
        ("Clashes involved the Shan State Army, the Chin National Front, and People’s Defense Forces.",
         "Clashes involved the Shan State Army, the Chin National Front, and People’s Defense Force.", "equal"),
        ("They held the camps No. 14, No. 15 and No. 16.", "They held the camps No. 14, No. 16 and No. 18.", "differ"),
    ],
)
def test_values_agree_when_their_intervals_can_both_be_true(a: str, b: str, expected: str) -> None:
    fa, fb = _fact(a), _fact(b)
    assert same_thing(fa, fb)
    assert relation(fa, fb) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The US gave $10 million in development aid.", "NGOs must deposit $2 million in a bank."),
        ("Aid reached $5 million.", "Aid reached 5 million euros."),
        ("Persons younger than age 14 were freed.", "A girl younger than age 15 was married."),
        ("Suspects could be held 30 days without charge.", "Suspects saw a judge within 48 hours."),
        ("He served three years.", "Police detained two teenagers."),
        ("Police arrested 200 people.", "Police held 10,000 people."),
        ("Temperatures reached 38 degrees Celsius.", "Temperatures reached 113 degrees Fahrenheit."),
    ],
)
def test_figures_of_different_things_are_not_one_claim(a: str, b: str) -> None:
    assert not same_thing(_fact(a), _fact(b))


_OLD = """Testland

Executions

Officials confirmed that authorities carried out 798 executions during the year, most of them for drug offences, according to the monitoring group.

Camps

The government operates No. 14 in Kaechun, No. 15 in Yodok, No. 16 in Hwasung, and No. 25 in Chongjin.

Prisoners

The budget fell from 1000 to 60 units while guards numbered 700 in the north. Detainee Kim Kuk-gi was moved to a labour camp in the province.
"""
_NEW = """Testland

Executions

In a new report the rights group said 853 executions took place over the twelve months, with drug cases the largest share and several juveniles among the dead.

Camps

The government operates No. 14 in Kaechun, No. 16 in Hwasung, and No. 25 in Chongjin.

Prisoners

The budget fell from 1000 to 50 units while guards numbered 700 in the north. Detainee Kim Kook-kie was moved to a labour camp in the province.
"""


def _fact_changes(tmp_path: Path) -> list[tuple[str, str, str | None, str | None]]:
    (tmp_path / "old.txt").write_text(_OLD, encoding="utf-8")
    (tmp_path / "new.txt").write_text(_NEW, encoding="utf-8")
    comparison = compare_files(tmp_path / "old.txt", tmp_path / "new.txt")
    return [
        (c.status, c.kind, c.old.text if c.old else None, c.new.text if c.new else None)
        for c in comparison.facts
    ]


def test_compare_links_figures_of_a_rewritten_paragraph(tmp_path: Path) -> None:
    changes = _fact_changes(tmp_path)
    assert ("changed", "count", "798", "853") in changes
    assert not any(c[2] == "798" and c[0] == "removed" for c in changes)


def test_compare_pairs_by_the_word_diff(tmp_path: Path) -> None:
    changes = _fact_changes(tmp_path)
    assert ("changed", "count", "60", "50") in changes
    assert not any(c[0] == "changed" and c[2] in ("1000", "700") for c in changes)


def test_compare_names_list_items_dropped_as_written(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text(_OLD, encoding="utf-8")
    (tmp_path / "new.txt").write_text(_NEW, encoding="utf-8")
    comparison = compare_files(tmp_path / "old.txt", tmp_path / "new.txt")
    [camps] = [c for c in comparison.facts if c.kind == "list"]
    assert camps.status == "changed" and camps.removed_items == ("No. 15 in Yodok",) and not camps.added_items
    assert camps.items_note == "dropped: No. 15 in Yodok"


def test_compare_reports_a_name_spelled_two_ways(tmp_path: Path) -> None:
    assert ("changed", "name", "Kim Kuk-gi", "Kim Kook-kie") in _fact_changes(tmp_path)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("Kim Kuk-gi", "Kim Kook-kie", True), ("Mohammed Ahmed", "Mohamed Ahmad", True),
     ("Kachin", "Karen", False), ("Sunday", "Saturday", False), ("Kim Jong-un", "Kim Yo-jong", False),
     ("No. 15", "No. 16", False), ("Kim Il-sung", "Kim Il-song", True),
     # the same name in other case is a style; a word changed beside a name is no respelling
     ("KIM", "Kim", False), ("Interpol", "INTERPOL", False), ("NGO's", "NGOs", False), ("These", "They", False),
     ("People’s Defense Forces", "People’s Defense Force", False), ("Russia’s", "Russian", False),
     ("Maduro-aligned", "Maduro-controlled", False), ("Baloch", "Baluch", True), ("PFDI", "PFDJ", True),
     ("Isfahan Central Prison", "Esfahan Central Prison", True), ("Ali Reza", "Eli Reza", False)],
)  # fmt: skip
def test_same_name_spelled_two_ways(a: str, b: str, same: bool) -> None:
    assert same_name(a, b) is same


def test_list_items_pair_by_number_whatever_the_wording() -> None:
    old = _fact("Camps 14, 15, 16, 18, and 25 remain open.")
    new = _fact("They run No. 14 in Kaechun, No. 16 in Hwasung, No. 18, and No. 25 in Chongjin.")
    removed, added, renamed = list_delta(old, new)
    assert removed == ("15",) and added == () and renamed == []


def test_list_items_in_other_grammar_are_the_same_items() -> None:
    old = _fact("Clashes involved the Shan State Army, the Chin National Front, and People’s Defense Forces.")
    new = _fact("Clashes involved the Shan State Army, the Chin National Front, and People’s Defense Force.")
    assert list_delta(old, new) == ((), (), [])
    assert [c.status for c in changed(old, new)] == ["unchanged"]


def test_many_numbers_in_one_sentence() -> None:
    # from issue 14: a sentence of 4,000 figures is read figure by figure (no work per pair of figures)
    sentence = "Police held " + "".join(f"{i + 3} prisoners, " for i in range(4000)) + "and 7 more people."
    spans = extract_from_sentence(sentence)
    assert len(spans) >= 3800
    assert [s.start for s in spans] == sorted(s.start for s in spans)


def test_an_ordinal_never_pairs_with_a_count() -> None:
    # "its third nuclear test" says which test; "16 tests" says how many: never one fact changed.
    from comparer.api import compare_reports, read_text

    old = read_text("Testland\n\nWeapons\n\nIn February the government carried out its third nuclear test.\n")
    new = read_text("Testland\n\nWeapons\n\nThe government fired 23 missiles during 16 tests in the year.\n")
    changed = [f for f in compare_reports(old, new).facts if f.status == "changed"]
    assert [(f.old.text, f.new.text) for f in changed if f.old and f.new] == []


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        ("At the end of the year, 55 prisoners continued to be detained for their views.", "custody"),
        ("The 11 prisoners detained during the March 2003 crackdown were released in March.", "release"),
        ("At least 40 people were injured in the attack.", "injure"),
        ("Thousands of prisoners remained in incommunicado detention.", "custody"),
        ("Ten journalists who protested in 2001 remained in detention.", "custody"),
        ("Two students who were detained for protesting a work program died of heat stroke.", "die"),
        ("Thousands of prisoners remained at risk.", None),
    ],
)
def test_event_read_through_aspect_participles_and_dates(sentence: str, event: str | None) -> None:
    assert _fact(sentence).event == event


@pytest.mark.parametrize(
    ("sentence", "year"),
    [
        ("In 2000 authorities detained eight journalists.", 2000),
        ("UNHCR said that, as of 2022, the government recognized 761,000 refugees.", 2022),
        ("Police detained eight journalists in the capital.", None),
    ],
)
def test_year_a_figure_is_about(sentence: str, year: int | None) -> None:
    [count] = [f for f in extract_facts([(sentence, None)]) if f.kind == "count"]
    assert count.year == year


@pytest.mark.parametrize(("part", "floor"), [("dev", 0.95), ("heldout", 0.8), ("fresh", 0.8), ("dev2", 0.65)])
def test_leftover_links_keep_only_one_sentence_rewritten(part: str, floor: float) -> None:
    # Links the claim linker made between a removed and an added fact of the corpus year pairs
    # (every 12th from the first, and every 12th from the seventh), judged by hand: "dev" rows
    # chose LEFTOVER_SHARED; "heldout" rows were seen when the rule for totals was added;
    # "fresh" rows were judged after the rule was fixed. "dev2" (session 7): the leftover links
    # among 45 changed facts sampled from the corpus year pairs, judged; two candidate rules
    # (prison terms need more shared words; totals need a shared figure or some shared words)
    # were tried on all parts and dropped: each cut as many right links as wrong ones.
    from comparer.api import _one_sentence_rewritten

    rows = [json.loads(line) for line in (DATA / "leftover_links_labelled.jsonl").read_text(encoding="utf-8").splitlines()]
    kept, right = 0, 0
    for row in [r for r in rows if r["part"] == part]:
        a = next(f for f in extract_facts([(row["old_sentence"], None)]) if f.text == row["old"])
        b = next(f for f in extract_facts([(row["new_sentence"], None)]) if f.text == row["new"])
        if _one_sentence_rewritten(a, b):
            kept += 1
            right += row["same_claim"]
    every_right = sum(r["same_claim"] for r in rows if r["part"] == part)
    assert right / kept >= floor, (right, kept)
    assert right >= 0.7 * every_right  # most right links stay


def test_compare_links_up_to_a_total_with_its_range_across_publishers() -> None:
    # "up to 120,000" (Amnesty) and "between 80,000 and 120,000" (State Dept): one claim told two
    # ways in passages that share few words; both state a total, so they are one changed figure
    from tests.conftest import NK

    comparison = compare_files(NK / "amnesty-2022.txt", NK / "state-dept-2021.txt")
    changed = [(c.old.text, c.new.text) for c in comparison.facts if c.status == "changed" and c.old and c.new]
    assert ("Up to 120,000", "between 80,000 and 120,000") in changed


@pytest.mark.parametrize(
    ("old", "new", "status"),
    [
        ("On September 4, the president signed a decree on passports.", "In September 2023, the president signed a decree on passports.", "unchanged"),
        ("The state signed the covenant in 1998 and never ratified it.", "The state signed the covenant in October 1998 and never ratified it.", "unchanged"),
        ("In 2022, the president signed a decree on adoptions.", "On January 4, the president signed a decree on adoptions.", "changed"),
        ("On August 20, the monitor recorded the deaths in custody.", "On August 22, the monitor recorded the deaths in custody.", "changed"),
    ],
)  # fmt: skip
def test_a_date_said_more_or_less_precisely_is_no_change(old: str, new: str, status: str) -> None:
    from comparer.api import compare_reports, read_text

    text = "Testland\n\nPolitics\n\nThe monitors wrote their annual review of the country as every year.\n\n{}\n"
    comparison = compare_reports(read_text(text.format(old)), read_text(text.format(new)))
    assert [c.status for c in comparison.facts if c.kind == "date"] == [status]


def test_dates_of_sentences_about_other_things_are_no_date_changed() -> None:
    # a paragraph moved with one sentence replaced: its only date before and its only date after
    # are two dates (a law in force, a court's sentence), not one date changed
    from comparer.api import compare_reports, read_text

    common = (
        "Authorities detained or arrested persons on poorly defined allegations of revealing state secrets. "
        "Any piece of information could be retroactively designated a state secret, such as information on trials. "
        "Authorities also used vaguely worded charges of picking quarrels and provoking trouble against advocates. "
    )
    moved = (common + "Revisions to the counterespionage law went into effect July 10, with a public campaign.",
             common + "On October 22, the Suzhou Intermediate Court sentenced lawyer Yu Wensheng to three years in prison.")  # fmt: skip
    stay = "The monitors wrote their annual review of the country.\n\nElections were held without observers again."
    old, new = f"Testland\n\nLaws\n\n{moved[0]}\n\n{stay}\n", f"Testland\n\nLaws\n\n{stay}\n\n{moved[1]}\n"
    comparison = compare_reports(read_text(old), read_text(new))
    assert [p.status for p in comparison.passages].count("moved") == 1
    dates = sorted((c.status, (c.old or c.new).text) for c in comparison.facts if c.kind == "date")  # type: ignore[union-attr]
    assert dates == [("added", "October 22"), ("removed", "July 10")]


def test_a_figure_in_a_row_of_values_counts_nothing_named_after_the_row() -> None:
    # a fact box whose labels PDF extraction printed apart: the words after the row name none of
    # its figures ("82.3 per cent" is adult literacy, not a "Head of government"); units stay
    row = "Dr Mahmoud Ahmadinejad retentionist 74.2 million 71.2 years 33/35 per 1,000 82.3 per cent Head of government: Death penalty:"
    found = {f.text: (f.subject, f.head) for f in extract_facts([(row, None)])}
    assert found["82.3 per cent"] == ("", "") and found["71.2"] == ("years", "year")
    prose = "Police held 120 people, and 45 per cent of the detainees were women."
    assert [f.subject for f in extract_facts([(prose, None)]) if f.kind == "percent"] == ["detainees"]


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("There were 34 international and 14 domestic NGOs in the country.",
         [("34", "international NGOs", "ngo|international"), ("14", "domestic NGOs", "ngo|domestic")]),
        ("Police arrested 12 male and 5 female students.",
         [("12", "male students", "student|male"), ("5", "female students", "student|female")]),
        ("Police arrested five men and two women.", [("five", "men", "man"), ("two", "women", "woman")]),
        ("The agency registered 16 domestic NGOs.", [("16", "domestic NGOs", "ngo")]),
    ],
)  # fmt: skip
def test_counts_coordinated_by_adjectives_count_the_noun_after_them(sentence: str, found: list[tuple[str, str, str]]) -> None:
    assert [(f.text, f.subject, f.head) for f in extract_facts([(sentence, None)])] == found


def test_a_leftover_count_and_list_are_one_only_when_the_list_names_as_many() -> None:
    from comparer.api import _one_sentence_rewritten

    def fact(sentence: str, kind: str) -> Fact:
        return next(f for f in extract_facts([(sentence, None)]) if f.kind == kind)

    # sentences that share many words (corpus: Eritrea, State Dept 2002 -> 2009)
    four = fact("Only the four religious groups whose registrations had been approved by the government "
                "(Orthodox Christian, Muslim, Catholic, and Lutheran) were allowed to meet legally during the year.", "count")
    three = fact("Authorities also arrested members of unregistered Christian groups that were not Orthodox, "
                 "Eastern Catholic, or Evangelical Lutheran.", "list")  # fmt: skip
    assert not _one_sentence_rewritten(four, three)
    kwanliso = fact("The government operated four kwanliso in the north of the country.", "count")
    camps = fact("The camps No. 14, No. 15, No. 16 and No. 25 held political prisoners.", "list")
    assert _one_sentence_rewritten(kwanliso, camps)


def test_a_plural_acronym_before_a_list_names_what_it_lists() -> None:
    sentence = "Reports from the NGOs Justicia 11J, Prisoners Defenders, Cubalex, and Human Rights Watch said so."
    [found] = extract_facts([(sentence, None)])
    assert (found.text, found.subject, found.head) == ("Justicia 11J, Prisoners Defenders, Cubalex, and Human Rights Watch", "NGOs", "ngo")
