"""Ingest: decoding, format detection, and clear errors for bad input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from comparer.api import compare_reports, has_changes, read_report, read_text
from comparer.errors import InputError
from comparer.ingest import read_bytes, read_document
from comparer.options import ReadOptions
from tests.pdfmaker import FURNITURE, make_pdf

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


# --- PDF page furniture ----------------------------------------------------------------------

_PLACES = ("Hrodna", "Brest", "Minsk", "Vitebsk", "Mogilev", "Gomel", "Pinsk", "Lida", "Orsha")
_ACTS = ("detained", "arrested", "questioned", "searched", "fined", "summoned")
_PDF_SECTIONS = [
    (
        ("Background", "Detention", "Freedom of assembly", "Torture")[k - 1],
        [
            f"Officials in {_PLACES[(k + n) % 9]} {_ACTS[n % 6]} activists of the {_PLACES[n % 9]} group "
            f"during the year and held {n} of them without charge for weeks before a court in "
            f"{_PLACES[(2 * n + k) % 9]} ordered the release of {_ACTS[(n + k) % 6]} people."
            for n in range(12, 30)
        ],
    )
    for k in range(1, 5)
]


@pytest.mark.parametrize("furniture", FURNITURE)
def test_pdf_running_heads_and_page_numbers_of_every_shape_are_dropped(
    furniture: str, tmp_path: Path
) -> None:
    # Three pages of a book whose heads alternate ("2  Annual Report" on the even page,
    # "Country Report  3" on odd ones): the even one is on one page only, too few to count as
    # repeated, but it carries its page's number, like the others.
    sections = _PDF_SECTIONS[:3]
    pdf = make_pdf(
        "Country Report",
        sections,
        tmp_path / "r.pdf",
        running_header="Annual Report",
        furniture=furniture,
    )
    pdf_report = read_report(pdf)
    text = "Country Report\n\n" + "\n\n".join(h + "\n\n" + "\n\n".join(ps) for h, ps in sections) + "\n"
    text_report = read_text(text, name="r.txt")
    assert len(pdf_report.removed) >= 3  # three pages, each with its head (and number)
    assert [p.text for p in pdf_report.paragraphs()] == [p.text for p in text_report.paragraphs()]
    # the title stays, under a running head of the same words ("page-of" heads its pages so)
    assert [s.heading for s in pdf_report.sections] == [s.heading for s in text_report.sections]
    assert not has_changes(compare_reports(text_report, pdf_report))


def test_a_line_that_ends_in_its_pages_number_only_once_is_text(tmp_path: Path) -> None:
    # The body's own lines that end in a small number are no running head: one page only.
    sections = [("Topic", ["The court sentenced the editor to 2", "Police detained 14 people in June 3"])]
    pdf = make_pdf("Country Report", sections, tmp_path / "r.pdf", running_header="Annual Report")
    body = " ".join(p.text for p in read_report(pdf).paragraphs())
    assert "editor to 2" in body
