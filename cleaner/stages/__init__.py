"""One module per stage; each exposes ``apply(text, rules, config) -> StageResult``."""
