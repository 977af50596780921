"""Each stage on small texts written for these tests: what goes, and look-alikes that stay."""

from __future__ import annotations

import ftfy
import pytest

import cleaner
from cleaner.stages import encoding
from conftest import body, content_lines, doc

B = body(10)


def clean_stage(text: str, stage: str, **options) -> cleaner.Result:
    """Run one stage; check the log restores the input before handing the result back."""
    result = cleaner.clean(text, stages=(stage,), **options)
    assert result.restore() == text
    return result


def rules_of(result: cleaner.Result) -> list[str]:
    return [e.rule for e in result.edits if e.op != "note"]


def assert_removed(text: str, stage: str, *gone: str, **options) -> cleaner.Result:
    result = clean_stage(text, stage, **options)
    kept = content_lines(result.text)
    for line in gone:
        assert line not in kept
    assert kept == [l for l in content_lines(text) if l not in gone]
    assert rules_of(result) and all(r.startswith(stage + ".") for r in rules_of(result))
    return result


def assert_kept(text: str, stage: str, **options) -> None:
    result = clean_stage(text, stage, **options)
    assert result.text == text
    assert rules_of(result) == []


def removed_or_kept(text: str, stage: str, line: str, gone: bool) -> None:
    """For tables of a rule's hits and look-alikes: ``line`` goes if ``gone``, else nothing does."""
    if gone:
        assert_removed(text, stage, line)
    else:
        assert_kept(text, stage)


# ---------------------------------------------------------------- decode


def test_decode_removes_and_logs_a_bom():
    result = cleaner.clean(b"\xef\xbb\xbfHello there, world.\n")
    assert result.text == "Hello there, world.\n"
    assert result.encoding == "utf-8"
    assert [(e.rule, e.op, e.before) for e in result.edits if e.op != "note"] == [("decode.bom", "delete", "\ufeff")]


def test_decode_of_str_input_has_no_encoding():
    result = cleaner.clean("\ufeffHello there, world.\n")
    assert result.text == "Hello there, world.\n"
    assert result.encoding is None


def test_decode_utf16_with_bom():
    data = "Hello there, world.\n".encode("utf-16")
    result = cleaner.clean(data)
    assert result.text == "Hello there, world.\n"
    assert result.encoding.replace("_", "-").lower().startswith("utf-16")


def test_decode_rejects_nul_bytes():
    with pytest.raises(cleaner.InputError, match="binary"):
        cleaner.clean(b"GIF89a\x00\x01\x02 not text")


def test_decode_rejects_non_text_objects():
    with pytest.raises(cleaner.InputError):
        cleaner.clean(42)  # type: ignore[arg-type]


CP1252_TEXT = (
    "Caf\xe9 owners in the city said on Monday that prices had risen sharply. "
    "One owner, whose r\xe9sum\xe9 includes stints in Paris, called the plan na\xefve. "
    "The na\xefve hope that costs would fall has faded, she said.\n"
)


def test_decode_cp1252_bytes_are_decoded_and_noted():
    data = CP1252_TEXT.encode("cp1252")
    result = cleaner.clean(data)
    note = [e for e in result.edits if e.rule == "decode.charset"]
    assert len(note) == 1 and note[0].op == "note"
    assert note[0].note == result.encoding and result.encoding != "utf-8"
    assert result.restore().encode(result.encoding) == data


@pytest.mark.parametrize(
    "text",
    [
        CP1252_TEXT,
        "caf\xe9 na\xefve r\xe9sum\xe9 text. The caf\xe9 owner said the plan was na\xefve.\n",
        "Gr\xfc\xdfe aus Z\xfcrich, sagte die B\xfcrgermeisterin am Montag.\n",
        "\u201cWe are worried,\u201d said the caf\xe9 owner \u2014 twice.\n",
    ],
)
def test_decode_cp1252_bytes_give_the_right_characters(text):
    # Short cp1252 text used to be read as cp1250 ("naïve" -> "naďve").
    result = cleaner.clean(text.encode("cp1252"), stages=("decode",))
    assert result.text == text


# ---------------------------------------------------------------- encoding


def test_encoding_fixes_mojibake_and_logs_it():
    result = clean_stage("The CafÃ© on Main Street reopened.\n", "encoding")
    assert result.text == "The Café on Main Street reopened.\n"
    (edit,) = result.edits
    assert edit.rule.startswith("encoding.")
    assert (edit.before, edit.after) == ("Ã©", "é")
    assert edit.note


@pytest.mark.parametrize(
    "text, fixed",
    [
        ("Tom &amp; Jerry return.\n", "Tom & Jerry return.\n"),
        ("The mayor&#8217;s plan.\n", "The mayor\u2019s plan.\n"),
    ],
)
def test_encoding_unescapes_html_entities(text, fixed):
    result = clean_stage(text, "encoding")
    assert result.text == fixed
    assert rules_of(result) == ["encoding.unescape_html"]


def test_encoding_leaves_curly_quotes_and_crlf_byte_for_byte():
    text = "\u201cWe are ready,\u201d she said.\r\nIt\u2019s the end \u2014 for now\u2026\r\n"
    assert_kept(text, "encoding")
    assert cleaner.clean(text.encode("utf-8")).text == text


def test_encoding_normalize_straightens_quotes():
    result = clean_stage("\u201cWe are ready,\u201d she said.\n", "encoding", normalize=True)
    assert result.text == '"We are ready," she said.\n'
    assert rules_of(result) and all(r.startswith("encoding.") for r in rules_of(result))


def test_encoding_normalize_turns_crlf_into_lf():
    result = clean_stage("One line.\r\nTwo lines.\r\n", "encoding", normalize=True)
    assert result.text == "One line.\nTwo lines.\n"


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII text with nothing to fix.\n",
        "a < b in the table\nTom &amp; Jerry stay escaped after a '<'\n",
        "Tom &amp; Jerry\na < b\nx &lt; y\n",
        "CafÃ© â€œquotedâ€\x9d text\r\nnext line\r\n",
        "\x1b[31mred\x1b[0m text\n",
        "Ligature \ufb01ne and \uff21\uff22 wide, e\u0301 decomposed\n",
        "Control\x07 char and C1 \x85 and \x96 here\nno final newline",
        "&lt;b&gt;bold&lt;/b&gt; &amp;&amp; &#x41;\n",
    ],
)
def test_encoding_stage_equals_ftfy_fix_text(text):
    config = encoding.CONSERVATIVE._replace(explain=False)
    result = clean_stage(text, "encoding")
    assert result.text == ftfy.fix_text(text, config)


# ---------------------------------------------------------------- captions

CAPTION = "Firefighters work at the scene of the blaze on Main Street on Tuesday."
CREDITED = CAPTION + " (AP Photo/Jane Doe)"


def test_captions_adjacent_duplicate_removed():
    text = doc([B[0], CREDITED, CREDITED, B[1]], "\n")
    result = clean_stage(text, "captions")
    assert result.text == doc([B[0], CREDITED, B[1]], "\n")
    assert rules_of(result) == ["captions.duplicate"]


def test_captions_adjacent_duplicate_keeps_the_blank_line_after_the_caption():
    text = f"{B[0]}\n\n{CREDITED}\n{CREDITED}\n\n{B[1]}\n"
    result = clean_stage(text, "captions")
    assert result.text == f"{B[0]}\n\n{CREDITED}\n\n{B[1]}\n"


def test_captions_duplicate_one_paragraph_later_removed():
    text = doc([B[0], CREDITED, B[1], CREDITED, B[2]])
    result = clean_stage(text, "captions")
    assert result.text == doc([B[0], CREDITED, B[1], B[2]])
    assert rules_of(result) == ["captions.duplicate"]


def test_captions_copy_without_credit_removed():
    text = doc([B[0], CREDITED, CAPTION, B[1]])
    result = clean_stage(text, "captions")
    assert result.text == doc([B[0], CREDITED, B[1]])


def test_captions_copy_with_label_removed():
    text = doc([B[0], CREDITED, "Image caption: " + CAPTION, B[1]])
    assert clean_stage(text, "captions").text == doc([B[0], CREDITED, B[1]])


def test_captions_copy_beyond_the_window_kept():
    text = doc([CREDITED] + B[:4] + [CREDITED])
    assert_kept(text, "captions")
    wide = clean_stage(text, "captions", caption_window=5)
    assert wide.text == doc([CREDITED] + B[:4])


def test_captions_single_caption_kept_by_default():
    assert_kept(doc([B[0], CREDITED, B[1]]), "captions")


def test_captions_single_caption_removed_with_drop_captions():
    result = clean_stage(doc([B[0], CREDITED, B[1]]), "captions", drop_captions=True)
    assert result.text == doc([B[0], B[1]])
    assert rules_of(result) and rules_of(result)[0].startswith("captions.credit")


def test_captions_two_distinct_lines_kept():
    other = "Volunteers hand out water to residents outside the shelter on Wednesday."
    assert_kept(doc([B[0], CAPTION, other, B[1]], "\n"), "captions")


def test_captions_short_repeated_lines_are_not_captions():
    assert_kept(doc([B[0], "Read this", "Read this", B[1]]), "captions")


def test_captions_gallery_toggle_and_cut_copy_removed():
    # A gallery: each caption with its "less" toggle, then a copy cut short with "... more".
    cut = CAPTION[:40].rstrip() + " ... more"
    text = doc([B[0], CAPTION + " less", cut, "Photo: Jane Doe", CAPTION + " less", cut, B[1]], "\n")
    result = clean_stage(text, "captions")
    assert result.text == doc([B[0], CAPTION + " less", "Photo: Jane Doe", B[1]], "\n")
    assert sorted(set(rules_of(result))) == ["captions.duplicate", "captions.truncated"]


def test_captions_cut_copy_before_its_full_line_removed():
    text = doc([B[0], CAPTION[:45].rstrip() + "\u2026", CAPTION, B[1]], "\n")
    result = clean_stage(text, "captions")
    assert result.text == doc([B[0], CAPTION, B[1]], "\n")


def test_captions_line_ending_in_ellipsis_without_a_full_copy_kept():
    teaser = "The mayor said the vote would take place next month ..."
    assert_kept(doc([B[0], teaser, B[1]], "\n"), "captions")
    short = "Firefighters work at ..."  # too few words to call it the start of another line
    assert_kept(doc([B[0], short, CAPTION, B[1]], "\n"), "captions")


def test_captions_sentence_ending_in_less_is_not_a_toggle_copy():
    spend = "The council agreed that the city should spend less"
    assert_kept(doc([B[0], spend, "The council agreed that the city should spend", B[1]], "\n"), "captions")


def test_captions_long_paragraph_ending_with_credit_kept_with_drop_captions():
    paragraph = " ".join(B[:6]) + " (Source: city records)"
    assert len(paragraph.split()) > 60
    assert_kept(doc([B[6], paragraph, B[7]]), "captions", drop_captions=True)


# ---------------------------------------------------------------- banners

COOKIE = "We use cookies to improve your experience on our site and to show you relevant ads."


def test_banners_cookie_notice_removed():
    assert_removed(doc([B[0], COOKIE, B[1]]), "banners", COOKIE)


def test_banners_quoted_cookie_phrase_mid_sentence_kept():
    quote = 'The site showed a banner reading "We use cookies" for months, the regulator said.'
    assert_kept(doc([B[0], quote, B[1]]), "banners")


def test_banners_consent_line_and_its_button_removed_together():
    result = assert_removed(doc([B[0], COOKIE, "Accept all", B[1]]), "banners", COOKIE, "Accept all")
    assert len(rules_of(result)) == 2


def test_banners_lone_agree_in_an_article_kept():
    assert_kept(doc([B[0], "Agree", B[1], "Accept all", B[2]]), "banners")


def test_banners_comment_moderation_notice_removed():
    notice = "ATENÇÃO: Comentários com textos ininteligíveis não serão aprovados pelo moderador."
    assert_removed(doc([B[0], B[1], notice]), "banners", notice)


def test_banners_sentence_about_comment_moderation_kept():
    line = "Note: the comments quoted here were approved by the newspaper's moderators before publication."
    assert_kept(doc([B[0], line, B[1]]), "banners")


# ---------------------------------------------------------------- appeals

APPEAL = "Support our journalism with a donation today."


def test_appeals_donation_ask_removed():
    assert_removed(doc([B[0], APPEAL, B[1]]), "appeals", APPEAL)


def test_appeals_newsletter_signup_removed():
    line = "Sign up for The Morning Brief, our daily newsletter with the news you need."
    assert_removed(doc([B[0], line, B[1]]), "appeals", line)


def test_appeals_article_about_newsletters_kept():
    line = "Newsletters have become a big business, and support for local journalism is growing, the study found."
    assert_kept(doc([B[0], line, B[1]]), "appeals")


def test_appeals_reported_newsletter_signup_kept():
    line = "The paper said readers could sign up for its newsletter at the library, which opened in May."
    assert_kept(doc([B[0], line, B[1]]), "appeals")


def test_appeals_publisher_letter_removed_up_to_the_signoff():
    letter = [
        "A message from our Publisher",
        "Local news is in trouble across the country.",
        "Please consider a gift to keep our reporters on the job.",
        "\u2014 Jane Roe, Publisher",
    ]
    text = doc(B[:3] + letter + B[3:6])
    result = clean_stage(text, "appeals")
    assert result.text == doc(B[:6])


def test_appeals_publisher_letter_without_signoff_takes_only_its_heading():
    text = doc(B[:3] + ["A message from our Publisher", "Local news is in trouble across the country."] + B[3:6])
    result = clean_stage(text, "appeals")
    assert result.text == doc(B[:3] + ["Local news is in trouble across the country."] + B[3:6])


# ---------------------------------------------------------------- footers

HEADLINES = [
    "Storm damage bill tops $40 million",
    "Local team wins championship again",
    "School board delays vote on new calendar",
]
LONG_SENTENCE = (
    "The council will also review its parking policy in the spring, according to a "
    "statement released by the city on Tuesday afternoon."
)


@pytest.mark.parametrize("sep", ["\n\n", "\n"], ids=["blank", "single"])
def test_footers_most_popular_takes_the_headlines_but_not_the_next_paragraph(sep):
    text = doc(B[:8] + ["Most Popular"] + HEADLINES + [LONG_SENTENCE], sep)
    result = clean_stage(text, "footers")
    assert result.text == doc(B[:8] + [LONG_SENTENCE], sep)
    assert len(rules_of(result)) == 1 + len(HEADLINES)


def test_footers_most_popular_at_the_end_without_final_newline():
    text = doc(B[:8] + ["Most Popular"] + HEADLINES, final="")
    assert clean_stage(text, "footers").text == doc(B[:8], final="")


def test_footers_most_popular_at_the_start_of_an_article_kept():
    assert_kept(doc(["Most Popular"] + B[:8]), "footers")


def test_footers_read_more_line_removed():
    line = "Read more: Council approves new budget after a long night"
    assert_removed(doc([B[0], line, B[1]]), "footers", line)


def test_footers_read_more_in_a_sentence_kept():
    line = "Read more about the plan in the report the council published on Friday."
    assert_kept(doc([B[0], line, B[1]]), "footers")


def test_footers_most_read_in_a_section_takes_its_list():
    lines = ["Most read in world news", "Storm damage bill tops $40 million", "Mayor quits after vote"]
    assert_removed(doc(B[:4] + lines), "footers", *lines)


def test_footers_also_on_teaser_removed():
    line = "Also on rt.com Journalists threatened with sedition arrests"
    assert_removed(doc([B[0], line, B[1]]), "footers", line)


def test_footers_tag_list_at_the_end_removed():
    line = "Tags: stock car 2018, stock car brasil, Interlagos"
    assert_removed(doc(B[:4] + [line]), "footers", line)


def test_footers_tag_heading_takes_its_keyword_line():
    lines = ["Tags", "calendario stock car 2018, stock car brasil, stock car cascavel"]
    assert_removed(doc(B[:4] + lines), "footers", *lines)


def test_footers_lowercase_list_without_a_tag_heading_kept():
    line = "flour, sugar, eggs, butter, warm milk"
    assert_kept(doc(B[:4] + [line]), "footers")


@pytest.mark.parametrize(
    ("line", "gone"),
    [
        ("copyright Inexhibit 2019 - ISSN: 2283-5474", True),
        ("Copyright Business Wire 2008", True),
        ("Copyright Office 2019 figures show a rise in filings.", False),
    ],
)
def test_footers_copyright_owner_line(line, gone):
    removed_or_kept(doc(B[:4] + [line]), "footers", line, gone)


def test_footers_labelled_sentence_at_the_end_kept():
    line = "Temas: la economía, la salud y la educación dominaron el debate."
    assert_kept(doc(B[:4] + [line]), "footers")


@pytest.mark.parametrize(
    ("line", "gone"),
    [
        ("Click here to subscribe to The Paradigm Newsletter", True),
        ("Click here to read the full report from the inspectors.", False),
    ],
)
def test_appeals_click_to_subscribe(line, gone):
    removed_or_kept(doc([B[0], line, B[1]]), "appeals", line, gone)


@pytest.mark.parametrize(
    ("line", "gone"),
    [
        ("Get access to Moneycontrol Pro for as little as Rs 599 for first year.", True),
        ("Students get access to the gym for only $10 a month, the university said.", False),
    ],
)
def test_appeals_access_offer(line, gone):
    removed_or_kept(doc([B[0], line, B[1]]), "appeals", line, gone)




def test_footers_copyright_line_removed():
    line = "Copyright \u00a9 2024 The Valley Courier. All rights reserved."
    assert_removed(doc(B[:4] + [line]), "footers", line)


def test_footers_copyright_law_sentence_kept():
    line = "Copyright law has not kept pace with the technology, the judge wrote."
    assert_kept(doc([B[0], line, B[1]]), "footers")


# ---------------------------------------------------------------- fragments


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "Share this article",
        "f",
        "\u00d7",
        "Updated",
        "UPDATED: Tue., Nov. 19, 2019",
        "- Published 18 November 2019",
        "Updated at 1:23 p.m.",
        "sexta-feira, 22 de outubro de 2010 às 20:13",
        "Photo: Hau Dinh, AP",
        "Photograph: Tim Robberts/Getty Images",
        "AP-US--Trump-Impeachment, 4th Ld-Writethru",
        "Like this story? Share it with a friend!",
        "Tell us what YOU think...",
        "twitter.com/paultakahashi",
        "Subscribe to 9to5Mac on YouTube for more Apple news:",
        "05/10/2018 - Publicado por: Clarissa Borba - Categoria: Saúde - Tags: sad",
        "Jaraguá do Sul - SC - CNPJ: 83.102.459/0001-23 - Rua Walter Marquardt, 1111 - Fone: (047) 2106-800",
        "Follow @BGRDeals on Twitter to keep up with the latest deals. Prices are subject to change"
        " without notice and coupons may expire at any time.",
    ],
)
def test_fragments_page_furniture_removed(line):
    assert_removed(doc([B[0], line, B[1]]), "fragments", line)


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement revenue fell 20 percent last year, the company said.",
        "A",
        "II",
        "Share prices rose sharply after the announcement on Thursday.",
        "Updated MacPros and Xserves are shipping immediately.",
        "Updated figures were published on Monday, 18 November 2019, by the agency.",
        "Photo: Protesters march through central Hong Kong",
        "Tell us what you think about the plan by writing to the council before 12 May.",
        "Join the conversation about the future of the library at the town hall on Friday evening.",
        "Category: the council filed the plan under housing, not transport, the minutes show.",
        "Tel: the switchboard number changed in May, and the old one now rings at the depot.",
        "Follow the money, the auditors said on Twitter after the report was published.",
    ],
)
def test_fragments_look_alikes_kept(line):
    assert_kept(doc([B[0], line, B[1]]), "fragments")


# ---------------------------------------------------------------- the pipeline


def test_stages_run_in_pipeline_order_whatever_the_order_given():
    text = doc([B[0], "CafÃ© &amp; bar", "Advertisement", CREDITED, CREDITED, B[1]])
    one = cleaner.clean(text, stages=("fragments", "captions", "encoding"))
    two = cleaner.clean(text, stages=("encoding", "captions", "fragments"))
    assert one == two
    order = [e.stage for e in one.edits]
    assert order == sorted(order, key=cleaner.STAGE_NAMES.index)


def test_unknown_stage_is_rejected():
    with pytest.raises(ValueError, match="bogus"):
        cleaner.clean("text", stages=("bogus",))


def test_pipeline_object_matches_clean():
    text = doc([B[0], "Advertisement", B[1]])
    pipeline = cleaner.Pipeline(drop_captions=True)
    assert pipeline.clean(text) == cleaner.clean(text, drop_captions=True)
    assert pipeline.clean(text.encode()) == cleaner.clean(text.encode(), drop_captions=True)


def test_pipeline_options_override_config():
    config = cleaner.CleanerConfig(drop_captions=True, stages=("captions",))
    text = doc([B[0], CREDITED, "Advertisement", B[1]])
    assert cleaner.Pipeline(config).clean(text).text == doc([B[0], "Advertisement", B[1]])
    assert cleaner.Pipeline(config, drop_captions=False).clean(text).text == text
    assert cleaner.clean(text, config, stages=("fragments",)).text == doc([B[0], CREDITED, B[1]])


def test_bytes_are_decoded_even_with_no_stages():
    data = "Caf\u00e9 &amp; bar\r\n".encode("utf-8")
    result = cleaner.clean(data, stages=())
    assert result.text == "Caf\u00e9 &amp; bar\r\n"
    assert result.encoding == "utf-8"
    assert result.restore().encode("utf-8") == data


def test_everything_at_once():
    text = (
        "\ufeffThe CafÃ© on Main Street reopened on Monday.\r\n\r\n"
        + CREDITED + "\r\n\r\n" + B[1] + "\r\n\r\n" + CREDITED + "\r\n\r\n"
        + COOKIE + "\r\n\r\nAccept all\r\n\r\n" + APPEAL + "\r\n\r\nAdvertisement\r\n\r\n" + B[2]
    )
    data = text.encode("utf-8")
    result = cleaner.clean(data)
    assert result.text == (
        "The Café on Main Street reopened on Monday.\r\n\r\n" + CREDITED + "\r\n\r\n" + B[1] + "\r\n\r\n" + B[2]
    )
    assert result.restore().encode("utf-8") == data
    assert {e.stage for e in result.edits} >= {"decode", "encoding", "captions", "banners", "appeals", "fragments"}
