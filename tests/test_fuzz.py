"""Fuzzing: generated hostile reports never raise anything but a ComparerError, and nothing
invalid reaches HTML. A short Hypothesis run is in the default suite; the bounded campaign
(`COMPARER_FUZZ=10000 COMPARER_FUZZ_CLI=300 pytest tests/test_fuzz.py -k campaign -s`) is
opt-in because it takes minutes."""

from __future__ import annotations

import os
import random
import traceback
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from comparer import api, ingest
from comparer.cli import app
from comparer.errors import ComparerError
from comparer.model import Report
from comparer.render.html_report import render_html
from comparer.render.json_report import render_compare, render_sections
from comparer.render.markdown_report import render_markdown
from tests.fuzzing import generate
from tests.hostile_cases import INVALID

GOOD = api.read_text(
    "Report\n\nSection 1. Detention\n\nThe government detained 120 people in 2019 without charge.\n\n"
    "Section 2. Expression\n\nJournalists reported threats from the authorities.\n",
    name="good.txt",
)


def _read(name: str, data: bytes) -> Report | None:
    """The report, or None when comparer refuses the input with a ComparerError."""
    try:
        raw = ingest.read_bytes(data, name=name)
        return api.build_report(raw, report_id="fuzz", catalog=None)
    except ComparerError as err:
        assert "\n" not in str(err)
        assert str(err).startswith(f"{name}: "), str(err)
        return None


def _check_outputs(old: Report, new: Report) -> None:
    comparison = api.compare_reports(old, new)
    html = render_html(comparison)
    found = INVALID.search(html)
    assert found is None, f"invalid character {found.group()!r} in HTML"
    render_compare(comparison)
    render_markdown(comparison)
    render_sections(new)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_generated_reports_never_crash(rng: random.Random) -> None:
    name, data = generate(rng)
    report = _read(name, data)
    if report is not None:
        _check_outputs(GOOD, report)
        _check_outputs(report, report)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".md", ".html", ".pdf"]))
def test_arbitrary_bytes_never_crash(data: bytes, suffix: str) -> None:
    report = _read(f"b{suffix}", data)
    if report is not None:
        _check_outputs(report, GOOD)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text_never_crashes(text: str) -> None:
    report = _read("t.txt", text.encode("utf-8", "surrogatepass"))
    if report is not None:
        _check_outputs(report, GOOD)


def _signature(err: BaseException) -> str:
    frame = traceback.extract_tb(err.__traceback__)[-1]
    return f"{type(err).__name__} at {Path(frame.filename).name}:{frame.lineno}"


@pytest.mark.skipif(not os.environ.get("COMPARER_FUZZ"), reason="opt-in: set COMPARER_FUZZ=N (e.g. 10000)")
def test_fuzz_campaign_library(capsys: pytest.CaptureFixture[str]) -> None:
    count = int(os.environ["COMPARER_FUZZ"])
    rng = random.Random(int(os.environ.get("COMPARER_FUZZ_SEED", "14")))
    verdicts: Counter[str] = Counter()
    crashes: dict[str, str] = {}
    previous = GOOD
    for k in range(count):
        name, data = generate(rng)
        try:
            report = _read(name, data)
            verdicts["refused" if report is None else "read"] += 1
            if report is not None and k % 5 == 0:  # every fifth report is also compared
                _check_outputs(previous, report)
                verdicts["pairs compared"] += 1
                previous = report
        except Exception as err:  # the finding: anything but a ComparerError
            signature = _signature(err)
            verdicts["crash"] += 1
            crashes.setdefault(signature, repr(data[:120]))
    with capsys.disabled():
        print(f"\nlibrary fuzz: {count} reports: {dict(sorted(verdicts.items()))}")
        for signature, sample in crashes.items():
            print(f"  {signature}: {sample}")
    assert not crashes


@pytest.mark.skipif(
    not os.environ.get("COMPARER_FUZZ_CLI"), reason="opt-in: set COMPARER_FUZZ_CLI=N (e.g. 300)"
)
def test_fuzz_campaign_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    count = int(os.environ["COMPARER_FUZZ_CLI"])
    rng = random.Random(int(os.environ.get("COMPARER_FUZZ_SEED", "14")) + 1)
    good = tmp_path / "good.txt"
    good.write_text(GOOD.text, encoding="utf-8")
    runner = CliRunner()
    verdicts: Counter[str] = Counter()
    bad: list[str] = []
    for k in range(count):
        name, data = generate(rng)
        path = tmp_path / f"{k}{Path(name).suffix}"
        path.write_bytes(data)
        command = [
            ["sections", str(path), "-f", "json"],
            ["compare", str(good), str(path), "-f", "html", "-o", str(tmp_path / "out.html")],
            ["facts", str(path), str(good), "-f", "csv"],
        ][k % 3]
        result = runner.invoke(app, command)
        lines = result.stderr.strip().splitlines()
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            bad.append(f"{command[0]} {path.name}: {_signature(result.exception)}")
        elif result.exit_code == 2 and not (len(lines) == 1 and lines[0].startswith("Error: ")):
            bad.append(f"{command[0]} {path.name}: exit 2 with {result.stderr[:200]!r}")
        elif result.exit_code not in (0, 2):
            bad.append(f"{command[0]} {path.name}: exit {result.exit_code}")
        else:
            verdicts[f"{command[0]} exit {result.exit_code}"] += 1
    with capsys.disabled():
        print(f"\nCLI fuzz: {count} runs: {dict(sorted(verdicts.items()))}; bad {len(bad)}")
        for line in bad[:20]:
            print("  " + line)
    assert not bad
