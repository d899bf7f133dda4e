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
from collections.abc import Iterable
from pathlib import Path

from comparer import metadata
from comparer.errors import InputError
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
    skip = {p.resolve() for p in exclude}
    out: list[Path] = []
    for path in paths:
        out += _below(path, skip) if path.is_dir() else [path]
    if not out:
        raise InputError(f"{', '.join(str(p) for p in paths)}: no report files found")
    return out


def _below(root: Path, skip: set[Path]) -> list[Path]:
    """The report files below `root`, sorted."""
    candidates: list[Path] = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and (here / d).resolve() not in skip and not is_site(here / d)
        )
        candidates += [
            here / name
            for name in files
            if not name.startswith(".")
            and Path(name).suffix.lower() in REPORT_SUFFIXES
            and (here / name).is_file()  # first: False for a symlink loop, which resolve() raises on
            and (here / name).resolve() not in skip
        ]
    catalogued: dict[Path, set[Path]] = {}
    covering: dict[Path, list[Path]] = {}  # folder -> its catalogs, looked up once per folder
    out = []
    for path in sorted(candidates):
        resolved = path.resolve()
        if resolved.parent not in covering:
            covering[resolved.parent] = _catalogs(resolved.parent, catalogued)
        catalogs = covering[resolved.parent]
        if catalogs:
            if any(resolved in catalogued[c] for c in catalogs):
                out.append(path)
            elif not _not_a_report(path):
                warnings.warn(f"{path}: not in {catalogs[0]}; skipped", ComparerWarning, stacklevel=3)
        elif not _not_a_report(path):
            out.append(path)
    return out


def _catalogs(folder: Path, known: dict[Path, set[Path]]) -> list[Path]:
    """The catalogs covering `folder`, nearest first; each is loaded (and checked) once into `known`."""
    found = []
    for _ in range(metadata._CATALOG_DEPTH):
        catalog = folder / metadata.CATALOG_NAME
        if catalog.is_file():
            if catalog not in known:
                known[catalog] = _entries(catalog)
            found.append(catalog)
        if folder.parent == folder:
            break
        folder = folder.parent
    return found


def _entries(catalog: Path) -> set[Path]:
    """The files a catalog lists; an entry whose file is missing is an error."""
    st = catalog.stat()
    entries = metadata.load_catalog(catalog, (st.st_mtime_ns, st.st_size))
    for entry in entries:
        if not entry.path.is_file():
            file = entry.fields.get("file")
            raise InputError(f"{catalog}: entry file = {file!r}: no such file")
    return {e.path for e in entries}


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
