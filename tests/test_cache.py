"""The track cache as a database user: concurrent runs, damage of every kind, locks, pruning,
keys that follow the code, and what a run keeps when a report is unreadable or it is stopped."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comparer import cache as cache_module
from comparer.cache import Cache
from comparer.cli import app
from comparer.track import build_site
from tests.conftest import REPORTS, ROOT, tree_bytes

runner = CliRunner()



@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A collection and the site a clean run builds from it."""
    base = tmp_path_factory.mktemp("ref")
    root = base / "reports"
    shutil.copytree(REPORTS, root)
    build_site(root, base / "site", jobs=1, cache_path=base / "cache.sqlite")
    return root, tree_bytes(base / "site")


def _track(root: Path, site: Path, cache: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "comparer",
            "track",
            str(root),
            "-o",
            str(site),
            "--cache",
            str(cache),
            "-j",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_two_runs_on_one_cache_at_once(reference: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    root, expected = reference
    cache = tmp_path / "shared.sqlite"
    runs = [_track(root, tmp_path / f"site{k}", cache) for k in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
        assert "Traceback" not in err and "Warning" not in err
    assert tree_bytes(tmp_path / "site0") == tree_bytes(tmp_path / "site1") == expected
    assert not list(tmp_path.glob("*.broken*"))


def _damage(cache: Path, how: str) -> None:
    if how == "truncated":
        data = cache.read_bytes()
        cache.write_bytes(data[: len(data) // 2])
    elif how == "garbage-bytes":
        data = bytearray(cache.read_bytes())
        for offset in range(100, len(data), 997):  # past the header, through every page
            data[offset : offset + 40] = b"\xde\xad\xbe\xef" * 10
        cache.write_bytes(bytes(data))
    elif how == "not-sqlite":
        cache.write_bytes(b"this is not a database" * 100)
    elif how == "wrong-schema":
        db = sqlite3.connect(cache)
        db.execute("DROP TABLE entries")
        db.execute("CREATE TABLE entries (kind TEXT, value BLOB)")
        db.commit()
        db.close()
    elif how == "old-format":
        db = sqlite3.connect(cache)
        db.execute("UPDATE meta SET value = '0' WHERE key = 'format'")
        db.commit()
        db.close()
    elif how == "foreign":
        cache.unlink()
        db = sqlite3.connect(cache)
        db.execute("CREATE TABLE people (name TEXT)")
        db.execute("INSERT INTO people VALUES ('someone else''s data')")
        db.commit()
        db.close()
    elif how == "bad-entries":
        db = sqlite3.connect(cache)
        db.execute("UPDATE entries SET value = '{\"id\": 1}' WHERE kind = 'report'")
        db.execute("UPDATE entries SET value = 'not json' WHERE kind = 'compare-stats'")
        db.execute("UPDATE entries SET value = '<p>tampered</p>' WHERE kind = 'compare-html'")
        db.execute("UPDATE entries SET value = '[{\"kind\": 3}]' WHERE kind = 'facts'")
        db.execute(
            'UPDATE entries SET value = \'{"html": "x", "changed": 1, "conflicts": [1, {"values": 2}]}\' '
            "WHERE kind = 'facts-page'"
        )
        db.commit()
        db.close()


DAMAGE = ["truncated", "garbage-bytes", "not-sqlite", "wrong-schema", "old-format", "foreign", "bad-entries"]


@pytest.mark.parametrize("how", DAMAGE)
def test_damaged_cache_one_warning_rebuilt_correct_site(
    reference: tuple[Path, dict[str, bytes]], tmp_path: Path, how: str
) -> None:
    root, expected = reference
    site, cache = tmp_path / "site", tmp_path / "cache.sqlite"
    build_site(root, site, jobs=1, cache_path=cache)
    _damage(cache, how)
    result = runner.invoke(app, ["track", str(root), "-o", str(site), "--cache", str(cache), "-j", "1"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == (0 if how == "bad-entries" else 1), result.stderr
    assert "Traceback" not in result.output
    assert tree_bytes(site) == expected
    if how not in ("bad-entries",):
        assert "rebuilt" in warnings[0]
        assert (tmp_path / "cache.sqlite.broken").exists()  # kept, never deleted
    again = build_site(root, site, jobs=1, cache_path=cache)  # the rebuilt cache serves a rerun
    assert again.cache_misses == 0 and again.cache_note is None
    assert tree_bytes(site) == expected


def test_locked_cache_is_waited_for_not_moved(
    reference: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    root, expected = reference
    site, cache = tmp_path / "site", tmp_path / "cache.sqlite"
    build_site(root, site, jobs=1, cache_path=cache)
    db = sqlite3.connect(cache, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=DELETE")  # a writer that locks readers out too
    db.execute("BEGIN EXCLUSIVE")
    timer = threading.Timer(2.0, lambda: db.execute("COMMIT"))
    timer.start()
    try:
        result = build_site(root, site, jobs=1, cache_path=cache)
    finally:
        timer.join()
        db.close()
    assert result.cache_note is None and result.cache_misses == 0
    assert not list(tmp_path.glob("*.broken*"))
    assert tree_bytes(site) == expected


def test_cache_locked_too_long_is_one_error_line(tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    Cache(cache, salt="s").close()
    db = sqlite3.connect(cache, isolation_level=None)
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(cache_module.CacheError, match="locked by another program"):
            Cache(cache, salt="s", busy_timeout=0.2)
    finally:
        db.close()
    assert cache.exists() and not list(tmp_path.glob("*.broken*"))


def test_keys_follow_the_code_and_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    import comparer.render.html_report as html_report

    monkeypatch.setattr(html_report, "template_dirs", lambda: [templates])
    cache_module.code_digest.cache_clear()
    try:
        before = cache_module.code_digest()
        (templates / "index.html.j2").write_text("changed", encoding="utf-8")
        cache_module.code_digest.cache_clear()
        assert cache_module.code_digest() != before
    finally:
        cache_module.code_digest.cache_clear()


def test_entries_no_input_uses_are_pruned(reference: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    root = tmp_path / "reports"
    shutil.copytree(reference[0], root)
    site, cache = tmp_path / "site", tmp_path / "cache.sqlite"
    build_site(root, site, jobs=1, cache_path=cache)
    victim = sorted((root / "north-korea").glob("*.txt"))[0]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    result = build_site(root, site, jobs=1, cache_path=cache)  # the old version's entries are unused
    assert result.pruned > 0
    db = sqlite3.connect(cache)
    reports = db.execute("SELECT COUNT(*) FROM entries WHERE kind = 'report'").fetchone()[0]
    db.close()
    assert reports == len(result.entries)


def test_unreadable_report_is_reported_and_the_rest_built(
    reference: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    root = tmp_path / "reports"
    shutil.copytree(reference[0], root)
    (root / "north-korea" / "broken.txt").write_bytes(bytes(range(256)) * 20)
    (root / "north-korea" / "empty.md").write_bytes(b"")
    with (root / "catalog.toml").open("a", encoding="utf-8") as catalog:
        for name in ("broken.txt", "empty.md"):
            catalog.write(f'\n[[report]]\nfile = "north-korea/{name}"\ncountry = "North Korea"\n')
    site, summary = tmp_path / "site", tmp_path / "summary.md"
    result = runner.invoke(app, ["track", str(root), "-o", str(site), "-j", "1", "--summary", str(summary)])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert (
        len(errors) == 2 and "broken.txt: is a binary file" in errors[0] and "empty.md: is empty" in errors[1]
    )
    assert "Traceback" not in result.output
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Could not be read" in index and "north-korea/broken" in index
    assert str(tmp_path) not in index  # pages name reports by id, not by this machine's path
    assert "north-korea/broken" in summary.read_text(encoding="utf-8")
    others = {k: v for k, v in tree_bytes(site).items() if k != "index.html"}
    assert others == {k: v for k, v in reference[1].items() if k != "index.html"}


def test_interrupted_run_keeps_finished_work(
    reference: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    root = reference[0]
    site, cache = tmp_path / "site", tmp_path / "cache.sqlite"
    run = _track(root, site, cache)
    assert run.stderr is not None
    seen = ""
    deadline = time.monotonic() + 300
    while "comparing 1/" not in seen and time.monotonic() < deadline:
        line = run.stderr.readline()
        if not line:
            break
        seen += line
    run.send_signal(signal.SIGTERM)
    rest = run.stderr.read()
    run.wait(timeout=120)
    if run.returncode == 0:
        pytest.skip("the run finished before the signal arrived")
    assert run.returncode == 143, seen + rest
    errors = [line for line in rest.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "stopped by SIGTERM" in errors[0] and "Traceback" not in rest
    after = build_site(root, site, jobs=1, cache_path=cache)
    assert after.cache_hits >= len(after.entries) + 1  # every report and a comparison were kept


def test_unusable_cache_paths_are_one_error(tmp_path: Path) -> None:
    folder = tmp_path / "cache.sqlite"
    folder.mkdir()
    with pytest.raises(cache_module.CacheError, match="cannot"):
        Cache(folder, salt="s")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(cache_module.CacheError, match="cannot create the cache's lock file"):
        Cache(tmp_path / "file" / "x.sqlite", salt="s")


def test_preloaded_kinds_answer_from_memory_and_follow_what_is_stored(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    first = Cache(path, salt="s")
    first.put_json("report", "a", {"n": 1})
    first.put_text("facts", "a", "[]")
    first.close()
    cache = Cache(path, salt="s")
    cache.preload(("report", "site-file"), keys_only=("facts",))
    other = sqlite3.connect(path)  # another run, storing meanwhile: not seen, so redone, never wrong
    with other:
        other.execute("INSERT INTO entries VALUES ('report', 'b', '{\"n\": 2}'), ('report', 'z', '{}')")
    other.close()
    assert cache.get_json("report", "a") == {"n": 1} and cache.get_json("report", "b") is None
    assert cache.has("facts", "a") and not cache.has("facts", "b")
    cache.put_json("report", "a", {"n": 3})  # what this run stores is seen at once
    cache.put_text("facts", "c", "[1]")
    cache.put_page("site-file", "p", cache_module.pack("<p>"))
    assert cache.get_json("report", "a") == {"n": 3} and cache.has("facts", "c")
    assert cache.get_text("facts", "c") == "[1]" and cache.get_page("site-file", "p") == "<p>"
    assert cache.prune() == 1  # "z": this run never asked for it
    assert cache.get_json("report", "b") == {"n": 2}  # after pruning, the database answers again
    assert cache.get_json("report", "z") is None and cache.get_json("report", "a") == {"n": 3}
    cache.close()


def test_a_rerun_after_an_edit_reads_the_report_again(reference: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    """The preloaded stamps of files never stand for content that changed since."""
    root = tmp_path / "reports"
    shutil.copytree(reference[0], root)
    site, cache = tmp_path / "site", tmp_path / "cache.sqlite"
    build_site(root, site, jobs=1, cache_path=cache)
    again = build_site(root, site, jobs=1, cache_path=cache)
    assert again.cache_misses == 0 and again.pages_written == 0
    victim = root / "north-korea" / "hrw-2020.txt"
    text = victim.read_text(encoding="utf-8")
    victim.write_text(text.replace("Korea", "Koreb", 1), encoding="utf-8")  # same size
    edited = build_site(root, site, jobs=1, cache_path=cache)
    assert edited.cache_misses > 0 and edited.pages_written > 0
    victim.write_text(text, encoding="utf-8")
    back = build_site(root, site, jobs=1, cache_path=cache)
    assert tree_bytes(site) == reference[1] and back.pages_written > 0
