"""Extraction rules: each finds one shape of figure in a sentence, with the examples it must match.

Rules run most specific first (`RULES`); a span found by an earlier rule is not found again
by a later one. Each rule's `examples` are (sentence, kind, value) triples checked by the
tests, so a rule's intent is written beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from comparer.facts import context as ctx
from comparer.facts import quantities as q
from comparer.model import FactKind

Value = float | tuple[float, float] | tuple[str, ...] | str


@dataclass(frozen=True, slots=True)
class Span:
    """One figure found in a sentence, with what it counts."""

    kind: FactKind
    start: int
    end: int
    value: Value
    unit: str | None
    qualifier: str | None
    subject: str
    head: str = ""  # lemmatised counted noun: the claim's identity
    event: str | None = None  # what happened to what is counted ("arrest", "custody")
    alt: tuple[float, str] | None = None  # the same amount in a second currency


@dataclass(frozen=True, slots=True)
class Rule:
    """A named extraction rule and the (sentence, kind, value) examples it must find.

    An example whose value is None is a counter-example: no fact of that kind may be found.
    `hints` are what every sentence the rule finds anything in contains (a figure, "percent"):
    the rule is not run on a sentence without all of them, which saves its slower pattern.
    """

    name: str
    find: Callable[[str], Iterator[Span]]
    examples: tuple[tuple[str, FactKind, object], ...]
    hints: tuple[re.Pattern[str], ...] = ()


_NUM, _DIGITS, _WORDNUM = q.NUM, q.DIGITS, q.WORDNUM
# What every figure written in digits or words contains: a digit, or a number word standing as a
# word of its own (`q.WORDNUM` starts with one, and every pattern that reads it keeps letters,
# digits and underscores off both of its sides). Matched as the rules match: any case.
# (The lookahead, the first letters of the words, only spares the engine trying every word.)
_NUMBER_WORDS = sorted([*q.SMALL[1:], *q.TENS], key=len, reverse=True)
FIGURE_HINT = re.compile(
    r"\d|\b(?=[" + "".join(sorted({w[0] for w in _NUMBER_WORDS})) + r"])(?:" + "|".join(_NUMBER_WORDS) + r")\b",
    re.IGNORECASE,
)
_TIME_UNITS = frozenset("year month week day hour minute".split())
_RATE_UNITS = frozenset("year month week day hour minute person capita".split())


# "837 of the more than 1,400 persons": a part of a counted whole, a claim of its own.
_PARTITIVE = re.compile(rf"\s+of\s+(?:the\s+)?(?:(?:{q.QUALIFIERS})\s+)?(?:{_NUM})(?=\s)", re.IGNORECASE)


def _counted(sentence: str, end: int) -> tuple[str, str, str | None]:
    """(subject, head, event) of the noun phrase after `end`."""
    whole = _PARTITIVE.match(sentence, end)
    if whole:
        subject, head, event = _counted(sentence, whole.end())
        return subject, head and f"part of {head}", event
    tokens = ctx.tokens_after(sentence, end)
    phrase = ctx.noun_phrase(tokens)
    rest = tokens[len(phrase) :]
    head, event = ctx.head_of(phrase), ctx.event_near(sentence, end, rest)
    rate = [w.lower() for w in rest[:2]]
    if head and len(rate) == 2 and rate[0] in ("per", "a", "each", "every") and rate[1] in _RATE_UNITS:
        noun, bar, modifier = head.partition("|")
        head = f"{noun}/{rate[1]}{bar}{modifier}"  # "16 hours per week": a rate, not a count of hours
    return " ".join(phrase), _held(head, event), event


def _held(head: str, event: str | None) -> str:
    """People counted as held are counted as prisoners ("200 people were detained")."""
    return "prisoner" if event == "custody" and head in ("person", "") else head


def _before(sentence: str, start: int) -> tuple[str, str]:
    phrase = ctx.noun_before(sentence, start)
    return " ".join(phrase), ctx.head_of(phrase)


# Numbers that are names, not quantities.
_NAME_BEFORE = re.compile(
    r"(?:\b(?:section|sections|chapter|article|articles|paragraph|para|page|pages|pp|p|resolution|law|decree|"
    r"no|nos|number|camp|camps|kwanliso|kyohwaso|item|annex|table|figure|rule|code|protocol|order|unit|"
    r"room|route|highway|level|grade|class|phase|cycle|prison|ward|block|district|zone|division|brigade|"
    r"battalion|regiment|cell|building)\.?\s*)$",
    re.IGNORECASE,
)


# A code glued to the figure: a short run of letters that starts with a capital ("G15", "MiG29").
_CODE_BEFORE = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z]{0,3}$")


def is_name_number(sentence: str, start: int, end: int) -> bool:
    """Whether the number at `start:end` is part of a name (a section, an article, "Group of 15")."""
    before = sentence[max(0, start - 24) : start]
    if _NAME_BEFORE.search(before):
        return True
    if re.search(r"[A-Za-z]-$|\d[A-Za-z]$|\d[-\u2013]$", before):  # "COVID-19", "4x4", "1994-95"
        return True
    if _CODE_BEFORE.search(before):  # "G15", "F16", "MiG29" (not "sentencedto10" of a text that lost its spaces)
        return True
    if re.search(r"\b[A-Z][a-z]+\s+of\s+$", before):  # "Group of 15", "Committee of 24"
        return True
    after = sentence[end : end + 12]
    if re.match(r"\.[a-z]\b|\.\d", after):  # "1.e", "2.3"
        return True
    if start == 0 and sentence[start:end].isdigit() and re.match(r"[.)]\s+[A-Z]", after):
        return True  # a numbered heading: "3. Freedom of Expression"
    # "-year-old"; ordinals; a code glued to letters after it ("3G", "4x4")
    return bool(re.match(r"-year-old|-year|th\b|st\b|nd\b|rd\b|[A-Za-z]+\d|[A-Z]\b", after))


# --- lists ---------------------------------------------------------------------------------
_CAMP_LIST = re.compile(
    r"(?:\b(?:Nos?\.|[Cc]amps?|[Kk]wanliso|[Kk]yohwaso)\s*)(?P<first>\d{1,3})(?P<first_place>\s+in\s+[A-Z][\w-]+)?"
    r"(?P<rest>(?:(?:,\s*|,?\s+and\s+)(?:No\.\s*)?\d{1,3}(?:\s+in\s+[A-Z][\w-]+)?(?![\d,]*\s*(?:percent|%))){1,30})"
)


def _camp_lists(sentence: str) -> Iterator[Span]:
    for m in _CAMP_LIST.finditer(sentence):
        # items kept as written, with their place: "No. 15 in Yodok"
        parts = re.split(r",\s*(?:and\s+)?|,?\s+and\s+", m.group(0))
        items = tuple(re.sub(r"^(?:[Cc]amps?|[Kk]wanliso|[Kk]yohwaso)\s*", "", p).strip() for p in parts)
        items = tuple(i for i in items if i)
        if len(items) >= 2:
            head = re.match(r"\s*([Cc]amps?|[Kk]wanliso|[Kk]yohwaso)", m.group(0))
            subject = head.group(1).lower() if head else (_before(sentence, m.start())[0] or "camps")
            yield Span("list", m.start(), m.end(), items, None, None, subject, ctx.lemma(subject))


_CAMP_EXAMPLES: tuple[tuple[str, FactKind, object], ...] = (
    ("Camps 14, 15, 16, 18, and 25 remain.", "list", ("14", "15", "16", "18", "25")),
    (
        "It runs No. 14 in Kaechun, No. 15 in Yodok, and No. 25.",
        "list",
        ("No. 14 in Kaechun", "No. 15 in Yodok", "No. 25"),
    ),
)

# A name: capitalised words, "of"/"for" between them, and a code after a word ("Justicia 11J").
_NAME_ITEM = r"(?:the\s+)?[A-Z][\w\u2019'-]+(?:\s(?:of\s|for\s)?(?:[A-Z][\w\u2019'-]+|\d+[A-Z]\w*\b)){0,5}"
_NAME_LIST = re.compile(rf"(?P<items>(?:{_NAME_ITEM},\s+){{2,30}}(?:and\s+|or\s+)?{_NAME_ITEM})")


def _name_lists(sentence: str) -> Iterator[Span]:
    for m in _NAME_LIST.finditer(sentence):
        heading = re.match(r"[^.:;]{0,40}:", sentence[m.end() : m.end() + 41])
        if heading or re.search(r"\s(?:The|A|An|In|On)$", m.group("items")):
            continue  # a run-in heading ("Threats, Harassment, Surveillance, and Coercion:")
        if re.match(r"[A-Z][\w-]*\s+of\s", m.group("items")):
            continue  # one name: "Bureau of Democracy, Human Rights, and Labor"
        # "the NGOs Justicia 11J, ...": a plural acronym before the first name says what they are
        kind = _LIST_KIND.match(m.group("items"))
        start = m.start() + (kind.end() if kind else 0)
        parts = re.split(r",\s+(?:and\s+|or\s+)?|\s+(?:and|or)\s+", sentence[start : m.end()])
        items = tuple(re.sub(r"^the\s+", "", x.strip()) for x in parts if x.strip())
        if len(items) >= 3:
            named = kind.group(0).split()[-1:] if kind else []  # "NGOs": what the list names
            subject, head = (named[0], ctx.head_of(named)) if named else _before(sentence, m.start())
            yield Span("list", start, m.end(), items, None, None, subject or "names", head or "name")


_LIST_KIND = re.compile(r"(?:[Tt]he\s+)?[A-Z]{2,}s\s+(?=[A-Z])")


# --- money and percentages -----------------------------------------------------------------
_MONEY = re.compile(
    rf"(?P<cur>{q.CURRENCY_SIGNS})\s?(?P<n>{_DIGITS})(?![\d/])(?:\s(?P<scale>thousand|million|billion)\b)?"
    rf"|(?P<n2>{_DIGITS})(?:\s(?P<scale2>thousand|million|billion))?\s(?P<curw>{q.CURRENCY_WORDS})\b",
    re.IGNORECASE,
)
_CONVERTED = re.compile(r"\s*\(\s*(?:approximately\s+|about\s+|around\s+|or\s+)?$")


def _amount(m: re.Match[str]) -> tuple[float, str] | None:
    n = q.parse_number(m.group("n") or m.group("n2"))
    if n is None:
        return None
    scale = (m.group("scale") or m.group("scale2") or "").lower()
    return n * q.SCALES.get(scale, 1.0), q.currency_code((m.group("cur") or m.group("curw") or "").strip())


def _money(sentence: str) -> Iterator[Span]:
    matches = list(_MONEY.finditer(sentence))
    skip: set[int] = set()
    for k, m in enumerate(matches):
        amount = _amount(m)
        if k in skip or amount is None:
            continue
        end, alt = m.end(), None
        # "30 million nakfa ($2 million)": one amount in two currencies
        if k + 1 < len(matches) and _CONVERTED.fullmatch(sentence[m.end() : matches[k + 1].start()]):
            other = _amount(matches[k + 1])
            close = re.match(r"\s*\)", sentence[matches[k + 1].end() :])
            if other and close and other[1] != amount[1]:
                alt, end = other, matches[k + 1].end() + close.end()
                skip.add(k + 1)
        qual, begin = ctx.qualifier_before(sentence, m.start())
        tokens = ctx.tokens_after(sentence, end)
        while tokens and tokens[0].lower() in (
            "in",
            "for",
            "of",
            "worth",
            "to",
            "a",
            "per",
            "each",
            "annually",
        ):
            tokens.pop(0)
        phrase = ctx.noun_phrase(tokens)
        subject, head = " ".join(phrase), ctx.head_of(phrase)
        if not head or head in _TIME_UNITS:  # "$2 million a year": the rate of what is before
            subject, head = _before(sentence, begin)
        yield Span("money", begin, end, amount[0], amount[1], qual, subject or "amount", head, alt=alt)


_MONEY_EXAMPLES: tuple[tuple[str, FactKind, object], ...] = (
    ("The fund gave US$8 million in aid.", "money", 8e6),
    ("Fees rose to 30 million nakfa ($2 million) a year.", "money", 30e6),
)

_PERCENT = re.compile(
    rf"(?:between\s+(?P<lo>{_DIGITS})(?:\s?%|\s(?:percent|per cent))?\s+and\s+)?(?P<n>{_NUM})\s?(?:%|percent\b|per cent\b)",
    re.IGNORECASE,
)


def _percent(sentence: str) -> Iterator[Span]:
    for m in _PERCENT.finditer(sentence):
        hi = q.parse_number(m.group("n"))
        if hi is None:
            continue
        lo = q.parse_number(m.group("lo")) if m.group("lo") else None
        value: float | tuple[float, float] = (lo, hi) if lo is not None else hi
        subject, head, event = _counted(sentence, m.end())
        if not head:
            subject, head = _before(sentence, m.start())
        qual, begin = ctx.qualifier_before(sentence, m.start())
        yield Span("percent", begin, m.end(), value, "%", qual, subject, head, event)


# --- dates -----------------------------------------------------------------------------------
_M = q.MONTHS
_DATE = re.compile(
    rf"\b(?P<month>{_M})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<day2>\d{{1,2}})\s+(?P<month2>{_M})\s+(?P<year2>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<month3>{_M})\s+(?P<year3>(?:19|20)\d{{2}})\b"
    rf"|\bthe\s+(?P<decade>(?:19|20)\d0)s\b"
    rf"|\b(?P<month5>{_M})\s+(?P<day5>\d{{1,2}})\b(?!,?\s+(?:19|20)\d{{2}})(?!\d)"
    rf"|\b(?:[Ii]n|[Ss]ince|[Dd]uring|[Tt]hroughout|[Bb]y|[Uu]ntil|[Bb]efore|[Aa]fter|[Oo]f|[Ff]or|year)\s+(?:(?:early|late|mid)[- ])?(?P<year4>(?:19|20)\d{{2}})\b(?!\s+(?:[A-Z]|report|law|resolution|white paper))"
    rf"|\b(?P<day6>\d{{1,2}})\s+(?P<month6>{_M})\b(?!,?\s+(?:19|20)\d{{2}})"
)


def _iso_date(m: re.Match[str]) -> str:
    g = m.group
    if g("year"):
        return f"{g('year')}-{q.MONTH_NUM[g('month')]:02d}-{int(g('day')):02d}"
    if g("year2"):
        return f"{g('year2')}-{q.MONTH_NUM[g('month2')]:02d}-{int(g('day2')):02d}"
    if g("year3"):
        return f"{g('year3')}-{q.MONTH_NUM[g('month3')]:02d}"
    if g("decade"):
        return f"{g('decade')}s"
    if g("month6"):
        return f"--{q.MONTH_NUM[g('month6')]:02d}-{int(g('day6')):02d}"
    if g("month5"):
        return f"--{q.MONTH_NUM[g('month5')]:02d}-{int(g('day5')):02d}"  # ISO 8601 without a year
    return str(g("year4"))


def _dates(sentence: str) -> Iterator[Span]:
    for m in _DATE.finditer(sentence):
        start = m.start("year4") if m.group("year4") else m.start()
        yield Span("date", start, m.end(), _iso_date(m), None, None, "date", "date")


# --- ranges ----------------------------------------------------------------------------------
_RANGE = re.compile(
    rf"(?:between\s+(?P<a>{_NUM})\s+and\s+(?P<b>{_NUM})"
    rf"|from\s+(?P<c>{_NUM})\s+to\s+(?P<d>{_NUM})"
    rf"|(?P<e>{_DIGITS})\s?[-\u2013\u2014]\s?(?P<f>{_DIGITS})(?:\s(?P<scale>thousand|million|billion)\b)?"
    rf"|(?<!up )(?<!\w)(?P<g>{_NUM})\s+to\s+(?P<h>{_NUM})(?=\s+[A-Za-z]))",
    re.IGNORECASE,
)


def _ranges(sentence: str) -> Iterator[Span]:
    for m in _RANGE.finditer(sentence):
        a = m.group("a") or m.group("c") or m.group("e") or m.group("g")
        b = m.group("b") or m.group("d") or m.group("f") or m.group("h")
        lo, hi = q.parse_number(a), q.parse_number(b)
        if lo is None or hi is None or hi < lo:
            continue
        if m.group("scale"):
            lo, hi = lo * q.SCALES[m.group("scale").lower()], hi * q.SCALES[m.group("scale").lower()]
        # "from 2014 to 2017", "1962-91": a period, not a range of counts ("2,000 to 3,000" is)
        period = "," not in a and q.is_year(lo) and (q.is_year(hi) or not m.group("g"))
        if period or (m.group("e") and is_name_number(sentence, m.start("e"), m.end())):
            continue
        qual, begin = ctx.qualifier_before(sentence, m.start())
        subject, head, event = _counted(sentence, m.end())
        prep = re.match(r"\s*(?:in|at|of|among)\s+", sentence[m.end() :])
        if not head and prep:
            # "detained between 80,000 and 120,000 in the kwanliso": who (the verb before) and where
            verb = re.search(r"([a-z]+(?:ed|ing))\s+$", sentence[max(0, m.start() - 40) : m.start()])
            where, where_head, _ = _counted(sentence, m.end() + prep.end())
            subject = f"{verb.group(1)} {where}".strip() if verb else where
            # the people the verb is about ("detained ... in the kwanliso": prisoners), else the place
            event = ctx.event_near(sentence, m.start(), [])
            head = _held("person", event) if verb else where_head
        yield Span("range", begin, m.end(), (lo, hi), None, qual, subject, head, event)


_RANGE_EXAMPLES: tuple[tuple[str, FactKind, object], ...] = (
    ("It holds between 80,000 and 120,000 political prisoners.", "range", (80000.0, 120000.0)),
    ("They got seven to 15 years in prison.", "range", (7.0, 15.0)),
    ("An estimated 80,000-120,000 prisoners remain.", "range", (80000.0, 120000.0)),
)


# --- counts of special shapes ------------------------------------------------------------------
_ENUMERATED = re.compile(rf"(?:{_NUM})(?:,\s*(?:{_NUM})){{1,20}},?\s+(?:and|or)\s+(?:{_NUM})(?=\s+[a-z])")


def _enumerated(sentence: str) -> Iterator[Span]:
    for m in _ENUMERATED.finditer(sentence):
        # "10, nine, and seven years": each figure counts the noun after the last one
        subject, head, event = _counted(sentence, m.end())
        if not head:
            continue
        unit = f"{head}s" if head in _TIME_UNITS else None
        for g in re.finditer(_NUM, m.group(0)):
            n = q.parse_number(g.group(0))
            if n is not None:
                yield Span(
                    "count", m.start() + g.start(), m.start() + g.end(), n, unit, None, subject, head, event
                )


_DURATION = re.compile(
    rf"\b(?P<n>{_DIGITS}|{_WORDNUM})-(?P<unit>year|month|week|day|hour|minute)\b(?!-old)", re.IGNORECASE
)


def _durations(sentence: str) -> Iterator[Span]:
    for m in _DURATION.finditer(sentence):
        n = q.parse_number(m.group("n"))
        if n is not None:
            unit = m.group("unit").lower()
            subject, _, event = _counted(sentence, m.end())
            yield Span("count", m.start(), m.end(), n, unit + "s", None, subject or unit, unit, event)


_ELIDED = re.compile(
    rf"(?:\b[Tt]he\s+|[:;]\s+|,?\s+and\s+|\b(?:of\s+whom|of\s+which|among\s+them),?\s+)(?P<n>{_WORDNUM}|\d{{1,3}}(?:,\d{{3}})*)\s+"
    rf"(?=(?:were|was|who|had|have|are|faced|received|remained|remain)\b)"
)


def _elided(sentence: str) -> Iterator[Span]:
    # "The five were charged", "the four who were acquitted": a count whose noun was said before
    for m in _ELIDED.finditer(sentence):
        n = q.parse_number(m.group("n"))
        if n is not None:
            subject, head = _before(sentence, m.start())
            event = ctx.event_near(sentence, m.end(), ctx.tokens_after(sentence, m.end("n")))
            yield Span(
                "count",
                m.start("n"),
                m.end("n"),
                n,
                None,
                None,
                subject or "persons",
                head or "person",
                event,
            )


# "of whom 73 were members of parliament", "among them 12 were journalists"
_COPULA = re.compile(
    rf"\b(?:of\s+whom|of\s+which|among\s+them|among\s+whom|including)\s+(?:(?P<qual>{q.QUALIFIERS})\s+)?"
    rf"(?P<n>{_NUM})\s+(?:were|was|are|is)\s+",
    re.IGNORECASE,
)


def _copulas(sentence: str) -> Iterator[Span]:
    for m in _COPULA.finditer(sentence):
        n = q.parse_number(m.group("n"))
        subject, head, event = _counted(sentence, m.end())
        if n is not None and head:
            qual = m.group("qual")
            begin = m.start("qual") if qual else m.start("n")
            yield Span("count", begin, m.end("n"), n, None, qual and qual.lower(), subject, head, event)


_COPULA_EXAMPLES: tuple[tuple[str, FactKind, object], ...] = (
    ("Police held 120 people, of whom 73 were members of parliament.", "count", 73.0),
)
_ELIDED_EXAMPLES: tuple[tuple[str, FactKind, object], ...] = (
    ("Police held five students. The five were charged.", "count", 5.0),
    ("Six prisoners were freed: three were told their cases were closed.", "count", 3.0),
    ("Police arrested 208 persons, of whom 87 remained in detention.", "count", 87.0),
)


# --- ages --------------------------------------------------------------------------------------
_AGE_WAS = re.compile(
    rf"\b(?P<what>(?:[a-z]+\s+){{0,2}})age\b(?P<about>[^.;:]{{0,50}}?)\b(?:was|is|were|of)\s+"
    rf"(?P<rest>(?:{_NUM})(?:\s+for\s+[a-z]+)?(?:,?\s+and\s+(?:{_NUM})(?:\s+for\s+[a-z]+)?)?)"
)


def _ages_stated(sentence: str) -> Iterator[Span]:
    # "The minimum age for marriage was 22 for men and 20 for women"
    for m in _AGE_WAS.finditer(sentence):
        if not m.group("about").strip() and sentence[m.end("about") : m.start("rest")].strip() == "of":
            continue  # "over the age of 18": an age the `_ages` rule reads, with its "over"
        about = [w for w in re.findall(r"[a-z]+", m.group("about")) if w not in ctx.STOP]
        what = [w for w in m.group("what").split() if w not in ctx.STOP]
        for g in re.finditer(
            rf"(?P<n>{_NUM})(?:\s+for\s+(?P<who>[a-z]+))?", sentence[m.start("rest") : m.end()]
        ):
            n = q.parse_number(g.group("n"))
            if n is not None and n < 130:
                at = m.start("rest") + g.start("n")
                who = g.group("who") or ""
                subject = " ".join(f"{m.group('what')}age {m.group('about')} {who}".split())
                head = " ".join(
                    ["age", *[ctx.lemma(w) for w in [*what, *about]], ctx.lemma(who) if who else ""]
                ).strip()
                yield Span("count", at, at + len(g.group("n")), n, "years old", None, subject, head)


_AGE = re.compile(
    rf"\b(?:(?P<cmp>older than|younger than|under|over|below|above)\s+)?(?:aged?|ages|(?:the\s+)?age\s+of)\s+"
    rf"(?:(?P<cmp2>under|over|below|above|younger than|older than)\s+)?(?P<n>{_NUM})\b"
    rf"|\b(?P<n2>{_DIGITS}|{_WORDNUM})-year-old\b"
    rf"|\b(?P<cmp4>as young as|as old as)\s+(?P<n4>{_NUM})\b(?!\s+(?:percent|%))"
    rf"|\b(?:(?P<cmp3>at least|under|over|as young as|as old as)\s+)?(?P<n3>{_NUM})\s+years?(?:\s+of\s+age\b|\s+old\b|(?=\s+(?:and|or)\s+(?P<tail>older|younger|above|over|under)\b))",
    re.IGNORECASE,
)
_AGES_AND = re.compile(rf"\bages\s+(?P<a>{_NUM})\s+and\s+(?P<b>{_NUM})\b")


def _age_head(sentence: str, start: int, end: int) -> tuple[str, str]:
    """What an age is the age of: "a girl younger than age 15" -> "age of girl"."""
    after = (
        ctx.noun_phrase(ctx.tokens_after(sentence, end)) if sentence[start:end].endswith("-year-old") else []
    )
    if after:
        return " ".join(after), f"age of {ctx.head_of(after)}"
    subject, head = _before(sentence, start)
    return subject or "age", f"age of {head}" if head and head != "age" else "age"


def _ages(sentence: str) -> Iterator[Span]:
    for m in _AGES_AND.finditer(sentence):
        subject, head = _age_head(sentence, m.start(), m.end())
        for key in ("a", "b"):
            n = q.parse_number(m.group(key))
            if n is not None:
                yield Span("count", m.start(key), m.end(key), n, "years old", None, subject, head)
    for m in _AGE.finditer(sentence):
        n = q.parse_number(m.group("n") or m.group("n2") or m.group("n3") or m.group("n4"))
        if n is not None:
            tail = m.group("tail") and f"or {m.group('tail').lower()}"
            qual = m.group("cmp") or m.group("cmp2") or m.group("cmp3") or m.group("cmp4") or tail
            subject, head = _age_head(sentence, m.start(), m.end())
            yield Span("count", m.start(), m.end(), n, "years old", qual and qual.lower(), subject, head)


_AGE_EXAMPLES: tuple[tuple[str, FactKind, object], ...] = (
    ("The minimum age for marriage was 22 for men and 20 for women.", "count", 22.0),
    ("Cases against persons younger than age 14 were dismissed.", "count", 14.0),
    ("A 15-year-old boy was shot.", "count", 15.0),
    ("Service was mandatory for men at least 18 years of age.", "count", 18.0),
    ("Visas were refused to children 11 years and older.", "count", 11.0),
    ("Children as young as 14 could sign a contract.", "count", 14.0),
)

_ORDINAL = re.compile(
    r"\b(?:its|their|the|a|his|her)\s+(?P<ord>"
    + "|".join(q.ORDINALS)
    + r")\s+(?:(?P<consec>consecutive|straight|successive)\s+)?"
    + r"(?P<noun>[a-z][a-z-]+(?:\s+(?!(?:in|of|on|at|for|to|and|or|since|as|by|with|from|that|which)\b)[a-z][a-z-]+)?)",
    re.IGNORECASE,
)


def _ordinals(sentence: str) -> Iterator[Span]:
    for m in _ORDINAL.finditer(sentence):
        if m.group("ord")[0].isupper() and m.start("ord") > 0:
            continue  # "the Third Committee": a name
        noun = m.group("noun").lower()
        if m.group("consec"):
            noun = f"consecutive {noun}"
        head = ctx.lemma(noun.split()[-1]) if len(noun.split()) == 1 else ctx.head_of(noun.split())
        value = float(q.ORDINALS[m.group("ord").lower()])
        yield Span("count", m.start("ord"), m.end(), value, None, "ordinal", noun, head)


_ORDINAL_EXAMPLES: tuple[tuple[str, FactKind, object], ...] = (
    ("It carried out its sixth nuclear test.", "count", 6.0),
    ("They spent their sixth year in detention.", "count", 6.0),
)

# --- plain counts and vague quantities -----------------------------------------------------------
_VAGUE = re.compile(rf"(?<![\w-])(?P<vague>{q.VAGUE_PATTERN})\s+(?:of\s+)?(?=[a-z])", re.IGNORECASE)


def _vague(sentence: str) -> Iterator[Span]:
    for m in _VAGUE.finditer(sentence):
        vague = m.group("vague").lower()
        if vague in ("hundreds", "thousands", "millions", "dozens", "scores") and not m.group(
            0
        ).rstrip().endswith("of"):
            continue  # "thousands" alone without "of" is rarely a count ("several thousands" is caught above)
        subject, head, event = _counted(sentence, m.end())
        if not head:
            continue
        qual, begin = ctx.qualifier_before(sentence, m.start())
        lo, hi = q.VAGUE[vague]
        value: float | tuple[float, float] = lo if lo == hi else (lo, hi)
        qualifier = (qual or ("about" if lo == hi else vague)).lower()
        yield Span("count", begin, m.end(), value, None, qualifier, subject, head, event)


_VAGUE_EXAMPLES: tuple[tuple[str, FactKind, object], ...] = (
    ("Police detained a dozen activists.", "count", 12.0),
    ("Hundreds of abducted citizens remain missing.", "count", (200.0, 999.0)),
    ("Several thousand refugees crossed the border.", "count", (2000.0, 9999.0)),
)

_COUNT = re.compile(rf"(?P<n>{_NUM})(?=\s+[A-Za-z(]|(?<=\d)[.,;:)]?(?:\s|$))", re.IGNORECASE)
_CEILING_QUALS = ("up to", "as many as", "as high as", "at most", "no more than")


def _is_pronoun_one(sentence: str, start: int, end: int) -> bool:
    """ "one of the", "no one": a pronoun, not a count."""
    return bool(
        re.match(r"\s+(?:of|another|and|who|which|in\s+(?:\d|[a-z]+\b))\b", sentence[end : end + 16])
        or re.search(r"\b(?:no|any|every|some|each|the)\s+$", sentence[max(0, start - 8) : start].lower())
    )


def _counts(sentence: str) -> Iterator[Span]:
    for m in _COUNT.finditer(sentence):
        text = m.group("n")
        n = q.parse_number(text)
        start, end = m.start("n"), m.end("n")
        if n is None or is_name_number(sentence, start, end) or (q.is_year(n) and text.isdigit()):
            continue
        if text.lower() == "one" and _is_pronoun_one(sentence, start, end):
            continue
        if re.search(r"\bone\s+in\s+$", sentence[max(0, start - 8) : start], re.IGNORECASE):
            continue  # "one in six children": a ratio, not a count
        span = _count_at(sentence, start, end, n)
        if span is not None:
            yield span


# "seven years ago", "two years later": a time counted from the day of writing or from another
# event, which each edition restates ("eight years ago" a year on): never a figure to compare
_RELATIVE_TIME = re.compile(
    r"\s+(?:years?|months?|weeks?|days?|decades?|hours?)\s+(?:later|ago|earlier|previously)\b", re.IGNORECASE
)


def _count_at(sentence: str, start: int, end: int, n: float) -> Span | None:
    """The count `n` written at `start:end`, with its qualifier and what it counts."""
    if _RELATIVE_TIME.match(sentence, end):
        return None
    qual, begin = ctx.qualifier_before(sentence, start)
    tail = re.match(r"\s+or\s+(more|fewer|less|older|younger|above|below)\b", sentence[end : end + 20])
    if tail:  # "10 or more years"
        qual = f"or {tail.group(1).lower()}"
    subject, head, event = _counted(sentence, end + (tail.end() if tail else 0))
    than = re.search(
        r"\b(?:more|less|fewer|older|younger|greater|higher|lower)\s+than\s+$",
        sentence[max(0, start - 20) : start].lower(),
    )
    if not head and (qual or than):
        subject, head = _before(sentence, begin - (len(than.group(0)) if than else 0))
        if than and not qual:
            qual = than.group(0).strip()
        event = ctx.event_near(sentence, begin, [])
    if not head:
        return None
    unit = f"{head}s" if head in _TIME_UNITS else None
    if qual in _CEILING_QUALS:  # "up to 120,000": from nothing up to 120,000
        return Span("range", begin, end, (0.0, n), unit, qual, subject, head, event)
    return Span("count", begin, end, n, unit, qual, subject, head, event)


_COUNT_EXAMPLES: tuple[tuple[str, FactKind, object], ...] = (
    ("HRW counted 17 Japanese citizens abducted.", "count", 17.0),
    ("At least 61 journalists were held.", "count", 61.0),
    ("There were one hundred and twenty prisoners.", "count", 120.0),
    ("Donors sent two hundred fifty thousand tons of food.", "count", 250000.0),
    ("Police arrested 12 editors and reporters.", "count", 12.0),
    ("Up to 120,000 detainees are held.", "range", (0.0, 120000.0)),
)

_NAME_LIST_EXAMPLES: tuple[tuple[str, FactKind, object], ...] = (
    ("The NGOs Justicia 11J, Prisoners Defenders, and Cubalex said so.", "list", ("Justicia 11J", "Prisoners Defenders", "Cubalex")),
    ("Killing, Kidnapping, Forced Returns, or Other Violence or Threats: Reports said so.", "list", None),
    ("They visited Kaesong, Wonsan, and Hamhung.", "list", ("Kaesong", "Wonsan", "Hamhung")),
    (
        "It blocked the New York Times, the BBC, and The Economist.",
        "list",
        ("New York Times", "BBC", "The Economist"),
    ),
    (
        "Workers of the Korea Peace Foundation for Human Rights Research, Seoul Media, and Daily NK left.",
        "list",
        ("Korea Peace Foundation for Human Rights Research", "Seoul Media", "Daily NK"),
    ),
)

# Every rule but ordinals, vague quantities and name lists reads a figure; a percentage ends
# with "%", "percent" or "per cent"; an age is written with "age", "year", "as young/old as".
_FIG = (FIGURE_HINT,)
_PERCENT_HINT = (FIGURE_HINT, re.compile(r"%|per ?cent", re.IGNORECASE))
_AGE_HINT = (FIGURE_HINT, re.compile(r"age|year|as young as|as old as", re.IGNORECASE))
# An amount of money has a currency sign or code (`q.CURRENCY_SIGNS`) or name.
_MONEY_HINT = (FIGURE_HINT, re.compile(rf"[$\u20ac\u00a3\u00a5]|USD|EUR|RMB|{q.CURRENCY_NAMES}", re.IGNORECASE))
RULES: tuple[Rule, ...] = (
    Rule("camp list", _camp_lists, _CAMP_EXAMPLES, _FIG),
    Rule("money", _money, _MONEY_EXAMPLES, _MONEY_HINT),
    Rule("percent", _percent, (("Turnout was 98 percent of voters.", "percent", 98.0),), _PERCENT_HINT),
    Rule("date", _dates, (("On December 11, 2017, it ended.", "date", "2017-12-11"),), _FIG),
    Rule("range", _ranges, _RANGE_EXAMPLES, _FIG),
    Rule("enumerated", _enumerated, (("They got 10, nine, and seven years in prison.", "count", 9.0),), _FIG),
    Rule("duration", _durations, (("It set a two-year strategy.", "count", 2.0),), _FIG),
    Rule("copula", _copulas, _COPULA_EXAMPLES, _FIG),
    Rule("elided", _elided, _ELIDED_EXAMPLES, _FIG),
    Rule("age stated", _ages_stated, _AGE_EXAMPLES[:1], _FIG),
    Rule("age", _ages, _AGE_EXAMPLES[1:], _AGE_HINT),
    Rule("ordinal", _ordinals, _ORDINAL_EXAMPLES),
    Rule("vague", _vague, _VAGUE_EXAMPLES),
    Rule("count", _counts, _COUNT_EXAMPLES, _FIG),
    Rule("name list", _name_lists, _NAME_LIST_EXAMPLES),
)
