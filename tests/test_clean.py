"""Clean: page furniture of a PDF is not site chrome; icon glyphs are no words for the footer rule."""

from __future__ import annotations

from comparer.clean import clean_blocks, reads_as_chrome
from comparer.model import Block

BODY = (
    "Officials detained dozens of activists in the capital during the year and held them without "
    "charge for several weeks, according to human rights groups that monitored the trials."
)


def test_a_head_line_inside_a_pdf_running_head_is_text() -> None:
    # "Report" is inside the running head "Annual Report" of two pages: furniture, not the
    # site chrome whose name a page repeats, so the head line stays.
    head = Block("Annual Report", "para", 0, "running header or footer")
    blocks = (
        head,
        Block("Country"),
        Block("Report"),
        Block("March 11, 2010"),
        Block(BODY),
        head,
        Block(BODY),
    )
    cleaned, _ = clean_blocks(blocks)
    assert [b.removed for b in cleaned if b.text == "Report"] == [None]


def test_a_bullet_icon_does_not_decide_whether_a_tail_line_is_a_footer() -> None:
    # 20 words after the last body paragraph: the same decision with the icon glyph a PDF
    # font drops in front of them as without it.
    words = (
        "Belarus: Submission to the Human Rights Committee (EUR 49/010/2011) "
        "Belarus: Written statement to the 18th session of the UN Council"
    )
    assert len(words.split()) == 20
    with_icon, _ = clean_blocks((Block("Belarus"), Block(BODY), Block(BODY), Block("\U0010fc01 " + words)))
    without, _ = clean_blocks((Block("Belarus"), Block(BODY), Block(BODY), Block(words)))
    assert with_icon[-1].removed == without[-1].removed


def test_menus_labels_and_notices_read_as_chrome_and_sentences_do_not() -> None:
    assert reads_as_chrome("Table of Contents > Asia > Back to Top")
    assert reads_as_chrome("RELEVANT REPORTS: Dangerous Meditations: A Campaign, 2/02 Back to Top")
    assert reads_as_chrome("Home Donate We use cookies to improve your experience on our site. Accept")
    assert not reads_as_chrome("Home > Reports > The minister resigned in March after the protests.")
    assert not reads_as_chrome("Officials detained dozens of activists. Contact")


def test_a_title_bar_of_links_glued_without_spaces_is_a_breadcrumb() -> None:
    # A scraper that glues text nodes drops the spaces around "|"; a word's "/" stays prose.
    blocks = (Block("Front page|News|Topics"), Block(BODY), Block("Reports on Cuba/Haiti/Peru were read."))
    cleaned, _ = clean_blocks(blocks)
    assert [b.removed for b in cleaned] == ["breadcrumb", None, None]
