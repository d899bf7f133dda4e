"""Ingest: decoding, format detection, and clear errors for bad input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from comparer.errors import InputError
from comparer.ingest import read_bytes, read_document
from comparer.options import ReadOptions

TEXT = "North Korea\n\nThe government\u2019s policy was \u201charsh\u201d \u2013 as ever, said the r\u00e9sum\u00e9.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("cp1252") * 3, "cp1252"),
    ],
)
def test_encodings_are_detected_and_recorded(data: bytes, encoding: str) -> None:
    doc = read_bytes(data, name="r.txt")
    assert doc.encoding == encoding
    joined = " ".join(b.text for b in doc.blocks)
    assert "government\u2019s policy" in joined
    assert "r\u00e9sum\u00e9" in joined


def test_latin1_without_cp1252_punctuation_reads_as_accents() -> None:
    data = ("Caf\u00e9 au lait, na\u00efve r\u00e9sum\u00e9 of the d\u00e9tente. " * 4).encode("latin-1")
    doc = read_bytes(data, name="r.txt")
    assert "na\u00efve r\u00e9sum\u00e9" in doc.blocks[0].text


def test_crlf_and_cr_newlines_are_normalised() -> None:
    doc = read_bytes(b"Title\r\n\r\nFirst paragraph here.\r\n\r\nSecond one.\r", name="r.txt")
    assert [b.text for b in doc.blocks] == ["Title", "First paragraph here.", "Second one."]


def test_forced_encoding_is_used() -> None:
    doc = read_bytes("caf\u00e9".encode("latin-1"), name="r.txt", options=ReadOptions(encoding="latin-1"))
    assert doc.blocks[0].text == "caf\u00e9"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", "empty.txt: is empty"),
        (b"   \n\n  ", "blank.txt", "blank.txt: is empty"),
        (bytes(range(256)) * 20, "bin.txt", "bin.txt: is a binary file"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "photo.txt", "photo.txt: is a PNG image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "photo.txt", "photo.txt: is a JPEG image"),
        (
            "caf\u00e9 ".encode() * 10 + b"\xff\xfe" + " na\u00efve".encode(),
            "mixed.txt",
            "mixed.txt: invalid UTF-8 at byte",
        ),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "cut.pdf", "cut.pdf: PDF is truncated"),
        (b"just some text", "fake.pdf", "fake.pdf: is not a PDF"),
    ],
)
def test_bad_input_gets_one_clear_error(data: bytes, name: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        read_bytes(data, name=name)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_missing_and_directory_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB of size without writing it
    with pytest.raises(InputError, match=r"too large \(52\.4 MB"):
        read_document(big)
    doc = read_document(_small(tmp_path), options=ReadOptions(max_bytes=10_000))
    assert doc.blocks


def _small(tmp_path: Path) -> Path:
    path = tmp_path / "small.txt"
    path.write_text("A heading\n\nA paragraph of text that ends here.\n", encoding="utf-8")
    return path


def test_html_structure_is_kept() -> None:
    html = b"""<!DOCTYPE html><html><head><title>T</title><style>p{}</style></head><body>
    <nav><a href="/">Home</a> <a href="/about">About</a></nav>
    <h1>Country</h1><p>Intro paragraph with <b>bold</b> text.</p>
    <h2>Torture</h2><ul><li>First item</li><li>Second item</li></ul>
    <script>alert(1)</script><footer>Copyright 2024 Someone</footer></body></html>"""
    doc = read_bytes(html, name="page.html")
    kept = [(b.kind, b.level, b.text) for b in doc.blocks if b.removed is None]
    assert kept == [
        ("heading", 1, "Country"),
        ("para", 0, "Intro paragraph with bold text."),
        ("heading", 2, "Torture"),
        ("item", 0, "First item"),
        ("item", 0, "Second item"),
    ]
    removed = {b.text: b.removed for b in doc.blocks if b.removed}
    assert removed["Home About"] == "navigation"
    assert removed["Copyright 2024 Someone"] == "site footer"
    assert all("alert" not in b.text for b in doc.blocks)


def test_html_is_sniffed_without_extension() -> None:
    doc = read_bytes(b"<html><body><h2>A</h2><p>Some text here.</p></body></html>", name="page.txt")
    assert doc.format == "html"
