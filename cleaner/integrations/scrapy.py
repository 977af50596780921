"""A Scrapy item pipeline: clean the page an item carries, store its article text and edit log.

Install with ``pip install cleaner[scrapy]``, then in the project's ``settings.py``::

    ITEM_PIPELINES = {"cleaner.integrations.scrapy.CleanerPipeline": 300}

    # All optional; these are the defaults.
    CLEANER_SOURCE_FIELD = None                  # None: "html" if the item has it, else "body"
    CLEANER_TEXT_FIELD = "text"                  # where the clean text goes
    CLEANER_EDITS_FIELD = "cleaner_edits"        # the edits as dicts; None or "": not stored
    CLEANER_METADATA_FIELD = "cleaner_metadata"  # title, author, date...; None or "": not stored
    CLEANER_URL_FIELD = "url"                    # the page's address, passed to clean(url=...)
    CLEANER_KEEP_SOURCE = True                   # False: remove the page once it is cleaned
    CLEANER_OPTIONS = {}                         # CleanerConfig fields: {"drop_captions": True}
    CLEANER_PATTERNS = []                        # extra rule files or directories

A spider yields the page with its address::

    def parse(self, response):
        yield {"url": response.url, "html": response.text}

``response.text`` is the page as Scrapy decoded it (the HTTP header's charset
first); ``response.body`` (bytes, in a ``body`` field) lets cleaner find the
charset in the page itself, and logs the one it used as a ``decode`` edit.

What happens to an item:

- it has a source field whose value is not None: the value (str or bytes) is
  cleaned; the text, the edits (``Edit.to_dict()`` each) and the metadata are
  stored in their fields;
- it has none: it passes through unchanged. Every item of every spider goes
  through the pipeline, and one that carries no page (an index entry, a
  product) is not the cleaner's to drop. The first such item is logged as a
  warning, each one is counted in the stats;
- cleaning raises a :class:`cleaner.CleanerError` (binary data, bytes in no
  known encoding): the item is dropped with ``DropItem`` and a one-line
  reason. An item whose page cannot be read has no text to store, and a
  half-cleaned item in the output is worse than none. Scrapy logs the reason
  (then the item, as for any dropped item) without a traceback, and counts it
  in ``item_dropped_count``;
- the item's class cannot hold an output field (a ``scrapy.Item`` or
  dataclass without a ``text`` field): :class:`cleaner.ConfigError`, which
  Scrapy logs as an error with its traceback: a mistake in the project to fix,
  not a page to skip.

Stats: ``cleaner/items_cleaned``, ``cleaner/items_dropped``,
``cleaner/items_without_source``, ``cleaner/edits``.

Cleaning runs in the reactor's thread, where Scrapy calls ``process_item``:
the crawl waits while a page is cleaned (some tens of milliseconds for an
article page), which matters only where cleaning, not downloading, is the
bottleneck.

Scrapy is imported when the pipeline is created, not with this module, so
that the module (and its documentation) imports where Scrapy is not installed.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cleaner.config import CleanerConfig
from cleaner.errors import CleanerError, ConfigError
from cleaner.pipeline import Pipeline, Result

if TYPE_CHECKING:
    from itemadapter import ItemAdapter
    from scrapy.crawler import Crawler
    from scrapy.exceptions import DropItem
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

INSTALL_HINT = "cleaner.integrations.scrapy needs Scrapy: pip install cleaner[scrapy]"
#: Where the page is looked for when CLEANER_SOURCE_FIELD is not set: the page
#: as text first, then the raw response body.
DEFAULT_SOURCE_FIELDS = ("html", "body")
STATS_PREFIX = "cleaner/"
CONFIG_FIELDS = frozenset(f.name for f in dataclasses.fields(CleanerConfig))

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ItemFields:
    """Which item fields the pipeline reads and writes; ``None`` fields are not used.

    ``source`` None means the first of :data:`DEFAULT_SOURCE_FIELDS` that the
    item has. ``keep_source`` False removes the source field once cleaned
    (from a dict or ``scrapy.Item``; other item classes have it set to None).
    """

    source: str | None = None
    text: str = "text"
    edits: str | None = "cleaner_edits"
    metadata: str | None = "cleaner_metadata"
    url: str | None = "url"
    keep_source: bool = True

    def source_candidates(self) -> tuple[str, ...]:
        return (self.source,) if self.source else DEFAULT_SOURCE_FIELDS


# ---------------------------------------------------------------- settings


def fields_from_settings(settings: BaseSettings) -> ItemFields:
    """The CLEANER_*_FIELD settings; an empty value (``-s CLEANER_EDITS_FIELD=``) is None."""
    text = settings.get("CLEANER_TEXT_FIELD", ItemFields.text)
    if not text:  # the clean text is the point of the pipeline: it must go somewhere
        raise ConfigError("CLEANER_TEXT_FIELD must name the item field for the clean text")
    return ItemFields(
        source=_field_name(settings, "CLEANER_SOURCE_FIELD", ItemFields.source),
        text=str(text),
        edits=_field_name(settings, "CLEANER_EDITS_FIELD", ItemFields.edits),
        metadata=_field_name(settings, "CLEANER_METADATA_FIELD", ItemFields.metadata),
        url=_field_name(settings, "CLEANER_URL_FIELD", ItemFields.url),
        keep_source=settings.getbool("CLEANER_KEEP_SOURCE", ItemFields.keep_source),
    )


def _field_name(settings: BaseSettings, name: str, default: str | None) -> str | None:
    value = settings.get(name, default)
    return str(value) if value else None


def config_from_settings(settings: BaseSettings) -> CleanerConfig:
    """CLEANER_OPTIONS (a dict, or JSON from ``-s``) and CLEANER_PATTERNS as one config.

    CLEANER_PATTERNS is added after any ``patterns`` in CLEANER_OPTIONS, so its
    rules win where both define the same rule id.
    """
    options = dict(settings.getdict("CLEANER_OPTIONS"))
    unknown = sorted(set(options) - CONFIG_FIELDS)
    if unknown:
        raise ConfigError(
            f"CLEANER_OPTIONS: unknown option(s) {', '.join(unknown)}; "
            f"options are {', '.join(sorted(CONFIG_FIELDS))}"
        )
    for name in ("stages", "patterns"):
        if name in options:
            options[name] = _as_tuple(options[name])
    patterns = (*options.pop("patterns", ()), *settings.getlist("CLEANER_PATTERNS"))
    return CleanerConfig(**options, patterns=patterns)


def _as_tuple(value: Any) -> tuple[Any, ...]:
    # One name given as a string is one name, not a tuple of its letters.
    return (value,) if isinstance(value, str) else tuple(value)


# ---------------------------------------------------------------- items


def find_source(adapter: ItemAdapter, fields: ItemFields) -> tuple[str, Any] | None:
    """The name and value of the item's first source field that holds something."""
    for name in fields.source_candidates():
        value = adapter.get(name)
        if value is not None:
            return name, value
    return None


def item_url(adapter: ItemAdapter, fields: ItemFields) -> str | None:
    value = adapter.get(fields.url) if fields.url else None
    return str(value) if value else None


def store_result(adapter: ItemAdapter, result: Result, fields: ItemFields, source: str) -> None:
    """Write the clean text, edits and metadata to the item; drop the source if asked."""
    outputs = (
        ("CLEANER_TEXT_FIELD", "the clean text", fields.text, result.text),
        ("CLEANER_EDITS_FIELD", "the edits", fields.edits, [e.to_dict() for e in result.edits]),
        ("CLEANER_METADATA_FIELD", "the metadata", fields.metadata, dict(result.metadata)),
    )
    for setting, what, name, value in outputs:
        if name:
            _set_field(adapter, name, value, f"{what}: declare it, or name another with {setting}")
    written = {name for _, _, name, _ in outputs}
    if not fields.keep_source and source not in written:  # cleaning in place keeps its result
        remove_field(adapter, source)


def _set_field(adapter: ItemAdapter, name: str, value: Any, hint: str) -> None:
    try:
        adapter[name] = value
    except KeyError as exc:  # a scrapy.Item or dataclass without this field
        item_class = type(adapter.item).__name__
        raise ConfigError(f"{item_class} has no field {name!r} for {hint}") from exc


def remove_field(adapter: ItemAdapter, name: str) -> None:
    """Delete a field from a dict or ``scrapy.Item``; set it to None on other items.

    A dataclass or attrs item keeps its declared attributes: deleting one
    would break its export.
    """
    if isinstance(adapter.item, MutableMapping):
        adapter.pop(name, None)
    else:
        adapter[name] = None


def one_line(message: str) -> str:
    """A message fit for a one-line log entry.

    >>> one_line("cannot tell\\n  the encoding ")
    'cannot tell the encoding'
    """
    return " ".join(message.split())


# ---------------------------------------------------------------- the pipeline


def _import_scrapy() -> tuple[type[ItemAdapter], type[DropItem]]:
    """What the pipeline needs from Scrapy, imported on first use (see the module's docstring)."""
    try:
        from itemadapter import ItemAdapter
        from scrapy.exceptions import DropItem
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    return ItemAdapter, DropItem


class CleanerPipeline:
    """Clean each item's page with one :class:`cleaner.Pipeline`, built once per crawler.

    Scrapy creates it with :meth:`from_crawler` from the CLEANER_* settings;
    tests and scripts can pass a config and fields directly.
    """

    def __init__(
        self,
        config: CleanerConfig | None = None,
        fields: ItemFields | None = None,
        stats: StatsCollector | None = None,
    ) -> None:
        self._item_adapter, self._drop_item = _import_scrapy()
        self.pipeline = Pipeline(config)
        self.fields = fields or ItemFields()
        self.stats = stats
        self._warned_without_source = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanerPipeline:
        settings = crawler.settings
        return cls(config_from_settings(settings), fields_from_settings(settings), crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        """Clean the item's page in place and return the item, or raise DropItem.

        ``spider`` is accepted for Scrapy before 2.13, which always passes it;
        later versions pass it only to methods that require it.
        """
        adapter = self._item_adapter(item)
        source = find_source(adapter, self.fields)
        if source is None:
            self._pass_through(item)
            return item
        field_name, page = source
        url = item_url(adapter, self.fields)
        try:
            result = self.pipeline.clean(page, url=url)
        except CleanerError as exc:
            self._count("items_dropped")
            where = url or f"the {field_name!r} field of a {type(item).__name__}"
            raise self._drop_item(f"cleaner cannot clean {where}: {one_line(str(exc))}") from exc
        store_result(adapter, result, self.fields, field_name)
        self._count("items_cleaned")
        self._count("edits", len(result.edits))
        return item

    def _pass_through(self, item: Any) -> None:
        self._count("items_without_source")
        if self._warned_without_source:
            return
        # Once per crawl: a spider that yields many such items would flood the log.
        self._warned_without_source = True
        logger.warning(
            "cleaner: a %s has no %s field; items without one pass through uncleaned "
            "(counted in the stats as %sitems_without_source)",
            type(item).__name__, " or ".join(map(repr, self.fields.source_candidates())),
            STATS_PREFIX,
        )

    def _count(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(STATS_PREFIX + key, count)
