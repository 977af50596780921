"""Fit the classify stage's weights on ../shared/eval-dev and write patterns/classify.toml.

Development-time only (needs numpy). For every aeb and l3s page, on both the
recall and the fullpage track, the named-rule stages run first (as in the
pipeline); each remaining line gets the stage's features and its gold label
(B = boilerplate, C = content; N lines, with no word at all, are not fitted).
Two logistic regressions are fitted with L2: one on the line features, one on
the first one's scores for the line and its neighbours (the context pass).

The threshold is the lowest that keeps the share of content lines removed
(protected lines spared, as at run time) under ``--max-loss`` on the data it
was fitted on. Validation is by source: fit on l3s and test on aeb, and the
reverse; both directions are printed, then the model fitted on both is written.
Pages are never fitted one by one.

    python bench/fit_classify.py [--shared ../shared] [--max-loss 0.004] [--write]
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from dataclasses import astuple, dataclass
from pathlib import Path

import numpy as np

import cleaner
from cleaner.layout import split_lines
from cleaner.stages import classify
from cleaner.stoplists import load_stoplists

HERE = Path(__file__).resolve().parent
MODEL_FILE = HERE.parent / "patterns" / "classify.toml"
NAMED_STAGES = ("captions", "banners", "appeals", "footers", "fragments")
TRACKS = ("recall", "fullpage")
L2 = 1.0


@dataclass
class Doc:
    id: str
    source: str
    track: str
    stats: list  # LineStats of the lines left by the named stages
    labels: list[str]  # gold label of each of those lines
    words: list[int]  # words per line, to weigh token-level effects
    texts: list[str]


def load_docs(shared: Path, cache: Path) -> list[Doc]:
    if cache.exists():  # plain tuples, so that any script can read the cache
        return [Doc(*fields[:3], [classify.LineStats(*s) for s in fields[3]], *fields[4:])
                for fields in pickle.loads(cache.read_bytes())]
    data = shared / "eval-dev"
    pipeline = cleaner.Pipeline(stages=NAMED_STAGES)
    stoplists = load_stoplists()
    model = default_model()
    docs = []
    for record in map(json.loads, (data / "manifest.jsonl").read_text().splitlines()):
        if record["source"] not in ("aeb", "l3s"):
            continue
        for track in TRACKS:
            folder = data / "docs" / record["id"]
            text = (folder / f"{track}.txt").read_text(encoding="utf-8")
            labels = [row.split("\t")[0] for row in (folder / f"{track}.labels").read_text().splitlines()]
            kept = kept_line_indexes(text, pipeline.clean(text).text)
            lines = [line for line in split_lines(text) if line.index in kept and not line.blank]
            stats = classify.document_stats(lines, stoplists, model)
            if stats is None:
                continue
            docs.append(Doc(record["id"], record["source"], track, stats,
                            [labels[line.index] for line in lines], [s.words for s in stats],
                            [line.text for line in lines]))
    cache.write_bytes(pickle.dumps([
        (d.id, d.source, d.track, [astuple(s) for s in d.stats], d.labels, d.words, d.texts)
        for d in docs]))
    return docs


def kept_line_indexes(original: str, cleaned: str) -> set[int]:
    """Which lines of the original survive in the cleaned text (a subsequence of it)."""
    remaining = [line.text for line in split_lines(cleaned)]
    kept, j = set(), 0
    for line in split_lines(original):
        if j < len(remaining) and line.text == remaining[j]:
            kept.add(line.index)
            j += 1
    return kept


def default_model(**weights) -> classify.Model:
    return classify.Model(line_weights=weights.get("line", {}), context_weights=weights.get("context", {"score": 1.0}), threshold=0.0)


def matrices(docs: list[Doc], model: classify.Model):
    """Per line: line features, label, words, protected flag, doc index."""
    rows, y, words, protected, doc_of = [], [], [], [], []
    for d, doc in enumerate(docs):
        features = classify.line_features(doc.stats, model)
        keep = classify.protected_lines(doc.stats, doc.texts, model)
        for i, (f, label) in enumerate(zip(features, doc.labels)):
            rows.append(f)
            y.append(1.0 if label == "B" else 0.0 if label == "C" else np.nan)
            words.append(doc.words[i])
            protected.append(i in keep)
            doc_of.append(d)
    names = list(rows[0])
    X = np.array([[r[n] for n in names] for r in rows])
    return names, X, np.array(y), np.array(words), np.array(protected), np.array(doc_of)


def fit_logistic(X: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float = L2) -> np.ndarray:
    """Newton's method on the weighted, L2-penalised log-likelihood (bias, column 0, not penalised)."""
    w = np.zeros(X.shape[1])
    penalty = np.full(X.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-X @ w))
        gradient = X.T @ (weight * (p - y)) + penalty * w
        hessian = (X * (weight * p * (1 - p))[:, None]).T @ X + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def context_matrix(docs, names, X, w_line, doc_of):
    first = X @ w_line
    rows = []
    for d, doc in enumerate(docs):
        idx = np.flatnonzero(doc_of == d)
        feats = [dict(zip(names, X[i])) for i in idx]
        rows.extend(classify.context_features(list(first[idx]), feats))
    cnames = list(rows[0])
    return cnames, np.array([[r[n] for n in cnames] for r in rows])


def fit(docs: list[Doc]):
    model = default_model()
    names, X, y, words, protected, doc_of = matrices(docs, model)
    labelled = ~np.isnan(y)
    # Each track weighs the same in the fit, though full pages have ten times the lines:
    # cleaning extractor output (the recall track) is the main use.
    track = np.array([docs[d].track for d in doc_of])
    weight = np.ones(len(y))
    for name in TRACKS:
        part = track == name
        weight[part] = len(y) / (len(TRACKS) * max(part.sum(), 1))
    w_line = fit_logistic(X[labelled], y[labelled], weight[labelled])
    cnames, C = context_matrix(docs, names, X, w_line, doc_of)
    w_context = fit_logistic(C[labelled], y[labelled], weight[labelled])
    return dict(zip(names, w_line)), dict(zip(cnames, w_context))


def scores(docs, line_weights, context_weights):
    """Context log-odds per line, with what choosing thresholds needs beside it."""
    model = classify.Model(line_weights=line_weights, context_weights=context_weights, threshold=0.0)
    names, X, y, words, protected, doc_of = matrices(docs, model)
    w = np.array([line_weights.get(n, 0.0) for n in names])
    cnames, C = context_matrix(docs, names, X, w, doc_of)
    wc = np.array([context_weights.get(n, 0.0) for n in cnames])
    interior = X[:, names.index("interior")] == 1  # as apply() decides, strictly between
    track = np.array([docs[d].track for d in doc_of])
    return Scored(C @ wc, y, words, protected, interior, track)


@dataclass
class Scored:
    s: np.ndarray
    y: np.ndarray
    words: np.ndarray
    protected: np.ndarray
    interior: np.ndarray
    track: np.ndarray

    def removed(self, threshold, margin):
        limit = np.where(self.interior, threshold + margin, threshold)
        return (self.s > limit) & ~self.protected


def choose_thresholds(sc: Scored, max_loss: float) -> tuple[float, float]:
    """The edge threshold and interior margin that remove the most boilerplate
    (mean share over the tracks) while each track loses at most max_loss of its content lines."""
    best = (-1.0, 99.0, 0.0)
    for threshold in np.arange(-2.0, 8.0, 0.1):
        for margin in np.arange(0.0, 6.0, 0.25):
            removed = sc.removed(threshold, margin)
            losses, gains = [], []
            for track in TRACKS:
                part = sc.track == track
                losses.append(removed[part & (sc.y == 0)].mean())
                gains.append(removed[part & (sc.y == 1)].mean())
            if max(losses) <= max_loss and np.mean(gains) > best[0]:
                best = (float(np.mean(gains)), float(threshold), float(margin))
    return best[1], best[2]


def report(label, sc: Scored, threshold, margin):
    removed = sc.removed(threshold, margin)
    content, boiler = sc.y == 0, sc.y == 1
    lost = removed[content].mean()
    left = 1 - removed[boiler].mean()
    words_lost = sc.words[content & removed].sum() / max(sc.words[content].sum(), 1)
    print(f"  {label:16} content lines removed {lost:6.2%} ({(content & removed).sum():3})  boilerplate lines left {left:6.2%}"
          f"  content words lost {words_lost:6.2%}")


def evaluate(name, train, test, max_loss):
    line_w, context_w = fit(train)
    threshold, margin = choose_thresholds(scores(train, line_w, context_w), max_loss)
    print(f"{name}: threshold {threshold:.2f}, interior margin {margin:.2f}")
    for track in TRACKS:
        part = [d for d in test if d.track == track]
        report(f"test {track}", scores(part, line_w, context_w), threshold, margin)
    return line_w, context_w, threshold, margin


def write_model(line_w, context_w, threshold, margin, path: Path) -> None:
    lines = [
        "# The classify stage's model: written by bench/fit_classify.py from ../shared/eval-dev.",
        "# Two logistic regressions: [line] weights the features of a line, [context]",
        "# weights the first one's log-odds for the line and its neighbours. A line",
        "# goes when its context log-odds exceeds `threshold` (and it is not protected).",
        "# Override any value from a --patterns directory with its own classify.toml.",
        "",
        f"threshold = {threshold:.4f}",
        "# Lines between two paragraphs of prose must score this much higher.",
        f"interior_margin = {margin:.4f}",
        "",
        "[line]",
        *(f"{name} = {weight:.4f}" for name, weight in line_w.items()),
        "",
        "[context]",
        *(f"{name} = {weight:.4f}" for name, weight in context_w.items()),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--max-loss", type=float, default=0.004)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/cleaner-classify-docs.pkl"))
    parser.add_argument("--write", action="store_true", help="write patterns/classify.toml")
    args = parser.parse_args()
    docs = load_docs(args.shared, args.cache)
    print(f"{len(docs)} documents, {sum(len(d.stats) for d in docs)} lines", file=sys.stderr)
    l3s = [d for d in docs if d.source == "l3s"]
    aeb = [d for d in docs if d.source == "aeb"]
    evaluate("fit l3s -> test aeb", l3s, aeb, args.max_loss)
    evaluate("fit aeb -> test l3s", aeb, l3s, args.max_loss)
    line_w, context_w, threshold, margin = evaluate("fit both -> test both", docs, docs, args.max_loss)
    for name, weight in line_w.items():
        print(f"    line.{name:20} {weight:+.3f}")
    for name, weight in context_w.items():
        print(f"    context.{name:17} {weight:+.3f}")
    if args.write:
        write_model(line_w, context_w, threshold, margin, MODEL_FILE)
        print(f"wrote {MODEL_FILE}")


if __name__ == "__main__":
    main()

