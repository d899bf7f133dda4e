"""Which files are reports: comparer never reads its own outputs, project files or hidden folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comparer.cli import app
from comparer.discover import ComparerWarning, discover, written_by_comparer
from comparer.errors import InputError
from tests.conftest import NK, REPORTS

runner = CliRunner()


@pytest.fixture
def two(tmp_path: Path) -> Path:
    """A folder with two reports and no catalog."""
    root = tmp_path / "two"
    root.mkdir()
    for name in ("hrw-2019.txt", "hrw-2020.txt"):
        shutil.copy(NK / name, root / name)
    return root


def _names(files: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in files]


def test_own_outputs_are_not_read_as_reports(two: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(two)
    a, b = "hrw-2019.txt", "hrw-2020.txt"
    assert runner.invoke(app, ["compare", a, b]).exit_code == 0  # report.html
    assert runner.invoke(app, ["compare", a, b, "-f", "md", "-o", "diff.md"]).exit_code == 0
    for _ in range(2):
        result = runner.invoke(app, ["track", ".", "-o", "site", "--jobs", "1"])
        assert result.exit_code == 0, result.stderr
        assert "(2 reports," in result.stderr
    assert runner.invoke(app, ["facts", ".", "-f", "html", "-o", "facts.html"]).exit_code == 0
    assert runner.invoke(app, ["check", ".", "-o", "check.md"]).exit_code in (0, 1)
    # Plain-text outputs, written with -o or saved from stdout (`> facts.txt`), carry a generator line.
    assert runner.invoke(app, ["facts", ".", "-o", "facts.txt"]).exit_code == 0
    assert runner.invoke(app, ["sections", a, "-o", "sections.txt"]).exit_code == 0
    assert runner.invoke(app, ["compare", a, b, "-f", "text", "-o", "diff.txt"]).exit_code == 0
    Path("stat.txt").write_text(runner.invoke(app, ["compare", a, b, "--stat"]).stdout, encoding="utf-8")
    assert _names(discover([Path(".")]), Path(".")) == [a, b]
    facts = runner.invoke(app, ["facts", "."])
    assert facts.stdout.splitlines()[1].startswith("2 reports,"), facts.stdout
    outputs = ("report.html", "diff.md", "facts.html", "check.md", "site/index.html")
    for output in (*outputs, "facts.txt", "sections.txt", "diff.txt", "stat.txt"):
        assert written_by_comparer(Path(output)), output


def test_a_report_that_mentions_comparer_is_still_a_report(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("comparer 2: a tool\n\nThe text says comparer 0.1.0: facts somewhere.\n", encoding="utf-8")
    assert not written_by_comparer(report)
    report.write_text("Report 2020\n\ncomparer 0.1.0: facts\n", encoding="utf-8")
    assert not written_by_comparer(report)


def test_hidden_folders_project_files_and_output_are_skipped(two: Path) -> None:
    (two / ".git").mkdir()
    (two / ".git" / "notes.txt").write_text("not a report\n", encoding="utf-8")
    (two / ".hidden.md").write_text("# hidden\n", encoding="utf-8")
    for name in ("README.md", "LICENSE.txt", "CHANGELOG.md", "readme.txt", "CONTRIBUTING.md"):
        (two / name).write_text("# Project file\n\nSome text about the project.\n", encoding="utf-8")
    (two / "out").mkdir()
    (two / "out" / "page.html").write_text("<p>a report-like page</p>\n", encoding="utf-8")
    found = discover([two], exclude=(two / "out",))
    assert _names(found, two) == ["hrw-2019.txt", "hrw-2020.txt"]
    # A file named on the command line is always read.
    assert discover([two / "README.md"]) == [two / "README.md"]


def test_catalog_decides_and_uncatalogued_files_warn_once_each(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    shutil.copytree(REPORTS, root)
    (root / "north-korea" / "draft.txt").write_text("A draft of something.\n", encoding="utf-8")
    (root / "north-korea" / "README.md").write_text("# About these files\n", encoding="utf-8")
    with pytest.warns(ComparerWarning) as caught:
        found = discover([root])
    assert len(found) == 5 and all(p.name != "draft.txt" for p in found)
    assert [str(w.message) for w in caught] == [f"{root / 'north-korea' / 'draft.txt'}: not in {root / 'catalog.toml'}; skipped"]
    result = runner.invoke(app, ["facts", str(root / "north-korea")])
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert warnings == [f"Warning: {root / 'north-korea' / 'draft.txt'}: not in {root / 'catalog.toml'}; skipped"]


def test_catalog_entry_without_its_file_is_an_error(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    shutil.copytree(REPORTS, root)
    (root / "north-korea" / "hrw-2020.txt").unlink()
    with pytest.raises(InputError, match=r"catalog.toml: entry file = 'north-korea/hrw-2020.txt': no such file"):
        discover([root])
    result = runner.invoke(app, ["track", str(root), "-o", str(tmp_path / "site"), "--jobs", "1"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


def test_reports_are_read_once_in_path_order_whatever_the_argument_order(two: Path) -> None:
    a, b = two / "hrw-2019.txt", two / "hrw-2020.txt"
    forward = runner.invoke(app, ["facts", str(a), str(b), "-f", "json"]).stdout
    backward = runner.invoke(app, ["facts", str(b), str(a), str(b), "-f", "json"]).stdout
    assert forward == backward


def test_symbolic_links_below_a_folder(two: Path, tmp_path: Path) -> None:
    """A linked report file is read (its target decides), a linked folder is not walked into,
    a link that loops or dangles is no report, and a linked output folder is still skipped."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(NK / "hrw-2014.txt", elsewhere / "hrw-2014.txt")
    (two / "linked.txt").symlink_to(elsewhere / "hrw-2014.txt")
    (two / "folder").symlink_to(elsewhere, target_is_directory=True)
    (two / "loop.txt").symlink_to(two / "loop.txt")
    (two / "dangling.txt").symlink_to(two / "gone.txt")
    out = tmp_path / "out"
    out.mkdir()
    (out / "page.txt").write_text("an output\n", encoding="utf-8")
    (two / "out").symlink_to(out, target_is_directory=True)
    assert _names(discover([two], exclude=[out]), two) == ["hrw-2019.txt", "hrw-2020.txt", "linked.txt"]


def test_catalog_entries_match_through_linked_folders(tmp_path: Path) -> None:
    """A catalog names files by a path through a linked folder; the walk finds them by another."""
    real = tmp_path / "real"
    shutil.copytree(REPORTS, real)
    (tmp_path / "root").symlink_to(real, target_is_directory=True)
    catalog = (real / "catalog.toml").read_text(encoding="utf-8")
    (real / "catalog.toml").write_text(catalog.replace('file = "', f'file = "{tmp_path}/root/'), encoding="utf-8")
    through_link = _names(discover([tmp_path / "root"]), tmp_path / "root")
    assert through_link == _names(discover([real]), real) and len(through_link) == 5
