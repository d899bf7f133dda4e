"""`comparer track` and the output folder: never overwrite a user's files, modes, temporary folders, workers."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comparer.cli import app
from comparer.errors import RenderError
from comparer.sitedir import MARKER
from comparer.track import build_site
from tests.conftest import REPORTS

runner = CliRunner()


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    shutil.copytree(REPORTS, root)
    return root


def _track(collection: Path, site: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["track", str(collection), "-o", str(site), "--jobs", "1", *extra])
    return result.exit_code, result.stderr


def test_non_empty_foreign_folder_is_refused_with_one_error_line(collection: Path, tmp_path: Path) -> None:
    site = tmp_path / "docs"
    site.mkdir()
    (site / "keep.txt").write_text("mine\n", encoding="utf-8")
    code, err = _track(collection, site)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"Error: {site}: folder is not empty and was not written")
    assert "--force" in err
    assert sorted(p.name for p in site.iterdir()) == ["keep.txt"]
    assert not (tmp_path / "docs.cache.sqlite").exists()  # refused before any work


def test_force_writes_into_a_foreign_folder_and_keeps_its_files(collection: Path, tmp_path: Path) -> None:
    site = tmp_path / "docs"
    site.mkdir()
    (site / "keep.txt").write_text("mine\n", encoding="utf-8")
    code, err = _track(collection, site, "--force")
    assert code == 0, err
    assert (site / "keep.txt").read_text(encoding="utf-8") == "mine\n"
    assert (site / "index.html").exists() and (site / MARKER).exists()
    assert _track(collection, site)[0] == 0  # now it is comparer's site


def test_user_files_in_the_site_survive_reruns(collection: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(collection, site, jobs=1)
    (site / "CNAME").write_text("reports.example.org\n", encoding="utf-8")
    (site / ".nojekyll").write_text("", encoding="utf-8")
    (site / "north-korea" / "notes.md").write_text("my notes\n", encoding="utf-8")
    build_site(collection, site, jobs=1)
    assert (site / "CNAME").read_text(encoding="utf-8") == "reports.example.org\n"
    assert (site / ".nojekyll").exists() and (site / "north-korea" / "notes.md").exists()


def test_pages_no_longer_made_are_removed_and_user_files_kept(collection: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(collection, site, jobs=1)
    old_page = site / "north-korea" / "north-korea-hrw-2014__north-korea-hrw-2019.html"
    assert old_page.exists()
    (site / "north-korea" / "notes.md").write_text("my notes\n", encoding="utf-8")
    (collection / "north-korea" / "hrw-2014.txt").unlink()
    catalog = collection / "catalog.toml"
    text = catalog.read_text(encoding="utf-8")
    start = text.index('[[report]]\nfile = "north-korea/hrw-2014.txt"')
    end = text.index("[[report]]", start + 1)
    catalog.write_text(text[:start] + text[end:], encoding="utf-8")
    build_site(collection, site, jobs=1)
    assert not old_page.exists()
    assert (site / "north-korea" / "notes.md").exists()
    assert "hrw-2014" not in (site / MARKER).read_text(encoding="utf-8")


def test_a_file_comparer_would_overwrite_is_refused(collection: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(collection, site, jobs=1)
    marker = (site / MARKER).read_text(encoding="utf-8")
    (site / MARKER).write_text(marker.replace("index.html\n", ""), encoding="utf-8")
    with pytest.raises(RenderError, match="was not written by comparer"):
        build_site(collection, site, jobs=1)


@pytest.mark.parametrize("kind", ["current folder", "symlink", "regular file", "reports folder"])
def test_bad_site_paths_give_a_clear_error(
    collection: Path, tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    if kind == "current folder":
        site, expected = Path("."), "cannot be the current folder"
    elif kind == "symlink":
        (tmp_path / "real").mkdir()
        site = work / "site"
        site.symlink_to(tmp_path / "real")
        expected = "is a symbolic link"
    elif kind == "regular file":
        site = work / "site"
        site.write_text("x", encoding="utf-8")
        expected = "is not a folder"
    else:
        site, expected = collection, "would hold the reports folder"
    code, err = _track(collection, site)
    assert code == 2 and err.startswith("Error: ") and expected in err and err.count("\n") == 1, err
    assert list(work.iterdir()) == ([site] if kind in ("symlink", "regular file") else [])


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_outputs_follow_the_umask(collection: Path, tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        site, summary = tmp_path / "site", tmp_path / "summary.md"
        code, err = _track(collection, site, "--summary", str(summary))
        assert code == 0, err
        report = tmp_path / "report.json"
        nk = collection / "north-korea"
        result = runner.invoke(app, ["compare", str(nk / "hrw-2019.txt"), str(nk / "hrw-2020.txt"),
                                     "-f", "json", "-o", str(report)])  # fmt: skip
        assert result.exit_code == 0
    finally:
        os.umask(old)
    for path in [site, *site.rglob("*"), summary, report]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o777 if path.is_dir() else 0o666) & ~umask, (path, oct(mode))


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_temporary_folders_of_dead_runs_are_swept(collection: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    stale = tmp_path / f".site.comparer-tmp-{_dead_pid()}-abc"
    (stale / "north-korea").mkdir(parents=True)
    mine = tmp_path / ".site.someone-elses"
    mine.mkdir()
    running = tmp_path / f".site.comparer-tmp-{os.getppid()}-xyz"  # a run still going: kept
    running.mkdir()
    build_site(collection, site, jobs=1)
    assert not stale.exists() and mine.exists() and running.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site")) == sorted([mine.name, running.name])


def test_temporary_folder_removed_when_the_run_fails(
    collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import comparer.render.site_report as site_report

    def interrupted(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(site_report, "render_index", interrupted)
    site = tmp_path / "site"
    with pytest.raises(KeyboardInterrupt):
        build_site(collection, site, jobs=1)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []
    assert not site.exists()


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(entry.name))
    return out


def _wait_for(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_workers_die_when_track_is_killed(collection: Path, tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "comparer", "track", str(collection), "-o", str(tmp_path / "site"), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        assert _wait_for(lambda: len(_children(proc.pid)) >= 2, 60), "workers never started"
        workers = _children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert _wait_for(lambda: not any(_alive(w) for w in workers), 20), "workers outlived track"
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in workers:  # never leave strays, even when the test fails
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_readme_shows_the_exact_error_for_a_foreign_folder(
    collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = next(line.strip() for line in readme.splitlines() if line.strip().startswith("Error: docs:"))
    monkeypatch.chdir(tmp_path)
    Path("docs").mkdir()
    Path("docs", "index.md").write_text("# My docs\n", encoding="utf-8")
    code, err = _track(collection, Path("docs"))
    assert code == 2 and err.strip() == documented


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_terminated_track_stops_its_workers_and_leaves_no_temporary_folder(collection: Path, tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "comparer", "track", str(collection), "-o", str(tmp_path / "site"), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    workers: list[int] = []
    try:
        assert _wait_for(lambda: len(_children(proc.pid)) >= 2, 60), "workers never started"
        workers = _children(proc.pid)
        proc.terminate()
        _, err = proc.communicate(timeout=60)
        assert proc.returncode != 0 and b"Traceback" not in err, err
        assert _wait_for(lambda: not any(_alive(w) for w in workers), 20), "workers outlived track"
        assert [p.name for p in tmp_path.iterdir() if ".comparer-tmp-" in p.name] == []
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_symbolic_link_inside_the_site_is_not_written_through(collection: Path, tmp_path: Path) -> None:
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    build_site(collection, site, jobs=1)
    shutil.rmtree(site / "north-korea")
    elsewhere.mkdir()
    (site / "north-korea").symlink_to(elsewhere)
    with pytest.raises(RenderError, match="symbolic link inside the site"):
        build_site(collection, site, jobs=1)
    assert list(elsewhere.iterdir()) == []


def test_temporary_files_of_dead_runs_are_swept_when_writing_an_output(tmp_path: Path) -> None:
    stale = tmp_path / f".report.json.comparer-tmp-{_dead_pid()}-abc.tmp"
    running = tmp_path / f".report.json.comparer-tmp-{os.getppid()}-def.tmp"
    stale.write_text("partial", encoding="utf-8")
    running.write_text("partial", encoding="utf-8")
    nk = REPORTS / "north-korea"
    result = runner.invoke(app, ["compare", str(nk / "hrw-2019.txt"), str(nk / "hrw-2020.txt"), "-f", "json",
                                 "-o", str(tmp_path / "report.json")])  # fmt: skip
    assert result.exit_code == 0
    assert not stale.exists() and running.exists() and (tmp_path / "report.json").exists()


def test_a_doctored_marker_cannot_remove_files_outside_the_site(collection: Path, tmp_path: Path) -> None:
    site, victim, elsewhere = tmp_path / "site", tmp_path / "victim.txt", tmp_path / "elsewhere"
    build_site(collection, site, jobs=1)
    victim.write_text("keep me\n", encoding="utf-8")
    elsewhere.mkdir()
    (elsewhere / "x.html").write_text("keep me too\n", encoding="utf-8")
    (site / "link").symlink_to(elsewhere)
    with (site / MARKER).open("a", encoding="utf-8") as marker:
        marker.write(f"../victim.txt\n{victim}\nlink/x.html\n./index.html\n")
    build_site(collection, site, jobs=1)
    assert victim.exists() and (elsewhere / "x.html").exists() and (site / "link").is_symlink()
