"""`comparer track` re-runs: files known by their stat are not read again, and pages still in
the site as written are kept, not rewritten, while the site stays what a clean run writes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from comparer import cache as cache_module
from comparer import ingest
from comparer.cache import Cache
from comparer.render import site_report
from comparer.track import build_site
from tests.conftest import REPORTS, add_edition, tree_bytes

PAGE = "north-korea/north-korea-hrw-2019__north-korea-hrw-2020.html"


def _settle() -> None:
    """Wait until files just written are old enough for their stat to be recorded."""
    time.sleep(cache_module.RACY_NS / 1e9 + 0.05)


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    shutil.copytree(REPORTS, root)
    _settle()
    return root


def _stamps(site: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and mtime: the same when a run left the file alone."""
    return {
        p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name != ".comparer-site"
    }


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every report file read through ingest's checks."""
    reads: list[Path] = []
    real = ingest.read_input

    def counting(path: Path, *, max_bytes: int) -> bytes:
        reads.append(Path(path))
        return real(path, max_bytes=max_bytes)

    monkeypatch.setattr(ingest, "read_input", counting)
    return reads


def test_unchanged_files_are_not_read_and_unchanged_pages_not_written(
    collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache.sqlite"
    build_site(collection, site, jobs=1, cache_path=cache)
    before = _stamps(site)
    reads = _count_reads(monkeypatch)

    def not_again(*args: object, **kwargs: object) -> str:
        raise AssertionError("a page whose inputs did not change was rendered again")

    monkeypatch.setattr(site_report, "render_country", not_again)
    monkeypatch.setattr(site_report, "render_index", not_again)
    again = build_site(collection, site, jobs=1, cache_path=cache)
    assert again.cache_misses == 0 and reads == []  # every file known by its stat
    assert _stamps(site) == before  # no page rewritten
    assert again.pages == len(before)


def test_an_edit_that_keeps_size_and_mtime_is_noticed(collection: Path, tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache.sqlite"
    build_site(collection, site, jobs=1, cache_path=cache)
    path = collection / "north-korea" / "hrw-2019.txt"
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("Border Tightening", "Border Strictness")
    assert edited != text and len(edited.encode()) == len(text.encode())
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # as `touch -r` would put it back
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (info.st_size, info.st_mtime_ns)
    result = build_site(collection, site, jobs=1, cache_path=cache)
    assert result.cache_misses == 1 + 2 + 1  # the report, its two comparisons, the facts page
    assert b"Border Strictness" in (site / PAGE).read_bytes()


def test_a_file_changed_just_before_it_was_looked_at_is_not_recorded(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("some text", encoding="utf-8")
    info = path.stat()
    cache = Cache(tmp_path / "cache.sqlite", salt="test")
    try:
        changed = max(info.st_mtime_ns, info.st_ctime_ns)
        cache.remember_digest("file-sha256", str(path), info, "d1", changed + cache_module.RACY_NS // 2)
        assert cache.known_digest("file-sha256", str(path), info) is None  # read again next time
        cache.remember_digest("file-sha256", str(path), info, "d2", changed + cache_module.RACY_NS)
        assert cache.known_digest("file-sha256", str(path), info) == "d2"
        path.write_text("other text", encoding="utf-8")  # same size, new ctime
        assert cache.known_digest("file-sha256", str(path), path.stat()) is None
    finally:
        cache.close()


def test_after_one_new_report_only_its_pages_are_written(collection: Path, tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache.sqlite"
    build_site(collection, site, jobs=1, cache_path=cache)
    before = _stamps(site)
    add_edition(collection, (collection / "north-korea" / "hrw-2020.txt").read_text(encoding="utf-8") + "\nOne more.\n")
    build_site(collection, site, jobs=1, cache_path=cache)
    after = _stamps(site)
    rewritten = {rel for rel in after if before.get(rel) != after[rel]}
    assert rewritten == {
        "index.html",
        "north-korea/index.html",
        "north-korea/facts.html",
        "north-korea/north-korea-hrw-2020__north-korea-hrw-2021.html",
    }
    clean = tmp_path / "clean"
    build_site(collection, clean, jobs=1, cache_path=tmp_path / "clean.sqlite")
    assert tree_bytes(site) == tree_bytes(clean)


@pytest.mark.parametrize("how", ["edited", "same-size", "removed", "replaced"])
def test_a_page_changed_in_the_site_is_written_again(collection: Path, tmp_path: Path, how: str) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache.sqlite"
    build_site(collection, site, jobs=1, cache_path=cache)
    expected = tree_bytes(site)
    page = site / PAGE
    data = page.read_bytes()
    if how == "edited":
        page.write_bytes(data + b"<!-- a note -->")
    elif how == "same-size":
        info = page.stat()
        page.write_bytes(data.replace(b"<html", b"<HTML", 1))
        os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    elif how == "removed":
        page.unlink()
    else:  # another file renamed over it: another inode
        other = page.with_name("other.tmp")
        other.write_bytes(data)
        other.replace(page)
        if page.read_bytes() == data:
            page.write_bytes(data.replace(b"<html", b"<HTML", 1))
    result = build_site(collection, site, jobs=1, cache_path=cache)
    assert result.cache_misses == 0
    assert tree_bytes(site) == expected


def test_a_cache_without_page_records_rewrites_every_page(collection: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(collection, site, jobs=1, cache_path=tmp_path / "one.sqlite")
    expected, before = tree_bytes(site), _stamps(site)
    build_site(collection, site, jobs=1, cache_path=tmp_path / "two.sqlite")  # knows no page
    after = _stamps(site)
    assert all(before[rel] != after[rel] for rel in before)
    assert tree_bytes(site) == expected


def test_a_rerun_keeps_the_cached_pages_the_site_holds(collection: Path, tmp_path: Path) -> None:
    # the pages are not read (the site holds them as written), yet not pruned either: pruning
    # them all on the first re-run after a build deleted most of the cache, and a page later
    # lost from the site had to be compared again
    site, cache_path = tmp_path / "site", tmp_path / "cache.sqlite"
    build_site(collection, site, jobs=1, cache_path=cache_path)

    def pages() -> int:
        db = sqlite3.connect(cache_path)
        try:
            return int(db.execute("SELECT count(*) FROM entries WHERE kind LIKE '%-html'").fetchone()[0])
        finally:
            db.close()

    built = pages()
    build_site(collection, site, jobs=1, cache_path=cache_path)
    assert pages() == built > 0
