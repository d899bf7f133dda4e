"""Generated hostile reports: real report text, cut and mutated the ways damaged files are.

`generate(rng)` returns (file name, bytes). The mutations are classes of damage seen in the
wild or in attacks: wrong and mixed encodings, BOMs, control and zero-width characters,
terminal escapes, mojibake, markup fragments and deep nesting, PDF headers, truncation,
byte flips, huge lines and many headings or numbers.
"""

from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SOURCES = sorted((ROOT / "reports").rglob("*.txt"))

FRAGMENTS = (
    "\x00", "\x01", "\x07", "\x1b[2J", "\x1b]0;title\x07", "\x85", "\x97", "\x9b", "\u200b", "\u2060",
    "\ufeff", "\ufffe", "\ufdd0", "\u202e", "\ud7ff", "\U0001f600", "Ã©", "â€™", "<![i", "<!--", "<script>",
    "</p>", "<h2>", "&#0;", "&#x1b;", "&amp;", "%PDF-1.4", "%%EOF", "#", "## ", "1.", "Section 1.", "\f",
    "\r", "\r\n", "\t", "   ", "\n\n\n", "=SUM(A1)", "+1", "-2", "@x", "2019", "1,000", "50%", "$3 million",
    "between 10 and 20", "in 2019 and 2020", "|", "*", "`", "[", "]", "{{", "}}", "{%", "\\",
)  # fmt: skip
ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32-le",
    "utf-32-be",
    "cp1252",
    "latin-1",
)
SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".txt", ".txt")


def _source_text(rng: random.Random) -> str:
    if not _SOURCES:
        return "Report\n\nSection 1. Detention\n\nThe government detained 120 people in 2019.\n"
    text = rng.choice(_SOURCES).read_text(encoding="utf-8")
    start = rng.randrange(max(1, len(text) - 200))
    return text[start : start + rng.choice((50, 300, 1500, 4000))]


def _mutate_text(text: str, rng: random.Random) -> str:
    for _ in range(rng.choice((0, 1, 3, 10, 40))):
        pos = rng.randrange(len(text) + 1)
        op = rng.randrange(6)
        if op == 0:
            text = text[:pos] + rng.choice(FRAGMENTS) + text[pos:]
        elif op == 1:
            text = text[:pos] + rng.choice(FRAGMENTS) * rng.choice((2, 50, 500)) + text[pos:]
        elif op == 2:
            text = text[:pos] + text[pos + rng.randrange(1, 200) :]
        elif op == 3:
            text = text[:pos] + chr(rng.randrange(0x20, 0x3000)) + text[pos:]
        elif op == 4:
            text = text[:pos] + "\n\n" + rng.choice(("# ", "", "Section 9. ")) + "Heading\n\n" + text[pos:]
        else:
            text = (
                text[:pos]
                + " ".join(str(rng.randrange(10**6)) for _ in range(rng.choice((5, 300))))
                + text[pos:]
            )
    return text


def _wrap(text: str, rng: random.Random) -> tuple[str, str]:
    """Give `text` a format: plain, Markdown, HTML (maybe deeply nested), a fake PDF."""
    kind = rng.choice(SUFFIXES)
    if kind in (".html", ".htm"):
        depth = rng.choice((0, 1, 10, 1200, 4000))
        tag = rng.choice(("div", "b", "span", "section", "li"))
        paras = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        body = f"<{tag}>" * depth + paras + (f"</{tag}>" * depth if rng.random() < 0.5 else "")
        return (
            kind,
            f"<!DOCTYPE html><html><head><title>t</title></head><body><h1>Report</h1>{body}</body></html>",
        )
    if kind == ".pdf":
        return kind, "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + text[:200] + "\n%%EOF\n"
    if kind == ".md":
        return kind, "# Report\n\n" + text
    return kind, text


def _encode(text: str, rng: random.Random) -> bytes:
    encoding = rng.choice(ENCODINGS)
    data = text.encode(encoding, errors=rng.choice(("replace", "ignore")))
    if rng.random() < 0.15:  # byte-level damage
        raw = bytearray(data)
        for _ in range(rng.randrange(1, 20)):
            if raw:
                raw[rng.randrange(len(raw))] = rng.randrange(256)
        data = bytes(raw)
    if rng.random() < 0.05:
        data = data[: rng.randrange(len(data) + 1)]
    return data


def generate(rng: random.Random) -> tuple[str, bytes]:
    """One generated report: (file name, bytes)."""
    text = _mutate_text(_source_text(rng), rng)
    suffix, text = _wrap(text, rng)
    return f"fuzz{suffix}", _encode(text, rng)
