"""The lexicon answers as lemminflect does, from the same table, without building its dict."""

from __future__ import annotations

import subprocess
import sys

import lemminflect

from comparer.facts import lexicon
from tests.conftest import ROOT

STRIDE = 10  # every tenth word of the table (and some capitalised): ~9,000 words


def _words() -> list[str]:
    """Words of lemminflect's table and overrides, a few capitalised, plus words it lacks."""
    table = sorted({line.split(",", 1)[0] for line in lexicon._table()})
    words = table[::STRIDE] + sorted(lexicon._overrides())
    words += [w.capitalize() for w in words[::7]] + [w.upper() for w in words[::11]]
    return [*words, "", "Xyzzies", "U.S.", "un-word", "citizens", "WOMEN", "Detained", "kwanliso"]


def test_all_lemmas_are_lemminflects() -> None:
    words = _words()
    assert len(words) > 8_000
    mismatched = [w for w in words if dict(lexicon.all_lemmas(w)) != lemminflect.getAllLemmas(w)]
    assert mismatched == []


def test_known_words() -> None:
    assert set(lexicon.all_lemmas("citizens")) == {"NOUN"}
    assert lexicon.all_lemmas("women")["NOUN"] == ("woman",)
    assert lexicon.all_lemmas("Women")["NOUN"] == ("Woman",)
    assert "VERB" in lexicon.all_lemmas("detained")
    assert dict(lexicon.all_lemmas("xyzzies")) == {}


def test_oov_lemmas_are_lemminflects() -> None:
    for word in ("xyzzies", "kwanlisos", "gulags", "Abductees"):
        assert dict(lexicon.oov_lemmas(word, "NOUN")) == lemminflect.getAllLemmasOOV(word, "NOUN")


def test_facts_of_known_words_do_not_import_lemminflect() -> None:
    code = (
        "import sys\nfrom comparer.facts import extract_facts\n"
        "facts = extract_facts([('Police detained 17 journalists in 2020.', None)])\n"
        "assert facts and facts[0].head == 'journalist', facts\n"
        "print('lemminflect' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False"]
