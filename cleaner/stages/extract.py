"""extract: an HTML page's article text, with a log of every visible block left out.

trafilatura finds the article, asked for recall (``favor_recall``) because the
text stages after it remove debris more precisely than an extractor can.
jusText gives a second opinion, block by block, with its stop-word and
link-density classification:

- a line that trafilatura keeps only in its recall mode (its precision mode
  drops it) *and* that jusText calls boilerplate goes (``extract.second_opinion``).
  Neither opinion alone is trusted: trafilatura's precision mode loses real
  paragraphs on some sites, and jusText alone loses a fifth of the article on
  the dev set; where both agree they are almost always right (bench/RESULTS.md);
- every visible block of the page that did not reach the text is logged
  (``extract.dropped``) with jusText's verdict, so what never reached the text
  stages can be audited.

A first line that is the page's title goes as well (``extract.title``): an
article body does not include its headline, and the metadata carries it.

These edits have op ``drop`` for blocks (their offsets are where the block
would have stood in the extracted text; restore cannot bring back a page) and
op ``delete`` for the second opinion's lines and the title, which restore puts
back: for HTML input :func:`cleaner.restore` rebuilds trafilatura's text.

The stage's metadata (title, author, date, URL, site name) comes from the
same trafilatura run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Callable, Mapping

from cleaner.config import CleanerConfig
from cleaner.edits import Edit, StageResult, apply_edits
from cleaner.errors import InputError
from cleaner.layout import Line, removal_edits, split_lines
from cleaner.stoplists import load_stoplists

STAGE = "extract"
MECHANISMS = {
    "extract.dropped": "a visible text block of the page that is not in the article trafilatura extracted (op drop)",
    "extract.second_opinion": "a line trafilatura keeps only when favouring recall and jusText calls boilerplate",
    "extract.title": "the page's title as the first line of its text; it is in the metadata instead",
    "extract.empty": "a note that extraction found no article text in the page",
}
NOTES = {
    "extract.second_opinion": "left out by trafilatura's precision mode; jusText: boilerplate",
    "extract.title": "the page's title; see the metadata",
}
#: The metadata fields a result carries (trafilatura's names).
METADATA_FIELDS = ("title", "author", "date", "url", "sitename")
#: trafilatura's settings: recall first, comments are not the article, tables may be.
RECALL = {"favor_recall": True, "include_comments": False, "include_tables": True}
PRECISION = {"favor_precision": True, "include_comments": False, "include_tables": True}
#: The guessed language must hit its stop list this often for jusText's verdicts
#: to count (a page in a language without a list looks like all boilerplate).
MIN_LANGUAGE_RATE = 0.15

_WORD = re.compile(r"\w+")
EMPTY_METADATA: Mapping[str, str | None] = MappingProxyType(dict.fromkeys(METADATA_FIELDS))


@dataclass(frozen=True, slots=True)
class Extraction(StageResult):
    """The extract stage's result: also the page's metadata."""

    metadata: Mapping[str, str | None] = field(default_factory=lambda: EMPTY_METADATA)


@dataclass(frozen=True, slots=True)
class Block:
    """A visible text block of the page as jusText segments it, with its verdict."""

    text: str
    verdict: str  # jusText's final class, "good" or "bad"; "" when not classified

    @property
    def boilerplate(self) -> bool:
        return self.verdict == "bad"


def apply(html: str, rules: Any, config: CleanerConfig, url: str | None = None) -> Extraction:
    """Extract the article text of ``html``; log the blocks it leaves out."""
    recall_text, metadata = run_trafilatura(html, url, RECALL, with_metadata=True)
    blocks = page_blocks(html, _language(recall_text))
    lines = split_lines(recall_text)
    removals = second_opinion(
        lines, blocks, precise_text=lambda: run_trafilatura(html, url, PRECISION)[0]
    )
    removals.update(title_line(lines, metadata["title"], removals))
    if len(removals) == sum(1 for line in lines if not line.blank):
        removals = {}  # opinions that leave nothing of a page are not opinions about its debris
    edits = [
        replace(edit, note=NOTES[edit.rule])
        for edit in removal_edits(recall_text, lines, removals, STAGE)
    ]
    text = apply_edits(recall_text, edits)
    edits = dropped_block_edits(blocks, recall_text) + edits
    if not text.strip():
        edits.append(Edit(STAGE, "extract.empty", "note", 0, 0, "", "",
                          "no article text found in the page"))
    return Extraction(text, tuple(edits), metadata)


def run_trafilatura(
    html: str, url: str | None, settings: Mapping[str, bool], with_metadata: bool = False
) -> tuple[str, Mapping[str, str | None]]:
    """trafilatura's plain-text article (one paragraph per line) and its metadata."""
    import trafilatura  # imported on first HTML page: text-only users never pay for it

    try:
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=with_metadata, **settings
        )
    except Exception as exc:  # noqa: BLE001 -- a page trafilatura chokes on is bad input, not a crash
        raise InputError(f"cannot extract text from this HTML ({type(exc).__name__}: {exc})") from exc
    if document is None:
        return "", MappingProxyType({**EMPTY_METADATA, "url": url})
    found = {name: getattr(document, name, None) for name in METADATA_FIELDS}
    found["url"] = found["url"] or url
    return as_lines(document.text or ""), MappingProxyType(found)


def as_lines(text: str) -> str:
    """One paragraph per line, no blank or padded lines, a final newline: what the text stages expect.

    >>> as_lines("Title \\n\\n  First paragraph.\\nSecond.")
    'Title\\nFirst paragraph.\\nSecond.\\n'
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(lines) + "\n" if lines else ""


def _language(text: str) -> str | None:
    words = (match.group().lower() for match in _WORD.finditer(text))  # guess() reads ~400 of them
    language, rate = load_stoplists().guess(words)
    return language if rate >= MIN_LANGUAGE_RATE else None


def page_blocks(html: str, language: str | None) -> list[Block]:
    """The page's visible text blocks, classified by jusText when the language is known."""
    import justext
    from lxml.etree import LxmlError

    stoplist = load_stoplists().by_language[language] if language else frozenset()
    try:
        paragraphs = justext.justext(html, stoplist)
    except (LxmlError, ValueError):  # markup lxml cannot make a tree of at all
        return []
    verdict = (lambda p: p.class_type) if language else (lambda p: "")
    return [Block(p.text, verdict(p)) for p in paragraphs if p.text.strip()]


def _words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def _key(text: str) -> str:
    """Text reduced to its words, so that the two extractors' spacing does not matter."""
    return " " + " ".join(_words(text)) + " "


class WordIndex:
    """Where a block's words occur in a text: a whole line for a short block, anywhere for a long one.

    A block of a word or three ("News", "Share") is part of the text only if
    some line is exactly that block; a longer block's words in a row cannot
    turn up by chance, whatever the two extractors did to the line breaks.
    """

    LONG = 4  # words

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = list(_WORD.finditer(text))
        self.key_text = " " + " ".join(m.group().lower() for m in self.words) + " "
        self.line_keys = {_key(line.text) for line in split_lines(text)}

    def find(self, key: str, since: int = 0) -> int:
        """Offset of a block's ``_key`` in the key text (from ``since`` if it is there), or -1."""
        if not key.strip() or (key.count(" ") <= self.LONG and key not in self.line_keys):
            return -1
        found = self.key_text.find(key, since)
        return found if found >= 0 else self.key_text.find(key)

    def __contains__(self, key: str) -> bool:
        return self.find(key) >= 0

    def end_offset(self, key_offset: int, key: str) -> int:
        """The start of the line after the one where the key found at ``key_offset`` ends."""
        last_word = self.key_text.count(" ", 0, key_offset) + key.count(" ") - 2
        line_end = self.text.find("\n", self.words[last_word].end())
        return len(self.text) if line_end < 0 else line_end + 1


def second_opinion(
    lines: list[Line], blocks: list[Block], precise_text: Callable[[], str]
) -> dict[int, str]:
    """The lines of the recall text that both precision mode and jusText reject.

    ``precise_text`` runs trafilatura's precision mode; it is only called when
    jusText calls some line boilerplate (on most pages it calls none).
    """
    boilerplate = WordIndex("\n".join(b.text for b in blocks if b.boilerplate))
    content = WordIndex("\n".join(b.text for b in blocks if not b.boilerplate))
    keys = {line.index: _key(line.text) for line in lines}
    suspects = [index for index, key in keys.items() if key in boilerplate and key not in content]
    if not suspects:
        return {}
    precise = WordIndex(precise_text())
    if not precise.words:  # precision mode found nothing: no opinion, not "all of it is boilerplate"
        return {}
    return {index: "extract.second_opinion" for index in suspects if keys[index] not in precise}


def title_line(lines: list[Line], title: str | None, removals: dict[int, str]) -> dict[int, str]:
    """The first remaining line, if it is the page's title (which the metadata carries).

    The body of an article does not include its headline; a caller who wants
    it has ``metadata["title"]``, and restore puts it back.
    """
    first = next((line for line in lines if not line.blank and line.index not in removals), None)
    if first is None or not title or _key(first.text) != _key(title) or not _WORD.search(title):
        return {}
    return {first.index: "extract.title"}


def dropped_block_edits(blocks: list[Block], extracted: str) -> list[Edit]:
    """One ``drop`` edit per block that is not in the extracted text.

    The offsets mark where the block would have stood: just after the last
    block before it that did reach the text.
    """
    index = WordIndex(extracted)
    edits, since, position = [], 0, 0
    for block in blocks:
        key = _key(block.text)
        found = index.find(key, since)
        if found >= 0:
            if found >= since:  # in page order; a block out of order moves nothing
                position = index.end_offset(found, key)
                since = found
            continue
        verdict = f"; jusText: {'boilerplate' if block.boilerplate else 'content'}" if block.verdict else ""
        edits.append(Edit(STAGE, "extract.dropped", "drop", position, position, block.text,
                          note=f"not in trafilatura's article text{verdict}"))
    return edits
