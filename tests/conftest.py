"""Shared fixtures: the bundled reports, the corpus (shared or its bundled subset), --update-golden."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
NK = REPORTS / "north-korea"
CORPUS = ROOT.parent / "shared" / "corpus"  # the whole corpus, where it is beside the repository
BUNDLED_CORPUS = Path(__file__).resolve().parent / "data" / "corpus"  # a subset that ships with it
GOLDEN = Path(__file__).resolve().parent / "golden"
ACTUAL = Path(__file__).resolve().parent / "actual"

SEEDS = ("state-dept-2021", "hrw-2014", "hrw-2019", "hrw-2020", "amnesty-2022")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite tests/golden/ from the current output."
    )
    parser.addoption("--run-slow", action="store_true", help="Also run tests marked slow (whole corpus).")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: minutes long (whole shared corpus); run with --run-slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def corpus(rel: str) -> Path:
    """Path of a corpus file: the shared corpus where it is beside the repository, else the copy
    in tests/data/corpus (see its README); skip only when neither has it."""
    for base in (CORPUS, BUNDLED_CORPUS):
        if (base / rel).exists():
            return base / rel
    pytest.skip(f"not in the shared corpus nor in tests/data/corpus: {rel}")


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (relative POSIX path -> bytes): to compare two output trees."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def check_golden(name: str, actual: str, update: bool) -> None:
    """Compare `actual` with tests/golden/`name`; save it to tests/actual/ on a mismatch."""
    gold = GOLDEN / name
    if update:
        gold.parent.mkdir(parents=True, exist_ok=True)
        gold.write_text(actual, encoding="utf-8")
        return
    expected = gold.read_text(encoding="utf-8") if gold.exists() else None
    if expected != actual:
        out = ACTUAL / name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(actual, encoding="utf-8")
        import difflib

        diff = "".join(
            list(
                difflib.unified_diff(
                    (expected or "").splitlines(True), actual.splitlines(True), str(gold), str(out)
                )
            )[:80]
        )
        pytest.fail(f"{name} differs from its golden file (run pytest --update-golden to accept):\n{diff}")


def add_edition(collection: Path, text: str) -> None:
    """Add `text` to `collection` as North Korea's HRW 2021 edition, with its catalog entry."""
    (collection / "north-korea" / "hrw-2021.txt").write_text(text, encoding="utf-8")
    catalog = collection / "catalog.toml"
    catalog.write_text(
        catalog.read_text(encoding="utf-8")
        + '\n[[report]]\nfile = "north-korea/hrw-2021.txt"\ncountry = "North Korea"\n'
        'publisher = "Human Rights Watch"\nedition = 2021\ncovers = 2020\n',
        encoding="utf-8",
    )
