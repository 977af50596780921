"""The datatrove step, run for real: JsonlReader -> CleanerStep -> JsonlWriter on datatrove's
local executor (3 tasks, 2 worker processes) and on its Ray executor (a local Ray cluster).

Skipped without datatrove (``pip install cleaner[datatrove]``); the Ray test also needs Ray.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("datatrove")
pytest.importorskip("orjson", reason="datatrove's JsonlReader and JsonlWriter need orjson")

from datatrove.data import Document  # noqa: E402
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

import cleaner  # noqa: E402
from cleaner.errors import ConfigError  # noqa: E402
from cleaner.integrations.datatrove import EMPTY_REASON, CleanerStep, MetadataKeys  # noqa: E402
from conftest import CAPTION_CREDIT, DEBRIS, debris_article  # noqa: E402

FILES = 4  # more files than tasks: JsonlReader shards by file, and every task gets one
ARTICLES_PER_FILE = 5
BAD_ID = "no-text"  # an upstream step leaves it without text: kept, with the reason
EMPTY_ID = "all-debris"  # nothing but boilerplate: dropped, into the exclusion writer


def write_corpus(folder: Path) -> dict[str, Any]:
    """JSONL files of articles, plus one bad and one all-debris record; their texts by id."""
    folder.mkdir()
    records: list[list[dict[str, Any]]] = [
        [
            {"id": f"doc-{f}-{i}", "text": debris_article(f * ARTICLES_PER_FILE + i),
             "source": "test"}
            for i in range(ARTICLES_PER_FILE)
        ]
        for f in range(FILES)
    ]
    records[0].append({"id": BAD_ID, "text": "Replaced by None before the cleaner sees it.\n"})
    records[2].append({"id": EMPTY_ID, "text": "Advertisement\n\nMost Popular\n"})
    for number, file_records in enumerate(records):
        with open(folder / f"part-{number}.jsonl", "w", encoding="utf-8") as stream:
            stream.writelines(json.dumps(record) + "\n" for record in file_records)
    return {record["id"]: record["text"] for part in records for record in part}


def read_folder(folder: Path) -> list[dict[str, Any]]:
    documents = []
    for path in sorted(folder.glob("*.jsonl")):
        with open(path, encoding="utf-8") as stream:
            documents.extend(json.loads(line) for line in stream)
    return documents


def cleaner_stats(logging_dir: Path) -> dict[str, int]:
    """The step's counters from the executor's merged stats.json, as plain totals."""
    steps = json.loads((logging_dir / "stats.json").read_text(encoding="utf-8"))
    (step,) = [step for step in steps if "cleaner" in step["name"]]
    return {
        name: value["total"] if isinstance(value, dict) else value
        for name, value in step["stats"].items()
    }


def lose_text_of(doc_id: str) -> Callable[..., Iterator[Document]]:
    """A pipeline step (datatrove takes plain functions) that leaves one document without text.

    JsonlReader skips a record without text and fails on a number, so this is
    how a bad document reaches the cleaner: from a step before it. Nested, so
    that it pickles by value into the executors' workers.
    """

    def step(data: Iterator[Document], rank: int = 0, world_size: int = 1) -> Iterator[Document]:
        for doc in data:
            if doc.id == doc_id:
                doc.text = None  # type: ignore[assignment]
            yield doc

    return step


def pipeline_steps(tmp_path: Path) -> list[Any]:
    return [
        JsonlReader(str(tmp_path / "in"), compression=None),
        lose_text_of(BAD_ID),
        CleanerStep(exclusion_writer=JsonlWriter(str(tmp_path / "excluded"), compression=None)),
        JsonlWriter(str(tmp_path / "out"), compression=None),
    ]


def check_outputs(tmp_path: Path, originals: dict[str, Any]) -> None:
    """Every document out is cleaned and restorable; none is lost; the stats add up."""
    reference = cleaner.Pipeline()
    written = read_folder(tmp_path / "out")
    excluded = read_folder(tmp_path / "excluded")

    ids = [doc["id"] for doc in written + excluded]
    assert sorted(ids) == sorted(originals), "documents in = documents out + excluded"
    assert [doc["id"] for doc in excluded] == [EMPTY_ID]

    for doc in written:
        metadata = doc["metadata"]
        if doc["id"] == BAD_ID:
            assert "text" not in doc  # None became "", which JsonlWriter leaves out
            assert metadata["cleaner_error"] == "expected text or bytes, got NoneType"
            assert "cleaner_edits" not in metadata
            continue
        original = originals[doc["id"]]
        assert "cleaner_error" not in metadata
        assert doc["text"] == reference.clean(original).text
        assert not any(debris in doc["text"] for debris in DEBRIS)
        assert doc["text"].count(CAPTION_CREDIT) == 1  # the repeated caption went
        assert cleaner.restore(doc["text"], metadata["cleaner_edits"]) == original
        summary = metadata["cleaner"]
        assert summary["chars_in"] == len(original)
        assert summary["chars_out"] == len(doc["text"])
        assert summary["format"] == "text"
        assert {"captions", "banners", "footers", "fragments"} <= set(summary["removals"])
        assert metadata["source"] == "test"  # the record's other fields are kept

    (empty,) = excluded
    assert "text" not in empty  # "", which JsonlWriter leaves out
    assert empty["metadata"]["filter_reason"] == EMPTY_REASON
    assert cleaner.restore("", empty["metadata"]["cleaner_edits"]) == originals[EMPTY_ID]

    stats = cleaner_stats(tmp_path / "logs")
    assert stats["total"] == len(originals)
    assert stats["forwarded"] == len(written) == len(originals) - 1
    assert stats["dropped"] == stats["dropped_empty"] == 1
    assert stats["errors"] == 1
    assert stats["cleaned"] == len(originals) - 1  # every document but the bad one
    assert stats["removals_fragments"] == len(originals) - 1


# ---------------------------------------------------------------- executors


def test_local_executor_three_tasks_two_workers(tmp_path: Path) -> None:
    originals = write_corpus(tmp_path / "in")
    LocalPipelineExecutor(
        pipeline_steps(tmp_path), tasks=3, workers=2, logging_dir=str(tmp_path / "logs")
    ).run()
    check_outputs(tmp_path, originals)


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    """A small local Ray cluster for this module, shut down after it (unless it was running)."""
    ray = pytest.importorskip("ray")
    started = not ray.is_initialized()
    if started:
        ray.init(
            num_cpus=2,
            include_dashboard=False,
            object_store_memory=200 * 1024 * 1024,
            log_to_driver=False,
        )
    yield
    if started:
        ray.shutdown()


# datatrove's Ray executor uses placement-group arguments that Ray deprecates.
@pytest.mark.filterwarnings("ignore::DeprecationWarning:ray")
def test_ray_executor_same_outputs(tmp_path: Path, ray_cluster: None) -> None:
    from datatrove.executor.ray import RayPipelineExecutor

    originals = write_corpus(tmp_path / "in")
    RayPipelineExecutor(
        pipeline_steps(tmp_path),
        tasks=3,
        workers=2,
        logging_dir=str(tmp_path / "logs"),
        cpus_per_task=1,
        mem_per_cpu_gb=0.5,
    ).run()
    check_outputs(tmp_path, originals)


# ---------------------------------------------------------------- the step on its own


def test_step_pickles_without_its_pipeline() -> None:
    import pickle

    step = CleanerStep(drop_captions=True)
    list(step.run(iter([Document(text="Body.\n\nAdvertisement\n", id="1")])))
    assert "pipeline" in step.__dict__  # built while it ran...
    copy = pickle.loads(pickle.dumps(step))
    assert "pipeline" not in copy.__dict__  # ...and left behind: workers build their own
    assert copy.config == step.config and copy.config.drop_captions


def test_keep_empty_and_custom_keys() -> None:
    keys = MetadataKeys(edits=None, summary="clean", error="err")
    step = CleanerStep(drop_empty=False, keys=keys)
    (doc,) = step.run(iter([Document(text="Advertisement\n", id="e")]))
    assert doc.text == ""
    assert set(doc.metadata) == {"clean"}
    assert doc.metadata["clean"]["removals"] == {"fragments": 1}


def test_url_and_page_metadata_for_html() -> None:
    page = (
        "<html><head><title>Harbour reopens</title></head><body><article>"
        + "".join(f"<p>{line}</p>" for line in debris_article(1).split("\n\n")[:5])
        + "</article></body></html>"
    )
    url = "https://news.example.org/harbour"
    (doc,) = CleanerStep().run(iter([Document(text=page, id="p", metadata={"url": url})]))
    summary = doc.metadata["cleaner"]
    assert summary["format"] == "html"
    assert summary["page"]["url"] == url
    assert "<p>" not in doc.text and "reopened this week" in doc.text


def test_failed_documents_kept_with_their_reason() -> None:
    binary = "Body.\x00\x01".encode("utf-8")  # bytes with NUL: binary data, not text
    docs = [Document(text=12345, id="n"), Document(text=binary, id="b")]  # type: ignore[arg-type]
    step = CleanerStep()
    out = list(step.run(iter(docs)))
    assert [(doc.id, doc.text) for doc in out] == [("n", ""), ("b", "")]  # writable, as text
    assert out[0].metadata == {"cleaner_error": "expected text or bytes, got int"}
    assert out[1].metadata["cleaner_error"].startswith("binary data (NUL bytes)")
    assert step.stats.stats["errors"].total == 2
    assert step.stats.stats["forwarded"].total == 2


def test_bad_option_fails_at_construction() -> None:
    with pytest.raises(ConfigError):
        CleanerStep(stages=("no-such-stage",))
