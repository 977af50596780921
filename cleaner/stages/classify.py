"""classify: the boilerplate nobody named, found by what lines look like.

After the named-rule stages, what is left in scraped text is mostly generic:
related-story headlines, section names, bylines and datelines, credits,
"Image 1 of 8", counters, handles. No phrase list finds them, but they look
alike in every language: short, few function words, no full stop, many
capitalised words or digits, in runs of similar lines, at the edges of the
text. This stage scores every line by such features with a logistic model
whose weights are data (``patterns/classify.toml``), then rescores each line
with its neighbours' scores (jusText's context pass: a short line between two
paragraphs of prose is prose), and removes the lines above the threshold.

It is conservative by construction, whatever the weights say:

- the headline (the first line) and the first paragraph of prose stay;
- a sentence (enough words, stop words, terminal punctuation) stays;
- a document whose language has no stop list (or too few hits) is left alone,
  and so is one without a single paragraph of prose: a list, a table or a
  poem is not an article with debris around it.

Each removed line is logged as ``classify.line`` with its score in the note.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache, partial
from itertools import chain
from pathlib import Path
from typing import Any, Iterable, Mapping

import regex

from cleaner.config import CleanerConfig
from cleaner.edits import StageResult, apply_edits
from cleaner.errors import PatternError
from cleaner.layout import Line, removal_edits, split_lines
from cleaner.memo import Memo, remembered
from cleaner.rules import builtin_patterns_dir
from cleaner.stoplists import Stoplists, load_stoplists

STAGE = "classify"
RULE = "classify.line"
MECHANISMS = {RULE: "a line the classifier scores as boilerplate (score in the note)"}

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")
_LIST_MARKER = re.compile(r"^\s*(?:[•·▪►▸*›»|–—-]|\d{1,3}[.)])\s*")
_SEPARATOR = re.compile(r"\s[|•·/»›]\s|\s[|•·]\s*$|^\s*[|•·]")
_HANDLE = re.compile(r"@\w|https?://|www\.|\.com\b|#\w")
_DIGIT = re.compile(r"\d")
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
#: Above this share of such characters a text is not split into words by spaces.
MAX_UNSPACED_SHARE = 0.1
_SYMBOL = re.compile(r"[^\w\s]")


@dataclass(frozen=True)
class Model:
    """The weights and thresholds of ``patterns/classify.toml``."""

    line_weights: Mapping[str, float]
    context_weights: Mapping[str, float]
    threshold: float
    #: Lines between the first and the last paragraph of prose need a higher score.
    interior_margin: float = 0.0
    #: A line with at least this many words, ``sentence_min_stops`` stop words
    #: and terminal punctuation is a sentence and always stays.
    sentence_min_words: int = 5
    sentence_min_stops: int = 2
    #: A paragraph of prose: the first one is protected, and runs are measured from them.
    prose_min_words: int = 12
    prose_min_density: float = 0.2
    #: Below this stop-word hit rate the language is unknown and the stage does nothing.
    min_language_rate: float = 0.15
    #: Lines of at most this many words make "runs of short lines" (menus, link lists).
    short_words: int = 8
    #: One document's memo (see ``cleaner.memo``); None in the shared model.
    memo: Memo | None = field(default=None, compare=False, repr=False)

    def for_document(self, memo: Memo) -> Model:
        """This model with the memo of one document."""
        return replace(self, memo=memo)


MODEL_FILE = "classify.toml"


def load_model(extra_dirs: Iterable[str | Path] = ()) -> Model:
    """The built-in ``classify.toml``, with each extra directory's file laid over it.

    A user's ``classify.toml`` need only hold what it changes, e.g. a stricter
    ``threshold``; tables (``[line]``, ``[context]``) are merged key by key.
    """
    return _load_model(tuple(str(d) for d in extra_dirs))


@lru_cache(maxsize=8)
def _load_model(extra_dirs: tuple[str, ...]) -> Model:
    merged: dict[str, Any] = {}
    for source in (builtin_patterns_dir(), *map(Path, extra_dirs)):
        path = source if source.is_file() else source / MODEL_FILE
        if path.name != MODEL_FILE or not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise PatternError(f"{path}: cannot read the classifier model: {exc}") from exc
        for key, value in data.items():
            if isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            else:
                merged[key] = value
    return _model_from(merged)


def _model_from(data: dict[str, Any]) -> Model:
    known = {f.name for f in fields(Model)} - {"line_weights", "context_weights"}
    unknown = set(data) - known - {"line", "context"}
    if unknown or "threshold" not in data:
        raise PatternError(f"{MODEL_FILE}: unknown keys {sorted(unknown)} or no threshold")
    types = {f.name: f.type for f in fields(Model)}
    try:
        weights = {
            table: {k: _number(v, float) for k, v in _table(data, table).items()}
            for table in ("line", "context")
        }
        settings = {k: _number(v, int if types[k] == "int" else float) for k, v in data.items() if k in known}
    except (TypeError, ValueError) as exc:
        raise PatternError(f"{MODEL_FILE}: bad value: {exc}") from exc
    return Model(line_weights=weights["line"], context_weights=weights["context"], **settings)


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise TypeError(f"[{name}] must be a table of weights, not {table!r}")
    return table


def _number(value: Any, kind: type) -> float | int:
    """A number from TOML: bools and strings are mistakes, not numbers."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number, got {value!r}")
    if kind is int and value != int(value):
        raise ValueError(f"expected a whole number, got {value!r}")
    return kind(value)


@dataclass(frozen=True, slots=True)
class LineStats:
    """What one line looks like; every feature is computed from these."""

    words: int
    chars: int
    stops: int
    capitalised: int
    alphabetic: int
    digits: int
    symbols: int
    terminal: bool
    list_marker: bool
    separator: bool
    handle: bool

    @property
    def density(self) -> float:
        return self.stops / self.words if self.words else 0.0


def line_stats(text: str, stopwords: frozenset[str]) -> LineStats:
    tokens = _WORD.findall(text)
    stops = capitalised = alphabetic = 0
    for token in tokens:
        if token.lower() in stopwords:
            stops += 1
        if not token[0].isdigit():
            alphabetic += 1
            if token[0].isupper():
                capitalised += 1
    stripped = text.strip()
    return LineStats(
        words=len(tokens),
        chars=len(stripped),
        stops=stops,
        capitalised=capitalised,
        alphabetic=alphabetic,
        digits=len(_DIGIT.findall(stripped)),
        symbols=len(_SYMBOL.findall(stripped)),
        terminal=_TERMINAL.search(stripped) is not None,
        list_marker=_LIST_MARKER.match(stripped) is not None,
        separator=_SEPARATOR.search(stripped) is not None,
        handle=_HANDLE.search(stripped) is not None,
    )


def is_sentence(stats: LineStats, model: Model) -> bool:
    return (
        stats.terminal
        and stats.words >= model.sentence_min_words
        and stats.stops >= model.sentence_min_stops
    )


def is_prose(stats: LineStats, model: Model) -> bool:
    return stats.words >= model.prose_min_words and stats.density >= model.prose_min_density


def line_features(stats: list[LineStats], model: Model) -> list[dict[str, float]]:
    """The per-line features: the line itself, its run, its place in the document."""
    n = len(stats)
    prose = [i for i, s in enumerate(stats) if is_prose(s, model)]
    first_prose = prose[0] if prose else n
    last_prose = prose[-1] if prose else -1
    short = [s.words <= model.short_words for s in stats]
    run = _run_lengths(short)
    short_share = sum(short) / n if n else 0.0
    nearest = _distance_to(prose, n)
    features = []
    for i, s in enumerate(stats):
        chars = max(s.chars, 1)
        alphabetic = max(s.alphabetic, 1)
        interior = float(first_prose < i < last_prose)
        log_short_run = math.log1p(run[i]) if short[i] else 0.0
        features.append(
            {
                "bias": 1.0,
                "log_words": math.log1p(s.words),
                "log_chars": math.log1p(s.chars),
                "stop_density": s.density,
                "no_stops": float(s.stops == 0),
                "terminal": float(s.terminal),
                "capitalised": s.capitalised / alphabetic,
                "headline_like": float(s.capitalised / alphabetic >= 0.6 and not s.terminal),
                "digits": s.digits / chars,
                "symbols": s.symbols / chars,
                "list_marker": float(s.list_marker),
                "separator": float(s.separator),
                "handle": float(s.handle),
                "short": float(short[i]),
                "log_short_run": log_short_run,
                "interior": interior,
                "interior_short_run": interior * log_short_run,
                "log_edge_distance": math.log1p(min(i, n - 1 - i)),
                "position": i / (n - 1) if n > 1 else 0.0,
                "before_prose": float(i < first_prose),
                "after_prose": float(i > last_prose),
                "log_prose_distance": math.log1p(nearest[i]),
                "short_share": short_share,
            }
        )
    return features


def context_features(scores: list[float], features: list[dict[str, float]]) -> list[dict[str, float]]:
    """The second pass: a line's own score beside its neighbours' (log-odds)."""
    n = len(scores)
    out = []
    for i, score in enumerate(scores):
        prev1 = scores[i - 1] if i > 0 else _EDGE
        next1 = scores[i + 1] if i + 1 < n else _EDGE
        prev2 = scores[i - 2] if i > 1 else _EDGE
        next2 = scores[i + 2] if i + 2 < n else _EDGE
        out.append(
            {
                "bias": 1.0,
                "score": score,
                "neighbours": (prev1 + next1) / 2,
                "neighbours2": (prev2 + next2) / 2,
                "min_neighbour": min(prev1, next1),
                "max_neighbour": max(prev1, next1),
                "before_prose": features[i]["before_prose"],
                "after_prose": features[i]["after_prose"],
            }
        )
    return out


#: The log-odds that stands in for a neighbour beyond the document's edge.
_EDGE = 2.0


def linear(weights: Mapping[str, float], features: Mapping[str, float]) -> float:
    return sum(weights.get(name, 0.0) * value for name, value in features.items())


def score_lines(stats: list[LineStats], model: Model) -> list[float]:
    """Each line's boilerplate log-odds after the context pass."""
    return _context_scores(line_features(stats, model), model)


def _context_scores(features: list[dict[str, float]], model: Model) -> list[float]:
    first = [linear(model.line_weights, f) for f in features]
    return [linear(model.context_weights, f) for f in context_features(first, features)]


def protected_lines(stats: list[LineStats], texts: list[str], model: Model) -> set[int]:
    """Lines this stage never removes, whatever their score.

    The headline, the first prose paragraph and every sentence; and the lists
    an article makes itself, which look like menus line by line: a run of
    short lines after a line that announces it with a colon ("Ingredients:",
    "The full list:"), and a run of consecutively numbered lines ("1. ...",
    "2. ...", "3. ..."). Named rules have already taken the lists that a
    colon heading introduces as boilerplate ("Read more:").
    """
    keep = {0} if stats else set()
    first_prose = next((i for i, s in enumerate(stats) if is_prose(s, model)), None)
    if first_prose is not None:
        keep.add(first_prose)
    keep.update(i for i, s in enumerate(stats) if is_sentence(s, model))
    keep.update(_introduced_lists(stats, texts, model))
    keep.update(_numbered_runs(texts))
    return keep


_COLON_END = re.compile(r":\s*$")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s")
#: A numbered list needs this many consecutive numbers to count as one.
MIN_NUMBERED_RUN = 3


def _introduced_lists(stats: list[LineStats], texts: list[str], model: Model) -> set[int]:
    keep: set[int] = set()
    for i, text in enumerate(texts[:-1]):
        if not _COLON_END.search(text) or stats[i + 1].words > model.short_words:
            continue
        keep.add(i)
        j = i + 1
        while j < len(stats) and stats[j].words <= model.short_words and j not in keep:
            keep.add(j)
            j += 1
    return keep


def _numbered_runs(texts: list[str]) -> set[int]:
    numbers = [_NUMBERED.match(text) for text in texts]
    keep: set[int] = set()
    start = 0
    for i in range(1, len(texts) + 1):
        continues = (
            i < len(texts) and numbers[i] and numbers[i - 1]
            and int(numbers[i][1]) == int(numbers[i - 1][1]) + 1
        )
        if not continues:
            if i - start >= MIN_NUMBERED_RUN:
                keep.update(range(start, i))
            start = i
    return keep


def document_stats(
    lines: list[Line], stoplists: Stoplists, model: Model
) -> list[LineStats] | None:
    """Stats of the non-blank lines, or None when the language cannot be told.

    Scripts written without spaces (Chinese, Japanese, Thai) have no words to
    count and no stop lists here; a few English words among them would make
    the text look like English with no function words, so such text is left alone.
    """
    sample = "".join(line.text for line in lines[:50])
    if len(_UNSPACED.findall(sample)) > MAX_UNSPACED_SHARE * len(sample):
        return None
    memo = model.memo
    # chained in C: the guess reads up to a few thousand words, one Python step per line
    words = chain.from_iterable(
        remembered(memo, "words", line.text, _lowercase_words) for line in lines
    )
    language, rate = stoplists.guess(words)
    if language is None or rate < model.min_language_rate:
        return None
    stats_of = partial(line_stats, stopwords=stoplists.by_language[language])
    return [remembered(memo, "stats " + language, line.text, stats_of) for line in lines]


def _lowercase_words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def apply(text: str, model: Model, config: CleanerConfig) -> StageResult:
    """Remove the lines the model scores above its threshold, sparing protected ones."""
    all_lines = remembered(model.memo, "lines", text, split_lines)
    lines = [line for line in all_lines if not line.blank]
    stats = document_stats(lines, load_stoplists(), model) if lines else None
    if not stats or not any(is_prose(s, model) for s in stats):
        return StageResult(text)
    features = line_features(stats, model)
    scores = _context_scores(features, model)
    keep = protected_lines(stats, [line.text for line in lines], model)
    removed = {
        line.index: score
        for i, (line, score) in enumerate(zip(lines, scores))
        if i not in keep
        and score > model.threshold + model.interior_margin * features[i]["interior"]
    }
    if not removed:
        return StageResult(text)
    edits = removal_edits(text, all_lines, dict.fromkeys(removed, RULE), STAGE)
    # removal_edits gives one edit per removed line, in line order.
    edits = [
        replace(edit, note=f"score {_probability(removed[index]):.3f}")
        for edit, index in zip(edits, sorted(removed))
    ]
    return StageResult(apply_edits(text, edits), tuple(edits))


def _probability(log_odds: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(log_odds, 50.0), -50.0)))


def _run_lengths(flags: list[bool]) -> list[int]:
    """For each position, the length of the run of equal flags it belongs to."""
    out = [0] * len(flags)
    start = 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start]:
            for j in range(start, i):
                out[j] = i - start
            start = i
    return out


def _distance_to(targets: list[int], n: int) -> list[int]:
    """For each position, the distance in lines to the nearest target (n if none)."""
    if not targets:
        return [n] * n
    out = []
    t = 0
    for i in range(n):
        while t + 1 < len(targets) and abs(targets[t + 1] - i) <= abs(targets[t] - i):
            t += 1
        out.append(abs(targets[t] - i))
    return out
