"""Store continuity: a kiosk that has issued numbers never starts numbering again from the beginning.

SQLite takes a zero-length or missing file for a new, empty database, and an older copy of the
file (or the file without its WAL) for a valid one. Either would hand out numbers that residents
already hold. So beside the store the kiosk keeps `kiosk.issued.log`, a small append-only text file:

    store 0193f6a2-…               the id of the store that owns the log (also in its settings)
    t 41 2026-12-03 A 17           a ticket: outbox seq, business day, queue, number within the queue
    seq 57                         the store's last outbox seq when the log was last rewritten

A ticket's line is appended and flushed to disk after its transaction commits and before its
number is shown. When the store opens, it must be at least as far as its log says:

- no log yet: a new kiosk (or one from before the log), whatever the store holds; the log starts now;
- a log, and a store that is missing, empty, of another store id, or behind the log's last seq:
  the store was lost or replaced. `StoreLost` (exit 4, the out-of-service screen) until a
  technician runs `kiosk store recover`, which rebuilds it from the district (kiosk/store/recovery.py).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.domain.errors import Kind
from kiosk.domain.ids import uuid7
from kiosk.store.engine import StoreUnavailable
from kiosk.store.private_files import private_append, write_private_file

LOG_SUFFIX = ".issued.log"  # kiosk.sqlite3 -> kiosk.issued.log
STORE_ID_KEY = "store_id"
RECOVER_STEP = "a technician must run `kiosk store recover` (docs/technician.md, \"Store lost\")"
COMPACT_ABOVE_BYTES = 256 * 1024


class StoreLost(StoreUnavailable):
    """The store is missing, empty, replaced or behind what this kiosk has issued."""

    kind = Kind.STORE_LOST


@dataclass
class IssuedLog:
    """What `kiosk.issued.log` says: the owning store, the last ticket seq, the last number per (day, queue)."""

    store_id: str | None = None
    last_seq: int = 0
    numbers: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def has_history(self) -> bool:
        """Ops were written from the store the log belongs to: a fresh store would reuse their seqs."""
        return self.last_seq > 0


def log_path(database: Path) -> Path:
    return database.parent / (database.stem + LOG_SUFFIX)


def read_log(path: Path) -> IssuedLog:
    """The log's contents; a torn last line (power cut mid-append) is ignored."""
    log = IssuedLog()
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except (FileNotFoundError, NotADirectoryError):
        return log  # a missing data directory is reported when the store is created
    except OSError as exc:
        raise StoreUnavailable(f"local store: cannot read {path}: {exc.strerror}") from None
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "store":
            log.store_id = parts[1]
        elif len(parts) == 2 and parts[0] == "seq" and parts[1].isdigit():
            log.last_seq = max(log.last_seq, int(parts[1]))
        elif len(parts) == 5 and parts[0] == "t" and parts[1].isdigit() and parts[4].isdigit():
            seq, day, queue, number = int(parts[1]), parts[2], parts[3], int(parts[4])
            log.last_seq = max(log.last_seq, seq)
            log.numbers[(day, queue)] = max(log.numbers.get((day, queue), 0), number)
    return log


def store_seq(db: sqlite3.Connection) -> int:
    """The largest outbox seq the store ever gave (AUTOINCREMENT keeps it after rows are purged)."""
    row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
    return int(row[0]) if row else 0


def store_id(db: sqlite3.Connection) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", (STORE_ID_KEY,)).fetchone()
    return row[0] if row else None


def before_open(database: Path) -> IssuedLog:
    """Checked before SQLite may create a file: a log with history and no usable file is a lost store."""
    log = read_log(log_path(database))
    if log.has_history:
        try:
            size = database.stat().st_size
        except FileNotFoundError:
            raise StoreLost(f"store {database} is missing, but this kiosk has issued numbers "
                            f"(up to seq {log.last_seq}); {RECOVER_STEP}") from None
        if size == 0:
            raise StoreLost(f"store {database} is empty, but this kiosk has issued numbers "
                            f"(up to seq {log.last_seq}); {RECOVER_STEP}")
    return log


def after_open(db: sqlite3.Connection, database: Path, log: IssuedLog) -> None:
    """The opened store against its log; starts the log of a store that has none."""
    own_id, seq = store_id(db), store_seq(db)
    if log.has_history:
        if own_id is None or (log.store_id is not None and own_id != log.store_id):
            raise StoreLost(f"store {database} is not the store this kiosk issued numbers from "
                            f"(store id {own_id or 'none'}, expected {log.store_id}); {RECOVER_STEP}")
        if seq < log.last_seq:
            raise StoreLost(f"store {database} is behind the numbers this kiosk issued (its last op is "
                            f"seq {seq}, seq {log.last_seq} was issued): an older copy, or its -wal file "
                            f"was lost; {RECOVER_STEP}")
        if log_path(database).stat().st_size > COMPACT_ABOVE_BYTES:
            start_log(db, database)
        return
    if own_id is None:
        own_id = uuid7()
        db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (STORE_ID_KEY, own_id))
    start_log(db, database)


def start_log(db: sqlite3.Connection, database: Path) -> None:
    """(Re)write the log from the store: its id, and the last ticket of each queue on each day it holds."""
    own_id = store_id(db)
    lines = [f"store {own_id}"]
    rows = db.execute("SELECT business_date, prefix, max(seq) FROM tickets GROUP BY business_date, prefix "
                      "ORDER BY business_date, prefix")
    seq = store_seq(db)
    lines += [f"t {seq} {day} {queue} {number}" for day, queue, number in rows]
    lines.append(f"seq {seq}")
    try:
        write_private_file(log_path(database), ("\n".join(lines) + "\n").encode("ascii"))
    except OSError as exc:
        raise StoreUnavailable(f"local store: cannot write {log_path(database)}: {exc.strerror}") from None


def record_issued(database: Path, seq: int, day: str, queue: str, number: int) -> None:
    """After the ticket's commit, before its number is shown: one line, on disk."""
    try:
        private_append(log_path(database), f"t {seq} {day} {queue} {number}\n".encode("ascii"))
    except OSError as exc:
        raise StoreUnavailable(f"local store: cannot write {log_path(database)}: {exc.strerror}") from None


def remove_log(database: Path) -> None:
    """Only `kiosk store recover` does this, with the store it rebuilt."""
    try:
        os.unlink(log_path(database))
    except FileNotFoundError:
        pass
