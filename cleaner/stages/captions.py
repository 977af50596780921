"""captions: photo captions repeated in the text, and (optionally) single ones.

Extractors often keep a caption twice: once from the ``<figcaption>``, once
from the image's ``alt`` text or a gallery, sometimes without its credit. Two
lines are copies when they are equal once whitespace, case, a leading label
("Image caption:") and a trailing credit ("(AP Photo/…)") are set aside, and
lie at most ``config.caption_window`` non-blank lines apart. The later copy
goes (``captions.duplicate``); the first stays, since it may be the only
description of the picture a reader gets. Galleries add a "less"/"more"
toggle to each caption, and a copy cut short with "… more": a line that ends
in an ellipsis and starts like a full copy near it goes too
(``captions.truncated``), whichever comes first.

With ``config.drop_captions`` a line that ends with a credit goes as well,
logged under the credit rule that recognised it. Credits and labels are the
``suffix`` and ``prefix`` rules of ``patterns/captions.toml``.
"""

from __future__ import annotations

import re
from functools import partial

from cleaner.config import CleanerConfig
from cleaner.edits import StageResult, apply_edits
from cleaner.layout import Line, removal_edits, split_lines
from cleaner.memo import remembered
from cleaner.rules import StageRules

STAGE = "captions"
MECHANISMS = {
    "captions.duplicate": "a later copy of a caption line within caption_window lines",
    "captions.truncated": "a copy of a nearby line cut short with an ellipsis ('… more')",
}
#: Shorter repeated lines are left to the other stages: two equal short lines
#: ("Share", "Close") are not evidence of a caption.
MIN_CAPTION_WORDS = 3
#: A credit pattern may take the sentence's full stop with it, so keys end without one.
_TRAILING_PUNCTUATION = " .,;:!?|–—-"
#: A line this long that ends with a credit is a paragraph quoting a source.
MAX_CAPTION_WORDS = 60
#: A cut copy must keep this many words to be recognised as the start of another line.
MIN_TRUNCATED_WORDS = 6
#: The end of a cut copy: an ellipsis, maybe followed by the gallery's "more" toggle.
_TRUNCATED = re.compile(r"\s*(?:…|\.\.\.)\s*(?:more|read more|\[\+\]|\(more\))?\s*$", re.IGNORECASE)
#: A gallery's expand/collapse toggle at the end of a caption ("… nation. less").
_TOGGLE = re.compile(r"(?<=[.!?”\"’)])\s+(?:less|more)$", re.IGNORECASE)


def apply(text: str, rules: StageRules, config: CleanerConfig) -> StageResult:
    """Remove repeated captions (and, if asked, single credited ones)."""
    lines = remembered(rules.memo, "lines", text, split_lines)
    content = [line for line in lines if not line.blank]
    removals = find_duplicates(content, rules, config.caption_window)
    if config.drop_captions:
        for line in content:
            credit = _credit_rule(line, rules)
            if credit and line.index not in removals:
                removals[line.index] = credit
    edits = removal_edits(text, lines, removals, STAGE)
    if not edits:
        return StageResult(text)
    return StageResult(apply_edits(text, edits), tuple(edits))


def find_duplicates(content: list[Line], rules: StageRules, window: int) -> dict[int, str]:
    """Indices of lines that repeat one of the ``window`` kept lines before them,
    and of cut copies of a full line up to ``window`` lines away on either side."""
    removals: dict[int, str] = {}
    recent: list[str | None] = []
    key_of = partial(caption_key, rules=rules)
    for line in content:
        key = remembered(rules.memo, "caption_key", line.text, key_of)
        if key is not None and key in recent[-window:]:
            removals[line.index] = "captions.duplicate"
            continue
        recent.append(key)
    for pos, line in enumerate(content):
        cut = truncated_start(line.text)
        if cut is None or line.index in removals:
            continue
        nearby = content[max(pos - window, 0) : pos] + content[pos + 1 : pos + 1 + window]
        if any(
            other.index not in removals and truncated_start(other.text) is None
            and _fold(other.text).startswith(cut)
            for other in nearby
        ):
            removals[line.index] = "captions.truncated"
    return removals


def truncated_start(text: str) -> str | None:
    """The folded words before a final ellipsis ("… more"), if there are enough to compare.

    >>> truncated_start("Officials met in Hanoi on Wednesday to discuss ... more")
    'officials met in hanoi on wednesday to discuss'
    >>> truncated_start("Officials met in Hanoi.") is None
    True
    """
    if "…" not in text and "..." not in text:  # most lines: skip the regex scan of the line
        return None
    cut = _TRUNCATED.search(text)
    if cut is None:
        return None
    start = _fold(text[: cut.start()])
    return start if len(start.split()) >= MIN_TRUNCATED_WORDS else None


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def caption_key(text: str, rules: StageRules) -> str | None:
    """What two copies of a caption share, or None if the line is too short to tell.

    A line that is nothing but a credit is compared whole.
    """
    words = text.split()
    if len(words) > MAX_CAPTION_WORDS:  # a paragraph: compare it whole, skip the credit search
        return " ".join(words).casefold()
    text = _TOGGLE.sub("", text)
    body = text[rules.prefix(text) :]
    credit = rules.suffix(body)
    if credit is not None and body[: credit[0]].strip():
        body = body[: credit[0]]
    elif credit is None and len(words) < MIN_CAPTION_WORDS:
        return None
    return " ".join(body.split()).rstrip(_TRAILING_PUNCTUATION).casefold()


def _credit_rule(line: Line, rules: StageRules) -> str | None:
    if len(line.text.split()) > MAX_CAPTION_WORDS:
        return None
    credit = rules.suffix(line.text)
    return credit[1].id if credit else None
