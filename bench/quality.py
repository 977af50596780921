"""Quality on the dev set, side by side: cleaner next to the baselines, in one command.

Runs ../shared/score.py on the recall and fullpage tracks of ../shared/eval-dev
(aeb and l3s, the sources with a gold body) for each system and prints one table
per track: content lines wrongly removed, boilerplate lines left, token F1
(macro; precision/recall) per source, and documents per second.

Systems: ``cat`` (do nothing), ``c4`` (the C4-style line filter,
bench/baselines.py), ``oracle`` (keep exactly the gold C lines: the ceiling of
any line filter), cleaner without its classifier, and cleaner as shipped.

    python bench/quality.py [--shared ../shared] [--tracks recall,fullpage]

The figures in bench/RESULTS.md come from this script.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
SYSTEMS = {
    "cat": ["--cmd", "cat"],
    "c4-style line filter": ["--batch-cmd", f"{PYTHON} {HERE / 'baselines.py'} c4 {{in}} {{out}}"],
    "line oracle": ["--batch-cmd", f"{PYTHON} {HERE / 'baselines.py'} oracle {{in}} {{out}} {{track}}"],
    "cleaner --no-classify": [
        "--batch-cmd", f"{PYTHON} {HERE / 'run_batch.py'} {{in}} {{out}} --skip=classify"
    ],
    "cleaner": ["--batch-cmd", f"{PYTHON} {HERE / 'run_batch.py'} {{in}} {{out}}"],
}
SOURCES = ("aeb", "l3s")


def score(shared: Path, track: str, command: list[str]) -> dict:
    command = [part.replace("{track}", track) for part in command]
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "score.json"
        subprocess.run(
            [PYTHON, str(shared / "score.py"), "--track", track,
             "--data-dir", str(shared / "eval-dev"), "--sources", ",".join(SOURCES),
             "--json", str(report), *command],
            check=True, capture_output=True, text=True,
        )
        return json.loads(report.read_text())


def row(name: str, result: dict) -> str:
    lines = result["lines"]["gold-all"]
    removed = lines["content_removed"] / max(lines["content"], 1)
    left = lines["boiler_left"] / max(lines["boiler"], 1)
    f1 = " | ".join(
        f"{s['macro_f1']:.3f} ({s['macro_p']:.3f}/{s['macro_r']:.3f})"
        for s in (result["sources"][source] for source in SOURCES)
    )
    return f"| {name} | {removed:.2%} | {left:.2%} | {f1} | {result['docs_per_s']:.0f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--tracks", default="recall,fullpage")
    parser.add_argument("--systems", help="comma-separated subset of: " + ", ".join(SYSTEMS))
    args = parser.parse_args()
    systems = args.systems.split(",") if args.systems else list(SYSTEMS)
    for track in args.tracks.split(","):
        print(f"\n{track} track, eval-dev ({' + '.join(SOURCES)})\n")
        print("| system | content lines removed | boilerplate lines left | "
              + " | ".join(f"F1 {s} (P/R)" for s in SOURCES) + " | docs/s |")
        print("|---|---|---|" + "---|" * len(SOURCES) + "---|")
        for name in systems:
            print(row(name, score(args.shared, track, SYSTEMS[name])), flush=True)


if __name__ == "__main__":
    main()
