"""Build a benchmark archive: N countries x Y years x 3 publishers from real corpus text.

Each (country, publisher) series starts from real sections of that publisher's reports in the
shared corpus (State Department ~25k words, HRW ~3k, Amnesty ~2k) and is edited year over year
the way real editions change: figures that change, reworded sentences, moved paragraphs,
paragraphs dropped and added (from the same publisher's real text). Output is deterministic
(string seeds, sorted inputs) and goes below the git-ignored `bench/data/`.

Run: .venv/bin/python bench/archive.py --countries 70 --years 10   # ~2,100 reports, ~21M words
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, DATA

# Publisher -> (corpus file glob, target words per report, title pattern with {country} {year}).
PUBLISHERS: dict[str, tuple[str, int, str]] = {
    "state-dept": (
        "*/state-dept-*.txt",
        25_000,
        "{country} {year} Country Reports on Human Rights Practices",
    ),
    "hrw": ("*/hrw-*.txt", 3_000, "{country}\nWorld Report {edition}\nEvents of {year}"),
    "amnesty": ("*/amnesty-*.txt", 2_000, "{country}\nAmnesty International Report {edition}"),
}
EDIT_SHARE = 0.06  # share of paragraphs touched by each kind of edit, per year
MIN_PARA_WORDS = 12  # shorter blocks are headings, captions or fact-box lines


@dataclass(frozen=True, slots=True)
class RealSection:
    """A heading of a real report and its paragraphs."""

    heading: str
    paragraphs: tuple[str, ...]


def real_sections(glob: str) -> list[RealSection]:
    """Sections with body text from the corpus files matching `glob`, in a fixed order."""
    from comparer.api import read_report

    found: list[RealSection] = []
    for path in sorted(CORPUS.glob(glob)):
        for section in read_report(path).sections:
            paras = tuple(p.text for p in section.paragraphs if len(p.text.split()) >= MIN_PARA_WORDS)
            if paras and section.heading:
                found.append(RealSection(section.heading, paras))
    if not found:
        sys.exit(f"no corpus text for {glob} under {CORPUS}")
    return found


def first_edition(pool: list[RealSection], words: int, rng: random.Random) -> list[RealSection]:
    """Real sections drawn from `pool` until the report has about `words` words."""
    chosen: list[RealSection] = []
    count = 0
    while count < words:
        section = rng.choice(pool)
        chosen.append(section)
        count += sum(len(p.split()) for p in section.paragraphs)
    return chosen


def _bump(match: re.Match[str], rng: random.Random) -> str:
    """A figure as next year's edition might give it."""
    value = int(match.group(0).replace(",", ""))
    if 1900 <= value <= 2100:  # years stay years
        return match.group(0)
    new = max(0, value + rng.choice((-3, -1, 1, 2, 5, value // 4 or 1)))
    return f"{new:,}" if "," in match.group(0) else str(new)


def next_edition(
    sections: list[RealSection], pool: list[RealSection], rng: random.Random
) -> list[RealSection]:
    """Next year's report: figures changed, sentences reworded, paragraphs moved, dropped, added."""
    paras = [list(s.paragraphs) for s in sections]
    flat = [(i, j) for i, ps in enumerate(paras) for j in range(len(ps))]
    k = max(1, int(len(flat) * EDIT_SHARE))
    for i, j in rng.sample(flat, k):
        paras[i][j] = re.sub(r"\b\d[\d,]*\b", lambda m: _bump(m, rng), paras[i][j], count=1)
    for i, j in rng.sample(flat, k):
        sentences = re.split(r"(?<=[.!?])\s+", paras[i][j])
        if len(sentences) > 1:
            sentences.pop(rng.randrange(len(sentences)))
            paras[i][j] = " ".join(sentences)
    for i, j in sorted(rng.sample(flat, k // 2), reverse=True):  # moves
        if len(paras[i]) > 1:
            moved = paras[i].pop(j)
            target = paras[rng.randrange(len(paras))]
            target.insert(rng.randrange(len(target) + 1), moved)
    for i, j in sorted(rng.sample(flat, k // 2), reverse=True):  # deletions
        if j < len(paras[i]) and len(paras[i]) > 1:
            paras[i].pop(j)
    for _ in range(k // 2):  # insertions of real text of the same publisher
        donor = rng.choice(pool)
        target = paras[rng.randrange(len(paras))]
        target.insert(rng.randrange(len(target) + 1), rng.choice(donor.paragraphs))
    return [RealSection(s.heading, tuple(ps)) for s, ps in zip(sections, paras, strict=True)]


def render(publisher: str, country: str, year: int, sections: list[RealSection]) -> str:
    """The report as plain text with its title lines and headings."""
    title = PUBLISHERS[publisher][2].format(country=country, year=year, edition=year + 1)
    lines = [title, ""]
    for section in sections:
        lines += [section.heading, ""]
        for para in section.paragraphs:
            lines += [para, ""]
    return "\n".join(lines)


def build_archive(root: Path, *, countries: int, years: int, first_year: int = 2010) -> int:
    """Write the archive below `root` with its `catalog.toml`; return the number of reports."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    catalog: list[str] = []
    for publisher, (glob, words, _) in PUBLISHERS.items():
        pool = real_sections(glob)
        for c in range(1, countries + 1):
            country = f"Country {c:03d}"
            rng = random.Random(f"{publisher}/{country}")
            sections = first_edition(pool, words, rng)
            for year in range(first_year, first_year + years):
                if year > first_year:
                    sections = next_edition(sections, pool, rng)
                name = f"country-{c:03d}/{publisher}-{year + 1}.txt"
                (root / name).parent.mkdir(exist_ok=True)
                (root / name).write_text(render(publisher, country, year, sections), encoding="utf-8")
                catalog.append(
                    f'[[report]]\nfile = "{name}"\ncountry = "{country}"\npublisher = "{publisher}"\n'
                    f"edition = {year + 1}\ncovers = {year}\n"
                )
    (root / "catalog.toml").write_text("\n".join(catalog), encoding="utf-8")
    return len(catalog)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=70)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or DATA / f"archive-{args.countries}x{args.years}"
    n = build_archive(out, countries=args.countries, years=args.years)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in out.rglob("*.txt"))
    print(f"{out}: {n} reports, {words:,} words")


if __name__ == "__main__":
    main()
