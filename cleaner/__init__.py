"""cleaner: strip boilerplate from scraped article text, and log every edit.

>>> import cleaner
>>> result = cleaner.clean("The article.\\n\\nMost Popular\\n")
>>> result.text
'The article.\\n'
>>> cleaner.restore(result.text, result.edits)
'The article.\\n\\nMost Popular\\n'
"""

from cleaner.config import STAGE_NAMES, CleanerConfig
from cleaner.edits import Edit, restore
from cleaner.errors import CleanerError, ConfigError, InputError, PatternError, RestoreError
from cleaner.pipeline import Pipeline, Result, clean
from cleaner.rules import Rule, RuleSet, load_rules

__version__ = "0.1.0"

__all__ = [
    "STAGE_NAMES",
    "CleanerConfig",
    "CleanerError",
    "ConfigError",
    "Edit",
    "InputError",
    "PatternError",
    "Pipeline",
    "RestoreError",
    "Result",
    "Rule",
    "RuleSet",
    "clean",
    "load_rules",
    "restore",
]
