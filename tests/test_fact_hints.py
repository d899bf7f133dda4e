"""Rule hints only skip work: extraction finds the same facts with them as without them."""

from __future__ import annotations

import dataclasses
import re

import pytest

from comparer.facts import RULES, extraction
from comparer.facts.rules import FIGURE_HINT
from tests.conftest import BUNDLED_CORPUS, ROOT

# Sentences that look like figures to a careless hint but are not, and figures written oddly.
TRICKY = [
    "The detention of often-written notes.",
    "Someone had done it; attention turned to Tension Street.",
    "Twenty-one were held.",
    "FORTY-TWO PRISONERS were freed.",
    "They set a two-year plan, then a Five-Year plan.",
    "Turnout was 98 per cent.",
    "Turnout was ninety PERCENT.",
    "Children as young as nine worked.",
    "It was sixfold; the onerous tenfold fees.",
    "Among them, seventeen were journalists; of whom ELEVEN remained.",
    "Police held \u0663 people.",  # an Arabic-Indic digit
    "It cost 5 Euros; fines of 2,000 Belarusian rubles were paid in 2019.",
    "It paid US$8 million and 3 million RMB, or \u20ac2 million; usd 40 more.",
]


def _chunks() -> list[str]:
    """Sentence-sized pieces of the bundled corpus and the repository's reports (any pieces
    will do: hints must hold for every string), plus `TRICKY`."""
    pieces: list[str] = []
    for path in sorted([*BUNDLED_CORPUS.rglob("*.txt"), *(ROOT / "reports").rglob("*.txt")]):
        for para in path.read_text(encoding="utf-8", errors="replace").split("\n\n"):
            pieces += [p for p in re.split(r"(?<=[.!?])\s+", para) if p.strip()]
    return pieces + TRICKY


@pytest.fixture
def unhinted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules without their hints: every rule runs on every sentence."""
    monkeypatch.setattr(extraction, "RULES", tuple(dataclasses.replace(r, hints=()) for r in RULES))


def test_hints_hold_for_every_example() -> None:
    for rule in RULES:
        for sentence, _, value in rule.examples:
            if value is not None:
                assert all(h.search(sentence) for h in rule.hints), (rule.name, sentence)


def test_figures_in_words_and_digits_are_hinted_and_others_not() -> None:
    assert FIGURE_HINT.search("Twenty-one were held.") and FIGURE_HINT.search("a \u0663")
    assert not FIGURE_HINT.search("The detention of often-written notes by someone.")


@pytest.fixture(scope="module")
def hinted_spans() -> list[list[object]]:
    return [list(extraction.extract_from_sentence(c)) for c in _chunks()]


def test_hints_change_no_fact(hinted_spans: list[list[object]], unhinted: None) -> None:
    chunks = _chunks()
    assert len(chunks) > 2000
    assert sum(1 for c in chunks if not FIGURE_HINT.search(c)) > 500  # the hints do skip work
    plain = [list(extraction.extract_from_sentence(c)) for c in chunks]
    assert plain == hinted_spans
