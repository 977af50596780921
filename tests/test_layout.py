"""split_lines offsets and removal_edits keeping the document's layout."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.edits import apply_edits, undo_edits
from cleaner.layout import split_lines, removal_edits


def remove(text: str, *indices: int) -> str:
    """The text without the lines at ``indices`` (line indices of split_lines)."""
    lines = split_lines(text)
    edits = removal_edits(text, lines, {i: "test.rule" for i in indices}, "test")
    out = apply_edits(text, edits)
    assert undo_edits(out, edits) == text
    return out


def index_of(text: str, line_text: str) -> int:
    return next(line.index for line in split_lines(text) if line.text == line_text)


def remove_lines(text: str, *names: str) -> str:
    return remove(text, *(index_of(text, name) for name in names))


# ---------------------------------------------------------------- split_lines


def test_split_lines_lf():
    lines = split_lines("a\nbc\n")
    assert [(l.text, l.start, l.end, l.stop) for l in lines] == [("a", 0, 1, 2), ("bc", 2, 4, 5)]


def test_split_lines_crlf_excludes_terminator_from_text():
    lines = split_lines("a\r\n\r\nb")
    assert [(l.text, l.start, l.end, l.stop) for l in lines] == [
        ("a", 0, 1, 3),
        ("", 3, 3, 5),
        ("b", 5, 6, 6),
    ]


def test_split_lines_without_final_newline():
    lines = split_lines("one\ntwo")
    assert lines[-1].text == "two"
    assert lines[-1].end == lines[-1].stop == 7


def test_split_lines_empty_text_has_no_lines():
    assert split_lines("") == []


def test_split_lines_lone_cr_is_not_a_line_break():
    lines = split_lines("a\rb\n")
    assert [l.text for l in lines] == ["a\rb"]


def test_split_lines_indices_and_blank():
    lines = split_lines("x\n \t\n\ny\n")
    assert [l.index for l in lines] == [0, 1, 2, 3]
    assert [l.blank for l in lines] == [False, True, True, False]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \t\r\n\u2028\x85")))
def test_split_lines_covers_text_exactly(text):
    lines = split_lines(text)
    assert "".join(text[l.start : l.stop] for l in lines) == text
    for prev, line in zip(lines, lines[1:]):
        assert prev.stop == line.start
    for line in lines:
        assert text[line.start : line.end] == line.text
        assert text[line.end : line.stop] in ("", "\n", "\r\n")
        assert "\n" not in line.text


# ---------------------------------------------------------------- removal_edits: fixed cases

BLANK = "A1\n\nB2\n\nC3\n"
SINGLE = "A1\nB2\nC3\n"


def test_no_removals_no_edits():
    assert removal_edits(BLANK, split_lines(BLANK), {}, "test") == []


@pytest.mark.parametrize(
    "text, name, expected",
    [
        (BLANK, "B2", "A1\n\nC3\n"),
        (BLANK, "A1", "B2\n\nC3\n"),
        (BLANK, "C3", "A1\n\nB2\n"),
        (BLANK.rstrip("\n"), "C3", "A1\n\nB2"),
        (SINGLE, "B2", "A1\nC3\n"),
        (SINGLE, "A1", "B2\nC3\n"),
        (SINGLE, "C3", "A1\nB2\n"),
        (SINGLE.rstrip("\n"), "C3", "A1\nB2"),
        (BLANK.replace("\n", "\r\n"), "B2", "A1\r\n\r\nC3\r\n"),
        (BLANK.replace("\n", "\r\n"), "C3", "A1\r\n\r\nB2\r\n"),
        (BLANK.replace("\n", "\r\n").rstrip("\r\n"), "C3", "A1\r\n\r\nB2"),
        (SINGLE.replace("\n", "\r\n").rstrip("\r\n"), "C3", "A1\r\nB2"),
    ],
    ids=[
        "blank-middle",
        "blank-start",
        "blank-end",
        "blank-end-no-final-newline",
        "single-middle",
        "single-start",
        "single-end",
        "single-end-no-final-newline",
        "crlf-blank-middle",
        "crlf-blank-end",
        "crlf-blank-end-no-final-newline",
        "crlf-single-end-no-final-newline",
    ],
)
def test_removing_one_line_keeps_layout(text, name, expected):
    assert remove_lines(text, name) == expected


@pytest.mark.parametrize("text", [BLANK, SINGLE, BLANK.rstrip("\n"), "\n\nA1\n\nB2\n\n", "A1\r\n\r\nB2"])
def test_removing_every_line_gives_empty_text(text):
    names = [l.text for l in split_lines(text) if not l.blank]
    assert remove_lines(text, *names) == ""


def test_removing_two_adjacent_lines_in_the_middle():
    text = "A1\n\nB2\n\nC3\n\nD4\n"
    assert remove_lines(text, "B2", "C3") == "A1\n\nD4\n"


def test_removing_the_last_two_lines():
    assert remove_lines("A1\n\nB2\n\nC3\n", "B2", "C3") == "A1\n"
    assert remove_lines("A1\n\nB2\n\nC3", "B2", "C3") == "A1"


def test_removing_first_and_last_lines():
    assert remove_lines("A1\n\nB2\n\nC3\n", "A1", "C3") == "B2\n"


def test_removing_a_line_followed_by_several_blank_lines_does_not_double_them():
    text = "A1\n\nB2\n\n\n\nC3\n"
    out = remove_lines(text, "B2")
    assert out.startswith("A1\n") and out.endswith("C3\n")
    assert "\n\n\n\n\n" not in out


def test_trailing_whitespace_and_crlf_of_kept_lines_untouched():
    text = "A1  \r\n\r\nB2\r\n\r\nC3\t\r\n"
    assert remove_lines(text, "B2") == "A1  \r\n\r\nC3\t\r\n"


def test_edits_cover_the_removed_lines_text():
    text = "A1\n\nB2\n\nC3\n"
    edits = removal_edits(text, split_lines(text), {2: "test.b"}, "test")
    assert len(edits) == 1
    (edit,) = edits
    assert (edit.stage, edit.rule, edit.op) == ("test", "test.b", "delete")
    assert "B2" in edit.before and text[edit.start : edit.end] == edit.before


def test_removed_line_between_single_and_blank_separator_keeps_the_blank_line():
    # "A1" and "C3" were separated by a blank line (after B2); they still should be.
    assert remove_lines("A1\nB2\n\nC3\n", "B2") == "A1\n\nC3\n"


# ---------------------------------------------------------------- removal_edits: properties


@st.composite
def layouts(draw):
    """(text, removal indices): distinct content lines with one separator style."""
    n = draw(st.integers(1, 8))
    names = [f"L{i}" for i in range(n)]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    blank = draw(st.booleans())
    sep = newline * (2 if blank else 1)
    final = draw(st.sampled_from(["", newline]))
    text = sep.join(names) + final
    removed = draw(st.sets(st.integers(0, n - 1)))
    return text, names, sep, final, removed


@settings(max_examples=200, deadline=None)
@given(layouts())
def test_removal_keeps_uniform_layout(case):
    text, names, sep, final, removed = case
    lines = split_lines(text)
    index = {l.text: l.index for l in lines}
    edits = removal_edits(text, lines, {index[names[i]]: "t.r" for i in removed}, "t")
    out = apply_edits(text, edits)
    kept = [name for i, name in enumerate(names) if i not in removed]
    expected = sep.join(kept) + final if kept else ""
    assert out == expected
    assert undo_edits(out, edits) == text


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["\n", "\n\n", "\n\n\n", "\r\n", "\r\n\r\n"]), st.booleans()), min_size=1, max_size=8),
    st.booleans(),
    st.booleans(),
)
def test_removal_never_creates_longer_blank_runs_or_stray_cr(parts, leading_blank, final_newline):
    # Mixed separators: whatever is removed, no run of blank lines appears that was not in
    # the input, a kept CRLF stays whole, and the final newline is kept or dropped as it was.
    names = [f"L{i}" for i in range(len(parts))]
    text = ("\n" if leading_blank else "") + "".join(n + s for n, (s, _) in zip(names, parts))
    if not final_newline:
        text = text.rstrip("\r\n")
    lines = split_lines(text)
    index = {l.text: l.index for l in lines}
    removals = {index[n]: "t.r" for n, (_, gone) in zip(names, parts) if gone}
    out = apply_edits(text, removal_edits(text, lines, removals, "t"))
    kept = [n for n, (_, gone) in zip(names, parts) if not gone]
    assert [l.text for l in split_lines(out) if not l.blank] == kept

    def longest_blank_run(s: str) -> int:
        return max((len(m) for m in re.findall(r"(?:\r?\n)+", s.replace("\r\n", "\n"))), default=0)

    assert longest_blank_run(out) <= longest_blank_run(text)
    assert out.count("\r") == out.count("\r\n")
    if kept:
        assert out.endswith("\n") == text.endswith("\n")
        assert out.startswith("\n") <= text.startswith("\n")
    else:
        assert out == ""
