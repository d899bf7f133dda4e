"""Write the hostile-input corpus of this folder (run from the repository root to regenerate).

Each file is one way a report can be damaged or hostile; `manifest.toml` says what comparer must
do with it: refuse it (`expect = "error"`, exit 2 with one `Error:` line naming the file) or read
it (`expect = "ok"`, with words the output must contain). The `pdf-mutant-*.pdf` files are not
written here: they are byte mutations of a small fpdf2 PDF that crashed pypdf with the exception
in their name (found by a seeded mutation run), committed as found.

Special files (FIFO, /dev/zero, unreadable files, folders without search permission, symlink
loops) cannot be committed; `tests/test_hostile.py` makes them at test time.
"""

from __future__ import annotations

import codecs
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

REPORT = (
    "Country Report\n\n"
    "Section 1. Arbitrary Detention\n\n"
    "The government detained 120 people in 2019 without charge. Courts did not review the cases.\n\n"
    "Section 2. Freedom of Expression\n\n"
    "Journalists reported threats, and two newspapers were closed by the authorities.\n"
)
RUSSIAN = (
    "Доклад о стране\n\nРаздел 1. Произвольные задержания\n\n"
    "Правительство задержало 120 человек в 2019 году без предъявления обвинений.\n\n"
    "Раздел 2. Свобода слова\n\nЖурналисты сообщали об угрозах со стороны властей.\n"
)
CHINESE = (
    "国别报告\n\n第一节 任意拘留\n\n政府在二〇一九年未经起诉拘留了一百二十人。法院没有审查这些案件。\n\n"
    "第二节 言论自由\n\n记者报告受到威胁，两家报纸被当局关闭。\n"
)
ARABIC = (
    "تقرير البلد\n\nالقسم 1. الاحتجاز التعسفي\n\n"
    "احتجزت الحكومة 120 شخصا في عام 2019 دون توجيه اتهام.\n\n"
    "القسم 2. حرية التعبير\n\nأفاد الصحفيون بتعرضهم للتهديد من قبل السلطات.\n"
)


def _pdf(objects: list[bytes], *, trailer: bytes = b"") -> bytes:
    """A PDF file from numbered object bodies, with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


def _page_pdf(content: bytes, *, filters: bytes = b"", font: bytes = b"<< /F1 4 0 R >>") -> bytes:
    stream = b"<< /Length %d %s>>\nstream\n" % (len(content), filters) + content + b"\nendstream"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font "
            + font
            + b" >> /Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            stream,
        ]
    )


TEXT_OP = b"BT /F1 12 Tf 72 720 Td (The government detained 120 people in 2019.) Tj ET"


def pdfs() -> dict[str, bytes]:
    """Hand-made damaged PDFs: each breaks one assumption of a PDF reader."""
    return {
        "pdf-valid-minimal.pdf": _page_pdf(TEXT_OP),
        "pdf-truncated.pdf": _page_pdf(TEXT_OP)[:300],
        "pdf-header-only.pdf": b"%PDF-1.7\n%%EOF\n",
        "pdf-no-pages.pdf": _pdf(
            [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
        ),
        "pdf-kids-loop.pdf": _pdf(
            [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]
        ),
        "pdf-root-not-dict.pdf": _pdf([b"42"]),
        "pdf-pages-missing.pdf": _pdf([b"<< /Type /Catalog /Pages 9 0 R >>"]),
        "pdf-jbig2-filter.pdf": _page_pdf(b"\x00\x01garbage", filters=b"/Filter /JBIG2Decode "),
        "pdf-unknown-filter.pdf": _page_pdf(b"xyz", filters=b"/Filter /NoSuchDecode "),
        "pdf-bad-flate.pdf": _page_pdf(b"not deflate data", filters=b"/Filter /FlateDecode "),
        "pdf-lzw-garbage.pdf": _page_pdf(b"\xff" * 64, filters=b"/Filter /LZWDecode "),
        "pdf-flate-bomb.pdf": _page_pdf(
            zlib.compress(b"(x) Tj " * 100_000, 9), filters=b"/Filter /FlateDecode "
        ),
        "pdf-font-not-dict.pdf": _page_pdf(TEXT_OP, font=b"<< /F1 5 >>"),
        "pdf-bad-operators.pdf": _page_pdf(b"BT /F1 Tf Td Tj ET ] >> << TJ 1 2 3 Tm ' \" BT"),
        "pdf-encrypt-unknown.pdf": _pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [] /Count 0 >>",
                b"<< /Filter /NoSuchSecurity /V 9 /R 9 >>",
            ],
            trailer=b"/Encrypt 3 0 R /ID [<00> <00>] ",
        ),
        "pdf-xref-garbage.pdf": _page_pdf(TEXT_OP).replace(b"xref\n", b"xref\nzz\n"),
        "pdf-startxref-wrong.pdf": _page_pdf(TEXT_OP).replace(b"startxref\n", b"startxref\n9999"),
        "pdf-deep-array.pdf": _pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 3000 + b"]" * 3000 + b" >>",
                b"<< /Type /Pages /Kids [] /Count 0 >>",
            ]
        ),
        "pdf-as-txt.txt": _page_pdf(TEXT_OP),
    }


def html() -> dict[str, bytes]:
    """HTML that breaks parsers: deep nesting, marked sections, unclosed constructs."""
    para = b"<p>The government detained 120 people in 2019 without charge.</p>"
    return {
        "html-deep-1000.html": b"<html><body><h1>Report</h1>" + b"<div>" * 1000 + para + b"</div>" * 1000,
        "html-deep-5000-unclosed.html": b"<html><body><h1>Report</h1>" + b"<b>" * 5000 + para,
        "html-deep-50000.html": b"<html><body><h1>Report</h1>" + b"<span>" * 50_000 + para,
        "html-marked-section-i.html": b"<html><body><h1>Report</h1>" + para + b"<![i",
        "html-marked-section-space.html": b"<html><body><h1>Report</h1>" + para + b"<![ x",
        "html-marked-section-lines.html": b"<html><body>" + (para + b"<![i\n") * 5,
        "html-marked-section.txt": b"<![i",
        "html-unclosed-comment.html": b"<html><body><h1>Report</h1>" + para + b"<!-- never closed",
        "html-unclosed-attr.html": b"<html><body><h1>Report</h1>" + para + b"<a href='x",
        "html-bad-entities.html": b"<html><body><h1>Report &#0; &#xffffffff; &#x1b;]0;pwned&#7;</h1>" + para,
        "html-only-script.html": b"<html><head><script>alert(1)</script></head><body><script>x</script></body></html>",
        "html-c1-controls.html": "<html><body><h1>Report</h1><p>Arrests \x97 many \x85 in 2019.</p></body></html>".encode(
            "latin-1"
        ),
        "html-huge-attribute.html": b"<html><body><h1 title='" + b"a" * 1_000_000 + b"'>Report</h1>" + para,
        "html-many-tags.html": b"<html><body><h1>Report</h1>" + b"<i></i>" * 50_000 + para,
    }


def text() -> dict[str, bytes]:
    """Plain text inputs: empty, binary, controls, wrong encodings, huge lines."""
    wide = {
        "russian": RUSSIAN,
        "chinese": CHINESE,
        "arabic": ARABIC,
        "english": REPORT,
    }
    out: dict[str, bytes] = {}
    for script, body in wide.items():
        for enc in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            out[f"enc-{script}-{enc}-nobom.txt"] = body.encode(enc)
    out.update(
        {
            "enc-russian-utf16-bom.txt": codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le"),
            "enc-chinese-utf8.txt": CHINESE.encode("utf-8"),
            "enc-russian-cp1251.txt": RUSSIAN.encode("cp1251"),
            "enc-odd-length-utf16.txt": RUSSIAN.encode("utf-16-le")[:-1],
            "enc-mixed-utf8-latin1.txt": REPORT.encode("utf-8")
            + "Café déjà".encode("latin-1")
            + "é".encode(),
            "enc-bom-only.txt": codecs.BOM_UTF8,
            "enc-utf16-bom-only.txt": codecs.BOM_UTF16_LE,
            "enc-lone-surrogates-utf16.txt": codecs.BOM_UTF16_LE + b"\x00\xd8A\x00" * 50,
            "enc-mojibake.txt": REPORT.replace("authorities", "authorities’ “officials”")
            .encode("utf-8")
            .decode("cp1252", "replace")
            .encode("utf-8"),
            "empty.txt": b"",
            "whitespace-only.txt": b" \n\t\n   \r\n",
            "nul-bytes.txt": b"\x00" * 4096,
            "binary-random.txt": bytes((i * 7919 + 13) % 256 for i in range(8192)),
            "binary-png-as-txt.txt": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
            "binary-zip-as-md.md": b"PK\x03\x04" + b"\x00" * 64,
            "binary-elf.html": b"\x7fELF" + b"\x02\x01\x01" + b"\x00" * 64,
            "control-only.txt": bytes(range(1, 9)) * 100 + b"\x0b\x0e\x0f\x1b\x7f" * 100,
            "control-c1-only.txt": ("\x85\x97\x9b\x9c" * 200).encode("utf-8"),
            "zero-width-only.txt": ("\u200b\u200c\u200d\u2060\ufeff" * 200).encode("utf-8"),
            "punctuation-only.txt": ("... --- !!! ??? *** " * 50).encode("utf-8"),
            "terminal-escapes.txt": (
                "\x1b]0;pwned\x07\x1b[2J" + REPORT.replace("threats", "threats\x1b[31m red\x1b[0m")
            ).encode("utf-8"),
            "c1-controls.txt": REPORT.replace("charge.", "charge \x97 \x93quoted\x94 \x85").encode("latin-1"),
            "c1-controls-utf8.txt": REPORT.replace("charge.", "charge \x97 \x93quoted\x94 \x85").encode(
                "utf-8"
            ),
            "huge-line-nospace.txt": b"Report\n\n" + b"a" * 1_000_000 + b"\n",
            "huge-line-words.txt": b"Report\n\n" + b"word " * 100_000 + b"\n",
            "many-headings.md": b"".join(b"# Heading %d\n\nText %d.\n\n" % (i, i) for i in range(3000)),
            "many-numbers-one-sentence.txt": b"Report\n\nThe counts were "
            + b", ".join(b"%d" % i for i in range(2000))
            + b".\n",
            "noncharacters.txt": (REPORT + "\ufdd0\ufffe\uffff\U0001fffe").encode("utf-8"),
            "rtl-override.txt": (REPORT + "\u202e\u2066evil\u2069\u202c\n").encode("utf-8"),
            "markdown-deep-lists.md": b"# Report\n\n"
            + b"".join(b"  " * i + b"- item\n" for i in range(1000)),
            "long-word-many.txt": b"Report\n\n" + (b"x" * 5000 + b" ") * 200 + b"\n",
        }
    )
    return out


# Inputs larger than this are not committed: tests write them to a temporary folder.
COMMIT_LIMIT = 64_000


def generated() -> dict[str, bytes]:
    """Every generated input by file name."""
    return {**pdfs(), **html(), **text()}


def main() -> None:
    for name, data in generated().items():
        if len(data) <= COMMIT_LIMIT:
            (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
