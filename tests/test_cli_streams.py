"""diff(1) habits: `-` is standard input, `-o -` standard output; a report never drives the terminal."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comparer.cli import app, terminal_safe
from tests.conftest import NK

runner = CliRunner()
OLD, NEW = NK / "hrw-2019.txt", NK / "hrw-2020.txt"
# What a hostile report may carry: retitle the terminal (OSC ... BEL), clear it, C1 CSI, bidi override.
HOSTILE = "Title\x1b]0;pwned\x07 here\x1b[2J and \x9b31m and \u202egnp.exe\n"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("fmt", ["html", "json", "md"])
def test_compare_reads_stdin_and_writes_stdout(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    by_file = runner.invoke(app, ["compare", str(OLD), str(NEW), "-f", fmt, "-o", "-"])
    assert by_file.exit_code == 0 and not Path("-").exists() and not Path("report.html").exists()
    piped = runner.invoke(app, ["compare", "-", str(NEW), "-f", fmt, "-o", "-"], input=OLD.read_bytes())
    assert piped.exit_code == 0, piped.stderr
    assert len(piped.stdout) > 500
    if fmt == "json":
        data = json.loads(piped.stdout)
        assert data["reports"]["old"]["path"] == "-" and data["reports"]["new"]["path"] == str(NEW)
        assert json.loads(by_file.stdout)["passages"] == data["passages"]


def test_stdin_can_be_only_one_report() -> None:
    result = runner.invoke(app, ["compare", "-", "-", "-f", "json"], input=OLD.read_bytes())
    assert result.exit_code == 2 and result.stderr.startswith("Error: -: ")
    result = runner.invoke(app, ["facts", "-", "-"], input=OLD.read_bytes())
    assert result.exit_code == 2 and result.stderr.startswith("Error: -: ")


@pytest.mark.parametrize(
    "args",
    [["sections", "-"], ["sections", "-", "-f", "json"], ["facts", "-", str(NEW)], ["facts", "-", str(NEW), "-f", "csv"],
     ["facts", "-", str(NEW), "-f", "json"], ["facts", "-", str(NEW), "-f", "html"], ["check", "-", str(NEW)]],
)  # fmt: skip
def test_every_command_reads_stdin_and_writes_stdout(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [*args, "-o", "-"], input=OLD.read_bytes())
    assert result.exit_code in (0, 1), result.stderr
    assert result.stdout.strip() and not Path("-").exists()


def test_track_summary_to_stdout_and_site_not(tmp_path: Path) -> None:
    root = NK.parent
    result = runner.invoke(app, ["track", str(root), "-o", str(tmp_path / "site"), "-j", "1", "--summary", "-"])
    assert result.exit_code == 0 and "## comparer track" in result.stdout
    result = runner.invoke(app, ["track", str(root), "-o", "-"])
    assert result.exit_code == 2 and result.stderr.startswith("Error: -: ")


def test_sections_text_never_carries_control_characters() -> None:
    text = f"{HOSTILE}\nThe government detained 12 people in 2020.\x1b[2J They were held for 3 months.\n"
    result = runner.invoke(app, ["sections", "-"], input=text.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert not CONTROL.search(result.stdout), repr(result.stdout)
    # ingest removes terminal escapes from report text (and says so); what is left is shown escaped
    assert "pwned" not in result.stdout and "terminal escapes" in result.stdout


def test_error_lines_never_carry_control_characters(tmp_path: Path) -> None:
    bad = tmp_path / "evil\x1b]0;pwned\x07.txt"
    result = runner.invoke(app, ["sections", str(bad)])
    assert result.exit_code == 2 and result.stderr.startswith("Error: ")
    assert not CONTROL.search(result.stderr) and result.stderr.count("\n") == 1, repr(result.stderr)


def test_markdown_and_facts_text_are_terminal_safe(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    base = "Detentions\n\nThe government detained 12 people in 2020 and held them for months.\n"
    old.write_text(base, encoding="utf-8")
    new.write_text(base.replace("12 people", "\x1b[2J14 people"), encoding="utf-8")
    for args in (["compare", str(old), str(new), "-f", "md"], ["facts", str(old), str(new)],
                 ["check", str(old), str(new), "--fail-on", "changes"]):  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1), result.stderr
        assert not CONTROL.search(result.stdout), (args, result.stdout)


def test_terminal_safe_keeps_text_and_layout() -> None:
    assert terminal_safe("a\tb\nc — ü ☃") == "a\tb\nc — ü ☃"
    assert terminal_safe("\x1b[2J\x9b\u202e") == "\\x1b[2J\\x9b\\u202e"


def test_json_outputs_write_control_characters_as_escapes() -> None:
    text = f"{HOSTILE}\nThe government detained 12 people in 2020.\x9b2J They were held for 3 months.\n"
    result = runner.invoke(app, ["sections", "-", "-f", "json"], input=text.encode("utf-8"))
    assert result.exit_code == 0 and not CONTROL.search(result.stdout.replace("\n", " "))
    from comparer.render.json_report import dumps

    value = {"text": "a\x1b]0;x\x07 \x9b2J \u202e b"}
    assert not CONTROL.search(dumps(value).replace("\n", " ")) and json.loads(dumps(value)) == value
