"""Stop words of 100 languages (jusText's lists) and a guess of a text's language.

The classify stage needs the share of a line's words that are function words
("the", "und", "que"): prose has many, menus and headlines few. jusText ships
stop lists for 100 languages; they are read from its installed package
directory without importing jusText itself (which would pull in lxml).

A document's language is the list its words hit most often. One index maps
each word to the languages whose list has it, so guessing costs one lookup per
word, not one per word and language.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from itertools import islice
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Iterable, Mapping

from cleaner.errors import ConfigError

#: Words of a text used to guess its language; more change nothing but the cost.
SAMPLE_WORDS = 400


@dataclass(frozen=True)
class Stoplists:
    """Every language's stop words, and the index from a word to its languages."""

    by_language: Mapping[str, frozenset[str]]
    languages_of: Mapping[str, tuple[str, ...]]

    def guess(self, words: Iterable[str]) -> tuple[str | None, float]:
        """The language whose stop words ``words`` (lowercase) hit most, and the hit rate.

        >>> lists = load_stoplists()
        >>> lists.guess("the cat sat on the mat and then it slept".split())[0]
        'English'
        >>> lists.guess([])
        (None, 0.0)
        """
        sample = Counter(islice(words, SAMPLE_WORDS))
        total = sum(sample.values())
        hits: Counter[str] = Counter()
        for word, count in sample.items():  # each distinct word once: "the" may be 30 of 400
            for language in self.languages_of.get(word, ()):
                hits[language] += count
        if not hits:
            return None, 0.0
        # Some lists (built from Wikipedia) hold common English words, so a
        # short English text ties with several of them: ties go to the most
        # widespread language on the web.
        language = max(hits, key=lambda lang: (hits[lang], -_tie_rank(lang)))
        return language, hits[language] / total


#: Web languages by their share of pages, for breaking ties.
WIDESPREAD = (
    "English", "Russian", "German", "Spanish", "French", "Japanese", "Portuguese",
    "Italian", "Turkish", "Dutch", "Polish", "Persian", "Vietnamese", "Indonesian",
    "Czech", "Korean", "Ukrainian", "Arabic", "Swedish", "Greek", "Hungarian",
)


def _tie_rank(language: str) -> int:
    return WIDESPREAD.index(language) if language in WIDESPREAD else len(WIDESPREAD)


def stoplists_dir() -> Path:
    spec = importlib.util.find_spec("justext")
    if spec is None or spec.origin is None:
        raise ConfigError("the classify stage needs jusText's stop lists: pip install justext")
    return Path(spec.origin).parent / "stoplists"


@lru_cache(maxsize=1)
def load_stoplists() -> Stoplists:
    """Read all lists once per process; the result is immutable and shared."""
    by_language: dict[str, frozenset[str]] = {}
    for path in sorted(stoplists_dir().glob("*.txt")):
        words = path.read_text(encoding="utf-8").split()
        by_language[path.stem] = frozenset(word.lower() for word in words)
    languages_of: dict[str, list[str]] = {}
    for language, words in by_language.items():
        for word in words:
            languages_of.setdefault(word, []).append(language)
    return Stoplists(
        MappingProxyType(by_language),
        MappingProxyType({word: tuple(langs) for word, langs in languages_of.items()}),
    )
