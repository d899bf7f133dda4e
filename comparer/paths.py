"""`Path.resolve()` for thousands of files in a few folders, at one `lstat` a file.

`os.path.realpath` looks at every component of a path (an `lstat` each, from the root), and
`Path.resolve` adds a `stat`: for an archive of 2,000 reports, looked up by discovery, the
catalogs and the report ids, that was most of a re-run's system time. A `Resolver` resolves
each folder once; a file in it is then the resolved folder joined with its name, unless the
name is a symbolic link (then, and for any name that is not a plain one, `Path.resolve`
answers, with its errors). Folders are remembered for the resolver's life: make one per run.
"""

from __future__ import annotations

import os
from pathlib import Path


class Resolver:
    """Resolved paths as strings, each folder resolved once."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def folder(self, folder: str) -> str:
        """`folder` resolved (absolute, no symbolic link, no `..`), remembered."""
        found = self._folders.get(folder)
        if found is None:
            found = self._folders[folder] = str(Path(folder).resolve())
        return found

    def resolve(self, path: str | os.PathLike[str]) -> str:
        """`str(Path(path).resolve())`: the folder's resolution joined with the name."""
        text = os.fspath(path)
        head, name = os.path.split(text)
        if name in ("", ".", "..") or (head and head.strip("/") == "" and head != "/"):
            return str(Path(text).resolve())  # not a plain name below a folder ("x/", "//x")
        joined = os.path.join(self.folder(head), name)
        if os.path.islink(joined):
            return str(Path(joined).resolve())  # raises on a link loop, as Path.resolve does
        return joined


def is_below(resolved: str, folder: str) -> str | None:
    """The part of `resolved` below the resolved `folder` ("a/b.txt"), or None when it is not below."""
    prefix = folder if folder.endswith("/") else folder + "/"
    return resolved[len(prefix) :] if resolved.startswith(prefix) and len(resolved) > len(prefix) else None
