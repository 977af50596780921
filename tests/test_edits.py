"""The edit log: apply_edits, undo_edits, restore, Edit <-> dict."""

from __future__ import annotations

import dataclasses
import json

import pytest

import cleaner
from cleaner.edits import Edit, apply_edits, restore, undo_edits
from cleaner.errors import RestoreError


def delete(start: int, end: int, text: str, stage: str = "fragments", rnd: int = 1) -> Edit:
    """A deletion of ``text[start:end]`` (``text`` is the stage's input)."""
    return Edit(stage, f"{stage}.test", "delete", start, end, text[start:end], round=rnd)


def replace(start: int, end: int, text: str, after: str, stage: str = "encoding") -> Edit:
    return Edit(stage, f"{stage}.test", "replace", start, end, text[start:end], after)


# ---------------------------------------------------------------- apply / undo


def test_apply_edits_with_no_edits_is_identity():
    assert apply_edits("abc\n", []) == "abc\n"


def test_apply_edits_deletes_and_replaces_in_input_coordinates():
    text = "Tom &amp; Jerry\nAdvertisement\nThe end.\n"
    edits = [replace(4, 9, text, "&"), delete(16, 30, text)]
    assert edits[1].before == "Advertisement\n"
    assert apply_edits(text, edits) == "Tom & Jerry\nThe end.\n"


def test_apply_edits_insertion_with_empty_span():
    edit = Edit("encoding", "encoding.test", "replace", 3, 3, "", "XY")
    assert apply_edits("abcdef", [edit]) == "abcXYdef"
    assert undo_edits("abcXYdef", [edit]) == "abcdef"


@pytest.mark.parametrize(
    "text, spans",
    [
        ("hello world", [(0, 6)]),
        ("hello world", [(5, 11)]),
        ("a\r\nb\r\nc", [(0, 3), (3, 6)]),
        ("a\n\nb\n\nc\n", [(3, 6)]),
        ("xyz", [(0, 3)]),
    ],
)
def test_undo_edits_inverts_apply_edits(text, spans):
    edits = [delete(s, e, text) for s, e in spans]
    out = apply_edits(text, edits)
    assert undo_edits(out, edits) == text


def test_undo_edits_with_growing_and_shrinking_replacements():
    text = "CafÃ© &amp; bar\n"
    edits = [replace(3, 5, text, "é"), replace(6, 11, text, "&")]
    out = apply_edits(text, edits)
    assert out == "Café & bar\n"
    assert undo_edits(out, edits) == text


# ---------------------------------------------------------------- restore


def test_restore_with_empty_log_returns_clean_text():
    assert restore("unchanged\n", []) == "unchanged\n"


def test_restore_undoes_stages_last_first():
    original = "\ufeffCafÃ© news\n\nAdvertisement\n\nMore.\n"
    bom = delete(0, 1, original, stage="decode")
    after_decode = original[1:]
    mojibake = replace(3, 5, after_decode, "é")
    after_encoding = apply_edits(after_decode, [mojibake])
    ad = delete(11, 26, after_encoding)
    assert ad.before == "Advertisement\n\n"
    clean_text = apply_edits(after_encoding, [ad])
    assert clean_text == "Café news\n\nMore.\n"
    assert restore(clean_text, [bom, mojibake, ad]) == original


def test_restore_separates_rounds_of_the_same_stage():
    # Round 2 of a stage works on round 1's output: its offsets are not round 1's.
    original = "A\nx\nB\ny\nC\n"
    first = delete(2, 4, original, rnd=1)  # "x\n"
    after_first = apply_edits(original, [first])
    assert after_first == "A\nB\ny\nC\n"
    second = delete(4, 6, after_first, rnd=2)  # "y\n"
    clean_text = apply_edits(after_first, [second])
    assert clean_text == "A\nB\nC\n"
    assert restore(clean_text, [first, second]) == original


def test_restore_ignores_note_edits():
    note = Edit("decode", "decode.charset", "note", 0, 0, "", "", "utf-8")
    assert restore("text", [note]) == "text"


def test_restore_accepts_dicts_from_a_jsonl_log():
    original = "Body.\n\nAdvertisement\n\nMore.\n"
    edit = delete(7, 22, original)
    clean_text = apply_edits(original, [edit])
    record = json.loads(json.dumps({"doc": "page.txt", **edit.to_dict()}))
    assert restore(clean_text, [record]) == original


def test_restore_accepts_dicts_without_round():
    # Logs written before edits had a round still restore.
    original = "Body.\nShare\n"
    record = delete(6, 12, original).to_dict()
    del record["round"]
    assert restore("Body.\n", [record]) == original


def test_restore_rejects_a_dict_that_is_not_an_edit():
    with pytest.raises(RestoreError, match="not an edit"):
        restore("text", [{"stage": "fragments", "rule": "fragments.x"}])


def test_restore_error_when_replaced_text_was_altered():
    result = cleaner.clean("The CafÃ© opened.\n", stages=("encoding",))
    assert result.text == "The Café opened.\n"
    altered = result.text.replace("é", "e")
    with pytest.raises(RestoreError) as info:
        restore(altered, result.edits)
    assert result.edits[0].rule in str(info.value)


def test_restore_error_when_text_was_cut_before_a_replacement():
    result = cleaner.clean("Tom &amp; Jerry, and Tom &amp; Jerry again.\n", stages=("encoding",))
    assert result.edits
    with pytest.raises(RestoreError):
        restore(result.text[:3], result.edits)


def test_restore_error_on_overlapping_edits():
    text = "abcdef"
    edits = [replace(0, 3, text, "XYZ"), replace(1, 4, text, "Q")]
    with pytest.raises(RestoreError):
        undo_edits("XYZdef", edits)


def test_restore_error_is_a_cleaner_error():
    assert issubclass(RestoreError, cleaner.CleanerError)


def test_restore_error_when_deletion_offset_is_past_the_end_of_the_clean_text():
    original = "Body of the article.\n\nAdvertisement\n"
    result = cleaner.clean(original)
    assert result.text == "Body of the article.\n"
    with pytest.raises(RestoreError):
        restore("", result.edits)  # the clean text was emptied after cleaning


# ---------------------------------------------------------------- Edit values


def test_edit_is_immutable():
    edit = delete(0, 1, "ab")
    with pytest.raises(dataclasses.FrozenInstanceError):
        edit.start = 5  # type: ignore[misc]


def test_edit_to_dict_from_dict_roundtrip():
    edit = Edit("encoding", "encoding.mojibake", "replace", 3, 5, "Ã©", "é", "encode sloppy-windows-1252", 2)
    data = edit.to_dict()
    assert set(data) >= {"stage", "rule", "op", "start", "end", "before", "after", "note"}
    assert Edit.from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == edit


def test_from_dict_ignores_extra_keys_such_as_doc():
    edit = delete(0, 2, "ab\n")
    assert Edit.from_dict({"doc": "x.txt", **edit.to_dict()}) == edit


def test_pipeline_edits_use_known_ops_and_consistent_spans():
    result = cleaner.clean(b"\xef\xbb\xbfCaf\xc3\x83\xc2\xa9 &amp; bar\n\nAdvertisement\n")
    assert result.edits
    for edit in result.edits:
        assert edit.op in cleaner.edits.OPS
        if edit.op == "note":
            assert edit.before == edit.after == ""
        else:
            assert edit.end - edit.start == len(edit.before)
            assert (edit.op == "delete") == (edit.after == "")
