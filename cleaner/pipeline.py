"""The pipeline: an explicit, ordered table of stages, and the result it returns.

>>> result = clean("Body of the article.\\n\\nAdvertisement\\n\\nMore of it.\\n")
>>> result.text
'Body of the article.\\n\\nMore of it.\\n'
>>> [(edit.stage, edit.rule) for edit in result.edits]
[('fragments', 'fragments.advertisement')]
>>> restore(result.text, result.edits) == "Body of the article.\\n\\nAdvertisement\\n\\nMore of it.\\n"
True
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Callable, Mapping

from cleaner.config import CleanerConfig
from cleaner.edits import Edit, StageResult, restore
from cleaner.errors import InputError
from cleaner.memo import Memo
from cleaner.rules import RuleSet, StageRules, load_rules
from cleaner.stages import (
    appeals, banners, captions, classify, decode, encoding, extract, footers, fragments,
)

#: A stage: (text, its rules or model, config) -> the new text and its edits.
Stage = Callable[[Any, Any, CleanerConfig], StageResult]

#: Passes over one document before giving up on reaching a fixed point
#: (the classifier's cascades on full pages need the most; see Pipeline.clean).
MAX_ROUNDS = 12

STAGES: dict[str, Stage] = {
    "decode": decode.apply,
    "extract": extract.apply,
    "encoding": encoding.apply,
    "captions": captions.apply,
    "banners": banners.apply,
    "appeals": appeals.apply,
    "footers": footers.apply,
    "fragments": fragments.apply,
    "classify": classify.apply,
}

#: Stages that run once, before the passes: decoding bytes, extracting a page's text.
ONCE = ("decode", "extract")
CHARSET_RULES = ("decode.charset", "decode.declared_charset")

#: Rule ids that are mechanisms in code rather than patterns in rule files.
MECHANISMS: dict[str, str] = {
    **decode.MECHANISMS, **extract.MECHANISMS, **encoding.MECHANISMS, **captions.MECHANISMS,
    **classify.MECHANISMS,
}


@dataclass(frozen=True)
class Result:
    """The clean text, every edit that made it, and what the input was.

    ``format`` is ``"html"`` when the input went through the extract stage;
    ``metadata`` then holds what trafilatura found on the page (title,
    author, date, url, sitename; None where nothing was found).
    """

    text: str
    edits: tuple[Edit, ...]
    encoding: str | None = None
    format: str = "text"
    metadata: Mapping[str, str | None] = field(default_factory=lambda: extract.EMPTY_METADATA)

    def restore(self) -> str:
        """The input text rebuilt from the clean text and the edits (for HTML: the extracted text)."""
        return restore(self.text, self.edits)


class Pipeline:
    """Rules compiled once, for many documents; immutable, so safe to share between threads."""

    def __init__(self, config: CleanerConfig | None = None, **options: Any) -> None:
        self.config = dataclasses.replace(config or CleanerConfig(), **options)
        self.rules: RuleSet = load_rules(self.config.patterns)
        self._stages = tuple(
            (name, STAGES[name], self._stage_data(name))
            for name in self.config.stages
            if name not in ONCE
        )
        self._decode_rules = self.rules.for_stage("decode")

    def _stage_data(self, name: str) -> Any:
        """What a stage works from: its compiled rules, or the classifier's model."""
        if name == "classify":
            return classify.load_model(self.config.patterns)
        return self.rules.for_stage(name)

    def clean(self, data: str | bytes, url: str | None = None) -> Result:
        """Run the stages over one document until they find nothing more to do.

        An HTML page (see ``CleanerConfig.input_format``) is first reduced to
        its article text by the extract stage; ``url`` helps trafilatura with
        its metadata and is reported in ``Result.metadata``.

        Removing lines can bring two copies of a caption within reach or move
        a footer heading into the tail, so the text stages run again on their
        own output (each pass's edits carry its ``round``) until a pass changes
        nothing: that makes cleaning idempotent. Most documents need one pass
        plus one that confirms. The classifier can cascade (a removed menu
        line makes its neighbour the edge of the text): on the dev sets full
        pages needed up to 11 passes with edits, most documents one or two.
        """
        if not isinstance(data, (str, bytes, bytearray)):
            raise InputError(f"expected text or bytes, got {type(data).__name__}")
        text, edits = data, []
        if "decode" in self.config.stages or not isinstance(data, str):  # bytes must be decoded
            decoded = decode.apply(data, self._decode_rules, self.config)
            text, edits = decoded.text, list(decoded.edits)
        fmt, metadata = "text", extract.EMPTY_METADATA
        if self.config.reads_as_html(text):
            extraction = extract.apply(text, None, self.config, url=url)
            text, fmt, metadata = extraction.text, "html", extraction.metadata
            edits.extend(extraction.edits)
        stages = self._for_document()
        new_edits: list[Edit] = []
        for round_no in range(1, MAX_ROUNDS + 1):
            skip = () if round_no == 1 or _encoding_may_change(new_edits) else ("encoding",)
            text, new_edits = _run_stages(stages, text, round_no, skip)
            edits.extend(new_edits)
            if not new_edits:
                break
        encoding = next((e.note for e in edits if e.rule in CHARSET_RULES), None)
        return Result(text, tuple(edits), encoding, fmt, metadata)

    def _for_document(self) -> list[BoundStage]:
        """The stages for one document: their data (rules, model) share a fresh memo."""
        memo: Memo = {}
        return [
            (name, stage, _with_memo(data, memo), self.config) for name, stage, data in self._stages
        ]


#: A stage ready to run on one document: name, function, its data, the config.
BoundStage = tuple[str, Stage, Any, CleanerConfig]


def _with_memo(data: Any, memo: Memo) -> Any:
    # StageRules and the classifier's Model carry a memo; other stage data has none
    return data.for_document(memo) if hasattr(data, "for_document") else data


def _run_stages(
    stages: list[BoundStage], text: str, round_no: int, skip: tuple[str, ...]
) -> tuple[str, list[Edit]]:
    edits: list[Edit] = []
    for name, stage, data, config in stages:
        if name in skip:
            continue
        result = stage(text, data, config)
        text = result.text
        edits.extend(replace(edit, round=round_no) for edit in result.edits)
    return text, edits


def _encoding_may_change(previous_pass: list[Edit]) -> bool:
    """Could the encoding stage change text that it already fixed in an earlier pass?

    ftfy fixes each line on its own, except that it stops unescaping HTML
    once it has seen a "<": deleting such a line can change later lines.
    And if the stage changed something last pass, it checks its own output.
    Otherwise a later pass would only run ftfy over the same lines again.
    """
    return any(edit.stage == "encoding" or "<" in edit.before for edit in previous_pass)


@lru_cache(maxsize=16)
def _pipeline_for(config: CleanerConfig) -> Pipeline:
    # A cache of immutable pipelines, so per-page calls do not recompile the rules.
    return Pipeline(config)


def clean(
    data: str | bytes, config: CleanerConfig | None = None, url: str | None = None, **options: Any
) -> Result:
    """Clean one document: ``clean(text).text`` is the article, ``.edits`` the log.

    ``data`` is article text or an HTML page (str or bytes); for a page,
    ``url`` is its address, reported in ``.metadata``. Options are the fields
    of :class:`CleanerConfig` (``drop_captions=True``, ``stages=(...)``,
    ``patterns=("my_rules/",)``, ``input_format="html"``...). For many
    documents with the same options this reuses one compiled :class:`Pipeline`.
    """
    config = dataclasses.replace(config or CleanerConfig(), **options)
    return _pipeline_for(config).clean(data, url=url)
