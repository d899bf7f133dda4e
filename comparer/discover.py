"""Which files below a folder are reports.

Report files only: hidden files and folders, comparer's own site folders and outputs (its
pages carry a generator tag), the output folder and its cache, and README / LICENSE /
CHANGELOG-like files are skipped. Where a `catalog.toml` covers a folder (it sits there or
up to three folders above), the catalog says what is a report: an uncatalogued report-like
file is skipped with one warning, and an entry whose file is missing is an error.
Files named on the command line are always read.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

from comparer import metadata
from comparer.errors import InputError
from comparer.paths import Resolver
from comparer.sitedir import is_site

REPORT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
# Project files that sit beside reports and are not reports (compared by name without extension).
PROJECT_FILES = frozenset(
    "readme license licence copying changelog changes history news contributing contributors "
    "authors notice code_of_conduct security todo".split()
)
# What comparer writes into its pages and Markdown outputs (see written_by_comparer).
GENERATOR_TAGS = (b'<meta name="generator" content="comparer', b"<!-- generator: comparer")
# The first line of its plain-text outputs (render.text_report.generator_line), after an optional BOM.
TEXT_GENERATOR_LINE = re.compile(rb"\A(?:\xef\xbb\xbf)?comparer \d+\.\d+\.\d+\S*: (?:sections|compare|compare --stat|facts)\r?\n")
_HEAD_BYTES = 8192  # the tags sit in the first lines of an output


class ComparerWarning(UserWarning):
    """Something the user should know that does not stop the run (shown as `Warning:` lines)."""


def discover(paths: Iterable[Path], *, exclude: Iterable[Path] = ()) -> list[Path]:
    """Files named, plus the report files found below folders named, in a stable order.

    Raises:
        InputError: nothing to read, or a catalog names a file that does not exist.
    """
    paths = list(paths)
    resolver = Resolver()
    skip = {resolver.resolve(p) for p in exclude}
    out: list[Path] = []
    for path in paths:
        out += _below(path, skip, resolver) if path.is_dir() else [path]
    if not out:
        raise InputError(f"{', '.join(str(p) for p in paths)}: no report files found")
    return out


def _below(root: Path, skip: set[str], resolver: Resolver) -> list[Path]:
    """The report files below `root`, sorted."""
    candidates: dict[Path, str] = {}  # file as found -> resolved
    for folder, dirs, files in _walk(os.fspath(root)):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".") and resolver.resolve(os.path.join(folder, d)) not in skip
            and not is_site(here / d)
        )  # fmt: skip
        real = resolver.folder(folder)
        for file in files:
            name = file.name
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in REPORT_SUFFIXES:
                continue
            if file.is_symlink():  # its target decides (one that loops is no file, and never resolved)
                if not (here / name).is_file():
                    continue
                resolved = resolver.resolve(os.path.join(folder, name))
            elif _is_file(file):
                resolved = os.path.join(real, name)
            else:
                continue
            if resolved not in skip:
                candidates[here / name] = resolved
    known = set(candidates.values())
    catalogued: dict[str, set[str]] = {}
    covering: dict[str, list[Path]] = {}  # folder -> its catalogs, looked up once per folder
    out = []
    for path in sorted(candidates):
        resolved = candidates[path]
        parent = os.path.dirname(resolved)
        if parent not in covering:
            covering[parent] = _catalogs(Path(parent), catalogued, known)
        catalogs = covering[parent]
        if catalogs:
            if any(resolved in catalogued[str(c)] for c in catalogs):
                out.append(path)
            elif not _not_a_report(path):
                warnings.warn(f"{path}: not in {catalogs[0]}; skipped", ComparerWarning, stacklevel=3)
        elif not _not_a_report(path):
            out.append(path)
    return out


def _walk(top: str) -> Iterator[tuple[str, list[str], list[os.DirEntry[str]]]]:
    """`os.walk(top)` (top down, errors ignored, symbolic links to folders not followed) that
    yields the files as `os.DirEntry`s: their type is known without a `stat` each."""
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError:
            continue
        dirs: list[str] = []
        files: list[os.DirEntry[str]] = []
        links: set[str] = set()
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                dirs.append(entry.name)
                if entry.is_symlink():
                    links.add(entry.name)
            else:
                files.append(entry)
        yield folder, dirs, files
        stack += [os.path.join(folder, d) for d in reversed(dirs) if d not in links]


def _is_file(entry: os.DirEntry[str]) -> bool:
    """`entry.is_file()`, False where it cannot tell (as `Path.is_file`)."""
    try:
        return entry.is_file()
    except OSError:
        return False


def _catalogs(folder: Path, known: dict[str, set[str]], files: set[str]) -> list[Path]:
    """The catalogs covering `folder`, nearest first; each is loaded (and checked) once into `known`."""
    found = []
    for _ in range(metadata._CATALOG_DEPTH):
        catalog = folder / metadata.CATALOG_NAME
        if catalog.is_file():
            if str(catalog) not in known:
                known[str(catalog)] = _entries(catalog, files)
            found.append(catalog)
        if folder.parent == folder:
            break
        folder = folder.parent
    return found


def _entries(catalog: Path, files: set[str]) -> set[str]:
    """The files a catalog lists (resolved); an entry whose file is missing is an error.

    `files`: resolved files known to exist (found by the walk), not looked at again.
    """
    index = metadata.catalog_index(catalog)
    for resolved, entry in index.items():
        if resolved not in files and not entry.path.is_file():
            file = entry.fields.get("file")
            raise InputError(f"{catalog}: entry file = {file!r}: no such file")
    return set(index)


def _not_a_report(path: Path) -> bool:
    """README-like project files and files comparer wrote."""
    return path.name.split(".", 1)[0].lower() in PROJECT_FILES or written_by_comparer(path)


def written_by_comparer(path: Path) -> bool:
    """Whether `path` is one of comparer's outputs (its first lines carry the generator tag)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return False
    return any(tag in head for tag in GENERATOR_TAGS) or TEXT_GENERATOR_LINE.match(head) is not None
