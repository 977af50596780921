"""What the classify stage removes on the dev set, line by line, with the gold label.

For every aeb and l3s page of ../shared/eval-dev (recall and fullpage tracks)
the full pipeline runs; each line removed under ``classify.line`` is looked up
in the gold labels. Prints the content (C) lines it removed, then counts.

    python bench/classify_report.py [--shared ../shared] [--track recall|fullpage]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import cleaner

HERE = Path(__file__).resolve().parent


def removed_lines(pipeline: cleaner.Pipeline, text: str) -> list[str]:
    return [e.before.strip() for e in pipeline.clean(text).edits if e.rule == "classify.line"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--track", action="append", choices=("recall", "fullpage"))
    args = parser.parse_args()
    data = args.shared / "eval-dev"
    pipeline = cleaner.Pipeline()
    counts: Counter[tuple[str, str]] = Counter()
    for record in map(json.loads, (data / "manifest.jsonl").read_text().splitlines()):
        if record["source"] not in ("aeb", "l3s"):
            continue
        for track in args.track or ("recall", "fullpage"):
            folder = data / "docs" / record["id"]
            text = (folder / f"{track}.txt").read_text(encoding="utf-8")
            labels = [row.split("\t")[0] for row in (folder / f"{track}.labels").read_text().splitlines()]
            by_text: dict[str, list[str]] = {}
            for line, label in zip(text.splitlines(), labels):
                by_text.setdefault(line.strip(), []).append(label)
            for line in removed_lines(pipeline, text):
                candidates = by_text.get(line) or ["?"]
                label = "B" if "B" in candidates else candidates[0]
                counts[(track, label)] += 1
                if label == "C":
                    print(f"{track:8} {record['id']}  {line[:110]}")
    for (track, label), count in sorted(counts.items()):
        print(f"{track:8} {label}: {count} lines removed")


if __name__ == "__main__":
    main()
