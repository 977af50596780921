"""A memo for the passes over one document.

The pipeline runs its text stages over a document again and again until a pass
changes nothing. Most lines, and most stages' input texts, come back unchanged
from one pass to the next, and what a stage computes from a line alone (which
rule matches it, its caption key, its word statistics) comes back the same.
The pipeline gives each document a fresh memo, carried by the stage data
(``StageRules.memo``, ``Model.memo``), so those results are computed once per
document. The compiled rules and the model themselves stay shared and immutable;
a memo belongs to one call and is never shared between threads.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

T = TypeVar("T")

#: ``(kind, text) -> value``: kind names what was computed ("lines", "banners", ...).
Memo = dict[tuple[str, str], Any]


def remembered(memo: Memo | None, kind: str, text: str, compute: Callable[[str], T]) -> T:
    """``compute(text)``, computed once per ``(kind, text)`` when there is a memo."""
    if memo is None:
        return compute(text)
    key = (kind, text)
    try:
        return memo[key]
    except KeyError:
        value = memo[key] = compute(text)
        return value
