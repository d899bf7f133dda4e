"""Renderers: turn model objects into HTML, JSON, Markdown or text. No logic lives here."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from comparer.errors import RenderError
from comparer.model import Comparison


def write_output(text: str, out: Path | None) -> None:
    """Write `text` to `out` atomically (temp file + rename), or to stdout when `out` is None or "-".

    The file gets the mode a plain open() would give it (the user's umask), not the temp file's 0600.
    The temp file is removed on every way out; one left by a killed run is swept by the next.
    """
    from comparer.sitedir import file_mode, sweep, temp_prefix

    if not text.endswith("\n"):
        text += "\n"
    if out is None or str(out) == "-":
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as err:  # a full disk, a closed pipe
            _drop_stdout()
            raise RenderError(f"<stdout>: cannot write ({err.strerror or err})") from err
        return
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise RenderError(f"{out}: folder {folder} does not exist")
    try:
        sweep(folder / out.name)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(out), suffix=".tmp", dir=folder)
    except OSError as err:
        raise RenderError(f"{out}: cannot write ({err.strerror})") from err
    try:
        os.fchmod(fd, file_mode())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, out)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise RenderError(f"{out}: cannot write ({err.strerror})") from err
        raise


def _drop_stdout() -> None:
    """Point standard output at /dev/null, so the exit's own flush cannot fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file descriptor (tests capture output in memory)


def _render_html(comparison: Comparison) -> str:
    from comparer.render.html_report import render_html

    return render_html(comparison)


def _render_json(comparison: Comparison) -> str:
    from comparer.render.json_report import render_compare

    return render_compare(comparison)


def _render_markdown(comparison: Comparison) -> str:
    from comparer.render.markdown_report import render_markdown

    return render_markdown(comparison)


# The renderers of a comparison, by --format name.
FORMATS: dict[str, Callable[[Comparison], str]] = {
    "html": _render_html,
    "json": _render_json,
    "md": _render_markdown,
}
