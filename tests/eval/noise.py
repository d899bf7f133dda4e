"""Noise that is formatting, never content: every kind must give zero changes.

For a report given as plain text (and, where it exists, as the original web page), each
noise kind makes a second copy that differs only in formatting: the page against its text,
re-wrapped lines, paragraphs glued into one line (with no space, with one space, with
every third block left out first, so blocks meet other neighbours, and with headings written
in capitals first, so no case change shows where a heading ends), the page with site chrome
and its text as a scraper glues it into one line (chrome and all), CRLF line ends, no-break
spaces, soft hyphens, zero-width spaces, ligatures, a PDF made from the text, and the page
with site chrome (navigation, cookie banner, breadcrumbs, share links, footer) around it.
Comparing the two must report no changed passage and no fact change.

Beyond the HRW chapters, Amnesty and State Dept text dumps of the corpus are tried as they
were converted (no page: a page is made from the read report for `nav`). Six of them are the
development set (`DEV_DUMPS`, where false alarms were looked at); the held-out set is chosen by
a rule, never by looking (`heldout_dumps`: every 4th of the other dumps by sorted name), and
its failures are counted, not inspected, while developing. The dumps in neither set (`train_dumps`)
are free to look at, like the development six.

Run as a script to print, per kind, the pairs tried and the false alarms:
    .venv/bin/python -m tests.eval.noise            # bundled reports only
    .venv/bin/python -m tests.eval.noise --corpus   # plus every HRW chapter of the shared corpus (conftest.CORPUS)
    .venv/bin/python -m tests.eval.noise --dumps dev       # the six development dumps only
    .venv/bin/python -m tests.eval.noise --dumps heldout   # the held-out dumps only
    .venv/bin/python -m tests.eval.noise --dumps train     # the dumps in neither set (free to look at)
    .venv/bin/python -m tests.eval.noise --dumps bundled   # the dumps of tests/data/corpus in neither set
    .venv/bin/python -m tests.eval.noise --corpus -v wrap pdf   # some kinds, with what was reported
"""

from __future__ import annotations

import html
import re
import sys
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from comparer.api import build_report, compare_reports
from comparer.ingest import read_bytes
from comparer.model import Comparison, Report
from comparer.textnorm import fold
from tests.conftest import BUNDLED_CORPUS, CORPUS
from tests.pdfmaker import FURNITURE, UNICODE_FONT, make_pdf

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "reports" / "north-korea").glob("*.txt"))
# The development dumps: one Amnesty or State Dept text of each of six countries.
DEV_DUMPS = (
    "belarus/amnesty-2013",
    "cuba/state-dept-2024",
    "iran/amnesty-2013",
    "myanmar/state-dept-2024",
    "russia/state-dept-2024",
    "venezuela/state-dept-2024",
)
HELDOUT_EVERY = 4
THIN_EVERY = 3  # `flatten-thinned` leaves out every third block
# Dumps that ship with the repository (tests/data/corpus), in neither set: the default suite's
# check of dumps on a fresh clone (a PDF dump with scrambled columns, a hard-wrapped 2002 text,
# a modern State Dept report).
BUNDLED_DUMPS = ("north-korea/amnesty-2013", "eritrea/state-dept-2002", "eritrea/state-dept-2023")


@dataclass(frozen=True)
class Source:
    """One report as plain text, and as its original web page when there is one."""

    name: str
    text: str
    page: str | None = None  # the original web page
    made_page: str | None = None  # a page made from the read text, where there is no original
    clean: str | None = None  # the read text (headings, paragraphs), where `text` is a raw dump


@dataclass(frozen=True)
class Outcome:
    """What one noisy pair reported: changed passages and fact changes (all false alarms)."""

    kind: str
    source: str
    changed: tuple[str, ...]
    facts: tuple[str, ...]


def corpus_sources(root: Path = CORPUS) -> list[Source]:
    """Every chapter of `root` that exists both as `.html` and as `.txt`."""
    out: list[Source] = []
    for page in sorted(root.glob("*/*.html")):
        text = page.with_suffix(".txt")
        if text.exists():
            out.append(
                Source(
                    f"{page.parent.name}/{page.stem}",
                    text.read_text(encoding="utf-8"),
                    page.read_text(encoding="utf-8"),
                )
            )
    return out


def _dump_names(root: Path) -> list[str]:
    return sorted(
        f"{p.parent.name}/{p.stem}"
        for pattern in ("*/amnesty-*.txt", "*/state-dept-*.txt")
        for p in root.glob(pattern)
    )


def heldout_dumps(root: Path = CORPUS) -> list[str]:
    """The held-out dumps: every `HELDOUT_EVERY`-th Amnesty or State Dept text of `root` by sorted
    name, the development dumps left out first."""
    rest = [n for n in _dump_names(root) if n not in DEV_DUMPS]
    return rest[::HELDOUT_EVERY]


def train_dumps(root: Path = CORPUS) -> list[str]:
    """The dumps free to look at beyond the development six: neither development nor held out."""
    heldout = set(heldout_dumps(root))
    return [n for n in _dump_names(root) if n not in DEV_DUMPS and n not in heldout]


def dump_sources(names: list[str] | tuple[str, ...], root: Path = CORPUS) -> list[Source]:
    """The text dumps `names` of `root` as converted, each with a page made from its read report."""
    out: list[Source] = []
    for name in names:
        path = root / f"{name}.txt"
        if path.exists():
            report = _read(path.read_bytes(), path.name)
            text = path.read_text(encoding="utf-8")
            out.append(Source(name, text, made_page=_page_of(report, path.stem), clean=_text_of(report)))
    return out


def _text_of(report: Report) -> str:
    """`report` as clean text: its headings and paragraphs, a blank line between each."""
    doc = [(s.heading, [p.text for p in s.paragraphs]) for s in report.sections]
    return "\n\n".join(x for h, ps in doc for x in ([h] if h else []) + ps) + "\n"


def _page_of(report: Report, title: str) -> str:
    body = "".join(
        (f"<h{min(s.level, 6)}>{html.escape(s.heading)}</h{min(s.level, 6)}>" if s.heading else "")
        + "".join(f"<p>{html.escape(p.text)}</p>" for p in s.paragraphs)
        for s in report.sections
    )
    return f"<!DOCTYPE html><html><head><title>{html.escape(title)}</title></head><body>{body}</body></html>"


def bundled_sources() -> list[Source]:
    """The bundled reports as clean text (headings and paragraphs), with a page made from it."""
    out: list[Source] = []
    for path in BUNDLED:
        report = _read(path.read_bytes(), path.name)
        out.append(Source(f"reports/{path.stem}", _text_of(report), _page_of(report, path.stem)))
    return out


def _read(data: bytes, name: str) -> Report:
    return build_report(read_bytes(data, name=name), report_id=Path(name).stem, catalog=None)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]


def _words_in(text: str, every: int, change: Callable[[str], str]) -> str:
    """Apply `change` to every `every`-th word of `text` (deterministic)."""
    count = 0

    def one(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return change(m.group()) if count % every == 0 else m.group()

    return re.sub(r"[A-Za-z]{8,}", one, text)


def _chrome(style: int) -> tuple[str, str]:
    """Site chrome around a page, as three different sites would write it."""
    if style == 0:
        return (
            "<header><a href='/'>Rights Monitor</a><nav><ul><li><a href='/'>Home</a></li>"
            "<li><a href='/about'>About Us</a></li><li><a href='/countries'>Countries</a></li>"
            "<li><a href='/donate'>Donate</a></li></ul></nav></header>"
            "<div id='cookie-consent'><p>We use cookies to improve your experience on our site. "
            "By continuing to browse you agree to our use of cookies.</p><button>Accept</button></div>"
            "<main>",
            "</main><aside><h3>Related Reports</h3><ul><li><a href='/a'>Annual overview</a></li>"
            "<li><a href='/b'>Country profiles</a></li></ul></aside>"
            "<footer><p>Contact</p><p>Privacy</p><p>Terms of use</p></footer>",
        )
    if style == 1:
        return (
            "<div class='site-header'><div class='logo'>World Watch Online</div>"
            "<div class='breadcrumb'><a href='/'>Home</a> &gt; <a href='/r'>Reports</a> &gt; "
            "<a href='/r/2001'>2001</a></div></div>"
            "<div class='share-tools'><a href='#'>Facebook</a> <a href='#'>Twitter</a> "
            "<a href='#'>Email</a></div><div class='content'>",
            "</div><div class='newsletter-signup'><p>Get our weekly updates in your inbox</p>"
            "<form><input name='email'><button>Subscribe</button></form></div>"
            "<div class='site-footer'><p>Contact the press office</p></div>",
        )
    return (
        "<div role='banner'><span>Monitor Network</span></div>"
        "<div role='navigation'><a href='/'>Front page</a> | <a href='/news'>News</a> | "
        "<a href='/topics'>Topics</a></div>"
        "<div class='gdpr-notice' role='dialog'><p>This website stores data such as cookies to enable "
        "essential site functionality. You may change your settings at any time.</p></div>"
        "<div role='main'>",
        "</div><div role='complementary'><p>Most read this week</p></div>"
        "<div role='contentinfo'><p>Published by Monitor Network</p></div>",
    )


def _with_chrome(page: str, style: int) -> str:
    top, bottom = _chrome(style)
    m = re.search(r"<body[^>]*>", page, re.IGNORECASE)
    end = page.lower().rfind("</body>")
    if not m or end < 0:
        return top + page + bottom
    return page[: m.end()] + top + page[m.end() : end] + bottom + page[end:]


def _printable(text: str) -> bool:
    if UNICODE_FONT.exists():
        return True
    return all(ord(c) < 256 for c in fold(text))


def _c1_repaired(text: str) -> str:
    """Windows-1252 punctuation that a wrong decoding left as C1 controls, as the author wrote it."""
    return re.sub(r"[\x80-\x9f]", lambda m: m.group().encode("latin-1").decode("cp1252", "replace"), text)


def _pdf(source: Source) -> bytes:
    report = _read(source.text.encode("utf-8"), "text.txt")
    title = report.sections[0].heading if report.sections and report.sections[0].level == 1 else ""
    sections = [
        (s.heading if not (k == 0 and title) else "", [_c1_repaired(p.text) for p in s.paragraphs])
        for k, s in enumerate(report.sections)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        font = UNICODE_FONT if UNICODE_FONT.exists() else None
        # page furniture as real reports print it, in one of three shapes (by the source's name)
        out = make_pdf(
            title,
            sections,
            Path(tmp) / "report.pdf",
            running_header="Annual Report",
            unicode_font=font,
            furniture=FURNITURE[len(source.name) % len(FURNITURE)],
        )
        return out.read_bytes()


# kind -> (old as (bytes, name), new as (bytes, name)); None where the source lacks what it needs
Maker = Callable[[Source], tuple[tuple[bytes, str], tuple[bytes, str]] | None]


def _txt(text: str) -> tuple[bytes, str]:
    return text.encode("utf-8"), "text.txt"


def _page(page: str, name: str = "page.html") -> tuple[bytes, str]:
    return page.encode("utf-8"), name


def _wrapped(text: str) -> str:
    return "\n\n".join(textwrap.fill(p, 70) for p in _paragraphs(text)) + "\n"


def _flat(text: str, glue: str = "") -> str:
    return glue.join(_paragraphs(text)) + "\n"


def _thinned(source: Source) -> tuple[str, str]:
    """A page and clean text of `source` with every `THIN_EVERY`-th block left out (headings
    too): its blocks meet other neighbours than in the report, as a flattened page glues them."""
    blocks = _paragraphs(source.clean or source.text)
    kept = "\n\n".join(b for k, b in enumerate(blocks) if k % THIN_EVERY != THIN_EVERY - 1) + "\n"
    report = _read(kept.encode("utf-8"), "text.txt")
    return _page_of(report, "thinned"), _text_of(report)


def _capped(source: Source) -> tuple[str, str]:
    """A page and clean text of `source` with every heading written in capitals ("SECTION 1.
    RESPECT FOR THE INTEGRITY OF THE PERSON"), as some sites style them: glued into one line,
    capitals show no case change where a heading meets the next."""
    report = _read((source.clean or source.text).encode("utf-8"), "text.txt")
    doc = [(s.heading.upper() if s.heading else "", [p.text for p in s.paragraphs]) for s in report.sections]
    text = "\n\n".join(x for h, ps in doc for x in ([h] if h else []) + ps) + "\n"
    capped = _read(text.encode("utf-8"), "text.txt")
    return _page_of(capped, "capped"), _text_of(capped)


def _scraped(page: str) -> str:
    """The text of `page` as a scraper writes it: every text node of the body in one line, one
    space between (BeautifulSoup's `get_text(" ")`), scripts and styles left out."""
    soup = BeautifulSoup(page, "html.parser")
    for tag in soup(["head", "script", "style", "noscript", "template"]):
        tag.decompose()
    return " ".join(soup.get_text(" ", strip=True).split()) + "\n"


# A raw dump breaks paragraphs with single newlines: re-wrapping or gluing its blank-line
# blocks would merge headings into text (a change of structure, not of formatting), so those
# two kinds use its read text (`clean`), and flattening compares it with the page made from it.
MAKERS: dict[str, Maker] = {
    "page-text": lambda s: (_page(s.page), _txt(s.text)) if s.page else None,
    "wrap": lambda s: (_txt(s.clean or s.text), _txt(_wrapped(s.clean or s.text))),
    "flatten": lambda s: (
        (_page(page), _txt(_flat(s.clean or s.text))) if (page := s.page or s.made_page) else None
    ),
    # paragraphs glued with one space: no glue point shows where a block ends
    "flatten-space": lambda s: (
        (_page(page), _txt(_flat(s.clean or s.text, " "))) if (page := s.page or s.made_page) else None
    ),
    # the page with site chrome, and its text as a scraper glues it, chrome and all
    "scrape": lambda s: (
        (_page(chromed), _txt(_scraped(chromed)))
        if (page := s.page or s.made_page) and (chromed := _with_chrome(page, len(s.name) % 3))
        else None
    ),
    "flatten-thinned": lambda s: (_page((made := _thinned(s))[0]), _txt(_flat(made[1]))),
    # headings in capitals, then glued into one line
    "flatten-caps": lambda s: (_page((made := _capped(s))[0]), _txt(_flat(made[1]))),
    "crlf": lambda s: (_txt(s.text), _txt(s.text.replace("\r\n", "\n").replace("\n", "\r\n"))),
    "nbsp": lambda s: (_txt(s.text), _txt(re.sub(r"(?<=\b\w{2}) ", "\u00a0", s.text))),
    "soft-hyphen": lambda s: (_txt(s.text), _txt(_words_in(s.text, 2, lambda w: w[:4] + "\u00ad" + w[4:]))),
    "zero-width": lambda s: (_txt(s.text), _txt(_words_in(s.text, 3, lambda w: w[:3] + "\u200b" + w[3:]))),
    "ligature": lambda s: (
        _txt(s.text),
        _txt(s.text.replace("ffi", "\ufb03").replace("fi", "\ufb01").replace("fl", "\ufb02")),
    ),
    # Without a Unicode font the PDF can only show Latin-1: then only such texts are tried.
    "pdf": lambda s: (_txt(s.text), (_pdf(s), "report.pdf")) if _printable(s.text) else None,
    "nav": lambda s: (
        (_page(page), _page(_with_chrome(page, len(s.name) % 3), "saved.html"))
        if (page := s.page or s.made_page)
        else None
    ),
}
KINDS = list(MAKERS)


def false_alarms(comparison: Comparison) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Changed passages and fact changes of `comparison` (for noise, every one is false)."""
    changed = tuple(
        f"{p.status}: {((p.old or p.new).text if (p.old or p.new) else '')[:70]!r}"  # type: ignore[union-attr]
        for p in comparison.passages
        if p.status != "unchanged"
    )
    facts = tuple(
        f"{f.status} {f.kind}: {(f.old or f.new).text if (f.old or f.new) else ''!r}"  # type: ignore[union-attr]
        for f in comparison.facts
        if f.status != "unchanged"
    )
    return changed, facts


def run(kind: str, source: Source) -> Outcome | None:
    """Compare `source` with its `kind` noise; None when the source cannot have that noise."""
    made = MAKERS[kind](source)
    if made is None:
        return None
    (old_data, old_name), (new_data, new_name) = made
    comparison = compare_reports(_read(old_data, old_name), _read(new_data, new_name))
    changed, facts = false_alarms(comparison)
    return Outcome(kind, source.name, changed, facts)


def evaluate(sources: list[Source], kinds: list[str] = KINDS) -> dict[str, list[Outcome]]:
    """Every kind on every source that can have it."""
    out: dict[str, list[Outcome]] = {}
    for kind in kinds:
        out[kind] = [o for o in (run(kind, s) for s in sources) if o is not None]
    return out


def _sources(argv: list[str]) -> tuple[list[Source], list[str]]:
    """The sources the command line asks for, and the rest of its words."""
    rest = list(argv)
    dumps = None
    if "--dumps" in rest:
        at = rest.index("--dumps")
        dumps = rest[at + 1] if at + 1 < len(rest) else ""
        del rest[at : at + 2]
        if dumps not in ("dev", "train", "heldout", "bundled"):
            raise SystemExit("Error: --dumps takes dev, train, heldout or bundled")
    if dumps == "dev":
        return dump_sources(DEV_DUMPS), rest
    if dumps == "bundled":
        return dump_sources(BUNDLED_DUMPS, BUNDLED_CORPUS), rest
    if dumps == "heldout":
        return dump_sources(heldout_dumps()), rest
    if dumps == "train":
        return dump_sources(train_dumps()), rest
    return bundled_sources() + (corpus_sources() if "--corpus" in rest else []), rest


def main(argv: list[str]) -> None:
    sources, argv = _sources(argv)
    print(f"{len(sources)} sources: {', '.join(s.name for s in sources)}")
    verbose = "-v" in argv
    kinds = [a for a in argv if not a.startswith("-")] or KINDS
    for kind, outcomes in evaluate(sources, kinds).items():
        bad = [o for o in outcomes if o.changed or o.facts]
        print(
            f"{kind:12} pairs {len(outcomes):>3}  with false alarms {len(bad):>3}  "
            f"changed passages {sum(len(o.changed) for o in outcomes):>4}  "
            f"fact changes {sum(len(o.facts) for o in outcomes):>4}"
        )
        if verbose:
            for o in bad:
                print(f"    {o.source}: {o.changed[:3]} {o.facts[:2]}")


if __name__ == "__main__":
    main(sys.argv[1:])
