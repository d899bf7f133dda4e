"""An evaluation set built from real reports with known edits of every kind.

Each case takes a real report (bundled seeds and tests/data/corpus), writes it out as clean
text (headings and paragraphs), applies edits of one kind at random but reproducible places,
and records what a correct comparison must report. `score_case` compares the report that
comparer gives with that truth and counts true positives, misses and false alarms.

Run as a script to print precision and recall per edit type:
    .venv/bin/python -m tests.eval.edits
"""

from __future__ import annotations

import random
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from comparer.api import compare_reports, read_report, read_text
from comparer.model import Comparison, Report

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / "reports" / "north-korea" / "state-dept-2021.txt",
    ROOT / "reports" / "north-korea" / "hrw-2019.txt",
    ROOT / "reports" / "north-korea" / "amnesty-2022.txt",
    ROOT / "tests" / "data" / "corpus" / "eritrea" / "state-dept-2023.txt",  # copies of the shared
    ROOT / "tests" / "data" / "corpus" / "cuba" / "state-dept-2023.txt",  # corpus's (tests/data/corpus)
]
EDITS_PER_CASE = 6
WORD_NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve"]


@dataclass
class Edit:
    """One edit and what must be reported for it."""

    kind: str
    status: str  # the passage status a correct comparison reports
    old: str | None  # a snippet of the old passage text
    new: str | None  # a snippet of the new passage text
    fact: tuple[object, object] | None = None  # (old value, new value) of a fact change


@dataclass
class Case:
    """A pair of texts and the edits between them."""

    kind: str
    old: str
    new: str
    edits: list[Edit] = field(default_factory=list)
    old_name: str = "old.txt"
    new_name: str = "new.txt"


def _doc(report: Report) -> list[tuple[str, list[str]]]:
    return [(s.heading, [p.text for p in s.paragraphs]) for s in report.sections if s.heading or s.paragraphs]


def _text(doc: list[tuple[str, list[str]]]) -> str:
    parts: list[str] = []
    for heading, paras in doc:
        if heading:
            parts.append(heading)
        parts.extend(paras)
    return "\n\n".join(parts) + "\n"


def _body_slots(
    doc: list[tuple[str, list[str]]], rng: random.Random, pattern: str | None = None
) -> list[tuple[int, int]]:
    slots = [
        (s, p)
        for s, (_, paras) in enumerate(doc)
        for p, text in enumerate(paras)
        if len(text.split()) >= 25 and (pattern is None or re.search(pattern, text))
    ]
    rng.shuffle(slots)
    return slots


def make_case(kind: str, source: Path, seed: int) -> Case:
    """Apply `EDITS_PER_CASE` edits of `kind` to the report at `source`."""
    rng = random.Random(f"{kind}-{source.name}-{seed}")
    report = read_report(source)
    doc = _doc(report)
    old_text = _text(doc)
    new = [(h, list(ps)) for h, ps in doc]
    case = Case(kind, old_text, "")
    if kind in ("flatten", "html", "wrap"):
        case.new, case.new_name = _noise(kind, new)
        return case
    used: set[int] = set()
    pattern = {
        "number": r"(?<![\d,.])\b\d{2,3}\b(?![\d,.]| ?percent)",
        "number-word": r"\b(?:" + "|".join(WORD_NUMBERS) + r")\b",
        "range": r"\b(?:between|from) \d",
        "list": r"(?:[A-Z][\w-]+, ){2,}(?:and |or )[A-Z][\w-]+",
    }.get(kind)
    for s, p in _body_slots(new, rng, pattern):
        if len(case.edits) >= EDITS_PER_CASE:
            break
        if s in used:
            continue
        text = new[s][1][p]
        edit = _apply(kind, new, s, p, text, rng)
        if edit is not None:
            used.add(s)
            case.edits.append(edit)
    case.new = _text(new)
    return case


def _apply(
    kind: str, doc: list[tuple[str, list[str]]], s: int, p: int, text: str, rng: random.Random
) -> Edit | None:
    paras = doc[s][1]
    sentence = next((x for x in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if len(x.split()) >= 8), None)
    if kind == "number":
        m = re.search(r"(?<![\d,.-])\b(\d{2,3})\b(?![\d,.]| ?percent)", text)
        if not m or 1900 <= int(m.group(1)) <= 2100 or re.search(r"[A-Z][\w.]*\s+$", text[: m.start()]):
            return None  # a number after a capitalised word is a name: "Article 19", "No. 14"
        new_num = str(int(m.group(1)) + rng.randint(1, 9))
        paras[p] = text[: m.start()] + new_num + text[m.end() :]
        return Edit(kind, "modified", m.group(0), new_num, (float(m.group(1)), float(new_num)))
    if kind == "number-word":
        m = re.search(r"\b(" + "|".join(WORD_NUMBERS) + r")\b", text)
        if not m:
            return None
        other = rng.choice([w for w in WORD_NUMBERS if w != m.group(1)])
        paras[p] = text[: m.start()] + other + text[m.end() :]
        return Edit(kind, "modified", None, other, None)
    if kind == "range":
        m = re.search(r"\b(between|from) (\d[\d,]*) (and|to) (\d[\d,]*)", text)
        if not m:
            return None
        hi = int(m.group(4).replace(",", ""))
        new_hi = f"{hi * 2:,}"
        paras[p] = text[: m.start(4)] + new_hi + text[m.end(4) :]
        return Edit(kind, "modified", None, new_hi, None)
    if kind == "list":
        m = re.search(r"((?:[A-Z][\w-]+, ){2,})(and |or )([A-Z][\w-]+)", text)
        if not m:
            return None
        items = m.group(1).split(", ")[:-1]
        dropped = items[1]
        rest = [i for i in items if i != dropped]
        replacement = ", ".join(rest) + ", " + m.group(2) + m.group(3)
        paras[p] = text[: m.start()] + replacement + text[m.end() :]
        return Edit(kind, "modified", dropped, None, None)
    if kind == "reword":
        if sentence is None:
            return None
        words = sentence.split()
        k = rng.randrange(1, len(words) - 3)
        reworded = " ".join([*words[:k], "reportedly", "also", *words[k + 1 :]])
        paras[p] = text.replace(sentence, reworded, 1)
        return Edit(kind, "modified", None, "reportedly also", None)
    if kind in ("move", "move-edit"):
        targets = [t for t in range(len(doc)) if t != s and doc[t][0] and abs(t - s) > 1]
        if not targets:
            return None
        moved = paras.pop(p)
        if kind == "move-edit":
            moved = re.sub(r"\b(the government)\b", "the authorities", moved, count=1, flags=re.IGNORECASE)
            if "authorities" not in moved:
                moved = moved.replace(" and ", " as well as ", 1)
        t = rng.choice(targets)
        doc[t][1].insert(0, moved)
        return Edit(kind, "moved", text[:60], moved[:60], None)
    if kind == "delete":
        paras.pop(p)
        return Edit(kind, "removed", text[:80], None, None)
    if kind == "insert":
        filler = (
            f"In a statement issued in {rng.choice(['March', 'June', 'October'])}, officials announced a review "
            f"of procedures affecting {rng.choice(['detainees', 'journalists', 'farmers', 'students'])} in "
            f"{rng.choice(['northern', 'southern', 'border'])} provinces, without giving further details."
        )
        paras.insert(p, filler)
        return Edit(kind, "added", None, filler[:80], None)
    if kind == "rename":
        heading = doc[s][0]
        if not heading or len(heading.split()) < 2:
            return None
        # Reword as editors do: drop a word, add a qualifier ("Border Tightening" -> "Tightening Issues").
        number = re.match(r"^(?:Section \d+\.|[a-h]\.)\s*", heading)
        prefix, words = (number.group(0) if number else ""), heading[number.end() if number else 0 :].split()
        if len(words) < 2:
            return None
        rest = words[1:]
        while rest and rest[0].lower() in ("of", "and", "or", "the", "to", "in", "for", "with"):
            rest = rest[1:]
        if not rest:
            return None
        renamed = prefix + " ".join([rest[0][:1].upper() + rest[0][1:], *rest[1:], "Issues"])
        doc[s] = (renamed, paras)
        return Edit(kind, "matched", heading, renamed, None)
    raise ValueError(kind)


def _noise(kind: str, doc: list[tuple[str, list[str]]]) -> tuple[str, str]:
    if kind == "flatten":
        return "".join(([h] if h else []) + ps for h, ps in doc for _ in [0]).replace(
            "\n", " "
        ) if False else "".join((h if h else "") + "".join(ps) for h, ps in doc), "new.txt"
    if kind == "wrap":
        return "\n\n".join(
            textwrap.fill(x, 66) for h, ps in doc for x in ([h] if h else []) + ps
        ) + "\n", "new.txt"
    body = "".join((f"<h2>{h}</h2>" if h else "") + "".join(f"<p>{p}</p>" for p in ps) for h, ps in doc)
    return (
        f"<!DOCTYPE html><html><body><header><a href='/'>Home</a></header><main>{body}</main></body></html>",
        "new.html",
    )


KINDS = ["number", "number-word", "range", "list", "reword", "move", "move-edit", "delete", "insert", "rename",
         "flatten", "html", "wrap"]  # fmt: skip
NOISE = {"flatten", "html", "wrap"}


def run_case(case: Case) -> Comparison:
    return compare_reports(read_text(case.old, name=case.old_name), read_text(case.new, name=case.new_name))


def score_case(case: Case, comparison: Comparison) -> tuple[int, int, int]:
    """Return (true positives, missed edits, false alarms) of `comparison` against `case`."""
    if case.kind == "rename":
        pairs = {(s.old.heading, s.new.heading) for s in comparison.sections if s.old and s.new}
        tp = sum(1 for e in case.edits if (e.old, e.new) in pairs)
        false = sum(1 for s in comparison.sections if s.status != "matched")
        return tp, len(case.edits) - tp, false
    reported = [p for p in comparison.passages if p.status != "unchanged"]
    hit: set[int] = set()
    found = 0
    for e in case.edits:
        ok = False
        for k, p in enumerate(reported):
            if p.status != e.status:
                continue
            old_ok = e.old is None or (p.old is not None and e.old[:40] in p.old.text)
            new_ok = e.new is None or (p.new is not None and e.new[:40] in p.new.text)
            if old_ok and new_ok and (e.old or e.new):
                hit.add(k)
                ok = True
        if e.fact is not None and ok:
            ok = any(
                f.status == "changed"
                and f.old
                and f.new
                and _holds(f.old.value, e.fact[0])
                and _holds(f.new.value, e.fact[1])
                for f in comparison.facts
            )
        found += ok
    false = len([k for k in range(len(reported)) if k not in hit])
    return found, len(case.edits) - found, false


def _holds(value: object, number: object) -> bool:
    """Whether a fact value is `number` or a range with `number` as a bound."""
    return value == number or (isinstance(value, tuple) and number in value)


def evaluate(kinds: list[str] = KINDS, sources: list[Path] = SOURCES) -> dict[str, dict[str, float]]:
    """Precision and recall per edit kind over all sources (noise kinds: false alarms only)."""
    out: dict[str, dict[str, float]] = {}
    for kind in kinds:
        tp = fn = fp = 0
        for seed, source in enumerate(s for s in sources if s.exists()):
            case = make_case(kind, source, seed)
            a, b, c = score_case(case, run_case(case))
            tp, fn, fp = tp + a, fn + b, fp + c
        out[kind] = {
            "edits": tp + fn,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
            "precision": round(tp / (tp + fp), 3) if tp + fp else (1.0 if fp == 0 else 0.0),
            "false_alarms": fp,
        }
    return out


if __name__ == "__main__":
    for kind, row in evaluate().items():
        print(
            f"{kind:12} edits {row['edits']:>3}  recall {row['recall']:.2f}  precision {row['precision']:.2f}  false alarms {row['false_alarms']}"
        )
