"""encoding: ftfy's repair of mojibake, HTML entities and control characters.

The text is cut into the same segments ``ftfy.fix_text`` uses (lines, or
chunks of ``max_decode_length``) and each is fixed with ``fix_and_explain``,
so the output is identical to ``fix_text`` with the same configuration, while
every change is logged with ftfy's own explanation.

Speed: ftfy is the slowest part of cleaning, and most lines need nothing. A
segment of printable ASCII without ``&`` is something no ftfy fixer changes
(no bytes to re-decode, no entity, no control character), so only segments
holding another character are handed to ftfy.
"""

from __future__ import annotations

import re
from typing import Iterator

from ftfy import TextFixerConfig, fix_and_explain

from cleaner.config import CleanerConfig
from cleaner.edits import Edit, StageResult, apply_edits
from cleaner.rules import StageRules

STAGE = "encoding"
MECHANISMS = {
    "encoding.mojibake": "text decoded in the wrong encoding, re-decoded (ftfy fix_encoding)",
    "encoding.unescape_html": "HTML entities such as &amp; and &#8217; (ftfy unescape_html)",
    "encoding.remove_terminal_escapes": "ANSI terminal escape sequences",
    "encoding.remove_control_chars": "control characters with no place in text",
    "encoding.fix_c1_controls": "C1 control characters that were cp1252 punctuation",
    "encoding.fix_surrogates": "UTF-16 surrogate pairs left in the text",
    "encoding.uncurl_quotes": "curly quotes made straight (--normalize only)",
    "encoding.fix_latin_ligatures": "ligatures such as ﬁ spelled out (--normalize only)",
    "encoding.fix_character_width": "full-width characters made normal width (--normalize only)",
    "encoding.fix_line_breaks": "line breaks made \\n (--normalize only)",
    "encoding.normalize": "Unicode NFC normalisation (--normalize only)",
}

#: Repairs only: correct text passes byte for byte (no NFC, no quote
#: uncurling, no width or ligature folding, line breaks untouched).
CONSERVATIVE = TextFixerConfig(
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_line_breaks=False,
    normalization=None,
    explain=True,
)
#: ftfy's defaults: repairs plus normalisation.
NORMALIZE = TextFixerConfig(explain=True)

_SUSPECT = re.compile(r"[^\t\n\r\x20-\x7e]|&")
_SUSPECT_WITH_CR = re.compile(r"[^\t\n\x20-\x7e]|&")  # fix_line_breaks also rewrites \r


def apply(text: str, rules: StageRules, config: CleanerConfig) -> StageResult:
    """Fix each segment that may need it; log one edit per changed segment."""
    ftfy_config = NORMALIZE if config.normalize else CONSERVATIVE
    suspect = _SUSPECT_WITH_CR if ftfy_config.fix_line_breaks else _SUSPECT
    first_lt = text.find("<")
    edits = []
    for start, end in _suspect_segments(text, suspect, ftfy_config.max_decode_length):
        segment_config = ftfy_config
        if 0 <= first_lt < end:  # fix_text stops unescaping once it has seen a "<"
            segment_config = ftfy_config._replace(unescape_html=False)
        segment = text[start:end]
        fixed, steps = fix_and_explain(segment, segment_config)
        if fixed != segment:
            edits.append(_edit(start, segment, fixed, steps or []))
    if not edits:
        return StageResult(text)
    return StageResult(apply_edits(text, edits), tuple(edits))


def _suspect_segments(text: str, suspect: re.Pattern, limit: int) -> Iterator[tuple[int, int]]:
    """Bounds of the fix_text segments that hold at least one suspect character."""
    pos = 0
    while match := suspect.search(text, pos):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.start()) + 1 or len(text)
        start = line_start + (match.start() - line_start) // limit * limit
        end = min(start + limit, line_end)
        yield start, end
        pos = end


def _edit(offset: int, segment: str, fixed: str, steps: list) -> Edit:
    """One replace edit covering only the part of the segment that changed."""
    head = 0
    while head < min(len(segment), len(fixed)) and segment[head] == fixed[head]:
        head += 1
    tail = 0
    while tail < min(len(segment), len(fixed)) - head and segment[-1 - tail] == fixed[-1 - tail]:
        tail += 1
    before = segment[head : len(segment) - tail]
    after = fixed[head : len(fixed) - tail]
    note = ", ".join(f"{step.action} {step.parameter}" for step in steps)
    op = "replace" if after else "delete"
    return Edit(STAGE, _rule_for(steps), op, offset + head, offset + head + len(before), before, after, note)


def _rule_for(steps: list) -> str:
    """Name the edit after what ftfy did: re-decoding is mojibake, else the fixer."""
    if any(step.action in ("encode", "decode", "transcode") for step in steps):
        return "encoding.mojibake"
    if steps and steps[0].action == "normalize":
        return "encoding.normalize"
    return "encoding." + (steps[0].parameter if steps else "mojibake")
