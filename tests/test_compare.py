"""Comparing reports: the seeds' known differences, real corpus pairs, noise, moves, outputs."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from comparer.api import compare_files, compare_reports, read_text
from comparer.cli import app
from comparer.model import Comparison
from comparer.render import FORMATS
from tests.conftest import NK, ROOT, corpus

runner = CliRunner()
SCHEMA = json.loads((ROOT / "schema" / "compare-v1.schema.json").read_text(encoding="utf-8"))


def _passage_with(comparison: Comparison, needle: str):  # type: ignore[no-untyped-def]
    return [p for p in comparison.passages if p.new is not None and needle in p.new.text]


def _changed_facts(comparison: Comparison) -> list[tuple[str, object, object]]:
    return [
        (f.kind, f.old.value if f.old else None, f.new.value if f.new else None)
        for f in comparison.facts
        if f.status == "changed"
    ]


@pytest.mark.parametrize("new", ["hrw-2019", "hrw-2020"])
def test_abductees_17_to_12(new: str) -> None:
    comparison = compare_files(NK / "hrw-2014.txt", NK / f"{new}.txt")
    [passage] = _passage_with(comparison, "Japan continues to demand the return of 12")
    assert passage.status == "modified"
    assert ("-", "17") in passage.diff and ("+", "12") in passage.diff
    assert ("count", 17.0, 12.0) in _changed_facts(comparison)
    first = comparison.facts[0]
    assert first.status == "changed" and first.subject == "Japanese citizens"


def test_abductees_unchanged_2019_to_2020() -> None:
    comparison = compare_files(NK / "hrw-2019.txt", NK / "hrw-2020.txt")
    [passage] = _passage_with(comparison, "Japan continues to demand the return of 12")
    assert passage.status == "unchanged"
    assert not any(f.subject == "Japanese citizens" and f.status == "changed" for f in comparison.facts)


def test_renamed_heading_pairs() -> None:
    comparison = compare_files(NK / "hrw-2019.txt", NK / "hrw-2020.txt")
    pairs = {(s.old.heading, s.new.heading) for s in comparison.sections if s.old and s.new}
    assert ("Key Vulnerable Groups", "At-Risk Groups") in pairs
    assert ("Key International Actors", "Key International Actors") in pairs


def test_identity_is_unchanged_everywhere() -> None:
    comparison = compare_files(NK / "state-dept-2021.txt", NK / "state-dept-2021.txt")
    assert {p.status for p in comparison.passages} == {"unchanged"}
    assert all(s.status == "matched" and s.score == 100.0 for s in comparison.sections)
    assert not [f for f in comparison.facts if f.status != "unchanged"]


# --- noise: formatting that must never show as change ----------------------------------------


def _compare_texts(old: str, new: str, old_name: str = "old.txt", new_name: str = "new.txt") -> Comparison:
    return compare_reports(read_text(old, name=old_name), read_text(new, name=new_name))


def _no_changes(comparison: Comparison) -> bool:
    return all(p.status == "unchanged" for p in comparison.passages) and all(
        s.status == "matched" for s in comparison.sections
    )


def _seed(name: str) -> str:
    return (NK / f"{name}.txt").read_text(encoding="utf-8")


def test_noise_hard_wrapping() -> None:
    # Paragraphs set apart by blank lines, each wrapped at 72 columns, as text dumps do. (A wrap
    # with no blank lines at all leaves paragraph ends ambiguous; see test_layout.)
    text = _seed("hrw-2020")
    wrapped = "\n\n".join(textwrap.fill(line, 72) for line in text.split("\n") if line.strip())
    assert _no_changes(_compare_texts(text, wrapped))


def test_noise_quotes_dashes_whitespace_crlf() -> None:
    text = _seed("state-dept-2021")
    plain = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"').replace("\u2014", " - ")
    plain = re.sub(r"  +", " ", plain.replace(". ", ".  ")).replace("\n", "\r\n")
    assert _no_changes(_compare_texts(text, plain))


def test_noise_flattened_page() -> None:
    text = _seed("hrw-2020")
    flat = "".join(line.strip() for line in text.split("\n"))  # one line, headings glued on
    assert "Forced LaborThe North Korean" in flat
    assert _no_changes(_compare_texts(text, flat))


def test_noise_boilerplate() -> None:
    text = _seed("hrw-2020")
    wrapped = (
        "Skip to main content\n\n"
        + text
        + "\n\nYour tax deductible gift can help stop human rights violations.\n"
    )
    assert _no_changes(_compare_texts(text, wrapped))


def test_noise_html_vs_text() -> None:
    text = _seed("hrw-2020")
    lines = [ln for ln in text.split("\n") if ln.strip()]
    headings = {"Flouting the International Human Rights System", "Refugees and Asylum Seekers", "Forced Labor",
                "At-Risk Groups", "Key International Actors"}  # fmt: skip
    body = "".join(f"<h2>{ln}</h2>" if ln in headings else f"<p>{ln}</p>" for ln in lines)
    html = f"<!DOCTYPE html><html><body><nav><a href='/'>Home</a></nav><main>{body}</main></body></html>"
    assert _no_changes(_compare_texts(text, html, new_name="new.html"))


# --- edits ------------------------------------------------------------------------------------

BASE = """Testland

Opening paragraph that summarises the year in Testland and stays the same throughout.

Prisons

Conditions in prisons remained harsh and life-threatening, with 17 deaths reported in custody.

The government denied access to independent monitors in all four camps during the year.

Media

Journalists faced arrest; at least 12 journalists were detained in March by the police.

Online critics were sentenced to long prison terms for posts on social media platforms.
"""


def test_moved_and_moved_edited_paragraphs() -> None:
    new = BASE.replace(
        "The government denied access to independent monitors in all four camps during the year.\n\n", ""
    ).replace(
        "Online critics",
        "The government denied access to independent monitors in all five camps during the year.\n\nOnline critics",
    )
    comparison = _compare_texts(BASE, new)
    [moved] = [p for p in comparison.passages if p.status == "moved"]
    assert moved.old_section.heading == "Prisons" and moved.new_section.heading == "Media"  # type: ignore[union-attr]
    assert ("-", "four") in moved.diff and ("+", "five") in moved.diff
    assert ("count", 4.0, 5.0) in _changed_facts(comparison)


def test_deletion_insertion_and_number_change() -> None:
    new = BASE.replace("17 deaths", "21 deaths").replace(
        "Online critics were sentenced to long prison terms for posts on social media platforms.\n",
        "A new law restricted foreign broadcasts and imposed heavy fines on listeners.\n",
    )
    comparison = _compare_texts(BASE, new)
    statuses = sorted(p.status for p in comparison.passages)
    assert statuses.count("added") == 1 and statuses.count("removed") == 1
    assert ("count", 17.0, 21.0) in _changed_facts(comparison)


def test_dropped_section_is_removed_not_noise() -> None:
    new = BASE.split("Media")[0]
    comparison = _compare_texts(BASE, new)
    removed = [s for s in comparison.sections if s.status == "removed"]
    assert [s.old.heading for s in removed] == ["Media"]  # type: ignore[union-attr]


# --- real pairs of the shared corpus, read side by side ---------------------------------------


def test_corpus_state_dept_north_korea_2023_2024() -> None:
    comparison = compare_files(
        corpus("north-korea/state-dept-2023.txt"), corpus("north-korea/state-dept-2024.txt")
    )
    pairs = {(s.old.heading, s.new.heading) for s in comparison.sections if s.old and s.new}
    # The 2024 outline moved sections; topic alignment pairs them anyway.
    assert ("b. Disappearance", "c. Disappearance and Abduction") in pairs
    assert ("Section 7. Worker Rights", "b. Worker Rights") in pairs
    assert ("c. Freedom of Religion", "d. Violations in Religious Freedom") in pairs
    # Sections the 2024 edition dropped are removed.
    removed = {s.old.heading for s in comparison.sections if s.status == "removed" and s.old}
    for heading in ("e. Denial of Fair Public Trial", "Section 4. Corruption in Government", "Women",
                    "g. Property Seizure and Restitution"):  # fmt: skip
        assert heading in removed
    # Six kwanliso became five, camp 15 left the list; the sentence moved to 1.a.
    facts = _changed_facts(comparison)
    assert ("count", 6.0, 5.0) in facts
    assert ("list", ("14", "15", "16", "18", "25"), ("14", "16", "18", "25")) in facts
    [camps] = [
        p for p in comparison.passages if p.new is not None and "Camps 14, 16, 18, and 25" in p.new.text
    ]
    assert camps.status == "moved" and camps.new_section.heading == "a. Extrajudicial Killings"  # type: ignore[union-attr]


def test_corpus_eritrea_state_dept_2001_2002() -> None:
    comparison = compare_files(corpus("eritrea/state-dept-2001.txt"), corpus("eritrea/state-dept-2002.txt"))
    facts = _changed_facts(comparison)
    assert ("count", 731.0, 498.0) in facts  # Sudanese refugees
    assert ("count", 1253.0, 2560.0) in facts  # Somali refugees
    pairs = {(s.old.heading, s.new.heading) for s in comparison.sections if s.old and s.new}
    assert (
        "c. Prohibition of Forced or Compulsory Labor",
        "c. Prohibition of Forced or Bonded Labor",
    ) in pairs


def test_corpus_hrw_html_2001_2002() -> None:
    comparison = compare_files(corpus("cuba/hrw-2001.html"), corpus("cuba/hrw-2002.html"))
    added = {s.new.heading for s in comparison.sections if s.status == "added" and s.new}
    assert {"DEFENDING HUMAN RIGHTS", "THE ROLE OF THE INTERNATIONAL COMMUNITY"} <= added
    pairs = {(s.old.heading, s.new.heading) for s in comparison.sections if s.old and s.new}
    assert ("Human Rights Developments", "HUMAN RIGHTS DEVELOPMENTS") in pairs


# --- outputs ----------------------------------------------------------------------------------


def test_json_validates_against_schema_and_is_deterministic() -> None:
    comparison = compare_files(NK / "hrw-2014.txt", NK / "hrw-2020.txt")
    text = FORMATS["json"](comparison)
    data = json.loads(text)
    jsonschema.validate(data, SCHEMA)
    assert data["summary"]["facts"]["changed"] >= 1
    again = FORMATS["json"](compare_files(NK / "hrw-2014.txt", NK / "hrw-2020.txt"))
    assert again == text


def test_corpus_json_validates() -> None:
    comparison = compare_files(
        corpus("north-korea/state-dept-2023.txt"), corpus("north-korea/state-dept-2024.txt")
    )
    jsonschema.validate(json.loads(FORMATS["json"](comparison)), SCHEMA)


def test_markdown_summary() -> None:
    md = FORMATS["md"](compare_files(NK / "hrw-2014.txt", NK / "hrw-2019.txt"))
    assert md.startswith("<!-- generator: comparer ") and "\n## comparer: what changed\n" in md
    assert "**Japanese citizens** (count): 17 → 12" in md


def test_html_is_self_contained_and_escaped() -> None:
    hostile = BASE.replace(
        "Journalists faced arrest",
        "<script>alert(1)</script><img src=x onerror=alert(2)> Journalists faced arrest",
    )
    page = FORMATS["html"](_compare_texts(BASE, hostile))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<img" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert re.search(r'<ins class="chg">', page)
    assert page.count("<script>") == 1


def test_cli_exit_codes(tmp_path: Path) -> None:
    same = runner.invoke(
        app,
        ["compare", str(NK / "hrw-2020.txt"), str(NK / "hrw-2020.txt"), "-f", "md", "--fail-on", "changes"],
    )
    assert same.exit_code == 0
    diff = runner.invoke(
        app,
        ["compare", str(NK / "hrw-2019.txt"), str(NK / "hrw-2020.txt"), "-f", "md", "--fail-on", "changes"],
    )
    assert diff.exit_code == 1
    facts = runner.invoke(
        app,
        ["compare", str(NK / "hrw-2019.txt"), str(NK / "hrw-2020.txt"), "-f", "json", "--fail-on", "facts"],
    )
    assert facts.exit_code in (0, 1)
    out = tmp_path / "r.html"
    html = runner.invoke(app, ["compare", str(NK / "hrw-2014.txt"), str(NK / "hrw-2020.txt"), "-o", str(out)])
    assert html.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = runner.invoke(app, ["compare", str(NK / "hrw-2014.txt"), str(tmp_path / "missing.txt")])
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: ")
