"""Stage 5, topics: give each section a topic from the taxonomy in `data/topics.toml`.

A section's topic comes from its heading (rapidfuzz against each topic's aliases, numbering
stripped) and from its content (the topic's vocabulary), with a 0-100 score. A heading that
names a topic outright wins; otherwise heading and content are weighed together. Sections
without a body (outline headings such as "Section 2. Liberty") take the topic their heading
names, if any.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files

from rapidfuzz import fuzz, process

from comparer.model import Section
from comparer.textnorm import fold

HEADING_SURE = 85.0  # a heading this close to an alias names the topic outright
TOPIC_CUTOFF = 40.0  # below this combined score a section gets no topic
HEADING_NOISE = 70.0  # heading scores below this are chance resemblance
HEADING_ALONE = 70.0  # a section without a body needs a heading this close to an alias
_NUMBERING = re.compile(
    r"^(?:(?:section|part|chapter)\s+[0-9ivx]+\b[.:]?|[a-h]\.|[ivx]{1,4}\.|\d{1,2}(?:\.\d{1,2})*\.?)\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic of the taxonomy."""

    id: str
    label: str
    aliases: tuple[str, ...]
    keywords: tuple[str, ...]


@lru_cache(maxsize=1)
def taxonomy() -> tuple[Topic, ...]:
    """Load the topic taxonomy shipped with the package."""
    data = tomllib.loads(files("comparer").joinpath("data/topics.toml").read_text(encoding="utf-8"))
    return tuple(
        Topic(t["id"], t["label"], tuple(fold(a).lower() for a in t["aliases"]), tuple(t["keywords"]))
        for t in data["topic"]
    )


@lru_cache(maxsize=1)
def _index() -> tuple[list[str], list[int], dict[str, list[int]]]:
    """Aliases with their topic index, and keyword phrases (1-3 words) with their topics."""
    aliases: list[str] = []
    owners: list[int] = []
    by_keyword: dict[str, list[int]] = {}
    for i, topic in enumerate(taxonomy()):
        for alias in topic.aliases:
            aliases.append(alias)
            owners.append(i)
        for kw in topic.keywords:
            by_keyword.setdefault(" ".join(_WORD.findall(kw.lower())), []).append(i)
    return aliases, owners, by_keyword


_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@lru_cache(maxsize=1)
def _phrase_starts() -> frozenset[str]:
    """First words of the keyword phrases of two or more words."""
    return frozenset(k.split()[0] for k in _index()[2] if " " in k)


def topic_label(topic_id: str | None) -> str:
    """The human label of `topic_id`."""
    for topic in taxonomy():
        if topic.id == topic_id:
            return topic.label
    return "Other"


def clean_heading(heading: str) -> str:
    """`heading` folded, lower-cased, without its numbering or cross-references."""
    text = fold(heading).lower()
    text = _NUMBERING.sub("", text)
    text = re.sub(r"\((?:see|cf\.)[^)]*\)", "", text)
    return text.strip(" :.-")


def heading_scores(heading: str) -> list[float]:
    """Score (0-100) of `heading` against each topic: its best alias."""
    aliases, owners, _ = _index()
    scores = [0.0] * len(taxonomy())
    text = clean_heading(heading)
    if not text:
        return scores
    for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
        for _, score, k in process.extract(text, aliases, scorer=scorer, limit=8, score_cutoff=50):
            scores[owners[k]] = max(scores[owners[k]], float(score))
    return scores


def content_scores(text: str) -> list[float]:
    """Score (0-100) of section `text` against each topic by its vocabulary."""
    _, _, by_keyword = _index()
    hits: Counter[int] = Counter()
    words = _WORD.findall(text.lower())
    starts = _phrase_starts()
    # Count keywords: single words by lookup, phrases only where a phrase can start.
    for k, word in enumerate(words):
        owners = by_keyword.get(word)
        if owners:
            hits.update(owners)
        if word in starts:
            for n in (2, 3):
                owners = by_keyword.get(" ".join(words[k : k + n]))
                if owners:
                    hits.update(owners)
    scores = [0.0] * len(taxonomy())
    if not hits:
        return scores
    best = max(hits.values())
    confidence = min(1.0, best / 4)  # a keyword or two is not yet a topic
    for owner, n in hits.items():
        scores[owner] = 100.0 * n / best * confidence
    return scores


def classify(heading: str, text: str) -> tuple[str | None, float]:
    """Return the topic id and score (0-100) for a section with `heading` and body `text`."""
    topics = taxonomy()
    by_heading = heading_scores(heading)
    best = max(range(len(topics)), key=lambda k: by_heading[k])
    if by_heading[best] >= HEADING_SURE:
        return topics[best].id, round(by_heading[best], 1)
    by_content = content_scores(text) if text else [0.0] * len(topics)
    # A heading far from every alias says nothing about the topic; let the content decide.
    by_heading = [h if h >= HEADING_NOISE else 0.0 for h in by_heading]
    combined = [0.55 * h + 0.45 * c if text else h for h, c in zip(by_heading, by_content, strict=True)]
    best = max(range(len(topics)), key=lambda k: combined[k])
    if combined[best] < (TOPIC_CUTOFF if text else HEADING_ALONE):
        return None, round(combined[best], 1)
    return topics[best].id, round(combined[best], 1)


def assign_topics(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """Return `sections` each with its topic and topic score."""
    out = []
    for s in sections:
        if s.level == 1 and s.text:
            # A report's title or untitled opening is its summary.
            out.append(replace(s, topic="overview", topic_score=60.0))
            continue
        topic, score = classify(s.heading, s.text)
        out.append(replace(s, topic=topic, topic_score=score))
    return tuple(out)
