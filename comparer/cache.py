"""A SQLite cache for `comparer track`, keyed by content hash, options and tool version.

Values are JSON or HTML text, never pickles: a cache file is data, and a foreign or damaged
one must not be able to run code. A file that is not SQLite, lacks comparer's marker, or was
written by another cache format is moved aside and rebuilt; an entry that does not decode is
treated as missing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

MARKER = "comparer-track-cache"
FORMAT = "1"  # bump when the layout of stored values changes


class Cache:
    """Get and put text values by (kind, key); keys include the tool version and options."""

    def __init__(self, path: Path, *, salt: str) -> None:
        self.path = path
        self.salt = salt  # tool version and options: part of every key
        self.rebuilt_reason: str | None = None
        self.hits = 0
        self.misses = 0
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            db = self._connect()
            row = db.execute("SELECT value FROM meta WHERE key = 'marker'").fetchone()
            fmt = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            if row is None or row[0] != MARKER or fmt is None or fmt[0] != FORMAT:
                raise ValueError("not a comparer cache of this format")
            db.execute("SELECT kind, key, value FROM entries LIMIT 1").fetchall()
            return db
        except (sqlite3.DatabaseError, ValueError) as err:
            if self.path.exists():
                self.rebuilt_reason = f"{self.path}: {err}; rebuilt"
                self.path.replace(self.path.with_name(self.path.name + ".broken"))
            return self._create()

    def _connect(self) -> sqlite3.Connection:
        if not self.path.exists():
            raise sqlite3.DatabaseError("missing")
        db = sqlite3.connect(self.path)
        db.execute("PRAGMA quick_check").fetchall()
        return db

    def _create(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path)
        db.executescript(
            """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS entries (
                kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, key));
            """
        )
        db.execute("INSERT OR REPLACE INTO meta VALUES ('marker', ?)", (MARKER,))
        db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
        db.commit()
        return db

    def key(self, *parts: str) -> str:
        """A cache key for `parts` (content hashes, ids), salted with version and options."""
        return hashlib.sha256("\x1f".join((self.salt, *parts)).encode("utf-8")).hexdigest()

    def get_text(self, kind: str, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        if row is None or not isinstance(row[0], str):
            return None
        return str(row[0])

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry exists (without reading it)."""
        row = self._db.execute("SELECT 1 FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        return row is not None

    def get_json(self, kind: str, key: str) -> Any:
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
        self._db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", (kind, key, value))

    def put_json(self, kind: str, key: str, value: Any) -> None:
        self.put_text(kind, key, json.dumps(value, sort_keys=True, ensure_ascii=False))

    def commit(self) -> None:
        self._db.commit()

    def close(self) -> None:
        self._db.commit()
        self._db.close()
