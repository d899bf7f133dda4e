"""Linking precision and recall on the hand-labelled claim links (tests/data/claim_links_labelled.json).

Each labelled pair names two facts (report file, sentence, fact text) and whether they state one
claim. `score_bundled` links the facts of the stored sentences only (runs on a fresh clone);
`score_corpus` links whole country folders of the shared corpus.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from comparer import claims, facts
from comparer.api import read_reports
from comparer.model import Claim, Fact, Metadata, Report

DATA = Path(__file__).parent / "data" / "claim_links_labelled.json"
Key = tuple[str, str, str, str]  # country, file, sentence, fact text


def load() -> list[dict[str, Any]]:
    """The labelled pairs."""
    return list(json.loads(DATA.read_text(encoding="utf-8"))["pairs"])


def _key(country: str, side: dict[str, Any]) -> Key:
    return country, side["file"], side["sentence"], side["text"]


def _claim_index(linked: list[Claim], country: str) -> dict[Key, str]:
    index: dict[Key, str] = {}
    for claim in linked:
        for report, fact in claim.values:
            index[(country, Path(report.path).name, fact.sentence, fact.text)] = claim.id
    return index


def score(pairs: list[dict[str, Any]], index: dict[Key, str]) -> tuple[float, float, int]:
    """(precision, recall, pairs judged) of the links in `index` on `pairs`."""
    tp = fp = fn = 0
    for pair in pairs:
        a, b = index.get(_key(pair["country"], pair["a"])), index.get(_key(pair["country"], pair["b"]))
        linked = a is not None and a == b
        if linked and pair["same_claim"]:
            tp += 1
        elif linked:
            fp += 1
        elif pair["same_claim"]:
            fn += 1
    return tp / max(1, tp + fp), tp / max(1, tp + fn), len(pairs)


def score_bundled(pairs: list[dict[str, Any]]) -> tuple[float, float, int]:
    """Link the stored sentences of each country as small reports, then score."""
    index: dict[Key, str] = {}
    for country in sorted({p["country"] for p in pairs}):
        sides: dict[str, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
        for pair in pairs:
            if pair["country"] == country:
                for side in (pair["a"], pair["b"]):
                    sides[side["file"]][(side["sentence"], side["previous"])] = side
        reports, found = [], {}
        for name, sentences in sorted(sides.items()):
            any_side = next(iter(sentences.values()))
            meta = Metadata(country=country, publisher=any_side["publisher"], edition=any_side["edition"],
                            covers=any_side["covers"])  # fmt: skip
            report = Report(f"{country}/{name}", name, name, "stored", "", "", meta, (), ())
            reports.append(report)
            found[report.id] = [
                (fact, previous)
                for k, (sentence, previous) in enumerate(sorted(sentences))
                for fact in facts.extract_facts([(sentence, None)], prefix=f"{name}:{k}.")
                if fact.kind != "date"
            ]

        def facts_of(
            report: Report, found: dict[str, list[tuple[Fact, str]]] = found
        ) -> list[tuple[Fact, str]]:
            return found[report.id]

        index |= _claim_index(claims.link_claims(reports, facts_of=facts_of), country)
    return score(pairs, index)


def score_corpus(pairs: list[dict[str, Any]], corpus: Path) -> tuple[float, float, int]:
    """Link each country folder of the corpus, then score."""
    index: dict[Key, str] = {}
    for country in sorted({p["country"] for p in pairs}):
        index |= _claim_index(claims.link_claims(read_reports([corpus / country])), country)
    return score(pairs, index)


def main() -> None:
    """Print precision and recall per part, on stored sentences and (where present) whole folders."""
    pairs = load()
    from tests.conftest import CORPUS as corpus
    for part in ("dev", "heldout"):
        chosen = [p for p in pairs if p["part"] == part]
        p, r, n = score_bundled(chosen)
        print(f"{part} stored sentences: P={p:.3f} R={r:.3f} n={n}")
        if corpus.is_dir():
            p, r, n = score_corpus(chosen, corpus)
            print(f"{part} whole folders:    P={p:.3f} R={r:.3f} n={n}")


if __name__ == "__main__":
    main()
