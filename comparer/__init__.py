"""comparer: compare long human-rights reports across years and publishers."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("comparer")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"

from comparer.api import read_report, read_text

__all__ = ["__version__", "read_report", "read_text"]
