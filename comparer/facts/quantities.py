"""Quantities: number patterns, number parsing, bounds as intervals, units and currencies.

Every figure becomes an interval of values it allows: "65" is [65, 65], "at least 61" is
[61, inf), "up to 120,000" is [0, 120,000], "about 400" is [360, 440], "dozens" is
[24, 99]. Two figures agree when their intervals overlap: both can be true at once.
Number words go through text2num ("one hundred and twenty" -> 120, "two hundred fifty
thousand" -> 250,000).
"""

from __future__ import annotations

import math
import re

from text_to_num import text2num

from comparer.model import Fact

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split()
)
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
ORDINALS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "twentieth": 20,
}  # fmt: skip
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_NUM = {m: i for i, m in enumerate(MONTHS.split("|"), start=1)}

_SMALL_WORD = "(?:" + "|".join(sorted(SMALL[1:], key=len, reverse=True)) + ")"
_BASIC = rf"(?:(?:{'|'.join(TENS)})(?:[- ](?:{'|'.join(SMALL[1:10])}))?|{_SMALL_WORD})"
# A number in words: "four", "twenty-one", "one hundred and twenty", "two hundred fifty thousand"
WORDNUM = rf"(?:{_BASIC}(?:\s+(?:hundred|thousand|million|billion)\b(?:(?:\s+and\s+|\s+){_BASIC}\b)?){{0,3}})"
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
HALF = r"(?:\s+and\s+(?:a|one)[- ]half)?"
NUM = (
    rf"(?:{DIGITS}){HALF}(?:\s(?:thousand|million|billion)\b)?"
    rf"|(?<![\w-])(?:{WORDNUM}){HALF}(?![\w-])"
)
QUALIFIERS = (
    r"at least|more than|over|up to|almost|nearly|approximately|about|around|some|as many as|"
    r"as high as|as few as|fewer than|less than|an estimated|estimated|roughly|close to|at most|"
    r"no fewer than|no less than|no more than|under|just over|just under|well over|well under|below|"
    r"above|exceeding|in excess of|upwards of"
)
# How each qualifier bounds its figure v: (low factor, high factor) of v; inf means unbounded.
_FLOOR = ("at least", "more than", "over", "no fewer than", "no less than", "exceeding", "above",
          "or more", "just over", "well over", "in excess of", "upwards of", "or older", "older than",
          "greater than", "higher than", "as young as")  # fmt: skip
_CEILING = ("up to", "as many as", "as high as", "at most", "no more than", "or fewer", "or less",
            "or younger", "younger than", "as old as")  # fmt: skip
_NEAR_BELOW = ("almost", "nearly", "just under", "close to")
_BELOW = ("fewer than", "less than", "under", "below", "well under", "lower than")
_ABOUT = ("approximately", "about", "around", "some", "an estimated", "estimated", "roughly")
ABOUT_MARGIN = 0.1  # "about 400": within 10% either way
NEAR_MARGIN = 0.15  # "nearly 100": from 85 up to 100

# Vague quantities: the values each can mean.
VAGUE = {
    "a dozen": (12.0, 12.0), "dozens": (24.0, 99.0), "scores": (40.0, 199.0),
    "hundreds": (200.0, 999.0), "several hundred": (200.0, 999.0),
    "thousands": (2000.0, 9999.0), "several thousand": (2000.0, 9999.0),
    "tens of thousands": (20000.0, 99999.0), "hundreds of thousands": (200000.0, 999999.0),
    "millions": (2e6, 9.99e8),
}  # fmt: skip
VAGUE_PATTERN = (
    r"tens of thousands|hundreds of thousands|several hundred|several thousand|a dozen|dozens|scores|"
    r"hundreds|thousands|millions"
)

CURRENCY_SIGNS = r"US\$|\$|USD\s?|EUR\s?|\u20ac|\u00a3|\u00a5|RMB\s?"
CURRENCY_NAMES = (
    r"dollars|euros|won|yuan|renminbi|rubles|roubles|bolivars|pesos|nakfa|kyat|rials|riyals|pounds|yen|"
    r"rupees|francs"
)
CURRENCY_WORDS = rf"(?:[A-Z][a-z]+\s)?(?:{CURRENCY_NAMES})"
_CURRENCY_CODES = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "us dollars": "USD", "u.s. dollars": "USD",
    "eur": "EUR", "\u20ac": "EUR", "euros": "EUR", "\u00a3": "GBP", "pounds": "GBP", "\u00a5": "JPY",
    "yen": "JPY", "rmb": "CNY", "yuan": "CNY", "renminbi": "CNY", "rubles": "RUB", "roubles": "RUB",
    "nakfa": "ERN", "kyat": "MMK", "rials": "IRR", "won": "KPW", "bolivars": "VES", "pesos": "CUP",
}  # fmt: skip


def currency_code(written: str) -> str:
    """A currency as one code: "US$", "$" and "dollars" are USD; "30 million nakfa" is ERN."""
    key = " ".join(written.lower().split())
    if key in _CURRENCY_CODES:
        return _CURRENCY_CODES[key]
    last = key.split()[-1] if key else key
    if last == "dollars" and key != "dollars":
        return key.upper()  # "Zimbabwe dollars": not US dollars
    return _CURRENCY_CODES.get(last, key.upper())


def parse_number(text: str) -> float | None:
    """Parse "120,000", "2.5 million", "four", "one hundred and twenty", "two and a half"."""
    t = " ".join(text.strip().lower().split())
    half = 0.0
    m = re.search(r"\s+and\s+(?:a|one)[- ]half$", t)
    if m:
        half, t = 0.5, t[: m.start()]
    value = _parse_whole(t)
    return None if value is None else value + half


def _parse_whole(t: str) -> float | None:
    scale = 1.0
    for word, factor in SCALES.items():
        if t.endswith(" " + word) and re.match(r"[\d.,]+ ", t):
            scale, t = factor, t[: -len(word) - 1].strip()
    try:
        return float(t.replace(",", "")) * scale
    except ValueError:
        pass
    try:
        return float(text2num(t.replace("-", " "), "en")) * scale
    except ValueError:
        return None


def is_year(value: float) -> bool:
    """Whether `value` reads as a year of the modern era."""
    return value.is_integer() and 1900 <= value <= 2100


def interval(value: float | tuple[float, float], qualifier: str | None) -> tuple[float, float]:
    """The values a figure allows, given its qualifier ("at least 61" -> [61, inf))."""
    if isinstance(value, tuple):
        lo, hi = value
        q = (qualifier or "").lower()
        if q in _FLOOR:
            return lo, math.inf
        return (0.0, hi) if q in _CEILING else (lo, hi)
    q = (qualifier or "").lower()
    if q in _FLOOR:
        return value, math.inf
    if q in _CEILING or q in _BELOW:
        return 0.0, value
    if q in _NEAR_BELOW:
        return value * (1 - NEAR_MARGIN), value
    if q in _ABOUT:
        return value * (1 - ABOUT_MARGIN), value * (1 + ABOUT_MARGIN)
    return value, value


def fact_interval(fact: Fact) -> tuple[float, float] | None:
    """The values `fact` allows, or None for dates and named lists (not quantities)."""
    value = fact.value
    if fact.kind == "list" and isinstance(value, tuple):
        return float(len(value)), float(len(value))
    if isinstance(value, float):
        return interval(value, fact.qualifier)
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, float) for v in value):
        lo, hi = value
        assert isinstance(lo, float) and isinstance(hi, float)
        return interval((lo, hi), fact.qualifier)
    return None


def overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two intervals can both be true."""
    return a[0] <= b[1] and b[0] <= a[1]


def magnitude(span: tuple[float, float]) -> float:
    """A representative size of an interval: its top, or its floor when it has no top."""
    return span[1] if span[1] != math.inf else span[0]
