"""Which rule removes what, measured on the labelled dev sets.

For every rule: how many labelled content lines (C) and boilerplate lines (B)
it removed on the recall track of ../shared/eval-dev (aeb, l3s) and
../shared/eval-challenge-dev (cat), with the content lines it removed printed
in full so a wrong removal is seen at once. "Kept" follows score.py's rule
(a line is kept if at least half of its words survive).

    python bench/rules_report.py [--shared ../shared] [--show-content] [--show-left CATEGORY]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import cleaner

SETS = (("eval-dev", ("aeb", "l3s")), ("eval-challenge-dev", ("cat",)))


def load_module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def documents(shared: Path, data_set: str, sources: tuple[str, ...]):
    folder = shared / data_set
    for line in (folder / "manifest.jsonl").read_text().splitlines():
        doc = json.loads(line)
        if doc["source"] in sources:
            yield doc, folder / "docs" / doc["id"]


def rule_of(line: str, edits, pipeline_tokens) -> str:
    """The rule whose deleted text holds this line (matched by its words)."""
    words = pipeline_tokens(line)
    for edit in edits:
        if edit.op == "delete" and words and " ".join(words) in " ".join(pipeline_tokens(edit.before)):
            return edit.rule
    return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--show-content", action="store_true", help="print each content line removed")
    parser.add_argument("--show-left", metavar="CATEGORY", help="print boilerplate lines of CATEGORY left in")
    args = parser.parse_args()
    shared = Path(args.shared)
    score = load_module(shared / "score.py")
    per_category = load_module(shared / "per_category.py")
    pipeline = cleaner.Pipeline()
    per_rule: dict[str, Counter] = defaultdict(Counter)
    totals: dict[str, Counter] = defaultdict(Counter)
    for data_set, sources in SETS:
        for doc, folder in documents(shared, data_set, sources):
            text = (folder / "recall.txt").read_text(encoding="utf-8")
            result = pipeline.clean(text)
            lines = text.splitlines()
            outcome = per_category.doc_lines(score, str(shared / data_set), doc, "recall", result.text)
            for line, (label, how, alive) in zip(lines, outcome):
                if label == "N":
                    continue
                category = how if data_set != "eval-dev" else doc["source"]
                totals[f"{data_set}:{label}"]["lines"] += 1
                if alive:
                    if label == "B" and args.show_left and how == args.show_left:
                        print(f"LEFT {doc['id']}: {line[:160]}")
                    continue
                totals[f"{data_set}:{label}"]["removed"] += 1
                rule = rule_of(line, result.edits, score.tokens)
                per_rule[rule][f"{label}:{data_set}"] += 1
                if label == "C" and args.show_content:
                    print(f"C-REMOVED {rule} {doc['id']}: {line[:200]}")
    print(f"\n{'rule':<34} {'C dev':>6} {'C chal':>6} {'B dev':>6} {'B chal':>6}")
    for rule, counts in sorted(per_rule.items()):
        print(f"{rule:<34} {counts['C:eval-dev']:>6} {counts['C:eval-challenge-dev']:>6} "
              f"{counts['B:eval-dev']:>6} {counts['B:eval-challenge-dev']:>6}")
    print()
    for key, counts in sorted(totals.items()):
        print(f"{key:<24} lines {counts['lines']:>6}  removed {counts['removed']:>5} "
              f"({100 * counts['removed'] / max(counts['lines'], 1):.2f}%)")


if __name__ == "__main__":
    sys.exit(main())
