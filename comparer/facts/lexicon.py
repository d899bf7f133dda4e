"""Word classes and lemmas from lemminflect's lexicon, read in milliseconds instead of 0.4 s.

lemminflect builds a dict of its whole lookup table (80,000 lines) the first time it is asked
anything, which took more CPU than the facts of a 100k-word comparison. A comparison asks about a
few hundred words: this module reads the same table (lemminflect's own file, found without
importing lemminflect) as sorted lines, finds a word's lines by bisection, and applies
lemminflect's overrides and capitalisation, so every answer is what `lemminflect.getAllLemmas`
gives (tests/test_lexicon.py checks that over the table). Lemmas of words the table lacks come
from lemminflect's rules (`oov_lemmas`), imported the first time one is needed.
"""

from __future__ import annotations

import bisect
import gzip
import importlib.util
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

_PACKAGE = "lemminflect"
_TABLE = "resources/lemma_lu.csv.gz"  # word,category,lemma/lemma... (categories as lemminflect names them)
_OVERRIDES = "resources/lemma_overrides.csv"  # word,UPOS,lemma; "#" starts a comment
_MEMO_WORDS = 65536  # distinct words remembered (a report has some thousands)
Lemmas = Mapping[str, tuple[str, ...]]  # universal part of speech -> lemmas, as lemminflect answers


def _resource(name: str) -> Path:
    """The path of lemminflect's data file `name` (its package found, not imported)."""
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(_PACKAGE)
    return Path(next(iter(spec.submodule_search_locations))) / name


@lru_cache(maxsize=1)
def _table() -> list[str]:
    """The lines of the lookup table, sorted: a word's lines are one run starting at "word,"."""
    lines = gzip.decompress(_resource(_TABLE).read_bytes()).decode("utf-8").splitlines()
    lines.sort()
    return lines


@lru_cache(maxsize=1)
def _overrides() -> dict[str, dict[str, tuple[str, ...]]]:
    """lemminflect's overrides: word -> {upos: (lemma,)}, later lines winning."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for line in _resource(_OVERRIDES).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, upos, lemma = line.split(",")
        out.setdefault(word, {})[upos] = (lemma,)
    return out


def _upos(category: str) -> str:
    """lemminflect's universal part of speech for a table category ("modal" is AUX)."""
    upos = category.upper()
    return "AUX" if upos == "MODAL" else upos


def _caps(word: str, style: str) -> str:
    """`word` written in the capitalisation `style` ("upper", "first" or "lower"), as lemminflect does."""
    if style == "upper":
        return word.upper()
    if style == "first":
        return word.capitalize()
    return word.lower()


@lru_cache(maxsize=_MEMO_WORDS)
def all_lemmas(word: str) -> Lemmas:
    """The lemmas of `word` by part of speech: `lemminflect.getAllLemmas(word)` (read-only: memoised)."""
    low = word.lower()
    lemmas: dict[str, tuple[str, ...]] = {}
    lines = _table()
    prefix = low + ","
    k = bisect.bisect_left(lines, prefix)
    while k < len(lines) and lines[k].startswith(prefix):
        _, category, forms = lines[k].split(",")
        lemmas[_upos(category)] = tuple(forms.split("/"))
        k += 1
    lemmas.update(_overrides().get(low, {}))
    style = "upper" if word.isupper() else "first" if word[:1].isupper() else "lower"
    return MappingProxyType({upos: tuple(_caps(f, style) for f in forms) for upos, forms in lemmas.items()})


@lru_cache(maxsize=_MEMO_WORDS)
def oov_lemmas(word: str, upos: str) -> Lemmas:
    """Lemmas that lemminflect's rules give a word its table lacks: `getAllLemmasOOV(word, upos)`."""
    from lemminflect import getAllLemmasOOV  # its rules load a model: only when a word needs them

    return MappingProxyType(dict(getAllLemmasOOV(word, upos=upos)))
