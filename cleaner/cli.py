"""The ``cleaner`` command: a thin shell over the library.

Exit status: 0 success, 1 bad input (a missing, unreadable or binary file, a
log that does not fit), 2 usage error (bad option, bad rule file).
Diagnostics go to stderr as one line prefixed ``cleaner:``.
"""

from __future__ import annotations

import argparse
import difflib
import glob
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator, Sequence

from cleaner import __version__, corpus
from cleaner.config import STAGE_NAMES, CleanerConfig
from cleaner.edits import restore
from cleaner.errors import CleanerError, InputError, PatternError
from cleaner.pipeline import MECHANISMS, Pipeline, Result
from cleaner.rules import load_rules

STDIN = "-"
FORMATS = ("text", "json")
_LINES_WITH_ENDS = re.compile(r"[^\n]*\n|[^\n]+")


class UsageError(Exception):
    """A bad combination of options: exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        parser.error(str(exc))
    except PatternError as exc:
        return fail(str(exc), status=2)
    except CleanerError as exc:
        return fail(str(exc))
    except BrokenPipeError:  # `cleaner clean big.txt | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleaner", description="Strip boilerplate from scraped article text, logging every edit."
    )
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    clean = commands.add_parser("clean", help="clean documents (files or stdin) to stdout")
    clean.add_argument("files", nargs="*", metavar="FILE", help="files or globs; '-' or none: stdin")
    clean.add_argument("--log", metavar="PATH", help="write every edit as JSON Lines to PATH")
    clean.add_argument("--diff", action="store_true", help="print a unified diff instead of the text")
    clean.add_argument("--output-dir", metavar="DIR", help="write each cleaned file into DIR")
    clean.add_argument("--stages", metavar="LIST", help=f"stages to run (default: all of {','.join(STAGE_NAMES)})")
    clean.add_argument("--skip", metavar="LIST", help="stages not to run")
    clean.add_argument("--no-classify", action="store_true", help="skip the line classifier (the named rules still run)")
    clean.add_argument("--normalize", action="store_true", help="also apply ftfy's normalisation (NFC, quotes, widths)")
    clean.add_argument("--drop-captions", action="store_true", help="also remove single captions recognised by their credit")
    clean.add_argument("--patterns", action="append", default=[], metavar="DIR", help="extra rule files or directories (repeatable)")
    kind = clean.add_mutually_exclusive_group()
    kind.add_argument("--html", dest="input_format", action="store_const", const="html", help="inputs are HTML pages (default: decide from how each starts)")
    kind.add_argument("--text", dest="input_format", action="store_const", const="text", help="inputs are text, even if they start like HTML")
    clean.add_argument("--url", metavar="URL", help="the address of the page (one input only); reported in --format json")
    clean.add_argument("--format", choices=FORMATS, default="text", help="text: the clean body (default); json: one JSON object per document with body, title, author, date, url")
    add_jsonl_options(clean)
    clean.set_defaults(run=run_clean)

    undo = commands.add_parser("restore", help="rebuild the original from clean text and its log")
    undo.add_argument("clean_file", metavar="CLEAN_FILE", help="the clean text ('-': stdin)")
    undo.add_argument("--log", required=True, metavar="PATH", help="the log written by `cleaner clean --log`")
    undo.add_argument("--doc", metavar="NAME", help="which document of the log (needed if it holds several)")
    undo.set_defaults(run=run_restore)

    rules = commands.add_parser("rules", help="list the rules with ids, categories and languages")
    rules.add_argument("--patterns", action="append", default=[], metavar="DIR", help="extra rule files or directories")
    rules.add_argument("--json", action="store_true", help="one JSON object per rule")
    rules.add_argument("--markdown", action="store_true", help="a Markdown table (as in the README)")
    rules.set_defaults(run=run_rules)
    return parser


# ---------------------------------------------------------------- clean


def run_clean(args: argparse.Namespace) -> int:
    if args.jsonl:
        return run_jsonl(args)
    check_no_jsonl_options(args)
    if args.diff and args.format != "text":
        raise UsageError("--diff prints a diff; it cannot be combined with --format json")
    names = list(expand(args.files))
    if args.url and len(names) > 1:
        raise UsageError("--url is the address of one page; give one input")
    pipeline = Pipeline(config_from(args))
    status = 0
    written: set[Path] = set()
    log = open(args.log, "w", encoding="utf-8") if args.log else None
    try:
        for name in names:
            try:
                result = pipeline.clean(read_input(name), url=args.url)
                emit(args, name, result, written)
            except InputError as exc:
                status = fail(f"{display_name(name)}: {exc}")
                continue
            if result.format == "html" and not result.text.strip():
                warn(f"{display_name(name)}: no article text found in the page")
            if log:
                write_log(log, name, result)
    finally:
        if log:
            log.close()
    return status


def config_from(args: argparse.Namespace) -> CleanerConfig:
    stages = parse_stages(args.stages) if args.stages else STAGE_NAMES
    skipped = set(parse_stages(args.skip)) if args.skip else set()
    if args.no_classify:
        skipped.add("classify")
    return CleanerConfig(
        stages=tuple(s for s in stages if s not in skipped),
        normalize=args.normalize,
        drop_captions=args.drop_captions,
        patterns=tuple(args.patterns),
        input_format=args.input_format or "auto",
    )


def parse_stages(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in STAGE_NAMES]
    if unknown:
        raise UsageError(f"unknown stage {unknown[0]!r}; stages are {', '.join(STAGE_NAMES)}")
    return names


def expand(files: list[str]) -> Iterator[str]:
    """Names as given; a glob that names no file is expanded here (quoted or on Windows)."""
    for name in files or [STDIN]:
        if name != STDIN and not os.path.exists(name) and glob.has_magic(name):
            yield from sorted(glob.glob(name, recursive=True)) or [name]  # none: read fails
        else:
            yield name


def read_input(name: str) -> bytes:
    if name == STDIN:
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from exc


def output_path(folder: Path, name: str) -> Path:
    """Where ``--output-dir`` puts a file: its relative path, else its name."""
    path = Path(name if name != STDIN else "stdin.txt")
    if path.is_absolute() or ".." in path.parts:
        return folder / path.name
    return folder / path


def emit(args: argparse.Namespace, name: str, result: Result, written: set[Path]) -> None:
    if args.diff:  # for a page: from the text extraction found to the clean text
        output = unified_diff(name, result.restore(), result.text)
    elif args.format == "json":
        output = json.dumps(document_record(name, result), ensure_ascii=False) + "\n"
    else:
        output = result.text
    if not args.output_dir:
        write_text(sys.stdout, output)
        return
    target = output_path(Path(args.output_dir), name)
    if args.format == "json" or result.format == "html":  # page.html holds text now
        target = target.with_suffix(".json" if args.format == "json" else ".txt")
    if target in written:
        raise InputError(f"{target} was already written in this run; inputs share a name")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(output.encode("utf-8"))
    written.add(target)


def document_record(name: str, result: Result) -> dict:
    """What ``--format json`` prints for a document: its body and the page's metadata."""
    return {
        "doc": display_name(name),
        "format": result.format,
        **result.metadata,
        "body": result.text,
    }


def unified_diff(name: str, original: str, clean: str) -> str:
    """Like ``diff -u``, including its marker for a last line without a newline."""
    label = display_name(name)
    lines = difflib.unified_diff(
        _LINES_WITH_ENDS.findall(original),  # \n only: str.splitlines also breaks at U+2028
        _LINES_WITH_ENDS.findall(clean),
        fromfile=f"a/{label}",
        tofile=f"b/{label}",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
        for line in lines
    )


def display_name(name: str) -> str:
    return "<stdin>" if name == STDIN else name


def write_log(log: IO[str], name: str, result: Result) -> None:
    for edit in result.edits:
        log.write(json.dumps({"doc": name, **edit.to_dict()}, ensure_ascii=False) + "\n")


def write_text(stream: IO[str], text: str) -> None:
    stream.buffer.write(text.encode("utf-8"))  # bytes: no newline translation, CRLF stays
    stream.buffer.flush()


# ---------------------------------------------------------------- clean --jsonl

#: Options that only mean something with --jsonl: (dest, flag).
JSONL_ONLY = (
    ("output", "--output"), ("text_field", "--text-field"), ("id_field", "--id-field"),
    ("edits_field", "--edits-field"), ("errors", "--errors"), ("stats", "--stats"),
    ("jobs", "--jobs"), ("quiet", "--quiet"),
)


def add_jsonl_options(clean: argparse.ArgumentParser) -> None:
    group = clean.add_argument_group("corpus mode (--jsonl)")
    group.add_argument("--jsonl", action="store_true", help="inputs are JSON Lines, one record per line; blank lines are skipped; .gz/.zst decompressed")
    group.add_argument("-o", "--output", metavar="PATH", help="write the cleaned records to PATH (.gz/.zst compressed; default stdout)")
    group.add_argument("--text-field", metavar="NAME", help="the field to clean (default: text)")
    group.add_argument("--id-field", metavar="NAME", help="the field naming a record in logs (default: id; else its line number)")
    group.add_argument("--edits-field", metavar="NAME", help="store each record's edits in this field of the record")
    group.add_argument("--errors", metavar="PATH", help="write records that cannot be cleaned to PATH (default: stderr)")
    group.add_argument("--stats", metavar="PATH", help="write the run's counts as JSON to PATH")
    group.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes (default: one per CPU; 1: no pool)")
    group.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")


def check_no_jsonl_options(args: argparse.Namespace) -> None:
    for dest, flag in JSONL_ONLY:
        if getattr(args, dest) not in (None, False):
            raise UsageError(f"{flag} needs --jsonl")


def run_jsonl(args: argparse.Namespace) -> int:
    if args.diff or args.output_dir:
        raise UsageError(f"{'--diff' if args.diff else '--output-dir'} cannot be used with --jsonl")
    if args.format != "text" or args.url:
        raise UsageError(f"{'--url' if args.url else '--format'} cannot be used with --jsonl; records stay records")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    fields = corpus.Fields(args.text_field or "text", args.id_field or "id", args.edits_field)
    options = corpus.CorpusOptions(
        output=args.output or STDIN, log=args.log, errors=args.errors, stats=args.stats,
        jobs=args.jobs or os.cpu_count() or 1, progress=sys.stderr.isatty() and not args.quiet,
    )
    try:
        stats = corpus.run_corpus(
            list(expand(args.files)), config_from(args), fields, options, corpus.report_to_stderr
        )
    except corpus.OutputError as exc:
        return fail(str(exc), status=2)
    if not args.quiet:
        print(corpus.format_summary(stats), file=sys.stderr)
    if stats.errors:
        where = f"; see {args.errors}" if args.errors else ""
        return fail(f"{stats.errors} of {stats.documents + stats.errors} records could not be cleaned{where}")
    return 0


# ---------------------------------------------------------------- restore


def run_restore(args: argparse.Namespace) -> int:
    edits = read_log(args.log, args.doc)
    clean_bytes = read_input(args.clean_file)
    try:
        clean_text = clean_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{args.clean_file}: clean text is not UTF-8 ({exc.reason})") from exc
    write_text(sys.stdout, restore(clean_text, edits))
    return 0


def read_log(path: str, doc: str | None) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as stream:
            records = [json.loads(line) for line in stream if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable edit log ({exc})") from exc
    docs = sorted({record.get("doc") for record in records})
    if doc is None and len(docs) > 1:
        raise UsageError(f"the log holds {len(docs)} documents; choose one with --doc")
    if doc is not None and doc not in docs:
        raise InputError(f"{path}: no document {doc!r} in this log; it holds {', '.join(map(str, docs))}")
    return [record for record in records if doc is None or record.get("doc") == doc]


# ---------------------------------------------------------------- rules


def run_rules(args: argparse.Namespace) -> int:
    rules = load_rules(args.patterns)
    rows = [
        {"id": r.id, "stage": r.stage, "kind": r.kind, "category": r.category, "lang": r.lang, "note": r.note}
        for r in rules
    ] + [
        {"id": rule_id, "stage": rule_id.split(".")[0], "kind": "built-in", "category": "-", "lang": "*", "note": note}
        for rule_id, note in MECHANISMS.items()
    ]
    if args.markdown:
        write_text(sys.stdout, "| rule id | stage | kind | category | lang |\n|---|---|---|---|---|\n")
    for row in rows:
        if args.json:
            line = json.dumps(row, ensure_ascii=False)
        elif args.markdown:
            line = f"| `{row['id']}` | {row['stage']} | {row['kind']} | {row['category']} | {row['lang']} |"
        else:
            line = f"{row['id']:<34} {row['stage']:<10} {row['kind']:<9} {row['category']:<14} {row['lang']}"
        write_text(sys.stdout, line + "\n")
    return 0


def fail(message: str, status: int = 1) -> int:
    print(f"cleaner: error: {message}", file=sys.stderr)
    return status


def warn(message: str) -> None:
    print(f"cleaner: warning: {message}", file=sys.stderr)
