"""Packaging and code quality: the wheel ships the templates; lint and types are clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


def test_wheel_contains_templates_and_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("comparer-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("comparer/templates/base.html.j2", "comparer/templates/report.html.j2",
                     "comparer/templates/report.css", "comparer/templates/report.js",
                     "comparer/data/topics.toml", "comparer/py.typed"):  # fmt: skip
        assert required in names, required
    assert not any(n.startswith(("reports/", "tests/")) for n in names)


@pytest.mark.skipif(
    shutil.which("ruff") is None and not (Path(sys.executable).parent / "ruff").exists(),
    reason="ruff not installed",
)
def test_ruff_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    result = subprocess.run(
        [ruff, "check", "comparer", "tests", "bench", "docs"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_mypy_strict_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_outputs_of_the_readme_commands_are_git_ignored() -> None:
    outputs = ["site/index.html", "site.cache.sqlite", "site.cache.sqlite-wal", "site.cache.sqlite.broken",
               "report.html", ".site.comparer-tmp-123-abc/index.html", "summary.md"]  # fmt: skip
    result = subprocess.run(["git", "check-ignore", *outputs], cwd=ROOT, capture_output=True, text=True)
    assert sorted(result.stdout.split()) == sorted(outputs)


def test_bundled_corpus_subset_is_small_documented_and_catalogued() -> None:
    import warnings

    from comparer.discover import discover

    root = ROOT / "tests" / "data" / "corpus"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every file is catalogued
        files = discover([root])  # and every catalog entry has its file
    assert len(files) >= 8 and (root / "README.md").exists()
    assert sum(p.stat().st_size for p in files) < 600_000


def test_workflow_example_installs_from_the_repository_with_least_privilege() -> None:
    import re

    text = (ROOT / "docs" / "github-actions.yml").read_text(encoding="utf-8")
    steps = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    installs = [line for line in steps if "pip install" in line]
    assert installs and all(re.search(r'pip install ("?\$COMPARER_SOURCE"?|\./|git\+)', line) for line in installs)
    assert not re.search(r"pip install\s+comparer\b", "\n".join(steps))  # no name from the package index
    source = re.search(r'COMPARER_SOURCE: "(git\+https://[^"@]+@[^"]+)"', text)
    assert source, "the source is a git URL pinned to a ref"
    top = text.split("\njobs:", 1)[0]
    assert re.search(r"^permissions:\n  contents: read\n", top, re.M)
    assert "write" not in top.split("permissions:", 1)[1]
    # The commands it runs exist with those options.
    from typer.testing import CliRunner

    from comparer.cli import app

    for command in re.findall(r"run: (comparer [^>\n]+)", text):
        args = [*command.split()[1:2], "--help"]
        help_text = CliRunner().invoke(app, args).stdout
        for option in re.findall(r"--[a-z-]+", command):
            assert option in help_text, (command, option)


def test_tests_reach_the_shared_corpus_only_through_conftest() -> None:
    """A fresh clone has no ../shared: only conftest.corpus() may look there (with a bundled fallback)."""
    offenders = [
        p.relative_to(ROOT).as_posix()
        for p in sorted((ROOT / "tests").rglob("*.py"))
        if p.name not in ("conftest.py", "test_packaging.py") and ('"shared"' in (text := p.read_text(encoding="utf-8")) or "../shared" in text)
    ]
    assert offenders == []


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    command = next(line.strip() for k, line in enumerate(readme) if "pytest" in line and "Run the tests" in readme[k - 2])
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert command in ci and "pip install -q -e '.[test]'" in command and "../shared" not in command
