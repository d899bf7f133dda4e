"""The exceptions comparer raises: one hierarchy, turned into exit code 2 by the CLI."""

from __future__ import annotations


class ComparerError(Exception):
    """Base class of every error comparer reports to its user."""


class InputError(ComparerError):
    """A report could not be read: missing, empty, binary, undecodable, too large."""


class SegmentationError(ComparerError):
    """A report was read but no text sections could be found in it."""


class AlignmentError(ComparerError):
    """Two reports could not be aligned."""


class RenderError(ComparerError):
    """Output could not be written: missing template, unwritable path."""


class CacheError(ComparerError):
    """The cache of `comparer track` cannot be used: locked for too long, or unreadable."""
