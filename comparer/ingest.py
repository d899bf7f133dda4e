"""Stage 1, ingest: a path or bytes becomes a `RawDocument` of blocks.

Checks come first and fail fast with one clear message: `read_input` is the one place every
input passes before it is read (regular file or `-`, readable, size bounded while reading);
then empty, binary, an image or archive under a text name, truncated PDF, corrupt UTF-8, text
without words. Whatever a parser library raises on a damaged file becomes an `InputError`,
and what libraries log or warn becomes a note (shown by `comparer sections`), not stderr.
Text is decoded by BOM, then strict UTF-8, then BOM-less UTF-32/UTF-16 (any script), then
charset detection (charset-normalizer) for legacy single-byte files; the encoding used is
recorded so it is never guessed silently. Decoded text is repaired (mojibake, C1 controls,
terminal escapes: ftfy) before anything else. Each format has its reader:
plain text and Markdown go through `layout` (hard-wrap re-joining, flattened pages), HTML
through a real parser (BeautifulSoup), PDF through pypdf with running headers and page
numbers removed.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import io
import logging
import os
import re
import stat
import sys
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from comparer import layout
from comparer.errors import InputError
from comparer.model import Block
from comparer.options import ReadOptions
from comparer.textnorm import clean_display


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A decoded document split into blocks, before boilerplate and sections."""

    path: str
    sha256: str
    format: str
    encoding: str
    blocks: tuple[Block, ...]
    notes: tuple[str, ...] = ()  # what was repaired or what a library warned about


# Magic numbers of files that are certainly not reports in a text format.
_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file"),
    (b"PK\x03\x04", "a ZIP archive (DOCX/XLSX/EPUB?)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Legacy encodings we accept from detection; anything else is too likely a wrong guess.
_LEGACY_OK = ("cp125", "windows-125", "latin", "iso8859", "iso-8859", "mac_roman", "cp437", "ascii")


def read_document(path: Path, *, options: ReadOptions = ReadOptions()) -> RawDocument:
    """Read the report at `path` (or standard input when `path` is `-`) into blocks.

    Args:
        path: a `.txt`, `.md`, `.html`/`.htm` or `.pdf` file (the content decides when the
            name does not), or `-` for standard input.
        options: encoding override and size limit.

    Returns:
        The decoded document as blocks, with its sha256, format and encoding.

    Raises:
        InputError: the file is missing, unreadable, not a regular file, empty, too large,
            binary, undecodable or damaged.
    """
    data = read_input(path, max_bytes=options.max_bytes)
    return read_bytes(data, name=str(path), options=options)


def read_input(path: Path, *, max_bytes: int) -> bytes:
    """The bytes of `path`, after the checks every input passes before it is read.

    Only regular files are opened (a FIFO would block, a device never end), the size is checked
    before opening and again while reading, so a file that grows or lies about its size cannot
    make us hold more than `max_bytes`. `-` reads standard input, also bounded.
    """
    name = str(path)
    if name == "-":
        return read_stream(sys.stdin.buffer, name="-", max_bytes=max_bytes)
    try:
        info = os.stat(path)
    except (OSError, ValueError) as err:
        raise InputError(_os_problem(path, err)) from err
    _check_kind(name, info.st_mode)
    if info.st_size > max_bytes:
        raise InputError(_too_large(name, info.st_size, max_bytes))
    try:
        # O_NONBLOCK: if the file was swapped for a FIFO since the check, open must not wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        raise InputError(_os_problem(path, err)) from err
    with os.fdopen(fd, "rb") as handle:
        _check_kind(name, os.fstat(handle.fileno()).st_mode)
        return read_stream(handle, name=name, max_bytes=max_bytes)


def read_stream(stream: BinaryIO, *, name: str, max_bytes: int) -> bytes:
    """Read `stream` to its end, refusing it as soon as it holds more than `max_bytes`."""
    chunks: list[bytes] = []
    total = 0
    while True:
        try:
            chunk = stream.read(min(1 << 20, max_bytes + 1 - total))
        except OSError as err:
            raise InputError(_os_problem(Path(name), err)) from err
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise InputError(_too_large(name, None, max_bytes))


def _check_kind(name: str, mode: int) -> None:
    """Refuse what is not a regular file: folders, FIFOs, devices, sockets."""
    if stat.S_ISDIR(mode):
        raise InputError(f"{name}: is a directory, not a report file")
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        raise InputError(
            f"{name}: is {kind}, not a regular file (save the report to a file, or pipe it to -)"
        )


def _too_large(name: str, size: int | None, limit: int) -> str:
    found = f"{size / 1e6:.1f} MB" if size is not None else f"more than {limit / 1e6:.1f} MB"
    return f"{name}: too large ({found}; the limit is {limit / 1e6:.1f} MB, raise it with --max-bytes)"


def _os_problem(path: Path, err: OSError | ValueError) -> str:
    """One line saying why `path` cannot be opened, and what to do about it."""
    code = getattr(err, "errno", None)
    if isinstance(err, ValueError):  # an embedded NUL in the name
        return f"{path}: not a valid file name ({err})"
    if code == errno.ENOENT:
        if os.path.islink(path):
            return f"{path}: is a symbolic link to a file that does not exist"
        return f"{path}: no such file"
    if code in (errno.EACCES, errno.EPERM):
        return (
            f"{path}: permission denied (make the file readable and its folders searchable, "
            "e.g. chmod a+r FILE and chmod a+x FOLDER)"
        )
    if code == errno.ELOOP:
        return f"{path}: too many levels of symbolic links (a symlink loop?)"
    if code == errno.ENOTDIR:
        return f"{path}: a part of the path is a file, not a folder"
    if code == errno.EISDIR:
        return f"{path}: is a directory, not a report file"
    return f"{path}: cannot read ({err.strerror or err})"


def read_bytes(data: bytes, *, name: str, options: ReadOptions = ReadOptions()) -> RawDocument:
    """Read report `data` whose file name is `name` into blocks (see `read_document`)."""
    if len(data) > options.max_bytes:
        raise InputError(_too_large(name, len(data), options.max_bytes))
    if not data.strip():
        raise InputError(f"{name}: is empty")
    with _quiet_libraries() as heard:
        doc = _read(data, name, options)
    blocks, scrubbed = _scrub_blocks(doc.blocks)
    _require_words(blocks, name)
    notes = list(doc.notes)
    if scrubbed:
        notes.append(f"removed {scrubbed} characters that are invalid in text (NUL, noncharacters)")
    notes += _summarise(heard)
    return replace(doc, blocks=blocks, notes=tuple(notes))


# Text needs this share of letters and digits among its visible characters to be a report:
# prose is ~80 %, a table of figures more; symbol runs that survive repair (C1 controls read
# as cp1252 punctuation, box drawing, dot leaders) are far below.
_MIN_WORD_SHARE = 1 / 3


_NOT_ALNUM = re.compile(r"[\W_]+")
_LETTER = re.compile(r"[^\W\d_]")
# The ASCII bytes that are not letters or digits: what is left of the ASCII of a text without
# them is a lower bound of its letters and digits, found at C speed (`_enough_alnum`)
_ASCII_NOT_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())


def _require_words(blocks: tuple[Block, ...], name: str) -> None:
    """Refuse text with no letters, or made mostly of symbols: it is not a report."""
    text = "".join(b.text for b in blocks if b.removed is None)
    visible = sum(map(len, text.split()))  # characters that are not whitespace (as \s), without a copy
    letters = _LETTER.search(text) is not None
    if not letters or not _enough_alnum(text, _MIN_WORD_SHARE * visible):
        raise InputError(
            f"{name}: has no words (only control, zero-width, punctuation or symbol characters); not a report"
        )


def _enough_alnum(text: str, least: float) -> bool:
    """Whether `text` has at least `least` letters and digits: its ASCII ones first (a quick
    lower bound that settles it for most text), else all of them."""
    ascii_alnum = len(text.encode("ascii", "ignore").translate(None, _ASCII_NOT_ALNUM))
    return ascii_alnum >= least or len(_NOT_ALNUM.sub("", text)) >= least


def _read(data: bytes, name: str, options: ReadOptions) -> RawDocument:
    """Detect the format of `data` and run its reader."""
    digest = hashlib.sha256(data).hexdigest()
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF") or suffix == ".pdf":
        blocks, notes = _read_pdf(data, name)
        return RawDocument(name, digest, "pdf", "pdf", blocks, notes)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name}: is {what}, not a report (expected text, HTML or PDF)")
    text, encoding = decode(data, name=name, encoding=options.encoding)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text, notes = repair_text(text)
    if not text.strip():
        raise InputError(f"{name}: is empty")
    head = text[:2000].lstrip().lower()
    if suffix in (".html", ".htm", ".xhtml") or head.startswith(("<!doctype html", "<html")):
        return RawDocument(name, digest, "html", encoding, _read_html(text, name), notes)
    markdown = suffix in (".md", ".markdown") or _looks_like_markdown(text)
    blocks = tuple(layout.blocks_from_text(text, markdown=markdown))
    if not any(b.text.strip() for b in blocks):
        raise InputError(f"{name}: has no readable text")
    return RawDocument(name, digest, "markdown" if markdown else "text", encoding, blocks, notes)


# --- repair: mojibake, C1 controls, terminal escapes ------------------------------------------

# ftfy repairs what is certainly damage (mojibake, C1 controls standing for cp1252 punctuation,
# terminal escapes, control characters) and leaves the writer's choices alone: curly quotes,
# full-width CJK punctuation, line breaks, normalisation form.
_FTFY_CONFIG: Any = None
# What ftfy can repair shows as controls (C0, C1, ESC), ligatures, or a Latin-1 letter that a
# UTF-8 lead byte becomes followed by what a continuation byte becomes (Latin-1 or cp1252
# punctuation): "Ã©", "â€™", "Ð¿", "ΓÇÖ". Lines without any of these are left alone, so
# curly quotes and accents in clean text cost nothing.
_NEEDS_REPAIR = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufb00-\ufb06\ufeff]"
    "|[\u00c2-\u00f4][\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
# What no text may hold: NUL, noncharacters and surrogates (other controls are left to the
# renderers, which escape them for terminals and replace them in HTML).
_NONCHARACTERS = "".join(
    chr(plane + end) for plane in range(0, 0x110000, 0x10000) for end in (0xFFFE, 0xFFFF)
)
_INVALID = re.compile(f"[\\x00\\ufdd0-\\ufdef\\ud800-\\udfff{_NONCHARACTERS}]")
# Where an invalid character can be: NUL, a surrogate, or a code point from U+FDD0 up. A scan
# for this simple class is ten times faster than for `_INVALID`, and most blocks have none.
_MAYBE_INVALID = re.compile("[\\x00\\ud800-\\udfff\\ufdd0-\\U0010ffff]")


def _ftfy_config() -> Any:
    global _FTFY_CONFIG
    if _FTFY_CONFIG is None:
        import ftfy

        _FTFY_CONFIG = ftfy.TextFixerConfig(
            unescape_html=False,  # HTML is parsed later; plain text keeps its "&amp;" as written
            # Terminal escapes and C0 controls stay in the text (nothing vanishes from a diff):
            # renderers show them escaped on terminals and replace them in HTML.
            remove_terminal_escapes=False,
            remove_control_chars=False,
            uncurl_quotes=False,
            fix_character_width=False,
            fix_line_breaks=False,
            normalization=None,
        )
    return _FTFY_CONFIG


def repair_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Repair mojibake, C1 controls and terminal escapes in `text`, line by line, with ftfy.

    Returns the repaired text and a note saying what was repaired (empty when nothing was).
    """
    if not _NEEDS_REPAIR.search(text):
        return text, ()
    import ftfy

    config = _ftfy_config()
    steps: Counter[str] = Counter()
    lines = text.split("\n")
    changed = 0
    for k, line in enumerate(lines):
        if not _NEEDS_REPAIR.search(line):
            continue
        fixed, explanation = ftfy.fix_and_explain(line, config)
        if fixed != line:
            changed += 1
            lines[k] = fixed
            steps.update(_step_name(step) for step in explanation or () if step.action in ("apply", "encode"))
    if not changed:
        return text, ()
    what = ", ".join(f"{name} ({n})" for name, n in sorted(steps.items())) or "control characters"
    return "\n".join(lines), (f"repaired {changed} line{'s' if changed > 1 else ''} with ftfy: {what}",)


def _step_name(step: Any) -> str:
    if step.action == "encode":
        return f"mojibake read as {step.parameter}"
    return str(step.parameter).removeprefix("fix_").replace("_", " ")


def _scrub_blocks(blocks: tuple[Block, ...]) -> tuple[tuple[Block, ...], int]:
    """Drop characters invalid in text from every block (some come from HTML entities)."""
    removed = 0
    out = []
    for block in blocks:
        if _MAYBE_INVALID.search(block.text) is None:
            out.append(block)
            continue
        clean, n = _INVALID.subn("", block.text)
        removed += n
        out.append(replace(block, text=clean) if n else block)
    return tuple(out), removed


# --- libraries that talk: their warnings become notes -----------------------------------------

_TALKERS = ("pypdf", "bs4", "charset_normalizer", "fontTools")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.messages.append(f"{record.name.split('.')[0]}: {record.getMessage()}")


@contextmanager
def _quiet_libraries() -> Iterator[list[str]]:
    """Keep library loggers and warnings off stderr while reading; yield what they said."""
    handler = _Collect()
    saved = []
    for name in _TALKERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.propagate, logger.handlers[:]))
        logger.handlers = [handler]
        logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield handler.messages
        handler.messages += [f"{w.category.__name__}: {w.message}" for w in caught]
    finally:
        for logger, propagate, handlers in saved:
            logger.handlers = handlers
            logger.propagate = propagate


def _summarise(messages: list[str]) -> list[str]:
    """One note for what the libraries said: how many warnings, and the first few kinds."""
    if not messages:
        return []
    kinds = Counter(_one_line(m, 100) for m in messages)
    shown = "; ".join(f"{m} (x{n})" if n > 1 else m for m, n in sorted(kinds.items())[:3])
    more = f"; {len(kinds) - 3} more kinds" if len(kinds) > 3 else ""
    return [f"{len(messages)} warnings while reading: {shown}{more}"]


def _one_line(text: str, limit: int = 160) -> str:
    """`text` on one line, cut to `limit` characters (library messages can be long)."""
    flat = " ".join(_INVALID.sub("", text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def decode(data: bytes, *, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode `data` and return the text with the encoding used.

    UTF-8 that is mostly valid but has broken bytes is an error, not a cue to guess:
    mixed or truncated UTF-8 would otherwise come out as mojibake.
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as err:
            raise InputError(f"{name}: cannot decode as {encoding} ({err})") from err
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as err:
                raise InputError(f"{name}: broken {enc} text at byte {err.start}") from err
    try:
        utf8: str | None = data.decode("utf-8")
    except UnicodeDecodeError as err:
        utf8 = None
        bad_at = err.start
    if utf8 is not None and _control_ratio(utf8) <= 0.01:
        return utf8, "utf-8"
    wide = _sniff_wide(data)
    if wide:
        try:
            return data.decode(wide), wide
        except UnicodeDecodeError as err:
            raise InputError(f"{name}: broken {wide} text at byte {err.start}") from err
    if utf8 is not None or b"\x00" in data[:8192]:
        raise InputError(f"{name}: is a binary file, not a report (expected text, HTML or PDF)")
    if _has_valid_utf8_multibyte(data):
        raise InputError(
            f"{name}: invalid UTF-8 at byte {bad_at} (the file mixes encodings or is "
            "damaged; fix it or pass --encoding)"
        )
    # Mostly-English text with a few legacy bytes: the bytes are Western names and typography,
    # which Windows-1252 (a superset of Latin-1's printable range) reads; detectors guessing
    # among the single-byte code pages on a few bytes often pick a Central European one.
    ascii_share = sum(1 for b in data[:200_000] if b < 128) / min(len(data), 200_000)
    if ascii_share > 0.75:
        try:
            text = data.decode("cp1252")
            if _control_ratio(text) <= 0.01:
                return text, "cp1252"
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or not best.encoding.lower().replace("_", "-").startswith(_LEGACY_OK):
        raise InputError(f"{name}: cannot tell its text encoding; pass --encoding")
    text = str(best)
    if _control_ratio(text) > 0.01:
        raise InputError(f"{name}: is a binary file, not a report (expected text, HTML or PDF)")
    return text, best.encoding


_WIDE = (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2))
# A BOM-less wide encoding is taken when this share of a sample reads as text of one or two
# scripts: the wrong byte order or width reads as a jumble of unrelated scripts and unassigned
# code points instead.
_WIDE_PLAUSIBLE = 0.95


def _sniff_wide(data: bytes) -> str | None:
    """The UTF-32 or UTF-16 byte order that BOM-less `data` reads as text in, if any."""
    best, best_score = None, 0.0
    for encoding, unit in _WIDE:
        if len(data) % unit:
            continue
        try:
            sample = codecs.getincrementaldecoder(encoding)().decode(data[: 1 << 16], final=False)
        except UnicodeDecodeError:
            continue
        score = _text_share(sample)
        if score > best_score:
            best, best_score = encoding, score
    return best if best_score >= _WIDE_PLAUSIBLE else None


def _text_share(text: str) -> float:
    """Share of `text` that is whitespace, punctuation, digits or letters of its two main scripts."""
    if not text:
        return 0.0
    scripts: Counter[str] = Counter()
    plain = 0
    for c in text:
        category = unicodedata.category(c)
        if c in "\n\t\f \u3000" or category[0] in "NP" or category in ("Sc", "Sm"):
            plain += 1  # (odd spaces such as U+2000 are what a swapped byte order makes of " ")
        elif category[0] in "LM":
            scripts[unicodedata.name(c, "?").split()[0]] += 1
    top = sum(n for _, n in scripts.most_common(2))
    return (plain + top) / len(text)


_UTF8_MULTI = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _has_valid_utf8_multibyte(data: bytes) -> bool:
    """Return whether `data` holds well-formed UTF-8 multi-byte sequences."""
    return len(_UTF8_MULTI.findall(data[:200_000])) >= 2


def _control_ratio(text: str) -> float:
    """Share of characters in `text` that are C0 control characters other than whitespace.

    (C1 controls do not count: they are what mojibake and cp1252 punctuation read as Latin-1
    look like, and the repair step turns them back into text.)
    """
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f\x1b")  # ESC: terminal colours
    return bad / len(sample)


def _looks_like_markdown(text: str) -> bool:
    """Return whether `text` uses Markdown ATX headings (`## Heading`) on several lines."""
    return len(re.findall(r"(?m)^#{1,6} \S", text[:200_000])) >= 2


# --- HTML -----------------------------------------------------------------------------------

_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "head"}
_CHROME_TAGS = {
    "nav": "navigation",
    "header": "site header",
    "footer": "site footer",
    "aside": "related items",
    "form": "form",
    "button": "button",
}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr",
    "td", "th", "blockquote", "pre", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6",
    "br", "hr", "body", "center", "address",
}  # fmt: skip


# Page chrome by element semantics: landmark roles, and class/id names sites give their chrome.
_CHROME_ROLES = {
    "navigation": "navigation",
    "banner": "site header",
    "contentinfo": "site footer",
    "complementary": "related items",
    "search": "search form",
    "dialog": "dialog (cookie or sign-up banner)",
    "alertdialog": "dialog (cookie or sign-up banner)",
}
_CONTENT_TAGS = {"main", "article"}  # a header or footer inside these belongs to the text
_CHROME_NAME = re.compile(
    r"(?:^|[-_])(?P<what>cookies?|consent|gdpr|share|sharing|social|newsletter|subscribe|signup|"
    r"breadcrumbs?|navbar|nav|navigation|menu|sidebar|related|promo|advert|ads|skip|masthead|"
    r"toolbar|donate|donation|logo)(?:$|[-_])|^(?:site|page|global)[-_](?P<part>header|footer)$",
    re.IGNORECASE,
)


def _chrome_of(node: Any, tag: str, in_body: bool) -> str | None:
    """Why element `node` is page chrome (its tag, ARIA role or class/id name), or None."""
    if tag in ("header", "footer") and in_body:
        return None  # an article's own header (title, byline) or footer (notes)
    if tag in _CHROME_TAGS:
        return _CHROME_TAGS[tag]
    role = str(node.get("role") or "").lower()
    if role in _CHROME_ROLES:
        return _CHROME_ROLES[role]
    classes = node.get("class") or []
    names = [("class", c) for c in (classes if isinstance(classes, list) else str(classes).split())]
    for attr, name in [*names, ("id", str(node.get("id") or ""))]:
        if _CHROME_NAME.search(name):
            return f"page chrome ({attr} {name})"
    return None


def _alnum(text: str) -> str:
    """Letters and digits of `text` only."""
    return re.sub(r"\W", "", text)


# html.parser (Python < 3.13) raises on a marked section `<![` whose keyword it does not know;
# as text such a `<![` is what a browser shows, so it is escaped before parsing.
_BAD_MARKED_SECTION = re.compile(
    r"<!\[(?!(?:cdata|if|else|endif|temp|ignore|include|rcdata)\b)", re.IGNORECASE
)


# The parsed tree costs ~0.6 KB per element: more tags than this is a memory bomb (a real
# report page has a few thousand), refused before parsing.
MAX_HTML_TAGS = 500_000
_TAG_START = re.compile(r"<[A-Za-z]")


def _parse_html(text: str, name: str) -> Any:
    """The BeautifulSoup tree of `text`; a parser failure is an InputError."""
    from bs4 import BeautifulSoup

    tags = sum(1 for _ in _TAG_START.finditer(text))
    if tags > MAX_HTML_TAGS:
        raise InputError(
            f"{name}: HTML with {tags:,} tags (more than {MAX_HTML_TAGS:,}; a report page has a few "
            "thousand): refused rather than parsed"
        )
    try:
        return BeautifulSoup(_BAD_MARKED_SECTION.sub("&lt;![", text), "html.parser")
    except Exception as err:  # the parser's own errors carry no common base class
        raise InputError(
            f"{name}: the HTML parser cannot read this page ({_one_line(type(err).__name__ + ': ' + str(err))}); "
            "save it again from a browser"
        ) from err


def _read_html(text: str, name: str) -> tuple[Block, ...]:
    """Turn HTML into blocks: h1-h6 are headings, p/li paragraphs, chrome elements removed.

    The tree is walked with an explicit stack, so nesting depth is bounded by memory only.
    """
    from bs4.element import NavigableString, Tag

    soup = _parse_html(text, name)
    root = soup.body or soup
    blocks: list[Block] = []
    buffer: list[str] = []
    links: list[str] = []

    def flush(kind: str = "para", level: int = 0, removed: str | None = None) -> None:
        content = clean_display("".join(buffer))
        linked = clean_display("".join(links))
        buffer.clear()
        links.clear()
        if not content:
            return
        reason = removed
        if reason is None and _alnum(linked) == _alnum(content) and len(content.split()) <= 12:
            reason = "navigation link"
        blocks.append(Block(content, "heading" if kind == "heading" else kind, level, reason))  # type: ignore[arg-type]

    # Items: ("node", element, chrome, in_link, in_body) to visit, or ("flush", kind, level, removed, _).
    todo: list[tuple[str, Any, Any, Any, bool]] = [
        ("node", c, None, False, False) for c in reversed(list(root.children))
    ]
    while todo:
        what, child, chrome, in_link, in_body = todo.pop()
        if what == "flush":
            flush(child, chrome, in_link)
            continue
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not comments, doctype, CDATA
                buffer.append(str(child))
                if in_link:
                    links.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        tag = child.name.lower()
        if tag in _SKIP_TAGS or child.get("hidden") is not None or child.get("aria-hidden") == "true":
            continue
        here = chrome or _chrome_of(child, tag, in_body)
        inside = in_body or tag in _CONTENT_TAGS or str(child.get("role") or "") == "main"
        inner_link = in_link
        if re.fullmatch(r"h[1-6]", tag):
            flush(removed=here)
            todo.append(("flush", "heading", int(tag[1]), here, False))
        elif tag in _BLOCK_TAGS or tag in _CHROME_TAGS:
            flush(removed=chrome)
            todo.append(("flush", "item" if tag == "li" else "para", 0, here, False))
        else:
            inner_link = in_link or (tag == "a" and child.get("href") is not None)
        todo += [("node", c, here, inner_link, inside) for c in reversed(list(child.children))]
    flush()
    if not blocks:
        raise InputError(f"{name}: HTML page has no text")
    return tuple(blocks)


# --- PDF ------------------------------------------------------------------------------------


def _page_text(page: Any) -> str:
    """Text of one PDF page: layout mode keeps paragraph gaps, unless the page has columns."""
    layout_text = page.extract_text(extraction_mode="layout") or ""
    lines = [ln for ln in layout_text.split("\n") if ln.strip()]
    # Two columns side by side show as text, a wide gap, and more text on one line.
    gapped = sum(1 for ln in lines if re.search(r"\S\s{4,}\S", ln.strip()))
    if lines and gapped > 0.3 * len(lines):
        return str(page.extract_text() or "")
    return "\n".join(ln.strip() for ln in layout_text.split("\n"))


def _read_pdf(data: bytes, name: str) -> tuple[tuple[Block, ...], tuple[str, ...]]:
    """Extract a PDF's text page by page with pypdf, then lay it out like hard-wrapped text."""
    if not data.startswith(b"%PDF"):
        raise InputError(f"{name}: is not a PDF (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise InputError(f"{name}: PDF is truncated (no end-of-file marker)")
    pages = _pdf_pages(data, name)
    if not any(p.strip() for p in pages):
        raise InputError(f"{name}: PDF has no extractable text (a scan or damaged? run OCR or re-save it)")
    repaired = [repair_text(p) for p in pages]
    notes = tuple(sorted({n for _, page_notes in repaired for n in page_notes}))
    return tuple(layout.blocks_from_pages([text for text, _ in repaired])), notes


def _pdf_pages(data: bytes, name: str) -> list[str]:
    """The text of each page; whatever pypdf raises on a damaged file becomes an InputError."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise InputError(f"{name}: PDF is encrypted (decrypt it first, e.g. qpdf --decrypt)")
        return [_page_text(page) for page in reader.pages]
    except InputError:
        raise
    except Exception as err:  # pypdf raises anything from AttributeError to its own errors
        raise InputError(
            f"{name}: damaged or unsupported PDF ({_one_line(type(err).__name__ + ': ' + str(err))}); "
            "re-save it with a PDF tool or extract its text first"
        ) from err
