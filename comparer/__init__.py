"""comparer: compare long human-rights reports across years and publishers.

Importing the package is cheap: `read_report` and `read_text` load the reading stages
when first used, so `comparer --version` starts without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# The one place the version is written: pyproject.toml reads it from here (hatch's version source).
__version__ = "0.1.0"

if TYPE_CHECKING:
    from comparer.api import read_report, read_text

__all__ = ["__version__", "read_report", "read_text"]


def __getattr__(name: str) -> object:
    """`read_report` and `read_text` from `comparer.api`, imported on first use."""
    if name in ("read_report", "read_text"):
        from comparer import api

        return getattr(api, name)
    raise AttributeError(f"module 'comparer' has no attribute {name!r}")
