"""Shared helpers for the cleaner test suite.

Hypothesis runs without its example database so that a test run writes
nothing outside ``tests/``; a failing example is printed in the report.
"""

from __future__ import annotations

import pytest
from hypothesis import settings

settings.register_profile("cleaner", database=None, deadline=None)
settings.load_profile("cleaner")

#: Article-like sentences written for these tests: long enough, and plain
#: enough, that no rule of any stage should ever touch them.
BODY = (
    "The council met on Monday to discuss the new budget for the coming year.",
    "Members argued for hours about the cost of the new bridge over the river.",
    "The mayor said the vote would take place next month after a public hearing.",
    "Residents can submit comments online until the end of the month, officials said.",
    "The finance director warned that reserves were running low for a second year.",
    "Several speakers asked for more money for the public library branches.",
    "A group of parents asked the council to fund a new crossing near the school.",
    "The police chief presented figures on response times across the city.",
    "Construction of the bridge is expected to take about three years to finish.",
    "Opponents of the plan said they would keep pressing for a smaller project.",
)


def body(n: int, start: int = 0) -> list[str]:
    """``n`` distinct article sentences (cycling through BODY with a number if needed)."""
    out = []
    for i in range(start, start + n):
        sentence = BODY[i % len(BODY)]
        if i >= len(BODY):
            sentence = sentence[:-1] + f", in round {i // len(BODY) + 1}."
        out.append(sentence)
    return out


def doc(lines: list[str], sep: str = "\n\n", final: str = "\n") -> str:
    """Join lines into a document: ``sep`` between them, ``final`` at the end."""
    return sep.join(lines) + final


def content_lines(text: str) -> list[str]:
    """The non-blank lines of a text, without their terminators."""
    return [line.rstrip("\r") for line in text.split("\n") if line.strip()]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output (review the diff before committing)",
    )


#: Places and things for the generated stories of the engine tests.
PLACES = (("harbour", "ferry"), ("orchard", "cider press"), ("observatory", "telescope"))
#: The credit of the caption that every generated story repeats; one copy must stay.
CAPTION_CREDIT = "(Photo: Sam Reyes)"
#: Lines of debris put in every generated story; none may survive cleaning.
DEBRIS = ("Advertisement", "We use cookies", "Most Popular", "Council approves new parking")


def debris_article(number: int) -> str:
    """A short news story with an ad line, a cookie notice, a repeated caption and a footer."""
    place, thing = PLACES[number % len(PLACES)]
    caption = f"Volunteers repaint the old {thing} at the {place} on Saturday. {CAPTION_CREDIT}"
    lines = [
        f"Story {number}: the town {place} reopened this week after a long winter of repairs.",
        f"Workers spent four months restoring the {thing}, which had stood idle since the flood.",
        caption,
        caption,
        f"The trust that runs the {place} hopes to welcome twice as many visitors this year.",
        "Advertisement",
        f"Local schools have already booked guided visits to see the {thing} for themselves.",
        "We use cookies to improve your experience. By continuing to browse you agree to our"
        " use of cookies.",
        f"Tickets for the {place} go on sale next Monday, the organisers said.",
        "Most Popular",
        "1. Council approves new parking rules",
        "2. Rain expected for the weekend",
    ]
    return "\n\n".join(lines) + "\n"
