"""Corpus mode: ``cleaner clean --jsonl``, run for real, and the library under it."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import zstandard

import cleaner
from cleaner import corpus
from cleaner.config import CleanerConfig
from cleaner.edits import Edit
from cleaner.errors import InputError

DIRTY = "Body of the article.\n\nAdvertisement\n\nMore of it.\n"
CLEAN = "Body of the article.\n\nMore of it.\n"
STATS_KEYS = {
    "documents",
    "errors",
    "bytes_in",
    "bytes_out",
    "seconds",
    "edits_by_stage",
    "edits_by_rule",
}


def run(*args: Any, stdin: bytes = b"", cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "--jsonl", *map(str, args)],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=60,
    )


def jsonl(records: list[Any]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with corpus.open_text(str(path)) as stream:
        return [json.loads(line) for line in stream]


def one_line_error(proc: subprocess.CompletedProcess, status: int) -> str:
    err = proc.stderr.decode()
    assert proc.returncode == status, err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("cleaner: error:")
    return err


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def article(i: int) -> str:
    """Texts that differ per record, some with boilerplate, so that order mistakes show."""
    ad = "Advertisement\n\n" if i % 3 == 0 else ""
    return f"Paragraph {i} of the article.\n\n{ad}The end of article {i}.\n"


# ---------------------------------------------------------------- the command


def test_order_and_fields_kept_with_two_jobs(tmp_path: Path) -> None:
    records = [
        {"id": f"doc-{i}", "text": article(i), "meta": {"n": i, "tags": ["a"]}} for i in range(300)
    ]
    (tmp_path / "in.jsonl").write_text(jsonl(records))
    proc = run("in.jsonl", "-j", 2, "-o", "out.jsonl", "--quiet", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    out = read_jsonl(tmp_path / "out.jsonl")
    pipeline = cleaner.Pipeline()
    assert out == [{**r, "text": pipeline.clean(r["text"]).text} for r in records]
    assert [list(r) for r in out] == [["id", "text", "meta"]] * 300  # key order too
    assert sum("Advertisement" in r["text"] for r in records) == 100
    assert not any("Advertisement" in r["text"] for r in out)


def test_stdout_stdin_and_summary(tmp_path: Path) -> None:
    proc = run(stdin=jsonl([{"text": DIRTY, "n": 1}]).encode())
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == {"text": CLEAN, "n": 1}
    err = proc.stderr.decode()
    assert "1 documents cleaned, 0 errors" in err
    assert "removals by rule: fragments.advertisement 1" in err
    assert run("-", stdin=jsonl([{"text": DIRTY}]).encode()).stdout == proc.stdout.replace(
        b', "n": 1', b""
    )


def test_id_field_and_line_number_fallback_in_log(tmp_path: Path) -> None:
    lines = [{"id": "a", "text": DIRTY}, {"text": DIRTY}, {"id": "c", "key": 42, "text": DIRTY}]
    (tmp_path / "in.jsonl").write_text(json.dumps(lines[0]) + "\n\n" + jsonl(lines[1:]))
    run("in.jsonl", "-j", 1, "-o", "out.jsonl", "--log", "log.jsonl", cwd=tmp_path)
    log = read_jsonl(tmp_path / "log.jsonl")
    assert [e["doc"] for e in log] == ["a", 3, "c"]  # line 3: the blank line 2 counts as a line
    run(
        "in.jsonl", "-j", 1, "-o", "out.jsonl", "--log", "log.jsonl", "--id-field", "key",
        cwd=tmp_path,
    )
    assert [e["doc"] for e in read_jsonl(tmp_path / "log.jsonl")] == [1, 3, 42]


@pytest.mark.parametrize(
    ("source", "target"), [("in.jsonl.gz", "out.jsonl.zst"), ("in.jsonl.zst", "out.jsonl.gz")]
)
def test_compressed_round_trip(tmp_path: Path, source: str, target: str) -> None:
    records = [{"id": i, "text": article(i)} for i in range(20)]
    with corpus.atomic_output(str(tmp_path / source)) as stream:
        stream.write(jsonl(records))
    proc = run(source, "-j", 1, "-o", target, "--log", "log" + Path(target).suffix, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    magic = {".gz": b"\x1f\x8b", ".zst": b"\x28\xb5\x2f\xfd"}
    for name in (source, target, "log" + Path(target).suffix):
        assert (tmp_path / name).read_bytes().startswith(magic[Path(name).suffix])
    assert [r["id"] for r in read_jsonl(tmp_path / target)] == list(range(20))
    assert read_jsonl(tmp_path / ("log" + Path(target).suffix))[0]["doc"] == 0


def test_log_and_edits_field_restore_the_original(tmp_path: Path) -> None:
    texts = [
        DIRTY,
        "Plain text with nothing to remove.\n",
        "Intro line here.\n\nShare\n\nAdvertisement\n\nEnd.\n",
    ]
    (tmp_path / "in.jsonl").write_text(jsonl([{"id": i, "text": t} for i, t in enumerate(texts)]))
    proc = run(
        "in.jsonl", "-j", 1, "-o", "out.jsonl", "--log", "log.jsonl", "--edits-field", "edits",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    out, log = read_jsonl(tmp_path / "out.jsonl"), read_jsonl(tmp_path / "log.jsonl")
    assert out[0]["edits"] and out[0]["edits"][0]["rule"] == "fragments.advertisement"
    for i, text in enumerate(texts):
        from_record = [Edit.from_dict(d) for d in out[i]["edits"]]
        from_log = [Edit.from_dict(e) for e in log if e["doc"] == i]
        assert from_record == from_log
        assert cleaner.restore(out[i]["text"], from_record) == text


def test_bad_records_go_to_errors_file(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "good1", "text": DIRTY}),
        '{"id": "broken", "text": ',
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "nofield", "body": DIRTY}),
        "",
        json.dumps({"id": "number", "text": 12}),
        json.dumps({"id": "good2", "text": DIRTY}),
    ]
    data = "\n".join(lines).encode() + b"\n" + b'{"text": "caf\xe9"}\n'
    (tmp_path / "in.jsonl").write_bytes(data)
    proc = run(
        "in.jsonl", "-j", 2, "-o", "out.jsonl", "--errors", "errors.jsonl", "--stats", "stats.json",
        cwd=tmp_path,
    )
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "Traceback" not in err
    assert (
        err.splitlines()[-1]
        == "cleaner: error: 5 of 7 records could not be cleaned; see errors.jsonl"
    )
    out, errors = read_jsonl(tmp_path / "out.jsonl"), read_jsonl(tmp_path / "errors.jsonl")
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert [r["id"] for r in out] == ["good1", "good2"]
    assert [(e["line"], e["id"]) for e in errors] == [
        (2, None),
        (3, None),
        (4, "nofield"),
        (6, "number"),
        (8, None),
    ]
    assert [e["reason"].split(":")[0] for e in errors] == [
        "malformed JSON",
        "not a JSON object but list",
        "no 'text' field",
        "field 'text' is int, not a string",
        "not valid UTF-8",
    ]
    assert errors[0] == {
        "file": "in.jsonl",
        "line": 2,
        "id": None,
        "reason": errors[0]["reason"],
        "raw": lines[1],
    }
    assert errors[-1]["raw"] == '{"text": "caf\\xe9"}'
    assert (stats["documents"], stats["errors"]) == (2, 5)
    assert stats["documents"] + stats["errors"] == len(
        [line for line in data.splitlines() if line.strip()]
    )


def test_bad_records_on_stderr_without_errors_file(tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text(jsonl([{"text": DIRTY}, {"nope": 1}]) + "[]\n")
    proc = run("in.jsonl", "-j", 1, "-o", "out.jsonl", "--quiet", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.decode().splitlines() == [
        "cleaner: error: in.jsonl:2: no 'text' field",
        "cleaner: error: in.jsonl:3: not a JSON object but list",
        "cleaner: error: 2 of 3 records could not be cleaned",
    ]
    assert len(read_jsonl(tmp_path / "out.jsonl")) == 1


def test_missing_input_file_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text(jsonl([{"text": DIRTY}]))
    proc = run("in.jsonl", "missing.jsonl", "-o", "out.jsonl", cwd=tmp_path)
    assert "missing.jsonl" in one_line_error(proc, 1)
    assert not (tmp_path / "out.jsonl").exists()
    assert leftovers(tmp_path) == []


def test_stats_file(tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text(jsonl([{"text": DIRTY}] * 3))
    run("in.jsonl", "-j", 1, "-o", "out.jsonl", "--stats", "stats.json", "--quiet", cwd=tmp_path)
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert set(stats) == STATS_KEYS
    assert stats["documents"] == 3 and stats["errors"] == 0
    assert stats["bytes_in"] == 3 * len(DIRTY) and stats["bytes_out"] == 3 * len(CLEAN)
    assert stats["edits_by_stage"] == {"fragments": 3}
    assert stats["edits_by_rule"] == {"fragments.advertisement": 3}


@pytest.mark.parametrize("option", ["--errors", "--log", "--stats"])
def test_unwritable_path_is_a_usage_error_before_any_output(tmp_path: Path, option: str) -> None:
    (tmp_path / "in.jsonl").write_text(jsonl([{"text": DIRTY}]))
    proc = run("in.jsonl", "-o", "out.jsonl", option, "no/such/dir/x.jsonl", cwd=tmp_path)
    assert "no/such/dir/x.jsonl: cannot write" in one_line_error(proc, 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_interrupted_run_leaves_no_output(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner", "clean", "--jsonl", "-j", "2", "-o", "out.jsonl"],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    try:
        assert proc.stdin is not None
        proc.stdin.write(jsonl([{"text": DIRTY}] * 200).encode())  # stdin stays open: the run waits
        proc.stdin.flush()
        deadline = time.monotonic() + 30
        while not leftovers(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert leftovers(tmp_path), "the run never opened its output"
        os.kill(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130, err.decode()
    assert b"Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_blank_lines_are_not_records(tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text(
        "\n" + json.dumps({"text": DIRTY}) + "\n  \n\r\n" + json.dumps({"text": DIRTY}) + "\n\n"
    )
    proc = run("in.jsonl", "-j", 1, "--stats", "stats.json", "--log", "log.jsonl", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.decode().splitlines() == [json.dumps({"text": CLEAN})] * 2
    assert json.loads((tmp_path / "stats.json").read_text())["documents"] == 2
    assert [e["doc"] for e in read_jsonl(tmp_path / "log.jsonl")] == [2, 5]


def test_corpus_options_need_jsonl_and_exclude_text_modes(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DIRTY)
    plain = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "-o", "x", "a.txt"],
        capture_output=True,
        cwd=tmp_path,
    )
    assert plain.returncode == 2 and b"--output needs --jsonl" in plain.stderr
    assert run("--diff", "a.txt", cwd=tmp_path).returncode == 2
    assert run("-j", 0, "a.txt", cwd=tmp_path).returncode == 2


# ---------------------------------------------------------------- the library


def test_clean_record_keeps_other_fields_and_stores_edits() -> None:
    record = {"url": "u", "text": DIRTY, "lang": "en"}
    cleaned, edits = corpus.clean_record(cleaner.Pipeline(), record, corpus.Fields(edits="log"))
    assert cleaned == {"url": "u", "text": CLEAN, "lang": "en", "log": [e.to_dict() for e in edits]}
    assert record["text"] == DIRTY  # the input record is not changed
    with pytest.raises(corpus.RecordError, match="no 'body' field"):
        corpus.clean_record(cleaner.Pipeline(), record, corpus.Fields(text="body"))


def test_a_record_whose_cleaning_raises_is_an_error_not_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Fragile(cleaner.Pipeline):
        def clean(self, data: str | bytes) -> cleaner.Result:
            if "boom" in data:
                raise RuntimeError("the rules exploded")
            return super().clean(data)

    monkeypatch.setattr(corpus, "Pipeline", Fragile)
    (tmp_path / "in.jsonl").write_text(
        jsonl([{"text": DIRTY}, {"id": 9, "text": "boom"}, {"text": DIRTY}])
    )
    seen: list[dict[str, Any]] = []
    options = corpus.CorpusOptions(output=str(tmp_path / "out.jsonl"))
    stats = corpus.run_corpus(
        [str(tmp_path / "in.jsonl")], CleanerConfig(), options=options, on_error=seen.append
    )
    assert (stats.documents, stats.errors) == (2, 1)
    assert (
        seen[0]["id"] == 9
        and seen[0]["reason"] == "cleaning failed: RuntimeError: the rules exploded"
    )
    assert len(read_jsonl(tmp_path / "out.jsonl")) == 2


def test_a_failure_midway_removes_every_output(tmp_path: Path) -> None:
    whole = gzip.compress(jsonl([{"text": article(i)} for i in range(2000)]).encode())
    (tmp_path / "in.jsonl.gz").write_bytes(whole[: len(whole) // 2])  # truncated download
    options = corpus.CorpusOptions(
        output=str(tmp_path / "out.jsonl"),
        log=str(tmp_path / "log.jsonl"),
        stats=str(tmp_path / "s.json"),
    )
    with pytest.raises(InputError, match="in.jsonl.gz: cannot read"):
        corpus.run_corpus([str(tmp_path / "in.jsonl.gz")], CleanerConfig(), options=options)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl.gz"]


def test_workers_return_errors_and_records_in_order(tmp_path: Path) -> None:
    lines = [json.dumps({"id": i, "text": article(i)}) if i % 5 else "{oops" for i in range(40)]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    options = corpus.CorpusOptions(
        output=str(tmp_path / "out.jsonl"), errors=str(tmp_path / "e.jsonl"), jobs=2, chunk_size=3
    )
    stats = corpus.run_corpus([str(tmp_path / "in.jsonl")], CleanerConfig(), options=options)
    assert (stats.documents, stats.errors) == (32, 8)
    assert [r["id"] for r in read_jsonl(tmp_path / "out.jsonl")] == [i for i in range(40) if i % 5]
    assert [e["line"] for e in read_jsonl(tmp_path / "e.jsonl")] == list(range(1, 40, 5))


def test_progress_bar_shows_docs_and_megabytes_per_second(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in.jsonl").write_text(jsonl([{"text": DIRTY}] * 5))
    options = corpus.CorpusOptions(output=str(tmp_path / "out.jsonl"), progress=True)
    corpus.run_corpus([str(tmp_path / "in.jsonl")], CleanerConfig(), options=options)
    err = capsys.readouterr().err
    assert "docs/s" in err and "MB/s" in err


def test_open_text_reads_concatenated_zstd_frames(tmp_path: Path) -> None:
    compressor = zstandard.ZstdCompressor()
    (tmp_path / "a.zst").write_bytes(compressor.compress(b"one\n") + compressor.compress(b"two\n"))
    with corpus.open_text(str(tmp_path / "a.zst")) as stream:
        assert stream.read() == "one\ntwo\n"
