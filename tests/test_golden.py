"""Golden files: every document in samples/ against its expected clean text and log.

``samples/<name>.txt`` is cleaned with default options; the clean text must
equal ``tests/golden/<name>.out.txt`` and the edits ``tests/golden/<name>.edits.jsonl``.
HTML pages in ``samples/html/`` go the same way into ``tests/golden/html/``,
with the page's metadata in ``<name>.meta.json``.
After an intended change, rewrite them with ``pytest --update-golden`` and
review the diff like any other change: it is the change in output.

The seeds' expectations are also written out line by line below, from the
issue that specified them, so a wrong golden file cannot pass unnoticed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cleaner

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
HTML_SAMPLES = sorted((ROOT / "samples" / "html").glob("*.html"))
GOLDEN = ROOT / "tests" / "golden"

#: Lines each seed must lose (by default); every other non-blank line stays.
SEED_REMOVALS = {
    "seed_000_trump_netanyahu": [
        # the second copy of the photo caption, then the footer
        "Then-US president Donald Trump (right) with Prime Minister Benjamin Netanyahu before "
        "Trump's departure to Rome at Ben Gurion International Airport in Tel Aviv, on May 23, "
        "2017. (Kobi Gideon/GPO via Flash90)",
        "Most Popular",
        "read more:",
    ],
    "seed_001_soleimani_strike": [
        "f",
        "We and our partners use cookies to understand how you use our site, improve your "
        "experience and serve you personalized content and advertising. Read about how we use "
        "cookies in our cookie policy and how you can control them by clicking Manage Settings. "
        "By continuing to use this site, you accept these cookies.",
    ],
    "seed_002_intel_sharing": [
        "Contact Aiden Pink at [email protected] or on Twitter, @aidenpink.",
        "A message from our Publisher & CEO Rachel Fishman Feddersen",
        "I hope you appreciated this article. Before you go, I\u2019d like to ask you to please "
        "support the Forward\u2019s award-winning, nonprofit journalism so that we can be prepared "
        "for whatever news 2025 brings.",
        "At a time when other newsrooms are closing or cutting back, the Forward has removed its "
        "paywall and invested additional resources to report on the ground from Israel and around "
        "the U.S. on the impact of the war, rising antisemitism and polarized discourse.",
        "Readers like you make it all possible. Support our work by becoming a Forward Member and "
        "connect with our journalism and your community.",
        "\u2014 Rachel Fishman Feddersen, Publisher and CEO",
    ],
    # Written to look like boilerplate line by line; all of it is article.
    "negative_lookalike_article": [],
}


def edits_as_jsonl(edits: tuple[cleaner.Edit, ...]) -> str:
    return "".join(json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in edits)


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_matches_golden(sample: Path, request: pytest.FixtureRequest) -> None:
    data = sample.read_bytes()
    result = cleaner.clean(data)
    text_file = GOLDEN / f"{sample.stem}.out.txt"
    log_file = GOLDEN / f"{sample.stem}.edits.jsonl"
    if request.config.getoption("--update-golden", default=False):
        text_file.write_bytes(result.text.encode("utf-8"))
        log_file.write_text(edits_as_jsonl(result.edits), encoding="utf-8")
    assert result.text == text_file.read_bytes().decode("utf-8")
    assert edits_as_jsonl(result.edits) == log_file.read_text(encoding="utf-8")
    assert cleaner.restore(result.text, result.edits).encode("utf-8") == data


@pytest.mark.parametrize("page", HTML_SAMPLES, ids=[p.stem for p in HTML_SAMPLES])
def test_html_sample_matches_golden(page: Path, request: pytest.FixtureRequest) -> None:
    result = cleaner.clean(page.read_bytes())
    golden = GOLDEN / "html"
    text_file, log_file, meta_file = (
        golden / f"{page.stem}{suffix}" for suffix in (".out.txt", ".edits.jsonl", ".meta.json")
    )
    metadata = json.dumps(dict(result.metadata), ensure_ascii=False, indent=1) + "\n"
    if request.config.getoption("--update-golden", default=False):
        golden.mkdir(exist_ok=True)
        text_file.write_bytes(result.text.encode("utf-8"))
        log_file.write_text(edits_as_jsonl(result.edits), encoding="utf-8")
        meta_file.write_text(metadata, encoding="utf-8")
    assert result.format == "html"
    assert result.text == text_file.read_bytes().decode("utf-8")
    assert edits_as_jsonl(result.edits) == log_file.read_text(encoding="utf-8")
    assert metadata == meta_file.read_text(encoding="utf-8")


def test_every_sample_has_golden_files() -> None:
    stems = {p.stem for p in SAMPLES}
    golden = {p.name.split(".")[0] for p in GOLDEN.glob("*.out.txt")}
    assert SAMPLES and golden == stems
    pages = {p.stem for p in HTML_SAMPLES}
    assert pages and pages == {p.name.split(".")[0] for p in (GOLDEN / "html").glob("*.out.txt")}


@pytest.mark.parametrize("name", sorted(SEED_REMOVALS))
def test_seed_loses_exactly_the_specified_lines(name: str) -> None:
    original = (ROOT / "samples" / f"{name}.txt").read_text(encoding="utf-8")
    clean = cleaner.clean(original).text
    expected = list(original.splitlines())
    for line in SEED_REMOVALS[name]:
        expected.remove(line)  # raises if the expectation names a line the seed lacks
    assert non_blank(clean) == non_blank("\n".join(expected))


def test_seed_002_keeps_title_and_seven_body_paragraphs() -> None:
    clean = cleaner.clean((ROOT / "samples" / "seed_002_intel_sharing.txt").read_text()).text
    lines = non_blank(clean)
    assert lines[0].startswith("Defense Minister: Israel Changing Intel-Sharing")
    assert len(lines) == 1 + 7


def test_removal_keeps_paragraph_layout() -> None:
    clean = cleaner.clean((ROOT / "samples" / "seed_001_soleimani_strike.txt").read_text()).text
    assert "\n\n\n" not in clean
    assert not clean.endswith("\n\n")


def test_drop_captions_removes_the_remaining_credited_caption() -> None:
    original = (ROOT / "samples" / "seed_000_trump_netanyahu.txt").read_text()
    clean = cleaner.clean(original, drop_captions=True).text
    assert "(Kobi Gideon/GPO via Flash90)" not in clean
    assert "(Office of the Iranian Supreme Leader via AP)" not in clean
    assert "Former United States president Donald Trump expected Israel" in clean


def non_blank(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]
