"""A datatrove pipeline step: clean each document's text, keep its edit log in its metadata.

Install with ``pip install cleaner[datatrove]``, then put the step between a
reader and a writer; it runs unchanged on the local, Slurm and Ray executors::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CleanerStep

    LocalPipelineExecutor(
        pipeline=[
            JsonlReader("crawl/"),
            CleanerStep(drop_captions=True),        # any CleanerConfig field, as a keyword
            JsonlWriter("clean/"),
        ],
        tasks=64,
        workers=8,
        logging_dir="logs/clean",
    ).run()

What the step does to a document:

- its text is cleaned: ``doc.text`` becomes the article, and ``doc.metadata``
  gets ``"cleaner_edits"``, the edit log as a list of ``Edit.to_dict()``
  dicts, so that ``cleaner.restore(doc.text, doc.metadata["cleaner_edits"])``
  is the text the step received (for an HTML page: the text extracted from
  it), and ``"cleaner"``, a small summary::

      {"removals": {"footers": 2, "fragments": 1},   # edits per stage, notes left out
       "chars_in": 5210, "chars_out": 4630,         # len() of the text before and after
       "format": "text"}                            # "html": the text was a page; then also
                                                    # "page": {title, author, date, url, sitename}

  A ``url`` in the metadata is passed to ``clean(url=...)`` (it helps with a
  page's metadata).
- its cleaning fails: it goes on, with the reason in
  ``metadata["cleaner_error"]``, counted as ``errors``; find the failures
  with a filter on that field. A string text is left as it was. Any other
  value (None, a number, binary data as bytes: what a faulty step before
  this one may leave) becomes ``""``, because every datatrove step and
  writer takes ``len(doc.text)`` and would end the task on it; the error
  says what the value was. A document is never lost by the step.
- its text is empty once clean (it was all boilerplate): it is dropped, as
  datatrove's extractors drop a page with no text and its filters drop what
  they reject, counted as ``dropped`` and ``dropped_empty``. Given an
  ``exclusion_writer``, the step writes it there first, edits included
  (``metadata["filter_reason"] = "empty_after_cleaning"``), so it can still
  be restored. ``drop_empty=False`` keeps it instead.

Stats (in the executor's ``stats.json``): ``total``, ``forwarded``,
``dropped``, ``dropped_empty``, ``errors``, ``cleaned`` (documents with at
least one removal), ``removals_<stage>`` (per stage, over the documents it
touched), ``chars_removed`` and the usual ``doc_len`` of what is forwarded.

The step holds only its options (a :class:`~cleaner.CleanerConfig`), so the
executors can pickle it; the :class:`~cleaner.Pipeline` and its compiled rules
are built in the worker, once per task, when the step starts to run. A bad
option fails when the step is created, a bad rule file when a task starts.

datatrove is imported with this module when it is installed; without it the
module still imports (for its documentation), and creating the step raises an
ImportError that says what to install.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from cleaner.config import CleanerConfig
from cleaner.edits import Edit
from cleaner.errors import CleanerError
from cleaner.pipeline import Pipeline, Result

INSTALL_HINT = "cleaner.integrations.datatrove needs datatrove: pip install cleaner[datatrove]"

try:
    from datatrove.pipeline.base import PipelineStep
    from datatrove.utils.typeshelper import StatHints

    _MISSING_DATATROVE: ImportError | None = None
except ImportError as exc:
    # The step must subclass PipelineStep, so without datatrove there is nothing to
    # subclass; a plain base keeps the module importable (doctests, docs) and
    # CleanerStep() raises the install hint instead.
    PipelineStep = object  # type: ignore[assignment,misc]
    _MISSING_DATATROVE = exc

if TYPE_CHECKING:
    from datatrove.data import Document, DocumentsPipeline
    from datatrove.pipeline.writers.disk_base import DiskWriter

#: Why a document dropped for being empty was dropped (datatrove's ``filter_reason``).
EMPTY_REASON = "empty_after_cleaning"


@dataclass(frozen=True)
class MetadataKeys:
    """Where the step writes in ``Document.metadata``; ``edits=None`` leaves the log out."""

    edits: str | None = "cleaner_edits"
    summary: str = "cleaner"
    error: str = "cleaner_error"


class CleanerStep(PipelineStep):  # type: ignore[misc,valid-type]
    """Clean ``Document.text`` with cleaner; see the module documentation for what happens.

    ``options`` are :class:`~cleaner.CleanerConfig` fields (``drop_captions=True``,
    ``patterns=("rules/",)``...), or pass a whole ``config``. ``keys`` names the
    metadata fields written; ``exclusion_writer`` receives the documents dropped
    for being empty, as it does for datatrove's filters.
    """

    name = "🧹 cleaner"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        config: CleanerConfig | None = None,
        *,
        keys: MetadataKeys = MetadataKeys(),
        drop_empty: bool = True,
        exclusion_writer: DiskWriter | None = None,
        **options: Any,
    ) -> None:
        if _MISSING_DATATROVE is not None:
            raise ImportError(INSTALL_HINT) from _MISSING_DATATROVE
        super().__init__()
        # Only the options are kept (validated here, in the driver): the pipeline is
        # built where the step runs, so the step pickles small and fast.
        self.config = dataclasses.replace(config or CleanerConfig(), **options)
        self.keys = keys
        self.drop_empty = drop_empty
        self.exclusion_writer = exclusion_writer

    @cached_property
    def pipeline(self) -> Pipeline:
        """This worker's pipeline, built on first use and never pickled."""
        return Pipeline(self.config)

    def __getstate__(self) -> dict[str, Any]:
        # A step may be pickled after it ran (datatrove deep-copies it per task on the
        # local executor): ship the options, not the compiled rules.
        state = self.__dict__.copy()
        state.pop("pipeline", None)
        return state

    def run(
        self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1
    ) -> DocumentsPipeline:
        if data is None:
            return
        pipeline = self.pipeline  # before the first document: a bad rule file fails the task
        writer = self.exclusion_writer
        with writer if writer is not None else contextlib.nullcontext() as excluded:
            for doc in data:
                self.stat_update(StatHints.total)
                with self.track_time():
                    keep = self._clean_document(pipeline, doc)
                if keep:
                    self.stat_update(StatHints.forwarded)
                    self.update_doc_stats(doc)
                    yield doc
                    continue
                self.stat_update(StatHints.dropped, "dropped_empty")
                if excluded is not None:
                    doc.metadata["filter_reason"] = EMPTY_REASON
                    excluded.write(doc, rank)

    def _clean_document(self, pipeline: Pipeline, doc: Document) -> bool:
        """Clean one document in place and count it; whether it goes on down the pipeline."""
        try:
            result = pipeline.clean(doc.text, url=_url_of(doc))
        except Exception as exc:  # noqa: BLE001 -- no document may end the task, whatever it raises
            self._record_failure(doc, exc)
            return True
        original_length = len(doc.text)
        doc.text = result.text
        if self.keys.edits:
            doc.metadata[self.keys.edits] = [edit.to_dict() for edit in result.edits]
        doc.metadata[self.keys.summary] = summarize(result, original_length)
        self._count(result, original_length)
        return bool(result.text) or not self.drop_empty

    def _record_failure(self, doc: Document, exc: Exception) -> None:
        doc.metadata[self.keys.error] = failure_reason(exc)
        if not isinstance(doc.text, str):
            # The next step's len(doc.text), or the writer's, would end the task;
            # the reason above says what the value was.
            doc.text = ""
        self.stat_update("errors")

    def _count(self, result: Result, original_length: int) -> None:
        removals = removals_by_stage(result.edits)
        if removals:
            self.stat_update("cleaned")
        for stage, count in removals.items():
            self.stat_update(f"removals_{stage}", value=count)
        self.stat_update("chars_removed", value=original_length - len(result.text))


def removals_by_stage(edits: tuple[Edit, ...] | list[Edit]) -> dict[str, int]:
    """How many edits each stage made, notes (which change nothing) left out.

    >>> removals_by_stage([Edit("footers", "footers.most_popular", "delete", 5, 18, "x"),
    ...                    Edit("decode", "decode.charset", "note", 0, 0, ""),
    ...                    Edit("footers", "footers.list_heading", "delete", 0, 3, "y")])
    {'footers': 2}
    """
    return dict(Counter(edit.stage for edit in edits if edit.op != "note"))


def summarize(result: Result, original_length: int) -> dict[str, Any]:
    """The per-document summary stored under ``metadata["cleaner"]``."""
    summary: dict[str, Any] = {
        "removals": removals_by_stage(result.edits),
        "chars_in": original_length,
        "chars_out": len(result.text),
        "format": result.format,
    }
    if result.format == "html":
        summary["page"] = dict(result.metadata)
    return summary


def failure_reason(exc: Exception) -> str:
    """One line for ``metadata["cleaner_error"]``: cleaner's own message, else the exception.

    >>> from cleaner.errors import InputError
    >>> failure_reason(InputError("expected text or bytes, got int"))
    'expected text or bytes, got int'
    >>> failure_reason(ValueError("boom"))
    'cleaning failed: ValueError: boom'
    """
    if isinstance(exc, CleanerError):
        return str(exc)
    return f"cleaning failed: {type(exc).__name__}: {exc}"


def _url_of(doc: Document) -> str | None:
    url = doc.metadata.get("url")
    return url if isinstance(url, str) else None
