"""The mechanism behind the phrase-rule stages: find lines, remove them.

The banners, appeals, footers and fragments stages differ only in their rule
files; this module applies any stage's rules (see ``cleaner.rules.KINDS``):

- ``line``: the line goes;
- ``attached``: the line goes only if a neighbouring non-blank line goes too,
  so a lone "Agree" in an article stays while the button row of a consent
  banner leaves with the banner;
- ``heading``: the heading goes with the run of short, list-like lines after
  it ("Most Popular" and its headlines);
- ``block``: from the start line to a sign-off matching ``end`` within
  ``max_lines`` lines ("A message from our Publisher" ... "— Name, Publisher").
"""

from __future__ import annotations

import re
from itertools import takewhile

from cleaner.edits import StageResult, apply_edits
from cleaner.layout import Line, removal_edits, split_lines
from cleaner.memo import remembered
from cleaner.rules import Rule, StageRules

#: Shares of the text (in characters) that make its head and its tail.
HEAD_SHARE = 0.3
TAIL_SHARE = 0.4
#: Attached lines (button rows) that stand alone at an edge of the text need company.
MIN_EDGE_RUN = 2
#: A headline in a list of links: short and not a sentence, or visibly a list item.
MAX_LIST_ITEM_WORDS = 16
_LIST_MARKER = re.compile(r"^\s*(?:[•·▪►▸*–-]|\d{1,2}[.)])\s")
_SENTENCE_END = re.compile(r"[.!?:;…][\"'”’»)]*\s*$")


def remove_matching_lines(text: str, rules: StageRules, stage: str) -> StageResult:
    """Apply every rule of a stage to ``text``; one edit per removed line."""
    if rules.scanner is None:
        return StageResult(text)
    lines = remembered(rules.memo, "lines", text, split_lines)
    edits = removal_edits(text, lines, find_removals(text, lines, rules), stage)
    if not edits:
        return StageResult(text)
    return StageResult(apply_edits(text, edits), tuple(edits))


def find_removals(text: str, lines: list[Line], rules: StageRules) -> dict[int, str]:
    """Map each line index to remove onto the id of the rule that removes it."""
    content = [line.index for line in lines if not line.blank]
    removals: dict[int, str] = {}
    attached: dict[int, str] = {}
    for pos, index in enumerate(content):
        line = lines[index]
        if rules.max_words is not None and len(line.text.split()) > rules.max_words:
            continue  # the cheap test first: most of a text is long paragraphs
        rule = rules.match_line(text, line.start, line.end)
        if rule is None or not fits(rule, line, pos, len(content), len(text)):
            continue
        if rule.kind == "attached":
            attached[index] = rule.id
            continue
        span = [index]
        if rule.kind == "heading":
            span += list_run(lines, content, pos + 1)
        elif rule.kind == "block":
            span += block_rest(rule, lines, content, pos + 1)
        for member in span:
            removals.setdefault(member, rule.id)
    attach(removals, attached, content)
    return removals


def fits(rule: Rule, line: Line, pos: int, total: int, size: int) -> bool:
    """Does the line satisfy the rule's length and position limits?

    Zones are measured in characters, not lines: a footer of twenty short
    headlines is still the end of an article of six long paragraphs. The
    first and last three content lines are always in the head and tail.
    """
    if rule.max_words is not None and len(line.text.split()) > rule.max_words:
        return False
    if rule.zone == "head":
        return pos < 3 or line.start < HEAD_SHARE * size
    if rule.zone == "tail":
        return pos >= total - 3 or line.start >= (1 - TAIL_SHARE) * size
    return True


def list_run(lines: list[Line], content: list[int], pos: int) -> list[int]:
    """Indices of the list-like lines from content position ``pos`` on."""
    run = []
    for index in content[pos:]:
        if not is_list_item(lines[index].text):
            break
        run.append(index)
    return run


def is_list_item(text: str) -> bool:
    """A link-list entry: a marked item, or a short line that is not a sentence.

    >>> is_list_item("2. Storm damage bill tops $40 million, insurers say")
    True
    >>> is_list_item("The council will vote again in May.")
    False
    """
    if len(text.split()) > MAX_LIST_ITEM_WORDS:
        return False
    return bool(_LIST_MARKER.match(text)) or not _SENTENCE_END.search(text)


def block_rest(rule: Rule, lines: list[Line], content: list[int], pos: int) -> list[int]:
    """The lines after a block's start line up to its sign-off, or none if none comes."""
    window = content[pos : pos + rule.max_lines]
    for offset, index in enumerate(window):
        if rule.end_regex.search(lines[index].text.strip()):
            return window[: offset + 1]
    return []


def attach(removals: dict[int, str], attached: dict[int, str], content: list[int]) -> None:
    """Remove the attached candidates that touch a removed line, until none is left.

    A run of two or more candidates at the very start or end of the text
    anchors itself: "Rechazar todas / Aceptar / Ver preferencias" is a consent
    dialog even when its sentence was not extracted.
    """
    position = {index: pos for pos, index in enumerate(content)}
    pending = {index: rule for index, rule in attached.items() if index not in removals}
    for index in {index for run in _edge_runs(pending, content) for index in run}:
        removals[index] = pending.pop(index)
    while pending:
        joined = [
            index
            for index in pending
            if any(
                0 <= p < len(content) and content[p] in removals
                for p in (position[index] - 1, position[index] + 1)
            )
        ]
        if not joined:
            return
        for index in joined:
            removals[index] = pending.pop(index)


def _edge_runs(candidates: dict[int, str], content: list[int]) -> list[list[int]]:
    """Runs of at least two candidates that begin or end the content lines."""
    head = list(takewhile(candidates.__contains__, content))
    tail = list(takewhile(candidates.__contains__, reversed(content)))
    return [run for run in (head, tail) if len(run) >= MIN_EDGE_RUN]
