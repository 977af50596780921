"""Score cleaner on the recall track of both dev sets, next to the do-nothing baseline.

Runs ../shared/score.py for `cat`, cleaner and cleaner --drop-captions on
../shared/eval-dev (aeb, l3s, traf) and ../shared/eval-challenge-dev (cat), then
../shared/per_category.py on the challenge outputs. Prints the SUMMARY lines and
the per-category table; the figures in bench/RESULTS.md come from this script.

    python bench/recall_track.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNNER = f"{sys.executable} {HERE / 'run_batch.py'} {{in}} {{out}}"
COMMANDS = {
    "cat": ["--cmd", "cat"],
    "cleaner": ["--batch-cmd", RUNNER],
    "cleaner-drop-captions": ["--batch-cmd", RUNNER + " --drop-captions"],
}
DATA_SETS = {"eval-dev": "aeb,l3s,traf", "eval-challenge-dev": "cat"}


def score(shared: Path, data_set: str, name: str, outputs: Path) -> str:
    command = [
        sys.executable, str(shared / "score.py"), "--track", "recall",
        "--data-dir", str(shared / data_set), "--sources", DATA_SETS[data_set],
        "--name", name, "--save-outputs", str(outputs), *COMMANDS[name],
    ]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        for data_set in DATA_SETS:
            for name in COMMANDS:
                outputs = Path(scratch) / data_set / name
                report = score(args.shared, data_set, name, outputs)
                print(f"{data_set:<20} {report.strip().splitlines()[-1]}")
                if data_set == "eval-challenge-dev" and name != "cat":
                    table = subprocess.run(
                        [sys.executable, str(args.shared / "per_category.py"), "--outputs", str(outputs)],
                        capture_output=True, text=True, check=True,
                    ).stdout
                    print(f"\n{name}: per category (challenge dev)\n{table}")


if __name__ == "__main__":
    main()
