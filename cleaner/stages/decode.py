"""decode: bytes to text, and the byte-order mark off the front.

UTF-8 is tried first and strictly; anything else is detected with
charset-normalizer (already a dependency of trafilatura). The encoding used is
recorded as a ``note`` edit so the log says how the bytes were read. Line
endings are never touched. A UTF-8 BOM is removed as an ordinary logged edit,
so restoring and re-encoding as UTF-8 gives back the input bytes exactly.
"""

from __future__ import annotations

import codecs

from cleaner.config import CleanerConfig
from cleaner.edits import Edit, StageResult
from cleaner.errors import InputError
from cleaner.rules import StageRules

STAGE = "decode"
MECHANISMS = {
    "decode.charset": "a note of the encoding the input bytes were decoded with",
    "decode.bom": "the byte-order mark at the start of the text",
}
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def apply(data: str | bytes, rules: StageRules, config: CleanerConfig) -> StageResult:
    """Decode bytes (logging the encoding) and drop a leading BOM (logged)."""
    edits: list[Edit] = []
    if isinstance(data, (bytes, bytearray)):
        data, encoding = decode_bytes(bytes(data))
        edits.append(Edit(STAGE, "decode.charset", "note", 0, 0, "", "", encoding))
    if data.startswith("\ufeff"):
        edits.append(Edit(STAGE, "decode.bom", "delete", 0, 1, "\ufeff"))
        data = data[1:]
    return StageResult(data, tuple(edits))


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding name)`` or raise :class:`InputError`.

    >>> decode_bytes("café".encode("cp1252"))[0]
    'café'
    """
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError("binary data (NUL bytes), not text; pass a text or HTML document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only paid for when UTF-8 fails

    best = from_bytes(data).best()
    if best is None:
        raise InputError("cannot tell the text encoding; convert the input to UTF-8 first")
    return str(best), best.encoding
