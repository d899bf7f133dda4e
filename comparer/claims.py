"""Stage 9, claims: link the same claim across any number of reports and judge consistency.

Facts of different reports are linked when they count the same thing in the same context:
their subjects (the counted noun phrase) and the salient words of their sentence and the one
before it (weighted by rarity across the collection, crudely stemmed so "detainees",
"detained" and "detention" meet, "kwan-li-so" and "kwanliso" too) agree; the figure's own
words ("dozens", "six") are no context, its value is compared apart. Shared figures add
evidence. Facts that say which year they are about are linked only to facts about that year.

Values of one claim are compared pairwise:
- equal: the same value;
- compatible: a count inside a range or bound, a count equal to a list's length, overlapping
  ranges ("80,000-120,000" and "up to 120,000");
- otherwise they differ: a *conflict* when the reports cover the same year, a *change* when
  they cover different years (HRW 2014: 17 abductees; HRW 2019: 12).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import PurePath
from typing import Literal

from rapidfuzz import fuzz

from comparer import facts as facts_mod
from comparer.facts import pairing, quantities
from comparer.facts.context import STOP, same_head
from comparer.model import Claim, Fact, Report

LINK_CUTOFF = 0.75  # similarity (0-1) at which two facts are one claim
HEAD_MATCH = 0.8  # subject similarity (0-1) of two facts that count the same lemmatised noun
SAME_KIND_BONUS = 0.15
# A link that would make a conflict (values differ for the same covered year) needs this much
# similarity: a disagreement is more often two different claims than one claim told two ways.
CONFLICT_EVIDENCE = 0.8
ClaimStatus = Literal["consistent", "changed", "conflict"]
# The shared stop words, and words every report uses whatever it counts.
_STOP = STOP | frozenset(
    "year years said reported according report reports government north south people number least "
    "estimated".split()
)
_SALIENT_MEMO = 65536  # fact contexts whose salient words are kept (~1 KB each)
_SUFFIXES = (
    "ments", "ment", "ings", "ing", "ees", "ee", "ers", "er", "ions", "ion", "ed", "es", "s",
)  # fmt: skip


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem: lower case, hyphens dropped, a common suffix cut."""
    w = word.lower().replace("-", "").replace("\u2019", "").replace("'", "")
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


# Words that reports use for the same thing, by concept. General vocabulary of human rights
# reporting, not any one report's phrasing: publishers count "detainees", "prisoners" or
# "people imprisoned" in "kwanliso", "political prison camps" or "labor camps".
_CONCEPTS = {
    "prisoner": "prison prisoner detain detainee inmate imprison incarcerat jail held convict",
    "camp": "camp kwanliso kyohwaso gulag colony",
    "defector": "defector escapee defect escap fled flee",
    "refugee": "refugee asylum displac migrant",
    "abductee": "abduct abductee kidnap",
    "execution": "execut execution executed death-sentence",
    "killing": "kill killed death dead died murder",
    "journalist": "journalist reporter blogger",
    "arrest": "arrest arrested detention",
    "citizen": "citizen national",
}
_CONCEPT_OF = {stem(w): name for name, words in _CONCEPTS.items() for w in words.split()}


def salient(text: str) -> set[str]:
    """Stems of the content words of `text`, with synonyms mapped to one concept."""
    return set(_salient(text))  # a fresh set: callers take differences of it


@lru_cache(maxsize=_SALIENT_MEMO)
def _salient(text: str) -> tuple[str, ...]:
    """The distinct words of `salient(text)` in reading order, memoised: editions repeat their
    sentences, and a report's facts are linked again in every comparison and on its facts page."""
    out: dict[str, None] = {}
    for w in re.findall(r"[A-Za-z][\w\u2019'-]+", text):
        if w.lower() in _STOP or len(w) <= 2:
            continue
        st = stem(w)
        out[_CONCEPT_OF.get(st, st)] = None
    return tuple(out)


@dataclass(slots=True)
class _Item:
    report: Report
    number: int  # the report's place in canonical order
    fact: Fact
    subject: set[str]
    context: set[str]
    numbers: set[float]
    year: int | None = None  # the year the figure is bound to: its own, or the covered year of a dated incident
    dated: bool = False  # bound by a day or month of the covered year ("On 13 July", "in October")
    paired: bool = False  # its sentence also has a list of its count, or a count of its list


# A day or month written without its year dates an incident inside the year a report covers
# ("On 13 July around 20 people were detained"); asides in brackets do not count.
_DATED = re.compile(
    rf"(?:\b(?i:in|on|by|during|early|late|mid|between|from|until)[\s-]+(?:(?i:early|late|mid)[\s-]+)?"
    rf"(?:\d{{1,2}}\s+)?(?:{quantities.MONTHS})|\b(?:{quantities.MONTHS})\s+\d{{1,2}}\b)"
    r"(?!\s*-?\d{0,2},?\s*(?:19|20)\d\d)"
)
_BRACKETS = re.compile(r"\([^()]*\)")
DATE_REACH = 12  # words either side of a figure in which a day or month dates it


def _clause(fact: Fact, words: int = DATE_REACH) -> str:
    """The words of a fact's clause (up to a semicolon) within `words` of the figure."""
    at = fact.sentence.find(fact.text)
    if at < 0:
        return fact.sentence
    before = fact.sentence[:at].rsplit(";", 1)[-1].split()[-words:]
    after = fact.sentence[at + len(fact.text) :].split(";", 1)[0].split()[:words]
    return " ".join([*before, fact.text, *after])


def bound_year(fact: Fact, covers: int | None) -> tuple[int | None, bool]:
    """The year `fact` is about, and whether only a day or month of the covered year says so."""
    if fact.year is not None:
        return fact.year, False
    if covers is not None and _DATED.search(_BRACKETS.sub("", _clause(fact))):
        return covers, True
    return None, False


def report_facts(report: Report) -> list[tuple[Fact, str]]:
    """All facts of `report` but plain dates, each with the sentence before its own."""
    out: list[tuple[Fact, str]] = []
    for section in report.sections:
        for para in section.paragraphs:
            sentences = para.sentences
            for k, sentence in enumerate(sentences):
                found = facts_mod.extract_facts(
                    [(sentence.text, section.id)], prefix=f"{report.id}:{para.id}.{k}."
                )
                # The sentence before carries context: "Four kwanliso ... Up to 120,000 detainees".
                previous = sentences[k - 1].text if k else ""
                out += [(fact, previous) for fact in found if fact.kind != "date"]
    return out


def _window(fact: Fact, words: int = 20) -> str:
    """The words of a fact's sentence around the fact itself."""
    at = fact.sentence.find(fact.text)
    if at < 0:
        return fact.sentence
    before = fact.sentence[:at].split()[-words:]
    after = fact.sentence[at + len(fact.text) :].split()[:words]
    return " ".join([*before, fact.text, *after])


def _numbers(fact: Fact) -> set[float]:
    """The figures a fact states (a list's length; a range's ends): evidence when shared."""
    span = quantities.fact_interval(fact)
    if span is None:
        return set()
    return {v for v in span if 0 < v < math.inf}


def _similarity(a: _Item, b: _Item, idf: dict[str, float]) -> float:
    subject = (
        fuzz.token_set_ratio(" ".join(sorted(a.subject)), " ".join(sorted(b.subject))) / 100
        if a.subject and b.subject
        else 0.0
    )
    if a.fact.head and b.fact.head and same_head(a.fact.head, b.fact.head):
        subject = max(subject, HEAD_MATCH)
    if not a.context or not b.context:
        return subject * 0.5
    # Shared rare words, measured against the shorter context (a short sentence fully inside
    # a long one is a strong match).
    # math.fsum: exact whatever the order, and a set of strings iterates in an order of the hash seed
    shared = math.fsum(idf.get(w, 1.0) for w in a.context & b.context)
    smaller = min(math.fsum(idf.get(w, 1.0) for w in a.context), math.fsum(idf.get(w, 1.0) for w in b.context))
    context = min(1.0, shared / smaller * 1.4)
    # A shared figure is evidence when both state figures; a list's length is weaker evidence.
    same_figure = bool(a.numbers & b.numbers) and (a.fact.kind == "list") == (b.fact.kind == "list")
    # Different things counted in a similar context ("12 Japanese citizens" abducted, "42
    # defectors" missing) are different claims unless the figure or the context says otherwise.
    if subject < 0.5 and not (a.numbers & b.numbers and context >= 0.5) and context < 0.8:
        return 0.0
    bonus = 0.15 if same_figure else 0.1 if a.numbers & b.numbers else 0.0  # count == list length
    if not (a.paired or b.paired) and (_enumerates(a.fact, b.fact) or _enumerates(b.fact, a.fact)):
        bonus = LIST_COUNT_BONUS
    return 0.3 * subject + 0.7 * context + bonus + _identity_bonus(a.fact, b.fact)


# A list naming as many things as a count counts, of the same noun, states that count ("Four
# kwanliso" and "camps No. 14, No. 15, No. 16 and No. 25"): strong evidence, as a shared figure,
# unless the count comes with its own list ("six kwanliso: Camps 14, 15, ...").
LIST_COUNT_BONUS = 0.3


def _enumerates(a: Fact, b: Fact) -> bool:
    """Whether list `a` names as many things as count `b` counts, and they are the same things.

    Only lists of numbered things ("No. 14 in Kaechun", "Camp 15"): numbered camps and prisons
    stay what they are, while a list of people counted in one year is another group the next.
    """
    return (
        a.kind == "list"
        and b.kind == "count"
        and isinstance(a.value, tuple)
        and b.value == len(a.value)
        and all(pairing.item_key(str(item)).isdigit() for item in a.value)
        and bool(a.head and b.head)
        and same_head(a.head, b.head)
    )


EVENT_BONUS = 0.1  # both say what happened to what is counted, and it is the same ("held")
DISTINCT_FIGURE_BONUS = 0.1  # both state the same figure of 100 or more (a chance match is rare)
AGREE_BONUS = 0.1  # they count the same noun and their values can both be true


def _identity_bonus(a: Fact, b: Fact) -> float:
    """Evidence from what two facts count: the same event, a distinctive shared figure, agreement."""
    bonus = EVENT_BONUS if a.event and a.event == b.event else 0.0
    if any(v >= 100 for v in _numbers(a) & _numbers(b)):
        bonus += DISTINCT_FIGURE_BONUS
    vague = a.qualifier in quantities.VAGUE or b.qualifier in quantities.VAGUE
    if a.head and b.head and same_head(a.head, b.head) and not vague and relation(a, b) != "differ":
        bonus += AGREE_BONUS  # "dozens" agrees with any "dozens": no evidence of one claim
    return bonus


def _magnitudes_agree(a: Fact, b: Fact) -> bool:
    """Whether two figures could be the same claim: within a factor of ten of each other."""
    span_a, span_b = quantities.fact_interval(a), quantities.fact_interval(b)
    if span_a is None or span_b is None:
        return True
    small, large = sorted((max(quantities.magnitude(span_a), 1e-9), max(quantities.magnitude(span_b), 1e-9)))
    return large / small <= 10


_family = pairing.family


def link_claims(
    reports: list[Report],
    *,
    cutoff: float = LINK_CUTOFF,
    facts_of: Callable[[Report], list[tuple[Fact, str]]] = report_facts,
) -> list[Claim]:
    """Link facts across `reports` into claims stated by at least two reports.

    `facts_of` gives a report's facts with the sentence before each (a cache can supply them).
    """
    by_country: dict[str, list[Report]] = defaultdict(list)
    for report in canonical_reports(reports):
        by_country[(report.metadata.country or "").lower()].append(report)
    groups: list[list[_Item]] = []
    for country in sorted(by_country):
        groups += _link_country(by_country[country], facts_of, cutoff)
    claims: list[Claim] = []
    for members in groups:
        if len({m.report.id for m in members}) < 2:
            continue
        members.sort(key=lambda m: m.number)
        head = members[-1].fact
        values = tuple((m.report, m.fact) for m in members)
        status, notes = judge(values)
        subject = next((m.fact.subject for m in reversed(members) if m.fact.subject), head.kind)
        claims.append(Claim(f"c{len(claims) + 1}", subject, head.kind, status, values, notes))
    return claims


def canonical_reports(reports: list[Report]) -> list[Report]:
    """`reports` in an order that depends only on what they are, one file per edition.

    Sorted by country, covered year, publisher, edition and content hash, so argument order
    never matters. An edition read from two formats (an HRW chapter as .html and as .txt)
    counts once: the first by `_FORMAT_RANK`, then by content hash, is kept; so is one of
    byte-identical files.
    """
    ordered = sorted(reports, key=report_order)
    kept: list[Report] = []
    seen: set[tuple[object, ...]] = set()
    for report in ordered:
        meta = report.metadata
        edition: tuple[object, ...] = (report.sha256,)
        if meta.publisher and (meta.edition is not None or meta.covers is not None):
            edition = ((meta.country or "").lower(), meta.publisher.lower(), meta.edition, meta.covers)
        if edition not in seen:
            seen.add(edition)
            kept.append(report)
    return kept


_FORMAT_RANK = {".html": 0, ".htm": 0, ".txt": 1, ".md": 2, ".markdown": 2, ".pdf": 3}


def report_order(report: Report) -> tuple[object, ...]:
    """Sort key of the canonical order of reports: what they are, never how they were named."""
    meta = report.metadata
    suffix = PurePath(report.path).suffix.lower()
    return (
        (meta.country or "").lower(),
        meta.covers if meta.covers is not None else -1,
        (meta.publisher or "").lower(),
        meta.edition if meta.edition is not None else -1,
        _FORMAT_RANK.get(suffix, 9),
        report.sha256,
        report.id,
    )


# Heads that count what another sentence named ("10 others died", "three more were held", "five
# of them"): two such figures of different reports are about whatever each report named, so
# they make no claim across reports (inside one comparison they still pair with their passage).
_ANAPHORIC = frozenset("other others more them those these rest".split())


def _link_country(
    reports: list[Report], facts_of: Callable[[Report], list[tuple[Fact, str]]], cutoff: float
) -> list[list[_Item]]:
    """Clusters of the facts of one country's reports (rarity measured within the country)."""
    items: list[_Item] = []
    for number, report in enumerate(reports):
        for fact, previous in facts_of(report):
            if fact.head in _ANAPHORIC:
                continue
            subject = salient(fact.subject)
            figure = salient(fact.text) - subject  # "dozens", "six": the value, compared apart
            context = salient(_window(fact) + " " + previous) - figure
            year, dated = bound_year(fact, report.metadata.covers)
            items.append(_Item(report, number, fact, subject, context, _numbers(fact), year, dated))
    _mark_paired(items)
    docs = Counter(w for item in items for w in item.context | item.subject)
    n = max(1, len(items))
    idf = {w: math.log(1 + n / c) for w, c in docs.items()}
    # Words rare enough to propose candidates: in at most 15% of facts (always if in 3 or fewer).
    rare = {w for w, c in docs.items() if c <= max(3, 0.15 * n)}
    by_family: dict[str, list[_Item]] = defaultdict(list)
    for item in items:
        by_family[_family(item.fact.kind)].append(item)
    groups: list[list[_Item]] = []
    for family in sorted(by_family):
        groups += _cluster(by_family[family], idf, rare, cutoff)
    return groups


def _mark_paired(items: list[_Item]) -> None:
    """Mark the counts whose sentence lists what they count, and those lists ("six kwanliso: Camps 14, ...")."""
    def sentence_noun(item: _Item) -> tuple[str, str, str]:
        return item.report.id, item.fact.sentence, item.fact.noun

    kinds: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for item in items:
        kinds[sentence_noun(item)].add(item.fact.kind)
    for item in items:
        item.paired = {"count", "list"} <= kinds[sentence_noun(item)]


def _cluster(group: list[_Item], idf: dict[str, float], rare: set[str], cutoff: float) -> list[list[_Item]]:
    """Greedy clustering: each fact joins the most similar cluster that lacks its report.

    A cluster is compared through its first and its latest member (editions repeat their
    wording, so these stand for the rest); a fact whose sentence and figure text another
    edition repeats word for word joins that fact's cluster at once. Candidates are blocked by
    counted noun (`_Blocks`), so a fact is compared only with clusters that count its noun.
    """
    blocks = _Blocks()
    verbatim: dict[tuple[str, str, str], list[int]] = defaultdict(list)  # (kind, sentence, text) -> clusters
    clusters: list[list[_Item]] = []
    reports: list[set[int]] = []  # ids of the reports in each cluster
    for item in group:
        rid = item.number
        best: int | None = None
        key = (item.fact.kind, item.fact.sentence, item.fact.text)
        for c in verbatim.get(key, ()):
            if rid not in reports[c] and not _would_conflict(clusters[c], item):
                best = c
                break
        if best is None:
            best = _best_candidate(item, clusters, reports, blocks.candidates(item, rare), idf, cutoff)
        if best is None:
            clusters.append([item])
            reports.append(set())
            best = len(clusters) - 1
        else:
            clusters[best].append(item)
        reports[best].add(rid)
        if best not in verbatim[key]:
            verbatim[key].append(best)
        blocks.add(best, clusters[best][0], item, rare)
    return clusters


class _Blocks:
    """Clusters indexed by the rare words and counted noun of their members, blocked by counted noun.

    Two figures whose counted nouns differ are never one claim (`pairing.same_thing`), so a
    cluster is filed under the noun of its first member, which every newcomer must share: a
    fact with a noun looks only in its noun's block and in the block of clusters without one;
    a fact without a noun (few) looks in every block. Work per fact grows with its block, not
    with the whole collection. Dates and names have no nouns: one block.
    """

    def __init__(self) -> None:
        self.index: dict[str, dict[str, list[int]]] = {}
        self.nouns: list[str] = []  # blocks in the order they were opened
        self.last: dict[str, int] = {}  # the cluster last filed under each key, in any block

    @staticmethod
    def noun(item: _Item) -> str:
        """The block of `item`: its counted noun without modifier ("station|radio" -> "station")."""
        return "" if item.fact.kind in ("date", "name") else item.fact.noun

    def add(self, cluster: int, first: _Item, item: _Item, rare: set[str]) -> None:
        """File `cluster` (whose first member is `first`) under the keys of its new member `item`."""
        noun = self.noun(first)
        if noun not in self.index:
            self.nouns.append(noun)
            self.index[noun] = defaultdict(list)
        block = self.index[noun]
        for w in _keys(item, rare):
            if self.last.get(w) != cluster:  # a cluster filed again after another counts again
                block[w].append(cluster)
                self.last[w] = cluster

    def candidates(self, item: _Item, rare: set[str]) -> Counter[int]:
        """The clusters that could take `item`, with how many of its keys each shares."""
        noun = self.noun(item)
        blocks = [self.index[n] for n in ([noun, ""] if noun else self.nouns) if n in self.index]
        found: Counter[int] = Counter()
        for w in _keys(item, rare):
            for block in blocks:
                found.update(block.get(w, ()))
        return found


def _keys(item: _Item, rare: set[str]) -> list[str]:
    """What proposes clusters for `item`: the rare words of its context, and its counted noun."""
    words = sorted(w for w in item.subject | item.context if w in rare)
    return [*words, "\0" + item.fact.noun] if item.fact.head else words


def _best_candidate(
    item: _Item,
    clusters: list[list[_Item]],
    reports: list[set[int]],
    candidates: Counter[int],
    idf: dict[str, float],
    cutoff: float,
) -> int | None:
    """The cluster `item` fits best among `candidates` (clusters sharing its rare words); None if none fits."""
    best, best_score = None, cutoff
    # the 30 clusters sharing most rare words; ties go to the earlier cluster
    for c in sorted(candidates, key=lambda c: (-candidates[c], c))[:30]:
        if item.number in reports[c]:
            continue
        members = clusters[c]
        reps = (members[0], members[-1]) if len(members) > 1 else (members[0],)
        if not all(
            pairing.same_thing(m.fact, item.fact)
            and same_time(m, item)
            and _magnitudes_agree(m.fact, item.fact)
            for m in reps
        ):
            continue
        raw = max(_similarity(m, item, idf) for m in reps)
        if raw < cutoff or (raw < CONFLICT_EVIDENCE and _would_conflict(clusters[c], item)):
            continue
        # Among good candidates, a count links to a count and a list to a list first.
        score = raw + (SAME_KIND_BONUS if any(m.fact.kind == item.fact.kind for m in reps) else 0.0)
        if score > best_score or (best is None and score >= best_score):
            best, best_score = c, score
    return best


def _would_conflict(members: list[_Item], item: _Item) -> bool:
    """Whether `item` disagrees with a member from a report covering the same year."""
    covers = item.report.metadata.covers
    return covers is not None and any(
        m.report.metadata.covers == covers and relation(m.fact, item.fact) == "differ" for m in members
    )


def same_time(a: _Item, b: _Item) -> bool:
    """Whether two figures can be about the same time.

    Figures that state different years are not one claim. An incident dated only by a day or
    month is about the year its report covers ("On 13 July around 20 people were detained"): it
    is retold only by a report covering that year or by a figure naming it, never by a report of
    another year (yearly figures of one thing, "94 executions" then "177", are one claim).
    """
    for x, y in ((a, b), (b, a)):
        if x.dated:
            other = y.year if y.year is not None else y.report.metadata.covers
            return other is None or other == x.year
    return a.year is None or b.year is None or a.year == b.year


def relation(a: Fact, b: Fact) -> str:
    """How two values of one claim relate: "equal", "compatible" or "differ".

    Values are compared in a unit both are stated in ("30 million nakfa ($2 million)" against
    "$2 million" in dollars); each figure is the interval its qualifier allows, and two
    figures are compatible when their intervals overlap (65 and "at least 61").
    """
    unit = min(pairing.units(a) & pairing.units(b), default=a.unit or "")
    va, vb = pairing.value_in(a, unit), pairing.value_in(b, unit)
    if va == vb and a.qualifier == b.qualifier:
        return "equal"
    if a.kind == "list" and b.kind == "list":
        removed, added, _ = pairing.list_delta(a, b)  # items respelt or in other grammar are the same
        return "differ" if removed or added else "equal"
    span_a = quantities.fact_interval(replace(a, value=va, alt=None))
    span_b = quantities.fact_interval(replace(b, value=vb, alt=None))
    if span_a is None or span_b is None:
        return "equal" if va == vb else "differ"
    if span_a == span_b:
        return "equal"
    return "compatible" if quantities.overlap(span_a, span_b) else "differ"


def judge(values: tuple[tuple[Report, Fact], ...]) -> tuple[ClaimStatus, tuple[str, ...]]:
    """Say whether `values` agree: consistent, changed (over covered years) or conflict (same year)."""
    status: ClaimStatus = "consistent"
    notes: list[str] = []
    for i in range(len(values)):
        for j in range(i + 1, len(values)):
            (ra, fa), (rb, fb) = values[i], values[j]
            if relation(fa, fb) != "differ":
                continue
            if ra.metadata.covers is not None and ra.metadata.covers == rb.metadata.covers:
                status = "conflict"
                notes.append(
                    f"{ra.id} and {rb.id} both cover {ra.metadata.covers} and disagree: {fa.text} / {fb.text}"
                )
            elif status != "conflict":
                status = "changed"
    return status, tuple(notes)
