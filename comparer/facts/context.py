"""Context of a figure: what it counts (a noun phrase and its lemmatised head), its event, its qualifier.

The counted thing is the noun phrase after the figure ("17 Japanese citizens", "12 editors
and reporters", "73 were members of parliament"), else the nearest noun before it ("the
number of prisoners rose to more than 200"). Its head noun, lemmatised with lemminflect
("citizens" -> "citizen"), is the claim's identity: figures whose heads differ are never one
claim. Word classes come from lemminflect's lexicon, so "abducted" (a verb only) ends a noun
phrase and "citizens" (a noun) can be its head.

`STOP` is the one stop-word list of the project (also used by `align` and `claims`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from comparer.facts.lexicon import all_lemmas, oov_lemmas
from comparer.facts.quantities import QUALIFIERS, WORDNUM

STOP = frozenset(
    "a an the of in on at by for to from with and or but that which who whom whose were was is "
    "are be been being had has have as than into during since its their his her it they he she this "
    "these those there including among per each some all about such not no also other more most "
    "any both either neither our your my we you i us them him".split()
)
# Words that end a noun phrase: prepositions, conjunctions, relative pronouns, auxiliaries.
_PHRASE_END = frozenset(
    "that which who whom whose were was is are be been had has have in on at by for to from with "
    "during since and or but as than into after before while because according if when where "
    "over under between against without within per via across through until including "
    "aged".split()  # "eight aged under 18": the age of what was counted, not a noun
)
_LEADING = frozenset("of the its their his her a an these those such".split())
# Nouns that take their complement into the identity: "members of parliament".
_RELATIONAL = frozenset(
    "member members group groups family families case cases number numbers head heads".split()
)
_TOKEN = re.compile(r"[A-Za-z][\w\u2019'-]*|\d[\d,.]*|[^\w\s]")
WINDOW = 160  # characters around a figure read for its context (keeps work linear per figure)
_MONTH_WORDS = frozenset(
    "january february march april may june july august september october november december".split()
)


@lru_cache(maxsize=65536)
def word_classes(word: str) -> frozenset[str]:
    """The parts of speech lemminflect knows for `word` ("NOUN", "VERB", "ADJ"...)."""
    return frozenset(all_lemmas(word))


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The lemma of `word` as a noun: "citizens" -> "citizen", "women" -> "woman"."""
    low = word.lower().replace("\u2019", "'").rstrip("'")
    found = all_lemmas(low).get("NOUN") or oov_lemmas(low, "NOUN").get("NOUN")
    return found[0] if found else low


def _is_nounish(word: str) -> bool:
    classes = word_classes(word)
    return not classes or bool(classes & {"NOUN", "PROPN", "ADJ", "NUM"}) or word[:1].isupper()


def _is_verb_only(word: str) -> bool:
    classes = word_classes(word)
    return "VERB" in classes and not classes & {"NOUN", "PROPN", "ADJ"} and not word[:1].isupper()


def tokens_after(sentence: str, end: int) -> list[str]:
    """Word and punctuation tokens of the window after `end`."""
    return _TOKEN.findall(sentence[end : end + WINDOW])


def noun_phrase(tokens: list[str], limit: int = 5) -> list[str]:
    """The noun phrase at the start of `tokens`: modifiers, a head, "of X", "and Y" coordination."""
    out: list[str] = []
    i = 0
    while i < len(tokens) and tokens[i].lower() in _LEADING:
        i += 1
    joined = 0  # "of" and "and" taken in
    while i < len(tokens) and len(out) < limit:
        token, low = tokens[i], tokens[i].lower()
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if low in ("of", "and", "or") and out and joined == 0 and _joins(low, out[-1], nxt):
            out.append(token)
            joined += 1
            i += 1
            continue
        if not token[:1].isalpha() or low in _PHRASE_END or low in _MONTH_WORDS:
            break
        if re.fullmatch(r"(?:year|month|week|day|hour)s?['\u2019]", low):
            out.append(token)  # "three years’ imprisonment": a span of time
            break
        # a participle before a noun modifies it ("12 detained journalists"); else a verb ends the phrase
        modifier = (
            low.endswith(("ed", "ing")) and nxt[:1].isalpha() and _is_nounish(nxt) and not _is_verb_only(nxt)
        )
        if _is_verb_only(token) and not modifier:
            break
        if word_classes(token) == {"ADV"} and nxt[:1].isalpha():
            i += 1  # "four officially registered groups": an adverb inside the phrase
            continue
        out.append(token)
        i += 1
    while out and out[-1].lower() in ("of", "and", "or"):
        out.pop()
    return out


def _joins(word: str, last: str, nxt: str) -> bool:
    """Whether "of"/"and" between `last` and `nxt` continues the phrase ("editors and reporters")."""
    if not nxt[:1].isalpha() or nxt.lower() in STOP or nxt.lower() in _MONTH_WORDS:
        return False
    if word == "of":
        return _is_nounish(nxt)
    return _is_noun(nxt) and _is_plural_noun(nxt) and _is_plural_noun(last)


def _is_noun(word: str) -> bool:
    classes = word_classes(word)
    return not classes or "NOUN" in classes or "PROPN" in classes


def _is_plural_noun(word: str) -> bool:
    return _is_noun(word) and lemma(word) != word.lower()


def head_of(phrase: list[str]) -> str:
    """The lemmatised head of a noun phrase: "Japanese citizens" -> "citizen".

    Coordinated heads are kept together ("editors and reporters" -> "editor and reporter");
    a relational head keeps its complement ("members of parliament" -> "member of parliament").
    """
    if not phrase:
        return ""
    lowered = [w.lower() for w in phrase]
    for joiner in ("and", "or"):
        if joiner in lowered:
            k = lowered.index(joiner)
            left, right = _bare(head_of(phrase[:k])), _bare(head_of(phrase[k + 1 :]))
            return f"{left} and {right}" if left and right else left or right
    if "of" in lowered:
        k = lowered.index("of")
        left, right = head_of(phrase[:k]), head_of(phrase[k + 1 :])
        if phrase[k - 1].lower() in _RELATIONAL and right:
            return f"{_bare(left)} of {_bare(right)}"
        return left or right
    common = [k for k, w in enumerate(phrase) if w[:1].islower() and _is_noun(w)]
    names = [k for k, w in enumerate(phrase) if w[:1].isupper()]
    at = (common or names or [len(phrase) - 1])[-1]
    if _ACRONYM.fullmatch(phrase[-1]):
        at = len(phrase) - 1  # "domestic NGOs": an acronym last is the head, not a noun before it
    found = lemma(phrase[at])
    head = HEAD_CONCEPTS.get(found, found)
    scale = phrase[at + 1].lower() if at + 1 < len(phrase) else ""
    if head == "degree" and scale in _SCALES:
        return f"degree|{_SCALES[scale]}"  # 38 degrees Celsius is not 113 degrees Fahrenheit
    # a noun before the head that can be nothing but a noun names a kind of it: "radio station"
    modifier = word_classes(phrase[at - 1]) if at > 0 and phrase[at - 1][:1].islower() else frozenset()
    if "NOUN" in modifier and "ADJ" not in modifier:
        return f"{head}|{lemma(phrase[at - 1])}"
    return head


_ACRONYM = re.compile(r"[A-Z]{2,}(?:['\u2019]?s)?")
_SCALES = {"celsius": "celsius", "centigrade": "celsius", "fahrenheit": "fahrenheit"}


def _bare(head: str) -> str:
    """A head without its noun modifier ("station|radio" -> "station")."""
    return head.split("|", 1)[0]


def same_head(a: str, b: str) -> bool:
    """Whether two heads name the same thing: equal nouns, and equal modifiers where both have one.

    "station|radio" and "station|television" differ; "camp|prison" and "camp" agree.
    """
    head_a, _, mod_a = a.partition("|")
    head_b, _, mod_b = b.partition("|")
    return head_a == head_b and (not mod_a or not mod_b or mod_a == mod_b)


# Heads that reports use for the same counted thing: general vocabulary of human rights
# reporting ("detainees", "prisoners" and "inmates" are counted alike), not any one report's.
HEAD_CONCEPTS = {
    "detainee": "prisoner", "inmate": "prisoner", "people": "person", "individual": "person",
    "kwanliso": "camp", "gulag": "camp", "kyohwaso": "camp", "reporter": "journalist",
    "abductee": "abductee", "child": "child", "minor": "child", "kid": "child",
}  # fmt: skip


def noun_before(sentence: str, start: int) -> list[str]:
    """The nearest content word before `start` that can be a noun, as a one-word phrase."""
    words = re.findall(r"(?<![\w-])[A-Za-z][\w-]*", sentence[max(0, start - WINDOW) : start])  # not "J" of "11J"
    for word in reversed(words):
        low = word.lower()
        if low in STOP or low in _PHRASE_END or low == "between" or re.fullmatch(QUALIFIERS, low):
            continue
        if low in ("least", "estimated", "approximately", "nearly", "almost", "roughly", "around"):
            continue
        if re.fullmatch(WORDNUM, low):
            continue  # "at least eight aged under 18": a number is not what is counted
        if _is_noun(word):
            return [word]
    return []


# Verbs that say nothing of the event counted ("reported 200 deaths" = "200 deaths").
_PLAIN_VERBS = frozenset(
    "be have do say report estimate include remain make take give become total number reach rise "
    "increase decrease fall drop count record document receive allege claim state note tell show find "
    "believe continue put get see know list bring keep go come carry conduct perform occur happen "
    "place".split()
)
# Events that reports name with different verbs.
_EVENTS = {
    "hold": "custody", "detain": "custody", "imprison": "custody", "jail": "custody",
    "incarcerate": "custody", "arrest": "arrest", "apprehend": "arrest", "kill": "kill",
    "murder": "kill", "execute": "execute", "release": "release", "free": "release",
    "pardon": "release", "abduct": "abduct", "kidnap": "abduct", "return": "return",
    "repatriate": "return", "deport": "return", "expel": "return", "refoule": "return", "sentence": "sentence",
    "convict": "sentence", "flee": "flee", "escape": "flee", "defect": "flee",
}  # fmt: skip


@lru_cache(maxsize=65536)
def _verb_lemma(word: str) -> str | None:
    found = all_lemmas(word.lower())
    if set(found) != {"VERB"} or word[:1].isupper():
        return None  # only words that can be nothing but a verb
    verb = found["VERB"][0]
    return None if verb in _PLAIN_VERBS else _EVENTS.get(verb, verb)


def event_near(sentence: str, start: int, after: list[str]) -> str | None:
    """The event a figure counts: a verb just before it, or just after its noun phrase."""
    before = re.findall(r"[A-Za-z][\w-]*", sentence[max(0, start - 40) : start])[-3:]
    for word in reversed(before):
        verb = _verb_lemma(word)
        if verb:
            return verb
    # the clause's verb after the noun phrase, over prepositional phrases and relative pronouns
    if after[:1] and after[0].lower() in _RELATIVE:
        # "Ten journalists who protested in 2001 remained in detention": the relative clause says
        # which journalists; the verb after it, if any, says what happened to them
        first = _first_verb(after[1:16])
        if first is not None:
            main = _first_verb(after[first + 2 : 16], finite=True)
            if main is not None:
                return _clause_event(after[first + 2 + main : 16])
    return _clause_event(after[:12])


_RELATIVE = frozenset("who which that".split())
_YEAR = re.compile(r"(?:19|20)\d\d")


def _first_verb(words: list[str], *, finite: bool = False) -> int | None:
    """Where the first verb group of `words` ends (its last word), None if a clause ends first.

    With `finite`, a gerund ("for protesting") is not a verb group.
    """
    k = 0
    while k < len(words):
        word, low = words[k], words[k].lower()
        if not word[:1].isalpha() and not _YEAR.fullmatch(word):
            return None
        gerund = finite and low.endswith("ing")
        if gerund or low in _AUXILIARIES or set(all_lemmas(low)) != {"VERB"}:
            k += 1
            continue
        while k + 1 < len(words) and set(all_lemmas(words[k + 1].lower())) == {"VERB"}:
            k += 1  # "were arrested", "had been held"
        return k
    return None


def _clause_event(words: list[str]) -> str | None:
    """The event of the first verb in `words` ("were released"); None for a plain verb ("said").

    A participle after a form of "be" is the verb even when it can be an adjective ("were
    injured"); "continued to be held" and "remained detained" count as "held".
    """
    passive = False
    for k, word in enumerate(words):
        low = word.lower()
        if _YEAR.fullmatch(word):
            continue  # a year inside a date phrase: "during the March 2003 crackdown were released"
        if not word[:1].isalpha():
            return None
        if low in _AUXILIARIES:
            passive = passive or low in _BE
            continue
        classes = set(all_lemmas(low))
        if classes != {"VERB"} and not (passive and "VERB" in classes and low.endswith("ed")):
            passive = False
            continue
        verb = all_lemmas(low)["VERB"][0]
        if verb in _ASPECT:
            rest = [w for w in words[k + 1 : k + 4] if w.lower() not in ("to", "be")]
            if [w.lower() for w in rest[:1]] == ["in"]:  # "remained in (incommunicado) detention"
                rest = words[k + 2 : k + 5]
                return next((_PLACE_OF[w.lower()] for w in rest if w.lower() in _PLACE_OF), None)
            return _clause_event(rest[:1]) if rest else None
        if classes == {"VERB"}:
            return _verb_lemma(word)
        return None if verb in _PLAIN_VERBS else _EVENTS.get(verb, verb)
    return None


_BE = frozenset("were was is are be been being".split())
_PLACE_OF = dict.fromkeys(("detention", "prison", "custody", "jail"), "custody")  # "remained in prison"
_ASPECT = frozenset("continue remain".split())  # "continued to be held": the event is "held"


_AUXILIARIES = frozenset(
    "were was is are be been being had has have may might could would will can must shall should "
    "reportedly allegedly still also to not believed thought said estimated reported".split()
)


_TOTAL = re.compile(
    r"\b(?:in\s+total|a\s+total\s+of|total\s+of|cumulative(?:ly)?|altogether|to\s+date|so\s+far|"
    r"since\s+(?:19|20)\d\d|since\s+(?:the\s+)?(?:start|beginning))\b",
    re.IGNORECASE,
)


def scope_near(sentence: str, start: int, end: int) -> str | None:
    """ "total" when the figure is a running total ("in total", "since 2010", "to date"), else None."""
    window = sentence[max(0, start - 40) : end + 40]
    return "total" if _TOTAL.search(window) else None


_QUAL_BEFORE = re.compile(
    rf"(?:^|(?<=\W))({QUALIFIERS})\s+(?:(?:an\s+additional|another|a\s+further|a\s+total\s+of)\s+)?$",
    re.IGNORECASE,
)


def qualifier_before(sentence: str, start: int) -> tuple[str | None, int]:
    """The qualifier written just before `start` ("at least", "up to"), and where it starts."""
    window = sentence[max(0, start - 30) : start]
    m = _QUAL_BEFORE.search(window)
    if not m:
        return None, start
    return m.group(1).lower(), start - (len(window) - m.start(1))
