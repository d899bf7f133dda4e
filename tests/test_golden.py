"""Golden files: `comparer sections --format json` on the bundled reports.

Regenerate with `pytest --update-golden` and review the diff like code.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from comparer.cli import app
from tests.conftest import SEEDS, check_golden

runner = CliRunner()


@pytest.mark.parametrize("seed", SEEDS)
def test_sections_json_golden(seed: str, update_golden: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)  # paths in the output are as given: relative, so the gold is portable
    result = runner.invoke(app, ["sections", f"reports/north-korea/{seed}.txt", "--format", "json"])
    assert result.exit_code == 0, result.output
    check_golden(f"sections/{seed}.json", result.stdout, update_golden)
