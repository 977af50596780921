"""Every option of a cleaning run, in one immutable value."""

from __future__ import annotations

from dataclasses import dataclass

from cleaner.errors import ConfigError
from cleaner.sniff import looks_like_html

#: Stages in the order they run. ``decode`` only does work on bytes (and a BOM),
#: ``extract`` only on HTML.
STAGE_NAMES = (
    "decode", "extract", "encoding", "captions", "banners", "appeals", "footers", "fragments", "classify",
)

#: What a document is taken to be: guessed from its start, or said by the caller.
INPUT_FORMATS = ("auto", "html", "text")


@dataclass(frozen=True)
class CleanerConfig:
    """Options of a cleaning run. Change one with ``dataclasses.replace``.

    stages
        The stages to run, a subset of :data:`STAGE_NAMES`; they always run in
        pipeline order whatever the order given here.
    normalize
        ``False`` (default): the encoding stage only repairs what is broken
        (mojibake, HTML entities, C1 and control characters) and leaves correct
        text byte for byte, curly quotes and CRLF included. ``True``: ftfy's
        full normalisation as well (NFC, straight quotes, ligatures, widths,
        line breaks).
    drop_captions
        ``False`` (default): only the repeated copy of a photo caption goes.
        ``True``: single captions recognised by their credit go as well.
    patterns
        Extra rule directories or files, read after the built-in rules; a rule
        with the same id replaces the built-in one.
    caption_window
        How many non-blank lines apart two copies of a caption may be.
    input_format
        ``"auto"`` (default): a document that starts like an HTML page is
        one, and goes through the extract stage; ``"html"`` or ``"text"``
        decide for every document.
    """

    stages: tuple[str, ...] = STAGE_NAMES
    normalize: bool = False
    drop_captions: bool = False
    patterns: tuple[str, ...] = ()
    caption_window: int = 3
    input_format: str = "auto"

    def __post_init__(self) -> None:
        if self.input_format not in INPUT_FORMATS:
            raise ConfigError(
                f"input_format must be one of {', '.join(INPUT_FORMATS)}, not {self.input_format!r}"
            )
        unknown = set(self.stages) - set(STAGE_NAMES)
        if unknown:
            raise ConfigError(
                f"unknown stage(s) {', '.join(sorted(unknown))}; "
                f"stages are {', '.join(STAGE_NAMES)}"
            )
        object.__setattr__(self, "stages", tuple(s for s in STAGE_NAMES if s in self.stages))
        object.__setattr__(self, "patterns", tuple(str(p) for p in self.patterns))

    def reads_as_html(self, data: str | bytes) -> bool:
        """Does a document go through the extract stage? (Decoding asks too, for the charset.)"""
        if "extract" not in self.stages or self.input_format == "text":
            return False
        return self.input_format == "html" or looks_like_html(data)
