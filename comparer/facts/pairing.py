"""Pairing: whether two facts can be one claim, and how the facts of two versions of a passage pair.

Two facts can be one claim only when they count the same thing: the same family of kind
(counts, ranges and lists are one family), the same unit (never dollars against euros; a
converted amount carries both), the same lemmatised head noun, and no two different events
("arrested" against "held"). `pair_facts` pairs the facts of an old and a new passage:
identical facts first, then by that identity and the similarity of their subjects.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rapidfuzz import fuzz

from comparer.facts.context import STOP, same_head, word_classes
from comparer.model import Fact, FactChange, FactStatus
from comparer.textnorm import shared_words

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
    if (a.qualifier == "ordinal") != (b.qualifier == "ordinal"):  # "the third test" says which, "16 tests" how many
        return False
    if a.scope != b.scope:  # a running total is not the figure of one period
        return False
    if a.head and b.head and not same_head(a.head, b.head):
        return False
    if (
        a.noun in _TIME_UNITS
    ):  # a span of time is one claim only with the same event ("sentenced to")
        return a.event == b.event
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
    """Whether two facts state the same value in the same unit.

    Two dates are the same when every part both state agrees: "On September 4" (of the year
    reported on) and "In September 2023", "in 1998" and "in October 1998" say one date, more or
    less precisely; "2022" and "January 4" state no part in common, so they differ.
    """
    if a.kind == b.kind == "date" and a.value != b.value:
        parts = [_date_parts(str(f.value[0])) if isinstance(f.value, tuple) and f.value else None for f in (a, b)]
        if parts[0] is None or parts[1] is None:
            return False
        both = [(x, y) for x, y in zip(*parts, strict=True) if x and y]
        return bool(both) and all(x == y for x, y in both)
    return a.value == b.value and (a.unit or None) == (b.unit or None)


_ISO_DATE = re.compile(r"(?P<year>\d{4}|-)(?:-(?P<month>\d\d)(?:-(?P<day>\d\d))?)?")


def _date_parts(iso: str) -> tuple[str | None, str | None, str | None] | None:
    """(year, month, day) of an ISO 8601 date or "--MM-DD" (a day without its year); None for a decade."""
    m = _ISO_DATE.fullmatch(iso)
    if not m:
        return None
    year = m.group("year")
    return (None if year == "-" else year), m.group("month"), m.group("day")


def subject_score(a: Fact, b: Fact) -> float:
    """Similarity of two facts' subjects (0-100); two empty subjects are alike."""
    ka, kb = subject_key(a.subject), subject_key(b.subject)
    if not ka and not kb:
        return 100.0
    return float(fuzz.token_set_ratio(ka, kb))


def pair_facts(
    old: tuple[Fact, ...],
    new: tuple[Fact, ...],
    *,
    cutoff: float = PAIR_CUTOFF,
    old_at: list[float] | None = None,
    new_at: list[float] | None = None,
) -> list[FactChange]:
    """Pair the facts of two versions of a passage; say what changed.

    Identical facts pair first, so an unchanged figure never pairs with a changed one; then
    each remaining old fact pairs with the best new fact that counts the same thing. Among
    equally good candidates the one nearest to where the word diff puts the old fact wins:
    `old_at` gives each old fact's position mapped into the new text, `new_at` each new
    fact's position (without them, relative reading order stands in).
    """
    where_old = old_at if old_at is not None else [_position(k, old) for k in range(len(old))]
    where_new = new_at if new_at is not None else [_position(k, new) for k in range(len(new))]
    changes: list[FactChange] = []
    used: set[int] = set()
    pending: list[tuple[int, Fact]] = []
    for i, a in enumerate(old):
        exact = [
            k for k, b in enumerate(new)
            if k not in used and b.kind == a.kind and same_value(a, b) and same_thing(a, b)
            and subject_score(a, b) >= cutoff
        ]  # fmt: skip
        if not exact:
            pending.append((i, a))
            continue
        k = min(exact, key=lambda k: (abs(where_new[k] - where_old[i]), k))
        used.add(k)
        changes.append(FactChange("unchanged", a.kind, new[k].subject or a.subject, a, new[k]))
    for i, a in pending:
        ranked = [
            (subject_score(a, new[k]), -abs(where_new[k] - where_old[i]), -k, k)
            for k, b in enumerate(new)
            if k not in used and same_thing(a, b) and _one_occasion(a, b)
        ]
        ranked = [r for r in ranked if r[0] >= cutoff]
        if not ranked:
            changes.append(FactChange("removed", a.kind, a.subject, a, None))
            continue
        best = max(ranked)[3]
        used.add(best)
        changes += changed(a, new[best])
    changes += [FactChange("added", b.kind, b.subject, None, b) for k, b in enumerate(new) if k not in used]
    return changes


# Content words (Dice 0-1) that the sentences of an old and a new date must share for one to be
# the other changed: every date counts "dates", so only its sentence says what happened then;
# "went into effect July 10" and "on October 22, the court sentenced" are two dates, not one
# moved (corpus year pairs: 4 of 5 date changes whose sentences shared less were wrong).
DATE_SHARED = 0.2


def _one_occasion(a: Fact, b: Fact) -> bool:
    """Whether two facts can be one figure changed: for dates, their sentences share words."""
    return a.kind != "date" or shared_words(a.sentence, b.sentence) >= DATE_SHARED


def changed(a: Fact, b: Fact) -> list[FactChange]:
    """The change from `a` to `b` (one claim), with list items dropped and added, and respellings."""
    status: FactStatus = "unchanged" if same_value(a, b) else "changed"
    if a.kind != "list" or b.kind != "list":
        return [FactChange(status, b.kind, b.subject or a.subject, a, b)]
    removed, added, renamed = list_delta(a, b)
    out = (
        [FactChange(status, b.kind, b.subject or a.subject, a, b, removed, added)] if removed or added else []
    )
    out += [name_change(a, b, before, after) for before, after in renamed]
    # no item dropped, added or respelt: the same things, listed in other words
    return out or [FactChange("unchanged", b.kind, b.subject or a.subject, a, b)]


def item_key(item: str) -> str:
    """What identifies a list item whatever its wording: its number ("No. 15 in Yodok" -> "15"), else its letters."""
    number = re.match(r"(?:Nos?\.\s*)?(\d+)\b", item)
    if number:
        return number.group(1)
    return _letters(item)


def list_delta(a: Fact, b: Fact) -> tuple[tuple[str, ...], tuple[str, ...], list[tuple[str, str]]]:
    """Items only in `a`, items only in `b` (as written), and items spelled two ways (old, new)."""
    old_items = [str(x) for x in a.value] if isinstance(a.value, tuple) else []
    new_items = [str(x) for x in b.value] if isinstance(b.value, tuple) else []
    new_keys = {item_key(x) for x in new_items}
    old_keys = {item_key(x) for x in old_items}
    removed = [x for x in old_items if item_key(x) not in new_keys]
    added = [x for x in new_items if item_key(x) not in old_keys]
    for before in list(removed):  # "People's Defense Forces" -> "... Force": one item, in other grammar
        after = next((x for x in added if _same_words(before, x)), None)
        if after is not None:
            removed.remove(before)
            added.remove(after)
    renamed: list[tuple[str, str]] = []
    for before in list(removed):
        after = next((x for x in added if same_name(before, x)), None)
        if after is not None:
            renamed.append((before, after))
            removed.remove(before)
            added.remove(after)
    return tuple(removed), tuple(added), renamed


# spelling similarity (0-100, rapidfuzz ratio of the letters) of one name written two ways
NAME_SIMILARITY = 60.0
_CALENDAR = frozenset(
    "january february march april may june july august september october november december monday "
    "tuesday wednesday thursday friday saturday sunday".split()
)


def same_name(a: str, b: str) -> bool:
    """Whether `a` and `b` are one name spelled two ways ("Kim Kuk-gi", "Kim Kook-kie").

    The first letters of every word agree and the letters are alike, and the change is none of
    these: the same letters in other case or punctuation ("KIM" -> "Kim", "NGO's" -> "NGOs": a
    style), a word that is no name ("These" -> "They"), a word grown or cut at its end
    ("Forces" -> "Force", "Russia's" -> "Russian": grammar), another word in lower case beside
    a name ("Maduro-aligned" -> "Maduro-controlled"), a number or a day or month.
    """
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or not all(w[:1].isupper() for w in wa + wb):
        return False
    letters = [_letters(s) for s in (a, b)]
    if letters[0] == letters[1] or re.search(r"\d", a + b) or {w.lower() for w in wa + wb} & (_CALENDAR | STOP):
        return False
    for x, y in zip(wa, wb, strict=True):
        if not _same_start(x, y) or _grown(x, y) or _other_word(x, y):
            return False
    return fuzz.ratio(*letters) >= NAME_SIMILARITY


def _same_start(a: str, b: str) -> bool:
    """Whether two words start alike: the same letter, or one vowel for another before the same
    five letters or more, as transliterations go ("Isfahan", "Esfahan"; not "Ali", "Eli")."""
    x, y = a.lower(), b.lower()
    return x[0] == y[0] or (x[0] in "aeiou" and y[0] in "aeiou" and x[1:] == y[1:] and len(x) >= 6)


def _same_words(a: str, b: str) -> bool:
    """Whether `a` and `b` are the same words but for case, punctuation and grown endings."""
    wa, wb = a.split(), b.split()
    return len(wa) == len(wb) and all(_letters(x) == _letters(y) or _grown(x, y) for x, y in zip(wa, wb, strict=True))


def _letters(text: str) -> str:
    """The letters and digits of `text`, in lower case."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _grown(a: str, b: str) -> bool:
    """Whether one word is the other with letters added at its end (a possessive "'s" aside)."""
    x, y = (_letters(re.sub(r"['\u2019]s$", "", w)) for w in (a, b))
    return x != y and (x.startswith(y) or y.startswith(x))


def _other_word(a: str, b: str) -> bool:
    """Whether a hyphenated part in lower case is another word, not a respelling:
    "Maduro-aligned" -> "Maduro-controlled" (but "Il-sung" -> "Il-song" is a respelling)."""
    return any(
        x[:1].islower() and y[:1].islower() and word_classes(x) and word_classes(y) and fuzz.ratio(x, y) < NAME_SIMILARITY
        for x, y in zip(a.split("-"), b.split("-"), strict=False)
        if x != y
    )


def name_change(a: Fact, b: Fact, before: str, after: str) -> FactChange:
    """A name respelt between `a`'s sentence and `b`'s: a `name` fact changed."""
    old = replace(
        a, id=f"{a.id}.n", kind="name", subject=before, value=(before,), unit=None, text=before, head="name"
    )
    new = replace(
        b, id=f"{b.id}.n", kind="name", subject=after, value=(after,), unit=None, text=after, head="name"
    )
    return FactChange("changed", "name", after, old, new)


def _position(k: int, facts: tuple[Fact, ...]) -> float:
    """Relative reading position (0-1) of the `k`th fact of a passage."""
    return k / max(1, len(facts) - 1)
