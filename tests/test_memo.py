"""The per-document memo: computed once per (kind, text), never shared, never changes a result."""

from __future__ import annotations

from pathlib import Path

import pytest

import cleaner
from cleaner.memo import remembered
from cleaner.pipeline import STAGES

SAMPLES = sorted((Path(__file__).parent.parent / "samples").glob("*.txt"))


def test_remembered_computes_once_per_kind_and_text():
    calls = []

    def compute(text: str) -> int:
        calls.append(text)
        return len(text)

    memo: dict = {}
    assert [remembered(memo, "len", t, compute) for t in ("ab", "ab", "abc")] == [2, 2, 3]
    assert remembered(memo, "other", "ab", compute) == 2
    assert calls == ["ab", "abc", "ab"]


def test_without_a_memo_it_just_computes():
    calls = []
    for _ in range(2):
        remembered(None, "len", "ab", lambda t: calls.append(t) or len(t))
    assert calls == ["ab", "ab"]


def test_cleaning_leaves_the_shared_rules_and_model_without_a_memo():
    pipeline = cleaner.Pipeline()
    pipeline.clean(SAMPLES[0].read_text(encoding="utf-8"))
    assert all(getattr(data, "memo", None) is None for _, _, data in pipeline._stages)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_each_stage_gives_the_same_result_with_a_warm_memo(path):
    pipeline = cleaner.Pipeline()
    text = path.read_text(encoding="utf-8")
    memo: dict = {}
    for name, stage, data in pipeline._stages:
        cold = stage(text, data, pipeline.config)
        with_memo = data.for_document(memo) if hasattr(data, "for_document") else data
        first = stage(text, with_memo, pipeline.config)
        again = stage(text, with_memo, pipeline.config)  # every lookup a hit now
        assert first == cold and again == cold, name
        text = cold.text
    assert set(STAGES) >= {name for name, _, _ in pipeline._stages}
    assert any(kind == "lines" for kind, _ in memo)


def test_one_pipeline_shared_by_threads_gives_the_serial_results():
    from concurrent.futures import ThreadPoolExecutor

    pipeline = cleaner.Pipeline()
    texts = [path.read_text(encoding="utf-8") for path in SAMPLES] * 8
    serial = [pipeline.clean(text) for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(pipeline.clean, texts))
    assert threaded == serial
