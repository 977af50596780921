"""The extract stage: HTML detection, declared charsets, extraction and its log, the CLI on pages.

The pages here are written for these tests (never evaluation pages).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleaner
from cleaner.layout import split_lines
from cleaner.sniff import declared_charset, looks_like_html
from cleaner.stages import extract
from conftest import body

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "html"

NAV = '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>'
FOOTER = "<footer><p>Copyright 2024 Example Times. All rights reserved.</p></footer>"


def page(paragraphs: list[str], charset: str = "utf-8", title: str = "Council debates the budget",
         extra: str = "") -> str:
    """A news page: navigation, a headline, the paragraphs, ``extra`` inside the article, a footer."""
    ps = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head>'
        f"<body>{NAV}<article><h1>{title}</h1>{ps}{extra}</article>{FOOTER}</body></html>"
    )


def run_cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *args], input=stdin, capture_output=True, cwd=ROOT
    )


# ---------------------------------------------------------------- sniffing


@pytest.mark.parametrize("start", [
    "<!DOCTYPE html><html>", "<html lang='en'>", "\ufeff  <!doctype HTML>\n<html>",
    "<!-- saved page --><html><body>", "<div><p>A fragment</p></div>",
    '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">',
])
def test_pages_and_fragments_look_like_html(start: str) -> None:
    assert looks_like_html(start)
    assert looks_like_html(start.encode("utf-8"))


@pytest.mark.parametrize("text", [
    "Use <p> for paragraphs.", "The vote was 5 < 7.", "<3 this recipe", "<unknown>tag</unknown>", "",
])
def test_text_does_not_look_like_html(text: str) -> None:
    assert not looks_like_html(text)


@pytest.mark.parametrize("head, codec", [
    (b'<meta charset="windows-1252">', "cp1252"),
    (b"<meta charset=ISO-8859-1>", "cp1252"),  # browsers read latin-1 as windows-1252
    (b'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=Shift_JIS">', "cp932"),
    (b'<meta http-equiv="content-type" content="text/html;charset=euc-jp">', "euc_jp"),
    (b'<meta charset="utf-16">', "utf-8"),
    (b'<meta charset="no-such-charset">', None),
    (b"<html><head><title>No declaration</title>", None),
])
def test_declared_charset(head: bytes, codec: str | None) -> None:
    assert declared_charset(b"<html><head>" + head) == codec


def test_xml_declaration_names_the_charset() -> None:
    assert declared_charset(b'<?xml version="1.0" encoding="koi8-r"?><html>') == "koi8-r"


# ---------------------------------------------------------------- charsets


def test_a_windows_1252_page_is_read_in_its_declared_charset() -> None:
    paragraphs = ["Caf\u00e9 owners in the old town say the rent \u2013 already high \u2013 rose again this spring.",
                  *body(3)]
    data = page(paragraphs, charset="windows-1252").encode("cp1252")
    result = cleaner.clean(data)
    assert result.format == "html"
    assert result.encoding == "cp1252"
    assert paragraphs[0] in result.text
    assert ("decode", "decode.declared_charset") in {(e.stage, e.rule) for e in result.edits}


def test_a_shift_jis_page_is_read_in_its_declared_charset() -> None:
    paragraphs = ["\u99c5\u524d\u306b\u65b0\u3057\u3044\u56f3\u66f8\u9928\u304c\u958b\u9928\u3057\u307e\u3057\u305f\u3002",
                  "\u671d\u304b\u3089\u591a\u304f\u306e\u5e02\u6c11\u304c\u8a2a\u308c\u307e\u3057\u305f\u3002"]
    data = page(paragraphs, charset="Shift_JIS", title="\u56f3\u66f8\u9928").encode("shift_jis")
    result = cleaner.clean(data)
    assert result.encoding == "cp932"
    for paragraph in paragraphs:
        assert paragraph in result.text


def test_a_utf8_page_with_a_stale_latin1_declaration_is_read_as_utf8() -> None:
    paragraphs = ["Z\u00fcrich\u2019s council voted on the new tram line on Tuesday evening.", *body(2)]
    result = cleaner.clean(page(paragraphs, charset="iso-8859-1").encode("utf-8"))
    assert paragraphs[0] in result.text
    assert result.encoding == "utf-8"


def test_a_wrong_declaration_falls_back_to_detection() -> None:
    # Declared Shift_JIS, but the bytes are cp1252 with bytes Shift_JIS cannot decode.
    data = page(["Se\u00f1or Mu\u00f1oz \u2013 the mayor \u2013 said \u00ab no \u00bb again.", *body(2)],
                charset="Shift_JIS").encode("cp1252") + b"\xff\xfd"
    result = cleaner.clean(data)
    assert result.format == "html"
    assert "said" in result.text


# ---------------------------------------------------------------- extraction and its log


def test_page_is_reduced_to_the_article_and_every_left_out_block_is_logged() -> None:
    paragraphs = body(5)
    html = page(paragraphs, extra="<p>Advertisement</p>")
    result = cleaner.clean(html)
    assert result.format == "html"
    kept = [line for line in result.text.splitlines() if line]
    assert kept == paragraphs  # the headline is in the metadata
    dropped = [e for e in result.edits if e.rule == "extract.dropped"]
    # jusText makes one block of the menu's links (and joins their texts)
    assert [e.before for e in dropped] == ["HomeWorldSport", "Copyright 2024 Example Times. All rights reserved."]
    assert all(e.op == "drop" and e.start == e.end and "trafilatura" in e.note for e in dropped)
    assert ("fragments", "fragments.advertisement") in {(e.stage, e.rule) for e in result.edits}


def test_dropped_blocks_are_placed_where_they_stood() -> None:
    html = (f"<html><body><article><p>{body(1)[0]}</p>"
            f'<aside><ul><li><a href="/x">Menu</a></li></ul></aside>'
            f"<p>{body(2)[1]}</p><p>{body(3)[2]}</p></article></body></html>")
    result = cleaner.clean(html)
    menu = next(e for e in result.edits if e.before == "Menu")
    extracted = cleaner.restore(result.text, result.edits)
    assert extracted[: menu.start] == body(1)[0] + "\n"


def test_restore_of_a_page_gives_the_extracted_text() -> None:
    html = page(body(4), extra="<p>Advertisement</p>")
    result = cleaner.clean(html)
    extracted, _ = extract.run_trafilatura(html, None, extract.RECALL)
    assert cleaner.restore(result.text, result.edits) == extracted
    assert "Advertisement" in extracted and "Advertisement" not in result.text


def test_extracted_text_is_one_paragraph_per_line_with_a_final_newline() -> None:
    result = cleaner.clean(page(body(3)))
    assert result.text.endswith(".\n")
    assert "\n\n" not in result.text and " \n" not in result.text


def test_metadata_comes_from_the_page_and_the_url_from_the_caller() -> None:
    html = page(body(3)).replace("<head>", '<head><meta name="author" content="Ana Silva">')
    result = cleaner.clean(html, url="https://news.example/budget")
    assert result.metadata["title"] == "Council debates the budget"
    assert result.metadata["author"] == "Ana Silva"
    assert result.metadata["url"] == "https://news.example/budget"
    assert set(result.metadata) == set(extract.METADATA_FIELDS)


def test_text_input_has_no_metadata() -> None:
    result = cleaner.clean("\n".join(body(3)) + "\n")
    assert result.format == "text"
    assert all(value is None for value in result.metadata.values())


@pytest.mark.parametrize("html", [
    "<html><body></body></html>",
    "<html><head><script>var page = 1;</script><style>p {}</style></head><body></body></html>",
    "<html>",
])
def test_a_page_without_article_text_gives_an_empty_body_and_says_so(html: str) -> None:
    result = cleaner.clean(html)
    assert result.format == "html"
    assert result.text == ""
    assert [e.rule for e in result.edits if e.stage == "extract"] == ["extract.empty"]


@pytest.mark.parametrize("html", [
    "<html><body><div><p>{0}<p>{1}</table></span><p>{2}",  # unclosed and stray tags
    "<html><body><p>{0}</p><p>{1}<!-- unterminated comment <p>{2}</p>",
    "<html><body><p>{0}</p><p>{1}</p><p>{2}</p></body></html>\x00\x01</html><<<>>>",
    "<p>{0}</p><p>{1}</p><p>{2}</p>",  # a fragment, no html or body element
])
def test_broken_markup_does_not_break_extraction(html: str) -> None:
    sentences = body(3)
    result = cleaner.clean(html.format(*sentences))
    assert result.format == "html"
    assert sentences[0] in result.text


@settings(max_examples=40)
@given(st.lists(st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<a href='/x'>", "</a>", "<br>",
                                 "<script>", "</script>", "<!--", "-->", "&amp;", "&#", "<nav>", "<"]) |
                st.text(max_size=20), max_size=30).map("".join),
       st.sampled_from(body(8)))
def test_any_markup_cleans_without_error_and_restores_to_the_extracted_text(noise: str, sentence: str) -> None:
    html = f"<html><body>{noise}<p>{sentence}</p>{noise}</body></html>"
    result = cleaner.clean(html)
    assert result.format == "html"
    extracted, _ = extract.run_trafilatura(html, None, extract.RECALL)
    assert cleaner.restore(result.text, result.edits) == extracted


def test_input_format_forces_the_reading() -> None:
    html = page(body(3))
    as_text = cleaner.clean(html, input_format="text")
    assert as_text.format == "text" and "<article>" in as_text.text
    fragment = "Intro: " + "".join(f"<p>{s}</p>" for s in body(3))  # does not start like a page
    assert cleaner.clean(fragment).format == "text"
    assert cleaner.clean(fragment, input_format="html").format == "html"
    without_extract = tuple(s for s in cleaner.STAGE_NAMES if s != "extract")
    assert cleaner.clean(html, stages=without_extract).format == "text"


def test_bad_input_format_is_a_config_error() -> None:
    with pytest.raises(cleaner.ConfigError, match="input_format"):
        cleaner.clean("text", input_format="pdf")


def test_a_second_opinion_never_empties_the_page() -> None:
    # trafilatura puts these three paragraphs on one line, and jusText calls
    # that block boilerplate: it is still the whole article, so it stays.
    html = (f"<html><body><article><p>{body(1)[0]}</p><nav>Menu</nav>"
            f"<p>{body(2)[1]}</p><p>{body(3)[2]}</p></article></body></html>")
    result = cleaner.clean(html)
    assert body(3)[2] in result.text
    assert "extract.second_opinion" not in {e.rule for e in result.edits}


def test_word_index_matches_short_blocks_only_as_whole_lines() -> None:
    index = extract.WordIndex("World leaders met in Paris.\nWorld\n")
    assert extract._key("World") in index
    assert extract._key("Paris") not in index  # a word inside a sentence is not the block "Paris"
    assert extract._key("leaders met in Paris") in index  # four words in a row are
    assert extract._key("Sport") not in index


RECALL_TEXT = "\n".join(["Budget vote delayed", *body(3), "Related: Bridge costs rise", "Most read", body(4)[3]]) + "\n"
RECALL_LINES = split_lines(RECALL_TEXT)
BLOCKS = [
    extract.Block("Budget vote delayed", "bad"), *(extract.Block(s, "good") for s in body(4)),
    extract.Block("Related: Bridge costs rise", "bad"), extract.Block("Most read", "bad"),
]


def second_opinion(precise: str, blocks: list[extract.Block] = BLOCKS) -> list[str]:
    removals = extract.second_opinion(RECALL_LINES, blocks, lambda: precise)
    return [RECALL_LINES[i].text for i in sorted(removals)]


def test_second_opinion_removes_what_jusText_and_precision_mode_both_reject() -> None:
    precise = "\n".join(["Budget vote delayed", *body(4), "Most read"])  # keeps "Most read"
    assert second_opinion(precise) == ["Related: Bridge costs rise"]


def test_second_opinion_keeps_what_jusText_calls_content() -> None:
    assert second_opinion("Budget vote delayed") == ["Related: Bridge costs rise", "Most read"]


def test_second_opinion_runs_precision_mode_only_when_jusText_objects() -> None:
    calls: list[int] = []
    good_blocks = [extract.Block(line, "good") for line in RECALL_TEXT.splitlines()]
    removals = extract.second_opinion(RECALL_LINES, good_blocks, lambda: calls.append(1) or "")
    assert (removals, calls) == ({}, [])


def test_second_opinion_without_a_precise_text_has_no_opinion() -> None:
    assert second_opinion("") == []


def test_title_line_goes_when_it_is_the_page_title() -> None:
    assert extract.title_line(RECALL_LINES, "Budget Vote Delayed", {}) == {0: "extract.title"}
    assert extract.title_line(RECALL_LINES, "Budget vote delayed again", {}) == {}
    assert extract.title_line(RECALL_LINES, None, {}) == {}
    # the first line that remains is the one compared
    assert extract.title_line(RECALL_LINES, body(1)[0], {0: "extract.second_opinion"}) == {1: "extract.title"}


def test_the_headline_moves_to_the_metadata_and_restore_brings_it_back() -> None:
    html = page(body(4))
    result = cleaner.clean(html)
    assert result.metadata["title"] == "Council debates the budget"
    assert not result.text.startswith("Council debates the budget")
    title_edit = next(e for e in result.edits if e.rule == "extract.title")
    assert title_edit.before.strip() == "Council debates the budget"
    assert cleaner.restore(result.text, result.edits).startswith("Council debates the budget\n")


# ---------------------------------------------------------------- command line


def test_cli_cleans_a_page_file_and_a_page_on_stdin() -> None:
    sample = SAMPLES / "bakery_windows1252.html"
    from_file = run_cli("clean", str(sample))
    from_stdin = run_cli("clean", "--html", stdin=sample.read_bytes())
    assert from_file.returncode == 0 and from_stdin.returncode == 0
    assert from_file.stdout == from_stdin.stdout
    text = from_file.stdout.decode("utf-8")
    assert "Saint-Andr\u00e9 has won this year\u2019s regional prize" in text
    assert "Advertisement" not in text and "Most Popular" not in text


def test_cli_json_format_gives_one_object_per_page() -> None:
    pages = sorted(str(p) for p in SAMPLES.glob("*.html"))
    done = run_cli("clean", "--format", "json", *pages)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [r["doc"] for r in records] == pages
    for record in records:
        assert {"body", "title", "author", "date", "url"} <= set(record)
        assert record["format"] == "html" and record["body"]
    bakery = records[pages.index(str(SAMPLES / "bakery_windows1252.html"))]
    assert bakery["author"] == "Maria Lopes"
    assert bakery["title"].startswith("Village bakery wins regional prize")


def test_cli_json_glob_and_url() -> None:
    done = run_cli("clean", "--format", "json", "--url", "https://gazette.example/bakery",
                   "samples/html/bakery_*.html")
    record = json.loads(done.stdout)
    assert record["url"] == "https://gazette.example/bakery"


def test_cli_page_without_text_exits_0_with_a_warning_and_a_log_line(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    done = run_cli("clean", "--log", str(log), stdin=b"<html><body><script>x()</script></body></html>")
    assert done.returncode == 0
    assert done.stdout == b""
    assert done.stderr.decode().strip() == "cleaner: warning: <stdin>: no article text found in the page"
    rules = [json.loads(line)["rule"] for line in log.read_text().splitlines()]
    assert "extract.empty" in rules


def test_cli_output_dir_writes_pages_as_text_files(tmp_path: Path) -> None:
    done = run_cli("clean", "--output-dir", str(tmp_path), "samples/html/bakery_windows1252.html")
    assert done.returncode == 0
    written = tmp_path / "samples" / "html" / "bakery_windows1252.txt"
    assert "sourdough" in written.read_text(encoding="utf-8")


def test_cli_text_flag_keeps_markup_as_text() -> None:
    done = run_cli("clean", "--text", stdin=page(body(3)).encode())
    assert b"<article>" in done.stdout


@pytest.mark.parametrize("args", [
    ("--html", "--text"),
    ("--format", "json", "--diff"),
    ("--format", "xml"),
    ("--url", "https://a.example", "samples/html/bakery_windows1252.html", "samples/html/library_shift_jis.html"),
    ("--jsonl", "--format", "json"),
])
def test_cli_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    done = run_cli("clean", *args, stdin=b"")
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr
