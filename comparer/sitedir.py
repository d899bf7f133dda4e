"""The site folder of `comparer track`: never overwrite what comparer did not write.

A site folder carries a marker file listing the files comparer wrote there. `track` writes
only into a folder that does not exist, is empty, or carries that marker (or with `force`);
files it did not write (a CNAME, a .nojekyll, a user's notes) survive every re-run. Pages
are built in a temporary folder beside the site and moved in file by file; temporary
folders of runs that died (kill -9) are swept on the next run. Files and folders are made
with the user's umask.

A page an earlier run wrote that is still as it wrote it (`Reuse`: its stat is the one the
cache recorded with its digest, and the digest is the new page's) is kept where it is rather
than written again, so a re-run writes only the pages that changed; the site is the same,
byte for byte, as a clean run's.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from comparer.cache import RACY_NS, Cache
from comparer.errors import RenderError

MARKER = ".comparer-site"
_MAGIC = "# comparer track site"
_TMP_TAG = ".comparer-tmp-"


def current_umask() -> int:
    """The process's umask (read without changing it where /proc tells)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a new file gets from open(): 0666 less the umask."""
    return 0o666 & ~current_umask()


def is_site(folder: Path) -> bool:
    """Whether `folder` is a site that comparer track wrote (it carries the marker)."""
    marker = folder / MARKER
    if not marker.is_file() or marker.is_symlink():
        return False
    try:
        with marker.open(encoding="utf-8", errors="replace") as handle:
            return handle.readline().startswith(_MAGIC)
    except OSError:
        return False


def _written(folder: Path) -> set[str]:
    """The files the marker says comparer wrote (paths relative to the site).

    A marker is data from the folder, so only plain relative paths that stay inside the site
    count: a doctored marker cannot make comparer remove or replace a file elsewhere.
    """
    lines = (folder / MARKER).read_text(encoding="utf-8", errors="replace").splitlines()
    links: dict[str, bool] = {}  # thousands of pages share a few folders: each is looked at once
    return {line for line in lines[1:] if line and not line.startswith("#") and _inside(folder, line, links)}


def _inside(site: Path, rel: str, links: dict[str, bool] | None = None) -> bool:
    """Whether `rel` names a path below `site`, reached through no symbolic link.

    `links`: folders below `site` already looked at (whether each is a symbolic link).
    """
    path = Path(rel)
    parts = path.parts
    if not parts or path.is_absolute() or any(p in ("..", ".") for p in parts) or "\\" in rel:
        return False
    seen = {} if links is None else links
    for k in range(1, len(parts)):
        folder = "/".join(parts[:k])
        link = seen.get(folder)
        if link is None:
            link = seen[folder] = (site / folder).is_symlink()
        if link:
            return False
    return True


def check_site(site: Path, root: Path, *, force: bool = False) -> set[str]:
    """Refuse a site folder comparer must not write into; return the files it wrote there before.

    Raises:
        RenderError: `site` is the current folder, holds the reports, is a symbolic link or a
            file, or is a non-empty folder comparer did not write (unless `force`).
    """
    resolved = site.resolve()
    if site.is_symlink():
        raise RenderError(f"{site}: the site folder is a symbolic link; name a real folder")
    if site.exists() and not site.is_dir():
        raise RenderError(f"{site}: exists and is not a folder")
    if resolved == Path.cwd().resolve():
        raise RenderError(f"{site}: the site cannot be the current folder; name a folder for it (-o site)")
    if resolved == root.resolve() or resolved in root.resolve().parents:
        raise RenderError(f"{site}: the site folder would hold the reports folder {root}; name another")
    if not site.is_dir() or not any(site.iterdir()):
        return set()
    if is_site(site):
        return _written(site)
    if force:
        return set()
    raise RenderError(
        f"{site}: folder is not empty and was not written by comparer track; "
        "name an empty or new folder, or use --force to write into it (other files are kept)"
    )


def temp_prefix(path: Path) -> str:
    """The name prefix of this process's temporary files and folders for `path` (see `sweep`)."""
    return f".{path.name}{_TMP_TAG}{os.getpid()}-"


def sweep(path: Path) -> None:
    """Remove the temporary folders and files that runs which died left beside `path`."""
    for tmp in path.parent.glob(f".{path.name}{_TMP_TAG}*"):
        pid = tmp.name.removeprefix(f".{path.name}{_TMP_TAG}").split("-", 1)[0]
        if tmp.is_symlink() or not pid.isdigit() or _alive(int(pid)):
            continue
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


@contextmanager
def building(site: Path) -> Iterator[Path]:
    """A fresh temporary folder beside `site`, removed on the way out, whatever the way.

    It is named for this process, so a run that could not remove it (kill -9) is swept later.
    """
    site.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=temp_prefix(site), dir=site.parent))
    try:
        yield build
    finally:
        shutil.rmtree(build, ignore_errors=True)


def install(
    build: Path, site: Path, previous: set[str], *, force: bool = False, kept: frozenset[str] = frozenset()
) -> None:
    """Move the files of `build` into `site`; remove the files of `previous` no longer written.

    `kept` are pages of `previous` left in place as they are (see `Reuse`). The marker is
    written first with old and new files (so an interrupted run leaves a site the next run
    recognises), then again with the new and kept files only.
    """
    new = sorted(p.relative_to(build).as_posix() for p in build.rglob("*") if p.is_file())
    for rel in new:
        _check_target(site, rel, previous, force)
    final = set(new) | (kept & previous)
    site.mkdir(parents=True, exist_ok=True)
    _write_marker(site, final | previous)
    for rel in new:
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(build / rel, target)
    for rel in sorted(previous - final):
        _remove_written(site, rel)
    _write_marker(site, final)


class Reuse:
    """The pages an earlier run wrote into `site` that are still as it wrote them.

    The cache holds, for each page written, its digest and the stat it had once in place
    (see `cache.known_digest`). A page is intact when it is one of the marker's files (in
    `previous`), a plain file reached through no symbolic link, and its stat and the digest
    of the page to write now are those recorded: then it is kept, not written again.
    """

    KIND = "site-file"

    def __init__(self, site: Path, previous: set[str], cache: Cache) -> None:
        self.site = site
        self.previous = previous
        self.cache = cache
        self.name = os.path.abspath(site)
        self.kept: set[str] = set()
        self._decided: dict[tuple[str, str], bool] = {}  # asked twice, one answer
        self._folders: dict[str, bool] = {}  # folder of pages -> inside the site, through no link

    def intact(self, rel: str, digest: str) -> bool:
        """Whether `site/rel` is the page of `digest` that an earlier run wrote, unchanged since."""
        found = self._decided.get((rel, digest))
        if found is None:
            found = self._decided[(rel, digest)] = self._intact(rel, digest)
        return found

    def _intact(self, rel: str, digest: str) -> bool:
        if rel not in self.previous or not self._inside(rel):
            return False
        try:
            info = os.lstat(self.site / rel)
        except OSError:
            return False
        return stat.S_ISREG(info.st_mode) and self.cache.known_digest(self.KIND, self._name(rel), info) == digest

    def keep(self, rel: str, digest: str) -> bool:
        """Keep the page if it is intact; whether it was."""
        if self.intact(rel, digest):
            self.kept.add(rel)
            return True
        return False

    def record(self, written: dict[str, str]) -> None:
        """Record the stat of each page just moved into the site with its digest (by path).

        Once, the run waits out `RACY_NS` after its last write, so that the pages' stamps tell
        any later change (pages changed since are left unrecorded and written again next run).
        """
        if not written:
            return
        time.sleep(RACY_NS / 1e9)
        looked_at = time.time_ns()
        for rel, digest in sorted(written.items()):
            try:
                info = os.lstat(self.site / rel)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                self.cache.remember_digest(self.KIND, self._name(rel), info, digest, looked_at)

    def _inside(self, rel: str) -> bool:
        """`_inside(site, rel)`, each folder looked at once (a site's pages share a few folders)."""
        folder, _, name = rel.rpartition("/")
        if not name or name in (".", "..") or "\\" in name:
            return False
        if not folder:
            return True
        found = self._folders.get(folder)
        if found is None:
            found = self._folders[folder] = _inside(self.site, folder) and not (self.site / folder).is_symlink()
        return found

    def _name(self, rel: str) -> str:
        return f"{self.name}\x1f{rel}"


def text_digest(text: str) -> str:
    """The sha256 of `text` as a page holds it (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_target(site: Path, rel: str, previous: set[str], force: bool) -> None:
    """Refuse to write through a symbolic link or over a file comparer did not write."""
    target = site / rel
    for part in [*reversed(target.relative_to(site).parents[:-1]), Path(rel)]:
        path = site / part
        if path.is_symlink():
            raise RenderError(f"{path}: is a symbolic link inside the site; remove it or name another folder")
        if path != target and path.exists() and not path.is_dir():
            raise RenderError(f"{path}: exists and is not a folder; comparer would write {rel} below it")
    if target.exists() and rel not in previous and not force:
        raise RenderError(f"{target}: exists and was not written by comparer track; move it or use --force")


def _remove_written(site: Path, rel: str) -> None:
    """Remove a page an earlier run wrote, and the folders it leaves empty."""
    path = site / rel
    if path.is_file() and not path.is_symlink():
        path.unlink()
    folder = path.parent
    while folder != site and folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _write_marker(site: Path, files: set[str]) -> None:
    lines = [
        f"{_MAGIC}: the files listed below were written by comparer track and are replaced on each run.",
        "# Any other file in this folder is yours: comparer keeps it.",
        *sorted(files),
    ]
    write_file(site / MARKER, "\n".join(lines) + "\n")


def write_file(path: Path, text: str) -> None:
    """Write `text` to `path` atomically (temp file + rename), with the mode open() would give."""
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, file_mode())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
