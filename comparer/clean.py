"""Stage 2, clean: mark web boilerplate among a document's blocks.

Rules look at the shape and role of a block, never at phrases of particular reports:
- pattern rules for site chrome that every site words alike (skip links, security banners,
  cookie and share lines, donation appeals, sign-up prompts, language menus, copyright and
  address footers, photo credits, form controls such as "01 / Select A Year");
- position rules: before the first body paragraph, runs of short non-sentences are menus and
  a run that re-appears later as headings is the page's own table of contents; after the last
  body paragraph, short non-sentences are the page footer; a "related/newsroom" heading near
  the end starts a list of related items.
Every removed block keeps its reason so an editor can audit what was dropped.
"""

from __future__ import annotations

import re
from dataclasses import replace

from comparer.model import Block
from comparer.textnorm import fold, match_key, prose_end

# A breadcrumb: up to five words per crumb, each starting with a capital or digit, joined by
# ">" (one is enough) or by "/", "|" (two or more: "and / or" is prose); a scraper that glues
# text nodes drops the spaces around "|" ("Front page|News|Topics"), never a word's "/".
_CRUMB = r"[A-Z0-9][^\s.>/\u00bb\u203a|]*(?: [^\s.>/\u00bb\u203a|]+){0,4}"
_BREADCRUMB = (
    rf"^(?:{_CRUMB}\s*[>\u00bb\u203a]\s*)+(?:{_CRUMB})?$"
    rf"|^{_CRUMB}(?:(?:\s+/\s+|\s*\|\s*){_CRUMB}){{2,}}\s*[/|]?$"
)
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, 0 if reason == "breadcrumb" else re.IGNORECASE), reason)
    for p, reason in (
        (r"^skip (?:to|navigation)\b", "skip link"),
        (
            r"\b(?:official|secure)\b.{0,40}\bwebsites?\b|\bwebsites? belongs? to\b|\bhere'?s how you know\b|^a lock \(",
            "site security banner",
        ),
        (
            r"\bcookies?\b.{0,40}\b(?:notice|policy|settings|consent|accept)\b|^accept (?:all )?cookies"
            r"|\b(?:we|this (?:web)?site|our site) (?:use|uses|store|stores)\b.{0,40}\bcookies?\b"
            r"|\bcookies?\b.{0,60}\b(?:your (?:browsing )?experience|you agree|your preferences)\b",
            "cookie notice",
        ),
        (
            r"^share (?:this|on|via)\b|^other ways to share\b|^(?:tweet|email|print|share)(?: this)?$",
            "share buttons",
        ),
        (
            r"\byour\b.{0,40}\b(?:gift|donation|support)\b.{0,60}\b(?:help|save|stop|protect)|^donate(?: now| today)?$|^give (?:now|today)\b",
            "donation appeal",
        ),
        (r"^(?:sign up|subscribe|get updates|connect with us|follow us)\b|\bnewsletter\b", "sign-up prompt"),
        (r"^(?:languages?|available in)\b:?", "language menu"),
        (
            r"^(?:english|espa\u00f1ol|espanol|fran\u00e7ais|francais|deutsch|portugu\u00eas|\u0440\u0443\u0441\u0441\u043a\u0438\u0439|\u4e2d\u6587|\u65e5\u672c\u8a9e|\ud55c\uad6d\uc5b4|\u0627\u0644\u0639\u0631\u0628\u064a\u0629)+$",
            "language menu",
        ),
        (r"(?:>>|\u00bb|\u203a)\s*$", "navigation link"),
        # "Table of Contents > Asia >", "Home / Reports / 2021": short link labels in a row
        (_BREADCRUMB, "breadcrumb"),
        (r"\u00a9|\(c\) ?\d{4}|\bcopyright\b|\ball rights reserved\b", "copyright or credit line"),
        (r"\b501\s?\(c\)\s?\(3\)|\bEIN\b|\|\s*t\s*\+?\d[\d. -]{7,}", "address footer"),
        (r"^\d{1,2}\s*/\s*\S", "form control"),
        (
            r"^(?:select|choose|edit|browse|view|read|see|learn|load|back to|print|download|menu|search|close|open|more)\b[^.]{0,60}$",
            "site control",
        ),
        (
            r"^(?:twitter|facebook|youtube|you|tube|instagram|linkedin|reddit|telegram|whatsapp|printer|email|footer menu|site map|contact us|privacy policy|permissions|corrections)$",
            "site menu",
        ),
    )
)
# "May 23, 2022 \u2022 Report": an item of a list of related articles.
_DATED_ITEM = re.compile(
    r"^(?:[A-Z][a-z]+ \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})\s*[\u2022\u00b7|\u2013-]\s*\w+", re.UNICODE
)
_RELATED_HEADING = re.compile(
    r"\b(?:newsroom|related (?:content|news|items|articles|reports|stories)|more (?:on|from|about)|latest news|recommended|further reading|see also|browse countries)\b",
    re.IGNORECASE,
)
_TERMINAL = (".", "?", "!", "\u201d", '"', ".)", "\u2019")
_MENU_RUN = 6  # this many short non-sentences in a row before the body are a menu, not a title block


def is_sentence_like(text: str) -> bool:
    """Return whether `text` reads as prose: several words ending like a sentence."""
    return len(text.split()) >= 12 and prose_end(text).endswith(_TERMINAL)


_SENTENCE_END = re.compile(r"[a-z0-9)]{2}[.?!][\u201d\u2019\")]*(?:\s|$)")


def reads_as_chrome(text: str) -> bool:
    """Return whether `text`, a stretch of a page scraped into one line, reads as site chrome:
    menus and labels with no sentence ("Table of Contents > Asia Back to Top"), or a chrome
    notice (cookies, a security banner) somewhere in it."""
    if not _SENTENCE_END.search(text.strip()):
        return True
    return any(
        pattern.search(text) for pattern, reason in _RULES if reason in ("cookie notice", "site security banner")
    )


def _short(text: str) -> bool:
    """Return whether `text` is short and not a sentence: a menu entry, heading or label."""
    return len(text.split()) <= 12 and not prose_end(text).endswith((".", "!", "?"))


def clean_blocks(blocks: tuple[Block, ...]) -> tuple[tuple[Block, ...], frozenset[str]]:
    """Mark boilerplate blocks; return all blocks and the `match_key`s of table-of-contents entries."""
    out = [_by_pattern(b) for b in blocks]
    body = [i for i, b in enumerate(out) if b.removed is None and is_sentence_like(b.text)]
    if not body:
        return tuple(out), frozenset()
    first, last = body[0], body[-1]
    toc = _table_of_contents(out, first)
    _mark_head(out, first, toc)
    _mark_related_tail(out, first)
    _mark_tail(out, last)
    return tuple(out), frozenset(toc)


def _by_pattern(block: Block) -> Block:
    """Mark `block` when one of the chrome patterns says what it is."""
    if block.removed:
        return block
    text = block.text.strip()
    words = len(text.split())
    if re.search(r"\u00a9 ?\d{4}\s+[\w .&-]{1,40}$", text) and words <= 90:
        return replace(block, removed="photo credit")
    if words > 30:
        return block
    for pattern, reason in _RULES:
        if pattern.search(text):
            if reason in ("site control", "site menu", "language menu") and words > 12:
                continue
            return replace(block, removed=reason)
    if " | " in text and words <= 16 and block.kind != "heading":
        return replace(block, removed="page title bar")
    return block


def _table_of_contents(blocks: list[Block], first: int) -> set[str]:
    """Find the page's own table of contents: a run of short head blocks that re-appear later.

    Entries match later blocks whatever their case ("Human Rights Developments" lists the
    heading "HUMAN RIGHTS DEVELOPMENTS"), and the later block may be any block after the run,
    a heading before the first body paragraph included.
    """
    last_seen: dict[str, int] = {}
    for i, b in enumerate(blocks):
        if b.removed is None and _short(b.text):
            last_seen[match_key(b.text)] = i
    toc: set[str] = set()
    run: list[int] = []
    for i in range(first):
        b = blocks[i]
        if b.removed is None and _short(b.text) and last_seen.get(match_key(b.text), -1) > i:
            run.append(i)
            continue
        if b.removed is not None and run:
            continue  # share buttons between TOC entries do not end the run
        if _is_toc(blocks, run, last_seen):
            break
        run = []
    if _is_toc(blocks, run, last_seen):
        for i in run:
            toc.add(match_key(blocks[i].text))
            blocks[i] = replace(blocks[i], removed="table of contents")
    return toc


def _is_toc(blocks: list[Block], run: list[int], last_seen: dict[str, int]) -> bool:
    """Whether `run` (2+ entries) is a table of contents: each entry re-appears after the run."""
    return len(run) >= 2 and all(last_seen[match_key(blocks[i].text)] > run[-1] for i in run)


def _mark_head(blocks: list[Block], first: int, toc: set[str]) -> None:
    """Mark menus and link lists between the top of the page and the first body paragraph."""
    _mark_site_name(blocks, first)
    # A fragment between two pieces of the same chrome belongs to it ("Share this via Whats",
    # "App", "Share this via Email").
    for i in range(1, first - 1):
        b, before, after = blocks[i], blocks[i - 1], blocks[i + 1]
        if (
            b.removed is None
            and b.kind != "heading"
            and len(b.text.split()) <= 2
            and before.removed is not None
            and before.removed == after.removed
        ):
            blocks[i] = replace(b, removed=before.removed)
    run: list[int] = []

    def close(followed_by_body: bool) -> None:
        if len(run) >= _MENU_RUN:
            last = blocks[run[-1]]
            keep = run[-1] if followed_by_body and last.kind != "item" and last.text[-1:].isalnum() else None
            for i in run:
                if i != keep:
                    blocks[i] = replace(blocks[i], removed="navigation or related links")
        run.clear()

    for i in range(first):
        b = blocks[i]
        if b.removed is not None or (b.kind == "heading" and b.level <= 2):
            close(False)
            continue
        short = len(b.text.split()) <= 20 and not prose_end(b.text).endswith((".", "!", "?"))
        if b.kind == "item" or short:
            run.append(i)
        else:
            # a sentence-like or long block before the body: an image caption or a teaser
            close(False)
    close(True)


_FURNITURE = ("page number", "running header or footer")  # reasons layout gives page furniture


def _mark_site_name(blocks: list[Block], first: int) -> None:
    """Mark a short head block that the page's chrome repeats (the site's name), not a title."""
    # Page furniture (a PDF's running head "Annual Report") is no site chrome: a head line
    # "Report" that it contains is text.
    chrome = [fold(b.text) for b in blocks if b.removed is not None and b.removed not in _FURNITURE]
    for i in range(first):
        b = blocks[i]
        if b.removed is not None or len(b.text.split()) > 5 or b.kind == "heading":
            continue
        name = fold(b.text)
        if sum(1 for c in chrome if name in c) >= 2:
            blocks[i] = replace(b, removed="site name")


def _mark_related_tail(blocks: list[Block], first: int) -> None:
    """Mark a "newsroom" or "related" list that follows the body, from its heading to the end."""
    total = sum(len(b.text.split()) for b in blocks if b.removed is None)
    seen = 0
    for i, b in enumerate(blocks):
        if b.removed is None:
            seen += len(b.text.split())
        if i <= first or b.removed is not None or not _short(b.text):
            continue
        if not _RELATED_HEADING.search(b.text):
            continue
        rest = blocks[i + 1 :]
        dated = sum(1 for r in rest if _DATED_ITEM.match(r.text))
        rest_words = sum(len(r.text.split()) for r in rest if r.removed is None)
        if dated >= 2 or rest_words < 0.35 * total:
            for j in range(i, len(blocks)):
                if blocks[j].removed is None:
                    blocks[j] = replace(blocks[j], removed="related items after the body")
            return


def _mark_tail(blocks: list[Block], last: int) -> None:
    """Mark the page footer: short non-sentences after the last body paragraph."""
    for i in range(len(blocks) - 1, last, -1):
        b = blocks[i]
        if b.removed is not None:
            continue
        # words as matching reads them: a bullet icon (which a PDF font may drop) is no word
        if len(fold(b.text).split()) <= 20 and not prose_end(b.text).endswith((".", "!", "?", "\u201d")):
            blocks[i] = replace(b, removed="page footer")
        else:
            break
