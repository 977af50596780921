"""footers: what follows an article: "Most Popular" and "Related" lists, "Read more" lines, teasers, author contact and copyright lines.

The phrases are in ``patterns/footers.toml``; the mechanism is ``cleaner.linerules``.
"""

from __future__ import annotations

from cleaner.config import CleanerConfig
from cleaner.edits import StageResult
from cleaner.linerules import remove_matching_lines
from cleaner.rules import StageRules

STAGE = "footers"


def apply(text: str, rules: StageRules, config: CleanerConfig) -> StageResult:
    """Remove the lines that this stage's rules match."""
    return remove_matching_lines(text, rules, STAGE)
