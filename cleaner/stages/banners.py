"""banners: cookie, consent and privacy notices, "enable JavaScript", outdated-browser and sign-in or paywall prompts.

The phrases are in ``patterns/banners.toml``; the mechanism is ``cleaner.linerules``.
"""

from __future__ import annotations

from cleaner.config import CleanerConfig
from cleaner.edits import StageResult
from cleaner.linerules import remove_matching_lines
from cleaner.rules import StageRules

STAGE = "banners"


def apply(text: str, rules: StageRules, config: CleanerConfig) -> StageResult:
    """Remove the lines that this stage's rules match."""
    return remove_matching_lines(text, rules, STAGE)
