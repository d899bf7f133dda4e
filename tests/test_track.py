"""`comparer track`: the site, its cache, determinism, parallel runs, the CI summary."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comparer.cli import app
from comparer.track import build_site
from tests.conftest import NK, REPORTS, add_edition, corpus, tree_bytes

runner = CliRunner()



@pytest.fixture
def collection(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    shutil.copytree(REPORTS, root)
    return root


def test_site_pages_and_links(collection: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = build_site(collection, site, jobs=1)
    files = tree_bytes(site)
    assert "index.html" in files and "north-korea/facts.html" in files
    kinds = {(p.old.id, p.new.id, p.kind) for p in result.pairs}
    assert ("north-korea/hrw-2014", "north-korea/hrw-2019", "year over year") in kinds
    assert ("north-korea/hrw-2019", "north-korea/hrw-2020", "year over year") in kinds
    assert ("north-korea/amnesty-2022", "north-korea/state-dept-2021", "side by side") in kinds
    index = files["index.html"].decode()
    assert 'href="north-korea/index.html"' in index  # one page per country
    country = files["north-korea/index.html"].decode()
    for pair in result.pairs:
        assert f'href="{pair.page}"' in country
        page = files[f"north-korea/{pair.page}"].decode()
        assert 'href="../index.html"' in page and 'href="facts.html"' in page  # linked both ways
        assert 'href="index.html"' in page
    assert 'href="facts.html"' in country
    assert 'href="../index.html"' in files["north-korea/facts.html"].decode()
    for name, data in files.items():
        text = data.decode()
        assert "http://" not in text and "https://" not in text.replace("https://www.state.gov", ""), name


def test_deterministic_and_parallel_equals_serial(collection: Path, tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    build_site(collection, a, jobs=1, cache_path=tmp_path / "ca.sqlite")
    build_site(collection, b, jobs=1, cache_path=tmp_path / "cb.sqlite")
    build_site(collection, c, jobs=2, cache_path=tmp_path / "cc.sqlite")
    assert tree_bytes(a) == tree_bytes(b) == tree_bytes(c)
    build_site(collection, a, jobs=2, cache_path=tmp_path / "ca.sqlite")  # from the cache
    assert tree_bytes(a) == tree_bytes(b)


def test_rerun_does_only_new_work(collection: Path, tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache.sqlite"
    first = build_site(collection, site, jobs=1, cache_path=cache)
    assert first.cache_hits == 0
    again = build_site(collection, site, jobs=1, cache_path=cache)
    assert again.cache_misses == 0
    # A new edition: one report read, one comparison, one facts page.
    add_edition(
        collection,
        (NK / "hrw-2020.txt").read_text(encoding="utf-8").replace("12 Japanese citizens", "13 Japanese citizens"),
    )
    third = build_site(collection, site, jobs=1, cache_path=cache)
    assert third.cache_misses == 3  # the new report, its comparison, the country's facts page
    assert (site / "north-korea" / "north-korea-hrw-2020__north-korea-hrw-2021.html").exists()


def test_stale_entry_and_tool_version_change(
    collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache.sqlite"
    build_site(collection, site, jobs=1, cache_path=cache)
    # An edited report is a new hash: its old entries are not used.
    path = collection / "north-korea" / "hrw-2019.txt"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Border Tightening", "Border Controls"), encoding="utf-8"
    )
    edited = build_site(collection, site, jobs=1, cache_path=cache)
    assert edited.cache_misses == 1 + 2 + 1  # the report, its two comparisons, the facts page
    assert (
        b"Border Controls"
        in (site / "north-korea" / "north-korea-hrw-2019__north-korea-hrw-2020.html").read_bytes()
    )
    # Another tool version never trusts old entries.
    import comparer.track as tracking

    monkeypatch.setattr(tracking, "__version__", "99.0")
    upgraded = build_site(collection, site, jobs=1, cache_path=cache)
    assert upgraded.cache_hits == 0


@pytest.mark.parametrize("damage", ["garbage", "foreign", "bad-entry"])
def test_corrupt_or_foreign_cache_is_rebuilt(collection: Path, tmp_path: Path, damage: str) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache.sqlite"
    reference = tmp_path / "reference"
    build_site(collection, reference, jobs=1, cache_path=tmp_path / "ref.sqlite")
    if damage == "garbage":
        cache.write_bytes(b"this is not a database" * 100)
    elif damage == "foreign":
        db = sqlite3.connect(cache)
        db.execute("CREATE TABLE entries (kind TEXT, key TEXT, value TEXT)")
        db.commit()
        db.close()
    else:
        build_site(collection, site, jobs=1, cache_path=cache)
        db = sqlite3.connect(cache)
        db.execute("UPDATE entries SET value = '{\"summary\": 1}' WHERE kind = 'report'")
        db.execute("UPDATE entries SET value = 'not json' WHERE kind = 'compare-stats'")
        db.execute("UPDATE entries SET value = '<p>tampered</p>' WHERE kind = 'compare-html'")
        db.execute("UPDATE entries SET value = '[{\"kind\": 3}]' WHERE kind = 'facts'")
        db.commit()
        db.close()
    result = build_site(collection, site, jobs=1, cache_path=cache)
    if damage != "bad-entry":
        assert result.cache_note and "rebuilt" in result.cache_note
    assert tree_bytes(site) == tree_bytes(reference)


def test_cli_track_with_summary(collection: Path, tmp_path: Path) -> None:
    site, summary = tmp_path / "site", tmp_path / "summary.md"
    result = runner.invoke(
        app, ["track", str(collection), "-o", str(site), "--jobs", "1", "--summary", str(summary)]
    )
    assert result.exit_code == 0, result.output
    assert "comparer: reading 0/5" in result.stderr  # plain progress lines when not a terminal
    assert "Wrote 6 of 6 pages" in result.stderr
    again = runner.invoke(app, ["track", str(collection), "-o", str(site), "--jobs", "1"])
    assert "Wrote 0 of 6 pages" in again.stderr and "; 6 pages unchanged;" in again.stderr
    text = summary.read_text(encoding="utf-8")
    assert "\n## comparer track\n" in text and "| North Korea | 5 | 3 |" in text
    missing = runner.invoke(app, ["track", str(tmp_path / "nope"), "-o", str(site)])
    assert missing.exit_code == 2 and missing.stderr.startswith("Error: ")


def test_corpus_country_site(tmp_path: Path) -> None:
    root = corpus("eritrea/state-dept-2001.txt").parent
    site = tmp_path / "site"
    result = build_site(root, site, jobs=2, cache_path=tmp_path / "c.sqlite")
    assert len(result.entries) == len([p for p in root.iterdir() if p.suffix in (".txt", ".html")])
    # The same HRW chapter as HTML and as text covers the same year: side by side, no change.
    same = [p for p in result.pairs if {p.old.id, p.new.id} == {"hrw-2002", "hrw-2002.html"} or
            (p.old.id.startswith("hrw-2002") and p.new.id.startswith("hrw-2002"))]  # fmt: skip
    assert same
    assert (site / "index.html").exists()


def test_renderers_never_import_the_orchestrator() -> None:
    """`render/` shows the collection's model (`comparer.model`); importing `track` would be a cycle."""
    import ast

    import comparer.render

    folder = Path(comparer.render.__file__).parent
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{a.name}" for a in node.names]
            assert not any(n == "comparer.track" or n.startswith("comparer.track.") for n in names), path


@pytest.mark.parametrize(
    "command", [["facts", "-f", "json"], ["facts", "-f", "html"], ["check", "--fail-on", "changes"]]
)
def test_facts_and_check_same_bytes_with_cache_and_any_jobs(
    collection: Path, tmp_path: Path, command: list[str]
) -> None:
    """`facts` and `check` read and link on track's parallel, cached path: same bytes every way."""
    cache = tmp_path / "facts.sqlite"
    plain = runner.invoke(app, [*command, str(collection), "-j", "1"])
    assert plain.exit_code in (0, 1) and plain.stderr == "", plain.output  # no progress off a terminal
    for args in (
        [*command, str(collection), "-j", "2"],
        [*command, str(collection), "-j", "2", "--cache", str(cache)],
        [*command, str(collection), "-j", "1", "--cache", str(cache)],  # all from the cache
    ):
        again = runner.invoke(app, args)
        assert again.exit_code == plain.exit_code and again.stdout == plain.stdout, args
    db = sqlite3.connect(cache)
    kinds = dict(db.execute("SELECT kind, count(*) FROM entries GROUP BY kind").fetchall())
    db.close()
    # one country linked and cached; each file known by its stat
    assert kinds == {"report": 5, "facts": 5, "claims": 1, "file-sha256": 5}


def test_facts_cache_relinks_what_changed_and_survives_damage(collection: Path, tmp_path: Path) -> None:
    from comparer import batch

    cache = tmp_path / "facts.sqlite"
    first, first_claims, _ = batch.link_facts([collection], jobs=1, cache_path=cache)
    db = sqlite3.connect(cache)
    db.execute("UPDATE entries SET value = '[{\"kind\": 3}]' WHERE kind IN ('facts', 'claims')")
    db.commit()
    db.close()
    again, again_claims, _ = batch.link_facts([collection], jobs=1, cache_path=cache)
    assert [r.id for r in again] == [r.id for r in first] and again_claims == first_claims
