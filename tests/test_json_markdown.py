"""Outputs other tools read: every JSON output valid against its schema with consistent ids; safe Markdown."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from comparer.cli import app
from comparer.render.markdown_report import code_span
from tests.conftest import NK, ROOT, corpus

runner = CliRunner()
SCHEMAS = {
    name: json.loads((ROOT / "schema" / f"{name}-v1.schema.json").read_text(encoding="utf-8"))
    for name in ("sections", "compare", "facts")
}
PAIRS = [
    (NK / "hrw-2014.txt", NK / "hrw-2019.txt"),
    (NK / "hrw-2019.txt", NK / "hrw-2020.txt"),
    (NK / "amnesty-2022.txt", NK / "state-dept-2021.txt"),
]


def _json(args: list[str]) -> Any:
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_schemas_are_valid_json_schemas() -> None:
    for name, schema in SCHEMAS.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$id"] == f"comparer/{name}@1"


@pytest.mark.parametrize("path", sorted(NK.glob("*.txt")), ids=lambda p: p.name)
def test_sections_json_is_valid_with_unique_ids(path: Path) -> None:
    data = _json(["sections", str(path), "-f", "json"])
    jsonschema.validate(data, SCHEMAS["sections"])
    ids = [s["id"] for s in data["sections"]]
    assert len(ids) == len(set(ids))


def _check_compare_ids(data: dict[str, Any]) -> None:
    """Every id a compare@1 document references is defined in it."""
    old_ids = {s["old"]["id"] for s in data["sections"] if s["old"]}
    new_ids = {s["new"]["id"] for s in data["sections"] if s["new"]}
    passage_ids = [p["id"] for p in data["passages"]]
    assert len(passage_ids) == len(set(passage_ids))
    for p in data["passages"]:
        assert p["old"] is None or p["old"]["section"] in old_ids, p
        assert p["new"] is None or p["new"]["section"] in new_ids, p
    passages = {p["id"]: p for p in data["passages"]}
    for f in data["facts"]:
        assert f["passage"] in (f["old_passage"], f["new_passage"]), f
        for side in ("old", "new"):
            if f[side] is None:
                assert f[f"{side}_passage"] is None and f[f"{side}_section"] is None, f
                continue
            passage = passages[f[f"{side}_passage"]]
            assert f[f"{side}_section"] == passage[side]["section"], f
            # the fact is quoted from its passage
            assert f[side]["text"] in " ".join(passage[side]["text"].split()) or f[side]["text"] in passage[side]["text"]


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{p[0].stem}-{p[1].stem}")
def test_compare_json_is_valid_and_its_ids_resolve(pair: tuple[Path, Path]) -> None:
    data = _json(["compare", str(pair[0]), str(pair[1]), "-f", "json"])
    jsonschema.validate(data, SCHEMAS["compare"])
    _check_compare_ids(data)
    assert data["facts"], "a pair with fact changes is needed for this check"


def test_compare_json_of_a_corpus_pair_is_valid_and_its_ids_resolve() -> None:
    old, new = corpus("eritrea/state-dept-2001.txt"), corpus("eritrea/state-dept-2002.txt")
    data = _json(["compare", str(old), str(new), "-f", "json"])
    jsonschema.validate(data, SCHEMAS["compare"])
    _check_compare_ids(data)


def test_facts_json_is_valid_and_its_report_ids_resolve() -> None:
    data = _json(["facts", str(NK), "-f", "json"])
    jsonschema.validate(data, SCHEMAS["facts"])
    ids = {r["id"] for r in data["reports"]}
    assert len(ids) == len(data["reports"]) and data["claims"]
    assert all(v["report"] in ids for c in data["claims"] for v in c["values"])


@pytest.mark.parametrize(
    "name", ["001_aa93*x.txt", "a`b.txt", "``start.txt", "end`.txt", "pipe|name.txt", "back\\slash.txt"]
)
def test_markdown_code_spans_show_file_names_literally(name: str, tmp_path: Path) -> None:
    old, new = tmp_path / name, tmp_path / f"new-{name}"
    shutil.copy(NK / "hrw-2019.txt", old)
    shutil.copy(NK / "hrw-2020.txt", new)
    md = runner.invoke(app, ["compare", str(old), str(new), "-f", "md"]).stdout
    row = next(line for line in md.splitlines() if line.startswith("| old |"))
    span = re.search(r"(`+)( ?)(.*?)\2\1(?!`)", row.split("|", 2)[2].strip())
    assert span is not None, row
    fence, _, content = span.groups()
    assert content.replace("\\|", "|") == str(old)  # GFM's table parser consumes the \| only
    assert "`" * len(fence) not in content and "\\_" not in content and "\\*" not in content


def test_code_span_fences_longer_than_any_backtick_run() -> None:
    assert code_span("plain.txt") == "`plain.txt`"
    assert code_span("a`b") == "``a`b``"
    assert code_span("``x") == "``` ``x ```"
    assert code_span("a|b", in_table=True) == "`a\\|b`"
    assert code_span("001_aa93.txt") == "`001_aa93.txt`"
