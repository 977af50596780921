"""Which rule removes what, measured on the labelled dev sets.

For every rule: how many labelled content lines (C) and boilerplate lines (B)
it removed on the recall track of ../shared/eval-dev (aeb, l3s) and
../shared/eval-challenge-dev (cat), with the content lines it removed printed
in full so a wrong removal is seen at once. "Kept" follows score.py's rule
(a line is kept if at least half of its words survive).

Then what each line rule costs: its pattern alone, matched the way its stage
matches it, against every line of the recall and fullpage texts of eval-dev
that its word limit lets through, slowest first. A pattern that backtracks
badly (nested or doubled lazy ``.*?``) stands out here by tens of times the
others, long before it shows in the speed benchmark.

    python bench/rules_report.py [--shared ../shared] [--show-content] [--show-left CATEGORY]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import cleaner
from cleaner.rules import LINE_KINDS

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


#: How many of the slowest rules the cost table shows.
COST_ROWS = 12


def rule_costs(pipeline: cleaner.Pipeline, lines: list[str]) -> list[tuple[float, str, int]]:
    """(microseconds per line tried, rule id, lines tried) for each line rule, slowest first."""
    costs = []
    for rule in pipeline.rules:
        if rule.kind not in LINE_KINDS:
            continue
        pattern = rule.line_pattern()
        tried = [line for line in lines if rule.max_words is None or len(line.split()) <= rule.max_words]
        started = time.perf_counter()
        for line in tried:
            pattern.match(line)
        costs.append((1e6 * (time.perf_counter() - started) / max(len(tried), 1), rule.id, len(tried)))
    return sorted(costs, reverse=True)


def dev_lines(shared: Path) -> list[str]:
    lines = []
    for _, folder in documents(shared, "eval-dev", ("aeb", "l3s", "traf")):
        for track in ("recall", "fullpage"):
            text = (folder / f"{track}.txt").read_text(encoding="utf-8")
            lines.extend(line for line in text.splitlines() if line.strip())
    return lines


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
    costs = rule_costs(pipeline, dev_lines(shared))
    median = costs[len(costs) // 2][0]
    print(f"\n{'rule (slowest first)':<34} {'µs/line':>8} {'× median':>9} {'lines':>7}")
    for cost, rule, tried in costs[:COST_ROWS]:
        print(f"{rule:<34} {cost:>8.2f} {cost / median:>9.1f} {tried:>7}")


if __name__ == "__main__":
    sys.exit(main())
