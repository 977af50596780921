"""Property tests: restore is exact, cleaning is idempotent, nothing but InputError escapes."""

from __future__ import annotations

import json
from itertools import groupby
from pathlib import Path

import ftfy
from hypothesis import example, given, settings
from hypothesis import strategies as st

import cleaner
from cleaner.edits import Edit, apply_edits
from cleaner.rules import load_rules
from cleaner.stages import encoding
from conftest import BODY

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
REMOVAL_STAGES = ("captions", "banners", "appeals", "footers", "fragments")


def _sample_lines() -> list[str]:
    lines = []
    for path in sorted(SAMPLES.glob("*.txt")):
        lines += [l for l in path.read_text("utf-8", errors="replace").splitlines() if l.strip()]
    return lines[:2000]


EXTRA_LINES = [
    "Firefighters work at the scene on Main Street on Tuesday. (AP Photo/Jane Doe)",
    "Firefighters work at the scene on Main Street on Tuesday.",
    "Image caption: Firefighters work at the scene on Main Street on Tuesday.",
    "CafÃ© owners said prices had risen.",
    "Tom &amp; Jerry&#8217;s show returns.",
    "“We are worried,” said one owner.",
    "a < b, the report said.",
    "Agree",
    "Accept all",
    "Most Popular",
    "Storm damage bill tops $40 million",
    "Share",
    "f",
    "",
    "   ",
    "\t",
]
LINES = sorted({r.example for r in load_rules()}) + list(BODY) + EXTRA_LINES + _sample_lines()


@st.composite
def documents(draw, lines=st.sampled_from(LINES)):
    """Realistic documents: known lines, mixed separators, optional final newline and BOM."""
    parts = draw(st.lists(lines, max_size=30))
    seps = draw(st.lists(st.sampled_from(["\n", "\r\n", "\n\n", "\r\n\r\n"]), min_size=len(parts), max_size=len(parts)))
    text = "".join(p + s for p, s in zip(parts, seps))
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


any_text = st.one_of(st.text(), documents())
options = st.fixed_dictionaries({"drop_captions": st.booleans(), "normalize": st.booleans()})


def replay(original: str, edits) -> str:
    """Apply a log forwards, checking every edit against the text its stage received."""
    text = original
    for _, group in groupby(edits, key=lambda e: (e.round, e.stage)):
        group = [e for e in group if e.op != "note"]
        pos = 0
        for edit in group:
            assert pos <= edit.start <= edit.end, "edits of one stage are sorted and disjoint"
            assert text[edit.start : edit.end] == edit.before, "a logged span is not in the stage's input"
            pos = edit.end
        text = apply_edits(text, group)
    return text


# (a) restore is exact for text


@settings(max_examples=200, deadline=None)
@given(any_text, options)
@example("\ufeffThe article.\r\n\r\nAdvertisement\r\n\r\nMore.", {"drop_captions": False, "normalize": False})
def test_restore_is_exact_for_text(text, opts):
    result = cleaner.clean(text, **opts)
    assert cleaner.restore(result.text, result.edits) == text
    assert result.restore() == text


# (b) restore is exact for UTF-8 bytes


@settings(max_examples=200, deadline=None)
@given(any_text.filter(lambda t: "\x00" not in t), options)
def test_restore_is_exact_for_utf8_bytes(text, opts):
    data = text.encode("utf-8")
    result = cleaner.clean(data, **opts)
    assert result.encoding == "utf-8"
    assert cleaner.restore(result.text, result.edits).encode("utf-8") == data


# (c) idempotence


@settings(max_examples=200, deadline=None)
@given(any_text, options)
@example("<\n\nTom &amp; Jerry went home.\n", {"drop_captions": False, "normalize": False})
def test_cleaning_is_idempotent(text, opts):
    once = cleaner.clean(text, **opts).text
    twice = cleaner.clean(once, **opts)
    assert twice.text == once
    assert [e for e in twice.edits if e.op != "note"] == []


# (d) nothing but InputError escapes


@settings(max_examples=200, deadline=None)
@given(st.text(), options)
def test_any_text_cleans_without_error(text, opts):
    result = cleaner.clean(text, **opts)
    assert isinstance(result, cleaner.Result)
    assert isinstance(result.text, str)
    assert result.encoding is None


@settings(max_examples=200, deadline=None)
@given(st.binary())
@example(b"")
@example(b"\xff\xfeH\x00i\x00")
@example(b"ab\x00cd")
@example("caf\xe9 na\xefve r\xe9sum\xe9".encode("cp1252"))
def test_any_bytes_give_a_result_or_an_input_error(data):
    try:
        result = cleaner.clean(data)
    except cleaner.InputError as exc:
        assert data, "empty input is not an error"
        assert str(exc)
        return
    assert isinstance(result, cleaner.Result)
    assert result.encoding
    restored = result.restore()
    if result.encoding == "utf-8":
        assert restored.encode("utf-8") == data


def test_empty_input_is_not_an_error():
    assert cleaner.clean("").text == ""
    assert cleaner.clean(b"").text == ""


# (e) removal stages only delete spans that were in their input


@settings(max_examples=200, deadline=None)
@given(documents(), st.booleans())
def test_removal_stages_only_delete_logged_spans(text, drop_captions):
    result = cleaner.clean(text, stages=REMOVAL_STAGES, drop_captions=drop_captions)
    assert {e.op for e in result.edits} <= {"delete"}
    assert {e.stage for e in result.edits} <= set(REMOVAL_STAGES)
    assert replay(text, result.edits) == result.text
    assert cleaner.restore(result.text, result.edits) == text
    kept = [l for l in result.text.splitlines() if l.strip()]
    original = [l for l in text.splitlines() if l.strip()]
    iterator = iter(original)
    assert all(line in iterator for line in kept), "kept lines are a subsequence of the input's"


@settings(max_examples=200, deadline=None)
@given(any_text, options)
def test_every_logged_edit_fits_the_text_of_its_stage(text, opts):
    result = cleaner.clean(text, **opts)
    assert replay(text, result.edits) == result.text
    for edit in result.edits:
        assert edit.stage in cleaner.STAGE_NAMES
        assert edit.rule.startswith(edit.stage + ".")


# (f) the log survives JSON


@settings(max_examples=200, deadline=None)
@given(any_text, options)
def test_json_roundtrip_of_the_log_restores(text, opts):
    result = cleaner.clean(text, **opts)
    lines = [json.dumps({"doc": "d", **e.to_dict()}, ensure_ascii=False) for e in result.edits]
    records = [json.loads(line) for line in lines]
    assert [Edit.from_dict(r) for r in records] == list(result.edits)
    assert cleaner.restore(result.text, records) == text


# The encoding stage is ftfy.fix_text, only logged.


CONSERVATIVE_PLAIN = encoding.CONSERVATIVE._replace(explain=False)
NORMALIZE_PLAIN = encoding.NORMALIZE._replace(explain=False)
ENCODING_TEXT = st.one_of(
    st.text(),
    st.lists(
        st.sampled_from(["a", "é", "&", "<", ";", "\n", "\r\n", "\x85", "\x93", "Ã©", "â€™", "&amp;", "&#8217;", "\u2019", "ﬁ", "Ａ", "e\u0301", " "])
    ).map("".join),
)


@settings(max_examples=200, deadline=None)
@given(ENCODING_TEXT, st.booleans())
def test_encoding_stage_equals_ftfy_fix_text(text, normalize):
    result = cleaner.clean(text, stages=("encoding",), normalize=normalize)
    assert result.text == ftfy.fix_text(text, NORMALIZE_PLAIN if normalize else CONSERVATIVE_PLAIN)
    assert cleaner.restore(result.text, result.edits) == text
