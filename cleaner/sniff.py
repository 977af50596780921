"""Is the input an HTML page, and which charset does the page declare?

Both questions are answered from the first few kilobytes, the way a browser
does before it has parsed anything (WHATWG's "prescan"), simplified: a
``<meta charset>`` or ``http-equiv`` declaration, or an XML declaration.
"""

from __future__ import annotations

import codecs
import re

#: How far into a document the answers are looked for (browsers use 1024
#: bytes for the charset; pages with long heads put it later, so look further).
PRESCAN_BYTES = 4096

_FIRST_TAG = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|span|table|ul|ol"
    rb"|h[1-6]|br|a|script|style|link|main|header|nav|form|img)[\s>/]",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)""")

#: Labels browsers read as another encoding than Python's codec of that name
#: (the WHATWG Encoding Standard's table, for the labels pages actually use).
_WHATWG = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "l1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252",
    "iso-8859-9": "cp1254", "latin5": "cp1254", "iso-8859-11": "cp874", "tis-620": "cp874",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "ms_kanji": "cp932", "windows-31j": "cp932",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-kr": "cp949",
    # A page cannot declare UTF-16 in itself and be read as ASCII: browsers use UTF-8.
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8",
}


def looks_like_html(data: str | bytes) -> bool:
    """Does the document start like markup (after white space) and hold an HTML tag?

    Plain text that merely mentions a tag does not start with one.

    >>> looks_like_html("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
    True
    >>> looks_like_html("Use <p> for paragraphs.")
    False
    """
    head = data[:PRESCAN_BYTES]
    if isinstance(head, str):
        head = head.encode("utf-8", "replace")
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n\f")
    return head.startswith(b"<") and _FIRST_TAG.search(head) is not None


def declared_charset(data: bytes) -> str | None:
    """The Python codec of the charset the page declares, or None if none (or unknown).

    >>> declared_charset(b'<html><head><meta charset="Shift_JIS">')
    'cp932'
    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')
    'cp1252'
    """
    head = data[:PRESCAN_BYTES]
    found = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not found:
        return None
    label = found.group(1).decode("ascii").lower()
    try:
        return codecs.lookup(_WHATWG.get(label, label)).name
    except LookupError:
        return None
