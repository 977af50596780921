"""Peer HTML extractors over a folder of pages: the --batch-cmd of the html track.

    python bench/extractors.py NAME IN OUT
    python ../shared/score.py --track html \
        --batch-cmd "python bench/extractors.py justext {in} {out}"

Reads every ``<id>.html`` of folder IN and writes the article text the
extractor NAME finds in it to ``OUT/<id>.txt``, one paragraph (block) per line.
NAME is one of:

- ``trafilatura``: ``trafilatura.extract(html)``, its default settings;
- ``trafilatura-precision``: the same with ``favor_precision=True``;
- ``trafilatura-recall``: ``favor_recall=True, include_comments=False,
  include_tables=True``, the text cleaner's text stages start from (and the
  input of the recall track);
- ``justext``: jusText's default settings with the stop list of the page's
  language, guessed from the page's visible text by
  ``cleaner.stoplists.load_stoplists().guess`` (English when nothing matches);
  the paragraphs it does not call boilerplate. The guess reads the page from
  the top, menus first, and takes 11 English pages of aeb/l3s (of 238) for
  Finnish, whose Wikipedia-built list holds many English words ("your",
  "cup"); with the English list everywhere jusText scores a macro F1 of 0.711
  on aeb and 0.781 on l3s, against 0.742 and 0.775 with the guess;
- ``resiliparse``: ``extract_plain_text(tree, main_content=True)`` of
  resiliparse, the page decoded with its own ``detect_encoding``;
- ``readability``: readability-lxml, ``Document(html).summary()``, then the
  text of that HTML, one block element per line.

Each extractor gets the page's raw bytes and decodes them its own way, as a
user of that tool would: decoding is part of what is measured. resiliparse
and readability-lxml are not dependencies of cleaner: ``pip install
resiliparse readability-lxml`` (the "bench" extra).
Both installed from PyPI wheels and ran on every eval-dev page (resiliparse
2.0.1, readability-lxml 0.9); none of the requested extractors had to be left
out. An extractor that is not installed is reported by :func:`installed`, so
bench/quality.py can skip it.

A page an extractor raises on gets an empty text (it scores as nothing found
rather than stopping the run), and the number of such pages is printed on
stderr as ``NAME: K of N pages raised ...``, which bench/quality.py repeats
under its table.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Callable

from cleaner.stoplists import load_stoplists

#: The language whose stop list jusText gets when the page's words match none.
FALLBACK_LANGUAGE = "English"
_WORD = re.compile(r"\w+")


def _nonblank_lines(text: str) -> str:
    """One block per line, spaces collapsed, blank lines dropped: the same shape for every tool."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def trafilatura_default(html: bytes) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def trafilatura_precision(html: bytes) -> str:
    import trafilatura

    return trafilatura.extract(html, favor_precision=True) or ""


def trafilatura_recall(html: bytes) -> str:
    import trafilatura

    return trafilatura.extract(
        html, favor_recall=True, include_comments=False, include_tables=True
    ) or ""


def justext_paragraphs(html: bytes) -> str:
    """jusText's good paragraphs, with the stop list of the language the page is written in.

    This is ``justext.justext`` (the same steps, default settings) split in two
    so that the page is parsed once: its paragraphs are needed to guess the
    language before they can be classified with that language's stop list.
    """
    from justext import core

    page = core.preprocessor(core.html_to_dom(html))
    paragraphs = core.ParagraphMaker.make_paragraphs(page)
    visible_words = _WORD.findall(" ".join(p.text for p in paragraphs).lower())
    language = load_stoplists().guess(visible_words)[0] or FALLBACK_LANGUAGE
    stoplist = load_stoplists().by_language[language]
    core.classify_paragraphs(
        paragraphs, stoplist, core.LENGTH_LOW_DEFAULT, core.LENGTH_HIGH_DEFAULT,
        core.STOPWORDS_LOW_DEFAULT, core.STOPWORDS_HIGH_DEFAULT,
        core.MAX_LINK_DENSITY_DEFAULT, core.NO_HEADINGS_DEFAULT,
    )
    core.revise_paragraph_classification(paragraphs, core.MAX_HEADING_DISTANCE_DEFAULT)
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def resiliparse_main_content(html: bytes) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import detect_encoding
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse_from_bytes(html, detect_encoding(html))
    return _nonblank_lines(extract_plain_text(tree, main_content=True))


def readability_summary(html: bytes) -> str:
    from readability import Document

    return _block_text(Document(html).summary())


def _block_tags() -> frozenset[str]:
    """Elements that start a new line of text: lxml's block tags and HTML5's sectioning ones."""
    from lxml.html import defs

    html5 = {"article", "aside", "figcaption", "figure", "footer", "header", "main", "nav",
             "section", "summary", "details"}
    return frozenset(defs.block_tags | html5 | {"br"})


def _block_text(html: str) -> str:
    """The text of an HTML fragment, one block element per line (text_content() runs them together).

    The tree is read, not edited: lxml refuses to set a text that holds
    control characters, and some pages have them.
    """
    import lxml.html
    from lxml import etree

    block_tags = _block_tags()
    pieces: list[str] = []
    events = ("start", "end", "comment", "pi")
    for event, node in etree.iterwalk(lxml.html.fromstring(html), events=events):
        line_break = "\n" if node.tag in block_tags else ""
        if event == "start":
            pieces += [line_break, node.text or ""]
        elif event == "end":
            pieces += [line_break, node.tail or ""]
        else:  # a comment or processing instruction: not text, but the text after it is
            pieces.append(node.tail or "")
    return _nonblank_lines("".join(pieces))


#: name -> (module that must be importable, function from page bytes to text)
EXTRACTORS: dict[str, tuple[str, Callable[[bytes], str]]] = {
    "trafilatura": ("trafilatura", trafilatura_default),
    "trafilatura-precision": ("trafilatura", trafilatura_precision),
    "trafilatura-recall": ("trafilatura", trafilatura_recall),
    "justext": ("justext", justext_paragraphs),
    "resiliparse": ("resiliparse", resiliparse_main_content),
    "readability": ("readability", readability_summary),
}


def installed(name: str) -> bool:
    """Whether the library extractor ``name`` needs can be imported (without importing it)."""
    return importlib.util.find_spec(EXTRACTORS[name][0]) is not None


def extract_folder(name: str, source: Path, target: Path) -> tuple[int, int]:
    """Write OUT/<id>.txt for every page of ``source``; return (pages, pages that raised)."""
    extract = EXTRACTORS[name][1]
    target.mkdir(parents=True, exist_ok=True)
    pages = sorted(source.glob("*.html"))
    raised = 0
    for path in pages:
        try:
            text = extract(path.read_bytes())
        except Exception as error:  # any crash of a third-party tool: score the page as empty
            raised += 1
            print(f"{name}: {path.stem}: {type(error).__name__}: {error}"[:300], file=sys.stderr)
            text = ""
        (target / (path.stem + ".txt")).write_text(text, encoding="utf-8")
    return len(pages), raised


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in EXTRACTORS:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        print("NAME: " + ", ".join(EXTRACTORS), file=sys.stderr)
        return 2
    name, source, target = argv
    if not installed(name):
        print(f"{name}: {EXTRACTORS[name][0]} is not installed", file=sys.stderr)
        return 2
    pages, raised = extract_folder(name, Path(source), Path(target))
    print(f"{name}: {raised} of {pages} pages raised (their text is empty)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
