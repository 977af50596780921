"""Speed at corpus scale, side by side in one run: cleaner, ftfy alone, a C4-style filter.

Builds a JSON Lines corpus (fields ``id`` and ``text``) of at least ``--size``
MB of article text from samples/*.txt and ../shared/eval-dev/docs/*/{recall,
fullpage}.txt, shuffled and repeated (seeded: the same corpus every run), with
about 3% of the documents damaged the way ftfy repairs: mojibake (UTF-8 read
as Windows-1252: "cafÃ©", "â€™"), HTML entities (``&amp;``, ``&#8217;``,
``&eacute;``) and C1 control characters (Windows-1252 punctuation read as
Latin-1). On that one corpus it measures, one system after another:

- ``ftfy.fix_text`` alone, in this process, in cleaner's conservative
  configuration (``cleaner.stages.encoding.CONSERVATIVE``);
- cleaner's encoding stage alone, in this process, and checks on every
  document that its output is identical to ftfy's (exit status 1 if not);
- ``cleaner clean --jsonl`` with ``-j 1`` and with ``-j`` all cores, as the
  command a user runs (wall time, JSON reading and writing included), and the
  peak RSS of each of its processes, read from /proc while it runs;
- a C4-style line filter: datatrove's ``C4QualityFilter`` if datatrove is
  installed (without its sentence count, which needs spaCy, unless spaCy is
  installed too), else bench/baselines.py's.

MB are 10^6 bytes of UTF-8 text in the ``text`` field. The report (date,
machine, versions, a markdown table and the target ratios of the issue) goes to
stdout, ready to paste into bench/RESULTS.md; progress goes to stderr. It also
says how busy the machine was: the load average before the run and the CPU
seconds other processes took during each command run. Another job on the
machine skews the figures, ``-j`` most: rerun on a quiet machine if that is high.

    python bench/speed.py [--size MB] [--memory-check] [--jobs N] [--seed N]
                          [--keep DIR] [--shared ../shared]

``--size 5`` is a quick run for development; the default, 100 MB, takes
several minutes. ``--memory-check`` also builds a corpus ten times larger
from the same generator and cleans it with ``-j`` all cores, to show that the
peak RSS per worker stays flat as the corpus grows (1 GB: half an hour or more
on 2 cores at cleaner's present speed). ``--keep DIR`` writes the corpora into DIR and leaves them there;
otherwise everything is written under a temporary directory that is deleted.
"""

from __future__ import annotations

import argparse
import html.entities
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import util
from pathlib import Path
from typing import Callable, Iterator

import ftfy
import ftfy.bad_codecs  # noqa: F401 -- registers "sloppy-windows-1252"
from machine import machine_line  # bench/ is on sys.path when run as a script

from cleaner.config import CleanerConfig
from cleaner.stages import encoding

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
MB = 10**6
MIB = 2**20
#: Share of documents that get injected damage: "a few percent" (issue).
DAMAGE_SHARE = 0.03
#: ftfy.fix_text's reference configuration: the one cleaner's encoding stage uses by default.
FTFY_CONFIG = encoding.CONSERVATIVE._replace(explain=False)
#: How often the cleaner's process tree is sampled. VmHWM is a high-water mark,
#: so a sample only has to come before a process ends; sparser is cheaper on 2 cores.
POLL_SECONDS = 0.2
#: Documents read at a time for the in-process systems.
BATCH = 2000
#: Disk a corpus needs per MB of text: the corpus, cleaner's output, the damaged originals.
DISK_PER_MB = 2.3 * MB
#: Peak RSS at 10x the corpus within this factor of the smaller run counts as flat:
#: allocator and garbage-collector timing move it by a few percent from run to run.
FLAT_TOLERANCE = 1.10

#: Inserted into a paragraph before it is damaged, so that even an all-ASCII
#: paragraph has characters to mis-decode. Every phrase encodes in Windows-1252
#: (the C1 damage needs that) and holds at least one of its punctuation marks.
ACCENTED_PHRASES = (
    "the café’s new menu",
    "a naïve “façade” — déjà vu",
    "Zürich’s Straße",
    "São Paulo’s coração…",
    "the piñata’s “señor”",
    "Malmö – Göteborg",
    "crème brûlée for €5",
    "‘Größe’ matters",
)


# ---------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Source:
    name: str
    text: str


@dataclass
class Corpus:
    """What the builder wrote: the corpus file and, for each damaged document, its text before."""

    path: Path
    originals_path: Path
    documents: int = 0
    text_bytes: int = 0
    file_bytes: int = 0
    damaged: int = 0
    damage_kinds: dict[str, int] = field(default_factory=dict)


def read_sources(shared: Path) -> list[Source]:
    """Every article text the corpus is drawn from, read now: none is copied into the repository."""
    paths = sorted((HERE.parent / "samples").glob("*.txt"))
    for kind in ("recall", "fullpage"):
        paths += sorted((shared / "eval-dev" / "docs").glob(f"*/{kind}.txt"))
    if len(paths) < 100:
        sys.exit(f"speed.py: found only {len(paths)} source texts; is --shared {shared} right?")
    return [Source(f"{path.parent.name}/{path.stem}", path.read_text(encoding="utf-8"))
            for path in paths]


def mojibake(text: str) -> str:
    """UTF-8 read as Windows-1252: "café" -> "cafÃ©", "’" -> "â€™".

    ftfy's sloppy codec maps the five bytes Windows-1252 leaves undefined to
    the C1 character of the same number, as real mis-decoders do;
    ``errors="replace"`` would leave U+FFFD, which nothing can repair.
    """
    return text.encode("utf-8").decode("sloppy-windows-1252")


def entities(text: str, rng: random.Random) -> str:
    """Every "&" and non-ASCII character as an HTML entity, named or numeric at random."""
    out = []
    for char in text:
        name = html.entities.codepoint2name.get(ord(char))
        if char == "&":
            out.append("&amp;")
        elif ord(char) > 127:
            out.append(f"&{name};" if name and rng.random() < 0.5 else f"&#{ord(char)};")
        else:
            out.append(char)
    return "".join(out)


def c1_controls(text: str) -> str:
    """Windows-1252 read as Latin-1: "’" -> U+0092, "—" -> U+0097 (ftfy's fix_c1_controls)."""
    return text.encode("windows-1252").decode("latin-1")


def damage_paragraph(paragraph: str, kind: str, rng: random.Random) -> tuple[str, str]:
    """The paragraph with an accented phrase inserted, before and after the damage."""
    phrase = rng.choice(ACCENTED_PHRASES)
    spaces = [i for i, char in enumerate(paragraph) if char == " "]
    at = rng.choice(spaces) if spaces else len(paragraph)
    before, after = paragraph[:at] + " ", paragraph[at:]
    clean = before + phrase + after
    if kind == "mojibake" and rng.random() < 0.5:  # the whole paragraph, as a mis-decoded page
        return clean, mojibake(clean)
    if kind == "mojibake":  # a few words only, as text pasted from elsewhere
        return clean, before + mojibake(phrase) + after
    if kind == "entities":
        return clean, entities(clean, rng)
    # C1 controls: the phrase only, since the rest of the paragraph may not fit Windows-1252
    return clean, before + c1_controls(phrase) + after


def damage(text: str, rng: random.Random) -> tuple[str, str, list[str]]:
    """One or two paragraphs damaged: the text before (phrases inserted), after, and the kinds."""
    lines = text.split("\n")
    paragraphs = [i for i, line in enumerate(lines) if len(line) >= 40] or list(range(len(lines)))
    kinds = [rng.choice(("mojibake", "entities", "c1")) for _ in range(rng.choice((1, 1, 2)))]
    clean, damaged = list(lines), list(lines)
    for kind, index in zip(kinds, rng.sample(paragraphs, min(len(kinds), len(paragraphs)))):
        clean[index], damaged[index] = damage_paragraph(lines[index], kind, rng)
    return "\n".join(clean), "\n".join(damaged), kinds


def build_corpus(
    sources: list[Source], size_mb: float, seed: int, folder: Path, name: str
) -> Corpus:
    """Write the corpus in passes over the shuffled sources until it holds ``size_mb`` MB of text.

    Streamed to disk, so building 1 GB takes no more memory than 100 MB. The
    seed alone decides the corpus: a larger one starts with the smaller one's documents.
    """
    rng = random.Random(seed)
    corpus = Corpus(folder / f"{name}.jsonl", folder / f"{name}.damaged.jsonl")
    with open(corpus.path, "w", encoding="utf-8", newline="\n") as out, \
         open(corpus.originals_path, "w", encoding="utf-8", newline="\n") as originals:
        while corpus.text_bytes < size_mb * MB:
            order = list(sources)
            rng.shuffle(order)
            for source in order:
                doc_id = f"{corpus.documents:07d}:{source.name}"
                text = source.text
                if rng.random() < DAMAGE_SHARE:
                    clean, text, kinds = damage(text, rng)
                    before = {"id": doc_id, "text": clean, "kinds": kinds}
                    originals.write(json.dumps(before) + "\n")
                    corpus.damaged += 1
                    for kind in kinds:
                        corpus.damage_kinds[kind] = corpus.damage_kinds.get(kind, 0) + 1
                out.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
                corpus.documents += 1
                corpus.text_bytes += len(text.encode("utf-8"))
                if corpus.text_bytes >= size_mb * MB:
                    break
    corpus.file_bytes = corpus.path.stat().st_size
    return corpus


def read_documents(path: Path) -> Iterator[tuple[str, str]]:
    # newline="\n": a C1 NEL (U+0085) inside a text is not a line end
    with open(path, encoding="utf-8", newline="\n") as stream:
        for line in stream:
            record = json.loads(line)
            yield record["id"], record["text"]


# ---------------------------------------------------------------- in-process systems


@dataclass
class Measure:
    """One system's run over the whole corpus."""

    system: str
    seconds: float
    documents: int
    text_bytes: int
    cpu_seconds: float = 0.0
    peak_rss: str = "–"
    #: CPU seconds other processes on the machine used meanwhile (measured for the command runs)
    others_cpu_seconds: float | None = None

    @property
    def mb_per_s(self) -> float:
        return self.text_bytes / MB / self.seconds

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds


@dataclass
class IdentityCheck:
    documents: int = 0
    identical: int = 0
    damaged: int = 0
    ftfy_changed: int = 0
    damage_repaired: int = 0
    mismatches: list[str] = field(default_factory=list)


def time_in_process(system: str, corpus: Corpus, work: Callable[[str, str], None]) -> Measure:
    total = None
    for batch in batches(corpus, BATCH):
        total = add(total, time_in_batch(system, batch, work))
    assert total is not None
    return total


def measure_ftfy_and_identity(corpus: Corpus) -> tuple[Measure, Measure, IdentityCheck]:
    """ftfy alone and cleaner's encoding stage alone, each timed; both outputs compared on each."""
    originals = {}
    with open(corpus.originals_path, encoding="utf-8", newline="\n") as stream:
        for line in stream:
            record = json.loads(line)
            originals[record["id"]] = record["text"]
    reference: dict[str, str] = {}
    check = IdentityCheck()

    # Each system is timed alone over a batch, then the batch's outputs are
    # compared: the check needs both outputs, but neither run pays for it.
    def run_ftfy(doc_id: str, text: str) -> None:
        reference[doc_id] = ftfy.fix_text(text, FTFY_CONFIG)

    config = CleanerConfig()
    stage_outputs: list[tuple[str, str, str]] = []

    def run_stage(doc_id: str, text: str) -> None:
        stage_outputs.append((doc_id, text, encoding.apply(text, None, config).text))

    ftfy_measure, stage_measure = None, None
    for batch in batches(corpus, BATCH):
        reference.clear()
        stage_outputs.clear()
        ftfy_part = time_in_batch("ftfy", batch, run_ftfy)
        stage_part = time_in_batch("stage", batch, run_stage)
        ftfy_measure = add(ftfy_measure, ftfy_part)
        stage_measure = add(stage_measure, stage_part)
        for doc_id, text, output in stage_outputs:
            compare(check, doc_id, text, output, reference[doc_id], originals.get(doc_id))
    assert ftfy_measure and stage_measure
    ftfy_measure.system = "`ftfy.fix_text` alone (conservative config), in-process"
    stage_measure.system = "cleaner's encoding stage alone, in-process"
    return ftfy_measure, stage_measure, check


def batches(corpus: Corpus, size: int) -> Iterator[list[tuple[str, str]]]:
    """The corpus a batch at a time: memory stays flat however large the corpus."""
    batch: list[tuple[str, str]] = []
    for document in read_documents(corpus.path):
        batch.append(document)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def time_in_batch(
    system: str, batch: list[tuple[str, str]], work: Callable[[str, str], None]
) -> Measure:
    """Time ``work`` over texts already read: reading and parsing the corpus is not the system's.

    cleaner's command, timed from outside, pays for its JSON reading and
    writing; the in-process systems do not, which favours them.
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    for doc_id, text in batch:
        work(doc_id, text)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    text_bytes = sum(len(text.encode("utf-8")) for _, text in batch)
    return Measure(system, seconds, len(batch), text_bytes, cpu_seconds)


def add(total: Measure | None, part: Measure) -> Measure:
    if total is None:
        return part
    return Measure(total.system, total.seconds + part.seconds, total.documents + part.documents,
                   total.text_bytes + part.text_bytes, total.cpu_seconds + part.cpu_seconds)


def compare(check: IdentityCheck, doc_id: str, text: str, stage: str, reference: str,
            original: str | None) -> None:
    """Count one document: stage == ftfy, whether ftfy changed it, whether it undid our damage."""
    check.documents += 1
    check.identical += stage == reference
    if stage != reference:
        check.mismatches.append(doc_id)
    check.ftfy_changed += reference != text
    if original is not None:
        check.damaged += 1
        # the undamaged text may need ftfy too (samples/crlf_bom_mojibake.txt does)
        check.damage_repaired += reference == ftfy.fix_text(original, FTFY_CONFIG)


def c4_filter() -> tuple[str, Callable[[str, str], None]]:
    """datatrove's C4QualityFilter if installed, else bench/baselines.py's line filter."""
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters import C4QualityFilter
    except ImportError:
        from baselines import c4_keeps  # bench/ is on sys.path when run as a script

        def filter_lines(doc_id: str, text: str) -> None:
            "\n".join(line for line in text.splitlines() if c4_keeps(line))

        return "C4-style line filter (bench/baselines.py), in-process", filter_lines
    # C4's "at least 5 sentences" counts sentences with spaCy; without it, the line rules only
    with_spacy = util.find_spec("spacy") is not None
    name = "datatrove `C4QualityFilter`"
    if not with_spacy:
        name += " (line rules; no spaCy: no sentence count)"
    c4 = C4QualityFilter() if with_spacy else C4QualityFilter(min_num_sentences=-1)

    def filter_document(doc_id: str, text: str) -> None:
        c4.filter(Document(text=text, id=doc_id))

    return name + ", in-process", filter_document


# ---------------------------------------------------------------- cleaner's command


@dataclass(frozen=True)
class ProcessPeak:
    pid: int
    role: str
    peak_bytes: int


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants, from the parent ids in /proc (workers are grandchildren)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                # the command name may hold spaces and parentheses: the fields follow the last ")"
                parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        children.setdefault(parent, []).append(int(entry.name))
    tree, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        tree.append(pid)
        frontier += children.get(pid, [])
    return tree


def peak_rss(pid: int) -> int | None:
    """The process's peak resident set so far (VmHWM), in bytes; None once it is gone."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def role_of(pid: int, root: int) -> str:
    if pid == root:
        return "main"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            command = cmdline.read()
    except OSError:
        return "gone"
    if b"resource_tracker" in command:
        return "resource tracker"
    return "worker" if b"multiprocessing" in command else "other"


def run_cleaner(corpus: Corpus, jobs: int, scratch: Path) -> tuple[Measure, list[ProcessPeak]]:
    """Run the command a user runs, timed from outside; sample its processes' peak RSS meanwhile."""
    output, stats = scratch / f"out-j{jobs}.jsonl", scratch / f"stats-j{jobs}.json"
    command = [PYTHON, "-m", "cleaner", "clean", "--jsonl", str(corpus.path),
               "-o", str(output), "-j", str(jobs), "--stats", str(stats), "-q"]
    peaks: dict[int, ProcessPeak] = {}
    on_proc = os.path.isdir("/proc")
    # CPU time of the whole tree: workers are reaped by cleaner, cleaner by us
    cpu_before, own_before = children_cpu_seconds(), time.process_time()
    busy_before = machine_busy_seconds()
    started = time.perf_counter()
    child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    while child.poll() is None:
        if on_proc:
            sample_tree(child.pid, peaks)
        time.sleep(POLL_SECONDS)
    seconds = time.perf_counter() - started
    cpu_seconds = children_cpu_seconds() - cpu_before
    # what the machine did besides cleaner (and this process, polling): another job skews -j most
    own = time.process_time() - own_before
    others = machine_busy_seconds() - busy_before - cpu_seconds - own
    errors = child.stderr.read() if child.stderr else ""
    if child.returncode != 0:
        sys.exit(f"speed.py: cleaner -j {jobs} failed ({child.returncode}):\n{errors}")
    summary = json.loads(stats.read_text())
    if summary["documents"] != corpus.documents or summary["bytes_in"] != corpus.text_bytes:
        sys.exit(f"speed.py: cleaner -j {jobs} read {summary['documents']} documents, "
                 f"{summary['bytes_in']} bytes; the corpus has {corpus.documents}, "
                 f"{corpus.text_bytes}")
    output.unlink()  # up to a GB: do not keep it while the next run writes its own
    found = [peak for peak in peaks.values() if peak.role in ("main", "worker")]
    if not on_proc:  # no /proc (not Linux): the kernel's count, the largest of all processes
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        found = [ProcessPeak(child.pid, "largest", largest)]
    measure = Measure(f"cleaner `-j {jobs}` (the command)", seconds, summary["documents"],
                      summary["bytes_in"], cpu_seconds, others_cpu_seconds=max(others, 0.0))
    measure.peak_rss = describe_peaks(found)
    return measure, found


def sample_tree(root: int, peaks: dict[int, ProcessPeak]) -> None:
    for pid in process_tree(root):
        peak = peak_rss(pid)
        if peak is None:
            continue
        known = peaks.get(pid)
        # a process seen between fork and exec still shows its parent's command: look again
        role = known.role if known and known.role != "other" else role_of(pid, root)
        peaks[pid] = ProcessPeak(pid, role, max(peak, known.peak_bytes if known else 0))


def machine_busy_seconds() -> float:
    """CPU seconds all processes of the machine have used since boot (0 without /proc/stat)."""
    try:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()[1:]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def describe_peaks(peaks: list[ProcessPeak]) -> str:
    workers = sorted(peak.peak_bytes for peak in peaks if peak.role == "worker")
    main = [peak.peak_bytes for peak in peaks if peak.role != "worker"]
    text = f"{max(main) / MIB:.0f} MiB" if main else "?"
    if workers:
        text = f"workers {' / '.join(f'{size / MIB:.0f}' for size in workers)} MiB; main {text}"
    return text


def worker_peak(peaks: list[ProcessPeak]) -> int:
    """The largest process doing the cleaning: a worker, or with -j 1 the only process."""
    workers = [peak.peak_bytes for peak in peaks if peak.role == "worker"]
    return max(workers or [peak.peak_bytes for peak in peaks])


# ---------------------------------------------------------------- the report


def load_average() -> str:
    """Anything else running skews MB/s, -j most of all: say how busy the machine was."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return ""
    return f"Load average before the run: {one:.2f} (1 min), {five:.2f} (5 min)."


def corpus_line(corpus: Corpus, sources: int, seed: int) -> str:
    kinds = ", ".join(
        f"{KIND_NAMES[kind]} {count}" for kind, count in sorted(corpus.damage_kinds.items())
    )
    return (f"Corpus: {corpus.documents:,} documents, {corpus.text_bytes / MB:.1f} MB of text "
            f"({corpus.file_bytes / MB:.1f} MB of JSON Lines) from {sources} source texts, "
            f"shuffled and repeated, seed {seed}; {corpus.damaged} damaged "
            f"({corpus.damaged / corpus.documents:.1%}; paragraphs damaged by kind: {kinds}).")


KIND_NAMES = {"mojibake": "mojibake", "entities": "HTML entities", "c1": "C1 controls"}


def table(measures: list[Measure], ftfy_measure: Measure) -> str:
    rows = ["| system | MB/s | docs/s | wall s | CPU s | peak RSS per process | ratio to ftfy |",
            "|---|---|---|---|---|---|---|"]
    for m in measures:
        ratio = m.mb_per_s / ftfy_measure.mb_per_s
        rows.append(f"| {m.system} | {m.mb_per_s:.2f} | {m.docs_per_s:.1f} | {m.seconds:.1f} | "
                    f"{m.cpu_seconds:.1f} | {m.peak_rss} | {ratio:.2f}× |")
    return "\n".join(rows)


def contention_line(measures: list[Measure]) -> str:
    """CPU other processes took during the command runs: if much, rerun on a quiet machine."""
    parts = ", ".join(
        f"{m.system.split(' (')[0]} {m.others_cpu_seconds:.1f} s in {m.seconds:.0f} s"
        for m in measures if m.others_cpu_seconds is not None
    )
    return f"CPU seconds used by other processes during the command runs: {parts}."


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def identity_lines(check: IdentityCheck) -> list[str]:
    lines = [
        f"Encoding stage vs `ftfy.fix_text` (conservative): identical on {check.identical:,}/"
        f"{check.documents:,} documents ({check.damaged} with damage). ftfy changed "
        f"{check.ftfy_changed:,} documents; on {check.damage_repaired} of the {check.damaged} "
        "damaged ones its output equals its output on the text before the damage (repaired)."
    ]
    if check.mismatches:
        first = ", ".join(check.mismatches[:5])
        lines.append(f"MISMATCH on {len(check.mismatches)} documents, first: {first}")
    return lines


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- main


@dataclass
class Results:
    corpus: Corpus
    ftfy: Measure
    check: IdentityCheck
    single: Measure
    parallel: Measure
    parallel_peaks: list[ProcessPeak]
    measures: list[Measure]
    large_peaks: list[ProcessPeak] | None = None


def run_all(
    args: argparse.Namespace, sources: list[Source], folder: Path, scratch: Path
) -> Results:
    """Every system on the same corpus, one after another, so that none slows another down."""
    progress(f"building a {args.size:g} MB corpus in {folder}")
    corpus = build_corpus(sources, args.size, args.seed, folder, f"corpus-{args.size:g}mb")
    progress("ftfy alone and the encoding stage, in-process, and the identity check")
    ftfy_measure, stage_measure, check = measure_ftfy_and_identity(corpus)
    progress(f"ftfy: {ftfy_measure.mb_per_s:.2f} MB/s")
    c4_name, c4_work = c4_filter()
    progress(c4_name)
    c4_measure = time_in_process(c4_name, corpus, c4_work)
    progress("cleaner -j 1")
    single, _ = run_cleaner(corpus, 1, scratch)
    progress(f"cleaner -j 1: {single.mb_per_s:.2f} MB/s; now cleaner -j {args.jobs}")
    parallel, parallel_peaks = run_cleaner(corpus, args.jobs, scratch)
    progress(f"cleaner -j {args.jobs}: {parallel.mb_per_s:.2f} MB/s")
    results = Results(corpus, ftfy_measure, check, single, parallel, parallel_peaks,
                      [ftfy_measure, stage_measure, single, parallel, c4_measure])
    if args.memory_check:
        size = args.size * 10
        progress(f"memory check: building a {size:g} MB corpus")
        large_corpus = build_corpus(sources, size, args.seed, folder, f"corpus-{size:g}mb")
        progress(f"memory check: cleaner -j {args.jobs} on {size:g} MB")
        large, results.large_peaks = run_cleaner(large_corpus, args.jobs, scratch)
        large.system += f", {size:g} MB corpus"
        results.measures.insert(4, large)
    return results


def target_lines(args: argparse.Namespace, results: Results) -> list[str]:
    """The issue's targets, each with its ratio as measured in this run."""
    check = results.check
    ratio = results.single.mb_per_s / results.ftfy.mb_per_s
    speedup = results.parallel.mb_per_s / results.single.mb_per_s
    wanted = 0.9 * args.jobs  # the 1.8x for 2 cores, scaled to the cores used
    lines = [
        f"- cleaner 1 core / ftfy = {ratio:.2f}× (target ≥ 10×): {verdict(ratio >= 10)}",
        f"- cleaner -j{args.jobs} / -j1 = {speedup:.2f}× (target ≥ {wanted:g}×): "
        f"{verdict(speedup >= wanted)}",
        f"- encoding stage identical to ftfy: {check.identical:,}/{check.documents:,}: "
        f"{verdict(not check.mismatches)}",
    ]
    small = worker_peak(results.parallel_peaks)
    where = f"peak RSS per worker (-j {args.jobs}), {args.size:g} MB"
    if results.large_peaks is None:
        lines.append(f"- {where}: {small / MIB:.0f} MiB "
                     f"(vs {args.size * 10:g} MB: run with --memory-check)")
    else:
        large = worker_peak(results.large_peaks)
        growth = large / small
        lines.append(f"- {where} vs {args.size * 10:g} MB: {small / MIB:.0f} MiB vs "
                     f"{large / MIB:.0f} MiB (×{growth:.2f}; target: flat, within "
                     f"×{FLAT_TOLERANCE:g}): {verdict(growth <= FLAT_TOLERANCE)}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=100, metavar="MB",
                        help="MB of text in the corpus (default 100; 5 for a quick run)")
    parser.add_argument("--memory-check", action="store_true",
                        help="also clean a corpus 10x --size with -j all cores and compare "
                             "the peak RSS per worker")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="workers for the parallel run (default: all cores)")
    parser.add_argument("--seed", type=int, default=0, help="the corpus's seed (default 0)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="write the corpora into DIR and keep them")
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    args = parser.parse_args()

    header = machine_line(("cleaner", "ftfy", "datatrove"), load_average())  # now, before the benchmark itself loads the machine
    sources = read_sources(args.shared)
    with tempfile.TemporaryDirectory(prefix="cleaner-speed-") as scratch_name:
        scratch = Path(scratch_name)
        folder = args.keep or scratch
        folder.mkdir(parents=True, exist_ok=True)
        total_mb = args.size * (11 if args.memory_check else 1)
        if shutil.disk_usage(folder).free < total_mb * DISK_PER_MB:
            sys.exit(f"speed.py: not enough free disk in {folder} for {total_mb:g} MB of corpus")
        results = run_all(args, sources, folder, scratch)

    print(header)
    print(corpus_line(results.corpus, len(sources), args.seed))
    print()
    print(table(results.measures, results.ftfy))
    print()
    print("\n".join(identity_lines(results.check)))
    print("cleaner's command pays for reading and writing JSON; the in-process rows time their "
          "function calls only.")
    print(contention_line(results.measures))
    print()
    print("\n".join(target_lines(args, results)))
    return 1 if results.check.mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
