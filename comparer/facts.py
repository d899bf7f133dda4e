"""Stage 8, facts: extract claims from sentences and pair them across versions.

A fact is a count ("17 Japanese citizens", "four kwanliso", "hundreds of abducted citizens"),
a range or bound ("between 80,000 and 120,000", "up to 120,000", "80,000-120,000"), a
percentage, an amount of money ("US$8 million"), a date ("On December 11, 2017"), an ordinal
that carries a count ("its sixth nuclear test"), or a list of named things ("No. 14 in
Kaechun, No. 15 in Yodok", "Camps 14, 15, 16, 18, and 25"). Each gets a subject built from
the words it counts, so the same claim links across reports whatever the wording.

Numbers that are names are not facts: section numbers ("Section 1", "1.e"), camp numbers
("No. 14", which belong to lists), years used as names ("the 2014 UNCOI report"), article,
resolution and page numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from comparer.model import Fact, FactChange, FactKind, FactStatus

_UNITS = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_SMALL = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORDINALS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "twentieth": 20,
}  # fmt: skip
_VAGUE = {"dozens": (24.0, 99.0), "hundreds": (200.0, 999.0), "thousands": (2000.0, 9999.0),
          "tens of thousands": (20000.0, 99999.0), "hundreds of thousands": (200000.0, 999999.0),
          "millions": (2e6, 9.99e8)}  # fmt: skip
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_NUM = {m: i for i, m in enumerate(_MONTHS.split("|"), start=1)}

_WORDNUM = (
    r"(?:(?:"
    + "|".join(_TENS)
    + r")(?:[- ](?:"
    + "|".join(list(_SMALL)[:9])
    + r"))?|"
    + "|".join(sorted(_SMALL, key=len, reverse=True))
    + r")"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_HALF = r"(?:\s+and\s+(?:a|one)[- ]half)?"
_NUM = (
    rf"(?:{_DIGITS}){_HALF}(?:\s(?:thousand|million|billion)\b)?"
    rf"|(?<![\w-])(?:{_WORDNUM})(?:\s+hundred)?{_HALF}(?:\s(?:thousand|million|billion))?(?![\w-])"
)
_QUAL = (
    r"at least|more than|over|up to|almost|nearly|approximately|about|around|some|as many as|"
    r"as high as|as few as|fewer than|less than|an estimated|estimated|roughly|close to|at most|"
    r"no fewer than|no less than|under|just over|just under|well over|below|above|exceeding"
)
_CURRENCY = r"US\$|\$|USD\s?|EUR\s?|\u20ac|\u00a3|\u00a5|RMB\s?"
_CURRENCY_WORDS = r"(?:[A-Z][a-z]+\s)?(?:dollars|euros|won|yuan|renminbi|rubles|roubles|bolivars|pesos|nakfa|kyat|rials|riyals|pounds|yen|rupees|francs)"

_MONEY = re.compile(
    rf"(?P<cur>{_CURRENCY})\s?(?P<n>{_DIGITS})(?![\d/])(?:\s(?P<scale>thousand|million|billion)\b)?"
    rf"|(?P<n2>{_DIGITS})(?:\s(?P<scale2>thousand|million|billion))?\s(?P<curw>{_CURRENCY_WORDS})\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(
    rf"(?:between\s+(?P<lo>{_DIGITS})(?:\s?%|\s(?:percent|per cent))?\s+and\s+)?(?P<n>{_NUM})\s?(?:%|percent\b|per cent\b)",
    re.IGNORECASE,
)
_RANGE = re.compile(
    rf"(?:between\s+(?P<a>{_NUM})\s+and\s+(?P<b>{_NUM})"
    rf"|from\s+(?P<c>{_NUM})\s+to\s+(?P<d>{_NUM})"
    rf"|(?P<e>{_DIGITS})\s?[-\u2013\u2014]\s?(?P<f>{_DIGITS})(?:\s(?P<scale>thousand|million|billion)\b)?"
    rf"|(?<!up )(?<!\w)(?P<g>{_NUM})\s+to\s+(?P<h>{_NUM})(?=\s+[A-Za-z]))",
    re.IGNORECASE,
)
_DATE = re.compile(
    rf"\b(?P<month>{_MONTHS})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTHS})\s+(?P<year2>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<month3>{_MONTHS})\s+(?P<year3>(?:19|20)\d{{2}})\b"
    rf"|\bthe\s+(?P<decade>(?:19|20)\d0)s\b"
    rf"|\b(?P<month5>{_MONTHS})\s+(?P<day5>\d{{1,2}})\b(?!,?\s+(?:19|20)\d{{2}})(?!\d)"
    rf"|\b(?:[Ii]n|[Ss]ince|[Dd]uring|[Tt]hroughout|[Bb]y|[Uu]ntil|[Bb]efore|[Aa]fter|[Oo]f)\s+(?:(?:early|late|mid)[- ])?(?P<year4>(?:19|20)\d{{2}})\b(?!\s+(?:[A-Z]|report|law|resolution|white paper))"
    rf"|\b(?P<day6>\d{{1,2}})\s+(?P<month6>{_MONTHS})\b(?!,?\s+(?:19|20)\d{{2}})"
)
# Dates that say which year a figure is about ("in 2011", "in March 2021"), not "since 2003".
_ABOUT_YEAR = re.compile(rf"\b(?:in|during)\s+(?:(?:{_MONTHS})\s+)?((?:19|20)\d{{2}})\b(?!s)")
_ENUMERATED = re.compile(rf"(?:{_NUM})(?:,\s*(?:{_NUM}))+,?\s+(?:and|or)\s+(?:{_NUM})(?=\s+[a-z])")
# "a two-year strategy", "the 72-hour detention period": a duration written as an adjective
_DURATION = re.compile(
    rf"\b(?P<n>{_DIGITS}|{_WORDNUM})-(?P<unit>year|month|week|day|hour|minute)\b(?!-old)", re.IGNORECASE
)
# "The five were charged", "the four who were acquitted": a count whose noun was said before
_ELIDED = re.compile(
    rf"\b[Tt]he\s+(?P<n>{_WORDNUM}|\d{{1,3}})\s+(?=(?:were|who|had|have|are|faced|received|remained)\b)"
)
# "The minimum age for marriage was 22 for men and 20 for women"
_AGE_WAS = re.compile(
    rf"\b(?P<what>(?:[a-z]+\s+){{0,2}})age\b(?P<about>[^.;:]{{0,50}}?)\b(?:was|is|were|of)\s+(?P<rest>(?:{_NUM})(?:\s+for\s+[a-z]+)?(?:,?\s+and\s+(?:{_NUM})(?:\s+for\s+[a-z]+)?)?)"
)
_AGES_AND = re.compile(rf"\bages\s+(?P<a>{_NUM})\s+and\s+(?P<b>{_NUM})\b")
_AGE = re.compile(
    rf"\b(?:(?P<cmp>older than|younger than|under|over|below|above)\s+)?(?:aged?|ages|age of)\s+(?P<n>{_NUM})\b"
    rf"|\b(?P<n2>{_DIGITS}|{_WORDNUM})-year-old\b",
    re.IGNORECASE,
)
_ORDINAL = re.compile(
    r"\b(?:its|their|the|a|his|her)\s+(?P<ord>"
    + "|".join(_ORDINALS)
    + r")\s+(?:(?P<consec>consecutive|straight|successive)\s+)?(?P<noun>[a-z][a-z-]+(?:\s+[a-z][a-z-]+)?)",
    re.IGNORECASE,
)
_COUNT = re.compile(
    rf"(?P<vague>tens of thousands|hundreds of thousands|dozens|hundreds|thousands|millions)\s+of\s+"
    rf"|(?P<n>{_NUM})(?=\s+[A-Za-z(]|(?<=\d)[.,;:)]?(?:\s|$))",
    re.IGNORECASE,
)
_CAMP_LIST = re.compile(
    r"(?:\b(?:Nos?\.|[Cc]amps?|[Kk]wanliso|[Kk]yohwaso)\s*)(?P<first>\d{1,3})(?P<rest>(?:(?:\s+in\s+[A-Z][\w-]+)?(?:,\s*|,?\s+and\s+|\s+and\s+)(?:No\.\s*)?\d{1,3}(?![\d,]*\s*(?:percent|%)))+)"
)
_NAME_LIST = re.compile(
    r"(?P<items>(?:[A-Z][\w\u2019'-]+(?:\s(?:of\s)?[A-Z][\w\u2019'-]+){0,3},\s+){2,}(?:and\s+|or\s+)?[A-Z][\w\u2019'-]+(?:\s(?:of\s)?[A-Z][\w\u2019'-]+){0,3})"
)
# Numbers that are names, not quantities.
_NAME_BEFORE = re.compile(
    r"(?:\b(?:section|sections|chapter|article|articles|paragraph|para|page|pages|pp|p|resolution|law|decree|"
    r"no|nos|number|camp|camps|kwanliso|kyohwaso|item|annex|table|figure|rule|code|protocol|order|unit|"
    r"room|route|highway|level|grade|class|phase|cycle)\.?\s*)$",
    re.IGNORECASE,
)
_STOP = frozenset(
    "a an the of in on at by for to from with and or but that which who whom whose were was is "
    "are be been had has have as than into during since its their his her it they he she this "
    "these those there including among per each some all about such not no also other more "
    "most ".split()
)
_SUBJECT_STOP = frozenset(
    "that which who whom whose were was is are had has have in on at by for to from with "
    "during since and or but as than into after before while because according if when where ".split()
)


@dataclass(frozen=True, slots=True)
class _Span:
    kind: FactKind
    start: int
    end: int
    value: float | tuple[float, float] | tuple[str, ...] | str
    unit: str | None
    qualifier: str | None
    subject: str


def parse_number(text: str) -> float | None:
    """Parse "120,000", "2.5 million", "four", "twenty-one thousand" into a number."""
    t = text.strip().lower()
    half = 0.0
    m = re.search(r"\s+and\s+(?:a|one)[- ]half$", t)
    if m:
        half, t = 0.5, t[: m.start()]
    value = _parse_whole(t)
    return None if value is None else value + half


def _parse_whole(t: str) -> float | None:
    scale = 1.0
    for word, factor in _UNITS.items():
        if t.endswith(" " + word):
            scale, t = factor, t[: -len(word) - 1].strip()
    t = t.replace(",", "")
    try:
        return float(t) * scale
    except ValueError:
        pass
    if t.endswith(" hundred"):
        scale, t = scale * 100, t[: -len(" hundred")].strip()
    if t in _SMALL:
        return _SMALL[t] * scale
    parts = re.split(r"[- ]", t)
    if parts and parts[0] in _TENS:
        value = _TENS[parts[0]] + (_SMALL.get(parts[1], 0) if len(parts) > 1 else 0)
        return value * scale
    return None


def _is_year(value: float) -> bool:
    return value.is_integer() and 1900 <= value <= 2100


def _subject_after(sentence: str, end: int, words: int = 4) -> str:
    """The noun phrase after a number: up to `words` words, stopping at a clause boundary."""
    out: list[str] = []
    tokens = re.findall(r"[A-Za-z][\w\u2019'-]*|[^\w\s]", sentence[end:])[: words + 5]
    while tokens and tokens[0].lower() in ("of", "the", "its", "their", "his", "her", "a", "an"):
        tokens.pop(0)
    for token in tokens[: words + 2]:
        if not token[0].isalpha() or token.lower() in _SUBJECT_STOP:
            if token.lower() == "of" and out and len(out) < words:
                out.append(token)
                continue
            break
        out.append(token)
        if len(out) >= words:
            break
    while out and out[-1].lower() == "of":
        out.pop()
    return " ".join(out)


def _subject_before(sentence: str, start: int) -> str:
    """The nearest content noun before `start` (the thing a list enumerates)."""
    words = [
        w
        for w in re.findall(r"[A-Za-z][\w-]*", sentence[:start])
        if w.lower() not in _STOP and w.lower() not in _SUBJECT_STOP and w.lower() != "between"
    ]
    return " ".join(words[-1:])


def _name_number(sentence: str, start: int, end: int) -> bool:
    """Return whether the number at `start:end` is a name (section, article, camp number...)."""
    before = sentence[max(0, start - 20) : start]
    if _NAME_BEFORE.search(before):
        return True
    if re.search(r"[A-Za-z]-$", before):  # "COVID-19", "MiG-29": part of a name
        return True
    if re.search(r"\d[-\u2013]$", before):  # the end of "1994-95" or "pp. 14-15": a period or a name
        return True
    after = sentence[end : end + 3]
    if re.match(r"\.[a-z]\b", after) or re.match(r"\.\d", after):  # "1.e", "2.3"
        return True
    return bool(re.match(r"-year-old|-year|th\b|st\b|nd\b|rd\b", sentence[end : end + 10]))


_QUAL_BEFORE = re.compile(rf"(?:^|(?<=\W))({_QUAL})\s+$", re.IGNORECASE)


def _qualifier(sentence: str, start: int) -> tuple[str | None, int]:
    """The qualifier written just before position `start` ("at least", "up to"), and where it starts."""
    m = _QUAL_BEFORE.search(sentence[max(0, start - 30) : start])
    if not m:
        return None, start
    return m.group(1), start - (len(sentence[max(0, start - 30) : start]) - m.start(1))


def _claim(spans: list[_Span], span: _Span) -> None:
    """Add `span` unless it overlaps a span found by a more specific pattern."""
    for other in spans:
        if span.start < other.end and other.start < span.end:
            return
    spans.append(span)


def extract_from_sentence(sentence: str) -> list[_Span]:
    """Find the facts in one `sentence`, most specific patterns first."""
    spans: list[_Span] = []
    for m in _CAMP_LIST.finditer(sentence):
        items = tuple([m.group("first"), *re.findall(r"\d{1,3}", m.group("rest"))])
        if len(items) >= 2:
            subject = _subject_before(sentence, m.start()) or "camps"
            head = re.match(r"\s*([Cc]amps?|[Kk]wanliso|[Kk]yohwaso)", m.group(0))
            if head:
                subject = head.group(1).lower()
            _claim(spans, _Span("list", m.start(), m.end(), items, None, None, subject))
    for m in _MONEY.finditer(sentence):
        n = parse_number(m.group("n") or m.group("n2"))
        if n is None:
            continue
        scale = (m.group("scale") or m.group("scale2") or "").lower()
        n *= _UNITS.get(scale, 1.0)
        unit = (m.group("cur") or m.group("curw") or "").strip()
        unit = {"$": "USD", "US$": "USD", "USD": "USD"}.get(unit, unit)
        qual, begin = _qualifier(sentence, m.start())
        _claim(
            spans,
            _Span(
                "money",
                begin,
                m.end(),
                n,
                unit,
                qual and qual.lower(),
                _subject_after(sentence, m.end()) or "amount",
            ),
        )
    for m in _PERCENT.finditer(sentence):
        hi = parse_number(m.group("n"))
        if hi is None:
            continue
        lo = parse_number(m.group("lo")) if m.group("lo") else None
        value: float | tuple[float, float] = (lo, hi) if lo is not None else hi
        subject = _subject_after(sentence, m.end()) or _subject_before(sentence, m.start())
        qual, begin = _qualifier(sentence, m.start())
        _claim(spans, _Span("percent", begin, m.end(), value, "%", qual and qual.lower(), subject))
    for m in _DATE.finditer(sentence):
        when: str
        if m.group("year"):
            when = f"{m.group('year')}-{_MONTH_NUM[m.group('month')]:02d}-{int(m.group('day')):02d}"
        elif m.group("year2"):
            when = f"{m.group('year2')}-{_MONTH_NUM[m.group('month2')]:02d}-{int(m.group('day2')):02d}"
        elif m.group("year3"):
            when = f"{m.group('year3')}-{_MONTH_NUM[m.group('month3')]:02d}"
        elif m.group("decade"):
            when = f"{m.group('decade')}s"
        elif m.group("month6"):
            when = f"--{_MONTH_NUM[m.group('month6')]:02d}-{int(m.group('day6')):02d}"
        elif m.group("month5"):
            when = (
                f"--{_MONTH_NUM[m.group('month5')]:02d}-{int(m.group('day5')):02d}"  # ISO 8601 without a year
            )
        else:
            when = m.group("year4")
        start = m.start("year4") if m.group("year4") else m.start()
        _claim(spans, _Span("date", start, m.end(), when, None, None, "date"))
    for m in _RANGE.finditer(sentence):
        a = m.group("a") or m.group("c") or m.group("e") or m.group("g")
        b = m.group("b") or m.group("d") or m.group("f") or m.group("h")
        lo, hi = parse_number(a), parse_number(b)
        if lo is None or hi is None:
            continue
        if m.group("scale"):
            lo, hi = lo * _UNITS[m.group("scale").lower()], hi * _UNITS[m.group("scale").lower()]
        # "from 2014 to 2017", "1962-91": a period, not a range of counts ("2,000 to 3,000" is)
        period = "," not in a and _is_year(lo) and (_is_year(hi) or not m.group("g"))
        if period or (m.group("e") and _name_number(sentence, m.start("e"), m.end())):
            continue  # "1962-91", "from 2014 to 2017": a period, not a range of counts
        if hi < lo:
            continue
        qual, begin = _qualifier(sentence, m.start())
        subject = _subject_after(sentence, m.end())
        prep = re.match(r"\s*(?:in|at|of|among)\s+", sentence[m.end() :])
        if not subject and prep:
            # "detained between 80,000 and 120,000 in the kwanliso": who (the verb before) and where
            verb = re.search(r"([a-z]+(?:ed|ing))\s+$", sentence[: m.start()])
            where = _subject_after(sentence, m.end() + prep.end())
            subject = f"{verb.group(1)} {where}".strip() if verb else where
        _claim(spans, _Span("range", begin, m.end(), (lo, hi), None, qual and qual.lower(), subject))
    for m in _ENUMERATED.finditer(sentence):
        # "10, nine, and seven years": each figure counts the noun after the last one
        subject = _subject_after(sentence, m.end())
        for g in re.finditer(_NUM, m.group(0)):
            n = parse_number(g.group(0))
            if n is not None and subject:
                _claim(
                    spans, _Span("count", m.start() + g.start(), m.start() + g.end(), n, None, None, subject)
                )
    for m in _DURATION.finditer(sentence):
        n = parse_number(m.group("n"))
        if n is not None:
            unit = m.group("unit").lower()
            _claim(
                spans,
                _Span(
                    "count",
                    m.start(),
                    m.end(),
                    n,
                    unit + "s",
                    None,
                    _subject_after(sentence, m.end()) or unit,
                ),
            )
    for m in _ELIDED.finditer(sentence):
        n = parse_number(m.group("n"))
        if n is not None:
            _claim(
                spans,
                _Span(
                    "count",
                    m.start("n"),
                    m.end("n"),
                    n,
                    None,
                    None,
                    _subject_before(sentence, m.start()) or "persons",
                ),
            )
    for m in _AGE_WAS.finditer(sentence):
        for g in re.finditer(
            rf"(?P<n>{_NUM})(?:\s+for\s+(?P<who>[a-z]+))?", sentence[m.start("rest") : m.end()]
        ):
            n = parse_number(g.group("n"))
            if n is not None and n < 130:
                at = m.start("rest") + g.start("n")
                _claim(
                    spans,
                    _Span(
                        "count",
                        at,
                        at + len(g.group("n")),
                        n,
                        "years old",
                        None,
                        # "minimum age of marriage ... for men": what the age is for
                        " ".join(f"{m.group('what')}age {m.group('about')} {g.group('who') or ''}".split()),
                    ),
                )
    for m in _AGES_AND.finditer(sentence):
        for key in ("a", "b"):
            n = parse_number(m.group(key))
            if n is not None:
                _claim(spans, _Span("count", m.start(key), m.end(key), n, "years old", None, "age"))
    for m in _AGE.finditer(sentence):
        n = parse_number(m.group("n") or m.group("n2"))
        if n is not None:
            qual = m.group("cmp")
            _claim(spans, _Span("count", m.start(), m.end(), n, "years old", qual and qual.lower(), "age"))
    for m in _ORDINAL.finditer(sentence):
        noun = m.group("noun")
        if m.group("consec"):
            noun = f"consecutive {noun}"
        _claim(
            spans,
            _Span(
                "count",
                m.start("ord"),
                m.end(),
                float(_ORDINALS[m.group("ord").lower()]),
                None,
                "ordinal",
                noun.lower(),
            ),
        )
    for m in _COUNT.finditer(sentence):
        if m.group("vague"):
            vague = m.group("vague").lower()
            subject = _subject_after(sentence, m.end())
            qual, begin = _qualifier(sentence, m.start())
            _claim(
                spans,
                _Span("count", begin, m.end(), _VAGUE[vague], None, (qual or vague).lower(), subject),
            )
            continue
        text = m.group("n")
        n = parse_number(text)
        if n is None:
            continue
        start, end = m.start("n"), m.end("n")
        if _name_number(sentence, start, end) or (_is_year(n) and text.isdigit()):
            continue
        if text.lower() == "one" and (
            re.match(r"\s+(?:of|another|and|who|which)\b", sentence[end:])
            or re.search(r"\b(?:no|any|every|some|each|the)\s+$", sentence[:start].lower())
        ):
            continue  # "one of the", "no one": a pronoun, not a count
        qual, begin = _qualifier(sentence, m.start())
        tail = re.match(r"\s+or\s+(more|fewer|less|older|younger|above|below)\b", sentence[end:])
        if tail:  # "10 or more years"
            qual = f"or {tail.group(1).lower()}"
            end_subject = end + tail.end()
        else:
            end_subject = end
        subject = _subject_after(sentence, end_subject)
        than = re.search(
            r"\b(?:more|less|fewer|older|younger|greater|higher|lower)\s+than\s+$", sentence[:start].lower()
        )
        if not subject and (qual or than):
            subject = _subject_before(sentence, m.start() - (len(than.group(0)) if than else 0))
            if than and not qual:
                qual = than.group(0).strip()
        if not subject:
            continue
        # Bounds: "up to 120,000" is a range from nothing to 120,000, "at least 63" from 63 up.
        if qual and qual.lower() in ("up to", "as many as", "as high as", "at most", "no more than"):
            _claim(spans, _Span("range", begin, end, (0.0, n), None, qual.lower(), subject))
        else:
            _claim(spans, _Span("count", begin, end, n, None, qual and qual.lower(), subject))
    for m in _NAME_LIST.finditer(sentence):
        if sentence[m.end() : m.end() + 1] == ":" or re.search(r"\s(?:The|A|An|In|On)$", m.group("items")):
            continue  # a run-in heading ("Threats, Harassment, Surveillance, and Coercion:")
        items = tuple(
            x.strip()
            for x in re.split(r",\s+(?:and\s+|or\s+)?|\s+(?:and|or)\s+", m.group("items"))
            if x.strip()
        )
        if len(items) >= 3 and all(len(i.split()) <= 4 for i in items):
            _claim(
                spans,
                _Span(
                    "list",
                    m.start(),
                    m.end(),
                    items,
                    None,
                    None,
                    _subject_before(sentence, m.start()) or "names",
                ),
            )
    spans.sort(key=lambda s: s.start)
    return spans


def extract_facts(sentences: list[tuple[str, str | None]], *, prefix: str = "f") -> tuple[Fact, ...]:
    """Extract facts from (sentence, section id) pairs, numbered `prefix`1, `prefix`2, ..."""
    facts: list[Fact] = []
    for sentence, section in sentences:
        spans = extract_from_sentence(sentence)
        dates = [(m.start(), int(m.group(1))) for m in _ABOUT_YEAR.finditer(sentence)]
        for span in spans:
            # The year a figure is about: the date nearest to it in its sentence.
            year = (
                min(dates, key=lambda d: abs(d[0] - span.start))[1] if dates and span.kind != "date" else None
            )
            value = span.value
            if isinstance(value, str):  # dates: kept as their ISO text, one item
                value = (value,)
            facts.append(
                Fact(
                    id=f"{prefix}{len(facts) + 1}",
                    kind=span.kind,
                    subject=span.subject,
                    value=value,
                    unit=span.unit,
                    text=sentence[span.start : span.end],
                    sentence=sentence,
                    qualifier=span.qualifier,
                    year=year,
                    section=section,
                )
            )
    return tuple(facts)


def subject_key(subject: str) -> str:
    """A comparable form of a subject: lower-case content words, plural "s" dropped."""
    words = []
    for w in re.findall(r"[a-z][\w-]*", subject.lower()):
        if w in _STOP:
            continue
        words.append(w[:-1] if w.endswith("s") and len(w) > 3 and not w.endswith("ss") else w)
    return " ".join(words)


def same_value(a: Fact, b: Fact) -> bool:
    """Return whether two facts state the same value."""
    return a.value == b.value and (a.unit or None) == (b.unit or None)


def pair_facts(old: tuple[Fact, ...], new: tuple[Fact, ...], *, cutoff: float = 70.0) -> list[FactChange]:
    """Pair the facts of two versions of a passage by kind and subject; say what changed."""
    changes: list[FactChange] = []
    used: set[int] = set()
    # Identical facts pair first, so an unchanged figure never pairs with a changed one.
    pending: list[Fact] = []
    for a in old:
        exact = next(
            (
                k
                for k, b in enumerate(new)
                if k not in used
                and b.kind == a.kind
                and same_value(a, b)
                and fuzz.token_set_ratio(subject_key(a.subject), subject_key(b.subject)) >= cutoff
            ),
            None,
        )
        if exact is None:
            pending.append(a)
        else:
            used.add(exact)
            changes.append(FactChange("unchanged", a.kind, new[exact].subject or a.subject, a, new[exact]))
    for a in pending:
        best, best_score = None, cutoff
        for k, b in enumerate(new):
            if k in used or not _comparable(a, b):
                continue
            score = fuzz.token_set_ratio(subject_key(a.subject), subject_key(b.subject))
            if not subject_key(a.subject) and not subject_key(b.subject):
                score = 100.0
            if score >= best_score:
                best, best_score = k, score
        if best is None:
            changes.append(FactChange("removed", a.kind, a.subject, a, None))
        else:
            used.add(best)
            b = new[best]
            status: FactStatus = "unchanged" if same_value(a, b) else "changed"
            changes.append(FactChange(status, b.kind, b.subject or a.subject, a, b))
    for k, b in enumerate(new):
        if k not in used:
            changes.append(FactChange("added", b.kind, b.subject, None, b))
    return changes


def _comparable(a: Fact, b: Fact) -> bool:
    """Return whether facts `a` and `b` can be two versions of one claim."""
    numeric = {"count", "range"}
    if a.kind == b.kind:
        return True
    return a.kind in numeric and b.kind in numeric


def fact_to_json(fact: Fact) -> dict[str, object]:
    """A fact as plain JSON data (for the cache)."""
    value = list(fact.value) if isinstance(fact.value, tuple) else fact.value
    return {
        "id": fact.id, "kind": fact.kind, "subject": fact.subject, "value": value, "unit": fact.unit,
        "text": fact.text, "sentence": fact.sentence, "qualifier": fact.qualifier, "year": fact.year,
        "section": fact.section,
    }  # fmt: skip


def fact_from_json(data: dict[str, Any]) -> Fact:
    """The fact that `fact_to_json` wrote; raises KeyError/TypeError/ValueError on bad data."""
    raw = data["value"]
    value: float | tuple[float, float] | tuple[str, ...]
    if isinstance(raw, list):
        if data["kind"] in ("list", "date"):
            value = tuple(str(v) for v in raw)
        else:
            lo, hi = raw
            value = (float(lo), float(hi))
    else:
        value = float(raw)
    kind = data["kind"]
    if kind not in ("count", "range", "percent", "money", "date", "list"):
        raise ValueError(kind)
    return Fact(
        id=str(data["id"]), kind=kind, subject=str(data["subject"]), value=value, unit=data["unit"],
        text=str(data["text"]), sentence=str(data["sentence"]), qualifier=data["qualifier"],
        year=data["year"], section=data["section"],
    )  # fmt: skip
