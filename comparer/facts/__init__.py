"""Stage 8, facts: extract claims from sentences and pair them across versions.

A fact is a count ("17 Japanese citizens", "four kwanliso", "hundreds of abducted citizens"),
a range or bound ("between 80,000 and 120,000", "up to 120,000"), a percentage, an amount of
money ("US$8 million", "30 million nakfa ($2 million)"), a date, an ordinal that carries a
count ("its sixth nuclear test"), or a list of named things ("No. 14 in Kaechun, No. 15 in
Yodok"). Each carries what it counts: a subject and its lemmatised head noun, the claim's
identity. Numbers that are names ("Section 1", "Group of 15", "the Third Committee",
"COVID-19", "the 2014 report") are not facts.

Modules: `quantities` (numbers, bounds as intervals, currencies), `context` (noun phrases,
heads, events, qualifiers, the shared stop words), `rules` (one per shape of figure, each with
its examples), `extraction` (rules over a sentence), `pairing` (same thing? which pairs?).
"""

from __future__ import annotations

from typing import Any

from comparer.facts.context import STOP
from comparer.facts.extraction import extract_facts, extract_from_sentence
from comparer.facts.pairing import changed, pair_facts, same_name, same_thing, same_value, subject_key
from comparer.facts.quantities import fact_interval, parse_number
from comparer.facts.rules import RULES, Span
from comparer.model import Fact, FactKind

__all__ = [
    "RULES",
    "STOP",
    "Span",
    "changed",
    "extract_facts",
    "extract_from_sentence",
    "fact_from_json",
    "fact_interval",
    "fact_to_json",
    "pair_facts",
    "parse_number",
    "same_name",
    "same_thing",
    "same_value",
    "subject_key",
]  # fmt: skip
_KINDS: tuple[FactKind, ...] = ("count", "range", "percent", "money", "date", "list", "name")


def fact_to_json(fact: Fact) -> dict[str, object]:
    """A fact as plain JSON data (for the cache)."""
    value = list(fact.value) if isinstance(fact.value, tuple) else fact.value
    return {
        "id": fact.id, "kind": fact.kind, "subject": fact.subject, "value": value, "unit": fact.unit,
        "text": fact.text, "sentence": fact.sentence, "qualifier": fact.qualifier, "year": fact.year,
        "section": fact.section, "head": fact.head, "event": fact.event,
        "alt": list(fact.alt) if fact.alt else None, "scope": fact.scope,
    }  # fmt: skip


def fact_from_json(data: dict[str, Any]) -> Fact:
    """The fact that `fact_to_json` wrote; raises KeyError/TypeError/ValueError on bad data."""
    raw = data["value"]
    kind = data["kind"]
    if kind not in _KINDS:
        raise ValueError(kind)
    value: float | tuple[float, float] | tuple[str, ...]
    if isinstance(raw, list):
        if kind in ("list", "date", "name"):
            value = tuple(str(v) for v in raw)
        else:
            lo, hi = raw
            value = (float(lo), float(hi))
    else:
        value = float(raw)
    alt = data["alt"]
    return Fact(
        id=str(data["id"]), kind=kind, subject=str(data["subject"]), value=value, unit=data["unit"],
        text=str(data["text"]), sentence=str(data["sentence"]), qualifier=data["qualifier"],
        year=data["year"], section=data["section"], head=str(data["head"]), event=data["event"],
        alt=(float(alt[0]), str(alt[1])) if alt else None, scope=data["scope"],
    )  # fmt: skip
