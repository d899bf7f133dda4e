"""Stage 7, diff: word-level diffs of matched passages with diff-match-patch.

Words, not characters, are the unit: each distinct token (a word, a run of spaces, a
punctuation mark) is mapped to one character, diff-match-patch diffs those strings, and
semantic cleanup merges the result into readable chunks (no single-character confetti).
Tokens compare by their folded form, so curly vs straight quotes or dash variants are never a
change; equal text is shown as the new report writes it. Footnote markers ("needs.2 Despite")
and tokens that fold to nothing (icons, private-use glyphs, invisible marks) are not diffed:
each goes with the word before it, so a marker that appears, disappears or is renumbered is
never a change.

diff-match-patch's default `Diff_Timeout` of 1 s silently returns "delete all, insert all"
on long inputs; comparer diffs one matched passage at a time (never whole documents) and
turns the timeout off, so a diff is always exact.
"""

from __future__ import annotations

import re
from functools import lru_cache

from diff_match_patch import diff_match_patch

from comparer.model import DiffOp
from comparer.textnorm import fold, footnote_spans

_TOKEN = re.compile(r"\s+|\w+(?:[-'\u2019.,]\w+)*|[^\w\s]")
_OPS: dict[int, DiffOp] = {0: "=", -1: "-", 1: "+"}


def _tokens(text: str) -> tuple[list[str], list[int]]:
    """The tokens of `text`, and the indices of those that are not footnote markers."""
    tokens: list[str] = []
    kept: list[int] = []
    last = 0
    for start, end in (*footnote_spans(text), (len(text), len(text))):
        words = _TOKEN.findall(text[last:start])
        kept += [len(tokens) + k for k, w in enumerate(words) if w.isspace() or _key(w)]
        tokens += words
        if end > start:
            tokens.append(text[start:end])
        last = end
    # Spaces on both sides of a token left out are one run of spaces.
    runs = [k for n, k in enumerate(kept) if not (n and tokens[k].isspace() and tokens[kept[n - 1]].isspace())]
    return tokens, runs


def _raw(tokens: list[str], kept: list[int], i: int, n: int) -> str:
    """The text of kept tokens `i` to `i + n`, with the markers that follow them (or lead the text)."""
    start = 0 if i == 0 else kept[i]
    end = kept[i + n] if i + n < len(kept) else len(tokens)
    return "".join(tokens[start:end])


@lru_cache(maxsize=200_000)
def _key(token: str) -> str:
    if token.isspace():
        return " "
    return fold(token)


def diff_words(old: str, new: str) -> tuple[tuple[DiffOp, str], ...]:
    """Return the word diff from `old` to `new` as (op, text) pairs; op is "=", "-" or "+"."""
    (old_tokens, old_kept), (new_tokens, new_kept) = _tokens(old), _tokens(new)
    codes: dict[str, str] = {}

    def encode(tokens: list[str], kept: list[int]) -> str:
        out = []
        for token in (tokens[k] for k in kept):
            key = _key(token)
            if key not in codes:
                # Private-use and higher planes give room for any number of distinct tokens.
                codes[key] = chr(0xF0000 + len(codes)) if len(codes) < 0xFFFD else chr(0x100000 + len(codes))
            out.append(codes[key])
        return "".join(out)

    a, b = encode(old_tokens, old_kept), encode(new_tokens, new_kept)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # exact diffs: inputs are single passages
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    out: list[tuple[DiffOp, str]] = []
    i = j = 0
    for op, chunk in diffs:
        n = len(chunk)
        if op == 0:
            text = _raw(new_tokens, new_kept, j, n)
            i, j = i + n, j + n
        elif op == -1:
            text = _raw(old_tokens, old_kept, i, n)
            i += n
        else:
            text = _raw(new_tokens, new_kept, j, n)
            j += n
        if out and out[-1][0] == _OPS[op]:
            out[-1] = (out[-1][0], out[-1][1] + text)
        else:
            out.append((_OPS[op], text))
    return _absorb_whitespace(out)


def _absorb_whitespace(ops: list[tuple[DiffOp, str]]) -> tuple[tuple[DiffOp, str], ...]:
    """Fold an equal run of only spaces between two changes into them, so changes read as phrases."""
    out: list[tuple[DiffOp, str]] = []
    for k, (op, text) in enumerate(ops):
        between = 0 < k < len(ops) - 1 and ops[k - 1][0] != "=" and ops[k + 1][0] != "="
        if op == "=" and between and not text.strip():
            out.append(("-", text))
            out.append(("+", text))
        else:
            out.append((op, text))
    merged: list[tuple[DiffOp, str]] = []
    deletes, inserts = "", ""
    for op, text in out:
        if op == "-":
            deletes += text
        elif op == "+":
            inserts += text
        else:
            if deletes:
                merged.append(("-", deletes))
            if inserts:
                merged.append(("+", inserts))
            deletes, inserts = "", ""
            merged.append((op, text))
    if deletes:
        merged.append(("-", deletes))
    if inserts:
        merged.append(("+", inserts))
    return tuple(merged)


def old_text(ops: tuple[tuple[DiffOp, str], ...]) -> str:
    """The old side of a diff (equal text as the new side writes it)."""
    return "".join(t for op, t in ops if op != "+")


def new_text(ops: tuple[tuple[DiffOp, str], ...]) -> str:
    """The new side of a diff."""
    return "".join(t for op, t in ops if op != "-")
