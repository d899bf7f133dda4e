"""Layout: hard-wrapped lines re-joined, wrapped numbered headings, flattened pages split."""

from __future__ import annotations

from comparer.layout import blocks_from_pages, blocks_from_text, unflatten

WRAPPED = """Section 1. Respect for the Integrity of the Person
a. Arbitrary Deprivation of Life and Other Unlawful or
Politically Motivated Killings
There were numerous reports that the government or its agents committed
arbitrary or unlawful killings, including extrajudicial killings, during the
year.  There was no indication the government acted to investigate such
killings or punish officials involved; instead, such killings appeared to be a
feature of authorities' system of governance and control.
Escapee, media, nongovernmental organization, and UN reports noted instances in
which the government executed political prisoners and others accused of crimes.
b. Disappearance
There were reports of disappearances by or on behalf of government authorities
during the year, and the country's ROK government-
affiliated think tank said so again in a report that described the practice at
length and with care.
Women
Rape and Domestic Violence:  The law criminalized rape of women but not of men,
and the penalty was reform through labor for up to five years in most of cases.
"""


def test_hard_wrapped_paragraphs_and_headings() -> None:
    texts = [b.text for b in blocks_from_text(WRAPPED * 2)][:8]
    assert texts[0] == "Section 1. Respect for the Integrity of the Person"
    assert texts[1] == "a. Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated Killings"
    assert texts[2].startswith("There were numerous reports") and texts[2].endswith("governance and control.")
    assert texts[3].startswith("Escapee, media") and texts[3].endswith("accused of crimes.")
    assert texts[4] == "b. Disappearance"
    # a hyphen at a line end that the text never writes without is kept: a compound
    assert "ROK government-affiliated think tank" in texts[5]
    assert texts[6] == "Women"
    assert texts[7].startswith("Rape and Domestic Violence:")


def test_line_end_hyphen_dropped_when_the_text_has_the_word() -> None:
    text = ("The government continued to detain people in the region without charge.\n" * 12) + (
        "Officials said the govern-\nment would not comment on the matter any further at all.\n"
    )
    blocks = blocks_from_text(text)
    assert "the government would not comment" in blocks[-1].text


def test_line_end_hyphen_kept_when_the_text_writes_the_word_both_ways_alike() -> None:
    # "reeducation" once elsewhere, and this compound broken at its own hyphen: as often with
    # the hyphen as without, so the writer's hyphen stays (re-wrapping breaks at hyphens).
    text = (
        "Officials sent the detained activists to reeducation camps in the region.\n"
        + ("The government continued to detain people in the region without charge.\n" * 11)
        + "Children were subjected to re-\neducation in the camps for months during the year.\n"
    )
    blocks = blocks_from_text(text)
    assert "subjected to re-education in the camps" in blocks[-1].text


def test_flattened_page_is_split_at_glue_points() -> None:
    flat = (
        "Human Rights WatchSkip to main contentTorture and Inhumane TreatmentExecutions"
        "There has been no improvement in the country this year.Torture and Inhumane Treatment"
        "Refugees living in other countries said torture was common in detention."
        "ExecutionsThe criminal code lists many capital crimes. It is applied widely."
    )
    assert unflatten(flat) == [
        "Human Rights Watch",
        "Skip to main content",
        "Torture and Inhumane Treatment",
        "Executions",
        "There has been no improvement in the country this year.",
        "Torture and Inhumane Treatment",
        "Refugees living in other countries said torture was common in detention.",
        "Executions",
        "The criminal code lists many capital crimes. It is applied widely.",
    ]


def test_glued_names_in_body_text_are_not_split() -> None:
    flat = "Users of YouTube, TikTok, and WeChat. They were fined.Justicia 11J, a group, and 14yMedio said so.Events of 2013A North Korean guard"
    assert unflatten(flat) == [
        "Users of YouTube, TikTok, and WeChat. They were fined.",
        "Justicia 11J, a group, and 14yMedio said so.",
        "Events of 2013",
        "A North Korean guard",
    ]


def test_one_paragraph_per_line_is_kept() -> None:
    text = "Heading\nA first paragraph that is long enough to be prose for sure.\nA second paragraph, also prose.\n"
    assert [b.text for b in blocks_from_text(text)] == [
        "Heading",
        "A first paragraph that is long enough to be prose for sure.",
        "A second paragraph, also prose.",
    ]


def test_pdf_running_headers_and_page_numbers_are_furniture() -> None:
    body = "The authorities detained people without charge and held them for long periods in camps."
    pages = [f"Annual Report 2024\n{body} ({n})\n{body} [{n}]\n{n}" for n in range(1, 5)]
    blocks = blocks_from_pages(pages)
    reasons = [b.removed for b in blocks if b.removed]
    assert reasons.count("page number") == 4
    assert reasons.count("running header or footer") == 4
    assert all("Annual Report" not in b.text for b in blocks if b.removed is None)


def test_fact_box_lines_become_one_paragraph() -> None:
    text = (
        "Head of state: Kim\nHead of government: Pak\nDeath penalty: retentionist\n\nBody text follows here."
    )
    blocks = blocks_from_text(text)
    assert blocks[0].text == "Head of state: Kim; Head of government: Pak; Death penalty: retentionist"


def test_an_opening_quote_is_no_glue_point() -> None:
    flat = 'Parties may not use the words "Belarus," "Republic of Belarus," and "national" in their names.'
    assert unflatten(" ".join([flat] * 3)) == [" ".join([flat] * 3)]


def test_all_caps_headings_glued_to_text_are_cut() -> None:
    flat = (
        "The Role of the International CommunityHUMAN RIGHTS DEVELOPMENTSThe government arrested many "
        "people in the capital during the year.DEFENDING HUMAN RIGHTSA few groups tried to work openly."
    )
    assert unflatten(flat) == [
        "The Role of the International Community",
        "HUMAN RIGHTS DEVELOPMENTS",
        "The government arrested many people in the capital during the year.",
        "DEFENDING HUMAN RIGHTS",
        "A few groups tried to work openly.",
    ]


def test_a_name_glued_in_the_source_is_kept_when_the_document_never_writes_it_apart() -> None:
    flat = (
        "Those tried were Mohammad Maleki, Mohammad Hossein Rafiei, Reza Alijani, MohammadBasteh Negar "
        "and others, who were held for months without charge."
    )
    assert unflatten(flat) == [flat]


def test_an_acronym_the_document_writes_apart_is_not_cut() -> None:
    text = (
        "The SPDC held power. " * 3
        + "Later the SPDC continued to deny citizens their rights, observers said."
    )
    assert "The SPD" not in unflatten(text)


def test_one_odd_glue_point_does_not_make_a_paragraph_flattened() -> None:
    para = (
        "The authorities detained activists and journalists in several provinces during the year. " * 20
    ) + ("Officials of the ministry said.The report was not published.")
    assert [b.text for b in blocks_from_text(para + "\n")] == [para.strip()]


def test_a_short_chrome_line_is_split_by_its_density_of_glue_points() -> None:
    line = "Skip to main contentHome PageAbout UsDonate NowShare this via EmailContact the OfficePrivacy Policy and Terms"
    assert len(line) < 1500
    assert [b.text for b in blocks_from_text(line + "\n")][:3] == [
        "Skip to main content",
        "Home Page",
        "About Us",
    ]


def test_invisible_marks_do_not_change_hard_wrap_rejoining() -> None:
    text = "".join(
        f"The government continued to detain people in region {k} without any charge at all\nand held them.\n"
        for k in range(12)
    )
    marked = text.replace("government", "gov\u00adern\u200bment")
    assert [b.text for b in blocks_from_text(marked)] == [b.text for b in blocks_from_text(text)]


def test_no_break_spaces_do_not_change_how_lines_join() -> None:
    text = (
        "TESTLAND\nHead of state: Ayatollah Someone Else\n(Leader of the Republic)\n"
        + "".join(
            f"The government continued to detain people in region {k} without any charge at all\nand held them.\n"
            for k in range(12)
        )
    )
    spaced = text.replace("of ", "of\u00a0").replace("in ", "in\u202f")
    assert [b.text for b in blocks_from_text(spaced)] == [b.text for b in blocks_from_text(text)]


def test_a_lettered_heading_after_a_closing_quote_is_cut() -> None:
    said = "He said he condemned \u201cthe most brutal abuses of the year.\u201d"
    flat = f"{said}e. Instances of Transnational Repression" + "Officials detained many people again. " * 3
    assert unflatten(flat)[:2] == [said, "e. Instances of Transnational Repression"]


def test_a_lettered_headings_letter_is_no_sentence_end() -> None:
    heading = "c. War Crimes, Crimes against Humanity, and Evidence of Acts that May Constitute Genocide, or Related Abuses"
    flat = f"Nothing was reported during the year.{heading}The war continued. " + "The war went on. " * 3
    assert unflatten(flat)[:2] == ["Nothing was reported during the year.", heading]


def test_a_title_case_heading_is_cut_from_a_name_written_in_one_piece() -> None:
    flat = (
        "Workers had the same rights as citizens.Wage, Hour, and OSH EnforcementRosTrud was responsible "
        "for enforcing the law. " + "RosTrud made efforts. " * 3
    )
    assert unflatten(flat)[:3] == [
        "Workers had the same rights as citizens.",
        "Wage, Hour, and OSH Enforcement",
        "RosTrud was responsible for enforcing the law. " + "RosTrud made efforts. " * 2 + "RosTrud made efforts.",
    ]


def test_a_bullet_glued_after_a_sentence_starts_a_new_piece() -> None:
    flat = (
        "Six people remained in prison.\u25aa On 24 January the court refused an appeal."
        "/square6 On 14 April a candidate was released. He had served 16 months."
    )
    assert unflatten(flat) == [
        "Six people remained in prison.",
        "\u25aa On 24 January the court refused an appeal.",
        "/square6 On 14 April a candidate was released. He had served 16 months.",
    ]


def test_a_running_header_with_its_page_number_glued_on_is_furniture() -> None:
    body = "".join(
        f"The government continued to detain people in region {k} without any charge at all\nand held them.\n"
        for k in range(4)
    )
    text = "".join(f"{body}{n}{' ' if n % 2 else ''}Annual Report 2013\n" for n in range(36, 40))
    blocks = blocks_from_text(text)
    assert {b.removed for b in blocks if "Annual Report" in b.text} == {"running header or footer"}
    assert all("Annual" not in b.text for b in blocks if b.removed is None)


def test_a_running_header_seen_once_beside_its_thumb_tab_is_furniture() -> None:
    body = "The government continued to detain people in the region without any charge\nand held them.\n"
    text = f"ERITREA\n{body}ill-treated.\n92 Amnesty International Report 2013\nE\n{body}"
    blocks = blocks_from_text(text)
    assert [b.text for b in blocks if b.removed == "running header or footer"] == [
        "92 Amnesty International Report 2013",
        "E",
    ]
    assert all("Amnesty" not in b.text for b in blocks if b.removed is None)


def test_a_body_line_ending_in_a_page_number_beside_a_lone_initial_is_text() -> None:
    # Not a running head: it does not start with the number, nor go on in title case.
    text = "CHINA\nThe whereabouts of 75-year-old Monsignor James 105\nC\nremained unknown.\n"
    blocks = blocks_from_text(text)
    assert any("Monsignor James" in b.text for b in blocks if b.removed is None)
    # Nor is a title-case line starting with a number that no tab sits beside.
    text = "ERITREA\nSome text here.\n\n12 Jehovah Witnesses Arrested\n\nMore text.\n"
    assert all(b.removed is None for b in blocks_from_text(text))


def _filled(paragraphs: list[str]) -> str:
    import textwrap

    return "\n\n".join(textwrap.fill(p, 70) for p in paragraphs) + "\n"


BODY = "The government continued to detain people in the region without any charge at all and held them. " * 3


def test_a_wrapped_line_that_starts_like_a_label_continues_its_paragraph() -> None:
    box = "UN Women\u2019s Convention: ratified with reservations Optional Protocol to UN Women\u2019s Convention: signed"
    paragraphs = ["TESTLAND", box, BODY, BODY]
    assert [b.text for b in blocks_from_text(_filled(paragraphs))][:2] == ["TESTLAND", box]


def test_a_short_last_line_of_a_spaced_paragraph_is_no_heading() -> None:
    para = "Eleven former ministers who had called for democratic reform remained in secret detention. They had not E"
    paragraphs = [BODY, para, BODY, BODY]
    assert [b.text for b in blocks_from_text(_filled(paragraphs))] == [p.strip() for p in paragraphs]


def test_a_short_name_glued_to_the_full_name_that_repeats_it_is_cut() -> None:
    # A thumb tab or country head glued to the formal name: the document writes "Cuba" apart,
    # never "republic", so only the name said again in the heading shows where to cut.
    flat = "Talks went on with Cuba in Cuba.CUBAREPUBLIC OF CUBARaúl Castro led the country."
    assert unflatten(flat) == ["Talks went on with Cuba in Cuba.", "CUBA", "REPUBLIC OF CUBA", "Raúl Castro led the country."]


def test_a_name_glued_to_the_thumb_tab_that_opens_the_full_name_is_cut() -> None:
    # A dump writes the page's thumb tab "K" before the formal name: the right half of the
    # glued run "KOREAK" is one letter.
    flat = "Talks went on with Korea in Korea.KOREAK DEMOCRATIC PEOPLE\u2019S REPUBLIC OF KOREAHundreds were returned."
    assert unflatten(flat) == [
        "Talks went on with Korea in Korea.",
        "KOREA",
        "K DEMOCRATIC PEOPLE\u2019S REPUBLIC OF KOREA",
        "Hundreds were returned.",
    ]


def test_a_caps_run_is_not_cut_where_the_heading_does_not_name_its_left_half_again() -> None:
    flat = "Talks went on with Cuba in Cuba.CUBAREPUBLIC OF HAITIRaúl Castro led the country."
    assert "CUBA" not in unflatten(flat)


def test_a_justified_heading_line_is_continued_by_the_next() -> None:
    # PDF layout text shows a line stretched to the margin with widened word gaps: it wrapped,
    # whatever its length in characters says (a heading's bigger font holds fewer characters)
    body = "The authorities detained people without charge and held them for long periods in camps."
    page = f"a.  Freedom  of  Expression,  Including  for  Members  of  the  Press  and  Other\nMedia\n\n{body}\n"
    texts = [b.text for b in blocks_from_pages([page])]
    assert texts[0] == "a. Freedom of Expression, Including for Members of the Press and Other Media"
    assert texts[1] == body


def test_a_heading_width_is_counted_with_one_space_between_words() -> None:
    # a justified first line counts its characters, not its widened gaps, so the wrap column of
    # headings is not overestimated and a heading's third line still joins it
    lines = [
        "Section      5.      Governmental      Posture      Towards      International      and",
        "Nongovernmental Monitoring and Investigation of Alleged Abuses of Human",
        "Rights",
        "",
        "The government did not allow the operation of domestic or international human rights groups.",
    ]
    texts = [b.text for b in blocks_from_pages(["\n".join(lines)])]
    assert texts[0].endswith("Alleged Abuses of Human Rights")


def test_a_label_line_that_ends_inside_a_parenthesis_continues() -> None:
    # a list of reports in a narrow column: the reference wrapped onto the next line
    item = "Cuba: Harassment \u2013 Edgard L\u00f3pez Moreno (AMR\n25/005/2009)"
    text = _filled([BODY, BODY]) + "\n" + item + "\n\n" + _filled([BODY])
    texts = [b.text for b in blocks_from_text(text)]
    assert "Cuba: Harassment \u2013 Edgard L\u00f3pez Moreno (AMR 25/005/2009)" in texts


def test_a_heading_that_closes_one_page_and_opens_another_is_no_furniture() -> None:
    body = "The authorities detained people without charge and held them for long periods in camps."
    pages = [
        f"Annual Report\n{body}\n{body}\nBackground\n1",
        f"Annual Report\n{body}\n{body}\n2",
        f"Annual Report\nBackground\n{body}\n{body}\n3",
        f"Annual Report\n{body}\n{body}\n4",
        f"Annual Report\n{body}\n{body}\n5",
    ]
    kept = [b.text for b in blocks_from_pages(pages) if b.removed is None]
    assert kept.count("Background") == 2
    assert "Annual Report" not in kept


def test_a_list_item_that_closes_its_parenthesis_ends_before_a_glued_heading() -> None:
    # the item's icon changes nothing about how it reads, and "(ASA 24/001/2011)" ends it
    flat = (
        "By the end of the year, 135 people had been investigated.\U0010fc01 North Korea: Political "
        "prison camps (ASA 24/001/2011)KOREA (REPUBLIC OF)Charges were levelled against them."
    )
    assert unflatten(flat) == [
        "By the end of the year, 135 people had been investigated.",
        "\U0010fc01 North Korea: Political prison camps (ASA 24/001/2011)",
        "KOREA (REPUBLIC OF)",
        "Charges were levelled against them.",
    ]


def test_a_section_heading_without_a_dot_after_its_number_is_cut_from_its_first_subsection() -> None:
    flat = "It was performed on young girls.Section 6 Worker Rightsa. The Right of AssociationWorkers may form unions."
    assert unflatten(flat) == [
        "It was performed on young girls.",
        "Section 6 Worker Rights",
        "a. The Right of Association",
        "Workers may form unions.",
    ]


def test_an_acronym_that_opens_a_sentence_is_cut_from_the_heading_before() -> None:
    flat = (
        "He protested outside a police station in 2022.Prolonged Detention without ChargesUN human rights "
        "bodies found the system arbitrary.Women and GirlsNGOs reported that women were harassed."
    )
    assert unflatten(flat) == [
        "He protested outside a police station in 2022.",
        "Prolonged Detention without Charges",
        "UN human rights bodies found the system arbitrary.",
        "Women and Girls",
        "NGOs reported that women were harassed.",
    ]


def test_a_lettered_heading_glued_to_a_word_is_cut_only_after_a_word_of_the_document() -> None:
    flat = "Resettlement is rare.Resettlementd. Acts of AntisemitismThe man was arrested. The man was arrested."
    assert unflatten(flat) == [
        "Resettlement is rare.",
        "Resettlement",
        "d. Acts of Antisemitism",
        "The man was arrested. The man was arrested.",
    ]


def test_a_year_before_a_glued_all_caps_heading_is_no_name() -> None:
    flat = (
        "They met five times.\U0010fc01 Myanmar: Constitutional referendum flouts human rights, 9 May "
        "2008REPUBLIC OF NAMIBIAA long-running treason trial went on. Justicia 11J, a group, and 14yMedio spoke."
    )
    assert unflatten(flat) == [
        "They met five times.",
        "\U0010fc01 Myanmar: Constitutional referendum flouts human rights, 9 May 2008",
        "REPUBLIC OF NAMIBIA",
        "A long-running treason trial went on. Justicia 11J, a group, and 14yMedio spoke.",
    ]


def test_pieces_of_a_flattened_page_are_not_merged_as_a_fact_box() -> None:
    # the page they were glued from had each item as a block of its own
    flat = (
        "The USA tightened economic sanctions against the country once more.\u2022 Myanmar: Crimes against "
        "humanity (ASA 16/011/2008)\u2022 Myanmar: Concerns after the cyclone (ASA 16/013/2008)NAMIBIA"
        "The trial went on and on without an end in sight for the accused.\n"
    )
    texts = [b.text for b in blocks_from_text(flat)]
    assert "\u2022 Myanmar: Crimes against humanity (ASA 16/011/2008)" in texts
    assert "\u2022 Myanmar: Concerns after the cyclone (ASA 16/013/2008)" in texts


def test_a_thumb_tab_glued_to_the_name_it_abbreviates_is_cut() -> None:
    flat = "Belarus is a country. Belarus again.BELBELARUSHead of state: Alyaksandr Lukashenka The clampdown went on."
    assert unflatten(flat)[1:3] == ["BEL", "BELARUS"]
    # not where the document never writes the name apart
    assert unflatten("The BELBELARUS Act was passed.") == ["The BELBELARUS Act was passed."]


def test_a_lettered_heading_glued_to_a_word_written_nowhere_else_is_cut_after_the_heading_before() -> None:
    # "Resettlement" is written only here: the letter after "b." (one lost between them at most)
    # says "d. Acts of Antisemitism" is the next lettered heading, not "Resettlement" + "d".
    flat = (
        "The law applied.b. Protection of ChildrenThe law prohibited child labor.Provision of First "
        "AsylumOfficials restricted access.Resettlementd. Acts of Antisemitism and Antisemitic "
        "IncitementThe government did not recognize the community."
    )
    assert unflatten(flat) == [
        "The law applied.",
        "b. Protection of Children",
        "The law prohibited child labor.",
        "Provision of First Asylum",
        "Officials restricted access.",
        "Resettlement",
        "d. Acts of Antisemitism and Antisemitic Incitement",
        "The government did not recognize the community.",
    ]


def test_a_letter_glued_to_a_word_out_of_the_lettered_sequence_is_no_heading() -> None:
    # The last lettered heading is "e.": "d. The" is no heading after it ("arreste" + "d").
    flat = "The law applied.e. Freedom of MovementThe police arrested. The man went free.Other WorkThe end came."
    assert "The police arrested. The man went free." in unflatten(flat)


def test_a_tab_a_name_and_the_full_name_glued_in_one_run_of_capitals_are_three_headings() -> None:
    # "COL" + "COLOMBIA" + "REPUBLIC OF COLOMBIA": no one split makes two words; a thumb tab of
    # the rest, then one split of the rest (the name said again in the heading after it), does.
    flat = (
        "Talks went on in China and in Colombia. The REPUBLIC OF CHINA spoke.COLCOLOMBIAREPUBLIC OF "
        "COLOMBIABackgroundPresident Uribe won a second term."
    )
    assert unflatten(flat)[-5:] == ["COL", "COLOMBIA", "REPUBLIC OF COLOMBIA", "Background", "President Uribe won a second term."]


def test_a_heading_in_sentence_case_glued_to_a_sentence_opener_is_cut() -> None:
    flat = (
        "The talks failed. The talks went on. The end came.Abuses by paramilitary groups continue "
        "despite supposed demobilizationThe Organization of American States published a report."
    )
    assert unflatten(flat) == [
        "The talks failed. The talks went on. The end came.",
        "Abuses by paramilitary groups continue despite supposed demobilization",
        "The Organization of American States published a report.",
    ]


def test_a_clause_glued_to_a_rare_word_is_no_sentence_case_heading() -> None:
    # "Basteh" is no word the document often writes apart: "Mohammad" is a name glued to it.
    flat = "The talks failed. The talks went on. The end came.Officials said the man was held by MohammadBasteh in prison."
    assert unflatten(flat)[1:] == ["Officials said the man was held by MohammadBasteh in prison."]


def test_a_sentence_opening_paragraphs_alike_wrapped_at_the_same_words_is_no_running_head() -> None:
    # Wrapped at 50 columns, three paragraphs open with the same six words on a line of their
    # own: the next line goes on with the sentence each time, so they are text, not furniture.
    opening = "The law and unimplemented constitution prohibit"
    rests = ["arbitrary arrest and detention.", "such actions; however, it happened.", "trafficking in persons."]
    text = "\n\n".join(f"{opening}\n{rest}" for rest in rests) + "\n"
    blocks = blocks_from_text(text)
    assert [(b.text, b.removed) for b in blocks] == [(f"{opening} {rest}", None) for rest in rests]


def test_a_running_head_repeated_between_pages_is_still_furniture() -> None:
    body = "Officials detained dozens of activists in the capital during the year and held them"
    text = "\n\n".join(f"{body}\nAnnual Report on Belarus\nwithout charge for weeks." for _ in range(3)) + "\n"
    assert [b.removed for b in blocks_from_text(text) if b.text == "Annual Report on Belarus"] == [
        "running header or footer"
    ] * 3


def test_a_thumb_tab_glued_to_the_formal_name_it_abbreviates_is_cut() -> None:
    # "BEL" is written nowhere else: it opens "BELARUS" in the heading after it.
    flat = "Talks went on.BELREPUBLIC OF BELARUSHead of state: Alyaksandr Lukashenka"
    assert unflatten(flat) == ["Talks went on.", "BEL", "REPUBLIC OF BELARUS", "Head of state: Alyaksandr Lukashenka"]


def test_a_thumb_tab_is_tried_last_and_only_before_a_longer_word() -> None:
    # A name the document writes splits first ("MYANMAR" + "UNION OF MYANMAR"); three capitals
    # that open only a short word ("CUBA") are no tab.
    flat = "Talks went on in Myanmar.MYANMARUNION OF MYANMARHead of state: Than Shwe"
    assert unflatten(flat)[1:3] == ["MYANMAR", "UNION OF MYANMAR"]
    assert "CUBANISMO OF CUBA" in unflatten("Talks went on.CUBANISMO OF CUBAHead of state: Fidel")


def test_no_name_runs_across_a_cut_already_made() -> None:
    # "2001" ends the breadcrumb "Reports>2001", cut off before "Facebook": the share links after
    # it are no name like "14yMedio", and split like any glued labels.
    flat = (
        "World Watch OnlineHome>Reports>2001FacebookTwitterEmailRussia 2024 Human Rights ReportThe "
        "government continued to restrict freedoms. The courts were not independent."
    )
    assert unflatten(flat)[3:7] == ["Facebook", "Twitter", "Email", "Russia 2024 Human Rights Report"]


def test_a_lettered_heading_in_capitals_glued_after_a_sentence_is_cut() -> None:
    flat = (
        "There were no reports of killings during the year.B. DISAPPEARANCEThere were no reports of "
        "disappearances.SECTION 1 RESPECT FOR THE PERSON, INCLUDING FREEDOM FROM:A. ARBITRARY DEPRIVATION OF LIFE"
    )
    assert unflatten(flat) == [
        "There were no reports of killings during the year.",
        "B. DISAPPEARANCE",
        "There were no reports of disappearances.",
        "SECTION 1 RESPECT FOR THE PERSON, INCLUDING FREEDOM FROM:",
        "A. ARBITRARY DEPRIVATION OF LIFE",
    ]


def test_an_initial_glued_after_a_sentence_is_no_lettered_heading() -> None:
    # "J. Smith" is a name: no heading in capitals follows the letter
    assert unflatten("He said so in court.J. Smith was released later.") == ["He said so in court.J. Smith was released later."]


def test_a_section_heading_in_capitals_is_cut_from_its_first_subsection() -> None:
    flat = (
        "No person was held.SECTION 1. RESPECT FOR THE INTEGRITY OF THE PERSONA. ARBITRARY KILLINGSThere were "
        "no reports that any person was killed.SECTION 2. LIBERTYA. FREEDOM OF THE PRESSThe law provided for it."
    )
    assert unflatten(flat) == [
        "No person was held.",
        "SECTION 1. RESPECT FOR THE INTEGRITY OF THE PERSON",
        "A. ARBITRARY KILLINGS",
        "There were no reports that any person was killed.",
        "SECTION 2. LIBERTY",
        "A. FREEDOM OF THE PRESS",
        "The law provided for it.",
    ]


def test_a_section_heading_in_capitals_ending_in_a_word_of_the_document_with_a_is_whole() -> None:
    # "COLOMBIA" is a word the document writes, "COLOMBI" is not: its "A." is no subsection
    flat = "Colombia voted.SECTION 2. COLOMBIA. THE VOTE WAS HELDThe vote in Colombia was held. Colombia voted."
    assert unflatten(flat)[:3] == [
        "Colombia voted.",
        "SECTION 2. COLOMBIA. THE VOTE WAS HELD",
        "The vote in Colombia was held. Colombia voted.",
    ]


def test_a_heading_in_capitals_glued_to_a_sentence_is_no_word_of_the_document() -> None:
    # "ASSOCIATIONThe" twice is no word "associationthe" the document writes, which would keep it whole
    flat = (
        "They were expelled.FREEDOM OF ASSOCIATIONThe law provided for freedom of association.FREEDOM OF "
        "ASSOCIATIONThe law provided for it."
    )
    assert unflatten(flat) == [
        "They were expelled.",
        "FREEDOM OF ASSOCIATION",
        "The law provided for freedom of association.",
        "FREEDOM OF ASSOCIATION",
        "The law provided for it.",
    ]


def test_a_title_in_capitals_glued_to_a_heading_of_a_word_written_nowhere_else_is_cut() -> None:
    # "REPORT" is a word the document writes often, "EXECUTIVE" one it writes nowhere else
    flat = (
        "CHINA 2023 HUMAN RIGHTS REPORTEXECUTIVE SUMMARYThe report covers the year. The report was "
        "written by the report team.THE REPORTIt was late."
    )
    assert unflatten(flat)[:3] == ["CHINA 2023 HUMAN RIGHTS REPORT", "EXECUTIVE SUMMARY", "The report covers the year. The report was written by the report team."]


def test_a_subheading_repeating_a_word_of_its_heading_is_cut_from_it() -> None:
    flat = "It was not.C. DISAPPEARANCE AND ABDUCTIONDISAPPEARANCEThere were numerous reports of it."
    assert unflatten(flat) == [
        "It was not.",
        "C. DISAPPEARANCE AND ABDUCTION",
        "DISAPPEARANCE",
        "There were numerous reports of it.",
    ]


def test_a_word_in_capitals_glued_to_its_own_stem_again_is_no_thumb_tab() -> None:
    # "ANT" opens "ANTISEMITIC" after it, but the run goes on as that word does: one stem
    flat = "It was reported.D. ACTS OF ANTISEMITISM AND ANTISEMITIC INCITEMENTThere were no reports of it."
    assert unflatten(flat) == [
        "It was reported.",
        "D. ACTS OF ANTISEMITISM AND ANTISEMITIC INCITEMENT",
        "There were no reports of it.",
    ]
