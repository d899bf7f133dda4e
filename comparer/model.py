"""The typed data model shared by every pipeline stage.

All values are frozen dataclasses with tuples, so stages can share them safely.
Spans are half-open character offsets (`start`, `end`) into `Report.text`.
Scores are 0-100 (RapidFuzz scale); ratios are 0-1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

PassageStatus = Literal["unchanged", "modified", "moved", "added", "removed"]
SectionStatus = Literal["matched", "added", "removed"]
FactKind = Literal["count", "range", "percent", "money", "date", "list", "name"]
FactStatus = Literal["changed", "added", "removed", "unchanged"]
DiffOp = Literal["=", "-", "+"]
_SENTENCE_MEMO = 16384  # paragraphs whose sentences are kept (~1 KB each; sentences are immutable)
_WORD_COUNT_MEMO = 65536  # paragraphs whose word count is kept (their texts are keys of split_sentences too)


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of a document as a reader found it: a heading, a paragraph or a list item.

    `removed` holds the reason when the block is boilerplate; `level` is a markup heading
    level (1-6) when the source said so (HTML `h1`-`h6`, Markdown `#`), else 0.
    """

    text: str
    kind: Literal["para", "heading", "item"] = "para"
    level: int = 0
    removed: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence inside a paragraph, with offsets into `Report.text`."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of a section; `footnotes` are the footnote markers written in its text."""

    id: str
    text: str
    start: int
    end: int
    footnotes: tuple[str, ...] = ()

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """The paragraph's sentences, with offsets into `Report.text` (split on demand)."""
        return _sentences(self.text, self.start)

    @property
    def n_words(self) -> int:
        """Number of words in the paragraph."""
        return _word_count(self.text)


@lru_cache(maxsize=_WORD_COUNT_MEMO)
def _word_count(text: str) -> int:
    """Words of paragraph `text`, memoised: sections and reports sum them again on every use."""
    return len(text.split())


@lru_cache(maxsize=_SENTENCE_MEMO)
def _sentences(text: str, start: int) -> tuple[Sentence, ...]:
    """The sentences of paragraph `text` starting at offset `start`, memoised: reading its facts,
    aligning, refining, diffing and finding facts again each ask for a paragraph's sentences."""
    from comparer.sentences import split_sentences

    return tuple(Sentence(text[a:b], start + a, start + b) for a, b in split_sentences(text))


@dataclass(frozen=True, slots=True)
class Section:
    """A heading with the paragraphs that follow it up to the next heading."""

    id: str
    heading: str
    level: int
    path: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]
    start: int
    end: int
    topic: str | None = None
    topic_score: float = 0.0  # 0-100

    @property
    def text(self) -> str:
        """The section's body text, paragraphs separated by blank lines."""
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def n_words(self) -> int:
        """Number of words in the section body."""
        return sum(p.n_words for p in self.paragraphs)


@dataclass(frozen=True, slots=True)
class Removed:
    """A span of the document that was dropped as boilerplate, kept so an editor can audit it."""

    text: str
    reason: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Metadata:
    """What is known about a report, and `sources`: for each field, how it is known."""

    country: str | None = None
    publisher: str | None = None
    series: str | None = None
    edition: int | None = None
    covers: int | None = None
    title: str | None = None
    sources: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    """One report as read: its document text, metadata, sections and removed boilerplate."""

    id: str
    path: str
    sha256: str
    format: str  # "text", "markdown", "html" or "pdf"
    encoding: str
    text: str
    metadata: Metadata
    sections: tuple[Section, ...]
    removed: tuple[Removed, ...]
    notes: tuple[str, ...] = ()  # repairs made while reading, and what libraries warned about

    @property
    def n_words(self) -> int:
        """Words in the kept body: headings and paragraphs."""
        return sum(s.n_words + len(s.heading.split()) for s in self.sections)

    def paragraphs(self) -> tuple[Paragraph, ...]:
        """Every paragraph of the report in document order."""
        return tuple(p for s in self.sections for p in s.paragraphs)


@dataclass(frozen=True, slots=True)
class SectionPair:
    """Two sections paired by alignment, or one with no partner (added/removed)."""

    status: SectionStatus
    old: Section | None
    new: Section | None
    score: float  # 0-100
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class PassageMatch:
    """One passage's fate between two reports, with its word diff when it changed."""

    id: str
    status: PassageStatus
    old: Paragraph | None
    new: Paragraph | None
    old_section: Section | None
    new_section: Section | None
    score: float  # 0-100
    diff: tuple[tuple[DiffOp, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Fact:
    """A claim found in a sentence: what kind, about what, which value, quoted where."""

    id: str
    kind: FactKind
    subject: str
    value: float | tuple[float, float] | tuple[str, ...]
    unit: str | None
    text: str  # the matched words as written
    sentence: str
    qualifier: str | None = None
    year: int | None = None  # the year the figure is about, when the sentence says
    section: str | None = None
    head: str = ""  # the counted noun, lemmatised ("citizen", "age of girl"): the claim's identity
    event: str | None = None  # what happened to what is counted ("arrest", "custody"), when said
    alt: tuple[float, str] | None = None  # the same amount in a second currency: (value, code)
    scope: str | None = None  # "total" for a running total ("in total", "since 2010"), else None

    @property
    def noun(self) -> str:
        """The counted noun without its modifier: head "station|radio" -> "station"."""
        return self.head.split("|", 1)[0]


@dataclass(frozen=True, slots=True)
class FactChange:
    """A fact compared between two reports."""

    status: FactStatus
    kind: FactKind
    subject: str
    old: Fact | None
    new: Fact | None
    removed_items: tuple[str, ...] = ()  # list items only in the old list, as written there
    added_items: tuple[str, ...] = ()  # list items only in the new list, as written there

    @property
    def items_note(self) -> str:
        """What a list lost and gained, as written: "dropped: No. 15 in Yodok; added: No. 18"."""
        parts = [f"{label}: {', '.join(items)}" for label, items in
                 (("dropped", self.removed_items), ("added", self.added_items)) if items]  # fmt: skip
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim as several reports state it, and whether they agree.

    `status` is "consistent" (values equal or compatible), "changed" (they differ between
    reports that cover different years) or "conflict" (they differ for the same year).
    """

    id: str
    subject: str
    kind: FactKind
    status: Literal["consistent", "changed", "conflict"]
    values: tuple[tuple[Report, Fact], ...]
    notes: tuple[str, ...] = ()

    @property
    def consistent(self) -> bool:
        """Whether every pair of values agrees."""
        return self.status == "consistent"


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything `compare` found between an old and a new report."""

    old: Report
    new: Report
    sections: tuple[SectionPair, ...]
    passages: tuple[PassageMatch, ...]
    facts: tuple[FactChange, ...]
    tool_version: str = ""


# --- a tracked collection (`comparer track`): what `track` builds and `render.site_report` shows ---


@lru_cache(maxsize=1 << 16)  # a site asks for each report's slug dozens of times
def slug(text: str) -> str:
    """`text` as a file or folder name: lower-case letters and digits joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "report"


@dataclass(frozen=True, slots=True)
class Entry:
    """A report of the collection, as the site needs it (cached as JSON)."""

    id: str
    path: str
    sha256: str
    country: str
    publisher: str
    edition: int | None
    covers: int | None
    title: str
    words: int
    topics: dict[str, int]  # topic -> words

    @property
    def slug(self) -> str:
        """The report id as a file name."""
        return slug(self.id)


@dataclass(frozen=True, slots=True)
class Pair:
    """A planned comparison of two entries."""

    old: Entry
    new: Entry
    kind: Literal["year over year", "side by side", "same edition"]

    @property
    def page(self) -> str:
        """The comparison page's file name, relative to the country folder."""
        return f"{self.old.slug}__{self.new.slug}.html"


@dataclass(frozen=True, slots=True)
class PairStats:
    """What the site shows of one comparison: passages per topic and status, fact changes."""

    topics: dict[str, dict[str, int]]  # topic -> passage status -> passages
    facts_changed: int
    key: str = ""  # the cache key of the comparison page
    digest: str = ""  # the sha256 of the page's HTML (as cached, before review marks)

    @property
    def n_changed(self) -> int:
        """Passages not unchanged, over every topic."""
        return sum(n for counts in self.topics.values() for s, n in counts.items() if s != "unchanged")


@dataclass(frozen=True, slots=True)
class ConflictSummary:
    """A claim in conflict, as the summary lists it: its subject and each report's value."""

    subject: str
    values: tuple[tuple[str, str], ...]  # (report id, value as written)


@dataclass(frozen=True, slots=True)
class Failure:
    """A report (or comparison) left out of the site: `label` is its id, `message` the error."""

    label: str
    message: str  # with the file's path, for the terminal
    problem: str  # without it, for pages (which name the report by its id)

    @classmethod
    def of(cls, label: str, path: str, message: str) -> Failure:
        """A failure of `label` whose `message` may start with `path`."""
        return cls(label, message, message.removeprefix(f"{path}: "))


@dataclass
class SiteResult:
    """What a `track` run found and did: for the site's pages, the CLI's summary and tests."""

    entries: list[Entry] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    pair_stats: dict[str, PairStats] = field(default_factory=dict)  # by Pair.page
    conflicts: dict[str, list[ConflictSummary]] = field(default_factory=dict)  # by country
    changed_claims: dict[str, int] = field(default_factory=dict)  # by country
    cache_hits: int = 0
    cache_misses: int = 0
    cache_note: str | None = None
    pages: int = 0  # pages of the site
    pages_written: int = 0  # of them, written by this run (the rest were kept as they were)
    failures: list[Failure] = field(default_factory=list)  # reports that could not be read
    pruned: int = 0
