"""Stage 1, ingest: a path or bytes becomes a `RawDocument` of blocks.

Checks come first and fail fast with one clear message (missing, empty, too large, binary,
an image or archive under a text name, truncated PDF, corrupt UTF-8). Text is decoded by BOM,
then strict UTF-8, then charset detection (charset-normalizer) for legacy single-byte files;
the encoding used is recorded so it is never guessed silently. Each format has its reader:
plain text and Markdown go through `layout` (hard-wrap re-joining, flattened pages), HTML
through a real parser (BeautifulSoup), PDF through pypdf with running headers and page
numbers removed.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    """Read the report at `path` into blocks.

    Args:
        path: a `.txt`, `.md`, `.html`/`.htm` or `.pdf` file (the content decides when the
            name does not).
        options: encoding override and size limit.

    Returns:
        The decoded document as blocks, with its sha256, format and encoding.

    Raises:
        InputError: the file is missing, unreadable, empty, too large, binary or undecodable.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a report file")
    try:
        size = path.stat().st_size
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from err
    if size > options.max_bytes:
        raise InputError(
            f"{path}: too large ({size / 1e6:.1f} MB; the limit is "
            f"{options.max_bytes / 1e6:.1f} MB, raise it with --max-bytes)"
        )
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from err
    return read_bytes(data, name=str(path), options=options)


def read_bytes(data: bytes, *, name: str, options: ReadOptions = ReadOptions()) -> RawDocument:
    """Read report `data` whose file name is `name` into blocks (see `read_document`)."""
    if len(data) > options.max_bytes:
        raise InputError(f"{name}: too large ({len(data) / 1e6:.1f} MB)")
    if not data.strip():
        raise InputError(f"{name}: is empty")
    digest = hashlib.sha256(data).hexdigest()
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF") or suffix == ".pdf":
        blocks = _read_pdf(data, name)
        return RawDocument(name, digest, "pdf", "pdf", blocks)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name}: is {what}, not a report (expected text, HTML or PDF)")
    text, encoding = decode(data, name=name, encoding=options.encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{name}: is empty")
    head = text[:2000].lstrip().lower()
    if suffix in (".html", ".htm", ".xhtml") or head.startswith(("<!doctype html", "<html")):
        return RawDocument(name, digest, "html", encoding, _read_html(text, name))
    markdown = suffix in (".md", ".markdown") or _looks_like_markdown(text)
    blocks = tuple(layout.blocks_from_text(text, markdown=markdown))
    if not any(b.text.strip() for b in blocks):
        raise InputError(f"{name}: has no readable text")
    return RawDocument(name, digest, "markdown" if markdown else "text", encoding, blocks)


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
    utf16 = _sniff_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: is a binary file, not a report (expected text, HTML or PDF)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        if _has_valid_utf8_multibyte(data):
            raise InputError(
                f"{name}: invalid UTF-8 at byte {err.start} (the file mixes encodings or is "
                "damaged; fix it or pass --encoding)"
            ) from err
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


def _sniff_utf16(data: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when BOM-less `data` looks like UTF-16 text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0) / (len(sample) / 2)
    odd_zero = sample[1::2].count(0) / (len(sample) / 2)
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


_UTF8_MULTI = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _has_valid_utf8_multibyte(data: bytes) -> bool:
    """Return whether `data` holds well-formed UTF-8 multi-byte sequences."""
    return len(_UTF8_MULTI.findall(data[:200_000])) >= 2


def _control_ratio(text: str) -> float:
    """Share of characters in `text` that are control characters other than whitespace."""
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
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


def _read_html(text: str, name: str) -> tuple[Block, ...]:
    """Turn HTML into blocks: h1-h6 are headings, p/li paragraphs, chrome elements removed."""
    from bs4 import BeautifulSoup
    from bs4.element import NavigableString, Tag

    soup = BeautifulSoup(text, "html.parser")
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

    def walk(node: Any, chrome: str | None, in_link: bool, in_body: bool = False) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is not NavigableString:  # comments, doctype, CDATA
                    continue
                buffer.append(str(child))
                if in_link:
                    links.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            tag = child.name.lower()
            if tag in _SKIP_TAGS:
                continue
            hidden = child.get("hidden") is not None or child.get("aria-hidden") == "true"
            if hidden:
                continue
            here = chrome or _chrome_of(child, tag, in_body)
            inside = in_body or tag in _CONTENT_TAGS or str(child.get("role") or "") == "main"
            if re.fullmatch(r"h[1-6]", tag):
                flush(removed=here)
                walk(child, here, in_link, inside)
                flush("heading", int(tag[1]), here)
            elif tag in _BLOCK_TAGS or tag in _CHROME_TAGS:
                flush(removed=chrome)
                walk(child, here, in_link, inside)
                flush("item" if tag == "li" else "para", 0, here)
            else:
                walk(child, here, in_link or (tag == "a" and child.get("href") is not None), inside)

    walk(root, None, False)
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


def _read_pdf(data: bytes, name: str) -> tuple[Block, ...]:
    """Extract a PDF's text page by page with pypdf, then lay it out like hard-wrapped text."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF"):
        raise InputError(f"{name}: is not a PDF (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise InputError(f"{name}: PDF is truncated (no end-of-file marker)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise InputError(f"{name}: PDF is encrypted")
        pages = [_page_text(page) for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as err:
        raise InputError(f"{name}: damaged PDF ({err})") from err
    if not any(p.strip() for p in pages):
        raise InputError(f"{name}: PDF has no extractable text (a scan? run OCR first)")
    return tuple(layout.blocks_from_pages(pages))
