"""Adapters for the engines cleaner plugs into; each needs its optional extra."""
