"""Reading real reports: headings with levels, no boilerplate in sections, nothing lost."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from comparer.api import read_report, read_text
from tests.conftest import NK, SEEDS, corpus
from tests.pdfmaker import make_pdf

EXPECTED_HEADINGS = {
    "state-dept-2021": [
        (1, "North Korea"),
        (2, "Executive Summary"),
        (2, "Section 1. Respect for the Integrity of the Person"),
        (3, "e. Denial of Fair Public Trial"),
        (4, "Trial Procedures"),
        (4, "Political Prisoners and Detainees"),
        (4, "Politically Motivated Reprisal against Individuals Located Outside the Country"),
    ],
    "hrw-2014": [
        (1, "World Report 2014: North Korea"),
        (2, "Torture and Inhumane Treatment"),
        (2, "Executions"),
        (2, "Political Prisoner Camps"),
        (2, "Freedom of Information and Movement"),
        (2, "Refugees and Asylum Seekers"),
        (2, "Labor Rights"),
        (2, "Key International Actors"),
    ],
    "hrw-2019": [
        (1, ""),
        (2, "Key Vulnerable Groups"),
        (2, "Border Tightening"),
        (2, "Key International Actors"),
    ],
    "hrw-2020": [
        (1, ""),
        (2, "Flouting the International Human Rights System"),
        (2, "Refugees and Asylum Seekers"),
        (2, "Forced Labor"),
        (2, "At-Risk Groups"),
        (2, "Key International Actors"),
    ],
    "amnesty-2022": [
        (1, "North Korea"),
        (2, "Freedom of movement"),
        (2, "Right to health"),
        (2, "Rights to food, water and sanitation"),
        (2, "Repression of dissent"),
        (2, "Arbitrary arrests and detentions"),
        (2, "Economic, social and cultural rights"),
        (3, "Workers\u2019 rights"),
        (3, "Right to free choice of employment"),
        (3, "Child/forced labour"),
        (3, "International engagement"),
    ],
}

# Chrome seen in the seeds: none of it may be inside a section, all of it must be in `removed`.
BOILERPLATE = {
    "state-dept-2021": ["Official websites use .gov", "Edit Your Custom Report", "01 / Select A Year",
                        "The Lessons of 1989"],
    "hrw-2014": ["Skip to main content", "Share this via", "Donate Now", "Kenneth Roth", "Browse countries",
                 "350 Fifth Avenue", "Privacy Policy", "Available In", "\u00a9 2011 Reuters"],
    "hrw-2019": ["Skip to main content", "tax deductible gift"],
    "hrw-2020": [],
    "amnesty-2022": ["Newsroom", "May 23, 2022", "Press Release", "Connection Denied"],
}  # fmt: skip


def _alnum(text: str) -> str:
    return re.sub(r"\W", "", unicodedata.normalize("NFC", text))


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_headings_and_levels(seed: str) -> None:
    report = read_report(NK / f"{seed}.txt")
    assert [(s.level, s.heading) for s in report.sections] == EXPECTED_HEADINGS[seed]


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_boilerplate_is_removed_not_kept(seed: str) -> None:
    report = read_report(NK / f"{seed}.txt")
    body = "\n".join(s.heading + "\n" + s.text for s in report.sections)
    removed = "\n".join(r.text for r in report.removed)
    for phrase in BOILERPLATE[seed]:
        assert phrase not in body, phrase
        assert phrase in removed, phrase


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_nothing_lost(seed: str) -> None:
    path = NK / f"{seed}.txt"
    report = read_report(path)
    # Every letter and digit of the file is in the document, in order.
    assert _alnum(report.text) == _alnum(path.read_text(encoding="utf-8"))
    # body words = section words + removed words
    words = Counter(re.findall(r"\w+", report.text))
    parts = Counter[str]()
    for s in report.sections:
        parts.update(re.findall(r"\w+", s.heading))
        for p in s.paragraphs:
            parts.update(re.findall(r"\w+", p.text))
    for r in report.removed:
        parts.update(re.findall(r"\w+", r.text))
    assert parts == words


@pytest.mark.parametrize("seed", SEEDS)
def test_offsets_point_into_the_document(seed: str) -> None:
    report = read_report(NK / f"{seed}.txt")
    for s in report.sections:
        for p in s.paragraphs:
            assert report.text[p.start : p.end] == p.text
            for sent in p.sentences:
                assert report.text[sent.start : sent.end] == sent.text
        if s.heading:
            assert report.text[s.start : s.start + len(s.heading)] == s.heading
    for r in report.removed:
        assert report.text[r.start : r.end] == r.text


def test_footnote_markers_stay_verbatim_and_sentences_skip_them() -> None:
    report = read_report(NK / "amnesty-2022.txt")
    para = next(p for p in report.paragraphs() if "unable to meet people\u2019s medical needs" in p.text)
    assert "medical needs.2 Despite" in para.text
    assert para.text.endswith("chronic pain.3")
    assert para.footnotes == ("2", "3")
    assert [s.text[-7:] for s in para.sentences] == [" needs.", "c pain."]
    assert "footnote marker" not in [r.reason for r in report.removed]
    assert "No. 14" not in [r.text for r in report.removed]


def test_sentences_survive_abbreviations() -> None:
    report = read_text(
        "A heading\n\nCamps No. 14 and No. 15 held U.S. citizens on Jan. 5, 2020, officials said. "
        "A second sentence follows here.\n"
    )
    sentences = [s.text for s in report.paragraphs()[0].sentences]
    assert sentences == [
        "Camps No. 14 and No. 15 held U.S. citizens on Jan. 5, 2020, officials said.",
        "A second sentence follows here.",
    ]


def test_metadata_detected_without_catalog(tmp_path: Path) -> None:
    for seed, publisher, edition, covers in [
        ("hrw-2014", "Human Rights Watch", 2014, 2013),
        ("amnesty-2022", "Amnesty International", 2022, 2021),
        ("state-dept-2021", "US Department of State", None, 2021),
    ]:
        copy = tmp_path / f"{seed}.txt"
        copy.write_bytes((NK / f"{seed}.txt").read_bytes())
        meta = read_report(copy).metadata
        assert (meta.publisher, meta.edition, meta.covers) == (publisher, edition, covers), seed
        sources = dict(meta.sources)
        assert sources["publisher"].startswith("text:")
        assert "catalog" not in sources.values()


def test_pdf_made_from_a_seed(tmp_path: Path) -> None:
    source = read_report(NK / "hrw-2020.txt")
    sections = [(s.heading, [p.text for p in s.paragraphs]) for s in source.sections]
    pdf = make_pdf("North Korea", sections, tmp_path / "nk.pdf", running_header="World Report 2020 | HRW")
    report = read_report(pdf)
    assert report.format == "pdf"
    assert [h for _, h in EXPECTED_HEADINGS["hrw-2020"][1:]] == [s.heading for s in report.sections[1:]]
    reasons = Counter(r.reason for r in report.removed)
    assert reasons["page number"] >= 2 and reasons["running header or footer"] >= 2
    body = " ".join(s.text for s in report.sections)
    assert "World Report 2020 | HRW" not in body
    # paragraphs are re-joined: as many as the source had, first and last words intact
    assert len(report.paragraphs()) == len(source.paragraphs())
    assert report.paragraphs()[-1].text.endswith("scheduled for December 10.")


# --- real reports of the shared corpus, checked by hand -------------------------------------


def test_corpus_state_dept_2023_hard_wrapped_pdf_dump() -> None:
    report = read_report(corpus("north-korea/state-dept-2023.txt"))
    headings = [(s.level, s.heading) for s in report.sections]
    assert (
        3,
        "a. Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated Killings",
    ) in headings
    assert (
        3,
        "c. Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and Other Related Abuses",
    ) in headings
    assert (
        2,
        "Section 5. Governmental Posture Towards International and Nongovernmental Monitoring and "
        "Investigation of Alleged Abuses of Human Rights",
    ) in headings
    assert (3, "Women") in headings and (3, "Children") in headings
    assert (4, "Trial Procedures") in headings
    assert sum(1 for _, h in headings if h.startswith("Section ")) == 7
    para = next(p for p in report.paragraphs() if p.text.startswith("There were numerous reports"))
    assert "during the year. There was no indication" in para.text  # wrapped lines re-joined


def test_corpus_state_dept_2024_restructured_outline() -> None:
    report = read_report(corpus("north-korea/state-dept-2024.txt"))
    headings = [(s.level, s.heading) for s in report.sections]
    assert (2, "Section 2. Liberty") in headings
    assert (3, "c. Disappearance and Abduction") in headings
    assert (3, "b. Worker Rights") in headings


def test_corpus_html_page() -> None:
    report = read_report(corpus("cuba/hrw-2002.html"))
    assert [(s.level, s.heading) for s in report.sections][:4] == [
        (1, "Cuba"),
        (2, "HUMAN RIGHTS DEVELOPMENTS"),
        (2, "DEFENDING HUMAN RIGHTS"),
        (2, "THE ROLE OF THE INTERNATIONAL COMMUNITY"),
    ]
    assert (3, "United Nations") in [(s.level, s.heading) for s in report.sections]
    removed = {r.text: r.reason for r in report.removed}
    assert removed["Human Rights Developments"] == "navigation link"  # the page's own contents list
    assert report.metadata.publisher == "Human Rights Watch"


def test_corpus_amnesty_pypdf_dump() -> None:
    report = read_report(corpus("north-korea/amnesty-2013.txt"))
    headings = [s.heading for s in report.sections]
    assert headings[:4] == ["KOREA", "Background", "Food crisis", "Arbitrary arrests and detentions"]
    first = report.sections[0].paragraphs
    assert any(p.text.startswith("Head of state: Kim Jong-un; Head of government:") for p in first)


def test_corpus_markdown_state_dept() -> None:
    report = read_report(corpus("eritrea/state-dept-2001.txt"))
    headings = [(s.level, s.heading) for s in report.sections]
    assert headings[0] == (1, "Eritrea")
    assert (3, "a. Arbitrary or Unlawful Deprivation of Life") in headings
    assert (3, "Women") in headings
    assert report.metadata.edition == 2001


def test_every_corpus_file_reads() -> None:
    root = corpus("catalog.toml").parent
    for path in sorted(root.glob("*/*")):
        if path.suffix in (".txt", ".html"):
            report = read_report(path)
            assert report.sections and report.n_words > 300, path
