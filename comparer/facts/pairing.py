"""Pairing: whether two facts can be one claim, and how the facts of two versions of a passage pair.

Two facts can be one claim only when they count the same thing: the same family of kind
(counts, ranges and lists are one family), the same unit (never dollars against euros; a
converted amount carries both), the same lemmatised head noun, and no two different events
("arrested" against "held"). `pair_facts` pairs the facts of an old and a new passage:
identical facts first, then by that identity and the similarity of their subjects.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from comparer.facts.context import STOP
from comparer.model import Fact, FactChange, FactStatus

_NUMBERS = ("count", "range", "list")
_TIME_UNITS = frozenset("year month week day hour minute".split())
PAIR_CUTOFF = 70.0  # subject similarity (0-100) at which two facts of a passage pair


def family(kind: str) -> str:
    """Kinds whose values can be compared: counts, ranges and lists are one family."""
    return "number" if kind in _NUMBERS else kind


def units(fact: Fact) -> set[str]:
    """The units `fact` is stated in (a converted amount has two)."""
    found = {fact.unit or ""}
    if fact.alt:
        found.add(fact.alt[1])
    return found


def same_thing(a: Fact, b: Fact) -> bool:
    """Whether `a` and `b` count the same thing, so their values can be compared."""
    if family(a.kind) != family(b.kind):
        return False
    if a.kind in ("date", "name"):
        return a.kind == b.kind
    if not units(a) & units(b):
        return False
    if a.head and b.head and a.head != b.head:
        return False
    if a.head in _TIME_UNITS:  # a span of time is one claim only with its event ("sentenced to")
        return a.event is not None and a.event == b.event
    return not (a.event and b.event and a.event != b.event)


def value_in(fact: Fact, unit: str) -> float | tuple[float, float] | tuple[str, ...]:
    """The value of `fact` in `unit` (its converted amount when that is the unit asked for)."""
    if fact.alt and fact.alt[1] == unit and (fact.unit or "") != unit:
        return fact.alt[0]
    return fact.value


def subject_key(subject: str) -> str:
    """A comparable form of a subject: lower-case content words, plural "s" dropped."""
    words = []
    for w in subject.lower().split():
        w = w.strip(".,;:()\u201c\u201d\"'")
        if not w or w in STOP:
            continue
        words.append(w[:-1] if w.endswith("s") and len(w) > 3 and not w.endswith("ss") else w)
    return " ".join(words)


def same_value(a: Fact, b: Fact) -> bool:
    """Whether two facts state the same value in the same unit."""
    return a.value == b.value and (a.unit or None) == (b.unit or None)


def subject_score(a: Fact, b: Fact) -> float:
    """Similarity of two facts' subjects (0-100); two empty subjects are alike."""
    ka, kb = subject_key(a.subject), subject_key(b.subject)
    if not ka and not kb:
        return 100.0
    return float(fuzz.token_set_ratio(ka, kb))


def pair_facts(
    old: tuple[Fact, ...], new: tuple[Fact, ...], *, cutoff: float = PAIR_CUTOFF
) -> list[FactChange]:
    """Pair the facts of two versions of a passage; say what changed.

    Identical facts pair first, so an unchanged figure never pairs with a changed one; then
    each remaining old fact pairs with the best new fact that counts the same thing, ties
    going to the new fact nearest in reading position.
    """
    changes: list[FactChange] = []
    used: set[int] = set()
    pending: list[tuple[int, Fact]] = []
    for i, a in enumerate(old):
        exact = next(
            (k for k, b in enumerate(new) if k not in used and b.kind == a.kind and same_value(a, b)
             and same_thing(a, b) and subject_score(a, b) >= cutoff),
            None,
        )  # fmt: skip
        if exact is None:
            pending.append((i, a))
        else:
            used.add(exact)
            changes.append(FactChange("unchanged", a.kind, new[exact].subject or a.subject, a, new[exact]))
    for i, a in pending:
        candidates = [k for k, b in enumerate(new) if k not in used and same_thing(a, b)]
        ranked = [
            (subject_score(a, new[k]), -abs(_position(k, new) - _position(i, old)), -k, k) for k in candidates
        ]
        ranked = [r for r in ranked if r[0] >= cutoff]
        if not ranked:
            changes.append(FactChange("removed", a.kind, a.subject, a, None))
            continue
        best = max(ranked)[3]
        used.add(best)
        b = new[best]
        status: FactStatus = "unchanged" if same_value(a, b) else "changed"
        changes.append(FactChange(status, b.kind, b.subject or a.subject, a, b))
    changes += [FactChange("added", b.kind, b.subject, None, b) for k, b in enumerate(new) if k not in used]
    return changes


def _position(k: int, facts: tuple[Fact, ...]) -> float:
    """Relative reading position (0-1) of the `k`th fact of a passage."""
    return k / max(1, len(facts) - 1)
