"""The line every benchmark report starts with: date, machine, versions.

Scores and speeds mean little without the machine and the versions that made
them, so bench/quality.py and bench/speed.py print this first.
"""

from __future__ import annotations

import datetime
import os
import platform
from importlib import metadata
from typing import Iterable


def version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_line(distributions: Iterable[str], extra: str = "") -> str:
    """``Date: …. Machine: N cores, M GiB, Python …, OS. name version, …. extra``"""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = ", ".join(f"{name} {version(name)}" for name in distributions)
    line = (f"Date: {datetime.date.today()}. Machine: {os.cpu_count()} cores, {memory:.0f} GiB, "
            f"Python {platform.python_version()}, {platform.system()}. {versions}.")
    return f"{line} {extra}" if extra else line
