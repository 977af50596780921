"""decode: bytes to text, and the byte-order mark off the front.

UTF-8 is tried first and strictly: bytes that decode as UTF-8 with
non-ASCII characters in them are UTF-8 whatever a page declares (sites that
switched to UTF-8 and kept an old ``iso-8859-1`` declaration are common). An
HTML page that is not UTF-8 is read in the charset it declares
(``<meta charset>``) before any guessing; anything else is detected with
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
from cleaner.sniff import declared_charset

STAGE = "decode"
MECHANISMS = {
    "decode.charset": "a note of the encoding the input bytes were decoded with",
    "decode.declared_charset": "a note of the charset an HTML page declared, which its bytes were decoded with",
    "decode.bom": "the byte-order mark at the start of the text",
}
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: Share of non-ASCII bytes up to which text counts as "mostly ASCII" (Western
#: languages stay far below; CJK text is well above).
MOSTLY_ASCII = 0.3
#: The single-byte encodings web pages use (WHATWG's legacy list), as codecs names.
WEB_SINGLE_BYTE = {
    codecs.lookup(name).name
    for name in ("cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256",
                 "cp1257", "cp1258", "cp874", "cp866", "koi8_r", "koi8_u", "mac_roman",
                 "latin_1", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5", "iso8859_6",
                 "iso8859_7", "iso8859_8", "iso8859_10", "iso8859_13", "iso8859_14",
                 "iso8859_15", "iso8859_16")
}


def apply(data: str | bytes, rules: StageRules, config: CleanerConfig) -> StageResult:
    """Decode bytes (logging the encoding) and drop a leading BOM (logged)."""
    edits: list[Edit] = []
    if isinstance(data, (bytes, bytearray)):
        data = bytes(data)
        declared = declared_charset(data) if config.reads_as_html(data) else None
        data, encoding = decode_bytes(data, declared)
        rule = "decode.declared_charset" if encoding == declared else "decode.charset"
        edits.append(Edit(STAGE, rule, "note", 0, 0, "", "", encoding))
    if data.startswith("\ufeff"):
        edits.append(Edit(STAGE, "decode.bom", "delete", 0, 1, "\ufeff"))
        data = data[1:]
    return StageResult(data, tuple(edits))


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding name)`` or raise :class:`InputError`.

    ``declared`` is the encoding an HTML page says it is in; it is used when
    the bytes are not UTF-8 and decode with it (a page that declares one
    charset and is in another falls through to detection).

    >>> decode_bytes("naïve café".encode("cp1252"))[0]
    'naïve café'
    >>> decode_bytes("東京".encode("cp932"), declared="cp932")
    ('東京', 'cp932')
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
    if declared:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass
    return detect(data)


def detect(data: bytes) -> tuple[str, str]:
    """Guess a non-UTF-8 encoding with charset-normalizer, with one sanity check.

    Text that is mostly ASCII with a few high bytes is in one of the web's
    single-byte encodings: real Chinese, Japanese or Korean text is mostly
    high bytes. On short inputs charset-normalizer's ranking is close to
    arbitrary (EBCDIC, Urdu code pages), so for such text only the web's
    single-byte encodings are considered, in its order, then cp1252.

    >>> detect("Grüße aus Zürich, sagte die Bürgermeisterin.".encode("cp1252"))[0]
    'Grüße aus Zürich, sagte die Bürgermeisterin.'
    """
    from charset_normalizer import from_bytes  # only paid for when UTF-8 fails

    # UTF-16/32 without a BOM (handled above) would be full of NUL bytes.
    matches = [m for m in from_bytes(data) if not m.encoding.startswith(("utf_16", "utf_32"))]
    if sum(byte >= 0x80 for byte in data) <= MOSTLY_ASCII * len(data):
        matches = [m for m in matches if codecs.lookup(m.encoding).name in WEB_SINGLE_BYTE]
        # Ties are common on short text; the web's most used one wins them.
        matches.sort(key=lambda m: (m.chaos, -m.coherence, m.encoding != "cp1252"))
        if not matches:
            return _western(data)
    if not matches:
        raise InputError("cannot tell the text encoding; convert the input to UTF-8 first")
    return str(matches[0]), matches[0].encoding


def _western(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # five bytes are undefined in cp1252; latin-1 has them all
        return data.decode("latin-1"), "latin-1"
