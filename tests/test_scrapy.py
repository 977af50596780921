"""cleaner.integrations.scrapy: the item pipeline on its own, then in a real crawl.

The crawl runs ``scrapy runspider`` on this very file (its spider is
:class:`StorySpider`) in a subprocess, since Twisted's reactor cannot be
restarted inside pytest, against a local ``http.server`` on 127.0.0.1 serving
the synthetic site in ``tests/data/scrapy_site/``: an index page linking to
two articles full of page furniture (cookie banner, menu, share links,
"Advertisement", a "Most Popular" list) and to a binary file. The spider lives
here rather than in a file of its own because ``--doctest-modules`` imports
every ``.py`` file under ``tests/``, and only this module skips without Scrapy.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterable, Iterator

import lxml.html
import pytest

scrapy = pytest.importorskip("scrapy")

from scrapy.exceptions import DropItem  # noqa: E402
from scrapy.http import Response, TextResponse  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

import cleaner  # noqa: E402
from cleaner.integrations.scrapy import (  # noqa: E402
    INSTALL_HINT, CleanerPipeline, ItemFields,
)

SITE = Path(__file__).parent / "data" / "scrapy_site"
PIPELINE_PATH = "cleaner.integrations.scrapy.CleanerPipeline"

ARTICLES = ("bridge.html", "library.html")
#: Page furniture of the test site: none of it may reach the clean text.
DEBRIS = (
    "cookies", "Accept all", "Home", "Sport", "Weather", "Culture", "Advertisement",
    "Share on Facebook", "Share by email", "Share this article", "Most Popular",
    "Ten things to do", "Road closures", "School choir", "Copyright", "Privacy policy",
    "By Dana Whitfield",
)
#: Paragraphs inside an article that are debris, for the text stages to remove.
DEBRIS_PARAGRAPHS = {"Advertisement", "Share this article"}
#: The bridge article's site-specific line, removed by the rule in SITE_RULE.
LEDGER_LINE = "Ledger readers can send their questions about the bridge to the newsroom."
SITE_RULE = f"""
stage = "fragments"

[[rule]]
id = "fragments.ledger_questions"
category = "promo"
lang = "en"
pattern = '''Ledger readers can send .*'''
note = "The Riverton Ledger's call for questions, on every article of the test site."
example = "{LEDGER_LINE}"
"""


@dataclasses.dataclass(frozen=True)
class Article:
    """What the test site's HTML says an article is."""

    title: str
    paragraphs: tuple[str, ...]


@functools.cache
def article(name: str) -> Article:
    """The title (the <h1>) and the real paragraphs of one article page of the test site."""
    tree = lxml.html.fromstring((SITE / name).read_bytes())
    paragraphs = tuple(
        text
        for p in tree.xpath("//article/p[not(@class)]")
        if (text := p.text_content().strip()) not in DEBRIS_PARAGRAPHS
    )
    return Article(tree.xpath("string(//h1)").strip(), paragraphs)


def assert_clean_article(text: str, name: str, removed_by_site_rule: bool = False) -> None:
    """Every paragraph of the article is in the text, and no debris is."""
    for paragraph in article(name).paragraphs:
        if removed_by_site_rule and paragraph == LEDGER_LINE:
            assert paragraph not in text, f"{name}: the site rule did not remove {paragraph!r}"
        else:
            assert paragraph in text, f"{name}: lost {paragraph!r}"
    for debris in DEBRIS:
        assert debris not in text, f"{name}: kept {debris!r}"


def pipeline_for(**settings: Any) -> CleanerPipeline:
    """The pipeline as Scrapy creates it, from a crawler with these settings."""
    return CleanerPipeline.from_crawler(get_crawler(settings_dict=settings))


def stats_of(pipeline: CleanerPipeline) -> dict[str, Any]:
    assert pipeline.stats is not None
    return pipeline.stats.get_stats()


def page(name: str) -> bytes:
    return (SITE / name).read_bytes()


# ---------------------------------------------------------------- process_item, no crawl


def test_a_dict_item_gets_text_edits_and_metadata() -> None:
    pipeline = pipeline_for()
    url = "http://127.0.0.1/bridge.html"
    item = {"url": url, "html": page("bridge.html").decode("utf-8")}
    assert pipeline.process_item(item) is item
    assert_clean_article(item["text"], "bridge.html")
    edits = item["cleaner_edits"]
    assert edits and all(isinstance(edit, dict) for edit in edits)
    assert {"stage", "rule", "op", "start", "end", "before", "after"} <= set(edits[0])
    assert ("fragments", "fragments.advertisement") in {(e["stage"], e["rule"]) for e in edits}
    assert item["cleaner_metadata"]["title"] == article("bridge.html").title
    assert item["cleaner_metadata"]["url"] == url  # the item's url went to clean(url=...)
    assert item["html"]  # kept by default
    json.dumps(item)  # everything stored is JSON-able, for Scrapy's feed exports
    assert stats_of(pipeline)["cleaner/items_cleaned"] == 1
    assert stats_of(pipeline)["cleaner/edits"] == len(edits)


def test_bytes_in_body_are_decoded_with_the_charset_the_page_declares() -> None:
    item = {"body": page("library.html")}  # windows-1252 bytes
    pipeline_for().process_item(item)
    assert_clean_article(item["text"], "library.html")
    assert "The small café" in item["text"] and "“exactly as it did" in item["text"]
    first = item["cleaner_edits"][0]
    assert (first["rule"], first["note"]) == ("decode.declared_charset", "cp1252")


def test_html_is_preferred_to_body_and_none_counts_as_missing() -> None:
    pipeline = pipeline_for()
    both = {"html": "Article text from html.\n", "body": b"Article text from body.\n"}
    assert pipeline.process_item(both)["text"] == "Article text from html.\n"
    html_none = {"html": None, "body": b"Article text from body.\n"}
    assert pipeline.process_item(html_none)["text"] == "Article text from body.\n"


def test_an_item_without_a_page_passes_through_unchanged_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pipeline = pipeline_for()
    items = [{"url": "http://127.0.0.1/", "kind": "index"}, {"html": None}]
    copies = [dict(item) for item in items]
    with caplog.at_level(logging.WARNING, logger="cleaner.integrations.scrapy"):
        results = [pipeline.process_item(item) for item in items]
    assert results == copies
    warnings = [r.getMessage() for r in caplog.records if r.name == "cleaner.integrations.scrapy"]
    assert len(warnings) == 1 and "'html' or 'body'" in warnings[0]
    assert stats_of(pipeline)["cleaner/items_without_source"] == 2


def test_an_item_cleaner_cannot_read_is_dropped_with_a_one_line_reason() -> None:
    pipeline = pipeline_for()
    url = "http://127.0.0.1/agenda.png"
    with pytest.raises(DropItem) as dropped:
        pipeline.process_item({"url": url, "body": page("agenda.png")})
    reason = str(dropped.value)
    assert url in reason and "binary data" in reason and "\n" not in reason
    assert isinstance(dropped.value.__cause__, cleaner.InputError)
    with pytest.raises(DropItem, match="'html' field of a dict.*expected text or bytes"):
        pipeline.process_item({"html": 42})
    assert stats_of(pipeline)["cleaner/items_dropped"] == 2


def test_custom_fields_are_honoured() -> None:
    pipeline = pipeline_for(
        CLEANER_SOURCE_FIELD="page",
        CLEANER_TEXT_FIELD="article_text",
        CLEANER_EDITS_FIELD="",  # empty, as `-s CLEANER_EDITS_FIELD=` gives it: not stored
        CLEANER_METADATA_FIELD="meta",
        CLEANER_URL_FIELD="link",
        CLEANER_KEEP_SOURCE=False,
    )
    item = {"link": "http://127.0.0.1/library.html", "page": page("library.html")}
    pipeline.process_item(item)
    assert set(item) == {"link", "article_text", "meta"}
    assert_clean_article(item["article_text"], "library.html")
    assert item["meta"]["url"] == "http://127.0.0.1/library.html"
    # With a source field named, the default ones are not looked at.
    other = {"html": "Article text.\n"}
    assert pipeline.process_item(other) == {"html": "Article text.\n"}


def test_no_edits_and_no_metadata_when_their_fields_are_none() -> None:
    pipeline = CleanerPipeline(fields=ItemFields(edits=None, metadata=None))
    assert pipeline.process_item({"html": "Text.\n\nAdvertisement\n"}) == {
        "html": "Text.\n\nAdvertisement\n", "text": "Text.\n"
    }


def test_cleaning_in_place_keeps_the_result_even_without_the_source() -> None:
    pipeline = pipeline_for(
        CLEANER_SOURCE_FIELD="text", CLEANER_TEXT_FIELD="text", CLEANER_KEEP_SOURCE=False
    )
    item = pipeline.process_item({"text": "Body.\n\nAdvertisement\n"})
    assert item["text"] == "Body.\n"


class StoryItem(scrapy.Item):
    url = scrapy.Field()
    html = scrapy.Field()
    text = scrapy.Field()
    cleaner_edits = scrapy.Field()
    cleaner_metadata = scrapy.Field()


class BareItem(scrapy.Item):
    html = scrapy.Field()


@dataclasses.dataclass
class StoryRecord:
    html: str | None
    text: str | None = None
    cleaner_edits: list[dict[str, Any]] | None = None
    cleaner_metadata: dict[str, Any] | None = None


def test_scrapy_items_and_dataclasses_work_through_itemadapter() -> None:
    pipeline = CleanerPipeline(fields=ItemFields(keep_source=False))
    story = pipeline.process_item(StoryItem(url="http://127.0.0.1/b", html=page("bridge.html")))
    assert_clean_article(story["text"], "bridge.html")
    assert "html" not in story  # removed from a scrapy.Item
    record = pipeline.process_item(StoryRecord(html=page("library.html").decode("cp1252")))
    assert_clean_article(record.text, "library.html")
    assert record.html is None  # a dataclass keeps its attribute, set to None
    assert record.cleaner_metadata["title"] == article("library.html").title


def test_an_item_class_without_the_output_field_is_a_config_error() -> None:
    expected = "BareItem has no field 'text'.*CLEANER_TEXT_FIELD"
    with pytest.raises(cleaner.ConfigError, match=expected):
        CleanerPipeline().process_item(BareItem(html="Text.\n"))


def test_cleaner_options_and_patterns_come_from_the_settings(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text(SITE_RULE, encoding="utf-8")
    pipeline = pipeline_for(
        CLEANER_OPTIONS='{"drop_captions": true, "patterns": "%s"}' % tmp_path,  # JSON, as -s gives
        CLEANER_PATTERNS=[str(tmp_path)],
    )
    config = pipeline.pipeline.config
    assert config.drop_captions and config.patterns == (str(tmp_path), str(tmp_path))
    item = pipeline.process_item({"html": page("bridge.html")})
    assert_clean_article(item["text"], "bridge.html", removed_by_site_rule=True)
    assert "fragments.ledger_questions" in {edit["rule"] for edit in item["cleaner_edits"]}

    no_fragments = [s for s in cleaner.STAGE_NAMES if s != "fragments"]
    pipeline = pipeline_for(CLEANER_OPTIONS={"stages": no_fragments})
    assert pipeline.process_item({"html": "Text.\n\nAdvertisement\n"})["text"].endswith(
        "Advertisement\n"
    )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"CLEANER_OPTIONS": {"drop_caption": True}}, "unknown option.*drop_caption"),
        ({"CLEANER_OPTIONS": {"stages": ["extract", "tidy"]}}, "unknown stage.*tidy"),
        ({"CLEANER_TEXT_FIELD": ""}, "CLEANER_TEXT_FIELD"),
    ],
)
def test_bad_settings_fail_when_the_crawler_starts(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(cleaner.ConfigError, match=message):
        pipeline_for(**settings)


def test_one_cleaner_pipeline_per_crawler(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[cleaner.CleanerConfig | None] = []

    def counted_pipeline(config: cleaner.CleanerConfig | None = None) -> cleaner.Pipeline:
        built.append(config)
        return cleaner.Pipeline(config)

    monkeypatch.setattr("cleaner.integrations.scrapy.Pipeline", counted_pipeline)
    pipeline = pipeline_for(CLEANER_OPTIONS={"drop_captions": True})
    for text in ("One.\n", "Two.\n", "Three.\n"):
        pipeline.process_item({"html": text})
    assert built == [cleaner.CleanerConfig(drop_captions=True)]


def test_without_scrapy_the_module_imports_and_the_pipeline_says_what_to_install() -> None:
    script = (
        "import sys\n"
        "sys.modules['scrapy'] = sys.modules['itemadapter'] = None  # as if not installed\n"
        "import cleaner.integrations.scrapy as integration\n"
        "try:\n"
        "    integration.CleanerPipeline()\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == INSTALL_HINT
    assert "pip install cleaner[scrapy]" in INSTALL_HINT


# ---------------------------------------------------------------- a real crawl


class StorySpider(scrapy.Spider):
    """From the index page of the test site, follow each story link.

    Spider arguments: ``start_url``; ``field``, the item field that receives
    the page (default ``html``); ``raw=1`` stores ``response.body`` (bytes)
    instead of ``response.text``. A response that is not text (the PNG behind
    one link) is always stored as bytes. The index page becomes an item
    without a page, to show what the pipeline does with those.
    """

    name = "stories"

    def __init__(self, start_url: str, field: str = "html", raw: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start_url]
        self.page_field = field
        self.store_bytes = bool(raw)

    def parse(self, response: Response, **kwargs: Any) -> Iterable[Any]:
        links = response.css("a.story::attr(href)").getall()
        yield {"url": response.url, "kind": "index", "links": len(links)}
        yield from response.follow_all(links, callback=self.parse_story)

    def parse_story(self, response: Response) -> Iterable[dict[str, Any]]:
        is_text = isinstance(response, TextResponse)
        page = response.text if is_text and not self.store_bytes else response.body
        yield {"url": response.url, "kind": "story", self.page_field: page}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        pass  # the crawl's own log is what the tests read


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The test site on 127.0.0.1 (a free port), for the duration of this module."""
    handler = functools.partial(QuietHandler, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


#: Settings of every test crawl: local, quiet, bounded in time.
CRAWL_SETTINGS = {
    "ITEM_PIPELINES": json.dumps({PIPELINE_PATH: 300}),
    "ROBOTSTXT_OBEY": "False",
    "TELNETCONSOLE_ENABLED": "False",
    "REMOTE_CONTROL_ENABLED": "False",  # Scrapy 2.19's remote control listens on a port too
    "HTTPPROXY_ENABLED": "False",  # a proxy in the environment must not see 127.0.0.1
    "LOG_LEVEL": "WARNING",
    "DOWNLOAD_TIMEOUT": "10",
    "CLOSESPIDER_TIMEOUT": "30",
}


@dataclasses.dataclass(frozen=True)
class Crawl:
    items: list[dict[str, Any]]
    log: str

    def stories(self) -> dict[str, dict[str, Any]]:
        """The story items by page name."""
        return {i["url"].rsplit("/", 1)[1]: i for i in self.items if i["kind"] == "story"}

    def index(self) -> dict[str, Any]:
        (index,) = [i for i in self.items if i["kind"] == "index"]
        return index


def crawl(
    site: str, workdir: Path, settings: dict[str, str], spider_args: dict[str, str] | None = None
) -> Crawl:
    """Run the test spider over the site in a subprocess; its items and its log."""
    output = workdir / "items.jsonl"
    command = [
        sys.executable, "-m", "scrapy", "runspider", __file__, "-O", str(output),
        "-a", f"start_url={site}/index.html",
    ]
    for name, value in (spider_args or {}).items():
        command += ["-a", f"{name}={value}"]
    for name, value in {**CRAWL_SETTINGS, **settings}.items():
        command += ["-s", f"{name}={value}"]
    # cwd: a directory without scrapy.cfg, so that no project settings apply.
    run = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    lines = output.read_text(encoding="utf-8").splitlines()
    return Crawl([json.loads(line) for line in lines], run.stderr)


def test_a_crawl_with_the_default_settings(site: str, tmp_path: Path) -> None:
    result = crawl(site, tmp_path, {})
    stories = result.stories()
    assert sorted(stories) == sorted(ARTICLES)  # agenda.png was dropped
    for name, item in stories.items():
        assert_clean_article(item["text"], name)
        assert item["html"]
        edits = item["cleaner_edits"]
        assert edits and all(isinstance(e, dict) and e["stage"] and e["rule"] for e in edits)
        assert {"extract", "fragments"} <= {e["stage"] for e in edits}
        assert item["cleaner_metadata"]["title"] == article(name).title
        assert item["cleaner_metadata"]["url"] == item["url"]
    assert "The small café" in stories["library.html"]["text"]  # Scrapy read the meta charset
    assert result.index() == {"url": f"{site}/index.html", "kind": "index", "links": 3}
    # One line for the binary page, one warning for the index, and no traceback.
    assert f"Dropped: cleaner cannot clean {site}/agenda.png: binary data" in result.log
    assert result.log.count("has no 'html' or 'body' field") == 1
    assert "Traceback" not in result.log and "ERROR" not in result.log


def test_a_crawl_with_custom_fields_bytes_and_site_rules(site: str, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "site.toml").write_text(SITE_RULE, encoding="utf-8")
    settings = {
        "CLEANER_SOURCE_FIELD": "page",
        "CLEANER_TEXT_FIELD": "article_text",
        "CLEANER_EDITS_FIELD": "",
        "CLEANER_METADATA_FIELD": "meta",
        "CLEANER_KEEP_SOURCE": "False",  # the bytes could not be written as JSON anyway
        "CLEANER_PATTERNS": str(rules),
        "CLEANER_OPTIONS": json.dumps({"drop_captions": True}),
    }
    result = crawl(site, tmp_path, settings, {"field": "page", "raw": "1"})
    stories = result.stories()
    assert sorted(stories) == sorted(ARTICLES)
    for name, item in stories.items():
        assert set(item) == {"url", "kind", "article_text", "meta"}
        assert item["meta"]["title"] == article(name).title
        assert_clean_article(item["article_text"], name, removed_by_site_rule=True)
    assert "“exactly as it did" in stories["library.html"]["article_text"]  # cp1252 bytes
    assert "has no 'page' field" in result.log
    assert f"Dropped: cleaner cannot clean {site}/agenda.png" in result.log
    assert "Traceback" not in result.log
