"""The command line: help, exit codes, one-line errors, outputs written atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comparer.cli import app
from tests.conftest import NK

runner = CliRunner()


def test_help_for_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("sections", "compare"):
        assert command in result.stdout
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0
        assert "Example:" in sub.stdout


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("comparer ")


def test_sections_text() -> None:
    result = runner.invoke(app, ["sections", str(NK / "hrw-2014.txt")])
    assert result.exit_code == 0
    assert "World Report 2014: North Korea" in result.stdout
    assert "table of contents" in result.stdout
    assert "publisher: Human Rights Watch  [catalog]" in result.stdout


def test_sections_json_to_file(tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    result = runner.invoke(app, ["sections", str(NK / "amnesty-2022.txt"), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "comparer/sections@1"
    assert data["report"]["publisher"] == "Amnesty International"
    assert {"heading", "path", "level", "topic", "text", "start", "end"} <= set(data["sections"][1])
    assert all({"text", "reason"} <= set(r) for r in data["removed"])
    assert list(tmp_path.iterdir()) == [out]  # no temp file left behind


def _bad_inputs(tmp_path: Path) -> list[tuple[Path, str]]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "data.txt"
    binary.write_bytes(bytes(range(256)) * 50)
    image = tmp_path / "photo.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj")
    bad_utf8 = tmp_path / "bad.txt"
    bad_utf8.write_bytes("R\u00e9sum\u00e9 of the year. ".encode() * 5 + b"\xc3\x28 broken")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    return [
        (empty, "is empty"),
        (binary, "is a binary file"),
        (image, "is a PNG image"),
        (truncated, "PDF is truncated"),
        (bad_utf8, "invalid UTF-8 at byte"),
        (tmp_path / "missing.txt", "no such file"),
        (huge, "too large"),
    ]


@pytest.mark.parametrize("index", range(7))
def test_bad_input_one_line_exit_2_nothing_written(tmp_path: Path, index: int) -> None:
    path, message = _bad_inputs(tmp_path)[index]
    out = tmp_path / "out" / "result.json"
    out.parent.mkdir()
    result = runner.invoke(app, ["sections", str(path), "-f", "json", "-o", str(out)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: {path}: {message}")
    assert "Traceback" not in result.output
    assert not any(out.parent.iterdir())


def test_bad_format_is_a_usage_error() -> None:
    result = runner.invoke(app, ["sections", str(NK / "hrw-2014.txt"), "--format", "yaml"])
    assert result.exit_code == 2


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    src = tmp_path / "r.txt"
    data = (NK / "hrw-2019.txt").read_bytes()
    src.write_bytes(data)
    before = src.stat().st_mtime_ns
    runner.invoke(app, ["sections", str(src), "-f", "json", "-o", str(tmp_path / "o.json")])
    assert src.read_bytes() == data and src.stat().st_mtime_ns == before
