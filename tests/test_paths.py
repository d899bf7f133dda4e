"""`paths.Resolver` answers as `Path.resolve()` does, at one `lstat` a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from comparer.paths import Resolver, is_below


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Folders, files and symbolic links of every kind the resolver shortcuts or falls back on."""
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "a.txt").write_text("a", encoding="utf-8")
    (real / "sub" / "b.txt").write_text("b", encoding="utf-8")
    (tmp_path / "via").symlink_to(real, target_is_directory=True)  # a folder reached through a link
    (real / "link.txt").symlink_to(real / "sub" / "b.txt")  # a file that is a link
    (real / "dangling.txt").symlink_to(real / "gone.txt")
    (real / "loop.txt").symlink_to(real / "loop.txt")
    return tmp_path


@pytest.mark.parametrize(
    "rel",
    ["real/a.txt", "via/a.txt", "via/sub/b.txt", "via/link.txt", "real/dangling.txt", "real/missing.txt",
     "via/sub/../a.txt", "via/sub/..", "via/.", "via/", "real//a.txt", "via/./sub/b.txt", "real"],
)  # fmt: skip
def test_resolve_is_path_resolve(tree: Path, rel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = Resolver()
    absolute = f"{tree}/{rel}"
    assert resolver.resolve(absolute) == str(Path(absolute).resolve())
    assert resolver.resolve(Path(absolute)) == str(Path(absolute).resolve())
    monkeypatch.chdir(tree)
    assert resolver.resolve(rel) == str(Path(rel).resolve())  # relative: below the current folder


def test_a_link_loop_raises_as_path_resolve_does(tree: Path) -> None:
    loop = tree / "real" / "loop.txt"
    with pytest.raises(RuntimeError):
        loop.resolve()
    with pytest.raises(RuntimeError):
        Resolver().resolve(loop)


def test_each_folder_is_resolved_once(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = Resolver()
    calls: list[str] = []
    real_resolve = Path.resolve

    def counting(self: Path, strict: bool = False) -> Path:
        calls.append(str(self))
        return real_resolve(self, strict)

    monkeypatch.setattr(Path, "resolve", counting)
    for name in ("a.txt", "b.txt", "c.txt"):
        resolver.resolve(tree / "via" / name)
    assert calls == [str(tree / "via")]
    assert os.path.islink(tree / "via")


def test_is_below() -> None:
    assert is_below("/a/b/c.txt", "/a") == "b/c.txt"
    assert is_below("/a/b/c.txt", "/") == "a/b/c.txt"
    assert is_below("/ab/c.txt", "/a") is None
    assert is_below("/a", "/a") is None
