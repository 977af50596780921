"""The ``cleaner`` command, run for real: the console script and ``python -m cleaner``."""

from __future__ import annotations

import codecs
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cleaner
from cleaner.pipeline import MECHANISMS
from conftest import body, doc

BIN_DIR = Path(sys.executable).parent
SCRIPT = shutil.which("cleaner", path=str(BIN_DIR)) or shutil.which("cleaner")
COMMANDS = {"script": [SCRIPT], "module": [sys.executable, "-m", "cleaner"]}

B = body(4)
DIRTY = doc([B[0], "Advertisement", B[1]])
CLEAN = doc([B[0], B[1]])
#: BOM, CRLF, mojibake, a removable line, and no final newline.
AWKWARD = (
    "\ufeff" + B[0] + "\r\n\r\nThe CafÃ© reopened.\r\n\r\nAdvertisement\r\n\r\n" + B[1] + "  \r\n\r\nShare"
).encode("utf-8")


def run(*args: str, stdin: bytes = b"", cwd: Path | None = None, command: str = "script"):
    assert SCRIPT, "the cleaner console script is not installed next to the test interpreter"
    return subprocess.run(
        [*COMMANDS[command], *map(str, args)], input=stdin, capture_output=True, cwd=cwd, timeout=60
    )


def ok(proc) -> bytes:
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    return proc.stdout


def assert_one_line_error(proc, status: int, *words: str) -> str:
    err = proc.stderr.decode()
    assert proc.returncode == status, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("cleaner: error:")
    for word in words:
        assert word in lines[0]
    return lines[0]


def assert_usage_error(proc, *words: str) -> str:
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err
    assert err.endswith("\n")
    last = err.splitlines()[-1]
    assert last.startswith("cleaner: error:")
    for word in words:
        assert word in err
    return last


@pytest.fixture(params=sorted(COMMANDS))
def command(request) -> str:
    return request.param


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ---------------------------------------------------------------- clean


def test_stdin_to_stdout(command):
    assert ok(run("clean", stdin=DIRTY.encode(), command=command)) == CLEAN.encode()
    assert ok(run("clean", "-", stdin=DIRTY.encode(), command=command)) == CLEAN.encode()


def test_empty_input_gives_empty_output(command, tmp_path):
    assert ok(run("clean", stdin=b"", command=command)) == b""
    assert ok(run("clean", write(tmp_path / "empty.txt", b""), command=command)) == b""


def test_files_in_order(tmp_path):
    first = write(tmp_path / "b.txt", DIRTY)
    second = write(tmp_path / "a.txt", "The CafÃ© reopened.\n")
    assert ok(run("clean", first, second)) == (CLEAN + "The Café reopened.\n").encode()


def test_quoted_glob_is_expanded_in_sorted_order(tmp_path):
    write(tmp_path / "docs" / "2.txt", "Second document here.\n")
    write(tmp_path / "docs" / "1.txt", DIRTY)
    write(tmp_path / "docs" / "skip.md", "Not matched.\n")
    out = ok(run("clean", "docs/*.txt", cwd=tmp_path))
    assert out == (CLEAN + "Second document here.\n").encode()


def test_output_keeps_crlf_and_missing_final_newline(tmp_path):
    out = ok(run("clean", write(tmp_path / "a.txt", AWKWARD)))
    assert out == (B[0] + "\r\n\r\nThe Café reopened.\r\n\r\n" + B[1] + "  ").encode()


def test_log_then_restore_gives_back_the_exact_bytes(command, tmp_path):
    source = write(tmp_path / "page.txt", AWKWARD)
    log = tmp_path / "edits.jsonl"
    clean_file = write(tmp_path / "page.clean", ok(run("clean", "--log", log, source, command=command)))
    assert clean_file.read_bytes() != AWKWARD
    restored = ok(run("restore", "--log", log, clean_file, command=command))
    assert restored == AWKWARD


def test_restore_from_stdin(tmp_path):
    source = write(tmp_path / "page.txt", AWKWARD)
    log = tmp_path / "edits.jsonl"
    clean_bytes = ok(run("clean", "--log", log, source))
    assert ok(run("restore", "--log", log, "-", stdin=clean_bytes)) == AWKWARD


def test_log_is_json_lines_naming_doc_stage_and_rule(tmp_path):
    source = write(tmp_path / "page.txt", AWKWARD)
    log = tmp_path / "edits.jsonl"
    ok(run("clean", "--log", log, source))
    records = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert records
    for record in records:
        assert {"doc", "stage", "rule", "op", "start", "end", "before", "after", "note"} <= set(record)
        assert record["doc"] == str(source)
        assert record["rule"].startswith(record["stage"] + ".")
    rules = [r["rule"] for r in records]
    assert rules[0] == "decode.charset" and records[0]["note"] == "utf-8"
    assert "decode.bom" in rules and "fragments.advertisement" in rules
    assert any(r.startswith("encoding.") for r in rules)


def test_log_with_several_documents_needs_doc(tmp_path):
    one = write(tmp_path / "one.txt", DIRTY)
    two = write(tmp_path / "two.txt", AWKWARD)
    log = tmp_path / "edits.jsonl"
    ok(run("clean", "--log", log, "--output-dir", tmp_path / "out", one, two))
    clean_two = tmp_path / "out" / "two.txt"
    assert_usage_error(run("restore", "--log", log, clean_two), "--doc")
    assert ok(run("restore", "--log", log, "--doc", two, clean_two)) == AWKWARD
    assert ok(run("restore", "--log", log, "--doc", one, tmp_path / "out" / "one.txt")) == DIRTY.encode()


def test_restore_with_unknown_doc_is_an_error(tmp_path):
    source = write(tmp_path / "page.txt", DIRTY)
    log = tmp_path / "edits.jsonl"
    clean_file = write(tmp_path / "page.clean", ok(run("clean", "--log", log, source)))
    proc = run("restore", "--log", log, "--doc", tmp_path / "typo.txt", clean_file)
    assert proc.returncode in (1, 2)
    assert proc.stderr.decode().splitlines()[-1].startswith("cleaner: error:")


def test_restore_of_altered_clean_text_is_an_error(tmp_path):
    source = write(tmp_path / "page.txt", "The CafÃ© reopened on Monday.\n")
    log = tmp_path / "edits.jsonl"
    clean_bytes = ok(run("clean", "--log", log, source))
    altered = write(tmp_path / "altered.txt", clean_bytes.replace("é".encode(), b"e"))
    assert_one_line_error(run("restore", "--log", log, altered), 1)


def test_restore_with_unreadable_log_is_an_error(tmp_path):
    clean_file = write(tmp_path / "clean.txt", CLEAN)
    assert_one_line_error(run("restore", "--log", tmp_path / "missing.jsonl", clean_file), 1, "missing.jsonl")
    bad_log = write(tmp_path / "bad.jsonl", "this is not json\n")
    assert_one_line_error(run("restore", "--log", bad_log, clean_file), 1, "bad.jsonl")


def test_diff_output_format(tmp_path):
    source = write(tmp_path / "page.txt", DIRTY)
    out = ok(run("clean", "--diff", source)).decode()
    lines = out.splitlines()
    assert lines[0] == f"--- a/{source}"
    assert lines[1] == f"+++ b/{source}"
    assert lines[2].startswith("@@ -") and lines[2].endswith(" @@")
    assert "-Advertisement" in lines
    assert [l for l in lines[3:] if l.startswith("+")] == []
    assert "No newline" not in out


def test_diff_of_stdin_is_labelled_stdin():
    out = ok(run("clean", "--diff", stdin=DIRTY.encode())).decode()
    assert out.startswith("--- a/<stdin>\n+++ b/<stdin>\n")


def test_diff_marks_a_last_line_without_newline(tmp_path):
    source = write(tmp_path / "page.txt", doc([B[0], B[1], "Advertisement"], final=""))
    out = ok(run("clean", "--diff", source)).decode()
    assert "-Advertisement\n\\ No newline at end of file\n" in out
    assert out.endswith(f"+{B[1]}\n\\ No newline at end of file\n")


@pytest.mark.skipif(shutil.which("diff") is None, reason="no diff(1) to compare with")
@pytest.mark.parametrize(
    "text",
    [
        doc([B[0], B[1], "Advertisement"], final=""),
        doc([B[0], "Advertisement", B[1]], final=""),
        doc(["Share", B[0], "Advertisement", B[1], B[2]], "\r\n", final="\r\n"),
        "Advertisement",
    ],
)
def test_diff_hunks_match_diff_u(tmp_path, text):
    source = write(tmp_path / "page.txt", text)
    clean_file = write(tmp_path / "clean.txt", ok(run("clean", source)))
    ours = ok(run("clean", "--diff", source)).decode().splitlines(keepends=True)
    theirs = subprocess.run(["diff", "-u", source, clean_file], capture_output=True).stdout.decode()
    assert ours[2:] == theirs.splitlines(keepends=True)[2:]


def test_diff_of_unchanged_text_is_empty(tmp_path):
    assert ok(run("clean", "--diff", write(tmp_path / "ok.txt", CLEAN))) == b""


def test_diff_treats_only_newline_as_line_end(tmp_path):
    source = write(tmp_path / "page.txt", "Advertisement\nThe mayor said\u2028the vote is next week.\nMore.\n")
    out = ok(run("clean", "--diff", source)).decode()
    assert "No newline" not in out
    assert " The mayor said\u2028the vote is next week.\n" in out


def test_stages_and_skip(tmp_path):
    source = write(tmp_path / "page.txt", doc(["The CafÃ© reopened.", "Advertisement", B[0]]))
    only_fragments = ok(run("clean", "--stages", "fragments", source)).decode()
    assert only_fragments == doc(["The CafÃ© reopened.", B[0]])
    skip_fragments = ok(run("clean", "--skip", "fragments,classify", source)).decode()
    assert skip_fragments == doc(["The Café reopened.", "Advertisement", B[0]])
    both = ok(run("clean", "--stages", "encoding, fragments", "--skip", "encoding", source)).decode()
    assert both == only_fragments


def test_normalize_and_drop_captions_flags(tmp_path):
    caption = "Firefighters work at the scene of the blaze on Tuesday. (AP Photo/Jane Doe)"
    source = write(tmp_path / "page.txt", doc(["\u201cIt was loud,\u201d she said.", caption, B[0]]))
    assert ok(run("clean", source)).decode() == source.read_text("utf-8")
    assert ok(run("clean", "--normalize", source)).decode() == doc(['"It was loud," she said.', caption, B[0]])
    assert ok(run("clean", "--drop-captions", source)).decode() == doc(["\u201cIt was loud,\u201d she said.", B[0]])


def test_output_dir(tmp_path):
    first = write(tmp_path / "in" / "first.txt", AWKWARD)
    second = write(tmp_path / "in" / "second.txt", DIRTY)
    out_dir = tmp_path / "out" / "nested"
    assert ok(run("clean", "--output-dir", out_dir, first, second, "-", stdin=DIRTY.encode())) == b""
    assert sorted(p.name for p in out_dir.iterdir()) == ["first.txt", "second.txt", "stdin.txt"]
    assert (out_dir / "first.txt").read_bytes() == ok(run("clean", first))
    assert (out_dir / "second.txt").read_bytes() == CLEAN.encode()
    assert (out_dir / "stdin.txt").read_bytes() == CLEAN.encode()


def test_output_dir_does_not_lose_files_with_the_same_name(tmp_path):
    first = write(tmp_path / "a" / "page.txt", DIRTY)
    second = write(tmp_path / "b" / "page.txt", "Second document here.\n")
    out_dir = tmp_path / "out"
    proc = run("clean", "--output-dir", out_dir, first, second)
    outputs = sorted(p.read_bytes() for p in out_dir.rglob("*") if p.is_file())
    assert proc.returncode != 0 or outputs == sorted([CLEAN.encode(), b"Second document here.\n"])


def test_user_patterns_directory(tmp_path):
    write(
        tmp_path / "rules" / "fragments.toml",
        '[[rule]]\nid = "fragments.tests_only"\ncategory = "fragment"\nlang = "en"\n'
        'pattern = "Skip this line please"\nnote = "test"\nexample = "Skip this line please"\n',
    )
    source = write(tmp_path / "page.txt", doc([B[0], "Skip this line please", B[1]]))
    assert ok(run("clean", "--patterns", tmp_path / "rules", source)).decode() == CLEAN
    listed = ok(run("rules", "--patterns", tmp_path / "rules")).decode()
    assert "fragments.tests_only" in listed


def test_non_utf8_input_is_decoded_and_the_log_names_the_encoding(tmp_path):
    text = (
        "caf\xe9 na\xefve r\xe9sum\xe9 text. The caf\xe9 owner said the plan was na\xefve. "
        "Her r\xe9sum\xe9 lists ten years of work in the trade.\n"
    )
    source = write(tmp_path / "latin.txt", text.encode("cp1252"))
    log = tmp_path / "edits.jsonl"
    out = ok(run("clean", "--log", log, source))
    assert out == text.encode("utf-8")
    notes = [json.loads(l) for l in log.read_text("utf-8").splitlines()]
    charset = [r for r in notes if r["rule"] == "decode.charset"]
    assert len(charset) == 1 and charset[0]["op"] == "note"
    assert charset[0]["note"] != "utf-8"
    assert codecs.lookup(charset[0]["note"]).name in ("cp1252", "iso8859-1", "iso8859-15")
    restored = ok(run("restore", "--log", log, write(tmp_path / "clean.txt", out)))
    assert restored == text.encode("utf-8")


# ---------------------------------------------------------------- rules


def test_rules_lists_every_rule_and_mechanism(command):
    out = ok(run("rules", command=command)).decode()
    ids = {line.split()[0] for line in out.splitlines() if line.strip()}
    assert ids == {r.id for r in cleaner.load_rules()} | set(MECHANISMS)


def test_rules_json():
    out = ok(run("rules", "--json")).decode()
    rows = [json.loads(line) for line in out.splitlines()]
    assert {row["id"] for row in rows} == {r.id for r in cleaner.load_rules()} | set(MECHANISMS)
    for row in rows:
        assert {"id", "stage", "kind", "category", "lang", "note"} <= set(row)
        assert row["id"].startswith(row["stage"] + ".")
        assert row["stage"] in cleaner.STAGE_NAMES


def test_version():
    assert ok(run("--version")).decode().strip() == f"cleaner {cleaner.__version__}"


# ---------------------------------------------------------------- exit status 1


def test_missing_file_is_status_1(command, tmp_path):
    proc = run("clean", tmp_path / "missing.txt", command=command)
    assert_one_line_error(proc, 1, "missing.txt")
    assert proc.stdout == b""


def test_binary_file_is_status_1(command, tmp_path):
    source = write(tmp_path / "image.gif", b"GIF89a\x00\x01\x02\x03 binary")
    assert_one_line_error(run("clean", source, command=command), 1, "image.gif")


def test_binary_stdin_is_status_1():
    assert_one_line_error(run("clean", stdin=b"\x00\x01\x02"), 1)


def test_directory_is_status_1(tmp_path):
    assert_one_line_error(run("clean", tmp_path), 1)


def test_bad_file_among_good_ones_still_cleans_the_good_ones(tmp_path):
    good = write(tmp_path / "good.txt", DIRTY)
    proc = run("clean", tmp_path / "missing.txt", good)
    assert_one_line_error(proc, 1, "missing.txt")
    assert proc.stdout == CLEAN.encode()


def test_glob_matching_nothing_is_status_1(tmp_path):
    proc = run("clean", "nothing*.txt", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.decode().startswith("cleaner: error:")
    assert "Traceback" not in proc.stderr.decode()


def test_glob_matching_nothing_is_reported_once(tmp_path):
    assert_one_line_error(run("clean", "nothing*.txt", cwd=tmp_path), 1, "nothing*.txt")


# ---------------------------------------------------------------- exit status 2


def test_unknown_option_is_status_2(command):
    assert_usage_error(run("clean", "--bogus-option", command=command), "--bogus-option")


def test_no_command_is_status_2():
    assert_usage_error(run())


@pytest.mark.parametrize("option", ["--stages", "--skip"])
def test_unknown_stage_is_status_2(option, command):
    last = assert_usage_error(run("clean", option, "encoding,bogus", stdin=DIRTY.encode(), command=command))
    assert "bogus" in last


def test_bad_patterns_file_is_status_2(command, tmp_path):
    write(tmp_path / "rules" / "fragments.toml", '[[rule]]\nid = "fragments.half"\n')
    proc = run("clean", "--patterns", tmp_path / "rules", stdin=DIRTY.encode(), command=command)
    assert_one_line_error(proc, 2, "fragments.toml", "fragments.half")
    assert proc.stdout == b""


def test_bad_regex_in_patterns_is_status_2(tmp_path):
    write(
        tmp_path / "rules" / "fragments.toml",
        '[[rule]]\nid = "fragments.bad"\ncategory = "x"\nlang = "en"\npattern = "(oops"\nnote = "n"\nexample = "oops"\n',
    )
    assert_one_line_error(run("rules", "--patterns", tmp_path / "rules"), 2, "fragments.bad")


def test_missing_patterns_dir_is_status_2(tmp_path):
    proc = run("clean", "--patterns", tmp_path / "nowhere", stdin=DIRTY.encode())
    assert_one_line_error(proc, 2, "nowhere")
