"""Lines of a document and how to remove some of them without breaking its layout.

A scraped article is one paragraph per line, with or without blank lines
between paragraphs, and with ``\\n`` or ``\\r\\n`` endings. Removal stages decide
*which* lines go; :func:`removal_edits` decides *which characters* go so that the
document keeps its own layout: no doubled blank line where a paragraph was, no
dangling blank line at the end, line endings untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from cleaner.edits import Edit

_LINE = re.compile(r"[^\n]*\n|[^\n]+")


@dataclass(frozen=True, slots=True)
class Line:
    """A line of text: ``text`` excludes the terminator (``\\n`` or ``\\r\\n``)."""

    index: int
    start: int
    end: int  # offset just after the text, before the terminator
    stop: int  # offset just after the terminator
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Split text into lines, keeping exact offsets.

    >>> [(line.text, line.stop) for line in split_lines("a\\r\\n\\nb")]
    [('a', 3), ('', 4), ('b', 5)]
    """
    lines = []
    for index, match in enumerate(_LINE.finditer(text)):
        start, stop = match.span()
        end = stop
        if text.endswith("\n", start, end):
            end -= 1
            if text.endswith("\r", start, end):
                end -= 1
        lines.append(Line(index, start, end, stop, text[start:end]))
    return lines


def removal_edits(
    text: str, lines: list[Line], removals: Mapping[int, str], stage: str
) -> list[Edit]:
    """Turn ``{line index: rule id}`` into deletions that keep the layout.

    A removed line takes the separator *before* it (from the end of the
    previous paragraph), so the next paragraph keeps the separator it had and
    the document still ends the way it ended, with or without a final newline.
    Removed lines before the first kept one take the separator after them
    instead, so the text starts with its first kept paragraph.
    """
    if not removals:
        return []
    content = [line for line in lines if not line.blank]
    kept = [line.index for line in content if line.index not in removals]
    first_kept = kept[0] if kept else None
    edits = []
    for pos, line in enumerate(content):
        rule = removals.get(line.index)
        if rule is None:
            continue
        if first_kept is None or line.index < first_kept:
            start = 0 if first_kept is None and pos == 0 else line.start
            end = content[pos + 1].start if pos + 1 < len(content) else len(text)
        else:
            start = content[pos - 1].end
            end = line.end
        edits.append(Edit(stage, rule, "delete", start, end, text[start:end]))
    return edits
