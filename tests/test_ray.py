"""Ray Data: CleanBatch in map_batches and clean_dataset, run on a local Ray cluster.

One cluster (2 CPUs) for the whole module: starting Ray takes seconds. Skipped
without Ray Data (``pip install cleaner[ray]``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")

# Ray warns about its own deprecated settings when it copies its DataContext.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray")

import numpy as np  # noqa: E402  (Ray Data's own dependencies)
import pandas as pd  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

import cleaner  # noqa: E402
from cleaner.errors import ConfigError  # noqa: E402
from cleaner.integrations.ray import CleanBatch, clean_dataset, edits_type  # noqa: E402
from conftest import CAPTION_CREDIT, DEBRIS, debris_article  # noqa: E402

#: Rows of bad values and why each one is not cleaned.
BAD = {
    "missing": (None, "no text (missing value)"),
    "number": (42, "text is int, not a string"),
}


def plain(number: int) -> str:
    """Text with nothing to remove: a batch of these has no edits at all."""
    return f"Plain note {number}: the committee will meet again in the spring to review it.\n"


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    started = not ray.is_initialized()
    if started:
        ray.init(
            num_cpus=2,
            include_dashboard=False,
            object_store_memory=200 * 1024 * 1024,
            log_to_driver=False,
        )
    context = ray.data.DataContext.get_current()
    progress_bars = context.enable_progress_bars
    context.enable_progress_bars = False
    yield
    context.enable_progress_bars = progress_bars
    if started:
        ray.shutdown()


def check_cleaned(row: dict[str, Any], original: str) -> None:
    """The row's text is the article cleaned, and its edits put the original back."""
    assert pd.isna(row["cleaner_error"])  # None; pd.NA where Ray keeps pandas blocks
    assert row["text"] == cleaner.clean(original).text
    assert not any(debris in row["text"] for debris in DEBRIS)
    assert row["text"].count(CAPTION_CREDIT) == 1
    assert cleaner.restore(row["text"], list(row["cleaner_edits"])) == original


# ---------------------------------------------------------------- on the cluster


def test_clean_dataset_with_two_actors(cluster: None) -> None:
    items: list[dict[str, Any]] = [
        {"id": i, "text": debris_article(i), "lang": "en"} for i in range(30)
    ]
    items[7]["text"], items[19]["text"] = None, 42
    ds = ray.data.from_items(items, override_num_blocks=6)
    rows = clean_dataset(ds, concurrency=2, batch_size=4).take_all()
    assert sorted(row["id"] for row in rows) == list(range(30))
    for row in rows:
        assert row["lang"] == "en"  # other columns pass through
        if row["id"] in (7, 19):
            assert row["text"] is None and list(row["cleaner_edits"]) == []
            assert row["cleaner_error"] in {reason for _, reason in BAD.values()}
        else:
            check_cleaned(row, items[row["id"]]["text"])


@pytest.mark.parametrize("batch_format", ["numpy", "pandas"])
def test_bad_values_get_an_error_not_a_crash(cluster: None, batch_format: str) -> None:
    items: list[dict[str, Any]] = [{"id": f"a{i}", "text": debris_article(i)} for i in range(6)]
    items[2:2] = [{"id": name, "text": value} for name, (value, _) in BAD.items()]
    ds = ray.data.from_items(items, override_num_blocks=3)
    cleaned = ds.map_batches(
        CleanBatch,
        batch_format=batch_format,
        batch_size=3,
        compute=ray.data.ActorPoolStrategy(size=2),
    )
    rows = {row["id"]: row for row in cleaned.take_all()}
    assert sorted(rows) == sorted(item["id"] for item in items)
    for name, (_, reason) in BAD.items():
        assert rows[name]["cleaner_error"] == reason
        assert rows[name]["text"] is None  # not a string: the column holds strings
        assert list(rows[name]["cleaner_edits"]) == []
    for item in items:
        if item["id"] not in BAD:
            check_cleaned(rows[item["id"]], item["text"])


def test_order_kept_when_ray_is_asked_to(cluster: None) -> None:
    context = ray.data.DataContext.get_current()
    preserve_order = context.execution_options.preserve_order
    context.execution_options.preserve_order = True
    try:
        items = [{"id": i, "text": debris_article(i)} for i in range(12)]
        ds = ray.data.from_items(items, override_num_blocks=4)
        rows = clean_dataset(ds, concurrency=2, batch_size=2).take_all()
    finally:
        context.execution_options.preserve_order = preserve_order
    assert [row["id"] for row in rows] == list(range(12))


def test_parquet_files_share_one_schema(cluster: None, tmp_path: Path) -> None:
    # Blocks with no edits (or no errors) must not get a column of type null.
    items = [{"id": i, "text": plain(i) if i < 8 else debris_article(i)} for i in range(16)]
    ds = ray.data.from_items(items, override_num_blocks=4)
    # one actor: with two, the write tasks wait for a CPU and the test takes twice as long
    clean_dataset(ds, concurrency=1, batch_size=4).write_parquet(str(tmp_path))
    tables = [pq.read_table(path) for path in tmp_path.glob("*.parquet")]
    edit_counts = [sum(map(len, table["cleaner_edits"].to_pylist())) for table in tables]
    assert 0 in edit_counts and max(edit_counts) > 0  # the case that matters is there
    schemas = {table.schema for table in tables}
    assert len(schemas) == 1, schemas
    (schema,) = schemas
    assert schema.field("cleaner_edits").type.value_type == edits_type().value_type
    assert str(schema.field("cleaner_error").type) == "string"
    rows = ray.data.read_parquet(str(tmp_path)).take_all()
    assert sorted(row["id"] for row in rows) == list(range(16))


# ---------------------------------------------------------------- without the cluster


def test_same_batch_format_back_other_columns_untouched() -> None:
    clean = CleanBatch(edits_column=None)
    frame = pd.DataFrame({"text": [debris_article(1), None], "score": [0.5, 0.7]})
    out = clean(frame)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["text", "score", "cleaner_error"]
    assert out["text"][0] == cleaner.clean(debris_article(1)).text
    assert out["cleaner_error"].isna().tolist() == [True, False]  # Arrow-typed: NA, not None
    assert out["cleaner_error"][1] == "no text (missing value)"
    assert frame["text"][0] == debris_article(1)  # the input batch is not modified

    bodies = np.array([debris_article(2), "Advertisement\n"], dtype=object)
    arrays = {"body": bodies, "n": np.arange(2)}
    out_arrays = CleanBatch(text_column="body")(arrays)
    assert isinstance(out_arrays, dict)
    assert out_arrays["body"].tolist() == [cleaner.clean(debris_article(2)).text, ""]
    assert out_arrays["n"].tolist() == [0, 1]
    assert [edit["rule"] for edit in out_arrays["cleaner_edits"][1]] == ["fragments.advertisement"]


def test_pyarrow_table_typed_columns() -> None:
    import pyarrow as pa

    table = pa.table({"text": pa.array([debris_article(4), None], pa.large_string()), "k": [1, 2]})
    out = CleanBatch()(table)
    assert isinstance(out, pa.Table)
    assert out.column_names == ["text", "k", "cleaner_error", "cleaner_edits"]
    assert out.schema.field("text").type == pa.large_string()
    assert out.schema.field("cleaner_edits").type == edits_type()
    rows = out.to_pylist()
    check_cleaned(rows[0], debris_article(4))
    assert rows[1] == {"text": None, "k": 2, "cleaner_error": "no text (missing value)",
                       "cleaner_edits": []}


def test_bytes_are_decoded_and_restorable() -> None:
    data = debris_article(3).encode("cp1252")
    out = CleanBatch()({"text": np.array([data], dtype=object)})
    assert out["cleaner_error"][0] is None
    assert cleaner.restore(out["text"][0], out["cleaner_edits"][0]) == debris_article(3)


def test_missing_column_and_bad_options_fail_early() -> None:
    with pytest.raises(KeyError, match="text_column"):
        CleanBatch()(pd.DataFrame({"body": ["x"]}))
    with pytest.raises(ConfigError):
        clean_dataset(ray.data.from_items([{"text": "x"}]), stages=("no-such-stage",))
