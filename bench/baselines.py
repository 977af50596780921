"""Reference line filters for the text tracks, as --batch-cmd for ../shared/score.py.

    python bench/baselines.py c4 IN OUT            # the C4-style line filter
    python bench/baselines.py oracle IN OUT TRACK  # keep exactly the gold C lines

``c4`` is the line filter of the C4 corpus (Raffel et al. 2020) as commonly
copied: a line stays if it ends in terminal punctuation, has at least three
words, and mentions neither JavaScript nor a policy ("terms of use", "privacy
policy", "cookie policy", "uses cookies"). ``oracle`` reads the gold labels of
../shared/eval-dev and keeps the lines labelled C (and N): the ceiling for any
line filter.
"""

import re
import sys
from pathlib import Path

EVAL_DOCS = Path(__file__).resolve().parent.parent.parent / "shared" / "eval-dev" / "docs"
TERMINAL = re.compile(r"[.!?\"'”’]\s*$")
POLICY = re.compile(r"javascript|terms of use|privacy policy|cookie policy|uses cookies|use of cookies", re.I)


def c4_keeps(line: str) -> bool:
    return bool(TERMINAL.search(line)) and len(line.split()) >= 3 and not POLICY.search(line)


def oracle_lines(doc: str, track: str, lines: list[str]) -> list[str]:
    labels = [row.split("\t")[0] for row in (EVAL_DOCS / doc / f"{track}.labels").read_text().splitlines()]
    return [line for line, label in zip(lines, labels) if label != "B"]


def main(kind: str, source: str, target: str, track: str = "recall") -> None:
    Path(target).mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(source).iterdir()):
        lines = path.read_text(encoding="utf-8").splitlines()
        kept = [l for l in lines if c4_keeps(l)] if kind == "c4" else oracle_lines(path.stem, track, lines)
        (Path(target) / (path.stem + ".txt")).write_text("\n".join(kept) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
