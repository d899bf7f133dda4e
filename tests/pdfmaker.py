"""Make a real PDF from a report's text with fpdf2: headings, wrapped paragraphs, furniture.

Page furniture comes in the shapes real reports print (`FURNITURE`): a running head with the
page number apart in the footer; a book's running heads, the page number glued to the head
on the outer side and the head alternating between the report's name and its title; or the
title at the top and "Page 3 of 19" at the foot.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from comparer.textnorm import fold

UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


FURNITURE = ("plain", "book", "page-of")


def make_pdf(
    title: str,
    sections: list[tuple[str, list[str]]],
    out: Path,
    *,
    running_header: str,
    unicode_font: Path | None = None,
    furniture: str = "plain",
) -> Path:
    """Write `sections` (heading, paragraphs) as a multi-page PDF with a header and page numbers.

    With `unicode_font` (a TTF file) every character is kept; without, the core fonts show
    Latin-1 only and other characters become "?". `furniture` is one of `FURNITURE`.
    """
    family = "Helvetica"
    text = _latin
    short_title = " ".join(title.split()[:8]) or running_header

    class Doc(FPDF):
        def header(self) -> None:
            self.set_font(family, "I", 8)
            n = self.page_no()
            if furniture == "book":  # "12  Annual Report" on even pages, "Title  13" on odd ones
                head = f"{n}  {running_header}" if n % 2 == 0 else f"{text(short_title)}  {n}"
                self.cell(0, 8, head, align="L" if n % 2 == 0 else "R")
            elif furniture == "page-of":
                self.cell(0, 8, text(short_title), align="L")
            else:
                self.cell(0, 8, running_header, align="R")
            self.ln(10)

        def footer(self) -> None:
            if furniture == "book":
                return
            self.set_y(-15)
            self.set_font(family, "", 8)
            number = f"Page {self.page_no()} of {{nb}}" if furniture == "page-of" else str(self.page_no())
            self.cell(0, 10, number, align="R" if furniture == "page-of" else "C")

    pdf = Doc(format="A4")
    if unicode_font is not None:
        for style in ("", "B", "I"):
            pdf.add_font("Body", style, str(unicode_font))
        family, text = "Body", _keep
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 9, text(title))
    pdf.ln(4)
    for heading, paragraphs in sections:
        if heading:
            pdf.set_font(family, "B", 12)
            pdf.multi_cell(0, 7, text(heading))
            pdf.ln(2)
        pdf.set_font(family, "", 10)
        for para in paragraphs:
            pdf.multi_cell(0, 5, text(para))
            pdf.ln(3)
    pdf.output(str(out))
    return out


def _keep(text: str) -> str:
    return text


def _latin(text: str) -> str:
    """Fold typography the core PDF fonts cannot show (they are Latin-1 only)."""
    return fold(text).encode("latin-1", "replace").decode("latin-1")
