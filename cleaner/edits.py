"""The edit log: what each stage changed, precisely enough to undo it.

Every stage reports its changes as :class:`Edit` values whose offsets refer to
the text *as that stage received it*. A log is the concatenation of the stages'
edits in pipeline order, so undoing the stages in reverse order rebuilds the
input exactly:

>>> edits = [Edit("footers", "footers.most_popular", "delete", 5, 18, "Most Popular\\n")]
>>> restore("Body\\n", edits)
'Body\\nMost Popular\\n'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from itertools import groupby
from typing import Any, Iterable, Sequence

from cleaner.errors import RestoreError

OPS = ("delete", "replace", "note", "drop")
#: Ops that record something restore does not undo: a fact (``note``), or a
#: block of an HTML page that never reached the text (``drop``).
UNDONE_OPS = ("delete", "replace")


@dataclass(frozen=True, slots=True)
class Edit:
    """One change made by one rule of one stage.

    ``start``/``end`` delimit ``before`` in the stage's input text; ``after`` is
    what replaced it (empty for a deletion). ``note`` carries detail that is not
    needed to undo the edit: ftfy's explanation, the encoding that was used.
    An edit with op ``note`` changes nothing and only records a fact. An edit
    with op ``drop`` records a block of an HTML page that extraction left out;
    its ``start == end`` is where in the extracted text the block stood, and
    restore leaves it out (a page is not rebuilt, its extracted text is).
    ``round`` is the pipeline pass that made the edit (see ``Pipeline.clean``).
    """

    stage: str
    rule: str
    op: str
    start: int
    end: int
    before: str
    after: str = ""
    note: str = ""
    round: int = 1

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Edit:
        try:
            return cls(**{name: data[name] for name in cls.__slots__ if name in data})
        except TypeError as exc:
            raise RestoreError(f"not an edit: {data!r}") from exc


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply one stage's edits (sorted, non-overlapping) to the text it received."""
    pieces, pos = [], 0
    for edit in edits:
        pieces.append(text[pos : edit.start])
        pieces.append(edit.after)
        pos = edit.end
    pieces.append(text[pos:])
    return "".join(pieces)


def undo_edits(text: str, edits: Sequence[Edit]) -> str:
    """Undo one stage's edits on that stage's output, checking that they fit."""
    pieces, pos, shift = [], 0, 0
    for edit in edits:
        out_start = edit.start + shift
        out_end = out_start + len(edit.after)
        if out_start < pos or out_end > len(text) or text[out_start:out_end] != edit.after:
            raise RestoreError(
                f"edit {edit.rule} at offset {edit.start} does not match the text; "
                "was the clean text changed after cleaning?"
            )
        pieces.append(text[pos:out_start])
        pieces.append(edit.before)
        pos = out_end
        shift += len(edit.after) - len(edit.before)
    pieces.append(text[pos:])
    return "".join(pieces)


def restore(clean_text: str, edits: Iterable[Edit | dict[str, Any]]) -> str:
    """Rebuild the original text from the clean text and its edit log.

    Edits may be :class:`Edit` values or their dictionaries (as read back from
    a JSON Lines log). Each stage's edits of each pass are undone, last first.
    """
    log = [e if isinstance(e, Edit) else Edit.from_dict(e) for e in edits]
    text = clean_text
    stage_groups = [list(group) for _, group in groupby(log, key=lambda e: (e.round, e.stage))]
    for group in reversed(stage_groups):
        text = undo_edits(text, [e for e in group if e.op in UNDONE_OPS])
    return text


@dataclass(frozen=True, slots=True)
class StageResult:
    """What every stage returns: its output text and the edits that made it."""

    text: str
    edits: tuple[Edit, ...] = ()
