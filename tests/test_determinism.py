"""Same input, same bytes: every command and format, whatever the hash seed, argument order,
worker count or cache state.

Each run is a separate Python process with its own PYTHONHASHSEED, so set and dict-of-string
iteration orders differ between the runs compared. `facts` and `check` get their reports in a
different order in each run. The whole shared corpus is covered by a slow test (--run-slow).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CORPUS, NK, REPORTS, ROOT, corpus, tree_bytes

# Runs the CLI in-process for each command line and writes each one's stdout, exit code and stderr.
DRIVER = """
import json, sys
from pathlib import Path
from typer.testing import CliRunner
from comparer.cli import app
out = Path(sys.argv[1])
runner = CliRunner()
for k, args in enumerate(json.loads(sys.argv[2])):
    result = runner.invoke(app, args)
    (out / f"{k}.out").write_bytes(result.stdout_bytes)
    (out / f"{k}.code").write_text(f"{result.exit_code}\\n" + result.stderr)
"""


def _commands(reverse: bool) -> list[list[str]]:
    """Every command and output format; `reverse` names the reports of facts/check the other way
    round and puts compare's options first."""
    old, new = str(NK / "hrw-2019.txt"), str(NK / "hrw-2020.txt")
    reports = sorted(NK.glob("*.txt"))
    many = [str(p) for p in (reversed(reports) if reverse else reports)]
    def compare(*options: str) -> list[str]:  # options after the reports, or before them
        return ["compare", *options, old, new] if reverse else ["compare", old, new, *options]

    return [
        ["sections", old], ["sections", old, "-f", "json"],
        compare("-f", "html", "-o", "-"), compare("-f", "json"), compare("-f", "md"),
        compare("-f", "text", "--color", "always"), compare("--stat"),
        *(["facts", *many, "-f", fmt] for fmt in ("text", "json", "csv", "html")),
        ["check", *many], ["check", *many, "--fail-on", "changes"],
    ]  # fmt: skip


def _claims_commands(reverse: bool) -> list[list[str]]:
    """facts and check over three corpus reports (more figures to link than the bundled ones)."""
    eritrea = corpus("eritrea/state-dept-2001.txt").parent
    reports = [str(eritrea / f"state-dept-{year}.txt") for year in (2001, 2002, 2023)]
    many = list(reversed(reports)) if reverse else reports
    return [["facts", *many, "-f", "json"], ["facts", *many, "-f", "csv"], ["check", *many, "--fail-on", "changes"]]


def _run(tmp: Path, seed: str, commands: list[list[str]]) -> list[bytes]:
    tmp.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-c", DRIVER, str(tmp), json.dumps(commands)], check=True, env=env, cwd=ROOT)
    return [(tmp / f"{k}.out").read_bytes() + (tmp / f"{k}.code").read_bytes() for k in range(len(commands))]



def _track(root: Path, site: Path, cache: Path, seed: str, jobs: int) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    args = ["track", str(root), "-o", str(site), "--cache", str(cache), "--jobs", str(jobs), "--summary", "-"]
    done = subprocess.run([sys.executable, "-m", "comparer", *args], env=env, capture_output=True, check=True)
    return {**tree_bytes(site), "(summary)": done.stdout}


def _same_twice(tmp_path: Path, commands: Callable[[bool], list[list[str]]]) -> None:
    first = _run(tmp_path / "a", "1", commands(False))
    second = _run(tmp_path / "b", "4242", commands(True))
    names = [" ".join(args[:1] + args[-2:]) for args in commands(False)]
    assert all(len(out) > 40 for out in first)
    print(f"bytes compared (each of two runs): {sum(len(out) for out in first):,}")
    differ = [name for name, a, b in zip(names, first, second, strict=True) if a != b]
    assert not differ, f"outputs differ between runs: {differ}"


def test_every_command_and_format_is_byte_identical_across_hash_seeds_and_argument_order(tmp_path: Path) -> None:
    _same_twice(tmp_path, _commands)


def test_claims_of_corpus_reports_are_byte_identical_across_hash_seeds_and_argument_order(tmp_path: Path) -> None:
    _same_twice(tmp_path, _claims_commands)


# Pages whose content comes from claim linking (claims.py): a facts page per country, and the
# index and summary, which count each country's conflicts and changed claims.
CLAIM_PAGES = ("facts.html", "index.html", "(summary)")


def _differ(*trees: dict[str, bytes]) -> list[str]:
    assert all(sorted(tree) == sorted(trees[0]) for tree in trees), "different files"
    return [name for name in trees[0] if any(tree[name] != trees[0][name] for tree in trees)]


def _track_three_ways(root: Path, tmp_path: Path, seeds: tuple[str, str, str]) -> tuple[dict[str, bytes], list[str]]:
    """Serial, parallel and from the cache (each under the hash seed given): the site and what differs."""
    serial = _track(root, tmp_path / "serial", tmp_path / "serial.sqlite", seeds[0], jobs=1)
    parallel = _track(root, tmp_path / "parallel", tmp_path / "parallel.sqlite", seeds[1], jobs=2)
    cached = _track(root, tmp_path / "parallel", tmp_path / "parallel.sqlite", seeds[2], jobs=2)
    return serial, _differ(serial, parallel, cached)


def test_track_serial_parallel_and_cached_sites_are_byte_identical(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    shutil.copytree(REPORTS, root)
    site, differ = _track_three_ways(root, tmp_path, ("7", "99", "31337"))
    compared = sum(len(data) for data in site.values())
    print(f"bytes compared (each of three runs): {compared:,}")
    assert compared > 100_000 and not differ, f"pages differ: {differ}"


@pytest.mark.slow
@pytest.mark.skipif(not (CORPUS / "catalog.toml").exists(), reason="the shared corpus is not beside the repository")
def test_track_whole_corpus_serial_parallel_cached_and_hash_seeds(tmp_path: Path) -> None:
    # Same hash seed: workers and the cache must change nothing.
    site, differ = _track_three_ways(CORPUS, tmp_path, ("7", "7", "7"))
    print(f"bytes compared (each of three runs): {sum(len(data) for data in site.values()):,}")
    assert not differ, f"pages differ between serial, parallel and cached runs: {differ[:10]}"
    # Another hash seed: the same bytes (claim pages listed apart, to tell where a fault lies).
    other = _track(CORPUS, tmp_path / "seed", tmp_path / "seed.sqlite", "99", jobs=2)
    differ = _differ(site, other)
    assert not [name for name in differ if not name.endswith(CLAIM_PAGES)], differ[:10]
    assert not differ, f"claim pages differ between hash seeds: {differ[:10]}"
