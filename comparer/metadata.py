"""Report metadata: from a `catalog.toml` beside the reports, else detected from the text.

A catalog is how users state metadata. Where a file has no entry, publisher, edition and
covered year are detected from markers every edition carries ("World Report 2014",
"Events of 2013", "Amnesty International Report 2021/22", "2023 Country Reports on Human
Rights Practices"), or as a last resort the latest year the text speaks of. `sources` records
how each field is known.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from comparer.errors import InputError
from comparer.model import Metadata
from comparer.paths import Resolver

CATALOG_NAME = "catalog.toml"
_CATALOG_DEPTH = 4  # how many parent folders to search for a catalog

_PUBLISHER_ALIASES = {
    "state-dept": "US Department of State",
    "state": "US Department of State",
    "us department of state": "US Department of State",
    "hrw": "Human Rights Watch",
    "human rights watch": "Human Rights Watch",
    "amnesty": "Amnesty International",
    "amnesty international": "Amnesty International",
}

_PUBLISHER_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "US Department of State",
        re.compile(
            r"Department of State|Country Reports? on Human Rights Practices|Bureau of Democracy, "
            r"Human Rights,? and Labor|\b(?:19|20)\d{2}\s+Human Rights Report\b|\.gov\b"
        ),
    ),
    ("Human Rights Watch", re.compile(r"Human Rights Watch|World Report (?:19|20)\d{2}")),
    ("Amnesty International", re.compile(r"Amnesty International(?: Report)?")),
)
_YEAR = r"((?:19|20)\d{2})"


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One `[[report]]` of a catalog."""

    path: Path
    fields: dict[str, object]


def find_catalog_entry(path: Path) -> CatalogEntry | None:
    """Return the catalog entry describing `path`, searching its folder and parents."""
    return find_catalog_entries([path])[0]


def find_catalog_entries(paths: list[Path]) -> list[CatalogEntry | None]:
    """`find_catalog_entry` of each of `paths`: each folder, and the catalogs above it, looked at once."""
    resolver = Resolver()
    covering: dict[str, list[dict[str, CatalogEntry]]] = {}  # folder -> its catalogs' indexes, nearest first
    out: list[CatalogEntry | None] = []
    for path in paths:
        target = resolver.resolve(path)
        folder = os.path.dirname(target)
        indexes = covering.get(folder)
        if indexes is None:
            indexes = covering[folder] = [catalog_index(c) for c in _covering(Path(folder))]
        out.append(next((index[target] for index in indexes if target in index), None))
    return out


def _covering(folder: Path) -> list[Path]:
    """The catalogs in `folder` and the folders above it (up to `_CATALOG_DEPTH`), nearest first."""
    found = []
    for _ in range(_CATALOG_DEPTH):
        catalog = folder / CATALOG_NAME
        if catalog.is_file():
            found.append(catalog)
        if folder.parent == folder:
            break
        folder = folder.parent
    return found


def _stamp(path: Path) -> tuple[int, int]:
    """What tells an edited file from the one parsed before: modification time and size."""
    st = path.stat()
    return st.st_mtime_ns, st.st_size


@lru_cache(maxsize=32)
def load_catalog(catalog: Path, stamp: tuple[int, int] = (0, 0)) -> tuple[CatalogEntry, ...]:
    """Parse `catalog`: a TOML file of `[[report]]` tables, each with a `file` relative to it.

    `stamp` (modification time, size) is part of the memo key, so an edited catalog is read again.
    """
    try:
        data = tomllib.loads(catalog.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise InputError(f"{catalog}: cannot read catalog ({err})") from err
    entries = []
    resolver = Resolver()  # the catalog's files share a few folders
    for item in data.get("report", []):
        if isinstance(item, dict) and isinstance(item.get("file"), str):
            resolved = resolver.resolve(catalog.parent / item["file"])
            entries.append(CatalogEntry(Path(resolved), dict(item)))
    return tuple(entries)


def catalog_index(catalog: Path) -> dict[str, CatalogEntry]:
    """The entries of `catalog` by resolved file (the first entry of a file, as a scan in order finds it)."""
    return _catalog_index(catalog, _stamp(catalog))


@lru_cache(maxsize=32)
def _catalog_index(catalog: Path, stamp: tuple[int, int]) -> dict[str, CatalogEntry]:
    """`catalog_index` memoized by the catalog's stamp: a collection of thousands of reports
    looks each one up without scanning the catalog."""
    index: dict[str, CatalogEntry] = {}
    for entry in load_catalog(catalog, stamp):
        index.setdefault(str(entry.path), entry)
    return index


def build_metadata(*, text: str, title: str | None, body: str, catalog: CatalogEntry | None) -> Metadata:
    """Combine catalog fields and what `text` says into `Metadata`.

    Args:
        text: the whole document, boilerplate included (titles and banners carry markers).
        title: the document's title heading, if it has one.
        body: the kept body text, for the latest-year fallback.
        catalog: the report's catalog entry, if any.
    """
    found: dict[str, object] = {}
    sources: dict[str, str] = {}
    publisher, how = detect_publisher(text)
    if publisher:
        found["publisher"], sources["publisher"] = publisher, how
    for key, value, how in detect_years(text):
        if key not in found:
            found[key], sources[key] = value, how
    if "covers" not in found and "edition" in found:
        found["covers"] = found["edition"]
        sources["covers"] = "assumed equal to the edition"
    if "covers" not in found:
        latest = latest_year(body)
        if latest:
            found["covers"], sources["covers"] = latest, "latest year the text speaks of"
    if title:
        found["title"], sources["title"] = title, "title heading"
        country = _country_from_title(title)
        if country:
            found["country"], sources["country"] = country, "title heading"
    if catalog is not None:
        for key in ("country", "publisher", "series", "edition", "covers", "title"):
            entry: object = catalog.fields.get(key)
            if entry is None:
                continue
            if key == "publisher" and isinstance(entry, str):
                entry = _PUBLISHER_ALIASES.get(entry.lower(), entry)
            if key == "country" and isinstance(entry, str) and entry.islower():
                entry = entry.replace("-", " ").title()
            found[key], sources[key] = entry, "catalog"
    if "series" not in found and found.get("publisher"):
        series = {
            "US Department of State": "Country Reports on Human Rights Practices",
            "Human Rights Watch": "World Report",
            "Amnesty International": "Amnesty International Report",
        }.get(str(found["publisher"]))
        if series:
            found["series"], sources["series"] = series, "publisher's annual series"
    return Metadata(
        country=_str(found.get("country")),
        publisher=_str(found.get("publisher")),
        series=_str(found.get("series")),
        edition=_int(found.get("edition")),
        covers=_int(found.get("covers")),
        title=_str(found.get("title")),
        sources=tuple(sorted(sources.items())),
    )


def detect_publisher(text: str) -> tuple[str | None, str]:
    """Name the publisher whose markers `text` carries most, weighting the page's head and tail."""
    head, tail = text[:4000], text[-4000:]
    best: tuple[float, str, str] | None = None
    for name, pattern in _PUBLISHER_MARKERS:
        score = 3.0 * len(pattern.findall(head)) + 3 * len(pattern.findall(tail))
        score += 0.5 * len(pattern.findall(text))
        match = pattern.search(head) or pattern.search(tail) or pattern.search(text)
        if match and (best is None or score > best[0]):
            best = (score, name, match.group(0))
    if best is None or best[0] < 2:
        return None, ""
    return best[1], f"text: '{best[2]}'"


def detect_years(text: str) -> list[tuple[str, int, str]]:
    """Find edition and covered year from title-like markers in `text`, most specific first."""
    head = text[:6000]
    out: list[tuple[str, int, str]] = []
    rules: tuple[tuple[str, str, int], ...] = (
        (rf"Report {_YEAR}/(\d{{2}})\b", "slash", 0),
        (rf"Amnesty International Report {_YEAR}\b", "edition", -1),
        (rf"World Report {_YEAR}\b", "edition", -1),
        (rf"{_YEAR}\s+Country Reports? on Human Rights Practices", "edition", 0),
        (rf"{_YEAR}\s*\n*\s*Human Rights Report\b", "edition", 0),
        (rf"Country Reports on Human Rights Practices\s*(?:[^\n]*\n){{0,6}}?\s*{_YEAR}\s*$", "edition", 0),
        (rf"Events of {_YEAR}\b", "covers", 0),
    )
    for pattern, kind, covers_shift in rules:
        m = re.search(pattern, head, re.MULTILINE)
        if not m:
            continue
        year = int(m.group(1))
        how = f"text: '{' '.join(m.group(0).split())}'"
        if kind == "slash":
            out.append(("edition", year + 1, how))
            out.append(("covers", year, how))
        elif kind == "edition":
            out.append(("edition", year, how))
            out.append(("covers", year + covers_shift, how))
        else:
            out.insert(0, ("covers", year, how))
    return out


def latest_year(text: str) -> int | None:
    """Return the latest plausible year mentioned at least twice in `text`."""
    years = [int(y) for y in re.findall(r"\b((?:19[5-9]|20[0-9])\d)\b", text)]
    counts: dict[int, int] = {}
    for y in years:
        counts[y] = counts.get(y, 0) + 1
    candidates = [y for y, n in counts.items() if n >= 2]
    return max(candidates) if candidates else None


def _country_from_title(title: str) -> str | None:
    """Extract a country name from a title such as "World Report 2014: North Korea"."""
    t = re.sub(r".*:\s*", "", title) if ":" in title else title
    t = re.sub(r"\b(?:19|20)\d{2}\b|\bHuman Rights Report\b|\|.*$", "", t).strip(" -\u2013")
    return t or None


def _str(value: object) -> str | None:
    return str(value) if value is not None else None


def _int(value: object) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
