"""Quality on the dev set, side by side: cleaner next to baselines and peers, in one command.

Runs ../shared/score.py on ../shared/eval-dev (aeb and l3s, the sources with a
gold body) for each system of each track and prints one markdown table per
track, under a line with the date, the machine and the extractors' versions,
ready to paste into bench/RESULTS.md.

html track (input: the page's HTML): token precision / recall / F1 (macro)
per source, and documents per second. Systems: cleaner as shipped
(bench/run_batch.py) and its peers, run by bench/extractors.py: trafilatura
with its default settings, with ``favor_precision``, with ``favor_recall``
(the text cleaner's text stages start from), jusText, resiliparse and
readability-lxml (those installed; pip install resiliparse readability-lxml).

recall and fullpage tracks (input: text): content lines wrongly removed,
boilerplate lines left, token F1 (macro; precision/recall) per source, and
documents per second. Systems: ``cat`` (do nothing), ``c4`` (the C4-style line
filter, bench/baselines.py), ``oracle`` (keep exactly the gold C lines: the
ceiling of any line filter), cleaner without its classifier, and cleaner as
shipped.

    python bench/quality.py [--shared ../shared] [--tracks html,recall,fullpage]
                            [--systems "cleaner,jusText"]

``--systems`` picks systems by their names in the tables, on every track that
has them. Systems run one after another, so docs/s are comparable.
The figures in bench/RESULTS.md come from this script.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from extractors import installed  # bench/ is on sys.path when run as a script
from machine import machine_line

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
TEXT_SYSTEMS = {
    "cat": ["--cmd", "cat"],
    "c4-style line filter": ["--batch-cmd", f"{PYTHON} {HERE / 'baselines.py'} c4 {{in}} {{out}}"],
    "line oracle": ["--batch-cmd", f"{PYTHON} {HERE / 'baselines.py'} oracle {{in}} {{out}} {{track}}"],
    "cleaner --no-classify": [
        "--batch-cmd", f"{PYTHON} {HERE / 'run_batch.py'} {{in}} {{out}} --skip=classify"
    ],
    "cleaner": ["--batch-cmd", f"{PYTHON} {HERE / 'run_batch.py'} {{in}} {{out}}"],
}
#: html-track system name -> bench/extractors.py NAME of the peers.
PEERS = {
    "trafilatura": "trafilatura",
    "trafilatura favor_precision": "trafilatura-precision",
    "trafilatura favor_recall": "trafilatura-recall",
    "jusText": "justext",
    "resiliparse": "resiliparse",
    "readability-lxml": "readability",
}
HTML_SYSTEMS = {
    "cleaner": TEXT_SYSTEMS["cleaner"],
    **{
        name: ["--batch-cmd", f"{PYTHON} {HERE / 'extractors.py'} {extractor} {{in}} {{out}}"]
        for name, extractor in PEERS.items() if installed(extractor)
    },
}
SYSTEMS_OF_TRACK = {"html": HTML_SYSTEMS, "recall": TEXT_SYSTEMS, "fullpage": TEXT_SYSTEMS}
SOURCES = ("aeb", "l3s")
#: Distributions whose versions the figures depend on (PyPI names).
VERSIONED = ("trafilatura", "jusText", "resiliparse", "readability-lxml")
#: What bench/extractors.py says on stderr about pages it could not extract.
RAISED_LINE = re.compile(r"^\S+: ([1-9]\d* of \d+ pages raised.*)$", re.MULTILINE)


def score(shared: Path, track: str, command: list[str]) -> tuple[dict, str]:
    """score.py's JSON report for ``command`` on ``track``, and what the run printed on stderr."""
    command = [part.replace("{track}", track) for part in command]
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "score.json"
        run = subprocess.run(
            [PYTHON, str(shared / "score.py"), "--track", track,
             "--data-dir", str(shared / "eval-dev"), "--sources", ",".join(SOURCES),
             "--json", str(report), *command],
            check=True, capture_output=True, text=True,
        )
        return json.loads(report.read_text()), run.stderr


def row(name: str, result: dict) -> str:
    lines = result["lines"]["gold-all"]
    removed = lines["content_removed"] / max(lines["content"], 1)
    left = lines["boiler_left"] / max(lines["boiler"], 1)
    f1 = " | ".join(
        f"{s['macro_f1']:.3f} ({s['macro_p']:.3f}/{s['macro_r']:.3f})"
        for s in (result["sources"][source] for source in SOURCES)
    )
    return f"| {name} | {removed:.2%} | {left:.2%} | {f1} | {result['docs_per_s']:.0f} |"


def html_row(name: str, result: dict) -> str:
    """There are no line labels for HTML input: token metrics and speed only."""
    prf = " | ".join(
        f"{s['macro_p']:.3f} / {s['macro_r']:.3f} / {s['macro_f1']:.3f}"
        for s in (result["sources"][source] for source in SOURCES)
    )
    return f"| {name} | {prf} | {result['docs_per_s']:.1f} |"


def header(track: str) -> str:
    if track == "html":
        return ("| system | " + " | ".join(f"token P / R / F1 {s}" for s in SOURCES)
                + " | docs/s |\n|---|" + "---|" * len(SOURCES) + "---|")
    return ("| system | content lines removed | boilerplate lines left | "
            + " | ".join(f"F1 {s} (P/R)" for s in SOURCES) + " | docs/s |\n"
            + "|---|---|---|" + "---|" * len(SOURCES) + "---|")


def notes(name: str, result: dict, stderr: str) -> list[str]:
    """Pages a system failed on, which the table would otherwise hide in its scores."""
    found = [f"{name}: {line}" for line in RAISED_LINE.findall(stderr)]
    if result.get("failures"):
        found.append(f"{name}: score.py counted {result['failures']} failures "
                     "(missing outputs, non-zero exit)")
    return found


def selected_systems(track: str, wanted: list[str] | None) -> list[str]:
    return [name for name in SYSTEMS_OF_TRACK[track] if wanted is None or name in wanted]


def run_track(shared: Path, track: str, systems: list[str]) -> None:
    print(f"\n{track} track, eval-dev ({' + '.join(SOURCES)})\n")
    print(header(track))
    failures: list[str] = []
    for name in systems:
        result, stderr = score(shared, track, SYSTEMS_OF_TRACK[track][name])
        print((html_row if track == "html" else row)(name, result), flush=True)
        failures += notes(name, result, stderr)
    if failures:
        print("\n" + "\n".join(f"- {line}" for line in failures))


def main() -> None:
    every_system = dict.fromkeys(name for systems in SYSTEMS_OF_TRACK.values() for name in systems)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--tracks", default="html,recall,fullpage")
    parser.add_argument("--systems", help="comma-separated subset of: " + ", ".join(every_system))
    args = parser.parse_args()
    tracks = args.tracks.split(",")
    if unknown := [track for track in tracks if track not in SYSTEMS_OF_TRACK]:
        parser.error(f"unknown tracks: {', '.join(unknown)}")
    wanted = args.systems.split(",") if args.systems else None
    if unknown := [name for name in wanted or () if name not in every_system]:
        parser.error(f"unknown systems: {', '.join(unknown)}")
    print(machine_line(("cleaner", *VERSIONED)))
    if missing := [name for name, extractor in PEERS.items() if not installed(extractor)]:
        print(f"Not installed, left out of the html track: {', '.join(missing)}.")
    for track in tracks:
        if systems := selected_systems(track, wanted):
            run_track(args.shared, track, systems)
        else:
            print(f"\n{track} track: none of the selected systems runs on it")


if __name__ == "__main__":
    main()
