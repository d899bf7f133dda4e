"""A SQLite cache for `comparer track`, keyed by content hash, options and the tool's own code.

Values are JSON or HTML text (pages zlib-compressed: `pack`), never pickles: a cache file is
data, and a foreign or damaged one must not be able to run code.

How it behaves as a database user:
- WAL journal, a busy timeout, and one short transaction per stored result (autocommit), so
  several runs share a cache: readers never wait, writers wait their turn, and what a run
  stored before it was interrupted stays stored.
- A cache that is busy or locked is waited for (up to the busy timeout, then a clear error);
  it is never taken for damaged. A file that is not SQLite, fails `PRAGMA quick_check`, lacks
  comparer's marker or has another layout is moved aside (`<name>.broken`, never deleted: it
  may be someone's database) and rebuilt, with one warning.
- Keys hold a digest of the package's code, data (topics.toml) and templates, so a changed
  template or rule never serves stale pages; `prune` drops entries no current input used.
- `<name>.lock` beside the cache serialises the opening checks and tells a run whether
  another one is using the cache (then it does not prune).

Files known by their stat (`known_digest`, `remember_digest`): like git's index, a file whose
device, inode, size, mtime and ctime (in nanoseconds) are those recorded with its content
hash is taken to hold that content, without reading it. ctime cannot be set by a program
(`touch -d` sets mtime and moves ctime to now), so an edit that keeps size and mtime is still
seen. A file changed within `RACY_NS` of when it was looked at is never recorded: a second
change within the same timestamp tick would leave every field as it was.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import sqlite3
import time
import zlib
from pathlib import Path
from typing import Any

from comparer.errors import CacheError

MARKER = "comparer-track-cache"
FORMAT = "2"  # bump when the layout of stored values changes
BUSY_TIMEOUT = 120.0  # seconds to wait for another run's write before giving up
RACY_NS = 100_000_000  # a file changed this close to being looked at is read again next time
# Pages are stored compressed: about 3.5 times smaller, and opening the cache checks every one
# of its database pages (quick_check). Level 1 compresses 3 times faster than 6 for 20% more bytes.
PAGE_ZLIB_LEVEL = 1
_HEADER = b"SQLite format 3\x00"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, key));
"""


@functools.cache
def code_digest() -> str:
    """A digest of everything that shapes output: the package's code and data, and templates."""
    from comparer.render.html_report import template_dirs

    package = Path(__file__).resolve().parent
    roots = [package, *template_dirs()]
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
                continue
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\x00")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class _Lock:
    """An advisory lock file beside the cache (flock: released when the process ends)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)

    def exclusive(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def shared(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_SH)

    def try_exclusive(self) -> bool:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def close(self) -> None:
        os.close(self.fd)  # releases the lock


def file_stamp(info: os.stat_result) -> list[int]:
    """What tells a file changed: device, inode, size, mtime and ctime (ns)."""
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def settled(info: os.stat_result, looked_at_ns: int) -> bool:
    """Whether a file stat'ed at `looked_at_ns` (or later) was last changed long enough before
    for its stamp to tell every later change."""
    return looked_at_ns - max(info.st_mtime_ns, info.st_ctime_ns) >= RACY_NS


def pack(text: str) -> bytes:
    """A page as the cache stores it (done in the job that made it)."""
    return zlib.compress(text.encode("utf-8"), PAGE_ZLIB_LEVEL)


def unpack(data: object) -> str | None:
    """A page `pack` stored, or None when `data` is not one."""
    if not isinstance(data, bytes):
        return None
    try:
        return zlib.decompress(data).decode("utf-8")
    except (zlib.error, UnicodeDecodeError):
        return None


def _busy(err: sqlite3.Error) -> bool:
    """Whether `err` means another connection holds a lock (not damage)."""
    code = getattr(err, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(err) or "busy" in str(err)


class Cache:
    """Get and put text values by (kind, key); keys include the tool's code digest and options."""

    def __init__(self, path: Path, *, salt: str, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = path
        self.salt = f"{salt}|{code_digest()}"  # part of every key
        self.busy_timeout = busy_timeout
        self.rebuilt_reason: str | None = None
        self.hits = 0
        self.misses = 0
        self._used: set[tuple[str, str]] = set()
        self._memo: dict[str, dict[str, Any]] = {}  # kind -> key -> value, of kinds read whole (`preload`)
        self._keys: dict[str, set[str]] = {}  # kind -> keys, of kinds whose keys were read whole
        try:
            self._lock = _Lock(path.with_name(path.name + ".lock"))
        except OSError as err:
            raise CacheError(f"{path}: cannot create the cache's lock file ({err.strerror})") from err
        self._lock.exclusive()
        try:
            self._db = self._open()
        except BaseException:
            self._lock.close()
            raise
        self._lock.shared()  # others may open it too; pruning needs it alone

    def _open(self) -> sqlite3.Connection:
        problem = self._problem()
        if problem is not None:
            aside = self._move_aside()
            self.rebuilt_reason = f"{self.path}: {problem}; moved to {aside.name} and rebuilt"
        try:
            db = self._connect()
        except sqlite3.Error as err:
            raise self._error(err) from err
        try:
            db.execute("PRAGMA journal_mode=WAL").fetchall()
            db.execute("PRAGMA synchronous=NORMAL")
            with db:
                db.execute("BEGIN IMMEDIATE")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT OR IGNORE INTO meta VALUES ('marker', ?)", (MARKER,))
                db.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (FORMAT,))
        except sqlite3.Error as err:
            db.close()
            raise self._error(err) from err
        return db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        return db

    def _error(self, err: sqlite3.Error) -> CacheError:
        if _busy(err):
            return CacheError(
                f"{self.path}: the cache is locked by another program for more than "
                f"{self.busy_timeout:.0f} s (another run?); try again when it has finished"
            )
        return CacheError(f"{self.path}: cannot use the cache ({err}); remove it or pass --cache elsewhere")

    def _problem(self) -> str | None:
        """Why the existing file cannot serve as this cache (None: it can, or it does not exist)."""
        try:
            with self.path.open("rb") as handle:
                header = handle.read(len(_HEADER))
        except FileNotFoundError:
            return None
        except OSError as err:
            raise CacheError(f"{self.path}: cannot read the cache ({err.strerror})") from err
        if not header:
            return None  # an empty file: SQLite makes it a database
        if header != _HEADER:
            return "not an SQLite database"
        try:
            db = self._connect()
        except sqlite3.Error as err:
            raise self._error(err) from err
        try:
            answer = [str(row[0]) for row in db.execute("PRAGMA quick_check").fetchall()]
            if answer != ["ok"]:
                return f"damaged database ({'; '.join(answer[:2])})"
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("marker") != MARKER:
                return "not a comparer cache"
            if meta.get("format") != FORMAT:
                return f"cache format {meta.get('format')!r}, expected {FORMAT!r}"
            db.execute("SELECT kind, key, value FROM entries LIMIT 1").fetchall()
        except sqlite3.Error as err:
            if _busy(err):
                raise self._error(err) from err
            return f"damaged or foreign database ({err})"
        finally:
            db.close()
        return None

    def _move_aside(self) -> Path:
        """Rename the unusable file (and its WAL files) to a free `.broken` name; never delete."""
        n = 0
        while True:
            aside = self.path.with_name(f"{self.path.name}.broken" + (f".{n}" if n else ""))
            if not aside.exists():
                break
            n += 1
        self.path.replace(aside)
        for extra in ("-wal", "-shm"):
            sidecar = self.path.with_name(self.path.name + extra)
            if sidecar.exists():
                sidecar.replace(aside.with_name(aside.name + extra))
        return aside

    def key(self, *parts: str) -> str:
        """A cache key for `parts` (content hashes, ids), salted with code digest and options."""
        return hashlib.sha256("\x1f".join((self.salt, *parts)).encode("utf-8")).hexdigest()

    def _query(self, sql: str, args: tuple[str | bytes, ...]) -> Any:
        try:
            return self._db.execute(sql, args).fetchone()
        except sqlite3.Error as err:
            raise self._error(err) from err

    def preload(self, kinds: tuple[str, ...], *, keys_only: tuple[str, ...] = ()) -> None:
        """Read every entry of `kinds`, and the keys of `keys_only`, in one query each.

        A re-run looks up thousands of small values (a report's summary, a page's stamp); they
        are then answered from memory instead of one query each. What this run stores updates
        them. An entry another run stores meanwhile is not seen: it is redone, never wrong
        (keys hold content hashes; recorded stamps are checked against the file).
        """
        try:
            for kind in kinds:
                rows = self._db.execute("SELECT key, value FROM entries WHERE kind = ?", (kind,))
                self._memo[kind] = dict(rows.fetchall())
            for kind in keys_only:
                rows = self._db.execute("SELECT key FROM entries WHERE kind = ?", (kind,))
                self._keys[kind] = {key for (key,) in rows.fetchall()}
        except sqlite3.Error as err:
            raise self._error(err) from err

    def _stored(self, kind: str, key: str, value: str | bytes) -> None:
        """Keep what was read whole (`preload`) up to date with a value just stored."""
        if kind in self._memo:
            self._memo[kind][key] = value
        if kind in self._keys:
            self._keys[kind].add(key)

    def _value(self, kind: str, key: str) -> object:
        """The value stored under (`kind`, `key`) (None when there is none), marked as used."""
        self._used.add((kind, key))
        memo = self._memo.get(kind)
        if memo is not None:
            return memo.get(key)
        row = self._query("SELECT value FROM entries WHERE kind = ? AND key = ?", (kind, key))
        return None if row is None else row[0]

    def keep(self, kind: str, key: str) -> None:
        """Count the entry (`kind`, `key`) as used without reading it: `prune` keeps it."""
        self._used.add((kind, key))

    def get_text(self, kind: str, key: str) -> str | None:
        """The text stored under (`kind`, `key`), or None."""
        value = self._value(kind, key)
        return value if isinstance(value, str) else None

    def get_page(self, kind: str, key: str) -> str | None:
        """The page stored under (`kind`, `key`) with `put_page`, or None (also when damaged)."""
        return unpack(self._value(kind, key))

    def put_page(self, kind: str, key: str, packed: bytes) -> None:
        """Store a page `pack` compressed."""
        self._used.add((kind, key))
        self._query("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", (kind, key, packed))
        self._stored(kind, key, packed)

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry exists (without reading it)."""
        self._used.add((kind, key))
        if kind in self._memo:
            return key in self._memo[kind]
        if kind in self._keys:
            return key in self._keys[kind]
        return self._query("SELECT 1 FROM entries WHERE kind = ? AND key = ?", (kind, key)) is not None

    def get_json(self, kind: str, key: str) -> Any:
        """The JSON value stored under (`kind`, `key`), or None (also when it does not decode)."""
        text = self.get_text(kind, key)
        if text is None:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return None

    def count(self, *, hit: bool) -> None:
        """Record that a unit of work was reused from the cache (hit) or done again (miss)."""
        if hit:
            self.hits += 1
        else:
            self.misses += 1

    def put_text(self, kind: str, key: str, value: str) -> None:
        """Store `value`: one short transaction, committed at once (it survives an interrupt)."""
        self._used.add((kind, key))
        self._query("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", (kind, key, value))
        self._stored(kind, key, value)

    def put_json(self, kind: str, key: str, value: Any) -> None:
        """Store `value` as JSON."""
        self.put_text(kind, key, json.dumps(value, sort_keys=True, ensure_ascii=False))

    def known_digest(self, kind: str, name: str, info: os.stat_result) -> str | None:
        """The digest recorded for file `name` if its stat `info` is the one recorded with it."""
        record = self.get_json(kind, self.key(kind, name))
        if (
            isinstance(record, dict)
            and record.get("stamp") == file_stamp(info)
            and isinstance(record.get("sha256"), str)
        ):
            return str(record["sha256"])
        return None

    def remember_digest(
        self, kind: str, name: str, info: os.stat_result, digest: str, looked_at_ns: int | None = None
    ) -> None:
        """Record that file `name`, stat'ed as `info` at `looked_at_ns` (default: now), holds `digest`.

        Nothing is recorded for a file changed just before (see `RACY_NS`): it is read again.
        """
        if settled(info, time.time_ns() if looked_at_ns is None else looked_at_ns):
            self.put_json(kind, self.key(kind, name), {"stamp": file_stamp(info), "sha256": digest})

    def commit(self) -> None:
        """Nothing to do: every put commits at once (kept for callers)."""

    def prune(self) -> int:
        """Drop entries this run did not use; skipped while another run uses the cache."""
        if not self._lock.try_exclusive():
            return 0
        try:
            db = self._db
            with db:
                db.execute("BEGIN IMMEDIATE")
                # keyed: the NOT EXISTS below looks each entry up (a scan of it per entry grew with the square)
                db.execute("CREATE TEMP TABLE IF NOT EXISTS used (kind TEXT, key TEXT, PRIMARY KEY (kind, key))")
                db.execute("DELETE FROM used")
                db.executemany("INSERT INTO used VALUES (?, ?)", sorted(self._used))
                gone = db.execute(
                    "DELETE FROM entries WHERE NOT EXISTS "
                    "(SELECT 1 FROM used WHERE used.kind = entries.kind AND used.key = entries.key)"
                ).rowcount
            self._memo.clear()  # what was read whole may be gone now: ask the database again
            self._keys.clear()
            return int(gone)
        except sqlite3.Error as err:
            raise self._error(err) from err
        finally:
            self._lock.shared()

    def close(self) -> None:
        """Close the database (folding the WAL back when no one else uses it) and the lock."""
        try:
            if self._lock.try_exclusive():
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.Error:
            pass  # a checkpoint is housekeeping; the data is committed already
        finally:
            self._db.close()
            self._lock.close()
