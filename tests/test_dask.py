"""The executor seam: `track` on a Dask LocalCluster gives the process pool's site, byte for byte."""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from comparer import api, executors, tasks
from comparer.cli import app
from comparer.errors import ComparerError
from comparer.track import build_site
from tests.conftest import NK, REPORTS, tree_bytes

runner = CliRunner()


def _need_dask() -> None:
    """Skip without Dask, except in CI, where the test extra must have brought it."""
    if importlib.util.find_spec("distributed") is None:
        assert not os.environ.get("CI"), "Dask is not installed: the test extra (pip install -e '.[test]') brings it"
        pytest.skip("Dask is not installed (pip install -e '.[test]' brings it)")



@pytest.fixture
def collection(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    shutil.copytree(REPORTS, root)
    (root / "north-korea" / "broken.txt").write_bytes(b"\x00\x01\x02" * 50)  # a report that fails
    catalog = root / "catalog.toml"
    catalog.write_text(
        catalog.read_text(encoding="utf-8") + '\n[[report]]\nfile = "north-korea/broken.txt"\n',
        encoding="utf-8",
    )
    return root


def test_local_cluster_site_is_byte_identical_to_the_process_pool(collection: Path, tmp_path: Path) -> None:
    _need_dask()
    pool = build_site(collection, tmp_path / "pool", jobs=2, cache_path=tmp_path / "pool.sqlite")
    dask = build_site(
        collection, tmp_path / "dask", jobs=2, cache_path=tmp_path / "dask.sqlite", scheduler="local"
    )
    assert dask.cache_hits == 0 and dask.pages == pool.pages > 5
    assert [f.label for f in dask.failures] == [f.label for f in pool.failures] == ["north-korea/broken"]
    assert tree_bytes(tmp_path / "dask") == tree_bytes(tmp_path / "pool")
    # Again on the Dask run's cache (every write happened here): only the broken report is tried again.
    again = build_site(
        collection, tmp_path / "dask", jobs=2, cache_path=tmp_path / "dask.sqlite", scheduler="local"
    )
    assert again.cache_misses == 1 and again.cache_hits == dask.cache_misses - 1
    assert tree_bytes(tmp_path / "dask") == tree_bytes(tmp_path / "pool")


def test_a_shipped_report_needs_no_file(tmp_path: Path) -> None:
    """Workers of a cluster may not see our files: a job reads the bytes it was given."""
    path = NK / "hrw-2019.txt"
    source = tasks.Source("elsewhere/hrw-2019.txt", "hrw-2019", None, path.read_bytes())
    shipped, local = source.read(), api.read_report(path)
    assert shipped.text == local.text and shipped.sha256 == local.sha256
    assert shipped.sections == local.sections and shipped.path == "elsewhere/hrw-2019.txt"


def test_without_dask_the_scheduler_option_says_how_to_get_it(
    collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.import_module

    def no_dask(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "distributed":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", no_dask)
    result = runner.invoke(
        app, ["track", str(collection), "-o", str(tmp_path / "site"), "--scheduler", "local"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --scheduler local: Dask is not installed; install it with: pip install 'comparer[dask]'"
    )
    assert not (tmp_path / "site").exists() and not (tmp_path / "site.cache.sqlite").exists()


def test_an_unreachable_scheduler_is_one_error_line(monkeypatch: pytest.MonkeyPatch) -> None:
    _need_dask()
    monkeypatch.setattr(executors, "_CONNECT_TIMEOUT", "0.5s")
    with pytest.raises(ComparerError, match=r"^tcp://127\.0\.0\.1:9: cannot reach the Dask scheduler"):
        executors.DaskCluster("tcp://127.0.0.1:9").connect()


def test_every_executor_keeps_the_order_of_the_arguments() -> None:
    for executor in (executors.Serial(), executors.ProcessPool(2)):
        try:
            assert list(executor.map(divmod, [7, 8, 9], [2, 3, 4])) == [(3, 1), (2, 2), (2, 1)]
        finally:
            executor.close()


def test_workers_with_another_comparer_are_refused() -> None:
    here = executors.comparer_stamp()
    assert executors.worker_problem({"tcp://a:1": here, "tcp://b:2": here}, here) is None
    problem = executors.worker_problem({"tcp://b:2": "0.0.9 (abc)", "tcp://a:1": here}, here)
    assert problem == (
        f"worker tcp://b:2 runs comparer 0.0.9 (abc), this machine {here}; install the same comparer on every worker"
    )
    assert executors.worker_problem({}, here) == "the Dask scheduler has no workers"
