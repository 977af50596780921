"""Ray Data: clean a text column of a Dataset in a pool of actors, one pipeline per actor.

Install with ``pip install cleaner[ray]``, then::

    import ray
    from cleaner.integrations.ray import CleanBatch, clean_dataset

    ds = ray.data.read_json("crawl/")
    clean = clean_dataset(ds, concurrency=8, drop_captions=True)  # CleanerConfig fields as keywords
    clean.write_parquet("clean/")

    # or, spelled out (what clean_dataset does):
    clean = ds.map_batches(
        CleanBatch,
        fn_constructor_kwargs={"text_column": "text", "drop_captions": True},
        batch_format="pyarrow",
        batch_size=128,
        compute=ray.data.ActorPoolStrategy(size=8),
    )

Ray creates each actor's :class:`CleanBatch` once, and with it the
:class:`~cleaner.Pipeline` and its compiled rules; every batch the actor gets
is cleaned with that pipeline.

What a row gets:

- ``text`` (the text column): the clean text, for a row that could be cleaned;
- ``cleaner_edits``: the edit log, a list of ``Edit.to_dict()`` dicts, so that
  ``cleaner.restore(row["text"], row["cleaner_edits"])`` is the text the row
  held before (for an HTML page: the text extracted from it). Empty for a row
  that failed. ``edits_column=None`` leaves the column out;
- ``cleaner_error``: None, or why the row could not be cleaned (a missing
  value, a number, binary data). Such a row keeps its text if it was a string
  and gets None otherwise (a column holds one type in Arrow): a bad value
  never fails the batch, and no row is dropped or reordered within a batch.

A row whose text becomes empty keeps its (empty) text; drop it with
``ds.filter(...)`` if it is not wanted.

Batch formats: ``"pyarrow"`` (what :func:`clean_dataset` uses), ``"pandas"``
and ``"numpy"``/``"default"`` (a dict of arrays); a batch comes back in the
format it came in, its other columns untouched. The new columns have fixed
Arrow types (:func:`edits_type`, string) with pyarrow, and with pandas too
(``pd.ArrowDtype`` columns), so that every block, and every Parquet file
written from them, has one schema. With numpy they are object arrays whose
Arrow type Ray infers block by block (a block in which no row has an edit gets
``list<null>``). Ray versions that keep pandas batches as pandas blocks (2.44
does, 2.60 does not) show a missing error as ``pd.NA`` rather than None in rows.
The text column may hold str or bytes (bytes are decoded as cleaner decodes
any input).

Ray, pandas and pyarrow are imported when a CleanBatch is created or a
dataset is cleaned, not with this module, so that the module (and its
documentation) imports where Ray is not installed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

from cleaner.config import CleanerConfig
from cleaner.errors import CleanerError, InputError
from cleaner.pipeline import Pipeline

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    from ray.data import Dataset

    Batch = pa.Table | pd.DataFrame | Mapping[str, np.ndarray]

INSTALL_HINT = "cleaner.integrations.ray needs Ray Data: pip install cleaner[ray]"

#: Rows per call of CleanBatch in clean_dataset: enough to amortise the cost of a
#: call and of converting the batch, few enough that actors share the work evenly.
BATCH_SIZE = 128


@dataclass(frozen=True)
class CleanedColumn:
    """A batch's text column cleaned row by row: new values, edit logs, errors (None: fine)."""

    texts: list[Any]
    edits: list[list[dict[str, Any]]]
    errors: list[str | None]


class CleanBatch:
    """A callable class for ``Dataset.map_batches``: clean ``text_column`` of each batch.

    ``options`` are :class:`~cleaner.CleanerConfig` fields (``drop_captions=True``,
    ``patterns=("rules/",)``...). The pipeline is built here, so once per actor.
    Called on a pyarrow Table, a pandas DataFrame or a dict of numpy arrays, it
    returns the same kind of batch with the text cleaned and the edits and error
    columns set.
    """

    def __init__(
        self,
        text_column: str = "text",
        edits_column: str | None = "cleaner_edits",
        error_column: str = "cleaner_error",
        **options: Any,
    ) -> None:
        _require_ray_data()
        self.text_column = text_column
        self.edits_column = edits_column
        self.error_column = error_column
        self.pipeline = Pipeline(CleanerConfig(**options))

    def __call__(self, batch: Batch) -> Batch:
        import pandas as pd
        import pyarrow as pa

        if isinstance(batch, pa.Table):
            return self._clean_table(batch)
        if isinstance(batch, pd.DataFrame):
            return self._clean_frame(batch)
        if isinstance(batch, Mapping):
            return self._clean_arrays(batch)
        raise TypeError(
            "CleanBatch takes batch_format 'pyarrow', 'pandas' or 'numpy',"
            f" not a {type(batch).__name__}"
        )

    def _clean_table(self, table: pa.Table) -> pa.Table:
        import pyarrow as pa

        column = clean_column(self.pipeline, self._text_of(table).to_pylist())
        text_type = _string_type_like(table.schema.field(self.text_column).type)
        table = _with_column(table, self.text_column, pa.array(column.texts, text_type))
        table = _with_column(table, self.error_column, pa.array(column.errors, _error_type()))
        if self.edits_column:
            table = _with_column(table, self.edits_column, pa.array(column.edits, edits_type()))
        return table

    def _clean_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        import pandas as pd

        column = clean_column(self.pipeline, self._text_of(frame))
        # assign() builds a new frame: Ray's zero-copy batches may be read-only
        new_columns: dict[str, Any] = {
            self.text_column: pd.Series(column.texts, index=frame.index, dtype=object),
            self.error_column: _arrow_series(column.errors, _error_type(), frame.index),
        }
        if self.edits_column:
            new_columns[self.edits_column] = _arrow_series(column.edits, edits_type(), frame.index)
        return frame.assign(**new_columns)

    def _clean_arrays(self, arrays: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        column = clean_column(self.pipeline, self._text_of(arrays))
        cleaned = {
            **arrays,
            self.text_column: _object_array(column.texts),
            self.error_column: _object_array(column.errors),
        }
        if self.edits_column:
            cleaned[self.edits_column] = _object_array(column.edits)
        return cleaned

    def _text_of(self, batch: Batch) -> Any:
        names = list(batch.column_names if hasattr(batch, "column_names") else batch)
        if self.text_column not in names:
            raise KeyError(
                f"no column {self.text_column!r} to clean; the batch has {', '.join(names)}"
                " (set text_column=...)"
            )
        return batch[self.text_column]


def clean_dataset(
    ds: Dataset,
    *,
    text_column: str = "text",
    edits_column: str | None = "cleaner_edits",
    error_column: str = "cleaner_error",
    concurrency: int | tuple[int, int] | None = None,
    batch_size: int = BATCH_SIZE,
    **options: Any,
) -> Dataset:
    """``ds`` with ``text_column`` cleaned by a pool of :class:`CleanBatch` actors (lazily).

    ``concurrency`` is the number of actors, or ``(min, max)`` to autoscale
    between; None: from one up to as many as the cluster has room for.
    ``options`` are CleanerConfig fields, checked here, before any actor starts.
    """
    ray_data = _require_ray_data()
    CleanerConfig(**options)  # a bad option fails here, once, rather than in every actor
    return ds.map_batches(
        CleanBatch,
        fn_constructor_kwargs={
            "text_column": text_column,
            "edits_column": edits_column,
            "error_column": error_column,
            **options,
        },
        batch_format="pyarrow",  # Arrow blocks in and out: no conversion, and typed columns
        batch_size=batch_size,
        compute=_actor_pool(ray_data, concurrency),
    )


# ---------------------------------------------------------------- rows


def clean_column(pipeline: Pipeline, values: Iterable[Any]) -> CleanedColumn:
    """Clean each value; one that cannot be cleaned gets its reason, and keeps its text if any.

    A failed row's text stays as it was if it is a string, and is None
    otherwise: the column must hold one type for Arrow (an int in one batch and
    strings in the next cannot be put together).

    >>> column = clean_column(Pipeline(), ["Body.\\n\\nAdvertisement\\n", None, 7])
    >>> column.texts, column.errors
    (['Body.\\n', None, None], [None, 'no text (missing value)', 'text is int, not a string'])
    >>> [edit["rule"] for edit in column.edits[0]], column.edits[1:]
    (['fragments.advertisement'], [[], []])
    """
    texts: list[Any] = []
    edits: list[list[dict[str, Any]]] = []
    errors: list[str | None] = []
    for value in values:
        try:
            result = pipeline.clean(_checked_text(value))
        except Exception as exc:  # noqa: BLE001 -- no row may fail its batch, whatever it raises
            texts.append(value if isinstance(value, str) else None)
            edits.append([])
            errors.append(failure_reason(exc))
            continue
        texts.append(result.text)
        edits.append([edit.to_dict() for edit in result.edits])
        errors.append(None)
    return CleanedColumn(texts, edits, errors)


def _checked_text(value: Any) -> str | bytes:
    """The value as cleaner takes it, or an InputError that becomes the row's error."""
    if isinstance(value, str):
        return str(value)  # numpy.str_ is a str; make it a plain one
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if _is_missing(value):
        raise InputError("no text (missing value)")
    raise InputError(f"text is {type(value).__name__}, not a string")


def _is_missing(value: Any) -> bool:
    # None; NaN, how pandas shows a missing string in an object column; pd.NA and
    # NaT, recognised by name so that no row has to import pandas
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def failure_reason(exc: Exception) -> str:
    """One line for the error column: cleaner's own message, else the exception."""
    if isinstance(exc, CleanerError):
        return str(exc)
    return f"cleaning failed: {type(exc).__name__}: {exc}"


# ---------------------------------------------------------------- columns


def edits_type() -> pa.DataType:
    """The Arrow type of the edits column: a list of :class:`~cleaner.Edit` as structs."""
    import pyarrow as pa

    return pa.list_(
        pa.struct(
            [
                ("stage", pa.string()),
                ("rule", pa.string()),
                ("op", pa.string()),
                ("start", pa.int64()),
                ("end", pa.int64()),
                ("before", pa.string()),
                ("after", pa.string()),
                ("note", pa.string()),
                ("round", pa.int64()),
            ]
        )
    )


def _error_type() -> pa.DataType:
    import pyarrow as pa

    return pa.string()


def _string_type_like(original: pa.DataType) -> pa.DataType:
    """The clean text's Arrow type: large_string stays so (it may hold over 2 GB), else string."""
    import pyarrow as pa

    return original if pa.types.is_large_string(original) else pa.string()


def _with_column(table: pa.Table, name: str, values: pa.Array) -> pa.Table:
    if name in table.column_names:
        return table.set_column(table.column_names.index(name), name, values)
    return table.append_column(name, values)


def _arrow_series(values: list[Any], arrow_type: pa.DataType, index: pd.Index) -> pd.Series:
    # Typed explicitly: inferred from a batch with no edits (or no errors) the
    # column would be list<null> (null), and blocks would disagree on the schema.
    import pandas as pd
    import pyarrow as pa

    return pd.Series(pd.arrays.ArrowExtensionArray(pa.array(values, arrow_type)), index=index)


def _object_array(values: list[Any]) -> np.ndarray:
    # np.array(values) would turn a list of lists into a 2-D array, or fail on ragged ones
    import numpy as np

    array = np.empty(len(values), dtype=object)
    for position, value in enumerate(values):
        array[position] = value
    return array


def _actor_pool(ray_data: Any, concurrency: int | tuple[int, int] | None) -> Any:
    if concurrency is None:
        # From one actor up to what the cluster holds: newer Ray's default for a
        # callable class, spelled out because older versions (2.44) have no default.
        return ray_data.ActorPoolStrategy()
    if isinstance(concurrency, int):
        return ray_data.ActorPoolStrategy(size=concurrency)
    low, high = concurrency
    return ray_data.ActorPoolStrategy(min_size=low, max_size=high)


def _require_ray_data() -> Any:
    """The ``ray.data`` module, or an ImportError that says what to install."""
    try:
        import pandas  # noqa: F401 -- batches and their Arrow-typed columns
        import pyarrow  # noqa: F401
        import ray.data
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    return ray.data
