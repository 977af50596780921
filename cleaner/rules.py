"""Rules are data: loading, validating and compiling the files in ``patterns/``.

Each ``patterns/<stage>.toml`` holds ``[[rule]]`` tables::

    [[rule]]
    id = "banners.cookie_we_use"      # <stage>.<name>, unique
    category = "cookie"               # the kind of debris
    lang = "en"                       # ISO code, or "*" for any language
    pattern = '''We use cookies\\b.*'''
    match = "line"        # line: the whole line | start: the line starts so | contains
    kind = "line"         # see KINDS
    max_words = 80        # only lines of at most this many words
    zone = "any"          # any | head | tail: where in the document the line may be
    note = "Known exceptions, in words."
    example = "We use cookies to improve your experience."

Patterns are ``regex`` expressions, case-insensitive unless
``case_sensitive = true``. Every example must match its own rule, so a rule
file that loads is a rule file whose rules can fire.

User directories given to :func:`load_rules` are read after the built-in one:
a rule with an existing id replaces it, ``enabled = false`` switches it off.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

import regex

from cleaner.errors import PatternError
from cleaner.memo import Memo, remembered

KINDS = {
    "line": "remove the matching line",
    "attached": "remove the matching line only next to a line this stage removes (button labels)",
    "heading": "remove the heading and the list-like run of short lines after it",
    "block": "remove from the matching line to the first line matching `end` (within max_lines)",
    "suffix": "a trailing part of a line (a photo credit); stages use it to compare lines",
    "prefix": "a leading label of a line (\"Image caption:\"); stages use it to compare lines",
}
LINE_KINDS = ("line", "attached", "heading", "block")
KIND_PRECEDENCE = {"block": 0, "heading": 1, "line": 2, "attached": 3}
#: Stages that read rule files; the captions stage only uses suffix/prefix rules.
RULE_STAGES = ("captions", "banners", "appeals", "footers", "fragments")
AFFIX_STAGES = ("captions",)
AFFIX_KINDS = ("suffix", "prefix")
#: How far from the end of a line a suffix (a photo credit) may start.
SUFFIX_REACH = 160
MATCHES = ("line", "start", "contains")
ZONES = ("any", "head", "tail")
REQUIRED = ("id", "category", "lang", "pattern", "note", "example")
OPTIONAL = {
    "match": "line",
    "kind": "line",
    "end": None,
    "max_lines": 12,
    "max_words": None,
    "zone": "any",
    "case_sensitive": False,
    "enabled": True,
}


@dataclass(frozen=True)
class Rule:
    """One rule, as written in its file (see the module docstring for fields)."""

    id: str
    stage: str
    category: str
    lang: str
    pattern: str
    note: str
    example: str
    source: str
    match: str = "line"
    kind: str = "line"
    end: str | None = None
    max_lines: int = 12
    max_words: int | None = None
    zone: str = "any"
    case_sensitive: bool = False
    enabled: bool = True
    end_regex: Any = field(default=None, compare=False, repr=False)

    def compiled(self) -> regex.Pattern:
        """The pattern alone, with the rule's flags (used for validation and tests)."""
        return regex.compile(_flagged(self))

    def line_pattern(self) -> regex.Pattern:
        """A line-kind rule's pattern as its stage matches it: anchored to one whole line."""
        return regex.compile(_anchored(self))


@dataclass(frozen=True)
class StageRules:
    """The rules of one stage, compiled once.

    ``scanner`` is one alternation of every line-kind rule, each a named
    group whose name is the rule's position in ``rules``: one anchored match
    per line tells which rule, if any, applies.

    The compiled rules are shared between documents and threads and never
    change; :meth:`for_document` gives a copy that carries one document's memo.
    """

    stage: str
    rules: tuple[Rule, ...]
    scanner: regex.Pattern | None
    suffixes: regex.Pattern | None
    prefixes: regex.Pattern | None
    max_words: int | None  # no line-kind rule matches a longer line
    memo: Memo | None = field(default=None, compare=False, repr=False)

    def for_document(self, memo: Memo) -> StageRules:
        """These rules with the memo of one document (see ``cleaner.memo``)."""
        return replace(self, memo=memo)

    def match_line(self, text: str, start: int, end: int) -> Rule | None:
        """The first line-kind rule matching the line ``text[start:end]``, if any.

        The scanner is anchored at the line's start and sees the line alone,
        so a pattern always judges exactly one line, ``\\s`` or not, and the
        verdict depends on the line's text only.
        """
        if self.scanner is None:
            return None
        index = remembered(self.memo, self.stage, text[start:end], self._rule_index)
        return None if index is None else self.rules[index]

    def _rule_index(self, line: str) -> int | None:
        match = self.scanner.match(line) if self.scanner else None
        return int(match.lastgroup[1:]) if match else None

    def suffix(self, text: str) -> tuple[int, Rule] | None:
        """``(start, rule)`` of the suffix rule that matches the end of ``text``.

        Only the last ``SUFFIX_REACH`` characters are searched: credits are
        short, and paragraphs are long.
        """
        match = self.suffixes.search(text, max(0, len(text) - SUFFIX_REACH)) if self.suffixes else None
        return (match.start(), self.rules[int(match.lastgroup[1:])]) if match else None

    def prefix(self, text: str) -> int:
        """Length of the prefix label that one of the prefix rules finds, else 0."""
        match = self.prefixes.match(text) if self.prefixes else None
        return match.end() if match else 0


@dataclass(frozen=True)
class RuleSet:
    """All rules, by stage. Immutable: share one between threads freely."""

    stages: dict[str, StageRules]

    def for_stage(self, stage: str) -> StageRules:
        return self.stages.get(stage) or compile_stage(stage, ())

    def __iter__(self) -> Iterator[Rule]:
        for stage_rules in self.stages.values():
            yield from stage_rules.rules


def builtin_patterns_dir() -> Path:
    """The shipped rule files: inside the installed package, else the source tree."""
    packaged = resources.files("cleaner") / "patterns"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "patterns"


def load_rules(extra_dirs: Iterable[str | Path] = ()) -> RuleSet:
    """Load the built-in rules, then each extra directory (or file) in order."""
    rules: dict[str, Rule] = {}
    for source in (builtin_patterns_dir(), *map(Path, extra_dirs)):
        for rule in _read_source(source):
            rules[rule.id] = rule
    by_stage: dict[str, list[Rule]] = {}
    for rule in rules.values():
        if rule.enabled:
            by_stage.setdefault(rule.stage, []).append(rule)
    return RuleSet({stage: compile_stage(stage, tuple(rs)) for stage, rs in by_stage.items()})


def compile_stage(stage: str, rules: tuple[Rule, ...]) -> StageRules:
    """Compile a stage's rules into one scanner and its affix patterns."""
    # A line that two rules match goes to the stronger kind: an attached
    # button-label rule must not shadow a heading or a line rule.
    order = sorted(range(len(rules)), key=lambda i: KIND_PRECEDENCE.get(rules[i].kind, 9))
    parts = [f"(?P<r{i}>{_anchored(rules[i])})" for i in order if rules[i].kind in LINE_KINDS]
    scanner = regex.compile("(?:" + "|".join(parts) + ")") if parts else None
    suffixes = _affix_pattern(rules, "suffix", "(?:{})[ \\t]*$")
    prefixes = _affix_pattern(rules, "prefix", "^[ \\t]*(?:{})[ \\t]*")
    limits = [rule.max_words for rule in rules if rule.kind in LINE_KINDS]
    max_words = None if None in limits or not limits else max(limits)
    return StageRules(stage, rules, scanner, suffixes, prefixes, max_words)


def _affix_pattern(rules: tuple[Rule, ...], kind: str, wrap: str) -> regex.Pattern | None:
    parts = [f"(?P<r{i}>{_flagged(rule)})" for i, rule in enumerate(rules) if rule.kind == kind]
    return regex.compile(wrap.format("|".join(parts))) if parts else None


def _flagged(rule: Rule, pattern: str | None = None) -> str:
    """The rule's pattern (or its ``end``), wrapped in the rule's case flag."""
    pattern = rule.pattern if pattern is None else pattern
    return pattern if rule.case_sensitive else f"(?i:{pattern})"


def _anchored(rule: Rule) -> str:
    body = _flagged(rule)
    if rule.match == "line":
        return f"[ \\t]*(?:{body})[ \\t\\r]*$"
    if rule.match == "start":
        return f"[ \\t]*(?:{body})[^\\n]*$"
    return f"[^\\n]*?(?:{body})[^\\n]*$"


def _read_source(source: Path) -> Iterator[Rule]:
    if source.is_file():
        yield from _read_file(source)
    elif source.is_dir():
        for path in sorted(source.glob("*.toml")):
            yield from _read_file(path)
    else:
        raise PatternError(f"{source}: no such patterns file or directory")


def _read_file(path: Path) -> Iterator[Rule]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PatternError(f"{path}: cannot read rules: {exc}") from exc
    stage = data.get("stage") or path.stem
    seen: set[str] = set()
    for table in data.get("rule", []):
        rule = _make_rule(table, stage, path)
        if rule.id in seen:
            raise PatternError(f"{path}: rule {rule.id}: duplicate id")
        seen.add(rule.id)
        yield rule


def _make_rule(table: dict[str, Any], stage: str, path: Path) -> Rule:
    where = f"{path}: rule {table.get('id', '?')}"
    missing = [name for name in REQUIRED if name not in table]
    unknown = set(table) - set(REQUIRED) - set(OPTIONAL)
    if missing or unknown:
        raise PatternError(f"{where}: missing {missing}, unknown {sorted(unknown)}")
    fields = {**OPTIONAL, **table}
    if stage not in RULE_STAGES:
        raise PatternError(f"{where}: no stage {stage!r} takes rules; stages: {', '.join(RULE_STAGES)}")
    if (fields["kind"] in AFFIX_KINDS) != (stage in AFFIX_STAGES):
        raise PatternError(f"{where}: kind {fields['kind']!r} does nothing in stage {stage!r}")
    if not str(fields["id"]).startswith(stage + "."):
        raise PatternError(f"{where}: id must start with '{stage}.'")
    for name, allowed in (("kind", KINDS), ("match", MATCHES), ("zone", ZONES)):
        if fields[name] not in allowed:
            raise PatternError(f"{where}: {name} must be one of {sorted(allowed)}")
    if (fields["kind"] == "block") != (fields["end"] is not None):
        raise PatternError(f"{where}: `end` is required for kind 'block' and only there")
    rule = Rule(stage=stage, source=str(path), **fields)
    try:
        pattern = _anchored(rule) if rule.kind in LINE_KINDS else _flagged(rule)
        matches = regex.match(pattern, rule.example) is not None
        end_regex = regex.compile(_flagged(rule, rule.end)) if rule.end else None
    except regex.error as exc:
        raise PatternError(f"{where}: bad pattern: {exc}") from exc
    if not matches:
        raise PatternError(f"{where}: its example does not match its pattern")
    object.__setattr__(rule, "end_regex", end_regex)
    return rule
