"""Quality gate: precision and recall per edit type on real reports with known edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.eval.edits import KINDS, NOISE, evaluate

FLOORS = json.loads((Path(__file__).parent / "eval" / "floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, float]]:
    return evaluate()


@pytest.mark.parametrize("kind", [k for k in KINDS if k not in NOISE])
def test_edit_type_floors(kind: str, results: dict[str, dict[str, float]]) -> None:
    row = results[kind]
    assert row["edits"] >= 2, f"{kind}: too few edits generated to measure"
    assert row["recall"] >= FLOORS["recall"][kind], row
    assert row["precision"] >= FLOORS["precision"][kind], row


@pytest.mark.parametrize("kind", sorted(NOISE))
def test_noise_gives_no_changes(kind: str, results: dict[str, dict[str, float]]) -> None:
    assert results[kind]["false_alarms"] <= FLOORS["max_false_alarms"][kind], results[kind]
