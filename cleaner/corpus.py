"""Clean a JSON Lines corpus: one record per line in, the same record, its text cleaned, out.

The run streams: lines are read, cleaned in chunks (in worker processes when
``jobs > 1``) and written in input order, with a fixed number of chunks in
flight, so memory stays flat however large the corpus. A record that cannot be
cleaned is set aside with its reason, never dropped and never fatal, so that
records read = records written + errors. Blank lines are not records.

>>> record = {"id": 7, "text": "Body.\\n\\nAdvertisement\\n"}
>>> record, edits = clean_record(Pipeline(), record, Fields())
>>> record, [edit.rule for edit in edits]
({'id': 7, 'text': 'Body.\\n'}, ['fragments.advertisement'])
"""

from __future__ import annotations

import gc
import gzip
import io
import json
import multiprocessing
import os
import secrets
import signal
import sys
import time
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, closing, contextmanager
from dataclasses import asdict, dataclass, field
from itertools import chain, islice
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

import zstandard
from tqdm import tqdm

from cleaner.config import CleanerConfig
from cleaner.edits import Edit
from cleaner.errors import CleanerError, InputError
from cleaner.pipeline import Pipeline

STDIO = "-"
CHUNK_SIZE = 64
#: Chunks queued per worker: enough to keep every worker busy, few enough to bound memory.
IN_FLIGHT_PER_JOB = 4


class RecordError(CleanerError):
    """One record cannot be cleaned; it goes to the errors, the run goes on."""


class OutputError(CleanerError):
    """An output path cannot be written; found before any record is read."""


@dataclass(frozen=True)
class Fields:
    """Which record fields hold the text, the id, and (if wanted) the record's edits."""

    text: str = "text"
    id: str = "id"
    edits: str | None = None


@dataclass(frozen=True)
class CorpusOptions:
    """Where a run writes (``-`` is stdout) and how it works; ``None`` paths are not written."""

    output: str = STDIO
    log: str | None = None
    errors: str | None = None
    stats: str | None = None
    jobs: int = 1
    chunk_size: int = CHUNK_SIZE
    progress: bool = False


@dataclass
class CorpusStats:
    """What a run did. Bytes are UTF-8 bytes of the text field; edits exclude notes."""

    documents: int = 0
    errors: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    seconds: float = 0.0
    edits_by_stage: dict[str, int] = field(default_factory=dict)
    edits_by_rule: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RawRecord:
    """One non-blank input line, with where it came from (line numbers count blank lines)."""

    file: str
    line: int
    raw: str


@dataclass(frozen=True)
class Outcome:
    """A cleaned record as its JSON line, or the error record that replaces it."""

    doc: Any
    line: str = ""
    edits: tuple[Edit, ...] = ()
    error: dict[str, Any] | None = None
    bytes_in: int = 0
    bytes_out: int = 0


# ---------------------------------------------------------------- files


def open_text(path: str, mode: str = "r", compression_of: str | None = None) -> IO[str]:
    """Open UTF-8 JSON Lines for reading or writing, compressed by suffix: .gz, .zst, else plain.

    ``-`` is stdin or stdout. ``compression_of`` names the file whose suffix
    decides, for a temporary file written in place of it. Reading keeps
    invalid UTF-8 as surrogates so that one bad line is one bad record, not a
    failed run; lines end at ``\\n`` only, so line numbers match ``sed -n``.
    """
    if mode not in ("r", "w"):
        raise ValueError(f"mode must be 'r' or 'w', not {mode!r}")
    if path == STDIO:
        sys.stdout.flush()
        stream = sys.stdin if mode == "r" else sys.stdout
        binary: IO[bytes] = open(stream.fileno(), mode + "b", closefd=False)
    else:
        binary = _open_compressed(path, mode, compression_of or path)
    if mode == "r":
        return io.TextIOWrapper(binary, "utf-8-sig", errors="surrogateescape", newline="\n")
    return io.TextIOWrapper(binary, "utf-8", newline="\n")


def _open_compressed(path: str, mode: str, name: str) -> IO[bytes]:
    if name.endswith(".gz"):
        return gzip.open(path, mode + "b", compresslevel=6)  # gzip's own default; 9 is slow
    if not name.endswith(".zst"):
        return open(path, mode + "b")
    raw = open(path, mode + "b")
    if mode == "r":  # across frames: `cat a.zst b.zst` is a valid zst file
        reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
        return io.BufferedReader(reader)  # type: ignore[arg-type]
    return zstandard.ZstdCompressor(level=3).stream_writer(raw)


@contextmanager
def atomic_output(path: str) -> Iterator[IO[str]]:
    """Write ``path`` through a temporary file beside it: it appears complete or not at all."""
    if path == STDIO:
        stream = open_text(STDIO, "w")
        yield stream
        stream.flush()
        stream.detach()  # leave stdout open for the rest of the process
        return
    folder, name = os.path.split(os.path.abspath(path))
    temp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
    try:
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))  # 0o666: honour umask
        stream = open_text(temp, "w", compression_of=path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    try:
        yield stream
        stream.close()
        os.replace(temp, path)
    except BaseException:
        try:
            stream.close()
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
        raise


def read_records(paths: Iterable[str]) -> Iterator[RawRecord]:
    """Every non-blank line of each file in turn; a file that cannot be read ends the run."""
    for path in paths:
        try:
            with open_text(path, "r") as stream:
                for number, line in enumerate(stream, 1):
                    if line.strip(" \t\r\n"):  # JSON's whitespace only
                        yield RawRecord(path, number, line.rstrip("\r\n"))
        except (OSError, EOFError, zstandard.ZstdError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise InputError(f"{display_name(path)}: cannot read: {reason}") from exc


def check_readable(paths: Iterable[str]) -> None:
    """Fail before writing anything if an input is missing, rather than halfway through."""
    for path in paths:
        if path == STDIO:
            continue
        if not os.path.exists(path):
            raise InputError(f"{path}: cannot read: no such file")
        if os.path.isdir(path) or not os.access(path, os.R_OK):
            reason = "is a directory" if os.path.isdir(path) else "permission denied"
            raise InputError(f"{path}: cannot read: {reason}")


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIO else path


# ---------------------------------------------------------------- records


def parse_record(raw: RawRecord) -> dict[str, Any]:
    """The JSON object on one line, or a RecordError saying what is wrong with it."""
    try:
        raw.raw.encode("utf-8")
    except UnicodeEncodeError:
        raise RecordError("not valid UTF-8") from None
    try:
        record = json.loads(raw.raw)
    except json.JSONDecodeError as exc:
        raise RecordError(f"malformed JSON: {exc}") from None
    if not isinstance(record, dict):
        raise RecordError(f"not a JSON object but {type(record).__name__}")
    return record


def clean_record(
    pipeline: Pipeline, record: dict[str, Any], fields: Fields
) -> tuple[dict[str, Any], tuple[Edit, ...]]:
    """The record with its text cleaned, every other field and the key order kept; its edits."""
    if fields.text not in record:
        raise RecordError(f"no {fields.text!r} field")
    text = record[fields.text]
    if not isinstance(text, str):
        raise RecordError(f"field {fields.text!r} is {type(text).__name__}, not a string")
    result = pipeline.clean(text)
    cleaned = {**record, fields.text: result.text}
    if fields.edits:
        cleaned[fields.edits] = [edit.to_dict() for edit in result.edits]
    return cleaned, result.edits


def clean_one(pipeline: Pipeline, fields: Fields, raw: RawRecord) -> Outcome:
    record: dict[str, Any] | None = None
    try:
        record = parse_record(raw)
        cleaned, edits = clean_record(pipeline, record, fields)
        return Outcome(
            doc=_doc_id(record, fields, raw),
            line=dumps(cleaned),
            edits=edits,
            bytes_in=_utf8_size(record[fields.text]),
            bytes_out=_utf8_size(cleaned[fields.text]),
        )
    except Exception as exc:  # noqa: BLE001 -- no record may end the run, whatever it raises
        return Outcome(raw.line, error=_error_record(raw, record, fields, exc))


def _error_record(
    raw: RawRecord, record: dict[str, Any] | None, fields: Fields, exc: Exception
) -> dict[str, Any]:
    if isinstance(exc, RecordError):
        reason = str(exc)
    else:
        reason = f"cleaning failed: {type(exc).__name__}: {exc}"
    return {
        "file": raw.file,
        "line": raw.line,
        "id": record.get(fields.id) if record is not None else None,
        "reason": reason,
        "raw": raw.raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"),
    }


def _doc_id(record: dict[str, Any], fields: Fields, raw: RawRecord) -> Any:
    doc = record.get(fields.id)
    return raw.line if doc is None else doc


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def dumps(value: Any) -> str:
    """One JSON line; text UTF-8 cannot hold (a lone surrogate read as \\ud800) stays escaped."""
    line = json.dumps(value, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(value)
    return line


# ---------------------------------------------------------------- cleaning in chunks


def clean_chunks(
    chunks: Iterable[list[RawRecord]], pipeline: Pipeline, fields: Fields, jobs: int
) -> Iterator[list[Outcome]]:
    """Each chunk's outcomes, in input order; in this process, or in ``jobs`` worker processes."""
    iterator = iter(chunks)
    head = list(islice(iterator, 2))
    if jobs <= 1 or len(head) < 2:  # a single chunk: starting workers costs more than it saves
        for chunk in chain(head, iterator):
            yield [clean_one(pipeline, fields, raw) for raw in chunk]
        return
    # spawn: the same on every platform, and no fork of a process holding threads (tqdm's monitor)
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker, initargs=(pipeline.config, fields)
    )
    pending: deque[Future[list[Outcome]]] = deque()
    try:
        # submit() with a bounded queue rather than map(), which would read the whole corpus ahead
        for chunk in chain(head, iterator):
            with _sigint_deferred():
                pending.append(pool.submit(_clean_in_worker, chunk))
            if len(pending) >= IN_FLIGHT_PER_JOB * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool as exc:
        raise CleanerError("a worker process died (out of memory?); try fewer --jobs") from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Hold Ctrl-C back while submit() may be spawning a worker.

    A KeyboardInterrupt in the middle of a spawn leaves the half-started child
    reading its start-up data from a closed pipe, and it prints a traceback.
    Blocked, the signal is delivered as soon as the submit is done.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows: nothing to hold back
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


#: The worker process's own pipeline, built once by _start_worker (per process, never shared).
_worker: tuple[Pipeline, Fields] | None = None


def _start_worker(config: CleanerConfig, fields: Fields) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle, once
    _worker = (Pipeline(config), fields)


def _clean_in_worker(chunk: list[RawRecord]) -> list[Outcome]:
    assert _worker is not None, "worker not initialised"
    pipeline, fields = _worker
    return [clean_one(pipeline, fields, raw) for raw in chunk]


def chunked(records: Iterable[RawRecord], size: int) -> Iterator[list[RawRecord]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


# ---------------------------------------------------------------- the run


def run_corpus(
    files: Sequence[str],
    config: CleanerConfig,
    fields: Fields = Fields(),
    options: CorpusOptions = CorpusOptions(),
    on_error: Callable[[dict[str, Any]], None] | None = None,
) -> CorpusStats:
    """Clean every record of ``files`` (``-``: stdin) into ``options.output``; see the module doc.

    Bad records go to ``options.errors``, else to ``on_error``. Every output
    appears only when the run completes; nothing is left behind if it fails.
    """
    check_readable(files)
    pipeline = Pipeline(config)  # here too, not only in workers: a bad rule file is one clear error
    # Compiling the rules leaves the regex parser's trees as cyclic garbage whose
    # __del__ would run at some later collection: a Ctrl-C landing in one prints
    # "Exception ignored ... Traceback". Collect them now, before the run starts.
    gc.collect()
    stats, rules, started = CorpusStats(), Counter[tuple[str, str]](), time.perf_counter()
    with ExitStack() as stack:
        # every output opened before reading, so a bad path fails first; stats, entered
        # first, is renamed into place last, once the outputs it describes are complete
        summary = stack.enter_context(atomic_output(options.stats)) if options.stats else None
        out = stack.enter_context(atomic_output(options.output))
        log = stack.enter_context(atomic_output(options.log)) if options.log else None
        errors = stack.enter_context(atomic_output(options.errors)) if options.errors else None
        bar = stack.enter_context(tqdm(unit=" docs", disable=not options.progress, file=sys.stderr))
        chunks = chunked(read_records(files), options.chunk_size)
        # closing(): on any failure the workers stop before the temporary files go
        results = stack.enter_context(closing(clean_chunks(chunks, pipeline, fields, options.jobs)))
        for outcomes in results:
            for outcome in outcomes:
                if outcome.error is None:
                    _write_document(outcome, out, log, stats, rules)
                    continue
                stats.errors += 1
                if errors:
                    errors.write(dumps(outcome.error) + "\n")
                elif on_error:
                    on_error(outcome.error)
            rate = stats.bytes_in / (time.perf_counter() - started + 1e-9)
            _show_progress(bar, len(outcomes), rate)
        _finish(stats, rules, time.perf_counter() - started)
        if summary:
            summary.write(json.dumps(asdict(stats), indent=2) + "\n")
    return stats


def _show_progress(bar: tqdm, documents: int, bytes_per_second: float) -> None:
    if not bar.disable:
        bar.set_postfix_str(f"{bytes_per_second / 1e6:.2f} MB/s", refresh=False)
        bar.update(documents)


def _write_document(
    outcome: Outcome,
    out: IO[str],
    log: IO[str] | None,
    stats: CorpusStats,
    rules: Counter[tuple[str, str]],
) -> None:
    out.write(outcome.line + "\n")
    if log:
        log.writelines(dumps({"doc": outcome.doc, **e.to_dict()}) + "\n" for e in outcome.edits)
    rules.update((edit.stage, edit.rule) for edit in outcome.edits if edit.op != "note")
    stats.documents += 1
    stats.bytes_in += outcome.bytes_in
    stats.bytes_out += outcome.bytes_out


def _finish(stats: CorpusStats, rules: Counter[tuple[str, str]], seconds: float) -> None:
    stages: Counter[str] = Counter()
    for (stage, _), count in rules.items():
        stages[stage] += count
    stats.edits_by_stage = dict(stages.most_common())
    stats.edits_by_rule = {rule: count for (_, rule), count in rules.most_common()}
    stats.seconds = round(seconds, 3)


def report_to_stderr(error: dict[str, Any]) -> None:
    """One line per bad record, printed above the progress bar rather than through it."""
    where = f"{display_name(error['file'])}:{error['line']}"
    tqdm.write(f"cleaner: error: {where}: {error['reason']}", file=sys.stderr)


def format_summary(stats: CorpusStats) -> str:
    """The end-of-run summary for stderr.

    >>> print(format_summary(CorpusStats(2, 1, 100, 80, 0.5, {"fragments": 2},
    ...                                  {"fragments.advertisement": 2})))
    cleaner: 2 documents cleaned, 1 error, in 0.5 s
    cleaner: text: 100 bytes in, 80 bytes out (-20.0%)
    cleaner: removals by stage: fragments 2
    cleaner: removals by rule: fragments.advertisement 2
    """
    change = 100 * (stats.bytes_out - stats.bytes_in) / stats.bytes_in if stats.bytes_in else 0.0
    errors = "1 error" if stats.errors == 1 else f"{stats.errors} errors"
    return "\n".join(
        [
            f"cleaner: {stats.documents} documents cleaned, {errors}, in {stats.seconds:.1f} s",
            f"cleaner: text: {stats.bytes_in:,} bytes in, {stats.bytes_out:,} bytes out"
            f" ({change:+.1f}%)",
            f"cleaner: removals by stage: {_counts(stats.edits_by_stage)}",
            f"cleaner: removals by rule: {_counts(stats.edits_by_rule)}",
        ]
    )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items()) or "none"
